"""Who may do what with the vernietigingslijst and the bewaartermijnen: the one place
views and services ask (404 outside the user's schools or boards, 403 outside the roles).

An item shows a case reference, dates and counts, never dossier content; opening the
case itself goes through the dossier policy (and its access log) as always.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404

from meldcode import permissions
from meldcode.models import Board, Role
from retention.models import DestructionItem, LegalHold

# The AF and directie of the school confirm a destruction or keep a dossier (3.8).
CONFIRMING_ROLES = (Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
# The board's beheerder or its bestuur (the verwerkingsverantwoordelijke) sets the terms.
POLICY_ROLES = (Role.BEHEERDER, Role.BESTUUR)


def may_confirm(user, school) -> bool:
    """The AF or directie of this very school (a board role does not confirm)."""
    return any(g.school_id == school.pk and g.role in CONFIRMING_ROLES
               for g in permissions.grants(user))


def is_directie(user, school) -> bool:
    return any(g.school_id == school.pk and g.role == Role.DIRECTIE
               for g in permissions.grants(user))


def policy_boards(user):
    return Board.objects.filter(pk__in=permissions.board_ids_with(user, *POLICY_ROLES))


def confirming_school_ids(user) -> set:
    return permissions.school_ids_with(user, *CONFIRMING_ROLES)


def items_for(user):
    """403 for anyone who is not AF or directie of a school."""
    schools = confirming_school_ids(user)
    if not schools:
        raise PermissionDenied
    active_first = models.Case(
        models.When(status__in=DestructionItem.ACTIVE, then=models.Value(0)),
        default=models.Value(1), output_field=models.IntegerField())
    return (DestructionItem.objects.filter(school_id__in=schools)
            .select_related("school", "first_confirmed_by", "destroyed_by")
            .order_by(active_first, "due_on", "listed_at"))


def get_item_for_user(user, item_id) -> DestructionItem:
    """403 outside the roles, 404 outside the user's schools."""
    try:
        return items_for(user).get(pk=item_id)
    except (DestructionItem.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def get_hold_for_user(user, hold_id) -> LegalHold:
    schools = confirming_school_ids(user)
    if not schools:
        raise PermissionDenied
    try:
        return LegalHold.objects.select_related("item__school").get(
            pk=hold_id, item__school_id__in=schools)
    except (LegalHold.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc

"""The inspecteur's scope: only what a current grant covers, 404 for everything else.

This is the one entry point through which inspector views reach a school: they never use
the dossier policy of cases/permissions.py, which gives an inspecteur nothing."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404

from audit.models import AccessOutcome
from audit.services import access_refused
from inspection.models import InspectionGrant
from meldcode.models import Role, School, User
from meldcode.permissions import board_ids_with, can, has_role


def current_grants_of(user):
    """The inspecteur's grants in force today, with their schools."""
    if not has_role(user, Role.INSPECTEUR):
        return InspectionGrant.objects.none()
    return (InspectionGrant.objects.current().filter(
        inspector=user, board_id__in=board_ids_with(user, Role.INSPECTEUR))
        .select_related("board").prefetch_related("schools"))


def get_grant_for_inspector(user, grant_id) -> InspectionGrant:
    """A current grant of this inspecteur; 404 for anyone else and for any other grant
    (expired, ended, not begun, not theirs): the inspecteur learns nothing of it."""
    try:
        return current_grants_of(user).get(pk=grant_id)
    except (InspectionGrant.DoesNotExist, ValidationError, ValueError) as exc:
        # A refused look at a school's cases is part of the access log, as on dossier URLs.
        access_refused(user, AccessOutcome.NOT_FOUND)
        raise Http404 from exc


def get_grant_school(user, grant_id, school_id) -> tuple[InspectionGrant, School]:
    grant = get_grant_for_inspector(user, grant_id)
    school = next((s for s in grant.schools.all() if str(s.pk) == str(school_id)), None)
    if school is None:
        access_refused(user, AccessOutcome.NOT_FOUND)
        raise Http404
    return grant, school


# --- Who gives access ------------------------------------------------------------------


def granting_board_ids(user) -> set:
    """Boards where the user gives inspecteurs access (bestuur, beheerder); 403 if none."""
    if not can(user, "inspection.grant"):
        raise PermissionDenied
    return board_ids_with(user, Role.BESTUUR, Role.BEHEERDER)


def grants_managed_by(user):
    return (InspectionGrant.objects.filter(board_id__in=granting_board_ids(user))
            .select_related("inspector", "board", "created_by", "ended_by")
            .prefetch_related("schools"))


def get_grant_for_manager(user, grant_id) -> InspectionGrant:
    try:
        return grants_managed_by(user).get(pk=grant_id)
    except (InspectionGrant.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def inspectors_of(board_ids):
    """Active people holding the inspecteur role at one of these boards."""
    return (User.objects.filter(is_active=True, memberships__role=Role.INSPECTEUR,
                                memberships__board_id__in=board_ids,
                                memberships__school__isnull=True)
            .distinct().order_by("last_name", "first_name"))


def schools_of(board_ids):
    return School.objects.filter(Q(board_id__in=board_ids)).select_related("board")

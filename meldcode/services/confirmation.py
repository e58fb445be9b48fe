"""Confirming roles: a role that opens dossiers takes effect only once confirmed.

A beheerder gives roles but must not be able to give themselves a way into the dossiers
(a second account with their own e-mail address and the AF role). So the role waits until
the school's directie confirms it, or the bestuur where the school has no directie yet
(meldcode/permissions.py, "Confirming roles", holds the rule). Who confirmed, and when, is
recorded on the membership and in the audit trail.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases.errors import DomainError
from cases.models import Notification
from cases.notifications import notify
from meldcode import permissions
from meldcode.models import SCHOOL_ROLES, Membership, MembershipStatus, Role


def role_data(membership: Membership) -> dict:
    """What an audit event about a role records: ids and codes, never names."""
    return {
        "membership": membership.pk,
        "role": membership.role,
        "board": str(membership.board_id),
        "school": str(membership.school_id) if membership.school_id else None,
    }


def ask_for_confirmation(*, actor, membership: Membership) -> None:
    """Tell whoever is to confirm a new role (inside the caller's transaction). The mail
    names nobody; the to-do list in the product does."""
    notify(recipients=permissions.confirmers_of(membership),
           kind=Notification.Kind.ROLE_CONFIRMATION, actor=actor)


def _lock_pending(membership: Membership) -> Membership:
    membership = (Membership.objects.select_for_update(of=("self",))
                  .select_related("user", "school", "board").filter(pk=membership.pk).first())
    if membership is None:
        raise DomainError(_("Deze rol bestaat niet (meer)."))
    if membership.status == MembershipStatus.CONFIRMED:
        raise DomainError(_("Deze rol is al bevestigd."))
    if membership.status == MembershipStatus.REFUSED:
        raise DomainError(_("Deze rol is al geweigerd."))
    if not membership.user.is_active:
        raise DomainError(_("Dit account is gedeactiveerd; de rol hoeft niet meer bevestigd "
                            "te worden."))
    return membership


def _acting_role(actor, membership: Membership) -> str:
    """The role in which the actor may decide on this membership; a DomainError otherwise."""
    if membership.user_id == actor.pk:
        raise DomainError(_("U kunt een rol van uzelf niet bevestigen of weigeren. Dat doet "
                            "de directie van de school of het bestuur."))
    # The actor's own confirming roles are locked and read afresh: a directie whose role is
    # being taken away at this moment confirms nothing.
    list(Membership.objects.select_for_update()
         .filter(user_id=actor.pk, role__in=[Role.DIRECTIE, Role.BESTUUR]).values_list("pk"))
    permissions.forget_roles(actor)
    if not permissions.awaiting_confirmation_by(actor).filter(pk=membership.pk).exists():
        if membership.role == Role.BESTUUR:
            raise DomainError(_("Een bestuursrol wordt bevestigd door een ander lid van het "
                                "bestuur."))
        if permissions.with_confirmer(Membership.objects.filter(pk=membership.pk)).get(
                ).confirmed_by_directie:
            raise DomainError(_("Deze rol wordt bevestigd door de directie van de school."))
        raise DomainError(_("Deze rol wordt bevestigd door het bestuur, omdat de school nog "
                            "geen (andere) bevestigde directie heeft."))
    if membership.role in SCHOOL_ROLES and membership.school_id in permissions.school_ids_with(
            actor, Role.DIRECTIE):
        return Role.DIRECTIE
    return Role.BESTUUR


def _decide(membership: Membership, *, by, status: str) -> Membership:
    membership.status = status
    membership.decided_by = by
    membership.decided_at = timezone.now()
    membership._history_user = by
    membership.save(update_fields=["status", "decided_by", "decided_at"])
    permissions.forget_roles(membership.user)
    return membership


@transaction.atomic
def membership_confirm(*, actor, membership: Membership) -> Membership:
    """The directie (or bestuur) confirms a role: from now on it counts."""
    membership = _lock_pending(membership)
    acting_role = _acting_role(actor, membership)
    _decide(membership, by=actor, status=MembershipStatus.CONFIRMED)
    audit("membership.confirmed", actor=actor, subject=membership.user,
          school=membership.school, actor_role=acting_role, data=role_data(membership))
    return membership


@transaction.atomic
def membership_refuse(*, actor, membership: Membership) -> Membership:
    """The directie (or bestuur) refuses a role: it never counts. The beheerder sees that
    it was refused and can remove it."""
    membership = _lock_pending(membership)
    acting_role = _acting_role(actor, membership)
    _decide(membership, by=actor, status=MembershipStatus.REFUSED)
    audit("membership.refused", actor=actor, subject=membership.user,
          school=membership.school, actor_role=acting_role, data=role_data(membership))
    return membership


@transaction.atomic
def first_bestuur_confirm(*, membership: Membership, via: str) -> Membership:
    """For whoever runs the server (`manage.py confirm_first_bestuur`, the demo data): the
    first bestuur of a board has nobody in the product to confirm them. Once the board has
    a confirmed bestuur, it confirms every further bestuur role itself."""
    membership = _lock_pending(membership)
    if membership.role != Role.BESTUUR:
        raise DomainError(_("Alleen een bestuursrol wordt zo bevestigd; andere rollen "
                            "bevestigt de directie of het bestuur in Meldcode."))
    if permissions.confirmers_of(membership).exists():
        raise DomainError(_("Dit bestuur heeft al een bevestigd bestuurslid. Dat bevestigt "
                            "deze rol in Meldcode."))
    _decide(membership, by=None, status=MembershipStatus.CONFIRMED)
    audit("membership.confirmed", subject=membership.user,
          data={**role_data(membership), "via": via})
    return membership

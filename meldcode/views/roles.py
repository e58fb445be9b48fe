"""Confirming roles: the directie's (or bestuur's) to-do of roles waiting for them.

The list shows only roles waiting for this user (`permissions.awaiting_confirmation_by`);
each decision is one POST to one service.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.errors import DomainError
from meldcode import permissions
from meldcode.models import Membership
from meldcode.services import confirmation as services_confirmation

# The model's own history says who gave each role (the beheerder), without a query per row.
HistoricalMembership = Membership.history.model


def _given_by(memberships) -> dict:
    rows = (HistoricalMembership.objects
            .filter(id__in=[m.pk for m in memberships], history_type="+")
            .select_related("history_user"))
    return {row.id: row.history_user for row in rows}


def confirmation_list(request):
    if not permissions.confirms_anything(request.user):
        raise PermissionDenied
    waiting = list(permissions.awaiting_confirmation_by(request.user)
                   .select_related("user", "school", "board")
                   .order_by("created_at", "pk"))
    given_by = _given_by(waiting)
    for membership in waiting:
        membership.given_by = given_by.get(membership.pk)
    return render(request, "meldcode/role_confirmation_list.html", {"waiting": waiting})


def _decide(request, membership_id, service, done: str):
    membership = permissions.get_membership_for_confirmer(request.user, membership_id)
    try:
        service(actor=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": membership.user,
                                          "role": membership.get_role_display()})
    return redirect("role_confirmation_list")


@require_POST
def role_confirm(request, membership_id):
    return _decide(request, membership_id, services_confirmation.membership_confirm,
                   _("De rol %(role)s van %(name)s is bevestigd en geldt nu."))


@require_POST
def role_refuse(request, membership_id):
    return _decide(request, membership_id, services_confirmation.membership_refuse,
                   _("De rol %(role)s van %(name)s is geweigerd. De beheerder ziet dat."))

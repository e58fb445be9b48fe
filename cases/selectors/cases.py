"""Read-side queries for cases, always starting from the permission policy."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from audit.selectors import case_trail as audit_case_trail
from audit.selectors import membership_confirmations
from cases import permissions
from cases.models import CaseUserObjectPermission, Phase
from meldcode.models import Role


def case_list_queryset(user):
    return visible_with_related(permissions.visible_cases(user))


def visible_with_related(qs):
    return qs.select_related("student", "school", "opened_by").order_by("-opened_at")


def my_cases(user):
    """Open cases the user is personally part of (opened, or granted a team place)."""
    return visible_with_related(
        permissions.visible_cases(user)
        .filter(case_grants_for_user(user))
        .exclude(phase=Phase.GESLOTEN)
    )


def case_grants_for_user(user):
    granted = CaseUserObjectPermission.objects.filter(content_object=OuterRef("pk"), user=user)
    return Q(opened_by=user) | Exists(granted)


def phase_counts(user):
    """Open cases per phase across the user's visible cases, in stappenplan order."""
    rows = dict(
        permissions.visible_cases(user)
        .values_list("phase")
        .annotate(n=Count("id"))
        .values_list("phase", "n")
    )
    return [(value, label, rows.get(value, 0)) for value, label in Phase.choices]


def school_coordinators(school):
    """The school's aandachtsfunctionarissen: they are alerted about every case."""
    return list(permissions.role_holders(Role.AANDACHTSFUNCTIONARIS, school_id=school.pk))


# The case page shows the latest events of its trail; the timeline has them all.
TRAIL_ON_CASE_PAGE = 10


@dataclass(frozen=True)
class LatestTrail:
    events: list  # oldest first
    more: bool  # older events exist (on the timeline)


def case_trail(case, team=(), *, latest: int = TRAIL_ON_CASE_PAGE) -> LatestTrail:
    """The case's latest own events, and where its team members' roles were confirmed: who
    let each of them see this case (the roles themselves belong to the school, not the
    case). A case's trail grows with every step: the page reads only the newest."""
    held = {c.membership_id: (member.user, c.role)
            for member in team for c in member.confirmations}
    confirmations = list(membership_confirmations(held))
    for event in confirmations:
        user, role = held[event.data["membership"]]
        event.detail = f"{user} – {role}"
    newest = list(audit_case_trail(case).reverse()[:latest + 1])
    events = sorted([*newest, *confirmations], key=lambda e: (e.occurred_at, e.id))
    return LatestTrail(events=events[-latest:], more=len(events) > latest)


def school_directie(school):
    """The school's directie: alerted with the AF when a pupil is in direct danger."""
    return list(permissions.role_holders(Role.DIRECTIE, school_id=school.pk))

"""Read-side queries for cases, always starting from the permission policy."""

from django.db.models import Count, Exists, OuterRef, Q

from cases import permissions
from cases.models import CaseUserObjectPermission, Phase
from meldcode.models import Role, User


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
    return list(
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__role=Role.AANDACHTSFUNCTIONARIS,
        ).distinct()
    )


def school_directie(school):
    """The school's directie: alerted with the AF when a pupil is in direct danger."""
    return list(
        User.objects.filter(
            is_active=True,
            memberships__school=school,
            memberships__role=Role.DIRECTIE,
        ).distinct()
    )

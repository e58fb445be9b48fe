"""Read-side queries about a pupil's school year: group, own teachers, carers, siblings."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from cases import permissions
from cases.models import Carer, GroupPlacement, PhaseTransition, SchoolGroup, Student
from meldcode.models import Role, User
from meldcode.workdays import local_today, school_year_of


def own_teachers(student: Student, on: date | None = None) -> QuerySet:
    """The pupil's own teachers on a date: the teachers of their group in that school year
    (from the import, or set by the AF by hand)."""
    year = school_year_of(on or local_today())
    return User.objects.filter(taught_groups__placements__student=student,
                               taught_groups__school_year=year).distinct()


def is_own_teacher(user, student: Student, on: date | None = None) -> bool:
    return own_teachers(student, on).filter(pk=user.pk).exists()


def placement_in(student: Student, school_year: int) -> GroupPlacement | None:
    return (GroupPlacement.objects.filter(student=student, school_year=school_year)
            .select_related("group").prefetch_related("group__teachers").first())


def school_teachers(school) -> QuerySet:
    """Active teachers (and the AF, who may also teach a group) of a school."""
    return User.objects.filter(
        is_active=True, memberships__school=school,
        memberships__role__in=[Role.LEERKRACHT, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE],
    ).distinct().order_by("last_name", "first_name")


def groups_in(school, school_year: int) -> QuerySet:
    return SchoolGroup.objects.filter(school=school, school_year=school_year)


def carers_of(student: Student) -> QuerySet:
    return Carer.objects.filter(student=student).order_by("name")


def siblings_of(student: Student) -> QuerySet:
    return student.siblings.filter(school_id=student.school_id).order_by("last_name",
                                                                         "first_name")


def pupil_cases(user, student: Student) -> list:
    """Every case of the pupil the user may see, open and closed, newest first, each with
    its phase changes in order: a new concern after a closed case continues this history."""
    moves = PhaseTransition.objects.order_by("recorded_at", "id").select_related("recorded_by")
    return list(permissions.visible_cases(user).filter(student=student)
                .select_related("opened_by", "coordinator")
                .prefetch_related(Prefetch("transitions", queryset=moves))
                .order_by("-opened_at"))


def class_lists(user, school_year: int) -> list[SchoolGroup]:
    """The groups the user teaches this school year, at schools where they may report a
    concern, each with `.pupils` (name order; pupils who left are left out). Two queries."""
    pupils = (permissions.searchable_students(user).filter(left_on__isnull=True)
              .order_by("last_name", "first_name"))
    groups = list(SchoolGroup.objects.filter(
        teachers=user, school_year=school_year,
        school_id__in=permissions.searchable_students(user).values("school_id"))
        .select_related("school")
        .prefetch_related(Prefetch("placements",
                                   queryset=GroupPlacement.objects.filter(
                                       school_year=school_year, student__in=pupils)
                                   .select_related("student")
                                   .order_by("student__last_name", "student__first_name")))
        .order_by("school__name", "name"))
    for group in groups:
        group.pupils = [placement.student for placement in group.placements.all()]
    return groups

"""Who owns a deadline task: the rule table of cases/deadlines.py names an owner kind
("coordinator", "teachers", "casemanager", "directie", "af", "nazorg", "bestuur"); these
functions find the people, never someone kept out of the case (the exclusion list) and, on
the meldplicht route, never the AF."""

from __future__ import annotations

from django.db.models import Q

from cases.models import Route
from cases.permissions import TEAM_PERMISSION
from cases.selectors.cases import school_coordinators
from cases.selectors.pupils import own_teachers
from meldcode.models import Role, User
from meldcode.permissions import role_holders


def _active(users) -> list:
    return [u for u in users if u is not None and u.is_active]


def coordinators(case) -> list:
    """The case coordinator, else the school's AF(s) who do not teach the pupil, else its
    directie.

    A meldplicht case is hidden from the AF, so its deadlines go to the directie. An AF who
    also teaches the pupil's group (a small school's IB-er) never coordinates that pupil's
    case, also not as the fallback (seed 000, Stap 2).
    """
    coordinator = getattr(case, "coordinator", None)
    if case.route != Route.MELDPLICHT and coordinator is not None and coordinator.is_active:
        return [coordinator]
    if case.route != Route.MELDPLICHT:
        teaching = set(own_teachers(case.student).values_list("pk", flat=True))
        found = [u for u in _active(school_coordinators(case.school)) if u.pk not in teaching]
        if found:
            return found
    excluded = case.exclusions.values("person_id")
    directie = role_holders(Role.DIRECTIE, school_id=case.school_id).exclude(pk__in=excluded)
    if case.route == Route.MELDPLICHT and type(case).objects.filter(
            pk=case.pk, meldplicht__suspect_is_directie=True).exists():
        # The suspect is one of the directie: the bestuur watches the deadlines.
        directie = directie.none()
    found = list(directie.order_by("pk"))
    if found or case.route != Route.MELDPLICHT:
        return found
    return list(role_holders(Role.BESTUUR, board_id=case.school.board_id)
                .exclude(pk__in=excluded).order_by("pk"))


def case_teachers(case) -> list:
    """Teachers of the school who opened the case or are on its team."""
    granted = User.objects.filter(case_grants__content_object=case,
                                  case_grants__permission__codename=TEAM_PERMISSION).values("pk")
    return list(
        role_holders(Role.LEERKRACHT, school_id=case.school_id)
        .filter(Q(pk__in=granted) | Q(pk=case.opened_by_id))
        .distinct().order_by("pk")
    )


def school_directie(case) -> list:
    return list(role_holders(Role.DIRECTIE, school_id=case.school_id)
                .exclude(pk__in=case.exclusions.values("person_id")).order_by("pk"))


def owners_for(rule_owner: str, case, facts: dict) -> list:
    if rule_owner == "directie":
        return school_directie(case) or coordinators(case)
    if rule_owner == "bestuur":
        board = list(role_holders(Role.BESTUUR, board_id=case.school.board_id).order_by("pk"))
        if board:
            return board
    if rule_owner == "nazorg" and case.route != Route.MELDPLICHT:
        # The school names who offers nazorg on its sociale kaart; by default the OKA.
        oka = list(role_holders(Role.OKA, school_id=case.school_id).order_by("pk"))
        if oka:
            return oka
    if rule_owner == "af" and case.route != Route.MELDPLICHT:
        found = _active(school_coordinators(case.school))
        if found:
            return found
    if rule_owner == "teachers":
        return case_teachers(case) or coordinators(case)
    if rule_owner == "casemanager":
        manager = facts.get("casemanager")
        if manager is not None and getattr(manager, "is_active", False):
            return [manager]
    return coordinators(case)

"""A school as an inspecteur would find it: several pupils, cases through the stappenplan
(a melding, help, a closed case), observations with their texts, and a grant."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from cases.models import Phase
from inspection.services.grants import inspection_grant_create
from tests.factories import (
    CaseFactory,
    StudentFactory,
    submitted_observation,
    teach,
    walk_to,
)

OBSERVATION_TEXTS = ["Zat huilend in de gang bij de gymzaal",
                     "Vertelde dat papa heel boos werd gisteravond",
                     "Had een schram op de wang en wilde niet naar huis"]


@dataclass
class Inspected:
    grant: object
    cases: list
    # Everything that identifies a pupil or tells what happened: never on an inspector
    # page or export.
    secrets: list[str] = field(default_factory=list)


def _dates(born: date) -> list[str]:
    return [f"{born:%d-%m-%Y}", born.isoformat(), f"{born.day} mei {born.year}",
            f"{born:%d/%m/%Y}"]


def inspected_school(personas, *, include_names=False, include_content=False,
                     valid_until=None) -> Inspected:
    school = personas.school
    pupils = [("Lotte", "Vermeulen", date(2015, 5, 3), "groep 6b"),
              ("Daan", "Kuipers", date(2017, 5, 21), "groep 4a"),
              ("Sem", "Hoekstra", date(2014, 5, 9), "groep 7c")]
    cases = []
    secrets = [personas.case.student.first_name, personas.case.student.last_name]
    for (first, last, born, group), text, target in zip(
            pupils, OBSERVATION_TEXTS, [Phase.MONITOREN, Phase.HULP, Phase.GESLOTEN],
            strict=True):
        student = StudentFactory(school=school, first_name=first, last_name=last,
                                 date_of_birth=born, group=group)
        teach(student, personas.teacher_on_case)
        case = CaseFactory(student=student, opened_by=personas.teacher_on_case)
        submitted_observation(case, author=personas.teacher_on_case, situation=text)
        walk_to(case, Phase.WEGEN, actor=personas.af)
        walk_to(case, target, actor=personas.af)
        cases.append(case)
        secrets += [first, last, f"{first} {last}", group, text, *_dates(born)]
    # The texts the stappenplan helpers write (conversation, melding, consultation).
    secrets += ["Blauwe plekken op de armen", "Ouders herkennen het niet",
                "Gesprek met ouders voeren", "Meerdere signalen in korte tijd",
                "Uitgelegd waarom we melden", str(personas.case.student.date_of_birth)]
    today = timezone.localdate()
    grant = inspection_grant_create(
        actor=personas.bestuur, board=school.board, inspector=personas.inspecteur,
        schools=[school], purpose="Themaonderzoek meldcode", valid_from=today,
        valid_until=valid_until or today + timedelta(days=30),
        period_start=today - timedelta(days=365), period_end=today,
        include_names=include_names, include_content=include_content)
    return Inspected(grant=grant, cases=cases, secrets=secrets)

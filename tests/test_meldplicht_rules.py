"""The meldplicht route (C-10, P-5): its kind, the bestuur's onverwijld task, the
consultation's conclusion, and the pupil's own care going on beside it."""

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from cases.errors import DomainError
from cases.models import Case, MeldplichtRecord, Phase, Route, Task, TaskKind
from cases.services import workflow as wf
from cases.services.cases import case_open
from meldcode.workdays import add_working_days

pytestmark = pytest.mark.django_db


def _record(personas, case, **kw):
    today = timezone.localdate()
    data = {"inspector_contact_on": today, "inspector_notes": "Overleg gevoerd",
            "redelijk_vermoeden": True, "aangifte": True, "aangifte_on": today,
            "aangifte_reasoning": "Volgens WPO art. 4a"}
    data.update(kw)
    return wf.meldplicht_record(actor=personas.bestuur, case=case, **data)


def test_the_switch_gives_the_bestuur_an_onverwijld_task(personas):
    wf.meldplicht_switch(actor=personas.af, case=personas.case, reason="Gymleraar verdacht",
                         kind="zedendelict")
    task = Task.objects.get(case=personas.case, kind=TaskKind.MELDPLICHT_INSPECTOR)
    assert task.owner == personas.bestuur
    assert task.due_on == add_working_days(timezone.localdate(), 1)
    _record(personas, personas.case)
    task.refresh_from_db()
    assert task.completed_at is not None


def test_with_a_redelijk_vermoeden_no_aangifte_is_refused(personas):
    wf.meldplicht_switch(actor=personas.af, case=personas.case, reason="r")
    with pytest.raises(DomainError, match="verplicht onverwijld aangifte"):
        _record(personas, personas.case, aangifte=False)
    with pytest.raises(DomainError, match="redelijk vermoeden"):
        _record(personas, personas.case, redelijk_vermoeden=None)
    assert MeldplichtRecord.objects.get(case=personas.case).board_recorded_at is None
    record = _record(personas, personas.case, redelijk_vermoeden=False, aangifte=False,
                     parents_informed_on=timezone.localdate(),
                     staff_informed_on=timezone.localdate())
    assert record.redelijk_vermoeden is False and record.aangifte is False
    assert record.parents_informed_on and record.staff_informed_on


def test_other_violence_follows_the_boards_rules_without_aangifteplicht(personas):
    wf.meldplicht_switch(actor=personas.af, case=personas.case, reason="Schreeuwt en duwt",
                         kind="ander_geweld")
    record = wf.meldplicht_record(actor=personas.bestuur, case=personas.case,
                                  aangifte_reasoning="Gesprek met de medewerker, "
                                  "maatregel volgens de interne regels")
    assert record.aangifte is None and record.board_recorded_at is not None
    wf.meldplicht_close(actor=personas.bestuur, case=personas.case, note="Afgehandeld")
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.GESLOTEN


def test_the_kind_is_part_of_the_switch_and_never_changes(personas):
    wf.meldplicht_switch(actor=personas.af, case=personas.case, reason="r",
                         kind="ander_geweld")
    with pytest.raises(DatabaseError), transaction.atomic():
        MeldplichtRecord.objects.filter(case=personas.case).update(kind="zedendelict")
    with pytest.raises(DomainError, match="soort vermoeden"):
        other = Case.objects.create(student=personas.case.student, school=personas.school,
                                    opened_by=personas.af)
        wf.meldplicht_switch(actor=personas.af, case=other, reason="r", kind="iets")


def test_a_meldplicht_case_does_not_block_the_pupils_own_care(personas):
    wf.meldplicht_switch(actor=personas.af, case=personas.case, reason="Stagiair verdacht")
    result = case_open(actor=personas.af, student=personas.case.student)
    assert result.created and result.case.route == Route.STAPPENPLAN
    # Still one open case per pupil per route.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(student=personas.case.student, school=personas.school,
                            opened_by=personas.af)
    # A second meldplicht case for the same pupil is refused with a message.
    with pytest.raises(DomainError, match="al een meldplichtcasus"):
        wf.meldplicht_switch(actor=personas.af, case=result.case, reason="Nog een")

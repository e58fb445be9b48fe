"""The meldplicht route (C-10, P-5): its kind, the bestuur's onverwijld task, the
consultation's conclusion, and the pupil's own care going on beside it."""

from datetime import timedelta

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from cases import permissions
from cases.errors import DomainError
from cases.models import (
    Case,
    CaseExclusion,
    MeldplichtRecord,
    Notification,
    Phase,
    Route,
    Task,
    TaskKind,
)
from cases.services import meldplicht as mp
from cases.services.cases import case_open
from meldcode.workdays import add_working_days

pytestmark = pytest.mark.django_db


def _record(personas, case, **kw):
    today = timezone.localdate()
    data = {"inspector_contact_on": today, "inspector_notes": "Overleg gevoerd",
            "redelijk_vermoeden": True, "aangifte": True, "aangifte_on": today,
            "aangifte_reasoning": "Volgens WPO art. 4a"}
    data.update(kw)
    return mp.meldplicht_record(actor=personas.bestuur, case=case, **data)


def test_the_switch_gives_the_bestuur_an_onverwijld_task(personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Gymleraar verdacht",
                         kind="zedendelict")
    task = Task.objects.get(case=personas.case, kind=TaskKind.MELDPLICHT_INSPECTOR)
    assert task.owner == personas.bestuur
    assert task.due_on == add_working_days(timezone.localdate(), 1)
    _record(personas, personas.case)
    task.refresh_from_db()
    assert task.completed_at is not None


def test_with_a_redelijk_vermoeden_no_aangifte_is_refused(personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="r")
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


def test_parents_and_staff_are_informed_before_the_aangifte(personas):
    """The parents and the staff member hear of it before the aangifte, not after it."""
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="r")
    today = timezone.localdate()
    before = today - timedelta(days=2)
    with pytest.raises(DomainError, match=(
            "De ouders worden vóór de aangifte ingelicht: de datum waarop zij zijn ingelicht "
            rf"\({today:%d-%m-%Y}\) ligt na de datum van de aangifte \({before:%d-%m-%Y}\).")):
        _record(personas, personas.case, aangifte_on=before, parents_informed_on=today)
    with pytest.raises(DomainError, match="De medewerker wordt vóór de aangifte ingelicht"):
        _record(personas, personas.case, aangifte_on=before, parents_informed_on=before,
                staff_informed_on=today)
    assert MeldplichtRecord.objects.get(case=personas.case).board_recorded_at is None
    # On the day of the aangifte itself, or before it, is in time.
    record = _record(personas, personas.case, aangifte_on=before,
                     parents_informed_on=before - timedelta(days=1),
                     staff_informed_on=before)
    assert record.parents_informed_on < record.aangifte_on == record.staff_informed_on


def test_without_an_aangifte_the_informed_dates_are_free(personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="r")
    today = timezone.localdate()
    record = _record(personas, personas.case, redelijk_vermoeden=False, aangifte=False,
                     aangifte_on=today - timedelta(days=3), parents_informed_on=today)
    assert record.parents_informed_on == today


def test_other_violence_follows_the_boards_rules_without_aangifteplicht(personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Schreeuwt en duwt",
                         kind="ander_geweld")
    record = mp.meldplicht_record(actor=personas.bestuur, case=personas.case,
                                  aangifte_reasoning="Gesprek met de medewerker, "
                                  "maatregel volgens de interne regels")
    assert record.aangifte is None and record.board_recorded_at is not None
    mp.meldplicht_close(actor=personas.bestuur, case=personas.case, note="Afgehandeld")
    personas.case.refresh_from_db()
    assert personas.case.phase == Phase.GESLOTEN


def test_the_kind_is_part_of_the_switch_and_never_changes(personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="r",
                         kind="ander_geweld")
    with pytest.raises(DatabaseError), transaction.atomic():
        MeldplichtRecord.objects.filter(case=personas.case).update(kind="zedendelict")
    with pytest.raises(DomainError, match="soort vermoeden"):
        other = Case.objects.create(student=personas.case.student, school=personas.school,
                                    opened_by=personas.af)
        mp.meldplicht_switch(actor=personas.af, case=other, reason="r", kind="iets")


def test_a_meldplicht_case_does_not_block_the_pupils_own_care(personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Stagiair verdacht")
    result = case_open(actor=personas.af, student=personas.case.student)
    assert result.created and result.case.route == Route.STAPPENPLAN
    # Still one open case per pupil per route.
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(student=personas.case.student, school=personas.school,
                            opened_by=personas.af)
    # A second meldplicht case for the same pupil is refused with a message.
    with pytest.raises(DomainError, match="al een meldplichtcasus"):
        mp.meldplicht_switch(actor=personas.af, case=result.case, reason="Nog een")


# --- Who sees it: the directie as suspect, and the exclusion list -----------------------


def test_when_the_suspect_is_directie_only_the_reporter_and_bestuur_see_it(personas):
    mp.meldplicht_switch(actor=personas.teacher_on_case, case=personas.case,
                         reason="De directeur", suspect=personas.directie)
    record = MeldplichtRecord.objects.get(case=personas.case)
    assert record.suspect_is_directie
    fresh = Case.objects.get(pk=personas.case.pk)
    assert permissions.case_actions(personas.directie, fresh) == frozenset()
    assert fresh not in permissions.visible_cases(personas.directie)
    assert "view" in permissions.case_actions(personas.teacher_on_case, fresh)
    assert "view" in permissions.case_actions(personas.bestuur, fresh)
    # The directie is not alerted about the case about themselves; the bestuur is.
    alerted = set(Notification.objects.filter(kind=Notification.Kind.MELDPLICHT)
                  .values_list("recipient_id", flat=True))
    assert personas.directie.pk not in alerted and personas.bestuur.pk in alerted


def test_an_excluded_person_never_sees_the_case_whatever_their_role(personas):
    mp.case_exclusion_add(actor=personas.directie, case=personas.case, person=personas.af,
                          reason="Familie van de leerling")
    fresh = Case.objects.get(pk=personas.case.pk)
    assert permissions.case_actions(personas.af, fresh) == frozenset()
    assert fresh not in permissions.visible_cases(personas.af)
    with pytest.raises(DomainError, match="al uitgesloten"):
        mp.case_exclusion_add(actor=personas.directie, case=fresh, person=personas.af,
                              reason="Nogmaals")
    with pytest.raises(DomainError, match="uzelf"):
        mp.case_exclusion_add(actor=personas.directie, case=fresh, person=personas.directie,
                              reason="x")
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseExclusion.objects.filter(case=fresh).delete()

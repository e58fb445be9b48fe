"""The procedure as the inspecteur reads it, rule by rule: steps recorded before the next,
deadlines missed by how much, four eyes, parents informed or the exception, monitoring
kept, reopenings; and the compliance summary over them."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from cases.models import CaseReopening, ConversationExemption, Phase, PhaseTransition
from decisions.models import Report, ReportExemption
from inspection.selectors.cases import school_cases
from inspection.selectors.compliance import compliance_of
from inspection.services.grants import inspection_grant_create
from inspection.views import inspector
from tests.factories import CaseFactory, StudentFactory, TaskFactory


def _rows(personas):
    today = timezone.localdate()
    return {r.pk: r for r in school_cases(personas.school, today - timedelta(days=400),
                                          today)}


def _move(case, frm, to, *, actor, days_ago=0, action="conclude_doubt"):
    return PhaseTransition.objects.create(
        case=case, action=action, from_phase=frm, to_phase=to, recorded_by=actor,
        recorded_at=timezone.now() - timedelta(days=days_ago))


def test_a_step_without_its_record_is_out_of_order_and_acute_danger_is_exempt(personas):
    case = personas.case
    _move(case, Phase.SIGNALEREN, Phase.CONSULTATIE, actor=personas.af)  # no conclusion
    other = CaseFactory(student=StudentFactory(school=personas.school))
    _move(other, Phase.SIGNALEREN, Phase.MELDING, actor=personas.af, action="acute_report")
    rows = _rows(personas)
    assert rows[case.pk].steps[0].in_order is False and not rows[case.pk].steps_in_order
    assert rows[case.pk].steps[0].role == "AF"
    assert rows[other.pk].steps[0].in_order is None and rows[other.pk].steps_in_order
    summary = compliance_of(list(rows.values()))
    # The acute move needs no record first, so only the first case counts.
    assert (summary.steps_in_order.done, summary.steps_in_order.of) == (0, 1)


def test_deadlines_met_or_missed_by_so_many_days(personas):
    today = timezone.localdate()
    now = timezone.now()
    TaskFactory(case=personas.case, due_on=today - timedelta(days=10),
                completed_at=now - timedelta(days=3))
    TaskFactory(case=personas.case, kind="herbeoordeling", due_on=today - timedelta(days=2),
                completed_at=now - timedelta(days=5))
    TaskFactory(case=personas.case, kind="consultatie_termijn",
                due_on=today - timedelta(days=4))  # open, overdue
    TaskFactory(case=personas.case, kind="fase_termijn", due_on=today + timedelta(days=4))
    row = _rows(personas)[personas.case.pk]
    assert sorted((d.met, d.days_late) for d in row.deadlines) == [
        (False, 4), (False, 7), (True, -3)]
    summary = compliance_of([row])
    assert (summary.deadlines_met.done, summary.deadlines_met.of) == (1, 3)


def test_a_melding_without_four_eyes_and_with_an_exception_instead_of_parents(personas):
    now = timezone.now()
    report = Report.objects.create(case=personas.case, norm="A", drafted_by=personas.directie,
                                   approved_by=personas.directie, approved_at=now,
                                   submitted_at=now)
    ReportExemption.objects.create(report=report, recorded_by=personas.af,
                                   reason=ConversationExemption.Reason.CHILD_SAFETY,
                                   explanation="Geheime toelichting over het gezin")
    row = _rows(personas)[personas.case.pk]
    melding = row.meldingen[0]
    assert (melding.norm, melding.four_eyes, melding.parents) == ("A", False, "exception")
    assert melding.exception == str(ConversationExemption.Reason.CHILD_SAFETY.label)
    summary = compliance_of([row])
    assert (summary.four_eyes.done, summary.four_eyes.of) == (0, 1)
    assert (summary.parents_informed.done, summary.parents_exception) == (0, 1)


def test_monitoring_kept_or_cut_short_and_reopenings(personas):
    kept, short = personas.case, CaseFactory(student=StudentFactory(school=personas.school))
    _move(kept, Phase.MELDING, Phase.MONITOREN, actor=personas.af, days_ago=200,
          action="decide_monitoring")
    _move(kept, Phase.MONITOREN, Phase.GESLOTEN, actor=personas.af, action="close")
    _move(short, Phase.HULP, Phase.MONITOREN, actor=personas.af, days_ago=60,
          action="close_help")
    _move(short, Phase.MONITOREN, Phase.GESLOTEN, actor=personas.af, action="close")
    CaseReopening.objects.create(case=short, recorded_by=personas.af, reason="Nieuwe zorg")
    rows = _rows(personas)
    assert rows[kept.pk].monitoring_kept is True
    assert rows[short.pk].monitoring_kept is False
    assert rows[short.pk].reopenings == [timezone.localdate()]
    summary = compliance_of([rows[kept.pk], rows[short.pk]])
    assert (summary.monitoring_kept.done, summary.monitoring_kept.of, summary.reopened) == (
        1, 2, 1)


def test_the_school_page_lists_the_cases_a_page_at_a_time(client, personas, monkeypatch):
    monkeypatch.setattr(inspector, "CASES_PER_PAGE", 2)
    for _n in range(4):
        CaseFactory(student=StudentFactory(school=personas.school))
    grant = inspection_grant_create(
        actor=personas.bestuur, board=personas.school.board, inspector=personas.inspecteur,
        schools=[personas.school], purpose="Onderzoek", valid_from=timezone.localdate(),
        valid_until=timezone.localdate(), period_start=timezone.localdate(),
        period_end=timezone.localdate())
    client.force_login(personas.inspecteur)
    url = reverse("inspection_school", args=[grant.pk, personas.school.pk])
    first = client.get(url)
    assert first.context["summary"].cases == 5 and len(first.context["rows"]) == 2
    last = client.get(url, {"pagina": "99"})
    assert len(last.context["rows"]) == 1
    assert {r.code for r in first.context["rows"]}.isdisjoint(
        {r.code for r in last.context["rows"]})

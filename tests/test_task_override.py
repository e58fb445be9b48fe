"""A task that stands for a meldcode deadline is not ticked off without its step: "Afgerond"
asks for a reason, the trail says it was overridden, and only the record meets the deadline."""

from django.urls import reverse

from audit.models import AuditEvent
from cases.deadlines import RECORD_DEADLINES, RULES, case_event
from cases.models import Phase, Task, TaskKind
from cases.services import workflow as wf
from tests.factories import ObservationFactory, TaskFactory


def _phase1_task(p):
    case_event("phase.entered", case=p.case, phase=Phase.SIGNALEREN)
    return Task.objects.get(case=p.case, owner=p.af, kind=TaskKind.PHASE1_LIMIT)


def _actions(task):
    return list(AuditEvent.objects.filter(subject_id=str(task.pk))
                .order_by("occurred_at", "id").values_list("action", flat=True))


def test_a_deadline_task_without_a_reason_stays_open(client, personas):
    task = _phase1_task(personas)
    client.force_login(personas.af)
    response = client.post(reverse("task_complete", args=[task.pk]), follow=True)
    assert "geef een reden" in response.content.decode()
    task.refresh_from_db()
    assert task.is_open
    assert _actions(task) == ["task.created"]


def test_the_task_list_asks_for_the_reason(client, personas):
    task = _phase1_task(personas)
    plain = TaskFactory(case=personas.case, owner=personas.af, kind=TaskKind.FOLLOW_PERIOD,
                        title=TaskKind.FOLLOW_PERIOD.label)
    client.force_login(personas.af)
    html = client.get(reverse("task_list")).content.decode()
    assert f'id="reden-{task.pk}"' in html
    assert f'id="reden-{plain.pk}"' not in html


def test_an_override_is_audited_shown_and_does_not_meet_the_deadline(client, personas):
    p = personas
    task = _phase1_task(p)
    client.force_login(p.af)
    response = client.post(reverse("task_complete", args=[task.pk]),
                           {"reden": "Conclusie staat op papier in de map"}, follow=True)
    assert "afgerond zonder de stap" in response.content.decode()
    task.refresh_from_db()
    assert not task.is_open and task.is_overridden and task.met_at is None
    assert task.override_reason == "Conclusie staat op papier in de map"
    assert _actions(task) == ["task.created", "task.overridden"]
    event = AuditEvent.objects.get(subject_id=str(task.pk), action="task.overridden")
    # The typed reason stays on the task; the trail names the override only.
    assert "papier" not in str(event.data)
    # The trail on the case page keeps it visible as overridden.
    case_page = client.get(reverse("case_detail", args=[p.case.pk])).content.decode()
    assert "afgevinkt zonder de stap" in case_page
    # Recently done on the Taken page: overridden, with the reason.
    done = client.get(reverse("task_list")).content.decode()
    assert "termijn niet gehaald" in done and "Conclusie staat op papier" in done

    # The record follows: now the deadline is met, and the trail says so.
    ObservationFactory(case=p.case)
    wf.conclusion_record(actor=p.af, case=p.case, outcome="twijfel_bevestiging",
                         argumentation="Meerdere signalen.")
    task.refresh_from_db()
    assert task.met_at is not None and not task.is_overridden
    assert _actions(task) == ["task.created", "task.overridden", "task.deadline_met"]


def test_a_deadline_met_by_its_record_needs_no_reason(personas):
    p = personas
    task = _phase1_task(p)
    ObservationFactory(case=p.case)
    wf.conclusion_record(actor=p.af, case=p.case, outcome="twijfel_bevestiging",
                         argumentation="Meerdere signalen.")
    task.refresh_from_db()
    assert task.auto_completed and task.met_at is not None and not task.override_reason


def test_reopening_an_overridden_task_clears_the_override(client, personas):
    task = _phase1_task(personas)
    client.force_login(personas.af)
    client.post(reverse("task_complete", args=[task.pk]), {"reden": "Vergissing"})
    client.post(reverse("task_reopen", args=[task.pk]))
    task.refresh_from_db()
    assert task.is_open and not task.override_reason


def test_every_record_deadline_is_a_task_kind_completed_by_some_rule():
    completed = {kind for rule in RULES.values() for c in rule.complete
                 for kind in (c.kinds or ())}
    phase_bound = {TaskKind.PHASE1_LIMIT, TaskKind.PHASE_LIMIT, TaskKind.WEIGH_OBSERVATIONS,
                   TaskKind.CONSULTATION_LIMIT}
    for kind in RECORD_DEADLINES:
        assert kind in TaskKind.values
        assert kind in completed or kind in phase_bound, kind

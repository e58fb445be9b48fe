"""The Taken page, task actions, the case panel, dashboard/nav counts, policy page, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import CaseUserObjectPermission, DeadlinePolicy, Phase, Task, TaskKind
from cases.services.tasks import task_complete, task_reassign
from meldcode.models import Role
from tests.factories import CaseFactory, StudentFactory, TaskFactory, member


def today():
    return timezone.localdate()


def _task(case, owner, *, days=0, kind=TaskKind.PHASE1_LIMIT, **kw):
    return TaskFactory(case=case, owner=owner, due_on=today() + timedelta(days=days), kind=kind,
                       title=TaskKind(kind).label, **kw)


def _tasks_on_page(response):
    groups = response.context["groups"]
    return [t for key in ("overdue", "week", "later") for t in groups[key]]


# --- The Taken page --------------------------------------------------------------------


def test_taken_page_shows_only_own_tasks_grouped(client, personas):
    p = personas
    overdue = _task(p.case, p.af, days=-3)
    due_today = _task(p.case, p.af, kind=TaskKind.REVIEW)
    later = _task(p.case, p.af, days=40, kind=TaskKind.FOLLOW_PERIOD)
    _task(p.case, p.directie, days=-1)  # someone else's
    client.force_login(p.af)
    response = client.get(reverse("task_list"))
    groups = response.context["groups"]
    assert groups["overdue"] == [overdue]
    assert groups["week"] == [due_today]
    assert groups["later"] == [later]
    html = response.content.decode()
    assert "Noah Jansen" in html
    assert reverse("case_detail", args=[p.case.pk]) in html
    assert "verlopen" in html


def test_task_of_a_case_no_longer_visible_is_hidden(client, personas):
    p = personas
    teacher = p.teacher_not_on_case
    CaseUserObjectPermission.objects.filter(content_object=p.case).delete()
    task = _task(p.case, teacher, days=-1, kind=TaskKind.TEACHER_WATCH)
    client.force_login(teacher)
    assert _tasks_on_page(client.get(reverse("task_list"))) == []
    assert client.post(reverse("task_complete", args=[task.pk])).status_code == 404
    assert client.get(reverse("dashboard")).context["overdue_tasks"] == 0


def test_complete_and_reopen_from_the_page(client, personas):
    p = personas
    task = _task(p.case, p.teacher_on_case, kind=TaskKind.TEACHER_WATCH)
    client.force_login(p.teacher_on_case)
    response = client.post(reverse("task_complete", args=[task.pk]), follow=True)
    assert "De taak is afgerond." in response.content.decode()
    task.refresh_from_db()
    assert task.completed_by == p.teacher_on_case and not task.auto_completed
    assert response.context["recently_done"] == [task]
    again = client.post(reverse("task_complete", args=[task.pk]), follow=True)
    assert "al afgerond" in again.content.decode()
    client.post(reverse("task_reopen", args=[task.pk]))
    task.refresh_from_db()
    assert task.is_open and task.completed_by is None
    actions = list(AuditEvent.objects.filter(subject_id=str(task.pk))
                   .values_list("action", flat=True).order_by("occurred_at", "id"))
    assert actions == ["task.completed", "task.reopened"]


def test_complete_redirects_back_to_a_safe_next(client, personas):
    p = personas
    task = _task(p.case, p.af)
    client.force_login(p.af)
    case_url = reverse("case_detail", args=[p.case.pk])
    response = client.post(reverse("task_complete", args=[task.pk]), {"next": case_url})
    assert response["Location"] == case_url
    task2 = _task(p.case, p.af, kind=TaskKind.REVIEW)
    response = client.post(reverse("task_complete", args=[task2.pk]),
                           {"next": "https://evil.example/"})
    assert response["Location"] == reverse("task_list")


def test_get_on_actions_is_refused(client, personas):
    p = personas
    task = _task(p.case, p.af)
    client.force_login(p.af)
    for name in ("task_complete", "task_reopen", "task_reassign"):
        assert client.get(reverse(name, args=[task.pk])).status_code == 405


def test_completing_a_shared_task_completes_the_copies_of_other_afs(personas):
    p = personas
    second_af = member(Role.AANDACHTSFUNCTIONARIS, p.school, username="ib2")
    case_event("phase.entered", case=p.case, phase=Phase.SIGNALEREN)
    mine = Task.objects.get(owner=p.af)
    task_complete(actor=p.af, task=mine, reason="Besproken in het zorgteam")
    theirs = Task.objects.get(owner=second_af)
    assert not theirs.is_open and theirs.completion_reason == "colleague"
    assert theirs.is_overridden


def test_teacher_watch_is_personal(personas):
    p = personas
    colleague = member(Role.LEERKRACHT, p.school, username="meester")
    mine = _task(p.case, p.teacher_on_case, kind=TaskKind.TEACHER_WATCH)
    theirs = _task(p.case, colleague, kind=TaskKind.TEACHER_WATCH)
    task_complete(actor=p.teacher_on_case, task=mine)
    theirs.refresh_from_db()
    assert theirs.is_open


def test_af_school_tab_shows_all_open_tasks_of_the_school(client, personas):
    p = personas
    mine = _task(p.case, p.af)
    teachers = _task(p.case, p.teacher_on_case, kind=TaskKind.TEACHER_WATCH)
    done = _task(p.case, p.directie, kind=TaskKind.REVIEW, completed_at=timezone.now())
    other_case = CaseFactory(student=StudentFactory(school=p.other_school))
    elsewhere = _task(other_case, p.af_other_school)
    client.force_login(p.af)
    response = client.get(reverse("task_list") + "?weergave=school")
    shown = _tasks_on_page(response)
    assert set(shown) == {mine, teachers}
    assert done not in shown and elsewhere not in shown
    assert 'aria-current="page"' in response.content.decode()
    # A teacher asking for the school tab still sees only their own tasks.
    client.force_login(p.teacher_on_case)
    response = client.get(reverse("task_list") + "?weergave=school")
    assert _tasks_on_page(response) == [teachers]
    assert "Alle open taken van de school" not in response.content.decode()


def test_reassign_to_team_member_only(client, personas):
    p = personas
    task = _task(p.case, p.af)
    client.force_login(p.af)
    response = client.post(reverse("task_reassign", args=[task.pk]),
                           {"owner": p.teacher_not_on_case.pk}, follow=True)
    assert "Kies iemand uit het casusteam." in response.content.decode()
    client.post(reverse("task_reassign", args=[task.pk]), {"owner": p.teacher_on_case.pk})
    task.refresh_from_db()
    assert task.owner == p.teacher_on_case
    event = AuditEvent.objects.get(action="task.reassigned")
    assert event.data == {"kind": task.kind, "from": p.af.pk, "to": p.teacher_on_case.pk}
    with pytest.raises(DomainError):
        task_reassign(actor=p.af, task=task, owner=p.teacher_on_case)


def test_case_page_shows_open_tasks_panel(client, personas):
    p = personas
    _task(p.case, p.af, days=-2)
    _task(p.case, p.directie, kind=TaskKind.REVIEW, completed_at=timezone.now())
    client.force_login(p.teacher_on_case)
    html = client.get(reverse("case_detail", args=[p.case.pk])).content.decode()
    assert "Open taken en termijnen" in html
    assert str(TaskKind.PHASE1_LIMIT.label) in html
    assert str(TaskKind.REVIEW.label) not in html
    assert reverse("task_reassign", args=[Task.objects.filter(completed_at=None).get().pk]) \
        not in html  # teachers do not reassign
    client.force_login(p.af)
    html = client.get(reverse("case_detail", args=[p.case.pk])).content.decode()
    assert "Toewijzen" in html
    # The select offers the team by user id and name, and the choice goes through.
    assert f'<option value="{p.directie.pk}"' in html
    task = Task.objects.filter(completed_at=None).get()
    client.post(reverse("task_reassign", args=[task.pk]), {"owner": p.directie.pk})
    task.refresh_from_db()
    assert task.owner == p.directie


# --- Query counts ----------------------------------------------------------------------


def _many_tasks(school, owner, cases, per_case):
    teacher = member(Role.LEERKRACHT, school)
    rows = []
    for _i in range(cases):
        case = CaseFactory(student=StudentFactory(school=school), opened_by=teacher)
        for k, kind in enumerate(list(TaskKind)[:per_case]):
            rows.append(Task(case=case, kind=kind, title=kind.label, owner=owner,
                             due_on=today() + timedelta(days=k * 5 - 7),
                             source_event="phase.entered"))
    Task.objects.bulk_create(rows)


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_taken_page_query_count_does_not_grow_with_tasks(client, personas,
                                                         django_assert_max_num_queries):
    p = personas
    _many_tasks(p.school, p.af, cases=2, per_case=3)
    client.force_login(p.af)
    small = _count(client, reverse("task_list"))
    small_school = _count(client, reverse("task_list") + "?weergave=school")
    _many_tasks(p.school, p.af, cases=60, per_case=6)
    assert Task.objects.count() > 300
    with django_assert_max_num_queries(small):
        response = client.get(reverse("task_list"))
    assert response.context["total"] > 300
    assert _count(client, reverse("task_list") + "?weergave=school") == small_school
    assert small <= 12


# --- Dashboard and navigation ----------------------------------------------------------


def test_dashboard_shows_overdue_count_and_nav_badge(client, personas):
    p = personas
    _task(p.case, p.af, days=-1)
    _task(p.case, p.af, days=-10, kind=TaskKind.REVIEW)
    _task(p.case, p.af, kind=TaskKind.FOLLOW_PERIOD)  # due today: badge, not overdue
    _task(p.case, p.af, days=3, kind=TaskKind.ZORGTEAM_AGAIN)
    client.force_login(p.af)
    response = client.get(reverse("dashboard"))
    assert response.context["overdue_tasks"] == 2
    assert response.context["nav"]["tasks_due"] == 3
    html = response.content.decode()
    assert "2 verlopen taken" in html
    assert "3 taken te doen" in html


def test_nav_has_no_tasks_link_for_board_roles(client, personas):
    client.force_login(personas.beheerder)
    response = client.get(reverse("dashboard"))
    assert response.context["nav"]["has_tasks"] is False
    assert reverse("task_list") not in response.content.decode()
    assert response.context["can_set_deadlines"] is True


# --- Deadline policy page --------------------------------------------------------------


def _policy_data(**overrides):
    data = {"phase1_months": 1, "review_months": 2, "weigh_months": 1,
            "vt_decision_working_days": 5, "follow_months": 6, "teacher_watch_months": 4,
            "zorgteam_again_months": 6, "departure_working_days": 5}
    data.update(overrides)
    return data


def test_beheerder_sets_the_board_policy(client, personas):
    p = personas
    board = p.school.board
    url = reverse("deadline_policy_edit", args=[board.pk])
    client.force_login(p.beheerder)
    assert client.get(reverse("deadline_policy_index"))["Location"] == url
    response = client.post(url, _policy_data(follow_months=3, review_months=7))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="3"' in html  # the input is kept
    assert "field__error" in html
    assert not DeadlinePolicy.objects.exists()
    client.post(url, _policy_data(follow_months=12))
    assert DeadlinePolicy.objects.get(board=board).follow_months == 12
    assert AuditEvent.objects.get(action="deadline_policy.updated").data == {"follow_months": 12}
    case_event("monitoring.started", case=p.case, started_on=today())
    follow = Task.objects.get(kind=TaskKind.FOLLOW_PERIOD)
    assert follow.due_on.year * 12 + follow.due_on.month == \
        today().year * 12 + today().month + 12


# --- Reminders -------------------------------------------------------------------------


def test_send_reminders_mails_one_digest_per_owner_once_a_day(personas, mailoutbox):
    p = personas
    overdue = _task(p.case, p.af, days=-2)
    due = _task(p.case, p.af, kind=TaskKind.REVIEW)
    _task(p.case, p.af, days=5, kind=TaskKind.FOLLOW_PERIOD)  # not yet due
    _task(p.case, p.af, days=-1, kind=TaskKind.VT_DECISION, completed_at=timezone.now())
    _task(p.case, p.teacher_on_case, days=-1, kind=TaskKind.TEACHER_WATCH)
    call_command("send_reminders")
    assert sorted(m.to[0] for m in mailoutbox) == sorted([p.af.email,
                                                          p.teacher_on_case.email])
    af_mail = next(m for m in mailoutbox if m.to == [p.af.email])
    assert "2 taken" in af_mail.subject
    assert p.case.reference in af_mail.body
    assert "/taken/" in af_mail.body
    assert str(TaskKind.PHASE1_LIMIT.label) in af_mail.body
    assert str(TaskKind.FOLLOW_PERIOD.label) not in af_mail.body
    for message in mailoutbox:
        text = message.subject + message.body
        assert "Noah" not in text and "Jansen" not in text
        assert p.case.student.pupil_number not in text
    for task in (overdue, due):
        task.refresh_from_db()
        assert task.last_reminded_on == today()
    events = AuditEvent.objects.filter(action="task.reminders_sent")
    assert events.count() == 2
    assert events.get(subject_id=str(p.af.pk)).data == {"tasks": 2, "overdue": 1}

    call_command("send_reminders")
    assert len(mailoutbox) == 2
    assert AuditEvent.objects.filter(action="task.reminders_sent").count() == 2


def test_send_reminders_skips_cases_the_owner_no_longer_sees(personas, mailoutbox):
    p = personas
    _task(p.case, p.teacher_not_on_case, days=-1, kind=TaskKind.TEACHER_WATCH)
    call_command("send_reminders")
    assert mailoutbox == []
    mail.outbox.clear()

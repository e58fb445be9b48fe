"""The teacher's day: hearing back without content, Berichten and Taken a page at a time."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cases.models import Notification, Phase, Task, TaskKind
from tests.factories import TaskFactory, walk_to


def _told(teacher):
    return list(Notification.objects.filter(
        recipient=teacher, kind__in=[Notification.Kind.CONCERN_TAKEN_UP,
                                     Notification.Kind.CONCERN_CLOSED])
        .order_by("created_at").values_list("kind", flat=True))


def test_the_reporting_teacher_hears_once_that_the_concern_was_taken_up(personas):
    p = personas
    walk_to(p.case, Phase.CONSULTATIE, actor=p.af)
    assert _told(p.teacher_on_case) == [Notification.Kind.CONCERN_TAKEN_UP]
    walk_to(p.case, Phase.GESPREK, actor=p.af)
    # Later steps are the team's business: no message per phase.
    assert _told(p.teacher_on_case) == [Notification.Kind.CONCERN_TAKEN_UP]
    assert _told(p.teacher_not_on_case) == []
    assert _told(p.af) == []


def test_the_reporting_teacher_hears_when_the_case_closes(personas):
    p = personas
    walk_to(p.case, Phase.GESLOTEN, actor=p.af)
    assert _told(p.teacher_on_case) == [Notification.Kind.CONCERN_TAKEN_UP,
                                        Notification.Kind.CONCERN_CLOSED]


def test_the_messages_carry_no_content(client, personas, django_capture_on_commit_callbacks):
    p = personas
    mail.outbox.clear()
    with_mail = p.teacher_on_case
    with django_capture_on_commit_callbacks(execute=True):
        walk_to(p.case, Phase.CONSULTATIE, actor=p.af)
    sent = [m for m in mail.outbox if with_mail.email in m.to]
    assert sent
    for message in sent:
        text = message.subject + message.body
        for secret in ("Noah", "Jansen", "signaler", "consultatie", "twijfel"):
            assert secret.lower() not in text.lower()
    client.force_login(with_mail)
    html = client.get(reverse("notification_list")).content.decode()
    assert "De aandachtsfunctionaris heeft uw zorg opgepakt" in html
    assert "Consultatie" not in html and "Noah" not in html


def test_berichten_come_a_page_at_a_time_newest_first(client, personas,
                                                      django_assert_max_num_queries):
    p = personas
    now = timezone.now()
    Notification.objects.bulk_create(
        Notification(recipient=p.af, kind=Notification.Kind.CASE_OPENED, case=p.case,
                     created_at=now - timedelta(minutes=i)) for i in range(130))
    client.force_login(p.af)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("notification_list"))
    shown = first.context["notifications"]
    assert len(shown) == 50
    assert shown[0].created_at == max(n.created_at for n in shown)
    assert 'rel="next"' in first.content.decode()
    last = client.get(reverse("notification_list"), {"pagina": 3})
    assert len(last.context["notifications"]) == 30
    # Seeing a page marks only that page read.
    assert Notification.objects.filter(recipient=p.af, read_at__isnull=True).count() == 50


def test_the_school_task_list_is_paginated_and_bounded(client, personas,
                                                       django_assert_max_num_queries):
    p = personas
    today = timezone.localdate()
    Task.objects.bulk_create(
        Task(case=p.case, kind=TaskKind.PLAN_ITEM, title=f"Actiepunt {i}",
             due_on=today + timedelta(days=i - 20), owner=p.teacher_on_case,
             source_event="plan.item_added") for i in range(180))
    TaskFactory(case=p.case, owner=p.af)
    client.force_login(p.af)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("task_list"), {"weergave": "school"})
    assert response.context["total"] == 181
    on_page = [t for tasks in response.context["groups"].values() for t in tasks]
    assert len(on_page) == 50
    assert on_page == sorted(on_page, key=lambda t: (t.due_on, t.created_at, t.pk))
    html = response.content.decode()
    assert "weergave=school&amp;pagina=2" in html
    with django_assert_max_num_queries(14):
        page4 = client.get(reverse("task_list"), {"weergave": "school", "pagina": 4})
    assert sum(len(t) for t in page4.context["groups"].values()) == 31

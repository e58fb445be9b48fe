"""The header's badges (meldcode/context_processors.py): right counts, in one query, once
per request."""

from datetime import timedelta

from django.test import RequestFactory
from django.utils import timezone

from cases.models import Notification
from meldcode.context_processors import navigation
from meldcode.models import Role
from tests.factories import CaseFactory, StudentFactory, TaskFactory, member, teach


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_badges_count_unread_notifications_and_own_due_tasks_of_visible_cases(
        personas, django_assert_num_queries):
    teacher = personas.teacher_on_case
    TaskFactory(case=personas.case, owner=teacher)  # due today
    TaskFactory(case=personas.case, owner=teacher, kind="herbeoordeling",
                due_on=timezone.localdate() + timedelta(days=3))  # not due yet
    done = TaskFactory(case=personas.case, owner=teacher, kind="consultatie_termijn")
    done.completed_at = timezone.now()
    done.save()
    # A task on a case the teacher may no longer see does not count.
    other = StudentFactory(school=personas.school)
    teach(other, member(Role.LEERKRACHT, personas.school))
    TaskFactory(case=CaseFactory(student=other), owner=teacher)
    Notification.objects.create(recipient=teacher, kind="team_added")
    Notification.objects.create(recipient=teacher, kind="team_added", read_at=timezone.now())
    Notification.objects.create(recipient=personas.af, kind="team_added")

    request = _request(teacher)
    with django_assert_num_queries(2):  # the roles, then both badges in one statement
        nav = navigation(request)["nav"]
    assert (nav["unread"], nav["tasks_due"], nav["has_tasks"]) == (1, 1, True)
    with django_assert_num_queries(0):  # a second template in the same request
        assert navigation(request)["nav"] is nav


def test_board_roles_get_no_task_badge(personas, django_assert_num_queries):
    Notification.objects.create(recipient=personas.beheerder, kind="role_confirmation")
    with django_assert_num_queries(2):
        nav = navigation(_request(personas.beheerder))["nav"]
    assert (nav["unread"], nav["tasks_due"], nav["has_tasks"]) == (1, 0, False)

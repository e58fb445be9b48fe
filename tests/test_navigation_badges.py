"""The header's badges (meldcode/context_processors.py): right counts, in one query, once
per request."""

from datetime import timedelta
from unittest import mock

from django.test import RequestFactory
from django.utils import timezone

from cases import permissions
from cases.models import Notification
from meldcode.context_processors import _count_sql, navigation
from meldcode.models import MembershipStatus, Role
from meldcode.permissions import forget_roles
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


def test_the_visible_cases_are_built_once_per_request_and_follow_a_change_of_role(personas):
    """cases/permissions.py builds the need-to-know statement once per user object (the
    badges, the dashboard and the lists all filter it); `forget_roles` drops it with the
    roles it rests on, and a deactivated user sees nothing at once."""
    af = personas.af
    with mock.patch.object(permissions, "_visible_cases",
                           wraps=permissions._visible_cases) as built:
        first = set(permissions.visible_cases(af).values_list("pk", flat=True))
        assert set(permissions.visible_cases(af).values_list("pk", flat=True)) == first
        assert built.call_count == 1
        assert personas.case.pk in first

        af.memberships.update(status=MembershipStatus.REFUSED)
        assert personas.case.pk in set(permissions.visible_cases(af).values_list("pk",
                                                                                  flat=True))
        forget_roles(af)  # what the beheer services do after a change of memberships
        assert not permissions.visible_cases(af).exists()
        assert built.call_count == 1  # no roles: nothing to build

        af.memberships.update(status=MembershipStatus.CONFIRMED)
        forget_roles(af)
        assert permissions.visible_cases(af).filter(pk=personas.case.pk).exists()
        af.is_active = False
        assert not permissions.visible_cases(af).exists()


def test_a_count_the_orm_knows_to_be_empty_is_zero(personas):
    assert _count_sql(Notification.objects.none()) == ("0", ())

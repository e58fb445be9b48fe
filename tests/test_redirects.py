"""`next` after an action or a login: only a path on this site, else the default page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import TaskKind
from tests.factories import PASSWORD, TaskFactory
from tests.two_factor import app_device, code_for

UNSAFE = [
    "foo",                       # a URL name to redirect(): a 500 after the action was done
    "zaken/",                    # relative: the browser resolves it against the current page
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "javascript:alert(1)",
    " /zaken/",
]


def _task(case, owner, kind=TaskKind.PHASE1_LIMIT):
    return TaskFactory(case=case, owner=owner, due_on=timezone.localdate(), kind=kind,
                       title=TaskKind(kind).label)


@pytest.mark.parametrize("target", UNSAFE)
def test_a_task_action_with_an_unsafe_next_is_done_and_goes_to_the_task_list(
        client, personas, target):
    task = _task(personas.case, personas.af)
    client.force_login(personas.af)
    response = client.post(reverse("task_complete", args=[task.pk]),
                           {"next": target, "reden": "Op papier vastgelegd"})
    assert response.status_code == 302
    assert response["Location"] == reverse("task_list")
    task.refresh_from_db()
    assert not task.is_open


def test_every_task_action_follows_a_local_next(client, personas):
    task = _task(personas.case, personas.af, kind=TaskKind.REVIEW)
    client.force_login(personas.af)
    back = reverse("case_detail", args=[personas.case.pk]) + "?tab=taken"
    for action in ("task_complete", "task_reopen"):
        response = client.post(reverse(action, args=[task.pk]), {"next": back})
        assert response["Location"] == back
    response = client.post(reverse("task_reassign", args=[task.pk]),
                           {"owner": personas.af.pk, "next": "foo"})
    assert response["Location"] == reverse("task_list")


def _login_in_two_steps(client, user, next_value, *, query=""):
    """The password step keeps `next`; the code step completes the login and follows it."""
    device = app_device(user)
    first = client.post(reverse("login") + query,
                        {"username": user.username, "password": PASSWORD, "next": next_value})
    assert first.status_code == 302
    return client.post(reverse("two_factor_verify"), {"code": code_for(device)})


@pytest.mark.parametrize("target", UNSAFE)
def test_login_with_an_unsafe_next_goes_to_the_dashboard(client, personas, target):
    response = _login_in_two_steps(client, personas.af, target, query="?next=x")
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_login_follows_a_local_next_and_the_form_keeps_only_that(client, personas):
    back = reverse("task_list")
    page = client.get(reverse("login"), {"next": "foo"}).content.decode()
    assert 'name="next" value=""' in page
    response = _login_in_two_steps(client, personas.af, back)
    assert response["Location"] == back


def test_logout_with_an_unsafe_next_goes_to_the_login_page(client, personas):
    client.force_login(personas.af)
    response = client.post(reverse("logout"), {"next": "foo"})
    assert response["Location"] == reverse("login")

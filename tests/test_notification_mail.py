"""Notification mail leaves the request as a task, and survives a mail server that is down:
it is tried again later until it goes out (cases/notifications.py)."""

import socket
from datetime import timedelta
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cases import notifications
from cases.models import Notification

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # nothing listens there once the socket is closed


def _worker():
    """The real worker, run once through the queue. It drops the database connection
    between tasks as a long-running process must; here that connection holds the test's
    transaction, so it stays."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)


def _notify(personas, django_capture_on_commit_callbacks):
    personas.af.email = "af@school.example"
    personas.af.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipients=[personas.af], kind=Notification.Kind.TEAM_ADDED,
                             case=personas.case)


def test_in_the_demo_and_the_tests_the_mail_goes_out_at_once(
        personas, django_capture_on_commit_callbacks):
    _notify(personas, django_capture_on_commit_callbacks)
    [message] = mail.outbox
    assert message.to == ["af@school.example"]
    assert personas.case.student.first_name not in message.body


@override_settings(TASKS=DATABASE_TASKS)
def test_a_mail_server_that_is_down_delays_the_mail_but_loses_nothing(
        personas, django_capture_on_commit_callbacks, caplog):
    _notify(personas, django_capture_on_commit_callbacks)  # the request ends here
    assert mail.outbox == [] and DBTaskResult.objects.count() == 1

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
                           EMAIL_HOST="127.0.0.1", EMAIL_PORT=_closed_port(),
                           EMAIL_TIMEOUT=2):
        _worker()
    assert mail.outbox == []
    assert "af@school.example" not in caplog.text
    assert "trying again in 1 minutes" in caplog.text
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["args"][1] == 1  # the second attempt
    assert retry.run_after > timezone.now()

    _worker()  # not due yet: nothing happens
    assert mail.outbox == []

    DBTaskResult.objects.filter(pk=retry.pk).update(
        run_after=timezone.now() - timedelta(seconds=1))
    _worker()  # the mail server is back (locmem)
    [message] = mail.outbox
    assert message.to == ["af@school.example"]
    assert not DBTaskResult.objects.filter(status="READY").exists()


@override_settings(TASKS=DATABASE_TASKS, EMAIL_HOST="127.0.0.1", EMAIL_TIMEOUT=2,
                   EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend")
def test_after_the_last_attempt_the_task_stays_failed_with_its_notifications(personas):
    notification = Notification.objects.create(recipient=personas.af, kind="team_added")
    personas.af.email = "af@school.example"
    personas.af.save(update_fields=["email"])
    last = len(notifications.RETRY_MINUTES)
    with override_settings(EMAIL_PORT=_closed_port()):
        notifications.send_notification_mail.enqueue([str(notification.pk)], last)
        _worker()
    failed = DBTaskResult.objects.get()
    assert failed.status == "FAILED"
    assert failed.args_kwargs["args"][0] == [str(notification.pk)]
    assert failed.exception_class_path.endswith("MailNotSent")


@pytest.mark.parametrize("email", ["", None])
def test_people_without_an_address_get_no_mail_task(personas, email,
                                                    django_capture_on_commit_callbacks):
    personas.af.email = email or ""
    personas.af.save(update_fields=["email"])
    with override_settings(TASKS=DATABASE_TASKS), \
            django_capture_on_commit_callbacks(execute=True):
        notifications.notify(recipients=[personas.af], kind=Notification.Kind.TEAM_ADDED)
        assert not DBTaskResult.objects.exists()

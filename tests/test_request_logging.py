"""A refused or missing page logs one line: method, path, status and user id, no names.

A 403 is routine here (the permission policy answers it in scope); a traceback for each
would bury the log. Server errors keep their traceback."""

import logging
from unittest import mock

from django.urls import reverse

from tests.two_factor import TwoFactorClient


def _request_records(caplog):
    return [r for r in caplog.records if r.name == "django.request"]


def test_a_403_logs_one_line_without_a_traceback(client, personas, caplog):
    teacher = personas.teacher_on_case
    client.force_login(teacher)
    url = reverse("beheer_index")
    with caplog.at_level(logging.INFO):
        assert client.get(url).status_code == 403
    [record] = _request_records(caplog)
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == f"403 GET {url} user={teacher.pk}"
    assert "\n" not in logging.Formatter().format(record)
    assert "Traceback" not in caplog.text
    assert teacher.username not in caplog.text and teacher.last_name not in caplog.text


def test_a_404_logs_the_same_line_and_no_query_string(client, personas, caplog):
    client.force_login(personas.af)
    url = reverse("case_detail", args=[personas.other_school.pk])
    with caplog.at_level(logging.INFO):
        assert client.get(url, {"q": "Noah Jansen"}).status_code == 404
    [record] = _request_records(caplog)
    assert record.getMessage() == f"404 GET {url} user={personas.af.pk}"
    assert "Noah" not in caplog.text


def test_a_refused_anonymous_post_names_no_user(client, db, caplog):
    with caplog.at_level(logging.INFO):
        assert client.post("/bestaat-niet/%0A").status_code == 404
    [record] = _request_records(caplog)
    # The path is escaped, so a request cannot forge a second log line.
    assert record.getMessage() == "404 POST /bestaat-niet/\\n user=-"


def test_a_server_error_keeps_its_traceback(personas, caplog):
    client = TwoFactorClient(raise_request_exception=False)
    client.force_login(personas.af)
    with (mock.patch("meldcode.views.dashboard.selectors.my_cases",
                     side_effect=RuntimeError("kapot")),
          caplog.at_level(logging.INFO)):
        assert client.get(reverse("dashboard")).status_code == 500
    [record] = _request_records(caplog)
    assert record.levelno == logging.ERROR and record.exc_info is not None


"""Logs: one line per request (request id, user id, method, path, status, duration), an
optional JSON format, the request id on the 500 page, and never personal data."""

import json
import logging
import re
from unittest import mock

import pytest
from django.contrib.auth.decorators import login_not_required
from django.core.management import call_command
from django.urls import path, reverse

from cases.models import Case, Student
from meldcode.logging import JsonFormatter, TextFormatter, build_logging, mask_personal_data
from meldcode.models import User
from meldcode.urls import urlpatterns as site_urlpatterns
from tests.log_capture import PINNED, every_log_line, personal_data_in
from tests.observation_data import observation_post
from tests.two_factor import login_with_code


@login_not_required
def _broken_view(request):
    raise RuntimeError("kapot")


# The site's URLs plus one that fails (pytest.mark.urls points here).
urlpatterns = [*site_urlpatterns, path("kapot/", _broken_view, name="broken")]
handler500 = "meldcode.views.errors.server_error"


def test_sql_and_template_context_are_never_logged_at_debug():
    assert PINNED["django.db.backends"] == "INFO" and PINNED["django.template"] == "INFO"


def request_lines(caplog):
    return [r for r in caplog.records if r.name == "meldcode.request"]


# --- The request line ------------------------------------------------------------------


def test_one_line_per_request_with_id_user_path_status_and_duration(client, personas, caplog):
    caplog.set_level(logging.INFO, logger="meldcode.request")
    client.force_login(personas.teacher_on_case)
    response = client.get(reverse("student_search"), {"q": "Noah"})
    [line] = request_lines(caplog)
    assert line.request_id == response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", line.request_id)
    assert line.user_id == personas.teacher_on_case.pk
    assert (line.method, line.path, line.status) == ("GET", "/leerlingen/", 200)
    assert isinstance(line.duration_ms, int)
    message = line.getMessage()
    assert "Noah" not in message and "q=" not in message
    assert f"user={personas.teacher_on_case.pk}" in message


def test_djangos_line_for_an_error_response_carries_the_request_id(client, db, caplog):
    # A view that returns an error status (no exception) is logged by Django after the
    # middleware has finished: the id comes from the request attached to the record.
    with mock.patch("meldcode.views.health.health_problem", return_value="database"):
        response = client.get(reverse("health"))
    assert response.status_code == 503
    [record] = [r for r in caplog.records if r.name == "django.request"]
    line = TextFormatter().format(record)
    assert f"[{response['X-Request-ID']}]" in line and "Service Unavailable" in line
    assert json.loads(JsonFormatter().format(record))["request_id"] == response["X-Request-ID"]


def test_anonymous_request_has_no_user(client, caplog):
    caplog.set_level(logging.INFO, logger="meldcode.request")
    client.get(reverse("login"))
    [line] = request_lines(caplog)
    assert line.user_id is None and line.status == 200


def test_a_safe_request_id_from_the_proxy_is_kept(client, db):
    response = client.get(reverse("login"), headers={"X-Request-ID": "lb-4f2a9c01"})
    assert response["X-Request-ID"] == "lb-4f2a9c01"


@pytest.mark.parametrize("incoming", ["Noah Jansen", "<script>", "x" * 100, "kort"])
def test_an_unsafe_request_id_is_replaced(client, db, incoming):
    response = client.get(reverse("login"), headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_password_link_token_is_not_logged(client, db, caplog):
    caplog.set_level(logging.INFO, logger="meldcode.request")
    client.get(reverse("password_reset_confirm", args=["MQ", "geheim-token-123"]))
    [line] = request_lines(caplog)
    assert "geheim-token-123" not in line.getMessage() and "MQ" not in line.path
    assert line.path == "/wachtwoord/instellen/***/***/"


def test_json_format_has_the_fields():
    record = logging.LogRecord("meldcode.request", logging.INFO, __file__, 1,
                               "%(method)s %(path)s",
                               ({"method": "GET", "path": "/casussen/"},), None)
    record.__dict__.update({"method": "GET", "path": "/casussen/", "status": 200,
                            "duration_ms": 4, "user_id": 7, "request_id": "abc"})
    entry = json.loads(JsonFormatter().format(record))
    assert entry["request_id"] == "abc" and entry["user_id"] == 7
    assert entry["status"] == 200 and entry["path"] == "/casussen/"
    assert entry["message"] == "GET /casussen/" and entry["level"] == "INFO"


def test_log_format_is_validated():
    assert build_logging(log_format="json")["handlers"]["console"]["formatter"] == "json"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        build_logging(log_format="xml")


def test_email_addresses_are_masked_in_every_line():
    assert mask_personal_data("refused: {'ouder@example.nl': (550, b'no')}") == (
        "refused: {'[e-mail]': (550, b'no')}")


# --- The 500 page ----------------------------------------------------------------------


@pytest.mark.urls("tests.test_request_logs")
def test_500_page_shows_the_request_id_without_the_database(client, db, caplog,
                                                            django_assert_num_queries):
    client.raise_request_exception = False
    caplog.set_level(logging.INFO)
    with django_assert_num_queries(0):
        response = client.get("/kapot/")
    assert response.status_code == 500
    request_id = response["X-Request-ID"]
    html = response.content.decode()
    assert "Er ging iets mis" in html and request_id in html
    assert 'lang="nl"' in html and "site-header" in html
    # The traceback in the log carries the same id, so a beheerder finds it.
    error = next(r for r in caplog.records if r.name == "django.request")
    assert error.exc_info and error.request_id == request_id
    assert "kapot" in TextFormatter().format(error) and request_id in TextFormatter().format(
        error)


# --- No personal data in any log line ---------------------------------------------------

TYPED = {
    "situation": "Tijdens het buitenspelen huilde het kind ontroostbaar",
    "statement": "Papa wordt heel boos als ik mors",
    "free_signals": "Draagt dezelfde kleren als gisteren",
    "worknote": "Navragen bij de gymdocent hoe het ging",
    "argumentation": "Signalen stapelen zich op volgens de leerkracht",
    "search": None,  # the pupil's first name, filled in below
}


def _log_in(client, username):
    client.logout()
    # Both steps, the password and the app's code, through the real forms.
    response = login_with_code(client, username, "meldcode-demo")
    assert response.status_code == 302


def test_the_journeys_write_no_name_address_or_dossier_text(client, db):
    """The flows of the browser journeys, through the test client, on the demo data."""
    call_command("seed_demo", verbosity=0)
    teacher = User.objects.get(username="leerkracht")
    student = (Student.objects.filter(placements__group__teachers=teacher, cases__isnull=True)
               .first())
    typed = {**TYPED, "search": student.first_name}

    with every_log_line() as output:
        _log_in(client, "leerkracht")
        client.get(reverse("student_search"), {"q": typed["search"]})
        response = client.post(reverse("case_open", args=[student.pk]), follow=True)
        case = Case.objects.get(student=student)
        # A wrong form first (nothing typed is lost, nothing typed is logged), then the real one.
        client.post(reverse("observation_new", args=[case.pk]), observation_post(
            action="vastleggen", situation=typed["situation"], place=""))
        response = client.post(reverse("observation_new", args=[case.pk]), observation_post(
            action="vastleggen", situation=typed["situation"], free_signals=typed["free_signals"],
            statements=[("feit", typed["statement"])]))
        assert response.status_code == 302
        client.get(response["Location"])
        client.post(reverse("worknote_add", kwargs={"case_id": case.pk}),
                    {"text": typed["worknote"]})
        client.get(reverse("case_detail", args=[case.pk]))

        _log_in(client, "af")
        client.get(reverse("case_detail", args=[case.pk]))
        response = client.post(reverse("case_workflow_action", args=[case.pk, "conclude_doubt"]),
                               {"argumentation": typed["argumentation"]})
        assert response.status_code == 302
        client.get(reverse("case_chronology", args=[case.pk]))
        client.get(reverse("case_list"), {"q": student.last_name})
        case.refresh_from_db()
        assert case.phase == "consultatie"

    output = output()
    assert "meldcode.request" in output and "/casussen/" in output  # it did capture
    leaks = personal_data_in(output, [*typed.values(), "meldcode-demo"])
    assert not leaks, f"personal data in the log: {leaks}"

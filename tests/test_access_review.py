"""The bestuur's review of the access log, the nightly unusual-access check, and the
parents' overview of who looked at their child's file."""

from datetime import datetime, time, timedelta
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessLog, AuditEvent, UnusualAccessReport
from audit.services import access_log
from audit.services.chain import bulk_append
from cases.models import Case
from meldcode.models import Role
from meldcode.workdays import local_today
from tests.factories import SchoolFactory, StudentFactory, member


def _read(user, case, *, day=None, what="case.detail"):
    entry = access_log(user=user, what=what, case=case)
    return entry


def test_the_bestuur_sees_its_own_board_only(client, personas, elsewhere):
    other_case_school = elsewhere["school"]
    _read(personas.af, personas.case)
    AccessLog.objects.create(user=elsewhere["teacher"], what="case.detail",
                             school=other_case_school)
    client.force_login(personas.bestuur)
    response = client.get(reverse("access_log_search"))
    rows = response.context["page"].rows
    assert [r.user for r in rows] == [personas.af]
    # The review itself is logged.
    assert AccessLog.objects.filter(user=personas.bestuur, what="access_log.search").exists()


def test_search_by_person_kind_and_period(client, personas):
    _read(personas.af, personas.case)
    _read(personas.directie, personas.case)
    client.force_login(personas.bestuur)
    today = local_today().isoformat()
    response = client.get(reverse("access_log_search"),
                          {"persoon": personas.directie.pk, "soort": "read", "van": today,
                           "tot": today})
    assert [r.user for r in response.context["page"].rows] == [personas.directie]
    response = client.get(reverse("access_log_search"), {"van": "2000-01-01",
                                                         "tot": "2000-01-02"})
    assert response.context["page"].rows == []


def test_a_person_is_found_by_name_or_user_name_without_listing_the_whole_board(
        client, personas):
    """A board of 50 schools has about a thousand people: the search takes a name instead of
    sending every one of them as a choice with each page."""
    _read(personas.af, personas.case)
    _read(personas.directie, personas.case)
    client.force_login(personas.bestuur)
    url = reverse("access_log_search")
    response = client.get(url)
    assert '<select name="persoon"' not in response.content.decode()
    assert '<input type="text" name="persoon"' in response.content.decode()
    for term in (personas.directie.username.upper(), personas.directie.last_name[1:],
                 f"  {personas.directie.first_name}   {personas.directie.last_name} "):
        response = client.get(url, {"persoon": term})
        assert {r.user for r in response.context["page"].rows} == {personas.directie}, term
    # Someone of another board is not found, and the message says what to do.
    elsewhere = member(Role.AANDACHTSFUNCTIONARIS, SchoolFactory())  # another board
    response = client.get(url, {"persoon": elsewhere.username})
    assert "Niemand van uw bestuur heet zo." in response.content.decode()
    assert response.context["form"].errors["persoon"]


def test_bad_filter_input_gets_a_dutch_message(client, personas):
    client.force_login(personas.bestuur)
    response = client.get(reverse("access_log_search"), {"casus": "abc", "van": "2026-05-01",
                                                         "tot": "2026-04-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Vul een volledig casusnummer in." in html
    assert "De einddatum ligt vóór de begindatum." in html


def test_keyset_pages_walk_the_whole_log_once(client, personas):
    bulk_append([AccessLog(user=personas.af, what="case.detail", case_id=personas.case.pk,
                           school_id=personas.school.pk) for _ in range(120)])
    client.force_login(personas.bestuur)
    seen, cursor = [], None
    while True:
        response = client.get(reverse("access_log_search"), {"na": cursor} if cursor else {})
        page = response.context["page"]
        seen += [row.pk for row in page.rows if row.what == "case.detail"]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == 120


def test_export_is_a_csv_and_is_audited(client, personas):
    _read(personas.af, personas.case)
    client.force_login(personas.bestuur)
    response = client.get(reverse("access_log_export"), {"soort": "read"})
    assert response["Content-Disposition"].startswith('attachment; filename="inzagelog-')
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("tijd;persoon;gebruikersnaam;rol")
    assert len(lines) == 2 and personas.af.username in lines[1]
    event = AuditEvent.objects.get(action="access_log.exported")
    assert event.actor == personas.bestuur and event.data["kind"] == "read"
    assert event.board_id == personas.school.board_id
    assert AccessLog.objects.filter(user=personas.bestuur, kind="export").exists()


def test_access_log_pages_are_bounded_with_a_large_log(client, personas,
                                                       django_assert_max_num_queries):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (occurred_at, user_id, role, kind, what, case_id, "
            "school_id, board_id, outcome, sequence, hash) SELECT now() - (n || ' s')::interval,"
            " %s, 'aandachtsfunctionaris', 'read', 'case.detail', %s, %s, %s, 'allowed', "
            "1000 + n, '' FROM generate_series(1, 100000) AS n",
            [personas.af.pk, personas.case.pk, personas.school.pk, personas.school.board_id])
    client.force_login(personas.bestuur)
    client.get(reverse("access_log_search"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("access_log_search"))
    cursor = response.context["page"].next_cursor
    with django_assert_max_num_queries(10):
        response = client.get(reverse("access_log_search"),
                              {"na": cursor, "persoon": personas.af.pk})
    assert len(response.context["page"].rows) == 50


# --- Unusual reading -------------------------------------------------------------------


def _opened(user, cases, day, school):
    moment = timezone.make_aware(datetime.combine(day, time(10, 0)))
    bulk_append([AccessLog(user=user, what="case.detail", case_id=case.pk,
                           student_id=case.student_id, school_id=school.pk,
                           occurred_at=moment) for case in cases])


@pytest.fixture
def many_cases(personas):
    students = [StudentFactory(school=personas.school) for _ in range(30)]
    return [Case.objects.create(school=personas.school, student=s,
                                opened_by=personas.teacher_on_case) for s in students]


def test_unusual_reading_is_reported_once_to_the_bestuur(personas, many_cases, mailoutbox,
                                                        django_capture_on_commit_callbacks):
    yesterday = local_today() - timedelta(days=1)
    for back in range(1, 31):
        _opened(personas.af, many_cases[:2], yesterday - timedelta(days=back), personas.school)
        _opened(personas.directie, many_cases[:25], yesterday - timedelta(days=back),
                personas.school)
    _opened(personas.af, many_cases[:25], yesterday, personas.school)  # 25 > 3 × 2
    _opened(personas.directie, many_cases[:25], yesterday, personas.school)  # as usual
    _opened(personas.teacher_on_case, many_cases[:15], yesterday, personas.school)  # < 20
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("report_unusual_access", stdout=StringIO())
    report = UnusualAccessReport.objects.get()
    assert (report.user, report.day, report.cases_opened, report.usual) == (
        personas.af, yesterday, 25, 2.0)
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [personas.bestuur.email]
    assert personas.af.get_full_name() in mail.body
    assert all(case.student.last_name not in mail.body for case in many_cases)
    assert AuditEvent.objects.filter(action="access.unusual_reported").count() == 1


def test_a_newcomer_opening_many_dossiers_is_reported(personas, many_cases, mailoutbox):
    yesterday = local_today() - timedelta(days=1)
    _opened(personas.af, many_cases[:20], yesterday, personas.school)
    call_command("report_unusual_access", "--day", yesterday.isoformat(), stdout=StringIO())
    assert UnusualAccessReport.objects.get().usual == 0


def test_the_bestuur_sees_the_reports_on_the_log_page(client, personas, many_cases):
    yesterday = local_today() - timedelta(days=1)
    _opened(personas.af, many_cases[:21], yesterday, personas.school)
    call_command("report_unusual_access", stdout=StringIO())
    client.force_login(personas.bestuur)
    assert "Opvallende inzage" in client.get(reverse("access_log_search")).content.decode()


# --- Who has looked at my child's file ------------------------------------------------


def _report_url(student, **query):
    from urllib.parse import urlencode

    url = reverse("student_access_report", args=[student.pk])
    return f"{url}?{urlencode(query)}" if query else url


def test_the_af_lists_the_accesses_to_a_pupil(client, personas):
    _read(personas.teacher_on_case, personas.case)
    _read(personas.directie, personas.case, what="case.chronology")
    other = StudentFactory(school=personas.school)
    AccessLog.objects.create(user=personas.af, what="case.detail", student_id=other.pk)
    client.force_login(personas.af)
    response = client.get(_report_url(personas.case.student))
    rows = response.context["rows"]
    assert [row["role"] for row in rows] == ["Leerkracht", "Directie"]
    assert {row["school"] for row in rows} == {personas.school.name}
    html = response.content.decode()
    # The board has not chosen to name staff.
    assert personas.teacher_on_case.last_name not in html
    event = AuditEvent.objects.get(action="student.access_report.produced")
    assert event.data["format"] == "scherm" and event.data["entries"] == 2


def test_names_appear_when_the_board_says_so(client, personas):
    board = personas.school.board
    board.access_report_shows_names = True
    board.save()
    _read(personas.teacher_on_case, personas.case)
    client.force_login(personas.af)
    response = client.get(_report_url(personas.case.student, formaat="csv"))
    body = response.content.decode("utf-8-sig")
    assert body.splitlines()[0] == "datum;tijd;rol;school;wat;naam"
    assert personas.teacher_on_case.get_full_name() in body


def test_the_pdf_is_made_in_memory_and_audited_as_an_export(client, personas, tmp_path,
                                                           settings):
    _read(personas.teacher_on_case, personas.case)
    client.force_login(personas.af)
    response = client.get(_report_url(personas.case.student, formaat="pdf"))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(PdfReader(BytesIO(response.content)).pages[0].extract_text().split())
    assert "1 inzage van" in text
    # One line per inzage: when, the role, the school, what happened (no names: the
    # board's setting).
    assert "Leerkracht · " + personas.school.name + " · ingezien" in text
    assert personas.teacher_on_case.get_full_name() not in text
    event = AuditEvent.objects.get(action="student.access_report.produced")
    assert event.data["format"] == "pdf"
    assert AccessLog.objects.filter(user=personas.af, kind="export",
                                    student_id=personas.case.student_id).exists()


def test_the_period_limits_the_list(client, personas):
    _read(personas.teacher_on_case, personas.case)
    client.force_login(personas.af)
    response = client.get(_report_url(personas.case.student, van="2000-01-01",
                                      tot="2000-12-31"))
    assert response.context["rows"] == []
    response = client.get(_report_url(personas.case.student, van="2026-05-01",
                                      tot="2026-04-01"))
    assert "De einddatum ligt vóór de begindatum." in response.content.decode()


def test_only_the_af_of_the_school_produces_it(client, personas):
    client.force_login(personas.directie)
    assert client.get(_report_url(personas.case.student)).status_code == 403
    other_af = member(Role.AANDACHTSFUNCTIONARIS, SchoolFactory(board=personas.school.board))
    client.force_login(other_af)
    assert client.get(_report_url(personas.case.student)).status_code == 404

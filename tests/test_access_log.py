"""The access log (NEN 7513): one entry per request that touches dossier content, refused
attempts included, written in one insert with no extra reads."""

import pytest
from django.urls import reverse

from audit.models import AccessLog
from tests.factories import CaseFactory, StudentFactory


def _case(p):
    return [p.case.pk]


# (url name, args, persona, expected what, expected kind, is about the case)
PAGES = [
    ("case_detail", _case, "af", "case.detail", "read", True),
    ("case_chronology", _case, "af", "case.chronology", "read", True),
    ("case_chronology_print", _case, "af", "case.chronology.print", "print", True),
    ("case_timeline", _case, "af", "case.timeline", "read", True),
    ("worknote_list", _case, "teacher_on_case", "worknote.list", "read", True),
    ("observation_new", _case, "teacher_on_case", "observation.new", "read", True),
    ("case_list", lambda p: [], "af", "case.list", "list", False),
    ("student_search", lambda p: [], "teacher_on_case", "student.search", "search", False),
    ("task_list", lambda p: [], "af", "task.list", "list", False),
    ("dashboard", lambda p: [], "af", "dashboard", "list", False),
    ("access_log_search", lambda p: [], "bestuur", "access_log.search", "search", False),
]


@pytest.mark.parametrize(("name", "args", "persona", "what", "kind", "about_case"), PAGES,
                         ids=[page[0] for page in PAGES])
def test_every_dossier_page_writes_exactly_one_entry(client, personas, name, args, persona,
                                                     what, kind, about_case):
    user = getattr(personas, persona)
    client.force_login(user)
    client.confirm_recent_auth()  # a print asks for password and code again first
    response = client.get(reverse(name, args=args(personas)), {"q": "Noah"},
                          REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 200
    entry = AccessLog.objects.get()
    assert (entry.what, entry.kind, entry.outcome) == (what, kind, "allowed")
    assert entry.user == user and entry.ip_address == "10.9.8.7"
    assert entry.role
    assert entry.board_id == personas.school.board_id
    assert entry.sequence == 1 and len(entry.hash) == 64
    if about_case:
        assert entry.case_id == personas.case.pk
        assert entry.student_id == personas.case.student_id
        assert entry.school_id == personas.school.pk


def test_one_insert_and_no_reads_of_the_audit_tables(client, personas,
                                                     django_assert_max_num_queries):
    client.force_login(personas.af)
    client.get(reverse("case_detail", args=[personas.case.pk]))  # warm the session
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("case_chronology", args=[personas.case.pk]))
    statements = [q["sql"] for q in captured.captured_queries]
    writes = [s for s in statements if "audit_accesslog" in s]
    assert len(writes) == 1 and "INSERT INTO audit_accesslog" in writes[0]
    assert not [s for s in statements if "audit_chainhead" in s and "UPDATE" not in s]


def test_a_request_that_reads_and_is_then_refused_is_one_refusal(client, personas):
    # The draft belongs to someone else: the case is fetched, the draft is not there.
    client.force_login(personas.af)
    url = reverse("observation_edit", args=[personas.case.pk, personas.case.pk])
    assert client.get(url).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.outcome, entry.case_id) == ("refused", "not_found",
                                                          personas.case.pk)


def test_outside_the_scope_a_404_is_logged_with_the_case(client, personas):
    client.force_login(personas.af_other_school)
    assert client.get(reverse("case_detail", args=[personas.case.pk])).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.what, entry.kind, entry.outcome) == ("case_detail", "refused", "not_found")
    assert entry.case_id == personas.case.pk and entry.student_id == personas.case.student_id
    # The attempt shows in the log of the board whose case it was.
    assert entry.board_id == personas.school.board_id
    assert entry.user == personas.af_other_school and entry.role == "aandachtsfunctionaris"


def test_in_scope_but_not_allowed_a_403_is_logged(client, personas):
    client.force_login(personas.directie)
    response = client.post(reverse("case_team_add", args=[personas.case.pk]),
                           {"member": personas.oka.pk})
    assert response.status_code == 403
    entry = AccessLog.objects.get()
    assert (entry.kind, entry.outcome, entry.case_id) == ("refused", "forbidden",
                                                          personas.case.pk)


def test_a_case_that_does_not_exist_is_logged_by_its_id(client, personas):
    import uuid

    missing = uuid.uuid4()
    client.force_login(personas.teacher_on_case)
    assert client.get(reverse("case_detail", args=[missing])).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.case_id, entry.outcome) == (missing, "not_found")


def test_a_pupil_of_another_school_is_a_logged_refusal(client, personas):
    other = StudentFactory(school=personas.other_school)
    client.force_login(personas.teacher_on_case)
    assert client.post(reverse("case_open", args=[other.pk])).status_code == 404
    entry = AccessLog.objects.get()
    assert (entry.student_id, entry.kind) == (other.pk, "refused")


def test_a_refused_list_page_is_logged(client, personas):
    client.force_login(personas.teacher_on_case)
    assert client.get(reverse("case_list")).status_code == 403
    entry = AccessLog.objects.get()
    assert (entry.what, entry.kind, entry.outcome) == ("case.list", "refused", "forbidden")


def test_creating_is_logged_as_create(client, personas):
    client.force_login(personas.teacher_on_case)
    client.post(reverse("worknote_add", args=[personas.case.pk]), {"text": "Eigen notitie"})
    entry = AccessLog.objects.get()
    assert (entry.what, entry.kind) == ("worknote.add", "create")


def test_a_post_without_a_declared_page_is_logged_as_update(client, personas):
    client.force_login(personas.af)
    client.post(reverse("case_team_add", args=[personas.case.pk]), {"member": personas.oka.pk})
    entry = AccessLog.objects.get()
    assert (entry.what, entry.kind, entry.case_id) == ("case_team_add", "update",
                                                       personas.case.pk)


def test_pages_without_dossier_content_write_nothing(client, personas):
    client.force_login(personas.teacher_on_case)
    client.get(reverse("password_change"))
    client.get(reverse("beheer_index"))  # 403, but not a dossier URL
    client.logout()
    client.get(reverse("case_detail", args=[personas.case.pk]))  # to the login page
    assert not AccessLog.objects.exists()


def test_access_entries_are_chained_per_board(client, personas):
    client.force_login(personas.af)
    for _ in range(3):
        client.get(reverse("case_detail", args=[personas.case.pk]))
    other_case = CaseFactory(student=StudentFactory(school=personas.other_school))
    client.force_login(personas.af_other_school)
    client.get(reverse("case_detail", args=[other_case.pk]))
    sequences = list(AccessLog.objects.order_by("id").values_list("sequence", flat=True))
    assert sequences == [1, 2, 3, 4]  # both schools belong to the same board

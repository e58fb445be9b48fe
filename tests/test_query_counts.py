"""List pages and the case page run a bounded number of queries on a realistic dataset."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from audit.services import audit
from cases.models import Case, CaseUserObjectPermission, Phase, Student
from decisions.models import Report

PHASES = [p.value for p in Phase if p != Phase.GESLOTEN]


@pytest.fixture
def many_cases(personas):
    """250 cases at the persona school, the persona teacher on 60 of them, 30 trail events."""
    students = Student.objects.bulk_create(
        Student(school=personas.school, first_name=f"Kind{i}", last_name="Test",
                date_of_birth=date(2015, 1, 1 + i % 28), pupil_number=f"Q{i}")
        for i in range(250)
    )
    cases = Case.objects.bulk_create(
        Case(school=personas.school, student=s, opened_by=personas.teacher_on_case,
             phase=PHASES[i % len(PHASES)])
        for i, s in enumerate(students)
    )
    perm = Permission.objects.get(content_type__app_label="cases", codename="view_case")
    CaseUserObjectPermission.objects.bulk_create(
        CaseUserObjectPermission(content_object=c, user=personas.teacher_on_case, permission=perm)
        for c in cases[:60]
    )
    for _ in range(30):
        audit("case.team.added", actor=personas.af, subject=personas.case, data={"member": 1})
    return cases


def test_case_list_queries_bounded(client, personas, many_cases, django_assert_max_num_queries):
    client.force_login(personas.af)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("case_list"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 251
    with django_assert_max_num_queries(10):
        client.get(reverse("case_list"), {"phase": "consultatie", "pagina": 2})


def test_case_page_queries_bounded(client, personas, many_cases, django_assert_max_num_queries):
    client.force_login(personas.af)
    # 24 for the page, 1 for where the team members' roles were confirmed (the trail), 1
    # for checking the session's second factor, 1 for the meldingen of the decisions panel,
    # 1 for the phases the case went through (the step bar), 2 for the observations
    # panel's own drafts and the number of observations (it shows the latest only), 1 for
    # the latest records of every kind, 1 for the latest classification (vorm van
    # kindermishandeling) in the summary.
    with django_assert_max_num_queries(32):
        response = client.get(reverse("case_detail", args=[personas.case.pk]))
    assert response.status_code == 200
    # Of the 30-odd events of its trail, the page shows the latest ten (the timeline has
    # them all): what the page costs does not grow with the case's history.
    html = response.content.decode()
    assert html.count('class="trail__item"') == 10
    assert "De laatste 10 gebeurtenissen; de eerdere staan in de tijdlijn." in html


def test_dashboard_queries_bounded(client, personas, many_cases, django_assert_max_num_queries):
    # Directie's list of meldingen waiting for approval is one query, however many.
    for case in many_cases[:20]:
        report = Report.objects.create(case=case, norm="B", drafted_by=personas.af)
        Report.objects.filter(pk=report.pk).update(submitted_at=timezone.now())
    for user in (personas.teacher_on_case, personas.af, personas.directie):
        client.force_login(user)
        # 15 for the page (own drafts, new concerns, deadlines, meldingen waiting,
        # meldplicht cases), 1 insert for the page's access-log entry (it names pupils), 1
        # for checking the session's second factor.
        with django_assert_max_num_queries(17):
            assert client.get(reverse("dashboard")).status_code == 200


def test_student_search_queries_bounded(client, personas, many_cases,
                                        django_assert_max_num_queries):
    client.force_login(personas.teacher_on_case)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("student_search"), {"q": "Test"})
    assert len(response.context["students"]) == 50

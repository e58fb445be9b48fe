"""The pupil page: every case of the pupil, open and closed, with phases and dates, for the
AF and directie; access-logged; bounded in queries."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog
from cases.models import Case, Phase, PhaseTransition, Route
from meldcode.workdays import day_label
from tests.factories import CaseFactory, walk_to


def _url(student):
    return reverse("student_cases", kwargs={"student_id": student.pk})


def test_the_af_sees_every_case_open_and_closed_with_its_phases(client, personas):
    p = personas
    student = p.case.student
    walk_to(p.case, Phase.GESLOTEN, actor=p.af)
    later = CaseFactory(student=student, opened_by=p.teacher_on_case)
    client.force_login(p.af)
    response = client.get(_url(student))
    assert response.status_code == 200
    assert response.context["cases"] == [later, p.case]
    html = response.content.decode()
    assert later.reference in html and p.case.reference in html
    assert "Gesloten" in html and "2. Collegiale consultatie" in html
    closed = Case.objects.get(pk=p.case.pk)
    assert day_label(closed.closed_at) in html
    entry = AccessLog.objects.get(what="student.cases")
    assert entry.user == p.af and entry.student_id == student.pk
    assert entry.role == "aandachtsfunctionaris"


def test_a_meldplicht_case_shows_for_directie_not_for_the_af(client, personas):
    p = personas
    hidden = CaseFactory(student=p.case.student, opened_by=p.teacher_on_case,
                         route=Route.MELDPLICHT)
    client.force_login(p.directie)
    assert hidden in client.get(_url(p.case.student)).context["cases"]
    client.force_login(p.af)
    assert hidden not in client.get(_url(p.case.student)).context["cases"]


def test_the_search_links_the_af_to_the_pupil_page(client, personas):
    client.force_login(personas.af)
    html = client.get(reverse("student_search"), {"q": "Noah"}).content.decode()
    assert f'href="{_url(personas.case.student)}"' in html
    client.force_login(personas.teacher_on_case)
    html = client.get(reverse("student_search"), {"q": "Noah"}).content.decode()
    assert f'href="{_url(personas.case.student)}"' not in html


def test_the_pupil_page_is_bounded(client, personas, django_assert_max_num_queries):
    p = personas
    student = p.case.student
    Case.objects.filter(pk=p.case.pk).update(phase=Phase.GESLOTEN, closed_at=timezone.now())
    now = timezone.now()
    for i in range(12):
        case = Case.objects.create(school=p.school, student=student, opened_by=p.af,
                                   phase=Phase.GESLOTEN, closed_at=now,
                                   opened_at=now - timedelta(days=30 * (i + 1)))
        PhaseTransition.objects.bulk_create(
            PhaseTransition(case=case, action="x", from_phase=Phase.SIGNALEREN,
                            to_phase=Phase.GESLOTEN, recorded_by=p.af, recorded_at=now)
            for _ in range(5))
    client.force_login(p.af)
    with django_assert_max_num_queries(12):
        response = client.get(_url(student))
    assert len(response.context["cases"]) == 13


def test_the_case_page_links_the_af_to_the_pupil_page(client, personas):
    page = reverse("case_detail", kwargs={"case_id": personas.case.pk})
    client.force_login(personas.af)
    assert f'href="{_url(personas.case.student)}"' in client.get(page).content.decode()
    client.force_login(personas.teacher_on_case)
    assert f'href="{_url(personas.case.student)}"' not in client.get(page).content.decode()

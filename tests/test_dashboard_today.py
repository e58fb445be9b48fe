"""The start page opens on what needs the user: new concerns (a disclosure or direct danger
visibly urgent), deadlines due and overdue, meldingen waiting, meldplicht cases, then the
cases by phase. Bounded in queries with 1,000 cases."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from cases.models import (
    AcuteReport,
    Case,
    Notification,
    Phase,
    Route,
    Student,
    Task,
    TaskKind,
)
from decisions.models import Report, ReportSending
from tests.factories import CaseFactory, StudentFactory

PHASES = [p.value for p in Phase if p != Phase.GESLOTEN]


def _notify(user, kind, case, **kw):
    return Notification.objects.create(recipient=user, kind=kind, case=case, **kw)


def _blocks(html):
    """The order in which the page's headings appear."""
    order = ["Nieuwe zorgen en onthullingen", "Termijnen vandaag en verlopen",
             "Meldingen die wachten", "Casussen per fase"]
    return [title for title in sorted(order, key=html.find) if title in html]


def test_the_af_opens_on_new_concerns_then_deadlines_then_meldingen_then_phases(
        client, personas):
    p = personas
    _notify(p.af, Notification.Kind.CASE_OPENED, p.case)
    _notify(p.af, Notification.Kind.DISCLOSURE, p.case, read_at=timezone.now())
    Task.objects.create(case=p.case, kind=TaskKind.PHASE1_LIMIT, title="Conclusie fase 1",
                        due_on=timezone.localdate() - timedelta(days=2), owner=p.af,
                        source_event="phase.entered")
    report = Report.objects.create(case=p.case, norm="B", drafted_by=p.af,
                                   submitted_at=timezone.now())
    client.force_login(p.af)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert _blocks(html) == ["Nieuwe zorgen en onthullingen", "Termijnen vandaag en verlopen",
                             "Meldingen die wachten", "Casussen per fase"]
    concerns = response.context["new_concerns"]
    # The disclosure stays (read or not) and comes first, marked urgent.
    assert [n.kind for n in concerns] == [Notification.Kind.DISCLOSURE,
                                          Notification.Kind.CASE_OPENED]
    assert "attention--urgent" in html and "Noah Jansen" in html
    assert "Conclusie fase 1" in html and "verlopen" in html
    assert report in response.context["waiting_for_directie"]
    assert "op goedkeuring door de directie" in html


def test_a_pupil_is_named_only_for_whom_may_see_the_case(client, personas):
    p = personas
    hidden = CaseFactory(student=StudentFactory(school=p.school, first_name="Geheim"),
                         opened_by=p.teacher_not_on_case)
    # The teacher was told about a case they are not on (e.g. write-only): no name.
    _notify(p.teacher_on_case, Notification.Kind.CASE_EXISTS, hidden)
    client.force_login(p.teacher_on_case)
    response = client.get(reverse("dashboard"))
    html = response.content.decode()
    assert response.context["new_concerns"][0].case_visible is False
    assert "Geheim" not in html and hidden.reference in html


def test_directie_sees_what_to_approve_acute_meldingen_and_meldplicht(client, personas):
    p = personas
    to_approve = Report.objects.create(case=p.case, norm="B", drafted_by=p.af,
                                       submitted_at=timezone.now())
    meldplicht = CaseFactory(student=StudentFactory(school=p.school, first_name="Sara"),
                             opened_by=p.teacher_on_case, route=Route.MELDPLICHT)
    client.force_login(p.directie)
    response = client.get(reverse("dashboard"))
    assert response.context["awaiting_approval"] == [to_approve]
    assert response.context["meldplicht_cases"] == [meldplicht]
    html = response.content.decode()
    assert "Meldingen die wachten op uw goedkeuring" in html
    assert "Meldplicht: een medewerker wordt verdacht" in html
    # The AF does not see meldplicht cases, and does not approve.
    client.force_login(p.af)
    af_page = client.get(reverse("dashboard"))
    assert "meldplicht_cases" not in af_page.context
    assert af_page.context["awaiting_approval"] == []


def test_an_acute_melding_waits_for_directie_to_acknowledge_it(client, personas):
    p = personas
    acute = AcuteReport.objects.create(case=p.case, phase_before=Phase.SIGNALEREN,
                                       called_at=timezone.now(), called_by=p.af,
                                       vt_contact="Mw. de Wit", reason="Direct gevaar",
                                       recorded_by=p.af)
    report = Report.objects.create(case=p.case, norm="A", drafted_by=p.af, acute_report=acute)
    client.force_login(p.directie)
    response = client.get(reverse("dashboard"))
    assert response.context["acute_reports"] == [report]
    html = response.content.decode()
    assert "Acute meldingen: bekrachtiging door de directie" in html
    assert "tag--urgent" in html
    # Acknowledged (approved): off the list.
    Report.objects.filter(pk=report.pk).update(approved_at=timezone.now(),
                                               approved_by=p.directie)
    assert client.get(reverse("dashboard")).context["acute_reports"] == []


def test_a_sent_melding_waits_for_veilig_thuis(client, personas):
    p = personas
    report = Report.objects.create(case=p.case, norm="B", drafted_by=p.af,
                                   submitted_at=timezone.now(), approved_at=timezone.now(),
                                   approved_by=p.directie)
    ReportSending.objects.create(report=report, sent_at=timezone.now(), channel="telefoon",
                                 vt_contact="Mw. de Wit", recorded_by=p.af)
    client.force_login(p.af)
    response = client.get(reverse("dashboard"))
    assert response.context["waiting_for_vt"] == [report]
    assert "wacht op het besluit en de terugkoppeling van Veilig Thuis" in (
        response.content.decode())


def test_dashboards_are_bounded_with_a_thousand_cases(client, personas,
                                                      django_assert_max_num_queries):
    p = personas
    students = Student.objects.bulk_create(
        Student(school=p.school, first_name=f"Kind{i}", last_name="Test",
                date_of_birth=date(2015, 1, 1 + i % 28), pupil_number=f"D{i}")
        for i in range(1000))
    cases = Case.objects.bulk_create(
        Case(school=p.school, student=s, opened_by=p.teacher_on_case,
             phase=PHASES[i % len(PHASES)],
             route=Route.MELDPLICHT if i % 100 == 0 else Route.STAPPENPLAN)
        for i, s in enumerate(students))
    today = timezone.localdate()
    for owner in (p.af, p.directie):
        Task.objects.bulk_create(
            Task(case=c, kind=TaskKind.PLAN_ITEM, title="Actiepunt", owner=owner,
                 due_on=today - timedelta(days=i % 5), source_event="plan.item_added")
            for i, c in enumerate(cases[:300]))
        Notification.objects.bulk_create(
            Notification(recipient=owner, case=c,
                         kind=(Notification.Kind.DISCLOSURE if i % 10 == 0
                               else Notification.Kind.OBSERVATION_SUBMITTED))
            for i, c in enumerate(cases[:400]))
    now = timezone.now()
    reports = Report.objects.bulk_create(
        Report(case=c, norm="B", drafted_by=p.af, submitted_at=now,
               approved_at=now if i % 2 else None, approved_by=p.directie if i % 2 else None)
        for i, c in enumerate(cases[100:160]))
    ReportSending.objects.bulk_create(
        ReportSending(report=r, sent_at=now, channel="telefoon", vt_contact="VT",
                      recorded_by=p.af) for r in reports if r.approved_at)
    for user in (p.teacher_on_case, p.af, p.directie, p.bestuur):
        client.force_login(user)
        # 15 for the page (one or two per block), 1 insert for its access-log entry, 1 for
        # the second factor.
        with django_assert_max_num_queries(17):
            response = client.get(reverse("dashboard"))
        assert response.status_code == 200
    assert len(response.context["meldplicht_cases"]) == 10
    client.force_login(p.af)
    page = client.get(reverse("dashboard"))
    assert len(page.context["new_concerns"]) == 10
    assert all(n.is_urgent for n in page.context["new_concerns"])
    assert page.context["deadlines"].overdue == 240

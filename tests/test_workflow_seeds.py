"""Steps 1-3 as the seeds say them: who took part, what must come first, urgent signals."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import permissions
from cases.errors import DomainError
from cases.models import (
    AbuseClassification,
    Case,
    Consultation,
    DeadlinePolicy,
    Notification,
    Observation,
    Phase,
    Task,
    TaskKind,
)
from cases.selectors.warnings import DISCLOSURE_WARNING, consultation_warnings
from cases.services import cases as services_cases
from cases.services import classification as cls
from cases.services import meldplicht as mp
from cases.services import observations as obs
from cases.services import workflow as wf
from cases.services.cases import case_team, team_candidates
from decisions.services import help as help_services
from meldcode.workdays import add_working_days
from tests.factories import ObservationFactory, walk_to
from tests.observation_data import observation_post

pytestmark = pytest.mark.django_db


def _zorgteam(case, actor, **kw):
    data = {"kind": "zorgteam", "held_on": timezone.localdate(), "advice": "Gesprek voeren"}
    data.update(kw)
    return wf.consultation_record(actor=actor, case=case, **data)


# --- C-4: structured participants, zorgteam before step 3, jeugdarts and OKA -----------


def test_consultation_participants_are_structured(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    # Anonymous: named, a jeugdarts from outside the school would need the parents' consent.
    consultation = _zorgteam(case, personas.af, staff_participants=[personas.af, personas.oka],
                             outsiders=[("Dr. Bakker", "jeugdarts"), ("", "")], anonymous=True)
    assert set(consultation.staff_participants.all()) == {personas.af, personas.oka}
    assert consultation.outsiders == [{"name": "Dr. Bakker", "function": "jeugdarts"}]
    assert consultation_warnings(consultation) == []
    event = AuditEvent.objects.get(action="case.consultation.recorded")
    assert event.data["staff"] == 2 and event.data["outsiders"] == 1


def test_consultation_refuses_staff_of_another_school_and_an_outsider_without_function(
        personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    with pytest.raises(DomainError, match="medewerkers van deze school"):
        _zorgteam(case, personas.af, staff_participants=[personas.af_other_school])
    with pytest.raises(DomainError, match="Kies de functie van Dr. Bakker"):
        _zorgteam(case, personas.af, outsiders=[("Dr. Bakker", "")])
    with pytest.raises(DomainError, match="Vul de deelnemers in"):
        _zorgteam(case, personas.af)
    assert not Consultation.objects.filter(case=case, kind="zorgteam",
                                           recorded_at__gt=case.phase_changed_at).exists()


def test_zorgteam_without_jeugdarts_or_oka_warns(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    consultation = _zorgteam(case, personas.af, staff_participants=[personas.af])
    warnings = consultation_warnings(consultation)
    assert len(warnings) == 2
    assert "geen jeugdarts" in warnings[0] and "geen ouder- en kindadviseur" in warnings[1]
    # An OKA from outside the school counts as well.
    outside_oka = _zorgteam(case, personas.af, outsiders=[("Mw. Yilmaz", "oka"),
                                                          ("Dr. Bakker", "jeugdarts")],
                            anonymous=True)
    assert consultation_warnings(outside_oka) == []


def test_leaving_step_two_with_doubt_needs_the_zorgteam(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    wf.consultation_record(actor=personas.af, case=case, kind="af", participants="AF",
                           held_on=timezone.localdate(), advice="Zorgteam inplannen")
    with pytest.raises(DomainError, match="eerst in het zorgteam"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                             argumentation="Zorg blijft")
    _zorgteam(case, personas.af, staff_participants=[personas.af, personas.oka])
    # 000 fase 2: and the plan van aanpak met taakverdeling, who does what by when.
    with pytest.raises(DomainError, match="plan van aanpak met taakverdeling"):
        wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                             argumentation="Zorg blijft")
    cls.plan_record(actor=personas.af, case=case, items=[
        ("Gesprek met de ouders voorbereiden", personas.oka,
         timezone.localdate() + timedelta(days=7))])
    wf.conclusion_record(actor=personas.af, case=case, outcome="twijfel_bevestiging",
                         argumentation="Zorg blijft")
    case.refresh_from_db()
    assert case.phase == Phase.GESPREK


def test_the_consultation_page_shows_the_warnings(client, personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    client.force_login(personas.af)
    url = reverse("case_workflow_action", args=[case.pk, "record_consultation"])
    response = client.post(url, {"kind": "zorgteam", "staff_participants": [personas.af.pk],
                                 "outsider_1_name": "Dr. Bakker",
                                 "outsider_1_function": "jeugdarts", "anonymous": "on",
                                 "held_on": timezone.localdate().isoformat(),
                                 "advice": "Gesprek"}, follow=True)
    page = response.content.decode()
    assert "geen ouder- en kindadviseur" in page and "geen jeugdarts" not in page


# --- C-5, C-6 --------------------------------------------------------------------------


def test_parents_conversation_without_a_zorgteam_member_warns(personas):
    case = walk_to(personas.case, Phase.GESPREK, actor=personas.af)
    result = wf.conversation_record(
        actor=personas.af, case=case, held_on=timezone.localdate(),
        school_participants=[personas.teacher_on_case, personas.teacher_not_on_case],
        facts_described="f", reaction="r", summary="s")
    assert result.warnings == ["Bij een gesprek met ouders is bij voorkeur een lid van het "
                               "zorgteam (aandachtsfunctionaris, OKA of directie) aanwezig."]
    result = wf.conversation_record(
        actor=personas.af, case=case, held_on=timezone.localdate(),
        school_participants=[personas.teacher_on_case, personas.oka],
        facts_described="f", reaction="r", summary="s")
    assert result.warnings == []


# --- C-2, C-15: texts ------------------------------------------------------------------


@pytest.mark.parametrize(("phase", "text"), [
    (Phase.SIGNALEREN, "U blijft nauwkeurig vastleggen"),
    (Phase.CONSULTATIE, "De leerkracht blijft werken aan de vertrouwensrelatie"),
    (Phase.GESPREK, "De ouders zeggen de signalen niet te herkennen."),
])
def test_no_confirmation_has_the_seed_text_of_its_phase(client, personas, phase, text):
    case = walk_to(personas.case, phase, actor=personas.af)
    client.force_login(personas.af)
    page = client.get(reverse("case_workflow_form",
                              args=[case.pk, "conclude_no_confirmation"])).content.decode()
    assert text in page


def test_the_review_help_follows_the_boards_term(client, personas):
    ObservationFactory(case=personas.case)
    client.force_login(personas.af)
    url = reverse("case_workflow_form", args=[personas.case.pk, "conclude_no_confirmation"])
    assert "Uiterlijk twee maanden vooruit." in client.get(url).content.decode()
    DeadlinePolicy.objects.create(board=personas.school.board, review_months=1)
    assert "Uiterlijk één maand vooruit" in client.get(url).content.decode()


def test_unfounded_in_step_one_says_who_closes(client, personas):
    client.force_login(personas.af)
    page = client.get(reverse("case_workflow_form",
                              args=[personas.case.pk, "conclude_unfounded"])).content.decode()
    assert "de aandachtsfunctionaris of de directie sluit de casus" in page


def test_notifications_are_called_berichten(client, personas):
    client.force_login(personas.af)
    page = client.get(reverse("notification_list")).content.decode()
    assert "<h1>Berichten</h1>" in page and "Meldingen" not in page
    assert (Notification.Kind.CASE_EXISTS.label
            == "Nieuwe zorg gemeld bij een bestaande casus")


# --- Urgent signals ---------------------------------------------------------------------


def test_direct_danger_alerts_af_and_directie_at_once_without_content(
        client, personas, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(personas.teacher_on_case)
    url = reverse("observation_autosave", args=[personas.case.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, observation_post(direct_danger="ja", situation="Vader"))
    assert response.json()["saved"]
    alerts = Notification.objects.filter(kind=Notification.Kind.DIRECT_DANGER)
    assert {n.recipient for n in alerts} == {personas.af, personas.directie}
    assert {personas.af.email, personas.directie.email} <= {a for m in mailoutbox
                                                            for a in m.to}
    assert "Vader" not in "".join(m.subject + m.body for m in mailoutbox)
    client.post(url, observation_post(concept=response.json()["id"], direct_danger="ja"))
    assert alerts.count() == 2  # once per observation, not per save


def test_no_alert_without_direct_danger(client, personas):
    client.force_login(personas.teacher_on_case)
    client.post(reverse("observation_autosave", args=[personas.case.pk]),
                observation_post(direct_danger="nee"))
    assert not Notification.objects.filter(kind=Notification.Kind.DIRECT_DANGER).exists()


def test_112_and_veilig_thuis_are_on_the_form_and_the_case_page(client, personas):
    client.force_login(personas.teacher_on_case)
    text = "Bel bij direct gevaar 112; daarna Veilig Thuis 0800-2000."
    form = client.get(reverse("observation_new", args=[personas.case.pk])).content.decode()
    assert "Is de leerling nu in direct gevaar?" in form and text in form
    case_page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    assert text in case_page


def test_classification_is_a_record_per_revision_and_a_specific_form_is_urgent(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    warnings = cls.classification_record(actor=personas.af, case=case,
                                         abuse_forms=["fysieke_mishandeling"],
                                         specific_forms=[])
    assert warnings == []
    assert not Notification.objects.filter(kind=Notification.Kind.SPECIFIC_FORM).exists()
    warnings = cls.classification_record(actor=personas.directie, case=case,
                                         abuse_forms=["fysieke_mishandeling"],
                                         specific_forms=["vgv"], note="Reis naar familie")
    assert "Ga niet zonder overleg met Veilig Thuis" in warnings[0]
    assert "Verklaring tegen meisjesbesnijdenis" in warnings[1]
    alerts = Notification.objects.filter(kind=Notification.Kind.SPECIFIC_FORM)
    # The directie recorded it: the AF is alerted (the actor is never notified).
    assert {n.recipient for n in alerts} == {personas.af}
    assert AbuseClassification.objects.filter(case=case).count() == 2
    assert AuditEvent.objects.filter(action="case.classification.recorded").count() == 2
    with pytest.raises(DomainError, match="ten minste één vorm"):
        cls.classification_record(actor=personas.af, case=case, abuse_forms=[],
                                  specific_forms=[])
    with pytest.raises(DomainError, match="alleen vormen uit de lijst"):
        cls.classification_record(actor=personas.af, case=case, abuse_forms=["iets"],
                                  specific_forms=[])


def test_the_case_summary_shows_the_latest_classification(client, personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    client.force_login(personas.teacher_on_case)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Vorm van kindermishandeling" in page and "Nog niet vastgelegd" in page
    cls.classification_record(actor=personas.af, case=case, abuse_forms=["fysieke_mishandeling"],
                              specific_forms=[])
    cls.classification_record(actor=personas.af, case=case,
                              abuse_forms=["emotionele_verwaarlozing", "getuige_partnergeweld"],
                              specific_forms=["vgv"])
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    start = page.index('class="case-header"')
    header = page[start:page.index("</header>", start)]
    # The latest revision counts: the earlier vorm is no longer in the summary.
    assert ("Emotionele/psychische verwaarlozing, Getuige van partnergeweld" in header
            and "Fysieke mishandeling" not in header)
    assert "Vrouwelijke genitale verminking (meisjesbesnijdenis)" in header
    assert "vastgelegd in de fase 2. Collegiale consultatie op" in header
    # A specific form: the warning and the link to the Verklaring tegen meisjesbesnijdenis.
    assert "Ga niet zonder overleg met Veilig Thuis" in header
    assert 'href="https://www.rijksoverheid.nl/onderwerpen/kindermishandeling/' in header


def test_a_specific_form_warns_on_the_talk_with_the_parents(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    cls.classification_record(actor=personas.af, case=case, abuse_forms=[],
                              specific_forms=["eergerelateerd"])
    case = walk_to(case, Phase.GESPREK, actor=personas.af)
    result = wf.conversation_record(
        actor=personas.af, case=case, held_on=timezone.localdate(),
        school_participants=[personas.af, personas.oka], facts_described="f",
        reaction="r", summary="s")
    assert any("Ga niet zonder overleg met Veilig Thuis" in w for w in result.warnings)


def test_acute_report_records_the_police(personas):
    case = personas.case
    called = timezone.now() - timedelta(minutes=30)
    with pytest.raises(DomainError, match="wanneer de politie"):
        wf.acute_report_record(actor=personas.af, case=case, called_at=called,
                               called_by=personas.af, vt_contact="VT", reason="Gevaar",
                               police_called=True)
    with pytest.raises(DomainError, match="Vink aan dat de politie"):
        wf.acute_report_record(actor=personas.af, case=case, called_at=called,
                               called_by=personas.af, vt_contact="VT", reason="Gevaar",
                               police_reference="PL-1")
    report = wf.acute_report_record(
        actor=personas.af, case=case, called_at=called, called_by=personas.af,
        vt_contact="VT", reason="Gevaar", police_called=True,
        police_called_at=called - timedelta(minutes=5), police_reference="PL-2026-1")
    assert report.police_called and report.police_reference == "PL-2026-1"


# --- Step 1 after a disclosure ----------------------------------------------------------


def _disclosure(client, personas):
    client.force_login(personas.teacher_on_case)
    client.post(reverse("observation_autosave", args=[personas.case.pk]),
                observation_post(origin="kind_vertelde", statements=[("feit", "“Au”")]))


def test_after_a_disclosure_the_af_gets_a_task_for_the_next_working_day(client, personas):
    _disclosure(client, personas)
    task = Task.objects.get(case=personas.case, kind=TaskKind.DISCLOSURE_VT)
    assert task.owner == personas.af
    assert task.title == "Bespreek met Veilig Thuis (anoniem) hoe u verder gaat"
    assert task.due_on == add_working_days(timezone.localdate(), 1)
    wf.consultation_record(actor=personas.af, case=personas.case, kind="veilig_thuis",
                           participants="VT", held_on=timezone.localdate(), anonymous=True,
                           advice="Eerst met het kind bespreken")
    task.refresh_from_db()
    assert task.completed_at is not None and task.auto_completed


def test_a_parent_talk_after_a_disclosure_warns_until_af_or_vt_was_consulted(
        client, personas):
    _disclosure(client, personas)
    talk = {"held_on": timezone.localdate(), "facts_described": "f", "reaction": "r",
            "summary": "s", "school_participants": [personas.af, personas.teacher_on_case]}
    result = wf.conversation_record(actor=personas.af, case=personas.case, **talk)
    assert str(DISCLOSURE_WARNING) in result.warnings
    event = AuditEvent.objects.filter(action="case.conversation.recorded").last()
    assert event.data["unprepared_disclosure"] is True
    wf.consultation_record(actor=personas.af, case=personas.case, kind="veilig_thuis",
                           participants="VT", held_on=timezone.localdate(), anonymous=True,
                           advice="Samen plannen")
    result = wf.conversation_record(actor=personas.af, case=personas.case, **talk)
    assert str(DISCLOSURE_WARNING) not in result.warnings


# --- C-20: a second teacher's concern goes into the existing case, write-only -----------


def test_a_teacher_not_on_the_case_writes_into_it_without_reading_it(
        client, personas, django_capture_on_commit_callbacks):
    client.force_login(personas.teacher_not_on_case)
    response = client.post(reverse("case_open", args=[personas.case.student.pk]))
    assert response.url == reverse("observation_new", args=[personas.case.pk])
    assert Notification.objects.filter(kind=Notification.Kind.CASE_EXISTS,
                                       recipient=personas.af).exists()
    form = client.get(response.url)
    assert form.status_code == 200
    assert "Uw observatie komt in de bestaande casus" in form.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        saved = client.post(response.url, observation_post(
            action="vastleggen", free_signals="Tweede zorg: honger"))
    assert saved.url == reverse("dashboard")
    observation = personas.case.observations.get(author=personas.teacher_not_on_case)
    assert observation.is_submitted and observation.free_signals == "Tweede zorg: honger"
    assert Notification.objects.filter(kind=Notification.Kind.OBSERVATION_SUBMITTED,
                                       recipient=personas.af).exists()
    # They read nothing: not the case, not the observation, not the list of cases.
    assert client.get(reverse("case_detail", args=[personas.case.pk])).status_code == 403
    assert client.get(reverse("observation_detail",
                              args=[personas.case.pk, observation.pk])).status_code == 403
    assert personas.case not in permissions.visible_cases(personas.teacher_not_on_case)
    assert personas.teacher_not_on_case not in [m.user for m in case_team(personas.case)]
    # The AF may still give them a real place on the team.
    assert personas.teacher_not_on_case in team_candidates(personas.case)


def test_a_refused_submit_of_the_contributor_keeps_everything_typed(client, personas):
    client.force_login(personas.teacher_not_on_case)
    client.post(reverse("case_open", args=[personas.case.student.pk]))
    response = client.post(reverse("observation_new", args=[personas.case.pk]),
                           observation_post(action="vastleggen", place="",
                                            situation="Alles wat ik typte"))
    assert response.status_code == 200
    assert "Alles wat ik typte" in response.content.decode()
    draft = personas.case.observations.get(author=personas.teacher_not_on_case)
    assert draft.situation == "Alles wat ik typte" and not draft.is_submitted


def test_no_write_only_place_on_a_meldplicht_case(personas):
    """The pupil's own care goes on beside a meldplicht case: the concern opens a separate
    stappenplan case, and the meldplicht case stays closed to the teacher."""
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Medewerker verdacht")
    result = services_cases.case_open(actor=personas.teacher_not_on_case,
                                      student=personas.case.student)
    assert result.created and result.case != personas.case
    assert not result.contribute
    assert permissions.case_actions(personas.teacher_not_on_case,
                                    Case.objects.get(pk=personas.case.pk)) == frozenset()


# --- Step 6 -----------------------------------------------------------------------------


def test_new_signals_while_monitoring_after_a_melding_go_to_veilig_thuis(personas):
    case = walk_to(personas.case, Phase.MONITOREN, actor=personas.af)
    draft = Observation.objects.create(case=case, author=personas.teacher_on_case,
                                       place="Klas", situation="Weer blauwe plekken",
                                       free_signals="Blauwe plekken")
    obs.observation_submit(actor=personas.teacher_on_case, observation=draft)
    task = Task.objects.get(case=case, kind=TaskKind.SIGNALS_TO_VT, completed_at=None)
    assert task.title == "Nieuwe signalen doorgeven aan Veilig Thuis"
    wf.consultation_record(actor=personas.af, case=case, kind="veilig_thuis",
                           participants="VT", held_on=timezone.localdate(),
                           advice="Doorgegeven; VT neemt het mee")
    task.refresh_from_db()
    assert task.completed_at is not None


def test_no_signals_task_while_monitoring_without_a_melding(personas):
    case = walk_to(personas.case, Phase.HULP, actor=personas.af)
    draft = Observation.objects.create(case=case, author=personas.teacher_on_case,
                                       place="Klas", situation="s", free_signals="f")
    obs.observation_submit(actor=personas.teacher_on_case, observation=draft)
    assert not Task.objects.filter(case=case, kind=TaskKind.SIGNALS_TO_VT).exists()


def test_nazorg_task_after_a_melding_goes_to_the_oka_and_the_offer_completes_it(personas):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    task = Task.objects.get(case=case, kind=TaskKind.NAZORG_STAFF, completed_at=None)
    assert task.owner == personas.oka
    assert task.title == "Nazorg betrokken medewerkers aanbieden"
    with pytest.raises(DomainError, match="aan wie nazorg"):
        cls.nazorg_record(actor=personas.af, case=case, offered_to=" ",
                          offered_on=timezone.localdate())
    offer = cls.nazorg_record(actor=personas.af, case=case, offered_to="Juf Fatima (groep 5)",
                              offered_on=timezone.localdate())
    task.refresh_from_db()
    assert task.completed_at is not None
    assert AuditEvent.objects.get(action="case.nazorg.recorded").data == {}
    assert offer.offered_to == "Juf Fatima (groep 5)"


def test_no_nazorg_task_when_closing_without_help_or_melding(personas):
    case = walk_to(personas.case, Phase.GESLOTEN, actor=personas.af)
    assert not Task.objects.filter(case=case, kind=TaskKind.NAZORG_STAFF).exists()


def test_the_sociale_kaart_shows_the_free_numbers(client, personas):
    personas.school.rvdk_contact = "Raad regio Utrecht 088-0000"
    personas.school.save()
    client.force_login(personas.af)
    page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    for text in ("Raad regio Utrecht 088-0000", "Slachtofferhulp", "0900-0101",
                 "Kindertelefoon (gratis, voor kinderen)", "0800-0432", "112",
                 "Nazorg voor medewerkers"):
        assert text in page


def test_each_step_page_has_its_aanbevelingen_and_the_definitions(client, personas):
    client.force_login(personas.af)
    url = reverse("case_workflow_form", args=[personas.case.pk, "conclude_doubt"])
    page = client.get(url).content.decode()
    assert "Aanbevelingen bij deze stap" in page and "beloof dan nooit absolute" in page
    assert "<details><summary>meer</summary>" in page
    assert "Huiselijk geweld is geweld dat door iemand uit de huiselijke kring" in page
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    page = client.get(reverse("case_workflow_form", args=[case.pk, "conclude_doubt"]))
    assert "in ieder geval de jeugdarts en de OKA" in page.content.decode()


# --- The plan van aanpak at the end of step 2 -------------------------------------------


def test_the_plan_van_aanpak_makes_a_task_per_line(personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    soon = timezone.localdate() + timedelta(days=7)
    with pytest.raises(DomainError, match="wat er gebeurt, wie het doet en wanneer"):
        cls.plan_record(actor=personas.af, case=case,
                        items=[("Gesprek met ouders plannen", None, soon)])
    with pytest.raises(DomainError, match="ten minste één actiepunt"):
        cls.plan_record(actor=personas.af, case=case, items=[("", None, None)])
    items = cls.plan_record(actor=personas.af, case=case, items=[
        ("Gesprek met ouders plannen", personas.af, soon),
        ("Jeugdarts vragen naar groeicurve", personas.af, soon + timedelta(days=7)),
        ("Leerling extra volgen in de klas", personas.teacher_on_case, soon),
        ("", None, None)])
    assert len(items) == 3
    tasks = Task.objects.filter(case=case, kind=TaskKind.PLAN_ITEM, completed_at=None)
    assert {(t.title, t.owner, t.due_on) for t in tasks} == {
        ("Gesprek met ouders plannen", personas.af, soon),
        ("Jeugdarts vragen naar groeicurve", personas.af, soon + timedelta(days=7)),
        ("Leerling extra volgen in de klas", personas.teacher_on_case, soon)}
    assert AuditEvent.objects.get(action="case.plan.recorded").data == {"items": 3}


def _monitoring_after_melding(personas):
    case = walk_to(personas.case, Phase.MONITOREN, actor=personas.af)
    return case


def _open_kinds(case):
    return {t.kind for t in Task.objects.filter(case=case, completed_at=None)}


def test_departure_duties_are_tasks_done_by_their_own_records(personas):
    case = _monitoring_after_melding(personas)
    today = timezone.localdate()
    wf.departure_record(actor=personas.af, case=case, left_on=today, new_school="De Ark")
    departure_kinds = {TaskKind.DEPARTURE_HANDOVER, TaskKind.DEPARTURE_VT,
                       TaskKind.DEPARTURE_PARENTS}
    assert departure_kinds <= _open_kinds(case)
    assert TaskKind.DEPARTURE_LEERPLICHT not in _open_kinds(case)
    wf.departure_duty_record(actor=personas.af, case=case, duty="overdracht", done_on=today,
                             notes="IB-er van De Ark gebeld, dossier overgedragen")
    wf.departure_duty_record(actor=personas.af, case=case, duty="veilig_thuis",
                             done_on=today)
    wf.departure_duty_record(actor=personas.af, case=case, duty="ouders", done_on=today)
    assert not departure_kinds & _open_kinds(case)
    # The handover satisfies the follow period: after the evaluation the case may close.
    wf.evaluation_record(actor=personas.af, case=case, held_on=today, participants="ZT",
                         outcome="Overgedragen", monitoring_agreements="Nieuwe school volgt")
    wf.case_close(actor=personas.af, case=case, note="Leerling vertrokken, zorg overgedragen")
    case.refresh_from_db()
    assert case.phase == Phase.GESLOTEN


def test_no_new_school_means_the_leerplichtambtenaar_and_vt_only_when_involved(personas,
                                                                             monkeypatch):
    # Help without a melding, its result reached: the follow period of monitoring.
    case = walk_to(personas.case, Phase.HULP, actor=personas.af)
    help_services.help_plan_record(
        actor=personas.af, case=case, help_description="Opvoedondersteuning",
        provided_by="Wijkteam (ketenpartner)", casemanager=personas.af,
        termijn=timezone.localdate() + timedelta(days=42), expected_results="Rust thuis",
        accepted=True, parents_informed="Besproken met beide ouders",
        tasks=[("AF", "Contact met het wijkteam")])
    later = timezone.now() + timedelta(days=43)
    monkeypatch.setattr(timezone, "now", lambda: later)
    help_services.help_evaluate(actor=personas.af, case=case, reached=True,
                                argumentation="Bereikt", monitoring_agreements="Volgen",
                                nazorg="Drie maanden nazorg door het wijkteam.")
    help_services.help_close(actor=personas.af, case=case, note="Hulp afgerond.")
    case.refresh_from_db()
    assert case.phase == Phase.MONITOREN
    wf.departure_record(actor=personas.af, case=case, left_on=timezone.localdate())
    kinds = _open_kinds(case)
    assert TaskKind.DEPARTURE_LEERPLICHT in kinds and TaskKind.DEPARTURE_PARENTS in kinds
    assert TaskKind.DEPARTURE_HANDOVER not in kinds and TaskKind.DEPARTURE_VT not in kinds
    # No handover recorded: the follow period still holds.
    wf.evaluation_record(actor=personas.af, case=case, held_on=timezone.localdate(),
                         participants="ZT", outcome="o", monitoring_agreements="m")
    with pytest.raises(DomainError, match="ten minste 6 maanden"):
        wf.case_close(actor=personas.af, case=case, note="n")


def test_a_revision_of_the_classification_starts_from_the_last_one(client, personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    cls.classification_record(actor=personas.af, case=case,
                              abuse_forms=["fysieke_verwaarlozing"], specific_forms=[])
    client.force_login(personas.af)
    page = client.get(reverse("case_workflow_form",
                              args=[case.pk, "record_classification"])).content.decode()
    checked = re.findall(r'<input[^>]*value="([a-z_]+)"[^>]*checked', page)
    assert checked == ["fysieke_verwaarlozing"]

"""Step 1: drafts, submitting, follow-ups, body map, alerts, case page (immutability:
test_observation_immutability.py)."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AccessLog, AuditEvent
from cases.errors import DomainError
from cases.models import (
    Notification,
    Observation,
    ObservationFollowUp,
    Phase,
    SubmittedRecordError,
)
from cases.services import observations as services
from meldcode.models import Role
from signals_catalog.services import signals_for
from tests.factories import CaseFactory, StudentFactory, member, submitted_observation
from tests.observation_data import observation_post

OBSERVED_ON = date(2026, 11, 20)


def catalog_signals(student, n=3):
    categories = signals_for(student, OBSERVED_ON)
    return [signal for category in categories for signal in category.signals_for_age][:n]


def new_url(case):
    return reverse("observation_new", args=[case.pk])


def autosave_url(case):
    return reverse("observation_autosave", args=[case.pk])


def edit_url(observation):
    return reverse("observation_edit", args=[observation.case_id, observation.pk])


def detail_url(observation):
    return reverse("observation_detail", args=[observation.case_id, observation.pk])


# --- The flow from "Ik maak me zorgen" -------------------------------------------------


def test_opening_a_case_leads_straight_to_the_observation_form(client, personas):
    student = StudentFactory(school=personas.school)
    client.force_login(personas.teacher_on_case)
    response = client.post(reverse("case_open", args=[student.pk]))
    case = student.cases.get()
    assert response["Location"] == new_url(case)
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert escape(student.full_name) in page.content.decode()


def test_form_offers_the_list_for_the_age_on_the_observation_date(client, personas):
    client.force_login(personas.teacher_on_case)
    page = client.get(new_url(personas.case)).content.decode()
    assert "Signalen specifiek voor seksueel misbruik" in page
    assert "Lichamelijk welzijn" in page and "Gezinssituatie" in page
    assert 'name="signals"' in page and "Blauwe plekken" in page
    # Three empty statement rows and one injury row work without script.
    assert 'name="uitspraken-2-text"' in page and 'name="letsels-0-kind"' in page


def test_signal_list_follows_the_age_on_the_observation_date(client, personas):
    toddler = StudentFactory(school=personas.school, date_of_birth=date(2022, 12, 1))
    case = CaseFactory(student=toddler, opened_by=personas.teacher_on_case)
    young = {s.pk for c in signals_for(toddler, date(2026, 11, 20)) for s in c.signals_for_age}
    older = {s.pk for c in signals_for(toddler, date(2026, 12, 2)) for s in c.signals_for_age}
    assert young and older and not young & older
    client.force_login(personas.teacher_on_case)
    old_signal = next(iter(young))
    data = observation_post(observed_at="2026-12-02T09:00")
    data["signals"] = [str(old_signal)]
    response = client.post(new_url(case), data)
    assert response.status_code == 200
    assert "hoort niet bij de signalenlijst" in response.content.decode()


# --- Drafts ----------------------------------------------------------------------------


def test_autosave_creates_the_draft_and_then_updates_it(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(autosave_url(personas.case), observation_post(
        statements=[("feit", "Noah huilde")]))
    body = response.json()
    assert response.status_code == 200 and body["saved"]
    assert body["message"].startswith("Concept opgeslagen om ")
    draft = Observation.objects.get(pk=body["id"])
    assert draft.status == Observation.Status.DRAFT and draft.author == personas.teacher_on_case
    assert body["edit_url"] == edit_url(draft)

    response = client.post(autosave_url(personas.case), observation_post(
        concept=str(draft.pk), place="Schoolplein", statements=[("hypothese", "Thuis ruzie")]))
    assert response.json()["id"] == str(draft.pk)
    assert Observation.objects.filter(case=personas.case).count() == 1
    draft.refresh_from_db()
    assert draft.place == "Schoolplein"
    assert [(s.kind, s.text) for s in draft.statements.all()] == [("hypothese", "Thuis ruzie")]
    assert AuditEvent.objects.filter(action="observation.draft_created").count() == 1


def test_autosave_reports_unparseable_input_without_saving(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(autosave_url(personas.case), observation_post(observed_at="morgen"))
    assert response.status_code == 400 and response.json()["saved"] is False
    assert not Observation.objects.exists()


def test_concept_button_saves_without_script_and_the_case_page_offers_to_resume(
        client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(new_url(personas.case), observation_post(action="concept"))
    draft = Observation.objects.get()
    assert response["Location"] == edit_url(draft)
    form = client.get(edit_url(draft)).content.decode()
    assert "Noah zat stil in de hoek" in form
    case_page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    assert "Concept over" in case_page and edit_url(draft) in case_page


def test_drafts_are_visible_to_their_author_only(client, personas):
    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case,
                                       situation="Geheim concept")
    client.force_login(personas.af)
    case_page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    assert "Concept over" not in case_page and "Geheim concept" not in case_page
    assert client.get(edit_url(draft)).status_code == 404
    assert client.get(detail_url(draft)).status_code == 404
    response = client.post(autosave_url(personas.case), observation_post(concept=str(draft.pk)))
    assert response.status_code == 404
    draft.refresh_from_db()
    assert draft.situation == "Geheim concept"


# --- Submitting ------------------------------------------------------------------------


def test_submit_records_the_observation_and_keeps_the_choices(client, personas):
    client.force_login(personas.teacher_on_case)
    chosen = catalog_signals(personas.case.student)
    response = client.post(new_url(personas.case), observation_post(
        action="vastleggen", signals=chosen,
        statements=[("feit", "Blauwe plek op de arm"), ("hypothese", "Geslagen thuis")]))
    observation = Observation.objects.get()
    assert response["Location"] == detail_url(observation)
    assert observation.status == Observation.Status.SUBMITTED
    assert observation.submitted_at is not None
    assert set(observation.signals.all()) == set(chosen)
    assert AuditEvent.objects.filter(action="observation.submitted").exists()


def test_diagnosis_without_the_professional_is_refused_and_input_kept(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(new_url(personas.case), observation_post(
        action="vastleggen", diagnosis="ADHD", free_signals="Onrustig"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Een diagnose mag alleen worden vastgelegd met de naam" in page
    assert "Vul de functie in van de deskundige" in page
    assert "ADHD" in page and "Onrustig" in page
    draft = Observation.objects.get()
    assert draft.status == Observation.Status.DRAFT and draft.diagnosis == "ADHD"
    # Posted again with the professional, it is recorded.
    response = client.post(edit_url(draft), observation_post(
        action="vastleggen", diagnosis="ADHD", diagnosis_by_name="Dr. P. de Wit",
        diagnosis_by_role="Orthopedagoog", free_signals="Onrustig"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.is_submitted


def test_told_by_someone_else_needs_name_and_role_of_the_source(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(new_url(personas.case), observation_post(
        action="vastleggen", origin="verteld_door_ander", free_signals="Honger",
        source_role="Klasgenoot"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Vul in wie het u vertelde" in page
    assert "Vul de rol in" not in page
    assert not Observation.objects.filter(status="ingediend").exists()


def test_submission_needs_place_situation_and_some_signal(personas):
    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case)
    errors = services.submission_errors(draft)
    assert set(errors) == {"place", "situation", ""}
    with pytest.raises(services.ObservationIncomplete):
        services.observation_submit(actor=personas.teacher_on_case, observation=draft)


def test_someone_else_cannot_submit_a_draft(personas):
    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case,
                                       place="Gang", situation="Viel", free_signals="Letsel")
    with pytest.raises(DomainError, match="Alleen wie het concept schreef"):
        services.observation_submit(actor=personas.af, observation=draft)


# --- Follow-ups ------------------------------------------------------------------------


def test_confirming_a_hypothesis_shows_its_outcome(client, personas, frozen):
    hypothesis = frozen.statements.get(kind="hypothese")
    client.force_login(personas.af)
    response = client.post(
        reverse("observation_follow_up_add", args=[personas.case.pk, frozen.pk]),
        {"kind": "bevestigd", "statement": hypothesis.pk,
         "text": "Moeder vertelde in het gesprek dat hij zichzelf aankleedt."})
    assert response.status_code == 302
    follow_up = ObservationFollowUp.objects.get()
    assert follow_up.statement == hypothesis and follow_up.author == personas.af
    detail = client.get(detail_url(frozen)).content.decode()
    assert "Hypothese bevestigd" in detail and "zichzelf aankleedt" in detail
    case_page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    assert "Hypothese bevestigd" in case_page and "Hypothese / aanname" in case_page
    with pytest.raises(SubmittedRecordError):
        follow_up.delete()
    follow_up.text = "Anders"
    with pytest.raises(SubmittedRecordError):
        follow_up.save()


def test_only_hypotheses_can_be_confirmed_or_refuted(personas, frozen):
    fact = frozen.statements.get(kind="feit")
    with pytest.raises(DomainError, match="Kies de hypothese"):
        services.observation_follow_up_add(actor=personas.af, observation=frozen,
                                           kind="weerlegd", text="Niet waar", statement=fact)
    with pytest.raises(DomainError, match="Kies de hypothese"):
        services.observation_follow_up_add(actor=personas.af, observation=frozen,
                                           kind="bevestigd", text="Klopt")
    correction = services.observation_follow_up_add(
        actor=personas.teacher_on_case, observation=frozen, kind="correctie",
        text="Het was 8:45, niet 8:30.")
    assert correction.statement is None


def test_follow_up_refused_on_a_draft(personas):
    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case)
    with pytest.raises(DomainError, match="alleen bij een vastgelegde"):
        services.observation_follow_up_add(actor=personas.teacher_on_case, observation=draft,
                                           kind="correctie", text="Aanvulling")


def test_follow_up_form_errors_are_shown_in_dutch(client, personas, frozen):
    client.force_login(personas.af)
    response = client.post(
        reverse("observation_follow_up_add", args=[personas.case.pk, frozen.pk]),
        {"kind": "weerlegd", "text": "Klopt niet"})
    assert response.status_code == 200
    assert "Kies de hypothese die wordt bevestigd of weerlegd." in response.content.decode()
    assert not ObservationFollowUp.objects.exists()


# --- Body map --------------------------------------------------------------------------


def test_body_map_marks_are_saved_and_shown(client, personas):
    client.force_login(personas.teacher_on_case)
    client.post(new_url(personas.case), observation_post(
        action="vastleggen", free_signals="Letsel",
        injuries=[
            {"side": "voor", "region": "linkerarm", "kind": "blauwe_plek", "size": "3 cm",
             "description": "Geel-groen", "x": "77.50", "y": "38.25"},
            {"side": "achter", "region": "onderrug", "kind": "brandwond"},
        ]))
    observation = Observation.objects.get()
    assert observation.is_submitted
    marks = list(observation.injuries.order_by("id"))
    assert [(m.side, m.region, m.kind) for m in marks] == [
        ("voor", "linkerarm", "blauwe_plek"), ("achter", "onderrug", "brandwond")]
    assert float(marks[0].x) == 77.5 and marks[1].x is None
    page = client.get(detail_url(observation)).content.decode()
    assert "Lichaamskaart, voorkant" in page and "Lichaamskaart, achterkant" in page
    assert '<circle cx="155.0" cy="153.0" r="9"/>' in page  # 77.5% × 200, 38.25% × 400
    assert "Blauwe plek" in page and "Linkerarm" in page and "Geel-groen" in page
    assert "Brandwond" in page and "Onderrug" in page


def test_an_injury_needs_region_and_kind_before_submitting(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(new_url(personas.case), observation_post(
        action="vastleggen", free_signals="Letsel", injuries=[{"side": "voor", "x": "50",
                                                                "y": "50"}]))
    assert "Vul bij elk letsel het lichaamsdeel en de soort letsel in." in (
        response.content.decode())
    assert Observation.objects.get().status == Observation.Status.DRAFT


# --- Alerts ----------------------------------------------------------------------------


def test_submitting_alerts_the_af_without_pupil_name_in_the_mail(
        client, personas, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(personas.teacher_on_case)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(new_url(personas.case), observation_post(action="vastleggen",
                                                             free_signals="Honger"))
    notification = Notification.objects.get(kind=Notification.Kind.OBSERVATION_SUBMITTED)
    assert notification.recipient == personas.af and notification.case == personas.case
    mails = [m for m in mailoutbox if personas.af.email in m.to]
    assert len(mails) == 1
    text = mails[0].subject + mails[0].body
    for secret in ("Noah", "Jansen", "Honger", "hoek", "Klaslokaal"):
        assert secret not in text


def test_disclosure_alerts_the_af_on_the_first_draft_save_only(
        client, personas, mailoutbox, django_capture_on_commit_callbacks):
    client.force_login(personas.teacher_on_case)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(autosave_url(personas.case), observation_post(
            origin="kind_vertelde", statements=[("feit", "“Papa slaat mij”")]))
    draft_id = response.json()["id"]
    alerts = Notification.objects.filter(kind=Notification.Kind.DISCLOSURE)
    assert [n.recipient for n in alerts] == [personas.af]
    assert any(personas.af.email in m.to for m in mailoutbox)
    assert "Papa" not in "".join(m.body + m.subject for m in mailoutbox)
    client.post(autosave_url(personas.case), observation_post(
        concept=draft_id, origin="kind_vertelde", place="Gang"))
    assert alerts.count() == 1
    # The flag is on the case page for the team, while the draft itself stays private.
    client.force_login(personas.af)
    case_page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    assert "Onthulling door het kind" in case_page and "Papa slaat mij" not in case_page


def test_the_disclosure_advice_is_on_the_form(client, personas):
    client.force_login(personas.teacher_on_case)
    page = client.get(new_url(personas.case)).content.decode()
    assert "Beloof nooit absolute geheimhouding." in page
    assert "Stel geen sturende vragen" in page
    assert "eigen woorden van het kind" in page


# --- Who may ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["af", "directie"])
def test_af_and_directie_may_log_observations(client, personas, persona):
    client.force_login(getattr(personas, persona))
    response = client.post(new_url(personas.case), observation_post(
        action="vastleggen", free_signals="Zorg"))
    assert response.status_code == 302
    assert Observation.objects.get().author == getattr(personas, persona)


def test_oka_on_the_team_may_log_and_oka_off_the_team_may_not(client, personas):
    from tests.factories import grant_team

    client.force_login(personas.oka)
    assert client.get(new_url(personas.case)).status_code == 404
    grant_team(personas.case, personas.oka)
    assert client.get(new_url(personas.case)).status_code == 200


def test_reading_an_observation_writes_the_access_log(client, personas, frozen):
    client.force_login(personas.directie)
    assert client.get(detail_url(frozen)).status_code == 200
    entry = AccessLog.objects.get(what="observation.detail")
    assert entry.user == personas.directie and entry.case_id == personas.case.pk


# --- The case page ---------------------------------------------------------------------


def test_case_page_lists_observations_with_hypotheses_and_follow_ups(client, personas, frozen):
    services.observation_follow_up_add(actor=personas.af, observation=frozen, kind="correctie",
                                       text="Aanvulling van de AF")
    client.force_login(personas.teacher_on_case)
    page = client.get(reverse("case_detail", args=[personas.case.pk])).content.decode()
    assert "Observatie vastleggen" in page
    assert "Kwam te laat" in page and "Verzorgt zichzelf" in page
    assert "Nog niet bevestigd of weerlegd" in page
    assert "Aanvulling van de AF" in page


def test_case_page_query_count_does_not_grow_with_observations(client, personas,
                                                               django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    signals = catalog_signals(personas.case.student, 5)
    teacher = member(Role.LEERKRACHT, personas.school)

    def add_observations(n):
        for i in range(n):
            observation = submitted_observation(
                personas.case, place=f"Plek {i}", situation="Situatie",
                statements=[("feit", f"Feit {i}"), ("hypothese", f"Hypothese {i}")],
                injuries=[{"side": "voor", "region": "hoofd", "kind": "blauwe_plek"}],
                signals=signals)
            ObservationFollowUp.objects.create(
                observation=observation, kind="weerlegd", text="Weerlegd",
                statement=observation.statements.get(kind="hypothese"), author=personas.af)
            Observation.objects.create(case=personas.case, author=teacher, situation="concept")

    url = reverse("case_detail", args=[personas.case.pk])
    Observation.objects.create(case=personas.case, author=personas.af, situation="eigen")
    add_observations(1)
    client.force_login(personas.af)
    client.get(url)  # warm the per-process caches (content types, permissions)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    add_observations(29)
    with django_assert_max_num_queries(len(one.captured_queries)):
        page = client.get(url)
    assert len(one.captured_queries) <= 40
    assert page.status_code == 200
    content = page.content.decode()
    # The latest ten; the rest in the chronology.
    assert content.count('class="observation"') == 10
    assert "Alle 30 observaties in de chronologie" in content
    assert content.count('class="draft-list__item"') == 1


def test_a_closed_case_takes_no_new_observations(client, personas):
    personas.case.phase = Phase.GESLOTEN
    personas.case.save(update_fields=["phase"])
    with pytest.raises(DomainError, match="Deze casus is gesloten"):
        services.observation_draft_save(actor=personas.teacher_on_case, case=personas.case,
                                        data=services.ObservationInput(place="Klas"))
    client.force_login(personas.teacher_on_case)
    response = client.get(new_url(personas.case))
    assert response["Location"] == reverse("case_detail", args=[personas.case.pk])
    case_page = client.get(response["Location"]).content.decode()
    assert "Observatie vastleggen</a>" not in case_page


def test_without_script_the_add_buttons_save_and_come_back_with_room(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(new_url(personas.case), observation_post(
        action="letsel", injuries=[{"side": "achter", "region": "billen", "kind": "anders"}]))
    draft = Observation.objects.get()
    assert response["Location"] == edit_url(draft) + "#letsels"
    page = client.get(edit_url(draft)).content.decode()
    # The saved injury, plus one empty row for the next one.
    assert 'name="letsels-0-kind"' in page and 'name="letsels-1-kind"' in page
    assert '<option value="billen" selected>' in page


def test_a_refuted_hypothesis_shows_as_refuted(client, personas, frozen):
    hypothesis = frozen.statements.get(kind="hypothese")
    services.observation_follow_up_add(actor=personas.teacher_on_case, observation=frozen,
                                       kind="weerlegd", statement=hypothesis,
                                       text="Hij kleedt zich zelf aan, zegt de moeder.")
    client.force_login(personas.af)
    page = client.get(detail_url(frozen)).content.decode()
    assert 'class="outcome outcome--weerlegd">Hypothese weerlegd' in page


def test_a_new_form_points_to_the_draft_already_begun(client, personas):
    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case)
    client.force_login(personas.teacher_on_case)
    page = client.get(new_url(personas.case)).content.decode()
    assert "U heeft al een concept bij deze casus" in page and edit_url(draft) in page
    own = client.get(edit_url(draft)).content.decode()
    assert "U heeft al een concept bij deze casus" not in own

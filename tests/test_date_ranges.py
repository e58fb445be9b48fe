"""Every date the product accepts has a domain range, checked by the form and the service
(cases/dates.py). A moment before the year 1 in UTC used to be stored, and then could not be
read back: the case's pages failed for good."""

import importlib
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as fixed_offset

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from cases import dates
from cases.dates import DateOutOfRange
from cases.models import AcuteReport, Consultation, Conversation, Observation, Phase
from cases.services import meldplicht as mp
from cases.services import observations as observations
from cases.services import workflow as wf
from cases.services.observations import ObservationInput
from tests.factories import ObservationFactory, walk_to
from tests.observation_data import observation_post

pytestmark = pytest.mark.django_db

YEAR_ONE = "0001-01-01T00:00"
# Ten past midnight local time on 1 January of the year 1 is still in the year 1 BC in UTC.
DRAFT_YEAR_ONE = "0001-01-01T00:10"
OVERFLOW = "0001-01-01T00:00+05:00"


def _action_url(case, action):
    return reverse("case_workflow_action", args=[case.pk, action])


def _acute_post(af, called_at):
    return {"called_at": called_at, "called_by": af.pk, "vt_contact": "mevrouw De Wit",
            "reason": "Kind vertelt dat vader vanavond weer gaat slaan."}


def _case_pages_open(client, case):
    for name in ("case_detail", "case_chronology", "case_chronology_print"):
        client.confirm_recent_auth()  # the print asks for password and code again
        assert client.get(reverse(name, args=[case.pk])).status_code == 200, name


# --- The reproductions -----------------------------------------------------------------


def test_acute_report_of_the_year_one_is_refused_and_the_case_stays_readable(client,
                                                                              personas):
    client.force_login(personas.af)
    response = client.post(reverse("acute_melding", args=[personas.case.pk]),
                           _acute_post(personas.af, YEAR_ONE))
    assert response.status_code == 200
    html = response.content.decode()
    assert "vóór de geboortedatum van de leerling (17 mei 2016)" in html
    assert "mevrouw De Wit" in html  # nothing typed is lost
    assert not AcuteReport.objects.exists()
    _case_pages_open(client, personas.case)


def test_acute_report_service_refuses_the_year_one(personas):
    with pytest.raises(DateOutOfRange, match="geboortedatum"):
        wf.acute_report_record(actor=personas.af, case=personas.case,
                               called_at=datetime(1, 1, 1, tzinfo=UTC), called_by=personas.af,
                               vt_contact="De Wit", reason="Direct gevaar")
    assert not AcuteReport.objects.exists()


def test_draft_of_the_year_one_is_not_saved_and_the_case_page_still_opens(client, personas):
    client.force_login(personas.teacher_on_case)
    url = reverse("observation_autosave", args=[personas.case.pk])
    response = client.post(url, observation_post(observed_at=DRAFT_YEAR_ONE))
    assert response.status_code == 400
    body = response.json()
    assert body["saved"] is False and "geboortedatum van de leerling" in body["message"]
    assert "observed_at" in body["errors"]
    response = client.post(reverse("observation_new", args=[personas.case.pk]),
                           observation_post(observed_at=DRAFT_YEAR_ONE))
    assert response.status_code == 200
    assert "geboortedatum van de leerling" in response.content.decode()
    assert not Observation.objects.exists()
    _case_pages_open(client, personas.case)


@pytest.mark.parametrize("url_name", ["observation_autosave", "observation_new"])
def test_a_moment_before_the_year_one_in_utc_is_a_form_error_not_an_overflow(
        client, personas, url_name):
    client.force_login(personas.teacher_on_case)
    response = client.post(reverse(url_name, args=[personas.case.pk]),
                           observation_post(observed_at=OVERFLOW))
    assert response.status_code in (200, 400)
    assert "geboortedatum van de leerling" in response.content.decode()
    assert not Observation.objects.exists()


def test_acute_report_form_refuses_the_overflowing_moment(client, personas):
    client.force_login(personas.af)
    response = client.post(reverse("acute_melding", args=[personas.case.pk]),
                           _acute_post(personas.af, OVERFLOW))
    assert response.status_code == 200
    assert not AcuteReport.objects.exists()


def test_draft_service_refuses_the_year_one_and_the_future(personas):
    for moment in (datetime(1, 1, 1, 0, 10, tzinfo=fixed_offset(timedelta(hours=5))),
                   timezone.now() + timedelta(days=2)):
        with pytest.raises(DateOutOfRange):
            observations.observation_draft_save(
                actor=personas.teacher_on_case, case=personas.case,
                data=ObservationInput(observed_at=moment, place="Klas"))
    assert not Observation.objects.exists()


# --- The range: 1900, the pupil's birth, the future, the term --------------------------


def test_the_checks_themselves():
    born, today = date(2016, 5, 17), date(2026, 12, 1)
    assert dates.check_past_day(born, born=born, today=today) == born
    with pytest.raises(DateOutOfRange, match="1 januari 1900"):
        dates.check_past_day(date(1899, 12, 31), today=today)
    with pytest.raises(DateOutOfRange, match="geboortedatum"):
        dates.check_past_day(date(2016, 5, 16), born=born, today=today)
    with pytest.raises(DateOutOfRange, match="toekomst"):
        dates.check_past_day(date(2026, 12, 2), today=today)
    with pytest.raises(DateOutOfRange, match="toekomst"):
        dates.check_past_moment(datetime(9999, 12, 31, 23, 0,
                                         tzinfo=fixed_offset(timedelta(hours=-5))))
    with pytest.raises(DateOutOfRange, match="1 januari 1900"):
        dates.check_past_moment(datetime(1, 1, 1, tzinfo=fixed_offset(timedelta(hours=5))))
    # A clock a few minutes fast is tolerated.
    assert dates.check_past_moment(timezone.now() + timedelta(minutes=5))
    with pytest.raises(DateOutOfRange, match="uiterlijk twee maanden vooruit"):
        dates.check_coming_day(today + timedelta(days=70), months=2, today=today)
    with pytest.raises(DateOutOfRange, match="na vandaag"):
        dates.check_coming_day(today, months=2, today=today)
    with pytest.raises(DateOutOfRange, match="uiterlijk 12 maanden vooruit"):
        dates.check_coming_day(date(9999, 1, 1), today=today)
    assert dates.posted_local_day(OVERFLOW) is None
    assert dates.posted_local_day("2026-11-20T10:30") == date(2026, 11, 20)


def test_observation_before_the_pupils_birth_is_refused_by_form_and_service(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(reverse("observation_autosave", args=[personas.case.pk]),
                           observation_post(observed_at="2016-05-16T09:00"))
    assert response.status_code == 400
    assert "17 mei 2016" in response.json()["message"]
    with pytest.raises(DateOutOfRange, match="17 mei 2016"):
        observations.observation_draft_save(
            actor=personas.teacher_on_case, case=personas.case,
            data=ObservationInput(observed_at=timezone.make_aware(datetime(2016, 5, 16, 9))))


def test_a_future_observation_is_not_submitted(client, personas):
    client.force_login(personas.teacher_on_case)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(reverse("observation_new", args=[personas.case.pk]),
                           observation_post(action="vastleggen", free_signals="Blauwe plek",
                                            observed_at=tomorrow.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 200
    assert "kan niet in de toekomst liggen" in response.content.decode()
    assert not Observation.objects.filter(status=Observation.Status.SUBMITTED).exists()


def test_a_stored_draft_out_of_range_is_not_submitted(personas):
    draft = ObservationFactory(case=personas.case, status="concept", submitted_at=None,
                               free_signals="Blauwe plek",
                               observed_at=timezone.make_aware(datetime(2015, 1, 1, 9)))
    errors = observations.submission_errors(draft)
    assert "geboortedatum" in errors["observed_at"][0]


def test_consultation_dates_are_checked_by_form_and_service(client, personas):
    case = walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    today = timezone.localdate()
    client.force_login(personas.af)
    response = client.post(_action_url(case, "record_consultation"), {
        "kind": "zorgteam", "participants": "AF, OKA", "advice": "Gesprek voeren",
        "held_on": (today + timedelta(days=1)).isoformat(),
        "time_limit": (today + timedelta(days=800)).isoformat()})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Deze datum kan niet in de toekomst liggen." in html
    assert "uiterlijk 12 maanden vooruit" in html
    assert not Consultation.objects.exists()
    with pytest.raises(DateOutOfRange, match="geboortedatum"):
        wf.consultation_record(actor=personas.af, case=case, kind="zorgteam",
                               participants="AF", held_on=date(1, 1, 1), advice="Advies")
    with pytest.raises(DateOutOfRange, match="De tijdslimiet moet na vandaag liggen"):
        wf.consultation_record(actor=personas.af, case=case, kind="zorgteam",
                               participants="AF", held_on=today, advice="Advies",
                               time_limit=today)


def test_conversation_before_birth_is_refused_by_the_service(personas):
    with pytest.raises(DateOutOfRange, match="De datum van het gesprek ligt vóór de "
                                             "geboortedatum"):
        wf.conversation_record(actor=personas.af, case=personas.case, held_on=date(2010, 1, 1),
                               school_participants=[personas.af], facts_described="f",
                               reaction="r", summary="s")
    assert not Conversation.objects.exists()


def test_review_date_is_checked_in_the_form_with_the_boards_term(client, personas):
    ObservationFactory(case=personas.case)
    client.force_login(personas.af)
    response = client.post(_action_url(personas.case, "conclude_no_confirmation"), {
        "argumentation": "Nog geen bevestiging", "review_date": "0001-01-01"})
    assert response.status_code == 200
    assert "uiterlijk twee maanden vooruit" in response.content.decode()


@pytest.mark.parametrize("action,data", [
    ("record_departure", {"left_on": "0001-01-01", "new_school": "De Ark",
                          "care_handover_on": "0001-01-01", "care_handover_notes": "Dossier",
                          "vt_informed_on": "0001-01-01", "parents_informed_on": "0001-01-01"}),
    ("record_evaluation", {"held_on": "0001-01-01", "participants": "Zorgteam",
                           "outcome": "Goed", "monitoring_agreements": "Volgen"}),
])
def test_other_record_forms_refuse_the_year_one(client, personas, action, data):
    case = walk_to(personas.case, Phase.MONITOREN, actor=personas.af)
    client.force_login(personas.af)
    response = client.post(_action_url(case, action), data)
    assert response.status_code == 200
    assert "vóór de geboortedatum van de leerling" in response.content.decode()


def test_meldplicht_dates_are_checked_by_form_and_service(client, personas):
    mp.meldplicht_switch(actor=personas.af, case=personas.case, reason="Stagiair verdacht")
    future = (timezone.localdate() + timedelta(days=3))
    client.force_login(personas.bestuur)
    response = client.post(_action_url(personas.case, "record_meldplicht"), {
        "inspector_contact_on": future.isoformat(), "inspector_notes": "Gebeld",
        "redelijk_vermoeden": "nee", "aangifte": "nee", "aangifte_on": "1899-01-01",
        "aangifte_reasoning": "Geen"})
    html = response.content.decode()
    assert "kan niet in de toekomst liggen" in html and "geboortedatum" in html
    with pytest.raises(DateOutOfRange, match="De datum van het contact"):
        mp.meldplicht_record(actor=personas.bestuur, case=personas.case,
                             inspector_contact_on=future, inspector_notes="Gebeld",
                             redelijk_vermoeden=False, aangifte=False,
                             aangifte_on=timezone.localdate(),
                             aangifte_reasoning="Geen")


# --- What is stored already -------------------------------------------------------------


def _migration():
    return importlib.import_module("cases.migrations.0010_check_stored_date_ranges")


def test_the_data_migration_passes_on_domain_valid_data(personas):
    walk_to(personas.case, Phase.GESPREK, actor=personas.af)
    assert _migration().find_out_of_range(apps) == []
    _migration().check_stored_dates(apps, None)


def test_the_data_migration_stops_on_a_stored_value_out_of_range(personas):
    # Written past the services, as the old code let it in: before the year 1 in UTC.
    report = AcuteReport.objects.create(
        case=personas.case, phase_before="signaleren", called_by=personas.af,
        called_at=datetime(1, 1, 1, 0, 10, tzinfo=fixed_offset(timedelta(hours=5))),
        vt_contact="De Wit", reason="Gevaar", recorded_by=personas.af)
    late = ObservationFactory(case=personas.case,
                              observed_at=timezone.now() + timedelta(days=3))
    found = _migration().find_out_of_range(apps)
    assert sorted(found) == [f"cases.AcuteReport {report.pk}: called_at before 1900",
                             f"cases.Observation {late.pk}: observed_at in the future"]
    with pytest.raises(RuntimeError, match="not changed automatically"):
        _migration().check_stored_dates(apps, None)

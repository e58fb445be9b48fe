"""The case chronology: what it shows, in which order, to whom, and at what cost."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from audit.models import AccessLog, AuditEvent
from cases.models import Attachment, InjuryMark, Observation, ObservationFollowUp, Statement
from cases.selectors.chronology import chronology, sources
from meldcode.models import Role
from signals_catalog.models import Category, Signal
from tests.factories import (
    FollowUpFactory,
    ObservationFactory,
    StatementFactory,
    WorkNoteFactory,
    freeze,
    member,
)

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _signal(text="Blauwe plekken op onverklaarbare plaatsen"):
    category = Category.objects.filter(
        signal_list__age_band__code="4-12", signal_list__is_current=True,
        name="Lichamelijk welzijn", block=Category.Block.GENERAL,
    ).first()
    return Signal.objects.create(category=category, text=text)


def _chronology_url(case, query=""):
    url = reverse("case_chronology", kwargs={"case_id": case.pk})
    return f"{url}?{query}" if query else url


def _print_url(case, query=""):
    url = reverse("case_chronology_print", kwargs={"case_id": case.pk})
    return f"{url}?{query}" if query else url


def _entry_titles(html):
    return re.findall(r'<h3 class="entry__title">([^<]+)</h3>', html)


# --- The sources -----------------------------------------------------------------------


def test_entries_come_oldest_first_across_kinds(personas):
    case, teacher = personas.case, personas.teacher_on_case
    late = ObservationFactory(case=case, author=teacher, observed_at=T0 + timedelta(days=5),
                              situation="Tweede keer")
    early = ObservationFactory(case=case, author=teacher, observed_at=T0,
                               situation="Eerste keer")
    follow_up = FollowUpFactory(observation=early, created_at=T0 + timedelta(days=2))

    entries = chronology(case)

    assert [e.obj for e in entries] == [early, follow_up, late]
    assert [e.when for e in entries] == sorted(e.when for e in entries)


def test_drafts_and_their_follow_ups_are_never_in_the_chronology(personas):
    case = personas.case
    ObservationFactory(case=case, status=Observation.Status.DRAFT, situation="Nog een concept")
    submitted = ObservationFactory(case=case, situation="Vastgelegd")

    entries = chronology(case)

    assert [e.obj for e in entries] == [submitted]


def test_other_cases_do_not_leak_into_the_chronology(personas):
    ObservationFactory(situation="Bij een andere leerling")
    FollowUpFactory()
    assert chronology(personas.case) == []


def test_observation_entry_shows_place_signals_and_statements(personas):
    observation = ObservationFactory(
        case=personas.case, place="gymzaal", present="juf Fatima, meester Ruud",
        situation="Bij het omkleden", origin=Observation.Origin.TOLD,
        source_name="Ahmed", source_role="klasgenoot", free_signals="Trekt zich terug",
        status=Observation.Status.DRAFT,
    )
    observation.signals.add(_signal("Blauwe plekken"))
    StatementFactory(observation=observation, kind=Statement.Kind.FACT,
                     text="Blauwe plek op de rug", position=0)
    StatementFactory(observation=observation, kind=Statement.Kind.HYPOTHESIS,
                     text="Mogelijk geslagen thuis", position=1)
    freeze(observation)

    [entry] = chronology(personas.case, kinds=["observation"])

    details = dict(entry.details)
    assert entry.author == personas.teacher_on_case
    assert entry.summary == "Bij het omkleden"
    assert details["Plaats"] == "gymzaal"
    assert details["Aanwezig"] == "juf Fatima, meester Ruud"
    assert details["Bron"] == "Ahmed, klasgenoot"
    assert details["Signalen uit de lijst"] == "Blauwe plekken"
    assert details["Andere signalen"] == "Trekt zich terug"
    assert entry.facts == ("Blauwe plek op de rug",)
    assert entry.hypotheses == ("Mogelijk geslagen thuis",)


def test_observation_entry_counts_attachments_without_names_and_lists_injuries(client,
                                                                              personas):
    observation = ObservationFactory(case=personas.case, diagnosis="Gebroken pols",
                                     diagnosis_by_name="Dr. Bakker",
                                     diagnosis_by_role="huisarts",
                                     status=Observation.Status.DRAFT)
    Attachment.objects.bulk_create([
        Attachment(observation=observation, file=f"attachments/x/{i}",
                   original_name=f"foto_noah_jansen_{i}.jpg", content_type="image/jpeg",
                   size=100, sha256="0" * 64, uploaded_by=personas.teacher_on_case)
        for i in range(2)
    ])
    InjuryMark.objects.bulk_create([InjuryMark(observation=observation, side=InjuryMark.Side.BACK,
                                               region="rug", kind=InjuryMark.Kind.BRUISE)])
    freeze(observation)

    [entry] = chronology(personas.case)

    details = dict(entry.details)
    assert details["Bijlagen"] == "2"
    assert details["Letsel"] == "Blauwe plek – rug (achterkant)"
    assert details["Diagnose"] == "Gebroken pols (Dr. Bakker, huisarts)"
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export
    assert "foto_noah" not in client.get(_chronology_url(personas.case)).content.decode()


def test_follow_up_refers_to_its_observation_and_marks_the_hypothesis(personas):
    observation = ObservationFactory(case=personas.case, status=Observation.Status.DRAFT)
    hypothesis = StatementFactory(observation=observation, kind=Statement.Kind.HYPOTHESIS,
                                  text="Mogelijk geslagen thuis")
    freeze(observation)
    FollowUpFactory(observation=observation, statement=hypothesis,
                    kind=ObservationFollowUp.Kind.REFUTED, author=personas.af,
                    text="Moeder legde uit: gevallen bij het voetballen")

    [entry] = chronology(personas.case, kinds=["observation_followup"])

    assert entry.title == "Hypothese weerlegd"
    assert entry.author == personas.af
    assert entry.hypotheses == ("Mogelijk geslagen thuis",)
    assert entry.refers_to == f"observatie-{observation.pk}"
    assert str(personas.teacher_on_case) in entry.refers_to_label


def test_every_source_is_registered_with_a_label():
    kinds = {source.kind: str(source.label) for source in sources()}
    assert kinds["observation"] == "Observaties"
    assert kinds["observation_followup"] == "Vervolgnotities bij observaties"


# --- The page --------------------------------------------------------------------------


def test_page_shows_hypotheses_with_a_worded_label(client, personas):
    observation = ObservationFactory(case=personas.case, status=Observation.Status.DRAFT)
    StatementFactory(observation=observation, kind="feit", text="Kwam te laat")
    StatementFactory(observation=observation, kind="hypothese", text="Slaapt slecht thuis")
    freeze(observation)
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export

    html = client.get(_chronology_url(personas.case)).content.decode()

    hypothesis = re.search(
        r'<li class="statement statement--hypothesis">\s*<span class="[^"]*statement__label'
        r'--hypothesis[^"]*">Hypothese</span>\s*<span class="statement__text">([^<]+)</span>',
        html)
    assert hypothesis and hypothesis.group(1) == "Slaapt slecht thuis"
    fact = re.search(r'<li class="statement statement--fact">\s*<span class="statement__label">'
                     r'Feit</span>\s*<span class="statement__text">([^<]+)</span>', html)
    assert fact and fact.group(1) == "Kwam te laat"


def test_page_lists_follow_ups_linked_to_their_observation(client, personas):
    observation = ObservationFactory(case=personas.case, observed_at=T0)
    FollowUpFactory(observation=observation, text="Vader belde: hij is verhuisd")
    client.force_login(personas.teacher_on_case)
    client.confirm_recent_auth()  # the print is an export

    html = client.get(_chronology_url(personas.case)).content.decode()

    assert f'id="observatie-{observation.pk}"' in html
    assert f'href="#observatie-{observation.pk}"' in html
    assert "Vader belde: hij is verhuisd" in html
    assert _entry_titles(html) == ["Observatie", "Correctie of aanvulling"]


def test_filter_by_kind(client, personas):
    observation = ObservationFactory(case=personas.case, situation="Huilde in de klas")
    FollowUpFactory(observation=observation, text="Later bleek een huisdier overleden")
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export

    html = client.get(_chronology_url(personas.case, "soort=observation_followup")).content.decode()

    assert "Later bleek een huisdier overleden" in html
    assert "Huilde in de klas" not in html
    # The observation is filtered out, so the follow-up names it without a dead link.
    assert f'href="#observatie-{observation.pk}"' not in html
    assert re.search(r'value="observation_followup"[^>]*checked', html)
    assert not re.search(r'value="observation"[^>]*checked', html)


def test_without_a_kind_ticked_every_kind_is_shown_and_ticked(client, personas):
    ObservationFactory(case=personas.case)
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export
    html = client.get(_chronology_url(personas.case)).content.decode()
    for source in sources():
        assert re.search(rf'value="{source.kind}"[^>]*checked', html), source.kind


def test_filter_by_person_lists_only_authors_in_the_chronology(client, personas):
    case = personas.case
    ObservationFactory(case=case, author=personas.teacher_on_case, situation="Van de juf")
    by_af = ObservationFactory(case=case, author=personas.af, situation="Van de AF")
    FollowUpFactory(observation=by_af, author=personas.af, text="Aanvulling van de AF")
    client.force_login(personas.directie)
    client.confirm_recent_auth()  # the print is an export

    html = client.get(_chronology_url(case, f"persoon={personas.af.pk}")).content.decode()

    assert "Van de AF" in html and "Aanvulling van de AF" in html
    assert "Van de juf" not in html
    options = dict((v, label) for v, label in re.findall(
        r'<option value="(\d*)"[^>]*>([^<]+)</option>', html))
    assert set(options) == {"", str(personas.af.pk), str(personas.teacher_on_case.pk)}
    assert re.search(rf'<option value="{personas.af.pk}" selected', html)


def test_unknown_person_is_refused_and_everything_shown(client, personas):
    ObservationFactory(case=personas.case, situation="Zichtbaar")
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export
    response = client.get(_chronology_url(personas.case, f"persoon={personas.directie.pk}"))
    assert response.status_code == 200
    assert "Zichtbaar" in response.content.decode()


def test_viewing_the_chronology_writes_an_access_log_entry(client, personas):
    client.force_login(personas.teacher_on_case)
    client.confirm_recent_auth()  # the print is an export
    response = client.get(_chronology_url(personas.case))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    log = AccessLog.objects.get(what="case.chronology")
    assert log.user == personas.teacher_on_case
    assert log.case_id == personas.case.pk
    assert log.student_id == personas.case.student.pk
    assert not AuditEvent.objects.filter(action="case.chronology.printed").exists()


def test_outside_the_team_gets_404_and_a_refused_entry(client, personas):
    client.force_login(personas.teacher_not_on_case)
    client.confirm_recent_auth()  # the print is an export
    assert client.get(_chronology_url(personas.case)).status_code == 404
    assert client.get(_print_url(personas.case)).status_code == 404
    entries = list(AccessLog.objects.order_by("id"))
    assert [(e.what, e.kind, e.outcome) for e in entries] == [
        ("case_chronology", "refused", "not_found"),
        ("case_chronology_print", "refused", "not_found")]
    assert {e.case_id for e in entries} == {personas.case.pk}


def test_case_page_has_chronology_tab(client, personas):
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export
    html = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk})).content.decode()
    assert f'href="{_chronology_url(personas.case)}"' in html


# --- The print view --------------------------------------------------------------------


def test_print_view_has_case_header_and_confidential_footer(client, personas):
    ObservationFactory(case=personas.case, situation="Op het schoolplein")
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export

    html = client.get(_print_url(personas.case)).content.decode()

    assert personas.case.reference in html
    assert "Noah Jansen" in html
    assert "De Regenboog" in html
    assert f"<dt>Afgedrukt door</dt><dd>{escape(personas.af)}</dd>" in html
    assert "Afgedrukt op" in html
    assert re.search(r'<footer class="print-footer">\s*<p><strong>Vertrouwelijk</strong>', html)
    assert "Op het schoolplein" in html
    assert "<form" not in html


def test_print_view_keeps_the_filter_and_says_so(client, personas):
    observation = ObservationFactory(case=personas.case, situation="Observatietekst")
    FollowUpFactory(observation=observation, text="Vervolgtekst")
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export

    html = client.get(_print_url(personas.case, "soort=observation_followup")).content.decode()

    assert "Vervolgtekst" in html and "Observatietekst" not in html
    assert "<dt>Selectie</dt><dd>Vervolgnotities bij observaties</dd>" in html


def test_printing_is_logged_and_audited_as_an_export(client, personas):
    ObservationFactory(case=personas.case)
    client.force_login(personas.directie)
    client.confirm_recent_auth()  # the print is an export
    client.get(_print_url(personas.case, f"persoon={personas.teacher_on_case.pk}"))

    log = AccessLog.objects.get(what="case.chronology.print")
    assert log.user == personas.directie and log.case_id == personas.case.pk
    event = AuditEvent.objects.get(action="case.chronology.printed")
    assert event.actor == personas.directie
    assert event.case_id == personas.case.pk
    assert event.data == {"kinds": [s.kind for s in sources()],
                          "author": personas.teacher_on_case.pk, "entries": 1}


def test_print_view_contains_no_work_notes_not_even_the_printers_own(client, personas):
    ObservationFactory(case=personas.case)
    WorkNoteFactory(case=personas.case, author=personas.teacher_on_case,
                    text="Mijn eigen geheime aantekening")
    WorkNoteFactory(case=personas.case, author=personas.af, text="Aantekening van de AF")
    for user in (personas.teacher_on_case, personas.af):
        client.force_login(user)
        client.confirm_recent_auth()  # the print is an export
        for url in (_print_url(personas.case), _chronology_url(personas.case)):
            html = client.get(url).content.decode()
            assert "geheime aantekening" not in html
            assert "Aantekening van de AF" not in html


# --- Cost ------------------------------------------------------------------------------


def _bulk_history(case, author, other_author, n):
    """n submitted observations, each with a fact, a hypothesis and a signal, and n
    follow-ups (half of them on a hypothesis, by another author): 2n entries."""
    signal = _signal()
    observations = Observation.objects.bulk_create([
        Observation(case=case, author=author, status=Observation.Status.DRAFT,
                    observed_at=T0 + timedelta(hours=i), place="klas", situation=f"Situatie {i}",
                    submitted_at=T0 + timedelta(hours=i))
        for i in range(n)
    ])
    statements = Statement.objects.bulk_create([
        Statement(observation=o, kind=kind, text=f"{kind} {i}", position=p)
        for i, o in enumerate(observations)
        for p, kind in enumerate((Statement.Kind.FACT, Statement.Kind.HYPOTHESIS))
    ])
    Observation.signals.through.objects.bulk_create([
        Observation.signals.through(observation_id=o.pk, signal_id=signal.pk)
        for o in observations
    ])
    freeze(*observations)
    hypotheses = statements[1::2]
    ObservationFollowUp.objects.bulk_create([
        ObservationFollowUp(observation=o, statement=hypotheses[i] if i % 2 else None,
                            kind="bevestigd" if i % 2 else "correctie", text=f"Vervolg {i}",
                            author=other_author if i % 2 else author,
                            created_at=T0 + timedelta(hours=i, minutes=30))
        for i, o in enumerate(observations)
    ])


def _queries_for(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_sources_run_a_fixed_number_of_queries(personas, django_assert_max_num_queries):
    _bulk_history(personas.case, personas.teacher_on_case, personas.af, 50)
    # Observations + statements + signals + injuries + attachments (their names for the
    # printed dossier); follow-ups: one.
    with django_assert_max_num_queries(6):
        entries = chronology(personas.case, kinds=["observation", "observation_followup"])
    assert len(entries) == 100


@pytest.mark.parametrize("url_for", [_chronology_url, _print_url], ids=["page", "print"])
def test_query_count_does_not_grow_with_the_chronology(client, personas, url_for,
                                                       django_assert_max_num_queries):
    other_case_teacher = member(Role.LEERKRACHT, personas.school)
    client.force_login(personas.af)
    client.confirm_recent_auth()  # the print is an export
    small = ObservationFactory(case=personas.case, author=other_case_teacher)
    FollowUpFactory(observation=small)
    few, _response = _queries_for(client, url_for(personas.case))

    _bulk_history(personas.case, personas.teacher_on_case, personas.af, 250)
    with django_assert_max_num_queries(few):
        response = client.get(url_for(personas.case))
    assert response.status_code == 200
    assert response.content.decode().count('class="chronology__item"') == 502
    # A fixed number: one or two queries for each kind of record, whatever their number.
    assert few <= 40


def test_observation_entry_links_to_the_observation(personas):
    observation = ObservationFactory(case=personas.case)
    [entry] = chronology(personas.case, kinds=["observation"])
    assert entry.url == reverse("observation_detail", kwargs={
        "case_id": personas.case.pk, "observation_id": observation.pk})

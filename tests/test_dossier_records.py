"""Every record of the dossier readable in full: its own page, the chronology's "volledige
tekst" and filter per kind, the step bar, and a case page that does not grow with the
number of observations."""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AccessLog
from cases.models import (
    Case,
    MeldplichtRecord,
    Observation,
    Phase,
    PhaseDecision,
    Route,
    Statement,
    WorkNote,
)
from cases.selectors.chronology import chronology, latest_records, sources
from tests.dossier_data import WORK_NOTE, full_dossier
from tests.factories import freeze, walk_to

# Models that are not a record of their own: what they are part of, or why they are not
# dossier content. Every other model of cases/models/workflow.py and decisions/models must
# be a chronology source's (register_source(models=...)).
NOT_IN_THE_CHRONOLOGY = {
    # Who may not see the case: access control, enforced by cases/permissions.py.
    "CaseExclusion",
    # Which teacher may read a melding's text: access control too (audited when shared).
    "ReportShare",
    # The afwegingskader itself: versioned reference data, not about the pupil.
    "Framework", "Question", "Option", "Definition",
}


@pytest.fixture
def dossier(personas):
    return full_dossier(personas)


def _record_models():
    # Every model of the decisions app (a new module too) and of the stappenplan records;
    # field histories (django-simple-history) are the timeline's, not records.
    return [m for m in apps.get_models()
            if (m._meta.app_label == "decisions" or m.__module__ == "cases.models.workflow")
            and not m.__name__.startswith("Historical")]


def test_every_kind_of_record_is_in_the_chronology():
    covered = {model for source in sources() for model in source.models}
    missing = [m.__name__ for m in _record_models()
               if m not in covered and m.__name__ not in NOT_IN_THE_CHRONOLOGY]
    assert not missing, f"not in any chronology source: {missing}"
    # And the exceptions are real models (a rename must not hide one).
    names = {m.__name__ for m in _record_models()}
    assert NOT_IN_THE_CHRONOLOGY <= names


def test_each_record_has_its_own_page_with_every_field(client, personas, dossier):
    # Directie: who reads every part of every record (the meldplicht's bestuur part too).
    client.force_login(personas.directie)
    entries = chronology(dossier)
    own_pages = {"observation", "report"}  # their own pages existed before
    for entry in entries:
        assert entry.url, entry.kind
        if entry.kind in own_pages:
            continue
        assert entry.url == reverse("case_record", kwargs={
            "case_id": dossier.pk, "kind": entry.kind, "record_id": entry.obj.pk})
        html = client.get(entry.url).content.decode()
        assert escape(entry.title) in html, entry.kind
        for label, value in entry.body:
            for line in value.splitlines():
                assert escape(line) in html, (entry.kind, label)
    logged = set(AccessLog.objects.filter(user=personas.directie, case_id=dossier.pk)
                 .values_list("what", flat=True))
    assert {f"case.record.{e.kind}" for e in entries if e.kind not in own_pages} <= logged


def test_the_chronology_links_to_each_record_and_shows_the_full_text(client, personas,
                                                                     dossier):
    client.force_login(personas.af)
    html = client.get(reverse("case_chronology", kwargs={"case_id": dossier.pk})).content.decode()
    for entry in chronology(dossier)[:50]:
        assert f'href="{entry.url}"' in html, entry.kind
    # The full text on demand, without a script: a <details> per record.
    assert html.count('<details class="entry__full">') >= 20
    conversation = next(e for e in chronology(dossier) if e.kind == "conversation")
    assert "4. Reactie van ouders/leerling" in html
    assert escape(dict(conversation.body)["6. Samenvatting en afspraken"]) in html
    assert WORK_NOTE not in html


def test_a_filter_per_kind_besluiten_and_classification_included(client, personas, dossier):
    client.force_login(personas.af)
    url = reverse("case_chronology", kwargs={"case_id": dossier.pk})
    html = client.get(url).content.decode()
    assert re.search(r'value="decision"[^>]*>\s*<label[^>]*>Besluiten</label>', html)
    assert re.search(r'value="classification"', html)
    html = client.get(url + "?soort=decision").content.decode()
    decision = PhaseDecision.objects.filter(case=dossier).first()
    assert escape(decision.note) in html
    assert "Gesprek met ouders" not in html
    html = client.get(url + "?soort=classification").content.decode()
    assert "Fysieke mishandeling" in html


def test_a_teacher_on_the_case_reads_records_as_in_the_chronology(client, personas, dossier):
    client.force_login(personas.teacher_on_case)
    conclusion = next(e for e in chronology(dossier) if e.kind == "conclusion")
    assert client.get(conclusion.url).status_code == 200
    # An unknown kind or a record of another case is not there.
    other = reverse("case_record", kwargs={"case_id": dossier.pk, "kind": "conclusion",
                                           "record_id": dossier.pk})
    assert client.get(other).status_code == 404
    unknown = reverse("case_record", kwargs={"case_id": dossier.pk, "kind": "werkaantekening",
                                             "record_id": conclusion.obj.pk})
    assert client.get(unknown).status_code == 404


def test_work_notes_have_no_record_page(client, personas, dossier):
    note = WorkNote.objects.get(case=dossier)
    client.force_login(personas.teacher_on_case)
    for kind in [s.kind for s in sources()]:
        url = reverse("case_record", kwargs={"case_id": dossier.pk, "kind": kind,
                                             "record_id": note.pk})
        assert client.get(url).status_code == 404


# --- The step bar --------------------------------------------------------------------------


def _done_steps(html):
    return re.findall(r'<li class="steps__item steps__item--done"[^>]*>([^<]+)<', html)


def test_the_step_bar_ticks_only_the_steps_that_happened(client, personas):
    walk_to(personas.case, Phase.MELDING, actor=personas.af)
    client.force_login(personas.af)
    html = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk})).content.decode()
    done = _done_steps(html)
    assert "Hulp" not in done  # from the weighing straight to a melding
    assert [step.strip() for step in done] == [
        "1. Signaleren", "2. Collegiale consultatie", "3. Gesprek met ouders en leerling",
        "4-5. Wegen en beslissen"]


def test_the_step_bar_ticks_help_after_help(client, personas):
    walk_to(personas.case, Phase.HULP, actor=personas.af)
    client.force_login(personas.af)
    html = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk})).content.decode()
    assert "Hulp" not in _done_steps(html)  # current, not done
    assert 'steps__item--current" aria-current="step">Hulp' in html


# --- The case page does not grow with the observations ----------------------------------


def _observations(case, author, n, start, label):
    observations = Observation.objects.bulk_create([
        Observation(case=case, author=author, status=Observation.Status.DRAFT, place="klas",
                    observed_at=start + timedelta(hours=i), situation=f"Situatie {i}",
                    submitted_at=start + timedelta(hours=i)) for i in range(n)])
    Statement.objects.bulk_create([Statement(observation=o, text=f"{label} {i}", position=0)
                                   for i, o in enumerate(observations)])
    freeze(*observations)


def _case_page(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("case_detail", kwargs={"case_id": case.pk}))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_a_case_page_with_500_observations_costs_what_one_with_20_does(client, personas):
    client.force_login(personas.af)
    start = timezone.now() - timedelta(days=60)
    _observations(personas.case, personas.teacher_on_case, 20, start, "Recent")
    queries_20, html_20 = _case_page(client, personas.case)
    _observations(personas.case, personas.teacher_on_case, 480, start - timedelta(days=30),
                  "Ouder")
    queries_500, html_500 = _case_page(client, personas.case)
    assert queries_500 <= queries_20
    assert html_500.count('class="observation"') == html_20.count('class="observation"') == 10
    assert len(html_500) < len(html_20) * 1.05
    assert "Alle 500 observaties in de chronologie" in html_500
    # The latest come first.
    assert re.search(r"\bRecent 19\b", html_500)
    assert not re.search(r"\bRecent 9\b", html_500) and "Ouder " not in html_500


def test_the_case_page_links_the_latest_records_to_their_pages(client, personas, dossier,
                                                               django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        links = latest_records(dossier, limit=100)
    entries = [e for e in chronology(dossier)
               if e.kind not in ("observation", "observation_followup")]
    # Every record of every kind (their parts are on the record's page).
    assert {(link.kind, link.url) for link in links} == {
        (e.kind, reverse("case_record", kwargs={"case_id": dossier.pk, "kind": e.kind,
                                                "record_id": e.obj.pk})) for e in entries}
    client.force_login(personas.af)
    html = client.get(reverse("case_detail", kwargs={"case_id": dossier.pk})).content.decode()
    for link in latest_records(dossier):
        assert f'href="{link.url}"' in html
        assert client.get(link.url).status_code == 200


def test_the_reporter_reads_the_meldplicht_switch_not_the_bestuurs_part(client, personas):
    case = personas.case
    Case.objects.filter(pk=case.pk).update(route=Route.MELDPLICHT)
    MeldplichtRecord.objects.create(
        case=case, recorded_by=personas.directie, phase_before=Phase.SIGNALEREN,
        reason="Een stagiair zou over de grens zijn gegaan.",
        inspector_notes="Vertrouwensinspecteur: redelijk vermoeden.",
        board_recorded_by=personas.bestuur, board_recorded_at=timezone.now())
    url = reverse("case_chronology", kwargs={"case_id": case.pk})
    client.force_login(personas.teacher_on_case)  # who reported the concern
    html = client.get(url).content.decode()
    assert "Een stagiair zou over de grens zijn gegaan." in html
    assert "Vertrouwensinspecteur: redelijk vermoeden." not in html
    client.force_login(personas.directie)
    html = client.get(url).content.decode()
    assert "Vertrouwensinspecteur: redelijk vermoeden." in html

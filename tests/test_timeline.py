"""One timeline per case: audit events and field changes as Dutch sentences, filtered,
paginated by keyset."""

import pytest
from django.db import connection
from django.urls import reverse

from audit.models import AccessLog
from audit.selectors.timeline import TimelineCursor, case_timeline
from audit.services import audit
from cases.models import Phase


def _url(case, **query):
    from urllib.parse import urlencode

    url = reverse("case_timeline", args=[case.pk])
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


@pytest.fixture
def story(personas):
    af = personas.af
    af.first_name, af.last_name = "Fatima", "el Amrani"
    af.save()
    case = personas.case
    case.phase = Phase.CONSULTATIE
    case._history_user = personas.directie
    case.save()
    case.phase = Phase.GESPREK
    case._history_user = af
    case.save()
    audit("case.team.added", actor=af, subject=case, actor_role="aandachtsfunctionaris",
          data={"member": personas.oka.pk})
    return case


def _sentences(response):
    return [f"{e.actor} ({e.role}) {e.sentence}" for e in response.context["page"].entries]


def test_field_changes_and_events_read_as_dutch_sentences(client, personas, story):
    client.force_login(personas.af)
    response = client.get(_url(story))
    assert response.status_code == 200
    sentences = _sentences(response)
    assert ("Fatima el Amrani (AF) wijzigde de fase van 2. Collegiale consultatie naar "
            "3. Gesprek met ouders en leerling") in sentences
    assert "Fatima el Amrani (AF) heeft iemand aan het casusteam toegevoegd" in sentences
    assert any(s.endswith("maakte casus aan") for s in sentences)
    html = response.content.decode()
    assert "wijzigde de fase van 2. Collegiale consultatie" in html


def test_filter_by_kind_and_person(client, personas, story):
    client.force_login(personas.directie)
    only_changes = _sentences(client.get(_url(story, soort="casus")))
    assert only_changes and all("wijzigde" in s or "maakte" in s for s in only_changes)
    by_directie = client.get(_url(story, persoon=personas.directie.pk)).context["page"]
    assert by_directie.entries and {e.actor for e in by_directie.entries} == {
        personas.directie}
    assert "consultatie" in by_directie.entries[0].sentence.lower()


def test_reading_the_timeline_is_logged(client, personas, story):
    client.force_login(personas.af)
    client.get(_url(story))
    assert AccessLog.objects.get().what == "case.timeline"


def test_keyset_pages_are_stable_while_entries_are_added(personas, story):
    for n in range(120):
        audit("case.team.added", actor=personas.af, subject=story, data={"member": n})
    seen, cursor = [], None
    while True:
        page = case_timeline(case_id=story.pk, student_id=story.student_id,
                             school_id=story.school_id, cursor=cursor, size=50)
        seen += [(e.rank, e.pk) for e in page.entries]
        # Someone keeps working on the case meanwhile: new entries go to the end.
        audit("case.team.added", actor=personas.af, subject=story, data={"member": -1})
        if not page.next_cursor:
            break
        cursor = TimelineCursor.decode(page.next_cursor)
    assert len(seen) == len(set(seen))
    keys = [(e.when, e.rank, e.pk) for e in page.entries]
    assert keys == sorted(keys)
    assert len(seen) >= 124


def test_a_malformed_cursor_starts_at_the_beginning(client, personas, story):
    client.force_login(personas.af)
    response = client.get(_url(story, na="niet-een-cursor"))
    assert response.status_code == 200 and response.context["page"].entries


def test_timeline_queries_are_bounded_with_100000_events(client, personas, story,
                                                         django_assert_max_num_queries):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, action, actor_id, actor_role, "
            "school_id, board_id, subject_type, subject_id, case_id, data, sequence, hash) "
            "SELECT now() + (n || ' ms')::interval, 'case.team.added', %s, "
            "'aandachtsfunctionaris', %s, %s, 'cases.case', %s, %s, '{}', 1000 + n, '' "
            "FROM generate_series(1, 100000) AS n",
            [personas.af.pk, personas.school.pk, personas.school.board_id, str(story.pk),
             story.pk])
    client.force_login(personas.af)
    client.get(_url(story))
    with django_assert_max_num_queries(25):
        response = client.get(_url(story))
    page = response.context["page"]
    assert len(page.entries) == 50 and page.next_cursor
    with django_assert_max_num_queries(25):
        response = client.get(_url(story, na=page.next_cursor, persoon=personas.af.pk))
    assert len(response.context["page"].entries) == 50

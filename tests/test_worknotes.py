"""Werkaantekeningen: a professional's private notes, seen by their author and no one else."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, AuditEvent
from cases.errors import DomainError
from cases.models import WorkNote
from cases.services import worknotes as services_worknotes
from tests.factories import ObservationFactory, WorkNoteFactory, grant_team

# C-17: a note tied to a pupil is personal data and falls under the right of access.
NOTICE = ("zijn het wel persoonsgegevens van de leerling: vragen de ouders (of de leerling "
          "zelf) inzage, dan vallen ze onder dat verzoek, tenzij ze op een vastgelegde grond "
          "worden achtergehouden.")


def _list_url(case):
    return reverse("worknote_list", kwargs={"case_id": case.pk})


def _add_url(case):
    return reverse("worknote_add", kwargs={"case_id": case.pk})


def _update_url(note):
    return reverse("worknote_update", kwargs={"case_id": note.case_id, "note_id": note.pk})


def _delete_url(note):
    return reverse("worknote_delete", kwargs={"case_id": note.case_id, "note_id": note.pk})


def _assert_no_text_in_audit(text):
    for event in AuditEvent.objects.all():
        assert text not in str(event.data)


# --- The author ------------------------------------------------------------------------


def test_author_adds_a_note_and_sees_it_with_the_privacy_notice(client, personas):
    client.force_login(personas.teacher_on_case)

    response = client.post(_add_url(personas.case), {"text": "Noah leek moe, navragen"})

    assert response.status_code == 302
    note = WorkNote.objects.get()
    assert note.author == personas.teacher_on_case and note.case == personas.case
    response = client.get(_list_url(personas.case))
    html = response.content.decode()
    assert "Noah leek moe, navragen" in html
    assert NOTICE in html
    assert "no-store" in response["Cache-Control"]


def test_adding_is_audited_without_the_text_and_outside_the_case_trail(client, personas):
    client.force_login(personas.teacher_on_case)
    client.post(_add_url(personas.case), {"text": "Gevoelige inhoud"})

    note = WorkNote.objects.get()
    event = AuditEvent.objects.get(action="worknote.added")
    assert event.actor == personas.teacher_on_case
    assert event.subject_id == str(note.pk)
    assert event.data == {"case": str(personas.case.pk)}
    # The team reads the case trail; a colleague's private notes are not theirs to know of.
    assert event.case_id is None
    _assert_no_text_in_audit("Gevoelige inhoud")


def test_an_empty_note_is_refused_with_a_dutch_message(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(_add_url(personas.case), {"text": "   "})
    assert response.status_code == 200
    assert "Schrijf een aantekening." in response.content.decode()
    assert not WorkNote.objects.exists()


def test_author_edits_own_note(client, personas):
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Oud")
    client.force_login(personas.teacher_on_case)

    response = client.post(_update_url(note), {"text": "Nieuw en feitelijk"})

    assert response.status_code == 302
    note.refresh_from_db()
    assert note.text == "Nieuw en feitelijk"
    assert note.updated_at > note.created_at
    assert AuditEvent.objects.filter(action="worknote.updated", actor=personas.teacher_on_case,
                                     subject_id=str(note.pk)).exists()
    _assert_no_text_in_audit("Nieuw en feitelijk")


def test_only_a_later_change_shows_as_edited(client, personas):
    earlier = timezone.now() - timedelta(hours=2)
    fresh = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Vers")
    old = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Oud",
                          created_at=earlier, updated_at=earlier)
    client.force_login(personas.teacher_on_case)
    client.post(_update_url(old), {"text": "Bijgewerkt"})

    html = client.get(_list_url(personas.case)).content.decode()

    edited = re.findall(r'id="werkaantekening-([0-9a-f-]+)".*?<h3[^>]*>(.*?)</h3>', html, re.S)
    flags = {note_id: "gewijzigd" in title for note_id, title in edited}
    assert flags == {str(fresh.pk): False, str(old.pk): True}


def test_invalid_edit_keeps_the_input_and_the_note(client, personas):
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Oud")
    client.force_login(personas.teacher_on_case)

    response = client.post(_update_url(note), {"text": "x" * 10_001})

    assert response.status_code == 200
    html = response.content.decode()
    assert "x" * 10_001 in html
    assert '<details class="worknote__edit" open>' in html
    note.refresh_from_db()
    assert note.text == "Oud"


def test_author_deletes_own_note_and_it_is_gone(client, personas):
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case,
                           text="Niet meer nodig")
    client.force_login(personas.teacher_on_case)

    response = client.post(_delete_url(note))

    assert response.status_code == 302
    assert not WorkNote.objects.exists()
    # Destroyed means destroyed: no field-level history keeps a copy of the text.
    assert not hasattr(WorkNote, "history")
    event = AuditEvent.objects.get(action="worknote.deleted")
    assert event.subject_id == str(note.pk) and event.case_id is None
    _assert_no_text_in_audit("Niet meer nodig")


def test_edit_and_delete_are_post_only(client, personas):
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case)
    client.force_login(personas.teacher_on_case)
    assert client.get(_update_url(note)).status_code == 405
    assert client.get(_delete_url(note)).status_code == 405
    assert WorkNote.objects.filter(pk=note.pk).exists()


# --- Everyone else ---------------------------------------------------------------------


def test_each_user_lists_only_own_notes(client, personas):
    WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Van de juf")
    WorkNoteFactory(case=personas.case, author=personas.af, text="Van de AF")

    client.force_login(personas.af)
    html = client.get(_list_url(personas.case)).content.decode()
    assert "Van de AF" in html and "Van de juf" not in html

    client.force_login(personas.directie)
    html = client.get(_list_url(personas.case)).content.decode()
    assert "Van de AF" not in html and "Van de juf" not in html
    assert "U hebt nog geen werkaantekeningen bij deze casus." in html


@pytest.mark.parametrize("who", ["af", "directie", "colleague_on_team"])
def test_others_on_the_team_get_404_on_someone_elses_note(client, personas, who):
    grant_team(personas.case, personas.teacher_not_on_case)
    user = personas.teacher_not_on_case if who == "colleague_on_team" else getattr(personas, who)
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Privé")
    client.force_login(user)

    assert client.post(_update_url(note), {"text": "Overschreven"}).status_code == 404
    assert client.post(_delete_url(note)).status_code == 404

    note.refresh_from_db()
    assert note.text == "Privé"
    assert "Privé</p>" not in client.get(_list_url(personas.case)).content.decode()


def test_a_note_is_only_reachable_through_its_own_case(client, personas):
    other = WorkNoteFactory(author=personas.teacher_on_case)  # on another case
    client.force_login(personas.teacher_on_case)
    url = reverse("worknote_update", kwargs={"case_id": personas.case.pk, "note_id": other.pk})
    assert client.post(url, {"text": "x"}).status_code == 404


def test_removed_from_the_team_means_no_access_to_own_notes(client, personas):
    grant_team(personas.case, personas.teacher_not_on_case)
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_not_on_case)
    personas.case.user_grants.filter(user=personas.teacher_not_on_case).delete()
    client.force_login(personas.teacher_not_on_case)
    assert client.get(_list_url(personas.case)).status_code == 404
    assert client.post(_update_url(note), {"text": "x"}).status_code == 404
    with pytest.raises(DomainError):
        services_worknotes.work_note_update(author=personas.teacher_not_on_case, note=note,
                                            text="x")


def test_services_refuse_someone_elses_note(personas):
    note = WorkNoteFactory(case=personas.case, author=personas.teacher_on_case, text="Privé")
    with pytest.raises(DomainError):
        services_worknotes.work_note_update(author=personas.af, note=note, text="Anders")
    with pytest.raises(DomainError):
        services_worknotes.work_note_delete(author=personas.directie, note=note)
    with pytest.raises(DomainError):
        services_worknotes.work_note_add(author=personas.teacher_not_on_case,
                                         case=personas.case, text="Zonder toegang")
    note.refresh_from_db()
    assert note.text == "Privé"
    assert not AuditEvent.objects.filter(action__startswith="worknote.").exists()


def test_notes_never_appear_in_chronology_print_or_case_page(client, personas):
    ObservationFactory(case=personas.case, situation="Een vastgelegde observatie")
    WorkNoteFactory(case=personas.case, author=personas.teacher_on_case,
                    text="Geheime werkaantekening")
    pages = [
        reverse("case_detail", kwargs={"case_id": personas.case.pk}),
        reverse("case_chronology", kwargs={"case_id": personas.case.pk}),
        reverse("case_chronology_print", kwargs={"case_id": personas.case.pk}),
    ]
    for user in (personas.teacher_on_case, personas.af, personas.directie):
        client.force_login(user)
        client.confirm_recent_auth()  # the print is an export
        for url in pages:
            html = client.get(url).content.decode()
            assert "Een vastgelegde observatie" in html or url == pages[0]
            assert "Geheime werkaantekening" not in html, (user, url)


def test_the_case_trail_does_not_reveal_private_notes(client, personas):
    client.force_login(personas.teacher_on_case)
    client.post(_add_url(personas.case), {"text": "Iets"}, follow=True)
    client.force_login(personas.af)
    html = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk})
                      ).content.decode()
    trail = re.search(r'<section[^>]*aria-labelledby="trail-title">.*?</section>', html, re.S)
    assert trail is not None
    assert "werkaantekening" not in trail.group(0)
    assert AuditEvent.objects.filter(action="worknote.added").exists()


def test_the_notes_page_writes_one_access_log_entry(client, personas):
    # The notes are the user's own, but the page names the pupil of the case.
    client.force_login(personas.teacher_on_case)
    client.get(_list_url(personas.case))
    entry = AccessLog.objects.get()
    assert (entry.what, entry.kind, entry.case_id) == ("worknote.list", "read", personas.case.pk)


def test_the_case_page_has_a_separate_private_tab(client, personas):
    client.force_login(personas.teacher_on_case)
    html = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk})
                      ).content.decode()
    assert (f'<li class="case-nav__private"><a href="{_list_url(personas.case)}">'
            "Mijn werkaantekeningen (privé)</a></li>") in html


def test_list_page_query_count_is_bounded(client, personas, django_assert_max_num_queries):
    WorkNote.objects.bulk_create([
        WorkNote(case=personas.case, author=personas.teacher_on_case, text=f"Notitie {i}")
        for i in range(100)
    ])
    client.force_login(personas.teacher_on_case)
    with django_assert_max_num_queries(12):
        response = client.get(_list_url(personas.case))
    assert response.content.decode().count('class="worknote"') == 100

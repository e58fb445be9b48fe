"""Work notes in a right-of-access request (C-17): personal data of the pupil, so part of
the request, yet read by their authors only. Before the copy is prepared the request
records whether the authors give them alongside the copy or on which ground they are
withheld; the copy lists them by number with the reason, never with their text."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from cases.errors import DomainError
from privacy.models import WORKNOTES_KIND, AccessRequest, WithheldItem
from privacy.services import requests as services
from tests.dossier_data import WORK_NOTE, full_dossier
from tests.factories import CarerFactory, WorkNoteFactory

pytestmark = pytest.mark.django_db

SECOND_NOTE = "Tweede privé notitie over het gesprek met oma"


def _squash(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", "", text)


def _record(p):
    return services.access_request_record(
        actor=p.af, case=p.case, requester="ouder", carer=CarerFactory(student=p.case.student),
        identity_checked="Paspoort getoond", received_on=timezone.localdate())


def _notes(p, count=3):
    for n in range(count):
        WorkNoteFactory(case=p.case, author=p.teacher_on_case, text=f"Privé notitie {n}")


def _withhold(p, request, **kwargs):
    return services.access_request_worknotes(
        actor=p.af, request=request, handling=AccessRequest.WorkNotes.WITHHELD,
        **{"ground": "belang_melder", "explanation": "De melder blijft buiten beeld",
           **kwargs})


def _approve(p, request):
    services.access_request_prepare(actor=p.af, request=request)
    return services.access_request_approve(actor=p.directie, request=request)


def test_prepare_is_refused_until_the_work_notes_are_handled(personas):
    p = personas
    _notes(p)
    request = _record(p)
    with pytest.raises(DomainError, match="3 werkaantekeningen.*Leg eerst vast"):
        services.access_request_prepare(actor=p.af, request=request)
    request.refresh_from_db()
    assert request.status == AccessRequest.Status.RECEIVED
    with pytest.raises(DomainError, match="Kies of"):
        services.access_request_worknotes(actor=p.af, request=request, handling="x")
    with pytest.raises(DomainError, match="Kies de grond"):
        _withhold(p, request, ground="")
    with pytest.raises(DomainError, match="Licht toe"):
        _withhold(p, request, explanation="  ")
    with pytest.raises(DomainError, match="aandachtsfunctionaris of de directie"):
        services.access_request_worknotes(actor=p.teacher_on_case, request=request,
                                          handling=AccessRequest.WorkNotes.GIVEN)
    assert not WithheldItem.objects.exists()
    assert not AuditEvent.objects.filter(action="access_request.worknotes_recorded").exists()


def test_prepare_is_allowed_when_the_authors_give_their_notes(personas):
    p = personas
    _notes(p, 2)
    request = services.access_request_worknotes(actor=p.af, request=_record(p),
                                                handling=AccessRequest.WorkNotes.GIVEN)
    assert (request.worknotes, request.worknotes_count) == ("verstrekt", 2)
    assert request.worknotes_recorded_by == p.af and request.worknotes_recorded_at
    request = _approve(p, request)
    assert request.status == AccessRequest.Status.APPROVED
    assert not request.withheld.exists()
    text = _squash(services.access_export(actor=p.af, request=request))
    assert "Werkaantekeningen(2)" in text and "deauteursgevenhunwerkaantekeningenzelf" in text
    assert "Privénotitie" not in text
    prepared = AuditEvent.objects.get(action="access_request.prepared")
    assert prepared.data["worknotes"] == "verstrekt"


def test_prepare_is_allowed_when_the_notes_are_withheld_on_a_ground(personas):
    p = personas
    _notes(p)
    request = _withhold(p, _record(p))
    item = WithheldItem.objects.get(request=request)
    assert (item.record_kind, item.record_label, item.ground) == (
        WORKNOTES_KIND, "Werkaantekeningen (3)", "belang_melder")
    assert _approve(p, request).status == AccessRequest.Status.APPROVED


def test_nothing_is_asked_when_the_case_has_no_work_notes(personas):
    p = personas
    request = _record(p)
    with pytest.raises(DomainError, match="geen werkaantekeningen"):
        services.access_request_worknotes(actor=p.af, request=request,
                                          handling=AccessRequest.WorkNotes.GIVEN)
    request = _approve(p, request)
    assert request.status == AccessRequest.Status.APPROVED and request.worknotes == ""
    text = _squash(services.access_export(actor=p.af, request=request))
    assert "Werkaantekeningen(" not in text and "Nietopgenomen" not in text


def test_a_note_written_since_the_choice_asks_for_it_again(personas):
    p = personas
    _notes(p, 1)
    request = _withhold(p, _record(p))
    _notes(p, 1)
    with pytest.raises(DomainError, match=r"toen 1, nu 2"):
        services.access_request_prepare(actor=p.af, request=request)
    # The second choice replaces the first: nothing is listed as withheld any more.
    request = services.access_request_worknotes(actor=p.af, request=request,
                                                handling=AccessRequest.WorkNotes.GIVEN)
    assert not request.withheld.exists() and request.worknotes_count == 2
    services.access_request_prepare(actor=p.af, request=request)
    with pytest.raises(DomainError, match="voorbereid"):
        _withhold(p, request)
    events = AuditEvent.objects.filter(action="access_request.worknotes_recorded")
    assert [e.data["previous"] for e in events.order_by("pk")] == ["", "niet_verstrekt"]


def test_the_copy_lists_the_withheld_notes_with_their_reason_and_never_their_text(
        personas):
    p = personas
    full_dossier(p)
    WorkNoteFactory(case=p.case, author=p.af, text=SECOND_NOTE)
    request = _approve(p, _withhold(p, _record(p), ground="belang_informant"))
    text = _squash(services.access_export(actor=p.af, request=request))
    assert "Nietopgenomen" in text
    assert ("Werkaantekeningen(2)Inhetbelangvaneeninformant:Demelderblijftbuitenbeeld"
            in text)
    for note in (WORK_NOTE, SECOND_NOTE):
        assert re.sub(r"\s+", "", note) not in text
    # The rest of the dossier is still there.
    assert "Dehulploopt goed.".replace(" ", "") in text
    assert AuditEvent.objects.get(action="access_request.exported").data["withheld"] == 1


def test_the_audit_event_holds_codes_and_a_count_and_no_text(personas):
    p = personas
    _notes(p, 2)
    _withhold(p, _record(p))
    event = AuditEvent.objects.get(action="access_request.worknotes_recorded")
    assert event.data == {"handling": "niet_verstrekt", "count": 2,
                          "ground": "belang_melder", "previous": ""}
    assert "melder blijft" not in str(event.data) and "notitie" not in str(event.data)


def test_the_request_page_shows_the_number_and_records_the_choice(client, personas):
    p = personas
    _notes(p)
    request = _record(p)
    client.force_login(p.af)
    detail = reverse("access_request_detail", args=[p.case.pk, request.pk])
    page = client.get(detail).content.decode()
    assert "horen nu 3 werkaantekeningen" in page and "Nog niet vastgelegd" in page
    assert "Privé notitie" not in page
    url = reverse("access_request_worknotes", args=[p.case.pk, request.pk])
    # Bad input is answered in Dutch, not with a 500, and records nothing.
    response = client.post(url, {"handling": "niet_verstrekt", "ground": "belang_kind"},
                           follow=True)
    assert response.status_code == 200 and "Licht toe" in response.content.decode()
    response = client.post(url, {"handling": "iets", "explanation": "x" * 3000}, follow=True)
    assert response.status_code == 200
    assert AccessRequest.objects.get(pk=request.pk).worknotes == ""
    response = client.post(url, {"handling": "niet_verstrekt", "ground": "belang_kind",
                                 "explanation": "Bescherming van het kind"}, follow=True)
    page = response.content.decode()
    assert "de reden staat in de kopie" in page
    assert "Werkaantekeningen (3): In het belang van het kind: Bescherming van het kind" in page
    client.post(reverse("access_request_prepare", args=[p.case.pk, request.pk]))
    assert AccessRequest.objects.get(pk=request.pk).status == AccessRequest.Status.PREPARED
    page = client.get(detail).content.decode()
    assert f'action="{url}"' not in page


def test_the_list_page_tells_the_truth_about_work_notes(client, personas):
    p = personas
    client.force_login(p.af)
    page = client.get(reverse("access_request_list", args=[p.case.pk])).content.decode()
    assert "horen niet bij de kopie" not in page
    assert "vallen ook onder een verzoek" in page

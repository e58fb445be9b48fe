"""The dossier as a PDF: every record in full, never a work note, records withheld with
their reason, wrapping long words, and the "Dossier afdrukken" download."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from audit.models import AccessKind, AccessLog, AuditEvent
from cases.models import DocumentJob, Evaluation
from cases.selectors.chronology import chronology, sources
from decisions.services.dossier import render_dossier_pdf
from tests.dossier_data import WORK_NOTE, full_dossier


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _squash(text: str) -> str:
    # A line may break anywhere in a long text: compare without any white space.
    return re.sub(r"\s+", "", str(text))


@pytest.fixture
def dossier(personas):
    return full_dossier(personas)


def test_every_record_of_every_kind_is_printed_in_full(personas, dossier):
    entries = chronology(dossier)
    # The fixture holds every kind, so this test covers them all.
    assert {e.kind for e in entries} == {s.kind for s in sources()}
    text = _squash(_text(render_dossier_pdf(case=dossier, printed_by=personas.af)))
    for entry in entries:
        assert _squash(entry.title) in text, entry.title
        for label, value in entry.body:
            assert _squash(value) in text, (entry.kind, label)
    for needle in ("Noah vertelde in de kring over de ruzie thuis.",
                   "Aanvulling: de plek was groen geworden.",
                   # The melding's content, read by those who print.
                   "Blauwe plekken.", "Uitgelegd waarom we melden.", "VT-2026-001"):
        assert _squash(needle) in text


def test_header_footer_statements_sources_body_map_and_attachments(personas, dossier):
    pdf = render_dossier_pdf(case=dossier, printed_by=personas.af)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    first = pages[0]
    assert "Noah Jansen" in first and "De Regenboog" in first
    assert dossier.reference in first and dossier.get_phase_display() in first
    # Every page: the confidential footer, who printed it, its number.
    for number, page in enumerate(pages, start=1):
        assert "Vertrouwelijk" in page
        assert f"afgedrukt door {personas.af}" in page
        assert f"Pagina {number} van {len(pages)}" in page
    text = "\n".join(pages)
    assert "Hypothese Misschien is hij thuis geslagen." in text
    assert "Feit Noah had een blauwe plek op de arm." in text
    assert "Buurvrouw Klaasen, buurvrouw" in text
    assert "foto_arm_noah.jpg" in text
    assert "Blauwe plek zo groot als een munt" in text
    # The body map is drawn, front and back, with the mark numbered as in the table.
    assert "Lichaamskaart, voorkant" in text and "Lichaamskaart, achterkant" in text


def test_never_a_work_note(personas, dossier):
    text = _squash(_text(render_dossier_pdf(case=dossier, printed_by=personas.af)))
    assert _squash(WORK_NOTE) not in text


def test_withheld_records_stand_as_niet_opgenomen_with_their_reason(personas, dossier):
    evaluation = Evaluation.objects.get(case=dossier)
    withheld = {("evaluation", str(evaluation.pk)): "Gegevens van een derde (art. 15 AVG)"}
    pdf = render_dossier_pdf(case=dossier, printed_by=personas.af, withheld=withheld)
    text = _text(pdf)
    assert "De hulp loopt goed." not in text
    assert "Elke maand kort contact." not in text
    # In its place, and again in the list at the end.
    assert text.count("Gegevens van een derde (art. 15 AVG)") == 2
    assert "Niet opgenomen" in text
    # Everything else is still there.
    assert "Opnieuw blauwe plekken gezien." in text


def test_a_word_of_ten_thousand_characters_wraps(personas):
    Evaluation.objects.create(case=personas.case, recorded_by=personas.af,
                              held_on="2026-03-02", participants="AF",
                              outcome="x" * 10_000, monitoring_agreements="Geen.")
    reader = PdfReader(io.BytesIO(render_dossier_pdf(case=personas.case,
                                                     printed_by=personas.af)))
    # All of it is printed, on A4, in lines that fit the page (a line of A4 holds about a
    # hundred characters; an unwrapped word would come out as one line of 10,000).
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert text.count("x") >= 10_000
    assert max(len(line) for line in text.splitlines()) < 200
    assert all(round(float(page.mediabox.width)) == 595 for page in reader.pages)


def test_the_download_is_confirmed_audited_and_access_logged(client, personas, dossier):
    url = reverse("case_dossier_pdf", kwargs={"case_id": dossier.pk})
    client.force_login(personas.af)
    assert client.get(url).status_code == 302  # password and code first
    client.confirm_recent_auth()
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"].startswith("no-store") or "no-store" in response[
        "Cache-Control"]
    assert f"dossier-{dossier.reference}.pdf" in response["Content-Disposition"]
    assert "Noah vertelde" in _text(response.content)
    event = AuditEvent.objects.get(action="case.dossier.printed")
    assert event.actor == personas.af and event.subject_id == str(dossier.pk)
    assert AccessLog.objects.filter(user=personas.af, what="case.dossier.print",
                                    kind=AccessKind.PRINT, case_id=dossier.pk).exists()


def test_a_teacher_on_the_case_may_not_print_the_whole_dossier(client, personas):
    client.force_login(personas.teacher_on_case)
    client.confirm_recent_auth()
    url = reverse("case_dossier_pdf", kwargs={"case_id": personas.case.pk})
    assert client.get(url).status_code == 403
    assert not AuditEvent.objects.filter(action="case.dossier.printed").exists()


def test_the_case_page_prints_the_dossier_in_the_worker(client, personas, settings,
                                                         django_capture_on_commit_callbacks):
    # "Dossier afdrukken" records a job (a dossier of hundreds of pages must not hold a web
    # worker); the PDF the requester downloads is the whole dossier, never a work note.
    client.force_login(personas.af)
    page = client.get(reverse("case_detail", kwargs={"case_id": personas.case.pk}))
    url = reverse("document_request", kwargs={"case_id": personas.case.pk, "kind": "dossier"})
    assert url in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    job = DocumentJob.objects.get(kind="dossier")
    assert response["Location"] == reverse("document_job", kwargs={"job_id": job.pk})
    client.confirm_recent_auth()
    got = client.post(reverse("document_download", kwargs={"job_id": job.pk}))
    assert got.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(got.content)).pages)
    assert personas.case.student.full_name in text and "Vertrouwelijk" in text

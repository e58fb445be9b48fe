"""The decisions pages: the guided weighing, the melding's page for each role, the case
page's bound with a weighing, help plan and melding, directie's dashboard, and the PDFs
(text read back with pypdf)."""

import io
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessKind, AccessLog, AuditEvent
from cases.models import Carer, Phase
from decisions.services import help as help_services
from decisions.services import reports as report_services
from decisions.services import weighing as weighing_services
from meldcode.forms.beheer import SchoolForm
from meldcode.services.beheer import SCHOOL_FIELDS
from tests.factories import (
    WorkNoteFactory,
    decide,
    make_report,
    submitted_observation,
    walk_to,
    weigh,
)
from tests.test_attachments import tiny_png


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_weighing_page_guides_one_question_at_a_time(client, personas):
    case = walk_to(personas.case, Phase.WEGEN, actor=personas.af)
    client.force_login(personas.af)
    page = client.get(reverse("weighing_detail", args=[case.pk])).content.decode()
    assert "1. VERMOEDEN WEGEN" in page and "2. VEILIGHEID" not in page
    # Bad input: a Dutch message, nothing typed lost.
    response = client.post(reverse("weighing_answer", args=[case.pk]),
                           {"option_code": "B", "argumentation": "Sterk vermoeden door X"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "bevoegd gezag" in body and "Sterk vermoeden door X" in body
    weigh(case, {1: "B"}, answerer=personas.af, directie=personas.directie)
    page = client.get(reverse("weighing_detail", args=[case.pk])).content.decode()
    assert "2. VEILIGHEID" in page
    # The definitions at hand, and the consequence shown before saving.
    assert "Acute onveiligheid" in page and "Meldnorm A" in page
    assert "een melding bij Veilig Thuis (meldnorm A)" in page


def test_a_disclosure_starts_question_2_at_yes_or_doubt(client, personas):
    case = walk_to(personas.case, Phase.WEGEN, actor=personas.af)
    submitted_observation(case, origin="kind_vertelde", statements=[("feit", "Zei: ik ben bang")])
    weigh(case, {1: "B"}, answerer=personas.af, directie=personas.directie)
    client.force_login(personas.af)
    form = client.get(reverse("weighing_detail", args=[case.pk])).context["answer_form"]
    assert form.initial == {"option_code": "B", "is_doubt": True}


def test_the_case_page_shows_the_decision_path(client, personas):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    client.force_login(personas.af)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Beslispad" in page and "Argumentatie bij afweging 2." in page
    assert "melding bij Veilig Thuis, meldnorm A" in page
    client.force_login(personas.teacher_on_case)
    page = client.get(reverse("case_detail", args=[case.pk])).content.decode()
    assert "Beslispad" not in page and "Melding (meldnorm A)" in page


def test_a_teacher_sees_the_state_but_not_the_draft(client, personas):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    report = case.reports.get()
    report_services.report_update(actor=personas.af, report=report,
                                  other_information="Geheime concepttekst")
    client.force_login(personas.teacher_on_case)
    page = client.get(reverse("report_detail", args=[report.pk])).content.decode()
    assert "Concept" in page and "Geheime concepttekst" not in page
    client.force_login(personas.af)
    assert "Geheime concepttekst" in client.get(
        reverse("report_detail", args=[report.pk])).content.decode()


def test_autosave_of_the_draft(client, personas):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    report = case.reports.get()
    client.force_login(personas.af)
    url = reverse("report_action", args=[report.pk, "opslaan"])
    response = client.post(url, {"melder_name": "A. Bakker", "other_information": "Zelf"},
                           headers={"X-Autosave": "1"})
    assert response.status_code == 204
    report.refresh_from_db()
    assert report.other_information == "Zelf"


def test_directie_dashboard_lists_meldingen_waiting_for_approval(client, personas):
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    report = case.reports.get()
    report_services.report_fact_add(actor=personas.af, report=report, text="Blauwe plek.")
    report_services.report_submit(actor=personas.af, report=report)
    client.force_login(personas.directie)
    page = client.get(reverse("dashboard")).content.decode()
    assert "wachten op uw goedkeuring" in page
    assert reverse("report_detail", args=[report.pk]) in page
    client.force_login(personas.af)
    assert "wachten op uw goedkeuring" not in client.get(reverse("dashboard")).content.decode()


@pytest.fixture
def full_case(personas):
    """A case with a weighing, a help plan beside the melding, and a sent melding."""
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    for number in (3, 4):
        weighing_services.answer_record(actor=personas.af, case=case, number=number,
                                        option_code="B", argumentation="Met VT besproken.",
                                        vt_contact="Mevr. de Wit")
    decide(case, "help", directie=personas.directie, consulted=personas.af)
    help_services.help_plan_record(
        actor=personas.af, case=case, help_description="Gezinscoach", provided_by="Wijkteam",
        casemanager=personas.af,
        termijn=timezone.localdate() + timedelta(days=40), expected_results="Rust thuis",
        accepted=True, parents_informed="Besproken",
        tasks=[(f"Persoon {i}", f"Taak {i}") for i in range(8)])
    report = case.reports.get()
    for i in range(10):
        observation = submitted_observation(case, origin="verteld_door_ander",
                                            source_name="Oma", source_role="grootmoeder",
                                            statements=[("feit", f"Feit nummer {i}")])
        report_services.report_fact_add(actor=personas.af, report=report,
                                        observation=observation)
    make_report(report, drafter=personas.af, directie=personas.directie)
    return case


def test_case_page_queries_bounded_with_weighing_help_and_melding(
        client, personas, full_case, django_assert_max_num_queries):
    client.force_login(personas.af)
    # 45, and 2 for the stappenplan's urgent-signal panel (classification, warnings), 4
    # for the step bar's phases, the latest records, the observation panel's drafts and
    # its count, and 1 for the latest classification in the case summary.
    with django_assert_max_num_queries(52):
        response = client.get(reverse("case_detail", args=[full_case.pk]))
    assert response.status_code == 200
    assert "Hulpplan" in response.content.decode()


def test_melding_pdf_has_the_facts_with_their_sources_and_the_footer(client, personas,
                                                                     full_case):
    report = full_case.reports.get()
    WorkNoteFactory(case=full_case, text="PRIVE-WERKAANTEKENING-XYZ")
    client.force_login(personas.af)
    client.confirm_recent_auth()
    text = _text(client.get(reverse("report_pdf", args=[report.pk])))
    assert personas.case.student.full_name in text
    assert "Feit nummer 3" in text and "informatie van een derde: Oma, grootmoeder" in text
    assert "Vertrouwelijk" in text and "Pagina 1 van" in text
    assert "PRIVE-WERKAANTEKENING-XYZ" not in text
    assert AuditEvent.objects.filter(action="document.printed", data__document="melding",
                                     case_id=full_case.pk).exists()
    assert AccessLog.objects.filter(what="case.report.pdf", case_id=full_case.pk,
                                    kind=AccessKind.PRINT).exists()


def test_letter_to_the_parents_on_the_letterhead_to_every_carer_with_gezag(client, personas,
                                                                          full_case):
    school = personas.school
    school.letterhead_name = "Stichting Regenboog Onderwijs"
    school.address = "Schoolstraat 1\n1234 AB Amsterdam"
    school.save()
    student = full_case.student
    Carer.objects.create(student=student, name="Mira Jansen", relation="ouder", gezag="ja",
                         address="Dorpsweg 2")
    Carer.objects.create(student=student, name="Karel Jansen", relation="ouder", gezag="ja",
                         safety_note="Contactverbod")
    Carer.objects.create(student=student, name="Oom Piet", relation="anders", gezag="nee")
    WorkNoteFactory(case=full_case, text="PRIVE-WERKAANTEKENING-XYZ")
    report = full_case.reports.get()
    client.force_login(personas.af)
    assert client.get(reverse("report_letter_pdf", args=[report.pk])).status_code == 403
    client.force_login(personas.directie)
    client.confirm_recent_auth()
    text = _text(client.get(reverse("report_letter_pdf", args=[report.pk])))
    assert "Stichting Regenboog Onderwijs" in text and "Schoolstraat 1" in text
    assert "Mira Jansen" in text
    assert "Karel Jansen" not in text and "Oom Piet" not in text
    assert "Veilig Thuis" in text and "Vertrouwelijk" in text
    assert "PRIVE-WERKAANTEKENING-XYZ" not in text


def test_weighing_record_pdf(client, personas, full_case):
    WorkNoteFactory(case=full_case, text="PRIVE-WERKAANTEKENING-XYZ")
    client.force_login(personas.af)
    client.confirm_recent_auth()
    text = _text(client.get(reverse("weighing_pdf", args=[full_case.pk])))
    assert "1. VERMOEDEN WEGEN" in text and "Argumentatie bij afweging 1." in text
    assert "PRIVE-WERKAANTEKENING-XYZ" not in text


def test_approving_a_melding_asks_for_password_and_code_first(client, personas):
    """The four-eyes approval is a deliberate step: password and code again (reauth)."""
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    report = case.reports.get()
    report_services.report_fact_add(actor=personas.af, report=report, text="Blauwe plek.")
    report_services.report_submit(actor=personas.af, report=report)
    client.force_login(personas.directie)
    url = reverse("report_action", args=[report.pk, "goedkeuren"])
    refused = client.post(url, {"confirmed": "on"})
    assert refused["Location"].startswith(reverse("reauth"))
    # Back to the melding's page once confirmed.
    assert f"next={quote(reverse('report_detail', args=[report.pk]), safe='')}" in (
        refused["Location"])
    report.refresh_from_db()
    assert report.approved_at is None
    assert not AuditEvent.objects.filter(action="report.approved").exists()
    client.confirm_recent_auth()
    assert client.post(url, {"confirmed": "on"})["Location"] == reverse("report_detail",
                                                                       args=[report.pk])
    report.refresh_from_db()
    assert report.approved_by == personas.directie


@pytest.mark.parametrize("name", ["report_pdf", "report_letter_pdf", "weighing_pdf"])
def test_the_documents_ask_for_password_and_code_first(client, personas, full_case, name):
    report = full_case.reports.get()
    arg = full_case.pk if name == "weighing_pdf" else report.pk
    url = reverse(name, args=[arg])
    client.force_login(personas.directie)
    response = client.get(url)
    assert response["Location"].startswith(reverse("reauth"))
    assert not AuditEvent.objects.filter(action="document.printed").exists()
    assert not AccessLog.objects.filter(kind=AccessKind.PRINT).exists()
    client.confirm_recent_auth()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert AccessLog.objects.filter(kind=AccessKind.PRINT, case_id=full_case.pk).count() == 1
    # Out of scope it stays 404, never a confirmation page.
    client.force_login(personas.teacher_other_school)
    assert client.get(url).status_code == 404


def test_the_af_shares_the_text_with_a_teacher_on_the_case(client, personas):
    """A teacher on the case sees the melding's existence and state, its text only once
    the AF shares it: read only, no documents, no actions."""
    case = walk_to(personas.case, Phase.MELDING, actor=personas.af)
    report = case.reports.get()
    report_services.report_update(actor=personas.af, report=report,
                                  other_information="Gedeelde concepttekst")
    url = reverse("report_detail", args=[report.pk])
    share = reverse("report_action", args=[report.pk, "delen"])
    client.force_login(personas.teacher_on_case)
    assert "Gedeelde concepttekst" not in client.get(url).content.decode()
    # Only the AF shares; a teacher cannot share it with themself.
    assert client.post(share, {"member": personas.teacher_on_case.pk}).status_code == 403
    client.force_login(personas.af)
    page = client.get(url).content.decode()
    assert "Tekst delen" in page and "Leerkracht in het casusteam" in page
    # A teacher of the school who is not on the case team is not offered, and refused.
    refused = client.post(share, {"member": personas.teacher_not_on_case.pk})
    assert refused.status_code == 200 and "Selecteer een geldige keuze" in (
        refused.content.decode())
    assert not AuditEvent.objects.filter(action="report.shared").exists()
    assert client.post(share, {"member": personas.teacher_on_case.pk}).status_code == 302
    assert AuditEvent.objects.filter(action="report.shared", case_id=case.pk).count() == 1
    client.force_login(personas.teacher_on_case)
    page = client.get(url).content.decode()
    assert "Gedeelde concepttekst" in page
    # No document and no form of the melding's actions for them.
    assert reverse("report_pdf", args=[report.pk]) not in page
    assert f'action="/melding/{report.pk}/' not in page
    assert client.get(reverse("report_pdf", args=[report.pk])).status_code == 403
    assert client.post(reverse("report_action", args=[report.pk, "opslaan"]),
                       {"other_information": "x"}).status_code == 403


def _files(*roots) -> set:
    return {path for root in roots if root.exists() for path in root.rglob("*")}


def test_the_beheerder_edits_the_letterhead_and_no_document_is_stored(client, personas,
                                                                      full_case, settings):
    """The letterhead (name, address, logo) comes from the school's settings, edited by the
    beheerder; the PDFs are made for each download and never written to disk."""
    school = personas.school
    data = {field: value if value is not None else ""
            for field, value in SchoolForm(instance=school).initial.items()
            if field in SCHOOL_FIELDS}
    data.update(letterhead_name="Stichting Briefpapier Test",
                address="Kerkplein 3\n4321 CD Utrecht",
                logo_upload=SimpleUploadedFile("logo.png", tiny_png(), content_type="image/png"))
    client.force_login(personas.beheerder)
    client.confirm_recent_auth()
    response = client.post(reverse("beheer_school_edit", args=[school.pk]), data)
    assert response.status_code == 302, response.content.decode()
    school.refresh_from_db()
    assert school.letterhead_name == "Stichting Briefpapier Test" and school.logo
    roots = (Path(settings.PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT))
    before = _files(*roots)
    report = full_case.reports.get()
    client.force_login(personas.directie)
    client.confirm_recent_auth()
    letter = client.get(reverse("report_letter_pdf", args=[report.pk]))
    reader = PdfReader(io.BytesIO(letter.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Stichting Briefpapier Test" in text and "Kerkplein 3" in text
    assert any(page.images for page in reader.pages)  # the logo
    client.get(reverse("report_pdf", args=[report.pk]))
    client.get(reverse("weighing_pdf", args=[full_case.pk]))
    assert _files(*roots) == before

"""PDF downloads: generated in memory for each request, never stored."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from decisions.services import documents
from decisions.services.reports import SENDERS
from decisions.views.common import case_for
from decisions.views.reports import report_for
from meldcode.models import Role


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def report_pdf(request, report_id):
    report, case, roles = report_for(request, report_id, "case.report.pdf")
    if not roles & SENDERS:
        raise PermissionDenied
    return pdf_response(documents.report_pdf(actor=request.user, report=report),
                f"melding-{case.reference}.pdf")


def report_letter_pdf(request, report_id):
    """The letter to the parents is signed by directie: only directie downloads it."""
    report, case, roles = report_for(request, report_id, "case.report.letter")
    if Role.DIRECTIE not in roles:
        raise PermissionDenied
    return pdf_response(
        documents.letter_pdf(actor=request.user, report=report, signer=request.user),
        f"brief-ouders-{case.reference}.pdf")


def weighing_pdf(request, case_id):
    case = case_for(request, case_id, what="case.weighing.pdf")
    return pdf_response(documents.weighing_pdf(actor=request.user, case=case),
                f"weging-{case.reference}.pdf")

"""PDF downloads: generated in memory for each request, never stored. Dossier content
leaves the system on paper: password and code first (meldcode/reauth.py), and each
download is logged as a print."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from audit.models import AccessKind
from audit.services import access_log
from decisions.services import documents
from decisions.services.reports import SENDERS
from decisions.views.common import case_for
from decisions.views.reports import report_for
from meldcode.models import Role
from meldcode.reauth import reauth_needed


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _printed(request, case, what: str) -> None:
    access_log(user=request.user, what=what, kind=AccessKind.PRINT, case=case)


def report_pdf(request, report_id):
    report, case, roles = report_for(request, report_id, None)
    if not roles & SENDERS:
        raise PermissionDenied
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    _printed(request, case, "case.report.pdf")
    return pdf_response(documents.report_pdf(actor=request.user, report=report),
                        f"melding-{case.reference}.pdf")


def report_letter_pdf(request, report_id):
    """The letter to the parents is signed by directie: only directie downloads it."""
    report, case, roles = report_for(request, report_id, None)
    if Role.DIRECTIE not in roles:
        raise PermissionDenied
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    _printed(request, case, "case.report.letter")
    return pdf_response(
        documents.letter_pdf(actor=request.user, report=report, signer=request.user),
        f"brief-ouders-{case.reference}.pdf")


def weighing_pdf(request, case_id):
    case = case_for(request, case_id, what=None)
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    _printed(request, case, "case.weighing.pdf")
    return pdf_response(documents.weighing_pdf(actor=request.user, case=case),
                        f"weging-{case.reference}.pdf")

""""Dossier afdrukken": the whole dossier as PDF, generated in memory, never stored."""

from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from decisions.services import dossier
from decisions.views.documents import pdf_response
from meldcode.reauth import reauth_needed


@require_GET
@never_cache
def case_dossier_pdf(request, case_id):
    # Only the AF and directie hand the dossier over (cases/permissions.py): 403 for the
    # rest of the team, 404 outside it.
    case = permissions.get_case_for_user(request.user, case_id, "dossier.print")
    # The whole dossier leaves the system: password and code first.
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    access_log(user=request.user, what="case.dossier.print", kind=AccessKind.PRINT, case=case)
    return pdf_response(dossier.dossier_print(actor=request.user, case=case),
                        f"dossier-{case.reference}.pdf")

"""The dossier as PDF for a third party: only for a recorded disclosure, which needed the
parents' consent for that recipient or is the Veilig Thuis exception
(cases/services/consent.py). Generated in memory, never stored."""

from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessKind
from audit.services import access_log
from cases.models import ThirdPartyDisclosure
from decisions.views.documents import pdf_response
from meldcode.reauth import reauth_needed
from privacy.services import disclosures as services
from privacy.views.requests import handled_case


@require_GET
@never_cache
def disclosure_pdf(request, case_id, disclosure_id):
    case = handled_case(request, case_id)
    disclosure = ThirdPartyDisclosure.objects.filter(pk=disclosure_id, case=case).first()
    if disclosure is None:
        raise Http404
    # Dossier content leaves the school: password and code first.
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    pdf = services.disclosure_pdf(actor=request.user, disclosure=disclosure)
    access_log(user=request.user, what="case.disclosure.pdf", kind=AccessKind.EXPORT, case=case)
    return pdf_response(pdf, f"dossier-{case.reference}-verstrekking.pdf")

"""Documents made outside the request: ask for one, watch its progress, download it once."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from cases.errors import DomainError
from cases.models import DocumentJob
from cases.services import documents as services
from meldcode.reauth import reauth_needed


def _renderer(kind):
    if kind not in services.RENDERERS:
        raise Http404
    return services.RENDERERS[kind]


def _job_for(request, job_id) -> tuple[DocumentJob, object]:
    """Only its requester sees a job, and only while they may still see the case."""
    job = get_object_or_404(DocumentJob.objects.only("id", "case_id", "kind", "requested_by"),
                            pk=job_id, requested_by=request.user)
    case = permissions.get_case_for_user(request.user, job.case_id, _renderer(job.kind).action)
    return job, case


@require_POST
def document_request(request, case_id, kind):
    entry = _renderer(kind)
    case = permissions.get_case_for_user(request.user, case_id, entry.action)
    job = services.document_request(actor=request.user, case=case, kind=kind)
    return redirect("document_job", job_id=job.pk)


@require_GET
@never_cache
def document_job(request, job_id):
    job, case = _job_for(request, job_id)
    job = DocumentJob.objects.defer("content").get(pk=job.pk)
    access_log(user=request.user, what="case.document.status", kind=AccessKind.READ,
               case=case)
    return render(request, "cases/documents/job.html", {
        "job": job, "case": case, "label": _renderer(job.kind).label,
    })


@require_POST
def document_download(request, job_id):
    job, case = _job_for(request, job_id)
    # Dossier content leaves the system: password and code first.
    back = reverse("document_job", kwargs={"job_id": job.pk})
    if (confirm_first := reauth_needed(request, back_to=back)) is not None:
        return confirm_first
    try:
        content, filename = services.document_download(actor=request.user, job=job)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(back)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response

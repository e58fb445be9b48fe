"""Matrix rows for documents made outside the request (cases/services/documents.py).

The rows use a test renderer, "proef"; the real kinds (the dossier) register the same way.
"""

from django.utils import timezone

from cases.models import DocumentJob
from cases.services import documents
from tests.matrix.core import NOT_FOUND_OUTSIDE_TEAM
from tests.matrix.rows import Row, everyone

PROOF_PDF = b"%PDF-1.7\n1 0 obj << /Type /Page >> endobj\n%%EOF\n"


def proof_renderer(*, case, printed_by, progress):
    progress(50)
    return PROOF_PDF


documents.register("proef", proof_renderer, label="Proefdocument")


def _job(status):
    def setup(p):
        ready = status == DocumentJob.Status.READY
        job = DocumentJob.objects.create(
            kind="proef", case=p.case, requested_by=p.af, status=status,
            content=PROOF_PDF if ready else None, filename="proef.pdf",
            expires_at=timezone.now() + documents.KEEP_FOR if ready else None)
        return {"job": job}
    return setup


def _job_id(p):
    return {"job_id": p.extra["job"].pk}


# Only the requester sees a job: everyone else gets 404, the case's directie too.
REQUESTER_ONLY = everyone(404, anonymous=302)

ROWS = [
    Row("document_request", everyone(302, **NOT_FOUND_OUTSIDE_TEAM, oka=404), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "kind": "proef"}),
    Row("document_request", everyone(404, anonymous=302), method="post",
        kwargs=lambda p: {"case_id": p.case.pk, "kind": "onbekend"},
        label="POST document_request (unknown kind)"),
    Row("document_job", {**REQUESTER_ONLY, "af": 200}, kwargs=_job_id,
        setup=_job(DocumentJob.Status.QUEUED)),
    Row("document_download", {**REQUESTER_ONLY, "af": 200}, method="post", kwargs=_job_id,
        setup=_job(DocumentJob.Status.READY), recent_auth=True),
    Row("document_download", {**REQUESTER_ONLY, "af": 302}, method="post", kwargs=_job_id,
        setup=_job(DocumentJob.Status.READY),
        label="POST document_download (not confirmed)"),
]

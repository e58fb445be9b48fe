"""Documents made outside the request: a registry of renderers by kind, and the job that
runs one (a task: django-tasks) with its progress, its one download, and its expiry.

A long PDF (a dossier of 181 pages takes half a minute) must not hold a web worker, so the
request only records the job; the worker renders it into the job's row; the requester
fetches it once, after which the content is gone. Nothing is written to disk.

Registering a renderer is one line, e.g. at an app's ready():

    documents.register("dossier", render_dossier_pdf, label=_("Dossier (PDF)"))

A renderer is called as `render(case=..., printed_by=...)` and returns the PDF's bytes;
one that also takes `progress` gets a callback `progress(percent)` to report how far it is.
"""

from __future__ import annotations

import inspect
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from audit.models import AccessKind
from audit.services import access_log, audit
from cases.errors import DomainError
from cases.models import DocumentJob

logger = logging.getLogger(__name__)

# How long a finished document waits for its download before its content is dropped.
KEEP_FOR = timedelta(hours=1)
Status = DocumentJob.Status


@dataclass(frozen=True)
class Renderer:
    kind: str
    render: Callable[..., bytes]
    label: str
    # The case action (cases/permissions.py) needed to request and fetch it.
    action: str = "view"
    takes_progress: bool = False


RENDERERS: dict[str, Renderer] = {}


def register(kind: str, render: Callable[..., bytes], *, label, action: str = "view") -> None:
    """Make `kind` requestable; the label names it on the page ("Dossier (PDF)")."""
    takes_progress = "progress" in inspect.signature(render).parameters
    RENDERERS[kind] = Renderer(kind=kind, render=render, label=label, action=action,
                               takes_progress=takes_progress)


def renderer(kind: str) -> Renderer:
    try:
        return RENDERERS[kind]
    except KeyError:
        raise DomainError(_("Dit soort document bestaat niet.")) from None


@transaction.atomic
def document_request(*, actor, case, kind: str) -> DocumentJob:
    """Record the request; the worker renders it after commit."""
    renderer(kind)
    job = DocumentJob.objects.create(kind=kind, case=case, requested_by=actor)
    audit("document.requested", actor=actor, subject=job, case=case,
          actor_role=",".join(sorted(getattr(case, "acting_roles", ()))), data={"kind": kind})
    job_id = str(job.pk)
    transaction.on_commit(lambda: render_document.enqueue(job_id))
    return job


def _set(job_id, **fields) -> None:
    DocumentJob.objects.filter(pk=job_id).update(**fields)


@task()
def render_document(job_id: str) -> str:
    """Render one job into its row. A failure is kept as a Dutch sentence for the page and
    logged without content; the worker goes on with the next job."""
    documents_expire()
    job = (DocumentJob.objects.select_related("case", "case__school", "case__student",
                                              "requested_by")
           .filter(pk=job_id, status=Status.QUEUED).first())
    if job is None:
        return "gone"
    entry = renderer(job.kind)
    _set(job.pk, status=Status.RUNNING, started_at=timezone.now(), progress=5)
    kwargs = {"case": job.case, "printed_by": job.requested_by}
    if entry.takes_progress:
        kwargs["progress"] = lambda percent: _set(job.pk, progress=max(5, min(99, percent)))
    try:
        content = entry.render(**kwargs)
    except Exception:
        logger.exception("Document job %s (%s) failed", job.reference, job.kind)
        _set(job.pk, status=Status.FAILED, finished_at=timezone.now(),
             error=_("Het document kon niet worden gemaakt. Probeer het opnieuw; blijft "
                     "het mislukken, meld het dan bij de functioneel beheerder."))
        return "failed"
    now = timezone.now()
    _set(job.pk, status=Status.READY, progress=100, content=content, finished_at=now,
         expires_at=now + KEEP_FOR, pages=_pages(content),
         filename=f"{job.kind}-{job.case.reference}.pdf")
    return "ready"


def _pages(content: bytes) -> int | None:
    """The number of page objects in the PDF (WeasyPrint writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page\b", content)) or None


@transaction.atomic
def document_download(*, actor, job: DocumentJob) -> tuple[bytes, str]:
    """Hand the document to its requester, once: the content leaves the database with it."""
    job = DocumentJob.objects.select_for_update().select_related("case").get(pk=job.pk)
    if job.requested_by_id != actor.pk:
        raise DomainError(_("Dit document is door iemand anders aangevraagd."))
    if job.status == Status.READY and job.expires_at and job.expires_at <= timezone.now():
        _expire(job)
    if job.status != Status.READY:
        raise DomainError(_("Dit document is niet (meer) te downloaden. Vraag het opnieuw "
                            "aan."))
    content, filename = bytes(job.content), job.filename
    job.content, job.status = None, Status.FETCHED
    job.save(update_fields=["content", "status"])
    case = job.case
    roles = getattr(case, "acting_roles", None)
    access_log(user=actor, what=f"case.document.{job.kind}", kind=AccessKind.PRINT, case=case,
               roles=roles)
    audit("document.downloaded", actor=actor, subject=job, case=case,
          actor_role=",".join(sorted(roles or ())),
          data={"kind": job.kind, "pages": job.pages})
    return content, filename


def _expire(job: DocumentJob) -> None:
    job.content, job.status = None, Status.EXPIRED
    job.save(update_fields=["content", "status"])


def documents_expire() -> int:
    """Drop the content of every finished document whose time to be fetched has passed."""
    return DocumentJob.objects.filter(status=Status.READY, expires_at__lte=timezone.now()) \
        .update(content=None, status=Status.EXPIRED)

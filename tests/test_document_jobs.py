"""Long PDFs are made outside the request (cases/services/documents.py): requested, rendered
by the worker with progress, downloaded once by the requester, then gone."""

from datetime import timedelta
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from audit.models import AccessLog, AuditEvent
from cases.models import DocumentJob
from cases.services import documents
from tests.matrix.documents import PROOF_PDF
from tests.test_notification_mail import DATABASE_TASKS, _worker

Status = DocumentJob.Status


def _request(client, personas, kind="proef"):
    client.force_login(personas.af)
    return client.post(reverse("document_request",
                               kwargs={"case_id": personas.case.pk, "kind": kind}))


def test_requesting_renders_after_the_request_and_the_requester_downloads_it_once(
        client, personas, django_capture_on_commit_callbacks, settings):
    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(client, personas)
    job = DocumentJob.objects.get()
    assert response["Location"] == reverse("document_job", kwargs={"job_id": job.pk})
    assert job.status == Status.QUEUED and job.content is None  # nothing rendered yet
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(response["Location"])
    assert b"data-poll" in page.content and b"<progress" in page.content

    _worker()
    job.refresh_from_db()
    assert (job.status, job.progress, bytes(job.content)) == (Status.READY, 100, PROOF_PDF)
    assert job.pages == 1 and job.expires_at > timezone.now()
    page = client.get(response["Location"])
    assert b"data-poll" not in page.content and b"Downloaden" in page.content

    download = reverse("document_download", kwargs={"job_id": job.pk})
    assert client.post(download).status_code == 302  # password and code first
    client.confirm_recent_auth()
    got = client.post(download)
    assert got.status_code == 200 and got.content == PROOF_PDF
    assert got["Content-Type"] == "application/pdf" and "no-store" in got["Cache-Control"]
    job.refresh_from_db()
    assert job.status == Status.FETCHED and job.content is None
    assert AccessLog.objects.filter(what="case.document.proef", kind="print",
                                    user=personas.af).count() == 1
    assert set(AuditEvent.objects.filter(subject_id=str(job.pk))
               .values_list("action", flat=True)) == {"document.requested",
                                                      "document.downloaded"}
    again = client.post(download)  # once only
    assert again.status_code == 302 and again["Location"] == reverse(
        "document_job", kwargs={"job_id": job.pk})


def test_an_unfetched_document_expires(personas):
    job = DocumentJob.objects.create(kind="proef", case=personas.case, requested_by=personas.af,
                                     status=Status.READY, content=PROOF_PDF,
                                     expires_at=timezone.now() - timedelta(seconds=1))
    assert documents.documents_expire() == 1
    job.refresh_from_db()
    assert job.status == Status.EXPIRED and job.content is None


def test_a_failing_renderer_leaves_a_dutch_message_and_no_content(personas, caplog):
    def broken(*, case, printed_by):
        raise RuntimeError("Noah Jansen")  # dossier text in an error stays out of the page

    documents.register("kapot", broken, label="Kapot")
    try:
        job = documents.document_request(actor=personas.af, case=personas.case, kind="kapot")
        documents.render_document.call(str(job.pk))
    finally:
        documents.RENDERERS.pop("kapot")
    job.refresh_from_db()
    assert job.status == Status.FAILED and job.content is None
    assert "Noah" not in job.error and "niet worden gemaakt" in job.error


def test_a_renderer_that_reports_progress_is_seen_halfway(personas):
    seen = []

    def slow(*, case, printed_by, progress):
        progress(40)
        seen.append(DocumentJob.objects.get().progress)
        return PROOF_PDF

    documents.register("traag", slow, label="Traag")
    try:
        job = documents.document_request(actor=personas.af, case=personas.case, kind="traag")
        documents.render_document.call(str(job.pk))
    finally:
        documents.RENDERERS.pop("traag")
    assert seen == [40]


def test_someone_who_lost_sight_of_the_case_cannot_fetch_their_document(client, personas):
    job = DocumentJob.objects.create(kind="proef", case=personas.case,
                                     requested_by=personas.teacher_on_case,
                                     status=Status.READY, content=PROOF_PDF,
                                     expires_at=timezone.now() + timedelta(hours=1))
    client.force_login(personas.teacher_on_case)
    client.confirm_recent_auth()
    url = reverse("document_download", kwargs={"job_id": job.pk})
    with mock.patch("cases.permissions.case_actions", return_value=frozenset()):
        assert client.post(url).status_code == 404
    job.refresh_from_db()
    assert job.status == Status.READY


@pytest.mark.parametrize("kind", ["onbekend"])
def test_an_unknown_kind_is_refused(personas, kind):
    with pytest.raises(documents.DomainError):
        documents.document_request(actor=personas.af, case=personas.case, kind=kind)

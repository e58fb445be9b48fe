"""The page of a document made outside the request: its progress, then its download."""

from datetime import timedelta

from django.utils import timezone

from cases.models import DocumentJob
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, confirm_identity, login
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, member
from tests.matrix.documents import PROOF_PDF


def test_the_af_watches_a_document_and_downloads_it_once(page):
    school = SchoolFactory(name="De Regenboog")
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="af")
    case = CaseFactory(student=StudentFactory(school=school, first_name="Noah"))
    job = DocumentJob.objects.create(kind="proef", case=case, requested_by=af, progress=40,
                                     status=DocumentJob.Status.RUNNING)

    login(page, "af")
    page.goto(f"/documenten/{job.pk}/")
    page.get_by_role("heading", name="Proefdocument").wait_for()
    assert page.locator("progress").get_attribute("value") == "40"
    assert_accessible(page, "document job in progress")

    DocumentJob.objects.filter(pk=job.pk).update(
        status=DocumentJob.Status.READY, progress=100, content=PROOF_PDF,
        filename="proef.pdf", expires_at=timezone.now() + timedelta(hours=1))
    page.get_by_role("button", name="Downloaden").wait_for()  # the page polls its status
    assert_accessible(page, "document job ready")
    page.get_by_role("button", name="Downloaden").click()
    confirm_identity(page, "af")
    page.get_by_role("button", name="Downloaden").wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Downloaden").click()
    assert download.value.suggested_filename == "proef.pdf"
    job.refresh_from_db()
    assert job.status == DocumentJob.Status.FETCHED and job.content is None

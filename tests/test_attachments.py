"""Attachments: type checked by content, private storage, download only through the policy."""

import hashlib
import struct
import zlib

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AccessLog, AuditEvent
from cases.errors import DomainError
from cases.models import Attachment, Case, Observation, SubmittedRecordError
from cases.models.observations import ATTACHMENT_EXTENSIONS
from cases.services import observations as services
from cases.services.observations import attachment_add, attachment_remove
from tests.factories import submitted_observation
from tests.observation_data import observation_post


def tiny_png() -> bytes:
    """A real 1×1 PNG."""
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels)
            + chunk(b"IEND", b""))


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


@pytest.fixture(autouse=True)
def private_dir(tmp_path, monkeypatch):
    """Files of these tests go to a temporary private directory."""
    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


@pytest.fixture
def draft(personas):
    return Observation.objects.create(case=personas.case, author=personas.teacher_on_case,
                                      place="Gymzaal", situation="Omkleden",
                                      free_signals="Blauwe plekken op de rug")


def upload(client, draft, *files, action="concept"):
    data = observation_post(action=action, concept=str(draft.pk))
    data["bijlagen"] = list(files)
    return client.post(reverse("observation_edit", args=[draft.case_id, draft.pk]), data)


def download_url(attachment):
    return reverse("attachment_download",
                   args=[attachment.observation.case_id, attachment.pk])


def test_a_real_png_is_accepted_and_stored_privately(client, personas, draft, private_dir):
    content = tiny_png()
    client.force_login(personas.teacher_on_case)
    response = upload(client, draft, SimpleUploadedFile("Noah rug.png", content,
                                                        content_type="image/png"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"
    assert attachment.sha256 == hashlib.sha256(content).hexdigest()
    assert attachment.size == len(content) and attachment.original_name == "Noah rug.png"
    # Random name inside the private directory: the pupil's name is not in the path.
    assert "Noah" not in attachment.file.name
    assert (private_dir / attachment.file.name).read_bytes() == content


def test_a_renamed_executable_is_refused(client, personas, draft):
    client.force_login(personas.teacher_on_case)
    response = upload(client, draft, SimpleUploadedFile("photo.jpg", EXECUTABLE,
                                                        content_type="image/jpeg"))
    assert response.status_code == 200
    assert "photo.jpg is geen PDF-, JPEG- of PNG-bestand." in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_oversize_file_is_refused(personas, draft):
    big = SimpleUploadedFile("scan.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024),
                             content_type="application/pdf")
    with pytest.raises(DomainError, match="groter dan 10 MB"):
        services.attachment_add(actor=personas.teacher_on_case, observation=draft, upload=big)
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("head", "expected"), [
    (b"%PDF-1.4", "application/pdf"),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n\x00", "image/png"),
    (b"GIF89a", None),
    (b"<svg xmlns=", None),
    (b"MZ\x90\x00", None),
    (b"", None),
])
def test_type_is_recognised_by_magic_bytes(head, expected):
    assert services.detect_content_type(head) == expected


def test_uploads_on_a_submitted_observation_are_refused(client, personas):
    frozen = submitted_observation(personas.case, place="Klas", situation="Pauze")
    png = SimpleUploadedFile("foto.png", tiny_png(), content_type="image/png")
    with pytest.raises(DomainError, match="vastgelegd en kan niet meer"):
        services.attachment_add(actor=personas.teacher_on_case, observation=frozen, upload=png)
    client.force_login(personas.teacher_on_case)
    response = upload(client, frozen, SimpleUploadedFile("foto.png", tiny_png()))
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_the_attachments_of_a_submitted_observation_are_frozen(client, personas, draft):
    attachment = services.attachment_add(
        actor=personas.teacher_on_case, observation=draft,
        upload=SimpleUploadedFile("foto.png", tiny_png()))
    services.observation_submit(actor=personas.teacher_on_case, observation=draft)
    attachment.refresh_from_db()
    with pytest.raises(DomainError):
        services.attachment_remove(actor=personas.teacher_on_case, attachment=attachment)
    with pytest.raises(SubmittedRecordError):
        attachment.delete()
    attachment.original_name = "anders.png"
    with pytest.raises(SubmittedRecordError):
        attachment.save()
    client.force_login(personas.teacher_on_case)
    response = client.post(reverse("attachment_remove", args=[personas.case.pk, attachment.pk]))
    assert response.status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_a_draft_attachment_can_be_removed_by_its_author(client, personas, draft,
                                                         private_dir,
                                                         django_capture_on_commit_callbacks):
    attachment = services.attachment_add(
        actor=personas.teacher_on_case, observation=draft,
        upload=SimpleUploadedFile("foto.png", tiny_png()))
    stored = private_dir / attachment.file.name
    assert stored.exists()
    client.force_login(personas.teacher_on_case)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("attachment_remove",
                                       args=[personas.case.pk, attachment.pk]))
    assert response.status_code == 302
    assert not Attachment.objects.exists() and not stored.exists()


@pytest.fixture
def submitted_attachment(personas, draft):
    attachment = services.attachment_add(
        actor=personas.teacher_on_case, observation=draft,
        upload=SimpleUploadedFile("verslag.pdf", b"%PDF-1.4\nverslag jeugdarts\n%%EOF"))
    services.observation_submit(actor=personas.teacher_on_case, observation=draft)
    return attachment


def test_download_is_an_attachment_with_nosniff_and_is_logged(client, personas,
                                                             submitted_attachment):
    client.force_login(personas.af)
    response = client.get(download_url(submitted_attachment))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="verslag.pdf"' in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-1.4")
    entry = AccessLog.objects.get(what="observation.attachment")
    assert entry.user == personas.af and entry.case_id == personas.case.pk


@pytest.mark.parametrize("persona", ["teacher_not_on_case", "af_other_school",
                                     "teacher_other_school", "beheerder", "inspecteur"])
def test_download_outside_the_case_team_is_not_found(client, personas, submitted_attachment,
                                                     persona):
    client.force_login(getattr(personas, persona))
    assert client.get(download_url(submitted_attachment)).status_code == 404
    assert not AccessLog.objects.filter(what="observation.attachment").exists()


def test_a_draft_attachment_is_downloadable_by_its_author_only(client, personas, draft):
    attachment = services.attachment_add(
        actor=personas.teacher_on_case, observation=draft,
        upload=SimpleUploadedFile("foto.png", tiny_png()))
    client.force_login(personas.af)
    assert client.get(download_url(attachment)).status_code == 404
    client.force_login(personas.teacher_on_case)
    assert client.get(download_url(attachment)).status_code == 200


def test_an_attachment_is_not_reachable_through_another_case(client, personas,
                                                            submitted_attachment):
    from tests.factories import CaseFactory, StudentFactory

    other = CaseFactory(student=StudentFactory(school=personas.school))
    client.force_login(personas.af)
    url = reverse("attachment_download", args=[other.pk, submitted_attachment.pk])
    assert client.get(url).status_code == 404


def test_removal_audit_names_the_removed_attachment_and_closed_cases_take_no_files(personas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
    added = attachment_add(actor=personas.teacher_on_case, observation=draft,
                           upload=SimpleUploadedFile("foto.png", png))
    attachment_remove(actor=personas.teacher_on_case, attachment=added)
    event = AuditEvent.objects.get(action="observation.attachment_removed")
    assert event.data == {"attachment": str(added.pk)}
    assert event.actor_role == "leerkracht"
    Case.objects.filter(pk=personas.case.pk).update(phase="gesloten")
    with pytest.raises(DomainError):
        attachment_add(actor=personas.teacher_on_case, observation=draft,
                       upload=SimpleUploadedFile("foto.png", png))
    assert not Attachment.objects.filter(observation=draft).exists()


# --- The stored type follows the content, never the name -------------------------------

POLYGLOT_PDF = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"


def test_every_recognised_type_has_an_extension():
    assert {kind for _magic, kind in services.MAGIC_NUMBERS} == set(ATTACHMENT_EXTENSIONS)


def test_a_pdf_named_html_is_stored_and_served_as_a_pdf(client, personas, draft, private_dir):
    client.force_login(personas.teacher_on_case)
    response = upload(client, draft, SimpleUploadedFile("polyglot.html", POLYGLOT_PDF,
                                                        content_type="text/html"))
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.file.name.endswith(".pdf") and ".html" not in attachment.file.name
    assert (private_dir / attachment.file.name).read_bytes() == POLYGLOT_PDF
    assert attachment.original_name == "polyglot.pdf"
    assert attachment.content_type == "application/pdf"
    download = client.get(download_url(attachment))
    assert download["Content-Type"] == "application/pdf"
    assert 'filename="polyglot.pdf"' in download["Content-Disposition"]
    assert "polyglot.pdf" in client.get(reverse(
        "observation_edit", args=[draft.case_id, draft.pk])).content.decode()


def test_an_older_attachment_is_downloaded_under_its_detected_type(client, personas, draft):
    attachment = services.attachment_add(actor=personas.teacher_on_case, observation=draft,
                                         upload=SimpleUploadedFile("scan.png", tiny_png()))
    # Stored before names followed the type.
    Attachment.objects.filter(pk=attachment.pk).update(original_name="scan.svg")
    client.force_login(personas.teacher_on_case)
    response = client.get(download_url(attachment))
    assert 'filename="scan.png"' in response["Content-Disposition"]
    assert response["Content-Type"] == "image/png"


# --- Quota: 10 files and 50 MB per observation, and so per request ----------------------


def _stored_attachments(draft, *, count, size):
    """Attachments already on the draft (rows only: the quota counts rows and sizes)."""
    Attachment.objects.bulk_create(
        Attachment(observation=draft, file=f"attachments/x/{i}.pdf", original_name=f"{i}.pdf",
                   content_type="application/pdf", size=size, sha256="0" * 64,
                   uploaded_by=draft.author)
        for i in range(count))


def test_eleven_files_in_one_request_are_all_refused(client, personas, draft):
    client.force_login(personas.teacher_on_case)
    files = [SimpleUploadedFile(f"foto{i}.png", tiny_png()) for i in range(11)]
    response = upload(client, draft, *files)
    assert response.status_code == 200
    html = response.content.decode()
    assert "hoogstens 10 bestanden van samen 50,0" in html and "u koos er 11" in html
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.situation == "Noah zat stil in de hoek tijdens de kring."  # text is saved


def test_more_than_50_mb_in_one_request_is_refused(client, personas, draft, monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENTS_BYTES", 1000)
    client.force_login(personas.teacher_on_case)
    files = [SimpleUploadedFile(f"verslag{i}.pdf", b"%PDF-1.4\n" + b"0" * 600)
             for i in range(2)]
    response = upload(client, draft, *files)
    assert "u koos er 2 van samen 1,2" in response.content.decode()
    assert not Attachment.objects.exists()


def test_an_observation_holds_at_most_ten_files(client, personas, draft):
    _stored_attachments(draft, count=9, size=1000)
    client.force_login(personas.teacher_on_case)
    two = [SimpleUploadedFile(f"foto{i}.png", tiny_png()) for i in range(2)]
    response = upload(client, draft, *two)
    html = response.content.decode()
    assert "Een observatie heeft hoogstens 10 bijlagen van samen 50,0" in html
    assert "Er zijn er al 9" in html
    assert Attachment.objects.count() == 9
    assert upload(client, draft, SimpleUploadedFile("foto.png", tiny_png())).status_code == 302
    assert Attachment.objects.count() == 10
    with pytest.raises(DomainError, match="hoogstens 10 bijlagen"):
        services.attachment_add(actor=personas.teacher_on_case, observation=draft,
                                upload=SimpleUploadedFile("nog.png", tiny_png()))


def test_an_observation_holds_at_most_50_mb(personas, draft):
    _stored_attachments(draft, count=5, size=10 * 1024 * 1024)
    with pytest.raises(DomainError, match="hoogstens 10 bijlagen van samen 50,0"):
        services.attachment_add(actor=personas.teacher_on_case, observation=draft,
                                upload=SimpleUploadedFile("foto.png", tiny_png()))
    assert Attachment.objects.count() == 5


def test_a_write_only_contributor_gets_back_the_file_of_their_own_draft_only(
        client, personas, draft):
    """C-20: a teacher not on the case writes into it; the file they attach to their own
    draft comes back to them, nothing else of the case does."""
    contributor = personas.teacher_not_on_case
    client.force_login(contributor)
    client.post(reverse("case_open", args=[personas.case.student.pk]))
    own = Observation.objects.create(case=personas.case, author=contributor, place="Gang",
                                     situation="Tweede zorg")
    response = upload(client, own, SimpleUploadedFile("gang.png", tiny_png(),
                                                      content_type="image/png"))
    assert response.status_code == 302
    mine = Attachment.objects.get(observation=own)
    form = client.get(reverse("observation_edit", args=[personas.case.pk, own.pk]))
    assert download_url(mine) in form.content.decode()
    got = client.get(download_url(mine))
    assert got.status_code == 200 and b"".join(got.streaming_content) == tiny_png()
    assert AccessLog.objects.filter(user=contributor, case_id=personas.case.pk,
                                    what="observation.attachment").exists()
    # Another's draft does not exist; a file of the case is refused; so is the case itself.
    theirs = attachment_add(actor=personas.teacher_on_case, observation=draft,
                            upload=SimpleUploadedFile("rug.png", tiny_png()))
    assert client.get(download_url(theirs)).status_code == 404
    Observation.objects.filter(pk=draft.pk).update(status=Observation.Status.SUBMITTED)
    assert client.get(download_url(theirs)).status_code == 403
    assert client.get(reverse("case_detail", args=[personas.case.pk])).status_code == 403
    # Once submitted, their own observation is part of the case: no longer theirs to read.
    Observation.objects.filter(pk=own.pk).update(status=Observation.Status.SUBMITTED)
    assert client.get(download_url(mine)).status_code == 403

"""Attachments are encrypted at rest (Fernet, keys from ATTACHMENT_KEYS), decrypted on
download, rotated by `rotate_attachment_key`; files from before encryption keep working
until the command encrypts them; backups carry the encrypted files and restore them."""

import json
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from audit.models import AuditEvent
from cases.models import Attachment, Observation
from cases.services.observations import attachment_add
from meldcode.storage import EncryptedFileSystemStorage
from tests import test_backup
from tests.test_attachments import tiny_png
from tests.test_backup import backup, manage, small_dataset
from tests.test_settings import PRODUCTION, _load_settings

KEY_1 = Fernet.generate_key().decode()
KEY_2 = Fernet.generate_key().decode()


@pytest.fixture
def media(tmp_path, settings, monkeypatch):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    settings.ATTACHMENT_KEYS = [KEY_1]
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage",
                        EncryptedFileSystemStorage(location=tmp_path, base_url=None))
    return tmp_path


@pytest.fixture
def draft(personas):
    return Observation.objects.create(case=personas.case, author=personas.teacher_on_case,
                                      place="Gymzaal", situation="Omkleden",
                                      free_signals="Blauwe plekken op de rug")


def _add(personas, draft, content=None):
    return attachment_add(actor=personas.teacher_on_case, observation=draft,
                          upload=SimpleUploadedFile("rug.png", content or tiny_png(),
                                                    content_type="image/png"))


def _download(client, personas, attachment) -> bytes:
    client.force_login(personas.teacher_on_case)
    response = client.get(reverse("attachment_download",
                                  args=[attachment.observation.case_id, attachment.pk]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_file_on_disk_is_not_the_plaintext_and_the_download_is(client, personas, draft,
                                                                    media):
    attachment = _add(personas, draft)
    on_disk = (media / attachment.file.name).read_bytes()
    assert on_disk.startswith(b"gAAAAA")
    assert b"PNG" not in on_disk and b"IHDR" not in on_disk
    assert Fernet(KEY_1).decrypt(on_disk) == tiny_png()
    assert _download(client, personas, attachment) == tiny_png()
    # The checksum and size are of what was uploaded, as before.
    assert attachment.size == len(tiny_png())


def test_a_file_from_before_encryption_still_downloads_until_rotated(client, personas,
                                                                     draft, media):
    attachment = _add(personas, draft)
    (media / attachment.file.name).write_bytes(tiny_png())  # as stored before encryption
    assert _download(client, personas, attachment) == tiny_png()
    out = StringIO()
    call_command("rotate_attachment_key", stdout=out)
    assert "voor het eerst versleuteld: 1" in out.getvalue()
    assert (media / attachment.file.name).read_bytes().startswith(b"gAAAAA")
    assert _download(client, personas, attachment) == tiny_png()


def test_rotation_reencrypts_every_file_with_the_new_key(client, personas, draft, media,
                                                         settings):
    first, second = _add(personas, draft), _add(personas, draft)
    settings.ATTACHMENT_KEYS = [KEY_2, KEY_1]  # the new key first, the old one still there
    assert _download(client, personas, first) == tiny_png()
    out = StringIO()
    call_command("rotate_attachment_key", stdout=out)
    assert "opnieuw versleuteld: 2" in out.getvalue()
    for attachment in (first, second):
        Fernet(KEY_2).decrypt((media / attachment.file.name).read_bytes())
    settings.ATTACHMENT_KEYS = [KEY_2]  # the old key removed
    assert _download(client, personas, second) == tiny_png()
    event = AuditEvent.objects.get(action="attachment.key_rotated")
    assert event.data == {"rotated": 2, "encrypted": 0, "missing": 0, "unreadable": 0,
                          "changed": 0}


def test_rotation_refuses_to_finish_when_a_key_is_missing(personas, draft, media, settings):
    attachment = _add(personas, draft)
    settings.ATTACHMENT_KEYS = [KEY_2]  # the old key dropped too early
    before = (media / attachment.file.name).read_bytes()
    with pytest.raises(CommandError):
        call_command("rotate_attachment_key", stdout=StringIO(), stderr=StringIO())
    assert (media / attachment.file.name).read_bytes() == before


def test_rotation_leaves_a_file_alone_that_is_not_what_was_uploaded(personas, draft, media):
    attachment = _add(personas, draft)
    tampered = Fernet(KEY_1).encrypt(b"\x89PNG something else")
    (media / attachment.file.name).write_bytes(tampered)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("rotate_attachment_key", stdout=StringIO(), stderr=err)
    assert "wijkt af" in err.getvalue()
    assert (media / attachment.file.name).read_bytes() == tampered


def test_production_requires_a_valid_attachment_key(tmp_path):
    missing = _load_settings(**PRODUCTION, ATTACHMENT_KEYS="")
    assert missing.returncode != 0 and "ATTACHMENT_KEYS is required" in missing.stderr
    malformed = _load_settings(**PRODUCTION, ATTACHMENT_KEYS=f"{KEY_1},geen-sleutel")
    assert malformed.returncode != 0 and "key 2 is not a Fernet key" in malformed.stderr
    key_file = tmp_path / "keys"
    key_file.write_text(f"{KEY_2},{KEY_1}\n")
    from_file = _load_settings(**PRODUCTION, ATTACHMENT_KEYS="",
                               ATTACHMENT_KEYS_FILE=str(key_file),
                               show="','.join(s.ATTACHMENT_KEYS)")
    assert from_file.returncode == 0, from_file.stderr
    assert from_file.stdout.strip() == f"{KEY_2},{KEY_1}"


def test_development_has_a_key_only_with_debug():
    result = _load_settings(DEBUG="1", ATTACHMENT_KEYS="", show="len(s.ATTACHMENT_KEYS)")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1"


committed = pytest.mark.django_db(transaction=True)
empty_database = test_backup.empty_database  # the fresh PostgreSQL database to restore into


@committed
def test_a_backup_restores_encrypted_attachments_that_still_open(tmp_path, settings,
                                                                 monkeypatch, empty_database):
    media = tmp_path / "media"
    media.mkdir()
    settings.PRIVATE_MEDIA_ROOT = media
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage",
                        EncryptedFileSystemStorage(location=media, base_url=None))
    small_dataset()
    attachment = Attachment.objects.get()
    assert (media / attachment.file.name).read_bytes().startswith(b"gAAAAA")
    folder = backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert attachment.file.name in manifest["media"]
    restored = tmp_path / "restored-media"
    result = manage("backup_restore", str(folder), database=empty_database, media=restored)
    assert result.returncode == 0, result.stdout + result.stderr
    stored = (restored / attachment.file.name).read_bytes()
    assert stored == (media / attachment.file.name).read_bytes()  # still encrypted
    opened = EncryptedFileSystemStorage(location=restored, base_url=None).open(
        attachment.file.name).read()
    assert opened == tiny_png()

"""Storage for dossier files: outside the web root, never given a public URL, and
encrypted at rest.

Every attachment is written as a Fernet token (AES-128-CBC with an HMAC-SHA256, from the
`cryptography` package) under the current key of `ATTACHMENT_KEYS`; it is read with any
of the listed keys (MultiFernet), so an older key keeps working until
`manage.py rotate_attachment_key` has re-encrypted every file with the current one. A file
stored before encryption came in (plain PDF, JPEG or PNG bytes) is still served as it is
until that command encrypts it: a Fernet token always starts with the version byte 0x80,
base64 "gAAAAA", which no accepted file type does.

Backups (meldcode/backup/) copy the files as they lie on disk, encrypted; a restore needs
the same keys in the environment to serve them again.
"""

import hashlib
import io
import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

TOKEN_PREFIX = b"gAAAAA"


class AttachmentKeyError(Exception):
    """A stored file cannot be opened with any configured key."""


class AttachmentChecksumError(Exception):
    """A stored file opens, but is not what was uploaded (its SHA-256 differs)."""


def _fernet() -> MultiFernet:
    # Built per use: the keys come from settings (and tests override them).
    return MultiFernet([Fernet(key) for key in settings.ATTACHMENT_KEYS])


def is_encrypted(data: bytes) -> bool:
    return data.startswith(TOKEN_PREFIX)


def encrypt(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt(data: bytes) -> bytes:
    """The plain bytes of a stored file (a file from before encryption as it is)."""
    if not is_encrypted(data):
        return data
    try:
        return _fernet().decrypt(data)
    except InvalidToken as error:
        raise AttachmentKeyError("no configured ATTACHMENT_KEYS key opens this file") from error


def reencrypt(data: bytes) -> bytes:
    """The file encrypted with the current key (rotated, or encrypted for the first time)."""
    if not is_encrypted(data):
        return encrypt(data)
    try:
        return _fernet().rotate(data)
    except InvalidToken as error:
        raise AttachmentKeyError("no configured ATTACHMENT_KEYS key opens this file") from error


class EncryptedFileSystemStorage(FileSystemStorage):
    """A private FileSystemStorage that encrypts on save and decrypts on open."""

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        plain = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return super()._save(name, ContentFile(encrypt(plain)))

    def _open(self, name, mode="rb"):
        if "b" not in mode or any(flag in mode for flag in "wa+"):
            raise ValueError("attachments are opened read-only, in binary mode")
        with super()._open(name, "rb") as stored:
            data = stored.read()
        return File(io.BytesIO(decrypt(data)), name=name)

    def rewrite(self, name, *, sha256: str | None = None) -> str:
        """Re-encrypt one stored file with the current key, replacing it atomically.
        Returns "rotated", or "encrypted" for a file stored before encryption. With
        `sha256` (of the plain upload), a file whose content differs is left alone."""
        path = Path(self.path(name))
        data = path.read_bytes()
        outcome = "rotated" if is_encrypted(data) else "encrypted"
        if sha256 is not None and hashlib.sha256(decrypt(data)).hexdigest() != sha256:
            raise AttachmentChecksumError(name)
        token = reencrypt(data)
        handle, scratch = tempfile.mkstemp(dir=path.parent, prefix=".rotate-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(token)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(scratch, path.stat().st_mode & 0o777)
            os.replace(scratch, path)
        except BaseException:
            Path(scratch).unlink(missing_ok=True)
            raise
        return outcome


def private_storage():
    return EncryptedFileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

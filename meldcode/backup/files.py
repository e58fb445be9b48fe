"""The files of a backup: checksums, the attachments' tar file, and age encryption.

age rather than gpg: a backup is encrypted to a public key (`BACKUP_AGE_RECIPIENT`), so
the server that makes backups holds no key that opens them; only whoever restores needs
the identity (`BACKUP_AGE_IDENTITY` or `BACKUP_AGE_IDENTITY_FILE`). Keys are one line
each, there is no keyring to manage, and the pyrage package brings it with pip, on every
machine that installs Meldcode, without a system package. Backups stay readable by the
`age` command-line tool.
"""

import hashlib
import os
import tarfile
from pathlib import Path

import pyrage
from django.utils.translation import gettext as _

from meldcode.backup.errors import BackupError

AGE_SUFFIX = ".age"
CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def media_files(root: Path) -> dict[str, str]:
    """Relative path → SHA-256 of every regular file below `root`."""
    if not root.exists():
        return {}
    return {path.relative_to(root).as_posix(): sha256_of(path)
            for path in sorted(root.rglob("*")) if path.is_file() and not path.is_symlink()}


def media_pack(root: Path, target: Path, names) -> None:
    with tarfile.open(target, "w") as archive:
        for name in names:
            archive.add(root / name, arcname=name, recursive=False)


def media_unpack(archive_path: Path, root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive_path) as archive:
        # The "data" filter refuses absolute paths, "..", links out of the folder and
        # device files: a tampered archive cannot write outside the media folder.
        archive.extractall(root, filter="data")


def _env_value(name: str) -> str:
    file_path = os.environ.get(f"{name}_FILE", "")
    if file_path:
        return Path(file_path).read_text(encoding="utf-8")
    return os.environ.get(name, "")


def recipients_from_env() -> list:
    """The age public keys to encrypt to; empty when backups are not encrypted."""
    keys = _env_value("BACKUP_AGE_RECIPIENT").replace(",", " ").split()
    try:
        return [pyrage.x25519.Recipient.from_str(key) for key in keys]
    except pyrage.RecipientError as error:
        raise BackupError(_("BACKUP_AGE_RECIPIENT is geen geldige age-sleutel (age1…): "
                            "%(error)s") % {"error": error}) from error


def identities_from_env() -> list:
    lines = [line.strip() for line in _env_value("BACKUP_AGE_IDENTITY").splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    if not keys:
        raise BackupError(_("Deze back-up is versleuteld: zet de age-sleutel om te "
                            "ontsleutelen in BACKUP_AGE_IDENTITY of BACKUP_AGE_IDENTITY_FILE."))
    try:
        return [pyrage.x25519.Identity.from_str(key) for key in keys]
    except pyrage.IdentityError as error:
        raise BackupError(_("BACKUP_AGE_IDENTITY is geen geldige age-sleutel: %(error)s")
                          % {"error": error}) from error


def encrypt(source: Path, target: Path, recipients) -> None:
    pyrage.encrypt_file(str(source), str(target), recipients)


def decrypt(source: Path, target: Path, identities) -> None:
    try:
        pyrage.decrypt_file(str(source), str(target), identities)
    except pyrage.DecryptError as error:
        raise BackupError(_("%(file)s kan niet worden ontsleuteld met deze sleutel: "
                            "%(error)s") % {"file": source.name, "error": error}) from error

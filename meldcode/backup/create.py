"""backup_create: one dated folder with the database, the attachments and a manifest."""

import io
import json
import shutil
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command, get_commands
from django.db import DatabaseError, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meldcode.backup import database, files
from meldcode.backup.errors import BackupError

MANIFEST = "manifest.json"
MEDIA_TAR = "media.tar"
FORMAT_VERSION = 1


def audit_head(using: str):
    """The audit chain heads as `export_audit_head` prints them, when that command exists
    (JSON when it prints JSON); None otherwise, or when it cannot run here."""
    if "export_audit_head" not in get_commands():
        return None
    out = io.StringIO()
    try:
        # A savepoint: inside the backup's read-only snapshot a command that writes fails,
        # and the snapshot must stay usable. Without a head the restore still compares
        # the audit tables and runs verify_audit.
        with transaction.atomic(using=using):
            call_command("export_audit_head", stdout=out)
    except (CommandError, DatabaseError):
        return None
    text = out.getvalue().strip()
    try:
        # One JSON line per chain; when it was exported differs between backup and restore.
        heads = [json.loads(line) for line in text.splitlines() if line.strip()]
    except ValueError:
        return text
    for head in heads:
        if isinstance(head, dict):
            head.pop("exported_at", None)
    return heads


def backup_create(target_dir: Path, *, using: str = "default", now=None) -> Path:
    """Write one backup folder below `target_dir` and return its path."""
    now = now or timezone.now()
    folder = Path(target_dir) / f"meldcode-{now:%Y%m%dT%H%M%SZ}"
    recipients = files.recipients_from_env()
    media_root = Path(settings.PRIVATE_MEDIA_ROOT)
    Path(target_dir).mkdir(parents=True, exist_ok=True)
    try:
        # Owner only: an unencrypted backup is every dossier of the board.
        folder.mkdir(mode=0o700)
    except FileExistsError as error:
        raise BackupError(_("%s bestaat al; er is in deze seconde al een back-up gemaakt.")
                          % folder) from error
    try:
        with tempfile.TemporaryDirectory(prefix="meldcode-backup-") as scratch:
            scratch = Path(scratch)
            plain_db = scratch / database.dump_name(using)
            with database.snapshot(using) as snapshot_id:
                counts = database.dump(using, plain_db, snapshot_id)
                audit = {"tables": database.audit_tables(connections[using]),
                         "head": audit_head(using)}
            media = files.media_files(media_root)
            plain_media = scratch / MEDIA_TAR
            files.media_pack(media_root, plain_media, media)
            stored = {}
            for plain in (plain_db, plain_media):
                if recipients:
                    target = folder / (plain.name + files.AGE_SUFFIX)
                    files.encrypt(plain, target, recipients)
                else:
                    target = folder / plain.name
                    shutil.move(plain, target)
                target.chmod(0o600)
                stored[target.name] = {"sha256": files.sha256_of(target),
                                       "size": target.stat().st_size}
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "database": {"vendor": database.vendor(using),
                         "file": database.dump_name(using)},
            "encryption": "age" if recipients else None,
            "files": stored,
            "tables": counts,
            "audit": audit,
            "media": media,
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n",
                                       encoding="utf-8")
        (folder / MANIFEST).chmod(0o600)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave a half backup behind
        raise
    return folder

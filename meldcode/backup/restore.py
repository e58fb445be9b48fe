"""backup_restore: back into an empty database and media folder, then check everything.

Every check that can be made before touching anything is made first (the manifest, every
file's checksum, an empty target, the key); after the restore the row counts, the
attachments' checksums, the audit tables and (when the command exists) `verify_audit`
must all agree with the manifest.
"""

import io
import json
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management import CommandError, call_command, get_commands
from django.db import connections
from django.utils.translation import gettext as _

from meldcode.backup import database, files
from meldcode.backup.create import MANIFEST, MEDIA_TAR, audit_head
from meldcode.backup.errors import BackupError


def read_manifest(folder: Path) -> dict:
    path = Path(folder) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(_("Geen %(file)s in %(folder)s: dit is geen back-up van "
                            "Meldcode.") % {"file": MANIFEST, "folder": folder}) from error
    except ValueError as error:
        raise BackupError(_("%s is beschadigd (geen geldige JSON).") % path) from error


def checksum_problems(folder: Path, manifest: dict) -> list[str]:
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = Path(folder) / name
        if not path.is_file():
            problems.append(_("%s ontbreekt.") % name)
        elif files.sha256_of(path) != expected["sha256"]:
            problems.append(_("%s is veranderd of beschadigd (controlegetal klopt niet).")
                            % name)
    return problems


def target_problems(using: str, media_root: Path) -> list[str]:
    problems = []
    if not database.is_empty(using):
        problems.append(_("De database %s is niet leeg. Zet een back-up alleen terug in een "
                          "lege database.") % connections[using].settings_dict["NAME"])
    if media_root.exists() and any(media_root.iterdir()):
        problems.append(_("De bijlagenmap %s is niet leeg. Zet een back-up alleen terug in "
                          "een lege map.") % media_root)
    return problems


def difference_problems(expected: dict, found: dict, what: str) -> list[str]:
    """One line per key whose value differs between the manifest and the restore."""
    return [_("%(what)s %(key)s: %(expected)s in de back-up, %(found)s na terugzetten.") % {
                "what": what, "key": key, "expected": expected.get(key, "–"),
                "found": found.get(key, "–")}
            for key in sorted(set(expected) | set(found)) if expected.get(key) != found.get(key)]


def verify_audit(report) -> list[str]:
    if "verify_audit" not in get_commands():
        report(_("verify_audit bestaat (nog) niet in deze versie: de hash-keten van de "
                 "audittrail is niet gecontroleerd, alleen de aantallen."))
        return []
    out = io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=out)
    except (CommandError, SystemExit) as error:
        return [_("verify_audit meldt een fout: %s") % (out.getvalue().strip() or error)]
    report(_("verify_audit: de audittrail is onderbroken noch veranderd."))
    return []


def backup_restore(folder: Path, *, using: str = "default", report=print) -> None:
    """Restore `folder`; raises BackupError listing every problem found."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    media_root = Path(settings.PRIVATE_MEDIA_ROOT)
    if manifest["database"]["vendor"] != database.vendor(using):
        raise BackupError(_("Deze back-up is van %(theirs)s; deze database is %(ours)s.") % {
            "theirs": manifest["database"]["vendor"], "ours": database.vendor(using)})
    problems = checksum_problems(folder, manifest)
    if problems:
        raise BackupError("\n".join([_("Niets teruggezet:"), *problems]))
    report(_("Controlegetallen van %d bestanden kloppen.") % len(manifest["files"]))
    problems = target_problems(using, media_root)
    if problems:
        raise BackupError("\n".join([_("Niets teruggezet:"), *problems]))
    identities = files.identities_from_env() if manifest["encryption"] else None

    with tempfile.TemporaryDirectory(prefix="meldcode-restore-") as scratch:
        plain = {}
        for name in (manifest["database"]["file"], MEDIA_TAR):
            stored = folder / (name + files.AGE_SUFFIX if identities else name)
            if identities:
                plain[name] = Path(scratch) / name
                files.decrypt(stored, plain[name], identities)
            else:
                plain[name] = stored
        database.restore(using, plain[manifest["database"]["file"]])
        report(_("Database teruggezet."))
        files.media_unpack(plain[MEDIA_TAR], media_root)
        report(_("Bijlagen teruggezet in %s.") % media_root)

    connection = connections[using]
    problems = [
        *difference_problems(manifest["tables"], database.row_counts(connection),
                             _("Tabel")),
        *difference_problems(manifest["media"], files.media_files(media_root),
                             _("Bijlage")),
        *difference_problems(manifest["audit"]["tables"], database.audit_tables(connection),
                             _("Audittabel")),
    ]
    if manifest["audit"].get("head") is not None:
        head = audit_head(using)
        if head != manifest["audit"]["head"]:
            problems.append(_("De kop van de audittrail na terugzetten (%(found)s) is niet die "
                              "van de back-up (%(expected)s).") % {
                                  "found": head, "expected": manifest["audit"]["head"]})
    problems += verify_audit(report)
    if problems:
        raise BackupError("\n".join([_("Teruggezet, maar niet gelijk aan de back-up:"),
                                     *problems]))
    report(_("Alles gelijk aan de back-up: %(tables)d tabellen, %(rows)d rijen, "
             "%(media)d bijlagen.") % {"tables": len(manifest["tables"]),
                                       "rows": sum(manifest["tables"].values()),
                                       "media": len(manifest["media"])})

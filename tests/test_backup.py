"""Backups that restore: a realistic dataset goes through backup_create and comes back
through backup_restore (a separate process, as a beheerder runs it) into a fresh
PostgreSQL database and folder, identical: row counts, audit trail, attachment bytes and
a dossier page."""

import json
import os
import re
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path

import psycopg
import pyrage
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from cases.models import Attachment, Case, Observation, Phase
from cases.services.observations import attachment_add, observation_submit
from meldcode.backup import create, restore
from meldcode.backup.restore import difference_problems
from meldcode.models import Role
from tests.factories import (
    CaseFactory,
    SchoolFactory,
    StudentFactory,
    WorkNoteFactory,
    member,
    teach,
    walk_to,
)
from tests.test_attachments import tiny_png

ROOT = Path(__file__).resolve().parent.parent
# pg_dump and the restore's own process see only committed data.
committed = pytest.mark.django_db(transaction=True)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

# Renders one case page with the test client in a process of its own, against whatever
# DATABASE_URL it is given: the same code for the original and the restored database.
RENDER = """
import os
import sys
from tests.two_factor import TwoFactorClient as Client
from django.test.utils import setup_test_environment
from meldcode.models import User
setup_test_environment()
client = Client()
client.force_login(User.objects.get(username=os.environ["RENDER_USER"]))
response = client.get(os.environ["RENDER_URL"])
assert response.status_code == 200, response.status_code
sys.stdout.write(response.content.decode())
"""


def database_url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{name}"


def manage(*args, database: str, media: Path, **env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True,
        env={**os.environ, "DATABASE_URL": database_url(database),
             "PRIVATE_MEDIA_ROOT": str(media), **env}, check=False)


def table_contents(database: str, *tables: str) -> dict:
    with psycopg.connect(database_url(database)) as db:
        return {table: db.execute(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
                for table in tables}


def row_counts(database: str, tables) -> dict:
    with psycopg.connect(database_url(database)) as db:
        return {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}


def render(database: str, username: str, url: str) -> str:
    result = manage("shell", "-c", RENDER, database=database, media=Path("/nonexistent"),
                    RENDER_USER=username, RENDER_URL=url)
    assert result.returncode == 0, result.stderr
    # The CSRF token is new on every render; nothing else may differ.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", result.stdout)


@pytest.fixture
def media_root(tmp_path, settings, monkeypatch):
    """Attachments of this test in a folder of its own, for the app and for the backup."""
    root = tmp_path / "media"
    root.mkdir()
    settings.PRIVATE_MEDIA_ROOT = root
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage",
                        FileSystemStorage(location=root, base_url=None))
    return root


@pytest.fixture
def empty_database():
    """A fresh PostgreSQL database (test_meldcode_ops_restore), dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backup(target: Path) -> Path:
    """backup_create as the command line runs it; returns the folder it printed."""
    out = StringIO()
    call_command("backup_create", str(target), stdout=out)
    return Path(out.getvalue().strip())


def realistic_dataset():
    """Two schools, cases in every phase through the services, attachments, work notes,
    tasks and their audit events."""
    school = SchoolFactory(name="De Regenboog")
    SchoolFactory(name="Het Kompas", board=school.board)
    teacher = member(Role.LEERKRACHT, school, username="leerkracht")
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="af")
    cases = {}
    for phase in (Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN,
                  Phase.HULP, Phase.MELDING, Phase.MONITOREN, Phase.GESLOTEN):
        student = StudentFactory(school=school)
        teach(student, teacher)
        case = CaseFactory(student=student, opened_by=teacher, team=[af])
        if phase == Phase.CONSULTATIE:
            draft = Observation.objects.create(case=case, author=teacher, place="Gymzaal",
                                               situation="Omkleden",
                                               free_signals="Blauwe plekken op de rug")
            attachment_add(actor=teacher, observation=draft, upload=SimpleUploadedFile(
                "rug.png", tiny_png(), content_type="image/png"))
            attachment_add(actor=teacher, observation=draft, upload=SimpleUploadedFile(
                "verslag.pdf", PDF, content_type="application/pdf"))
            observation_submit(actor=teacher, observation=draft)
        WorkNoteFactory(case=case, author=teacher)
        cases[phase] = walk_to(case, phase, actor=af)
    return cases


@committed
def test_a_backup_restores_into_an_empty_server_identically(client, media_root, tmp_path,
                                                            empty_database):
    cases = realistic_dataset()
    case = cases[Phase.CONSULTATIE]
    client.force_login(case.opened_by)
    assert client.get(f"/casussen/{case.pk}/").status_code == 200  # an access-log entry
    original = connection.settings_dict["NAME"]

    folder = backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}
    tables = list(manifest["tables"])
    counts = row_counts(original, tables)
    audit = table_contents(original, "audit_auditevent", "audit_accesslog")
    assert counts["audit_auditevent"] > 30 and counts["cases_attachment"] == 2
    assert manifest["tables"] == counts
    assert set(manifest["media"]) == {a.file.name for a in Attachment.objects.all()}

    restored_media = tmp_path / "restored-media"
    result = manage("backup_restore", str(folder), database=empty_database,
                    media=restored_media)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Alles gelijk aan de back-up" in result.stdout and "verify_audit" in result.stdout

    assert row_counts(empty_database, tables) == counts
    assert table_contents(empty_database, "audit_auditevent", "audit_accesslog") == audit
    for attachment in Attachment.objects.all():
        assert (restored_media / attachment.file.name).read_bytes() == (
            media_root / attachment.file.name).read_bytes()
    assert Case.objects.count() == 8

    url = f"/casussen/{case.pk}/"
    page = render(empty_database, "af", url)
    assert page == render(original, "af", url)
    assert case.student.last_name in page and "Collegiale consultatie" in page


def small_dataset():
    teacher = member(Role.LEERKRACHT, SchoolFactory(), username="leerkracht")
    case = CaseFactory(opened_by=teacher, student__school=teacher.memberships.get().school)
    draft = Observation.objects.create(case=case, author=teacher, place="Gang",
                                       situation="Viel", free_signals="Letsel")
    attachment_add(actor=teacher, observation=draft, upload=SimpleUploadedFile(
        "foto.png", tiny_png(), content_type="image/png"))
    observation_submit(actor=teacher, observation=draft)
    return case


@committed
def test_an_encrypted_backup_needs_the_key_and_restores_with_it(media_root, tmp_path,
                                                                monkeypatch, empty_database):
    small_dataset()
    identity = pyrage.x25519.Identity.generate()
    monkeypatch.setenv("BACKUP_AGE_RECIPIENT", str(identity.to_public()))
    folder = backup(tmp_path / "backups")
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["encryption"] == "age"
    # Readable by the owner only, also when encrypted.
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.dump.age", "manifest.json", "media.tar.age"]
    for name in ("database.dump.age", "media.tar.age"):
        head = (folder / name).read_bytes()[:40]
        assert head.startswith(b"age-encryption.org/v1") and b"PGDMP" not in head
    monkeypatch.delenv("BACKUP_AGE_RECIPIENT")

    restored_media = tmp_path / "restored-media"
    without_key = manage("backup_restore", str(folder), database=empty_database,
                         media=restored_media)
    assert without_key.returncode != 0
    assert "BACKUP_AGE_IDENTITY" in without_key.stderr
    assert row_counts(empty_database, ["pg_tables"]) and not restored_media.exists()

    key_file = tmp_path / "backup.key"
    key_file.write_text(f"# de sleutel van de back-ups\n{identity}\n")
    with_key = manage("backup_restore", str(folder), database=empty_database,
                      media=restored_media, BACKUP_AGE_IDENTITY_FILE=str(key_file))
    assert with_key.returncode == 0, with_key.stdout + with_key.stderr
    attachment = Attachment.objects.get()
    assert (restored_media / attachment.file.name).read_bytes() == tiny_png()


@committed
def test_restore_refuses_a_database_or_folder_that_is_not_empty(media_root, tmp_path):
    case = small_dataset()
    folder = backup(tmp_path / "backups")
    counts = row_counts(connection.settings_dict["NAME"], ["cases_case", "audit_auditevent"])
    with pytest.raises(CommandError) as refused:
        call_command("backup_restore", str(folder), stdout=StringIO())
    message = str(refused.value)
    assert "Niets teruggezet" in message
    assert "is niet leeg" in message and str(media_root) in message
    assert row_counts(connection.settings_dict["NAME"], ["cases_case", "audit_auditevent"]) \
        == counts
    assert Case.objects.get() == case


@committed
def test_a_changed_file_is_refused_before_anything_else(media_root, tmp_path):
    small_dataset()
    folder = backup(tmp_path / "backups")
    tar = folder / "media.tar"
    data = bytearray(tar.read_bytes())
    data[600] ^= 0xFF
    tar.write_bytes(bytes(data))
    with pytest.raises(CommandError) as refused:
        call_command("backup_restore", str(folder), stdout=StringIO())
    assert "media.tar is veranderd of beschadigd" in str(refused.value)
    assert "niet leeg" not in str(refused.value)  # checked first, before the target
    (folder / "manifest.json").unlink()
    with pytest.raises(CommandError, match="geen back-up van Meldcode"):
        call_command("backup_restore", str(folder), stdout=StringIO())


@committed
def test_a_difference_after_restoring_exits_non_zero(media_root, tmp_path, empty_database):
    small_dataset()
    folder = backup(tmp_path / "backups")
    manifest_path = folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["tables"]["cases_case"] += 1
    manifest_path.write_text(json.dumps(manifest))
    result = manage("backup_restore", str(folder), database=empty_database,
                    media=tmp_path / "restored-media")
    assert result.returncode != 0
    assert "niet gelijk aan de back-up" in result.stderr
    assert "cases_case: 2 in de back-up, 1 na terugzetten" in result.stderr


def test_differences_name_every_key_that_differs():
    assert difference_problems({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 0}, "Tabel") == [
        "Tabel b: 2 in de back-up, 3 na terugzetten.",
        "Tabel c: – in de back-up, 0 na terugzetten.",
    ]
    assert difference_problems({"a": 1}, {"a": 1}, "Tabel") == []


# --- verify_audit and export_audit_head, when this version has them -------------------


def _commands(monkeypatch, module, present, run):
    monkeypatch.setattr(module, "get_commands", lambda: {name: "audit" for name in present})
    monkeypatch.setattr(module, "call_command", run)


def test_restore_runs_verify_audit_when_it_exists_and_fails_on_a_break(monkeypatch):
    lines = []
    _commands(monkeypatch, restore, [], None)
    assert restore.verify_audit(lines.append) == []
    assert "niet gecontroleerd" in lines[-1]

    ran = []
    _commands(monkeypatch, restore, ["verify_audit"], lambda name, **kw: ran.append(name))
    assert restore.verify_audit(lines.append) == [] and ran == ["verify_audit"]

    def broken(name, stdout, stderr):
        stdout.write("Keten onderbroken bij gebeurtenis 17")
        raise CommandError("1 break")

    _commands(monkeypatch, restore, ["verify_audit"], broken)
    assert restore.verify_audit(lines.append) == [
        "verify_audit meldt een fout: Keten onderbroken bij gebeurtenis 17"]


@pytest.mark.django_db
def test_the_manifest_holds_the_audit_head_when_it_can_be_exported(monkeypatch):
    _commands(monkeypatch, create, [], None)
    assert create.audit_head("default") is None

    _commands(monkeypatch, create, ["export_audit_head"],
              lambda name, stdout: stdout.write('{"audit_auditevent": "ab12"}\n'))
    assert create.audit_head("default") == [{"audit_auditevent": "ab12"}]

    def refused(name, stdout):
        raise CommandError("kan niet")

    _commands(monkeypatch, create, ["export_audit_head"], refused)
    assert create.audit_head("default") is None


def test_the_demo_sqlite_file_backs_up_and_restores(tmp_path):
    """The SQLite demo: the file itself, through SQLite's online backup, with the demo data
    of `make run` (so the audit chain is a real one that verify_audit can walk)."""
    source = tmp_path / "demo.sqlite3"
    media = tmp_path / "media"
    (media / "attachments").mkdir(parents=True)
    (media / "attachments" / "f1").write_bytes(b"\x89PNG bytes")

    def run(*args, database, media_root):
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT,
                              capture_output=True, text=True, check=False,
                              env={**os.environ, "DATABASE_URL": f"sqlite:///{database}",
                                   "PRIVATE_MEDIA_ROOT": str(media_root)})

    for command in (("migrate", "--noinput"), ("seed_demo",)):
        prepared = run(*command, database=source, media_root=media)
        assert prepared.returncode == 0, prepared.stderr

    def counts(database):
        db = sqlite3.connect(database)
        found = {table: db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # noqa: S608
                 for table in ("audit_auditevent", "cases_case", "cases_observation")}
        db.close()
        return found

    created = run("backup_create", str(tmp_path / "backups"), database=source,
                  media_root=media)
    assert created.returncode == 0, created.stderr
    folder = Path(created.stdout.strip())
    assert sorted(p.name for p in folder.iterdir()) == [
        "database.sqlite3", "manifest.json", "media.tar"]
    target = tmp_path / "restored" / "db.sqlite3"
    restored = run("backup_restore", str(folder), database=target,
                   media_root=tmp_path / "restored-media")
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert counts(target) == counts(source) and counts(target)["cases_case"] > 0
    assert (tmp_path / "restored-media" / "attachments" / "f1").read_bytes() == b"\x89PNG bytes"
    again = run("backup_restore", str(folder), database=target,
                media_root=tmp_path / "other-media")
    assert again.returncode != 0 and "niet leeg" in again.stderr

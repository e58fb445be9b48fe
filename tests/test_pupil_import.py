"""The import from the school's administration: reading, the dry run, writing, idempotence,
leavers, mappings and the command."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Carer, Case, GroupPlacement, ImportMapping, SchoolGroup, Student
from cases.selectors.pupils import own_teachers
from cases.services import imports
from cases.services.import_files import read_table
from meldcode.models import Role, User
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, member
from tests.pupil_data import (
    GROUPS,
    HEADERS,
    as_csv,
    as_xlsx,
    pupil_rows,
    teacher_email,
    unknown_teacher,
    with_bad_rows,
)


@pytest.fixture
def school(db):
    school = SchoolFactory(name="De Regenboog")
    for group in GROUPS:
        member(Role.LEERKRACHT, school, username=f"juf.{group}", email=teacher_email(group))
    for group in ("1a", "5a", "7a"):  # groups with two teachers (see tests/pupil_data.py)
        member(Role.LEERKRACHT, school, username=f"juf2.{group}",
               email=teacher_email(group, 2))
    # The AF teaches group 3a as well (a small school's IB-er).
    member(Role.AANDACHTSFUNCTIONARIS, school, username="ib", email=teacher_email("3a", 2))
    return school


def _today():
    return timezone.localdate()


def _rows(n=600, **kw):
    return pupil_rows(n, today=_today(), **kw)


def _table_counts():
    return {m.__name__: m.objects.count() for m in
            (Student, Student.history.model, GroupPlacement, SchoolGroup, Carer, AuditEvent,
             User, ImportMapping)}


def test_a_realistic_file_of_600_pupils_with_every_kind_of_bad_row(school):
    rows, bad = with_bad_rows(_rows(600))
    unknown_line = unknown_teacher(rows, 5)
    data = as_csv(rows, encoding="cp1252", delimiter=";")
    users_before = User.objects.count()

    plan = imports.import_plan(school=school, data=data)

    assert sorted(p.line for p in plan.errors) == bad.all
    reasons = {p.line: " ".join(p.reasons) for p in plan.errors}
    assert "geen geldige datum" in reasons[bad.lines["impossible_date"][0]]
    assert "„onbekend” is geen geldige datum" in reasons[bad.lines["not_a_date"][0]]
    assert "kan niet kloppen" in reasons[bad.lines["future_date"][0]]
    assert "geboortedatum ontbreekt" in reasons[bad.lines["missing_date"][0]]
    assert "achternaam ontbreekt" in reasons[bad.lines["missing_last_name"][0]]
    assert "roepnaam ontbreekt" in reasons[bad.lines["missing_first_name"][0]]
    assert "groep ontbreekt" in reasons[bad.lines["missing_group"][0]]
    assert "langer dan 40 tekens" in reasons[bad.lines["group_too_long"][0]]
    assert "geen geldig e-mailadres van een leerkracht" in reasons[
        bad.lines["bad_teacher_email"][0]]
    assert "geen geldig e-mailadres van een ouder" in reasons[bad.lines["bad_carer_email"][0]]
    for line in bad.lines["duplicate"]:
        assert "staat vaker in het bestand (rijen 112, 122)" in reasons[line]
    assert plan.unknown_teachers == {"nieuw@school.example": [unknown_line]}
    assert plan.counts["added"] == 600 - len(bad.all)

    imports.import_run(actor=None, school=school, data=data, skip_bad_rows=True)

    assert Student.objects.filter(school=school).count() == 600 - len(bad.all)
    assert User.objects.count() == users_before  # unknown teachers are never created
    zoe = Student.objects.get(school=school, pupil_number=rows[8][0])
    assert zoe.full_name == "Zoë Çelik"  # cp1252 read as such
    group_2a = SchoolGroup.objects.get(school=school, name="2a")
    assert {t.email for t in group_2a.teachers.all()} == {teacher_email("2a")}
    assert Carer.objects.filter(student__school=school).count() == 600 - len(bad.all)
    assert Carer.objects.filter(gezag=Carer.Gezag.ONBEKEND).count() == 600 - len(bad.all)


def test_the_dry_run_writes_nothing(school, django_assert_max_num_queries):
    rows, _bad = with_bad_rows(_rows(600))
    StudentFactory(school=school, pupil_number="1")  # will be "left"
    before = _table_counts()
    with CaptureQueriesContext(connection) as ctx, django_assert_max_num_queries(10):
        plan = imports.import_plan(school=school, data=as_csv(rows))
    assert plan.counts["added"] > 500 and plan.counts["left"] == 1
    assert _table_counts() == before
    writes = [q["sql"] for q in ctx.captured_queries
              if q["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []


def test_running_the_same_file_twice_changes_nothing(school):
    data = as_xlsx(_rows(200))
    first = imports.import_run(actor=None, school=school, data=data)
    assert first.counts["added"] == 200 and first.has_changes
    history = Student.history.count()
    events = AuditEvent.objects.count()

    second = imports.import_plan(school=school, data=data)
    assert not second.has_changes
    assert second.counts["unchanged"] == 200
    imports.import_run(actor=None, school=school, data=data)
    assert Student.history.count() == history
    assert GroupPlacement.objects.filter(student__school=school).count() == 200
    assert Carer.objects.filter(student__school=school).count() == 200
    assert AuditEvent.objects.count() == events + 1  # the run itself, with zero counts


def test_pupils_who_left_are_kept_with_the_date_and_their_dossiers(school):
    rows = _rows(50)
    imports.import_run(actor=None, school=school, data=as_csv(rows))
    leaver = Student.objects.get(school=school, pupil_number=rows[0][0])
    case = CaseFactory(student=leaver)

    plan = imports.import_run(actor=None, school=school, data=as_csv(rows[1:]))
    assert [s.pk for s in plan.left] == [leaver.pk]
    leaver.refresh_from_db()
    assert leaver.left_on == _today()
    assert Case.objects.filter(pk=case.pk).exists()
    assert Student.objects.filter(school=school).count() == 50

    # A second run does not move the date; coming back clears it.
    assert imports.import_plan(school=school, data=as_csv(rows[1:])).counts["left"] == 0
    back = imports.import_run(actor=None, school=school, data=as_csv(rows))
    assert [c.fields for c in back.changed] == [["left_on"]]
    leaver.refresh_from_db()
    assert leaver.left_on is None


def test_rows_without_a_pupil_number_mark_nobody_as_left(school):
    rows = _rows(20)
    imports.import_run(actor=None, school=school, data=as_csv(rows))
    rows = rows[5:]
    rows[0][0] = ""
    plan = imports.import_plan(school=school, data=as_csv(rows))
    assert plan.left_withheld and plan.left == []
    assert plan.errors[0].line == 2


def test_a_changed_name_group_or_date_is_a_change(school):
    rows = _rows(10)
    imports.import_run(actor=None, school=school, data=as_csv(rows))
    rows[3][3], rows[4][5], rows[4][6] = "Jansen-Smit", "8b", teacher_email("8b")
    plan = imports.import_plan(school=school, data=as_csv(rows))
    assert sorted(tuple(c.fields) for c in plan.changed) == [("group",), ("last_name",)]
    imports.import_run(actor=None, school=school, data=as_csv(rows))
    moved = Student.objects.get(school=school, pupil_number=rows[4][0])
    assert moved.group == "8b"
    assert {t.email for t in own_teachers(moved)} == {teacher_email("8b")}


@pytest.mark.parametrize("encode", [
    lambda rows: as_csv(rows, delimiter=",", bom=True),
    lambda rows: as_csv(rows, delimiter=","),
    lambda rows: as_csv(rows, delimiter="\t"),
    lambda rows: as_csv(rows, delimiter=";", encoding="cp1252"),
    lambda rows: as_xlsx(rows),
    lambda rows: as_xlsx(rows, real_dates=False),
], ids=["utf8-bom-comma", "utf8-comma", "tab", "cp1252-semicolon", "xlsx", "xlsx-text-dates"])
def test_every_common_export_format_reads_the_same(school, encode):
    rows = _rows(40)
    plan = imports.import_plan(school=school, data=encode(rows))
    assert plan.errors == []
    got = {(r.pupil_number, r.first_name, r.infix, r.last_name, r.date_of_birth, r.group)
           for r in plan.rows}
    expected = {(r[0], r[1], r[2], r[3], date(*reversed([int(x) for x in r[4].split("-")])),
                 r[5]) for r in rows}
    assert got == expected


def test_other_headers_are_mapped_once_per_school(school):
    headers = ["Nummer", "Voornaam kind", "Tv", "Naam", "Geb.datum", "Stamgroep", "Mentor"]
    data = as_csv([r[:7] for r in _rows(5)], headers=headers)
    with pytest.raises(imports.MissingColumns) as missing:
        imports.import_plan(school=school, data=data)
    assert "Leerlingnummer" in missing.value.message and "Achternaam" in missing.value.message
    assert "Groep" not in missing.value.message  # "Stamgroep" is a built-in header

    imports.import_mapping_save(actor=None, school=school, columns={
        "pupil_number": "Nummer", "first_name": "Voornaam kind", "infix": "Tv",
        "last_name": "Naam", "date_of_birth": "Geb.datum", "group": "Stamgroep",
        "teacher_emails": "Mentor"})
    plan = imports.import_plan(school=school, data=data)
    assert plan.counts["added"] == 5 and plan.errors == []
    assert plan.group_teachers  # the teachers' column was mapped too


def test_teachers_are_kept_per_school_year(school):
    rows = _rows(1)
    last_year = date(_today().year - 1, 10, 1) if _today().month >= 8 else date(
        _today().year - 2, 10, 1)
    imports.import_run(actor=None, school=school, data=as_csv(rows),
                       progress=imports.no_progress)
    pupil = Student.objects.get(school=school)
    old_teacher = member(Role.LEERKRACHT, school, email="vorigjaar@school.example")
    old = SchoolGroup.objects.create(school=school, school_year=last_year.year, name="0",
                                     source="import")
    old.teachers.add(old_teacher)
    GroupPlacement.objects.create(student=pupil, group=old, school_year=last_year.year)
    assert list(own_teachers(pupil, on=last_year)) == [old_teacher]
    assert old_teacher not in own_teachers(pupil)


def test_the_import_is_audited_with_counts_only(school):
    rows = _rows(30)
    imports.import_run(actor=None, school=school, data=as_csv(rows))
    event = AuditEvent.objects.get(action="pupils.import.applied")
    assert set(event.data) == {"rows", "added", "changed", "unchanged", "left", "errors",
                               "unknown_teachers", "groups_changed", "placements_changed",
                               "carers_added", "school_year"}
    assert all(isinstance(v, int) for v in event.data.values())
    assert event.school_id == school.pk


def test_a_file_that_is_not_an_export_gets_a_dutch_message(school):
    with pytest.raises(imports.DomainError, match="leeg"):
        imports.import_plan(school=school, data=b"")
    with pytest.raises(imports.DomainError, match="Excelbestand"):
        imports.import_plan(school=school, data=b"PK\x03\x04rommel")
    with pytest.raises(imports.MissingColumns):
        imports.import_plan(school=school, data=b"naam;adres\nx;y\n")
    assert read_table(";".join(HEADERS).encode()).rows == []


# --- The command ---------------------------------------------------------------------------


def test_the_command_dry_run_prints_and_exits_non_zero_with_row_numbers(school, tmp_path,
                                                                        capsys):
    rows, bad = with_bad_rows(_rows(150))
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(as_csv(rows))
    with pytest.raises(CommandError) as error:
        call_command("import_pupils", str(path), "--school", "De Regenboog", "--dry-run")
    assert "rij " + ", ".join(map(str, bad.all)) in str(error.value)
    out = capsys.readouterr()
    assert "Er is niets opgeslagen." in out.out
    assert "31-02-2016" in out.err
    assert "[" in out.err and "100%" in out.err  # the progress bar
    assert Student.objects.count() == 0


def test_the_command_refuses_bad_rows_unless_told_to_skip_them(school, tmp_path):
    rows, bad = with_bad_rows(_rows(150))
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(as_csv(rows))
    with pytest.raises(CommandError):
        call_command("import_pupils", str(path), "--school", str(school.pk), "--no-progress")
    assert Student.objects.count() == 0
    with pytest.raises(CommandError):
        call_command("import_pupils", str(path), "--school", str(school.pk), "--no-progress",
                     "--skip-bad-rows")
    assert Student.objects.count() == 150 - len(bad.all)


def test_the_command_imports_a_clean_file_with_a_mapping(school, tmp_path, capsys):
    headers = ["LLnr", *HEADERS[1:]]
    path = tmp_path / "leerlingen.xlsx"
    path.write_bytes(as_xlsx(_rows(25), headers=headers))
    call_command("import_pupils", str(path), "--school", "de regenboog", "--no-progress",
                 "--mapping", "Leerlingnummer=LLnr")
    assert Student.objects.filter(school=school).count() == 25
    assert "De import is opgeslagen." in capsys.readouterr().out
    with pytest.raises(CommandError, match="niet begrepen"):
        call_command("import_pupils", str(path), "--school", "de regenboog",
                     "--mapping", "onzin")

"""The import from the school's pupil administration (LAS).

Always a dry run first: `import_plan` compares the file with what the school has and says
what would be added, changed and who is no longer in the file, and which rows cannot be
read, without writing. `import_apply` writes that plan in one transaction: pupils are never
deleted (who left is marked with the date, their dossiers stay), teachers are matched to
existing accounts by e-mail and never created, and groups are kept per school year. Running
the same file twice changes nothing the second time. The audit event holds counts only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from audit.services import audit
from cases.errors import DomainError
from cases.models import (
    Carer,
    GroupPlacement,
    ImportMapping,
    PupilImport,
    SchoolGroup,
    Source,
    Student,
)
from cases.services.import_files import (
    FIELDS_BY_NAME,
    PupilRow,
    RowProblem,
    parse_row,
    read_table,
    resolve_columns,
)
from cases.services.pupils import coordinator_conflicts_check
from meldcode.models import Role, School, User
from meldcode.workdays import local_today, school_year_of

Progress = Callable[[str, int, int], None]
STUDENT_FIELDS = ("first_name", "infix", "last_name", "date_of_birth", "group")
BATCH = 1000


def no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class Change:
    student: Student
    row: PupilRow
    fields: list[str]


@dataclass
class Plan:
    school: School
    school_year: int
    today: date
    rows: list[PupilRow] = field(default_factory=list)
    added: list[PupilRow] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0
    left: list[Student] = field(default_factory=list)
    errors: list[RowProblem] = field(default_factory=list)
    # e-mail -> row numbers: teachers without an account at this school (never created)
    unknown_teachers: dict[str, list[int]] = field(default_factory=dict)
    # group name -> the known teachers' ids the file gives it
    group_teachers: dict[str, set] = field(default_factory=dict)
    groups_changed: int = 0
    placements_changed: int = 0
    carers_added: int = 0
    # Rows without a pupil number: nobody is marked as left then (they might be among them).
    left_withheld: bool = False

    @property
    def counts(self) -> dict:
        return {"rows": len(self.rows) + len(self.errors), "added": len(self.added),
                "changed": len(self.changed), "unchanged": self.unchanged,
                "left": len(self.left), "errors": len(self.errors),
                "unknown_teachers": len(self.unknown_teachers),
                "groups_changed": self.groups_changed,
                "placements_changed": self.placements_changed,
                "carers_added": self.carers_added}

    @property
    def has_changes(self) -> bool:
        c = self.counts
        return any(c[k] for k in ("added", "changed", "left", "groups_changed",
                                  "placements_changed", "carers_added"))


def saved_mapping(school) -> dict:
    mapping = ImportMapping.objects.filter(school=school).first()
    return dict(mapping.columns) if mapping else {}


def _school_teachers_by_email(school) -> dict[str, int]:
    rows = (User.objects.filter(is_active=True, memberships__school=school,
                                memberships__role__in=[Role.LEERKRACHT,
                                                       Role.AANDACHTSFUNCTIONARIS,
                                                       Role.DIRECTIE])
            .exclude(email="").annotate(mail=Lower("email")).values_list("mail", "pk"))
    return dict(rows)


def import_plan(*, school, data: bytes, mapping: dict | None = None,
                today: date | None = None, progress: Progress = no_progress) -> Plan:
    """The dry run: reads the file and compares it with the school's pupils. Writes nothing."""
    today = today or local_today()
    table = read_table(data)
    columns, missing = resolve_columns(table.headers, saved_mapping(school)
                                       if mapping is None else mapping)
    if missing:
        raise MissingColumns(missing, table.headers)
    plan = Plan(school=school, school_year=school_year_of(today), today=today)
    total = len(table.rows)
    numbers: dict[str, list[int]] = defaultdict(list)
    parsed = []
    for done, (line, cells) in enumerate(table.rows, start=1):
        result = parse_row(line, cells, columns, today)
        parsed.append(result)
        if result.pupil_number:
            numbers[result.pupil_number].append(line)
        else:
            plan.left_withheld = True
        if done % 500 == 0:
            progress("lezen", done, total)
    for result in parsed:
        lines = numbers.get(result.pupil_number, [])
        if len(lines) > 1:
            duplicate = _("leerlingnummer %(number)s staat vaker in het bestand (rijen "
                          "%(rows)s)") % {"number": result.pupil_number,
                                          "rows": ", ".join(map(str, lines))}
            if isinstance(result, RowProblem):
                result.reasons.append(duplicate)
            else:
                result = RowProblem(line=result.line, reasons=[duplicate],
                                    pupil_number=result.pupil_number)
        if isinstance(result, RowProblem):
            plan.errors.append(result)
        else:
            plan.rows.append(result)
    progress("lezen", total, total)
    _compare(plan, numbers.keys())
    return plan


class MissingColumns(DomainError):
    """The file lacks a column for a required field: the user maps the headers first."""

    def __init__(self, missing, headers):
        names = ", ".join(str(f.label) for f in missing)
        super().__init__(_("Deze kolommen zijn niet gevonden: %(names)s. Geef aan welke "
                           "kolom van het bestand erbij hoort.") % {"names": names})
        self.missing = missing
        self.headers = headers


def _compare(plan: Plan, numbers_in_file) -> None:
    school, year = plan.school, plan.school_year
    existing = {s.pupil_number: s for s in Student.objects.filter(school=school)}
    teachers = _school_teachers_by_email(school)
    placements = {p.student_id: p for p in GroupPlacement.objects.filter(
        student__school=school, school_year=year).select_related("group")}
    groups = {g.name: g for g in SchoolGroup.objects.filter(school=school, school_year=year)
              .prefetch_related("teachers")}
    carers = defaultdict(set)
    for student_id, name in Carer.objects.filter(student__school=school).values_list(
            "student_id", "name"):
        carers[student_id].add(name.casefold())
    unknown: dict[str, list[int]] = defaultdict(list)
    for row in plan.rows:
        known = plan.group_teachers.setdefault(row.group, set())
        for email in row.teacher_emails:
            if email in teachers:
                known.add(teachers[email])
            else:
                unknown[email].append(row.line)
        student = existing.get(row.pupil_number)
        if student is None:
            plan.added.append(row)
            plan.placements_changed += 1
            plan.carers_added += len({c.name.casefold() for c in row.carers})
            continue
        changed = [f for f in STUDENT_FIELDS if getattr(student, f) != getattr(row, f)]
        if student.left_on is not None:
            changed.append("left_on")
        if changed:
            plan.changed.append(Change(student, row, changed))
        else:
            plan.unchanged += 1
        placement = placements.get(student.pk)
        if placement is None or placement.group.name != row.group:
            plan.placements_changed += 1
        plan.carers_added += len({c.name.casefold() for c in row.carers
                                  if c.name.casefold() not in carers[student.pk]})
    plan.unknown_teachers = dict(sorted(unknown.items()))
    for name, wanted in plan.group_teachers.items():
        group = groups.get(name)
        if group is None or group.source != Source.IMPORT or (
                {t.pk for t in group.teachers.all()} != wanted):
            plan.groups_changed += 1
    if not plan.left_withheld:
        in_file = set(numbers_in_file)
        plan.left = sorted((s for n, s in existing.items()
                            if n not in in_file and s.left_on is None),
                           key=lambda s: (s.last_name, s.first_name))


# --- Applying ---------------------------------------------------------------------------


@transaction.atomic
def import_apply(*, actor, upload: PupilImport, expected: dict | None = None,
                 progress: Progress = no_progress) -> Plan:
    """Write the import of an uploaded file, in one transaction. The plan is made again
    under the school's lock; when it differs from the dry run the user saw, nothing is
    written and they look again."""
    School.objects.select_for_update().get(pk=upload.school_id)
    upload = PupilImport.objects.select_for_update().get(pk=upload.pk)
    if upload.status != PupilImport.Status.PREVIEW:
        raise DomainError(_("Deze import is al verwerkt."))
    plan = import_plan(school=upload.school, data=bytes(upload.content), progress=progress)
    if expected is not None and plan.counts != expected:
        raise DomainError(_("De leerlingen van de school zijn sinds de proefimport veranderd. "
                            "Bekijk de proefimport opnieuw."))
    write_plan(plan, actor=actor, progress=progress)
    upload.status = PupilImport.Status.APPLIED
    upload.content = b""
    upload.counts = plan.counts
    upload.applied_at = timezone.now()
    upload.save(update_fields=["status", "content", "counts", "applied_at"])
    return plan


def write_plan(plan: Plan, *, actor, progress: Progress = no_progress) -> None:
    """Writes a plan; callers hold a transaction and the school's lock."""
    school, year = plan.school, plan.school_year
    total = len(plan.rows)
    new_students = [Student(school=school, pupil_number=r.pupil_number, first_name=r.first_name,
                            infix=r.infix, last_name=r.last_name,
                            date_of_birth=r.date_of_birth, group=r.group) for r in plan.added]
    bulk_create_with_history(new_students, Student, batch_size=BATCH, default_user=actor)
    progress("schrijven", len(new_students), total)
    changed_students = []
    for change in plan.changed:
        for name in change.fields:
            setattr(change.student, name, None if name == "left_on" else getattr(change.row,
                                                                                  name))
        changed_students.append(change.student)
    for student in plan.left:
        student.left_on = plan.today
    _bulk_update(changed_students, [*STUDENT_FIELDS, "left_on"], actor)
    _bulk_update(plan.left, ["left_on"], actor)
    progress("schrijven", len(new_students) + len(changed_students), total)
    by_number = {s.pupil_number: s for s in Student.objects.filter(school=school)}
    groups = _write_groups(plan)
    _write_placements(plan, by_number, groups)
    _write_carers(plan, by_number)
    progress("schrijven", total, total)
    audit("pupils.import.applied", actor=actor, school=school,
          data={**plan.counts, "school_year": year})
    if plan.groups_changed or plan.placements_changed:
        coordinator_conflicts_check(actor=actor, school=school, on=plan.today)


def _bulk_update(students, fields, actor):
    if students:
        bulk_update_with_history(students, Student, list(fields), batch_size=BATCH,
                                 default_user=actor)


def _write_groups(plan: Plan) -> dict[str, SchoolGroup]:
    school, year = plan.school, plan.school_year
    groups = {g.name: g for g in SchoolGroup.objects.filter(school=school, school_year=year)
              .prefetch_related("teachers")}
    missing = [SchoolGroup(school=school, school_year=year, name=name, source=Source.IMPORT)
               for name in plan.group_teachers if name not in groups]
    SchoolGroup.objects.bulk_create(missing, batch_size=BATCH)
    for group in missing:
        group._prefetched_objects_cache = {"teachers": User.objects.none()}
        groups[group.name] = group
    through = SchoolGroup.teachers.through
    links = []
    for name, wanted in plan.group_teachers.items():
        group = groups[name]
        if group.source != Source.IMPORT:
            group.source = Source.IMPORT
            group.save(update_fields=["source"])
        current = {t.pk for t in group.teachers.all()}
        if current - wanted:
            through.objects.filter(schoolgroup=group, user_id__in=current - wanted).delete()
        links += [through(schoolgroup=group, user_id=pk) for pk in wanted - current]
    through.objects.bulk_create(links, batch_size=BATCH)
    return groups


def _write_placements(plan, by_number, groups) -> None:
    year = plan.school_year
    current = {p.student_id: p for p in GroupPlacement.objects.filter(
        student__school=plan.school, school_year=year)}
    create, update = [], []
    for row in plan.rows:
        student = by_number[row.pupil_number]
        group = groups[row.group]
        placement = current.get(student.pk)
        if placement is None:
            create.append(GroupPlacement(student=student, group=group, school_year=year,
                                         source=Source.IMPORT))
        elif placement.group_id != group.pk or placement.source != Source.IMPORT:
            placement.group, placement.source = group, Source.IMPORT
            update.append(placement)
    GroupPlacement.objects.bulk_create(create, batch_size=BATCH)
    GroupPlacement.objects.bulk_update(update, ["group", "source"], batch_size=BATCH)


def _write_carers(plan, by_number) -> None:
    known = defaultdict(set)
    for student_id, name in Carer.objects.filter(student__school=plan.school).values_list(
            "student_id", "name"):
        known[student_id].add(name.casefold())
    new = []
    for row in plan.rows:
        student = by_number[row.pupil_number]
        for cells in row.carers:
            key = cells.name.casefold()
            if key in known[student.pk]:
                continue
            known[student.pk].add(key)
            # The export does not say who has gezag: that stays "onbekend" until checked.
            new.append(Carer(student=student, name=cells.name, email=cells.email,
                             phone=cells.phone, relation=Carer.Relation.OUDER))
    bulk_create_with_history(new, Carer, batch_size=BATCH)


# --- Uploads and mappings (the browser's two steps) --------------------------------------


@transaction.atomic
def import_upload(*, actor, school, filename: str, data: bytes) -> PupilImport:
    """Keep an uploaded file for its dry run. Earlier unconfirmed uploads of this school, and
    any left unconfirmed for a day, are dropped: one dry run at a time, and no pupil data
    lingers."""
    stale = timezone.now() - timedelta(days=1)
    PupilImport.objects.filter(status=PupilImport.Status.PREVIEW).filter(
        Q(school=school) | Q(uploaded_at__lt=stale)).delete()
    upload = PupilImport.objects.create(school=school, uploaded_by=actor,
                                        filename=filename[:200], content=data)
    audit("pupils.import.uploaded", actor=actor, school=school, data={"bytes": len(data)})
    return upload


@transaction.atomic
def import_mapping_save(*, actor, school, columns: dict) -> ImportMapping:
    unknown = set(columns) - set(FIELDS_BY_NAME)
    if unknown:
        raise DomainError(_("Onbekend veld in de koppeling."))
    clean = {k: v.strip() for k, v in columns.items() if v and v.strip()}
    mapping, _created = ImportMapping.objects.select_for_update().get_or_create(school=school)
    mapping.columns = clean
    mapping.updated_by = actor
    mapping.save(update_fields=["columns", "updated_by", "updated_at"])
    audit("pupils.import.mapping_saved", actor=actor, school=school,
          data={"fields": sorted(clean)})
    return mapping


@transaction.atomic
def import_run(*, actor, school, data: bytes, mapping: dict | None = None,
               skip_bad_rows: bool = False, progress: Progress = no_progress) -> Plan:
    """The import from the command line: plan and write in one transaction. With rows that
    cannot be read nothing is written, unless the caller chose to skip them."""
    School.objects.select_for_update().get(pk=school.pk)
    plan = import_plan(school=school, data=data, mapping=mapping, progress=progress)
    if plan.errors and not skip_bad_rows:
        return plan
    write_plan(plan, actor=actor, progress=progress)
    return plan

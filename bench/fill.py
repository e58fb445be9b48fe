"""The benchmark board's contents (see bench/generate.py); imported once Django is set up."""

from __future__ import annotations

import random
import sys
import time
from datetime import timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone

from audit.models import AccessLog, AuditEvent
from bench import objects
from bench.board import chained_copy, copy_rows, new_id, spread
from bench.generate import GROUPS, HEAVY, PASSWORD
from cases.models import (
    Case,
    CaseUserObjectPermission,
    Notification,
    Observation,
    Phase,
    Statement,
    Student,
    Task,
)
from cases.models.pupils import GroupPlacement, SchoolGroup
from cases.models.tasks import TaskKind
from decisions.services import reports as report_services
from meldcode.models import Board, Membership, MembershipStatus, Role, School, User
from meldcode.workdays import school_year_of

FIRST = ("Noah", "Emma", "Liam", "Julia", "Sem", "Mila", "Luuk", "Tess", "Daan", "Saar",
         "Finn", "Nora", "Levi", "Zoë", "Mees", "Evi", "Jesse", "Anna", "Bram", "Lotte")
LAST = ("de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit",
        "Meijer", "de Boer", "Mulder", "Bos", "Vos", "Peters", "Hendriks", "Dekker")
STATEMENTS = ("Kwam zonder ontbijt op school en was erg moe.",
              "Had een blauwe plek op de bovenarm, zei dat hij gevallen was.",
              "Trok zich in de pauze terug en wilde niet mee naar buiten.",
              "Vertelde dat het thuis vaak onrustig is in de avond.")
OPEN_KINDS = (TaskKind.PHASE1_LIMIT, TaskKind.REVIEW)
DONE_KINDS = tuple(TaskKind)


def _say(out, text, started):
    print(f"  {time.monotonic() - started:6.1f} s  {text}", file=out, flush=True)


def fill(n: dict, rng: random.Random, *, out=sys.stdout) -> dict:
    started = time.monotonic()
    now = timezone.now()
    year = school_year_of(timezone.localdate())
    with transaction.atomic():
        board = Board.objects.create(name="Stichting Benchmark")
        schools = School.objects.bulk_create(
            School(board=board, name=f"Basisschool {i + 1:02d}", brin=f"{i:02d}XX")
            for i in range(n["schools"]))
        # School 1 is the heaviest: HEAVY times an average school's share of pupils.
        weights = [HEAVY] + [1.0] * (len(schools) - 1)
        total = sum(weights)
        share = [round(n["students"] * w / total) for w in weights]
        people = _people(board, schools, share)
        _say(out, f"{len(schools)} schools, {User.objects.count()} people", started)
        students, teachers_of = _pupils(schools, share, people, year, rng)
        _say(out, f"{len(students)} pupils with groups", started)
        cases, showcase = _cases(n, students, teachers_of, people, rng, now)
        _say(out, f"{len(cases)} cases", started)
        observations = _observations(n, cases, showcase, rng, now)
        _say(out, f"{observations} observations with statements", started)
        tasks = _tasks(n, cases, people, rng, now)
        _say(out, f"{tasks} tasks", started)
        notified = _notifications(cases, people, rng, now, n)
        _say(out, f"{notified} notifications", started)
        logged = _logs(n, board, cases, people, rng, now)
        _say(out, f"{logged} audit events and access-log rows (chained)", started)
    heavy = schools[0]
    melding = _melding_case(heavy, people[heavy.pk], students, cases)
    _say(out, "one case through the services to a sent melding", started)
    taken = {c.student_id for c in cases} | {melding["case"].student_id}
    free = [s for s in students if s.school_id == heavy.pk and s.pk not in taken]
    extra = objects.one_of_each(board=board, school=heavy, people=people[heavy.pk],
                                pupils=free, melding=melding, rng=rng)
    _say(out, "one of each object the other pages show (grant, import, requests, ...)",
         started)
    with transaction.atomic():
        from django.db import connection  # noqa: PLC0415

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    _say(out, "ANALYZE", started)
    school_people = people[heavy.pk]
    teacher = extra.pop("teacher")
    return {
        "counts": {**n, "observations": observations, "tasks": tasks,
                   "notifications": notified, "log_rows": logged},
        "board_id": str(board.pk),
        "school_id": str(heavy.pk),
        "af": school_people["af"].username,
        "people": {"af": school_people["af"].username,
                   "directie": school_people["directie"].username,
                   "beheerder": f"{Role.BEHEERDER}.bench", "bestuur": f"{Role.BESTUUR}.bench",
                   "inspecteur": f"{Role.INSPECTEUR}.bench",
                   # The author of the draft and the attachment (bench/objects.py).
                   "teacher": teacher},
        "teacher_id": str(school_people["teachers"][GROUPS[0]][0].uuid),
        "case_20": str(showcase[20].pk),
        "case_big": str(showcase["big"].pk),
        "case_big_observations": showcase["big_count"],
        "student_id": str(showcase[20].student_id),
        "melding_case": str(melding["case"].pk),
        "report_id": str(melding["report"].pk),
        "melding_student": str(melding["case"].student_id),
        "carer_id": str(melding["carer"].pk),
        **extra,
    }


def _people(board, schools, share) -> dict:
    """Per school: an AF, directie, an OKA and two teachers per group; board roles."""
    password = make_password(PASSWORD)
    users, roles = [], []
    for i, school in enumerate(schools):
        tag = f"s{i + 1:02d}"
        for role, name in ((Role.AANDACHTSFUNCTIONARIS, "af"), (Role.DIRECTIE, "directie"),
                           (Role.OKA, "oka")):
            users.append(User(username=f"{name}.{tag}", password=password,
                              email=f"{name}.{tag}@bench.example"))
            roles.append((school, role))
        for group in GROUPS:
            for k in (1, 2):
                users.append(User(username=f"lk.{tag}.{group}.{k}", password=password,
                                  email=f"lk.{tag}.{group}.{k}@bench.example"))
                roles.append((school, Role.LEERKRACHT))
    for role in (Role.BEHEERDER, Role.BESTUUR, Role.INSPECTEUR):
        users.append(User(username=f"{role}.bench", password=password))
        roles.append((None, role))
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create(
        Membership(user=user, board=board, school=school, role=role,
                   status=MembershipStatus.CONFIRMED, decided_at=timezone.now())
        for user, (school, role) in zip(users, roles, strict=True))
    people = {}
    for user, (school, role) in zip(users, roles, strict=True):
        if school is None:
            continue
        entry = people.setdefault(school.pk, {"teachers": {}})
        if role == Role.LEERKRACHT:
            group = user.username.split(".")[2]
            entry["teachers"].setdefault(group, []).append(user)
        else:
            entry[user.username.split(".")[0]] = user
    return people


def _pupils(schools, share, people, year, rng):
    students, groups, placements, group_teachers = [], [], [], []
    teachers_of = {}
    through = SchoolGroup.teachers.through
    for school, count in zip(schools, share, strict=True):
        school_groups = {}
        for name in GROUPS:
            group = SchoolGroup(id=new_id(), school_id=school.pk, school_year=year, name=name)
            groups.append(group)
            school_groups[name] = group
            for teacher in people[school.pk]["teachers"][name]:
                group_teachers.append(through(schoolgroup_id=group.pk, user_id=teacher.pk))
        for k in range(count):
            name = GROUPS[k % len(GROUPS)]
            age = 4 + int(name) + rng.randint(0, 1)
            student = Student(id=new_id(), school_id=school.pk, first_name=rng.choice(FIRST),
                              last_name=rng.choice(LAST), group=name,
                              pupil_number=f"{k + 1:06d}",
                              date_of_birth=timezone.localdate()
                              - timedelta(days=365 * age + rng.randint(0, 364)))
            students.append(student)
            placements.append(GroupPlacement(id=new_id(), student_id=student.pk,
                                             group_id=school_groups[name].pk, school_year=year))
            teachers_of[student.pk] = people[school.pk]["teachers"][name]
    copy_rows(Student, (vars(s) for s in students))
    copy_rows(SchoolGroup, (vars(g) for g in groups))
    copy_rows(through, (vars(t) for t in group_teachers))
    copy_rows(GroupPlacement, (vars(p) for p in placements))
    return students, teachers_of


def _cases(n, students, teachers_of, people, rng, now):
    """One open stappenplan case for the first pupils of every school, in proportion."""
    picked = rng.sample(students, n["cases"])
    heavy_school = students[0].school_id
    heavy = [s for s in picked if s.school_id == heavy_school]
    cases, grants = [], []
    view = Permission.objects.get(codename="view_case", content_type__app_label="cases")
    for student in picked:
        opener = rng.choice(teachers_of[student.pk])
        opened = spread(now - timedelta(days=700), now - timedelta(days=1), rng)
        case = Case(id=new_id(), school_id=student.school_id, student_id=student.pk,
                    phase=Phase.SIGNALEREN, opened_by_id=opener.pk, opened_at=opened,
                    phase_changed_at=opened)
        cases.append(case)
        grants.append(CaseUserObjectPermission(content_object_id=case.pk, user_id=opener.pk,
                                               permission_id=view.pk, granted_at=opened,
                                               granted_by_id=opener.pk))
    copy_rows(Case, (vars(c) for c in cases))
    CaseUserObjectPermission.objects.bulk_create(grants, batch_size=5000)
    by_id = {c.student_id: c for c in cases}
    showcase = {20: by_id[heavy[0].pk], "big": by_id[heavy[1].pk]}
    return cases, showcase


def _observations(n, cases, showcase, rng, now) -> int:
    """Observations spread over the cases; the showcase cases get 20 and 0.25% of all."""
    big = max(20, n["observations"] // 400)  # 50 on the tenth, 500 on the full board
    showcase["big_count"] = big
    rest = max(0, n["observations"] - big - 20)
    others = [c for c in cases if c.pk not in (showcase[20].pk, showcase["big"].pk)]
    per_case = [(showcase[20], 20), (showcase["big"], big)]
    per_case += [(case, 0) for case in others]
    for _ in range(rest):
        k = rng.randrange(len(others)) + 2
        per_case[k] = (per_case[k][0], per_case[k][1] + 1)
    observations, statements = [], []
    for case, count in per_case:
        for _ in range(count):
            observed = spread(case.opened_at, now, rng)
            obs = Observation(id=new_id(), case_id=case.pk, author_id=case.opened_by_id,
                              status=Observation.Status.DRAFT, observed_at=observed,
                              place="Klas", situation="Tijdens de les.",
                              origin=Observation.Origin.OWN,
                              created_at=observed, updated_at=observed)
            observations.append(obs)
            statements.append(Statement(observation_id=obs.pk, kind="feit",
                                        text=rng.choice(STATEMENTS), position=0))
    copy_rows(Observation, (vars(o) for o in observations))
    copy_rows(Statement, ({k: v for k, v in vars(s).items() if k != "id"} for s in statements))
    # Frozen the way the submit service freezes them: parts first, then submitted.
    Observation.objects.update(status=Observation.Status.SUBMITTED, submitted_at=now)
    return len(observations)


def _tasks(n, cases, people, rng, now) -> int:
    """Per case two open deadlines (AF, reporter), the rest done; spread over the cases."""
    today = timezone.localdate()
    rows = []
    open_pairs = set()
    for case in cases:
        af = people[case.school_id]["af"]
        for kind, owner in zip(OPEN_KINDS, (af.pk, case.opened_by_id), strict=True):
            rows.append({"id": new_id(), "case_id": case.pk, "kind": kind,
                         "phase": Phase.SIGNALEREN, "title": str(kind.label), "owner_id": owner,
                         "source_event": "case.opened", "created_at": case.opened_at,
                         "due_on": today + timedelta(days=rng.randint(-30, 60))})
            open_pairs.add((case.pk, kind, owner))
    done = max(0, n["tasks"] - len(rows))
    for _ in range(done):
        case = rng.choice(cases)
        af = people[case.school_id]["af"]
        kind = rng.choice(DONE_KINDS)
        owner = rng.choice((af.pk, case.opened_by_id))
        created = spread(case.opened_at, now, rng)
        rows.append({"id": new_id(), "case_id": case.pk, "kind": kind,
                     "phase": Phase.SIGNALEREN, "title": str(kind.label), "owner_id": owner,
                     "source_event": "case.opened", "created_at": created,
                     "due_on": created.date() + timedelta(days=14), "completed_at": created,
                     "completed_by_id": owner, "completion_reason": "afgerond"})
    return copy_rows(Task, iter(rows))


def _notifications(cases, people, rng, now, n) -> int:
    """Every submitted observation notified the school's AF (case_opened per case too)."""
    counts = {}
    for obs_case in Observation.objects.values_list("case_id", "observed_at").iterator(
            chunk_size=20000):
        counts.setdefault(obs_case[0], []).append(obs_case[1])
    by_pk = {c.pk: c for c in cases}

    def rows():
        for case_id, moments in counts.items():
            case = by_pk[case_id]
            af = people[case.school_id]["af"]
            for moment in moments:
                yield {"id": new_id(), "recipient_id": af.pk,
                       "kind": Notification.Kind.OBSERVATION_SUBMITTED, "case_id": case_id,
                       "actor_id": case.opened_by_id, "created_at": moment,
                       "read_at": moment + timedelta(hours=2) if rng.random() < 0.97 else None}

    return copy_rows(Notification, rows())


def _logs(n, board, cases, people, rng, now) -> int:
    """Half audit events, half access-log rows, old to new, each chain in order."""
    half = n["log_rows"] // 2
    start = now - timedelta(days=700)
    step = (now - start) / max(1, half)

    def audit_rows():
        for i in range(half):
            case = cases[i % len(cases)]
            action = ("case.opened", "observation.submitted", "task.completed",
                      "task.created")[i % 4]
            yield {"occurred_at": start + step * i, "action": action,
                   "actor_id": case.opened_by_id, "actor_role": "leerkracht",
                   "school_id": case.school_id, "subject_type": "cases.case",
                   "subject_id": str(case.pk), "case_id": case.pk,
                   "ip_address": "127.0.0.1", "data": {}}

    def access_rows():
        for i in range(half):
            case = cases[(i * 7) % len(cases)]
            reader = people[case.school_id]["af"]
            yield {"occurred_at": start + step * i, "user_id": reader.pk,
                   "role": "aandachtsfunctionaris", "kind": "read", "what": "casus",
                   "case_id": case.pk, "student_id": case.student_id,
                   "school_id": case.school_id, "ip_address": "127.0.0.1",
                   "outcome": "allowed"}

    return (chained_copy("audit", board.pk, audit_rows())
            + chained_copy("access", board.pk, access_rows()))


def _melding_case(school, people, students, cases) -> dict:
    """A case of the heaviest school through the real services to a sent melding."""
    from tests.factories import (  # noqa: PLC0415 - the test helpers walk the services
        CarerFactory,
        CaseFactory,
        ensure_framework,
        walk_to,
    )

    ensure_framework()
    taken = {c.student_id for c in cases}
    student = next(s for s in students if s.school_id == school.pk and s.pk not in taken)
    student = Student.objects.get(pk=student.pk)
    teacher = people["teachers"][student.group][0]
    case = CaseFactory(student=student, opened_by=teacher)
    walk_to(case, Phase.MELDING, actor=people["af"])
    carer = CarerFactory(student=student)
    report = case.reports.get()
    lengthen_melding(report, people["af"])
    return {"case": case, "report": report, "carer": carer,
            "audit_events": AuditEvent.objects.count(),
            "access_rows": AccessLog.objects.count()}


FACT = ("Op {day} zag de leerkracht in de klas opnieuw blauwe plekken op de onderarmen. "
        "De leerling vertelde uit zichzelf dat het thuis 's avonds vaak onrustig is en dat "
        "hij dan niet durft te slapen. De leerkracht heeft dit letterlijk genoteerd en "
        "dezelfde dag met de aandachtsfunctionaris besproken.")


def lengthen_melding(report, af, facts: int = 16) -> None:
    """Facts enough for a melding of three pages (issue 10's PDF target is per 3 pages)."""
    today = timezone.localdate()
    for k in range(facts):
        day = today - timedelta(days=facts - k)
        report_services.report_fact_add(actor=af, report=report, occurred_on=day,
                                        text=FACT.format(day=f"{day:%d-%m-%Y}"))

"""Deadlines: date arithmetic, the rule table, owners, idempotence and board policies."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

import cases.deadlines as module
from audit.models import AuditEvent
from cases.deadlines import EVENTS, RULES, case_event
from cases.models import DeadlinePolicy, Phase, Route, Task, TaskKind
from meldcode.models import Role
from meldcode.workdays import (
    add_months,
    add_working_days,
    as_local_date,
    dutch_holidays,
    is_working_day,
)
from tests.factories import (
    CaseFactory,
    SchoolFactory,
    StudentFactory,
    grant_team,
    member,
    teach,
)

TODAY = timezone.localdate


# --- Date arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(("start", "months", "expected"), [
    (date(2026, 1, 31), 1, date(2026, 2, 28)),
    (date(2028, 1, 31), 1, date(2028, 2, 29)),   # leap year
    (date(2026, 3, 31), 1, date(2026, 4, 30)),
    (date(2026, 1, 15), 1, date(2026, 2, 15)),
    (date(2026, 8, 31), 6, date(2027, 2, 28)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),
    (date(2028, 2, 29), 12, date(2029, 2, 28)),
    (date(2026, 11, 30), 2, date(2027, 1, 30)),
    (date(2026, 12, 31), 4, date(2027, 4, 30)),
    (date(2026, 10, 31), 4, date(2027, 2, 28)),
])
def test_add_months_clamps_to_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_add_working_days_skips_weekends():
    friday = date(2026, 11, 20)
    assert friday.weekday() == 4
    assert add_working_days(friday, 1) == date(2026, 11, 23)  # Monday
    assert add_working_days(friday, 5) == date(2026, 11, 27)  # next Friday
    saturday = date(2026, 11, 21)
    assert add_working_days(saturday, 1) == date(2026, 11, 23)
    assert add_working_days(date(2026, 11, 23), 5) == date(2026, 11, 30)


def test_add_working_days_skips_dutch_holidays():
    # Christmas 2026: Friday 25 and Saturday 26 December.
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 28)
    # Easter 2026 is 5 April: Easter Monday 6 April is not a working day.
    assert add_working_days(date(2026, 4, 3), 1) == date(2026, 4, 7)
    # Koningsdag 2025 falls on a Sunday and moves to Saturday 26 April.
    assert date(2025, 4, 26) in dutch_holidays(2025)
    assert date(2025, 4, 27) not in dutch_holidays(2025)
    # The Algemene termijnenwet counts 5 mei every year, not only in lustrum years.
    assert date(2025, 5, 5) in dutch_holidays(2025)
    assert date(2026, 5, 5) in dutch_holidays(2026)
    assert not is_working_day(date(2026, 5, 5))
    # Goede Vrijdag is no day off under the wet.
    assert is_working_day(date(2026, 4, 3))
    # Koningsdag 2031 falls on a Sunday: Saturday 26 April, so a Friday term ends on Monday.
    assert date(2031, 4, 26) in dutch_holidays(2031)
    assert add_working_days(date(2031, 4, 25), 1) == date(2031, 4, 28)


@pytest.mark.parametrize(("year", "easter"), [
    (2025, date(2025, 4, 20)), (2026, date(2026, 4, 5)), (2027, date(2027, 3, 28)),
    (2028, date(2028, 4, 16)), (2029, date(2029, 4, 1)), (2030, date(2030, 4, 21)),
])
def test_holidays_follow_easter(year, easter):
    days = dutch_holidays(year)
    assert easter + timedelta(days=1) in days  # Tweede Paasdag
    assert easter + timedelta(days=39) in days  # Hemelvaartsdag
    assert easter + timedelta(days=50) in days  # Tweede Pinksterdag
    assert easter + timedelta(days=2) not in days


def test_local_date_uses_amsterdam():
    late_utc = datetime(2026, 3, 31, 22, 30, tzinfo=ZoneInfo("UTC"))  # 00:30 on 1 April NL
    assert as_local_date(late_utc) == date(2026, 4, 1)
    assert as_local_date("2026-04-01") == date(2026, 4, 1)
    assert as_local_date(None) is None


# --- Events ----------------------------------------------------------------------------


@pytest.fixture
def team(db):
    school = SchoolFactory()
    teacher = member(Role.LEERKRACHT, school, username="juf")
    student = StudentFactory(school=school)
    teach(student, teacher)
    case = CaseFactory(student=student, opened_by=teacher)
    af = member(Role.AANDACHTSFUNCTIONARIS, school, username="ib")
    directie = member(Role.DIRECTIE, school, username="dir")
    return {"school": school, "case": case, "teacher": teacher, "af": af, "directie": directie}


def open_tasks(case, kind=None):
    qs = Task.objects.filter(case=case, completed_at__isnull=True)
    return list(qs.filter(kind=kind) if kind else qs)


def test_every_event_has_a_rule_and_unknown_events_fail(team):
    documented = {
        "phase.entered", "phase.left", "time_limit.set", "conclusion.recorded", "melding.made",
        "melding.acute", "melding.acknowledged", "vt.feedback_received", "help.started",
        "help.evaluated", "monitoring.started",
        "evaluation.recorded", "student.departed", "coordinator.changed",
        "consultation.recorded", "disclosure.flagged", "signals.after_melding",
        "nazorg.offered", "meldplicht.switched", "meldplicht.recorded",
        "departure.duty_done",
    }
    assert EVENTS == documented
    for event in documented:
        assert f'"{event}"' in module.__doc__
    with pytest.raises(ValueError):
        case_event("phase.entred", case=team["case"], phase="signaleren")


def test_phase1_entered_creates_limit_for_af(team):
    case, af = team["case"], team["af"]
    outcome = case_event("phase.entered", case=case, actor=af, phase=Phase.SIGNALEREN)
    [task] = open_tasks(case)
    assert outcome.created == [task]
    assert task.kind == TaskKind.PHASE1_LIMIT
    assert task.owner == af
    assert task.phase == Phase.SIGNALEREN
    assert task.due_on == add_months(TODAY(), 1)
    assert task.source_event == "phase.entered"
    assert "Signaleren" in task.title
    event = AuditEvent.objects.get(action="task.created")
    assert event.data["kind"] == TaskKind.PHASE1_LIMIT
    assert event.case_id == case.pk


def test_same_event_twice_creates_no_duplicates(team):
    case = team["case"]
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    second = case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    assert second.created == []
    assert len(open_tasks(case)) == 1
    case_event("monitoring.started", case=case, started_on=date(2026, 1, 31))
    case_event("monitoring.started", case=case, started_on=date(2026, 1, 31))
    assert len(open_tasks(case, TaskKind.FOLLOW_PERIOD)) == 1
    assert len(open_tasks(case, TaskKind.ZORGTEAM_AGAIN)) == 1
    assert AuditEvent.objects.filter(action="task.created").count() == 3


def test_phase_left_completes_only_that_phase(team):
    case = team["case"]
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    case_event("monitoring.started", case=case, started_on=TODAY())
    outcome = case_event("phase.left", case=case, actor=team["af"], phase=Phase.SIGNALEREN)
    [done] = outcome.completed
    done.refresh_from_db()
    assert done.kind == TaskKind.PHASE1_LIMIT
    assert done.auto_completed and done.completion_reason == "phase.left"
    assert done.completed_by == team["af"]
    assert {t.kind for t in open_tasks(case)} == {TaskKind.FOLLOW_PERIOD,
                                                   TaskKind.ZORGTEAM_AGAIN}
    assert AuditEvent.objects.filter(action="task.auto_completed").count() == 1


def test_time_limit_set_reschedules_and_is_capped_in_phase1(team):
    case = team["case"]
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    sooner = TODAY() + timedelta(days=10)
    case_event("time_limit.set", case=case, phase=Phase.SIGNALEREN, due=sooner)
    [task] = open_tasks(case)
    assert task.due_on == sooner
    assert AuditEvent.objects.filter(action="task.rescheduled").count() == 1
    # Phase 1 lasts at most one month, whatever date is given.
    case_event("time_limit.set", case=case, phase=Phase.SIGNALEREN,
               due=TODAY() + timedelta(days=90))
    [task] = open_tasks(case)
    assert task.due_on == add_months(TODAY(), 1)


def test_time_limit_for_consultation_and_other_phases(team):
    case = team["case"]
    due = date(2027, 3, 1)
    case_event("time_limit.set", case=case, phase=Phase.CONSULTATIE, due=due)
    case_event("time_limit.set", case=case, phase=Phase.GESPREK, due=due)
    [consult] = open_tasks(case, TaskKind.CONSULTATION_LIMIT)
    [gesprek] = open_tasks(case, TaskKind.PHASE_LIMIT)
    assert consult.due_on == gesprek.due_on == due
    assert consult.phase == Phase.CONSULTATIE and gesprek.phase == Phase.GESPREK
    assert "Gesprek" in gesprek.title
    case_event("phase.left", case=case, phase=Phase.CONSULTATIE)
    assert open_tasks(case) == [gesprek]


def test_geen_bevestiging_creates_review_at_most_two_months(team):
    case = team["case"]
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    review = TODAY() + timedelta(days=20)
    case_event("conclusion.recorded", case=case, phase=Phase.SIGNALEREN,
               conclusion="geen_bevestiging", review_date=review)
    [task] = open_tasks(case)
    assert task.kind == TaskKind.REVIEW and task.due_on == review
    assert task.phase == Phase.SIGNALEREN
    # Recording the same conclusion again moves the review date, without a second task.
    case_event("conclusion.recorded", case=case, phase=Phase.SIGNALEREN,
               conclusion="geen_bevestiging", review_date=TODAY() + timedelta(days=400))
    [task] = open_tasks(case)
    assert task.due_on == add_months(TODAY(), 2)
    # Without a date the review is at the maximum.
    Task.objects.all().delete()
    case_event("conclusion.recorded", case=case, phase=Phase.SIGNALEREN,
               conclusion="geen_bevestiging")
    assert open_tasks(case)[0].due_on == add_months(TODAY(), 2)


def test_other_conclusion_completes_limit_and_review(team):
    case = team["case"]
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    case_event("conclusion.recorded", case=case, phase=Phase.SIGNALEREN,
               conclusion="geen_bevestiging")
    case_event("conclusion.recorded", case=case, phase=Phase.SIGNALEREN,
               conclusion="twijfel_bevestiging")
    assert open_tasks(case) == []
    reasons = set(Task.objects.values_list("completion_reason", flat=True))
    assert reasons == {"conclusion.recorded"}


def test_weighing_entered_creates_step4_task(team):
    case = team["case"]
    case_event("phase.entered", case=case, phase=Phase.WEGEN)
    [task] = open_tasks(case)
    assert task.kind == TaskKind.WEIGH_OBSERVATIONS
    assert task.due_on == add_months(TODAY(), 1)
    case_event("phase.entered", case=case, phase=Phase.HULP)
    assert len(open_tasks(case)) == 1


@pytest.mark.parametrize("norm", ["A", "B", "C"])
def test_every_melding_needs_vt_decision_in_five_working_days(team, norm):
    # C-18: after every melding, acute (norm A) included.
    case = team["case"]
    case_event("melding.made", case=case, norm=norm, made_on=date(2026, 11, 20))
    [task] = open_tasks(case)
    assert task.kind == TaskKind.VT_DECISION
    assert task.due_on == date(2026, 11, 27)
    case_event("vt.feedback_received", case=case, received_on=date(2026, 11, 24))
    [follow_up] = open_tasks(case)
    assert follow_up.kind == TaskKind.VT_FOLLOW_UP
    assert follow_up.due_on == date(2026, 12, 1)


def test_vt_decision_term_counts_the_holidays(team):
    # Thursday 30 April 2026; 5 mei is a Tuesday: Fri 1, Mon 4, Wed 6, Thu 7, Fri 8 May.
    case = team["case"]
    case_event("melding.made", case=case, norm="B", made_on=date(2026, 4, 30))
    [task] = open_tasks(case)
    assert task.due_on == date(2026, 5, 8)
    # Koningsdag on Monday 27 April 2026: from Friday 24 April the fifth day is 4 May.
    assert add_working_days(date(2026, 4, 24), 5) == date(2026, 5, 4)


def test_acute_melding_is_acknowledged_by_directie_the_next_working_day(team):
    case, directie = team["case"], team["directie"]
    case_event("melding.acute", case=case, made_on=date(2026, 12, 24))
    [task] = open_tasks(case)
    assert (task.kind, task.owner, task.due_on) == (TaskKind.ACUTE_ACKNOWLEDGE, directie,
                                                    date(2026, 12, 28))
    case_event("melding.acknowledged", case=case)
    assert open_tasks(case) == []


def test_help_started_goes_to_casemanager_and_evaluation_completes(team):
    case, directie = team["case"], team["directie"]
    termijn = date(2027, 2, 1)
    case_event("help.started", case=case, termijn=termijn, casemanager=directie)
    effect = [t for t in open_tasks(case) if t.kind == TaskKind.HELP_EFFECT]
    # The casemanager and the coordinator (the AF) both watch the termijn.
    assert {(t.owner, t.due_on) for t in effect} == {(directie, termijn),
                                                       (team["af"], termijn)}
    assert {t.kind for t in open_tasks(case)} == {TaskKind.HELP_EFFECT,
                                                  TaskKind.HELP_PARENTS_CONTACT}
    case_event("help.evaluated", case=case)
    assert open_tasks(case) == []


def test_monitoring_started_follows_half_a_year(team):
    case = team["case"]
    case_event("monitoring.started", case=case, started_on=date(2026, 8, 31))
    follow = open_tasks(case, TaskKind.FOLLOW_PERIOD)[0]
    again = open_tasks(case, TaskKind.ZORGTEAM_AGAIN)[0]
    assert follow.due_on == again.due_on == date(2027, 2, 28)
    assert follow.owner == team["af"] and follow.phase == ""


def test_evaluation_gives_teachers_four_months(team):
    case, teacher = team["case"], team["teacher"]
    colleague = member(Role.LEERKRACHT, team["school"], username="meester")
    grant_team(case, colleague)
    grant_team(case, member(Role.OKA, team["school"], username="oka"))
    case_event("evaluation.recorded", case=case, evaluated_on=date(2026, 10, 31))
    tasks = open_tasks(case, TaskKind.TEACHER_WATCH)
    assert {t.owner for t in tasks} == {teacher, colleague}
    assert {t.due_on for t in tasks} == {date(2027, 2, 28)}


def test_student_departed_in_follow_period_creates_three_tasks(team):
    case = team["case"]
    case_event("monitoring.started", case=case, started_on=date(2026, 6, 1))
    case_event("evaluation.recorded", case=case, evaluated_on=date(2026, 6, 1))
    case_event("student.departed", case=case, left_on=date(2026, 11, 20))
    kinds = {t.kind for t in open_tasks(case)}
    assert kinds == {TaskKind.DEPARTURE_VT, TaskKind.DEPARTURE_HANDOVER,
                     TaskKind.DEPARTURE_PARENTS}
    assert {t.due_on for t in open_tasks(case)} == {date(2026, 11, 27)}
    assert {t.owner for t in open_tasks(case)} == {team["af"]}
    # Idempotent: the departure reported twice creates nothing new.
    case_event("student.departed", case=case, left_on=date(2026, 11, 20))
    assert len(open_tasks(case)) == 3


def test_student_departed_outside_follow_period_creates_nothing(team):
    case = team["case"]
    case_event("monitoring.started", case=case, started_on=date(2025, 1, 6))
    case_event("student.departed", case=case, left_on=date(2026, 11, 20))
    assert {t.kind for t in open_tasks(case)} == {TaskKind.FOLLOW_PERIOD,
                                                   TaskKind.ZORGTEAM_AGAIN}


def test_student_departed_while_monitoring_counts_as_follow_period(team):
    case = team["case"]
    case.phase = Phase.MONITOREN
    case.save()
    case_event("student.departed", case=case, left_on=TODAY())
    assert len(open_tasks(case)) == 3


# --- Owners ----------------------------------------------------------------------------


def test_coordinator_field_wins_over_af(team):
    case = team["case"]
    other_af = member(Role.AANDACHTSFUNCTIONARIS, team["school"], username="ib2")
    case.coordinator = other_af  # the field the workflow adds; plain attribute works too
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    assert [t.owner for t in open_tasks(case)] == [other_af]


def test_coordinator_changed_hands_the_af_tasks_over(team):
    case, af = team["case"], team["af"]
    second_af = member(Role.AANDACHTSFUNCTIONARIS, team["school"], username="ib2")
    coordinator = member(Role.OKA, team["school"], username="oka")
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    case_event("melding.made", case=case, norm="B", made_on=date(2026, 11, 20))
    case_event("evaluation.recorded", case=case, evaluated_on=date(2026, 11, 20))
    assert len(open_tasks(case)) == 5  # two AFs × two deadlines + the teacher's watch
    case.coordinator = coordinator
    case_event("coordinator.changed", case=case, actor=af, coordinator=coordinator)
    owners = {(t.kind, t.owner) for t in open_tasks(case)}
    assert owners == {(TaskKind.PHASE1_LIMIT, coordinator), (TaskKind.VT_DECISION, coordinator),
                      (TaskKind.TEACHER_WATCH, team["teacher"])}
    assert not Task.objects.filter(owner=second_af, completed_at__isnull=True).exists()
    assert AuditEvent.objects.filter(action="task.reassigned").count() == 2
    # Idempotent: the same change again moves nothing.
    outcome = case_event("coordinator.changed", case=case, coordinator=coordinator)
    assert outcome.completed == outcome.rescheduled == []


def test_every_af_gets_the_task_when_there_is_no_coordinator(team):
    case = team["case"]
    second = member(Role.AANDACHTSFUNCTIONARIS, team["school"], username="ib2")
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    assert {t.owner for t in open_tasks(case)} == {team["af"], second}


def test_meldplicht_case_goes_to_directie(team):
    case = team["case"]
    case.route = Route.MELDPLICHT
    case.save()
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    assert [t.owner for t in open_tasks(case)] == [team["directie"]]


def test_school_without_af_falls_back_to_directie(db):
    school = SchoolFactory()
    directie = member(Role.DIRECTIE, school)
    case = CaseFactory(student=StudentFactory(school=school))
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    assert [t.owner for t in open_tasks(case)] == [directie]


# --- Board policy ----------------------------------------------------------------------


def test_board_policy_overrides_defaults(team):
    case = team["case"]
    other_case = CaseFactory(student=StudentFactory(school=SchoolFactory()))
    member(Role.AANDACHTSFUNCTIONARIS, other_case.school)
    DeadlinePolicy.objects.create(board=case.school.board, follow_months=9,
                                  teacher_watch_months=6, zorgteam_again_months=3,
                                  vt_decision_working_days=3, review_months=1)
    start = date(2026, 5, 31)
    for c in (case, other_case):
        case_event("monitoring.started", case=c, started_on=start)
        case_event("evaluation.recorded", case=c, evaluated_on=start)
        case_event("melding.made", case=c, norm="B", made_on=date(2026, 11, 20))
        case_event("conclusion.recorded", case=c, phase=Phase.SIGNALEREN,
                   conclusion="geen_bevestiging")
    due = {t.kind: t.due_on for t in open_tasks(case)}
    assert due[TaskKind.FOLLOW_PERIOD] == date(2027, 2, 28)
    assert due[TaskKind.TEACHER_WATCH] == date(2026, 11, 30)
    assert due[TaskKind.ZORGTEAM_AGAIN] == date(2026, 8, 31)
    assert due[TaskKind.VT_DECISION] == date(2026, 11, 25)
    assert due[TaskKind.REVIEW] == add_months(TODAY(), 1)
    default = {t.kind: t.due_on for t in open_tasks(other_case)}
    assert default[TaskKind.FOLLOW_PERIOD] == date(2026, 11, 30)
    assert default[TaskKind.TEACHER_WATCH] == date(2026, 9, 30)
    assert default[TaskKind.VT_DECISION] == date(2026, 11, 27)
    assert default[TaskKind.REVIEW] == add_months(TODAY(), 2)


def test_policy_defaults_match_the_meldcode():
    policy = DeadlinePolicy()
    assert (policy.phase1_months, policy.review_months, policy.weigh_months,
            policy.vt_decision_working_days, policy.follow_months,
            policy.teacher_watch_months, policy.zorgteam_again_months) == (1, 2, 1, 5, 6, 4, 6)


def test_rule_table_is_data():
    # Every created kind is a real TaskKind; every due rule names a real policy field.
    fields = set(DeadlinePolicy.EDITABLE_FIELDS)
    for rule in RULES.values():
        for create in rule.create:
            assert create.kind in TaskKind.values
            for name in (create.due.months, create.due.working_days, create.due.cap_months):
                assert name is None or name in fields



def test_student_departed_without_new_school_or_vt_asks_the_leerplichtambtenaar(team):
    case = team["case"]
    case.phase = Phase.MONITOREN
    case.save()
    case_event("student.departed", case=case, left_on=TODAY(), new_school=False,
               vt_involved=False)
    assert {t.kind for t in open_tasks(case)} == {TaskKind.DEPARTURE_LEERPLICHT,
                                                   TaskKind.DEPARTURE_PARENTS}
    case_event("departure.duty_done", case=case, duty="leerplicht")
    assert {t.kind for t in open_tasks(case)} == {TaskKind.DEPARTURE_PARENTS}

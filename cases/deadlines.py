"""Deadlines of the stappenplan as tasks (DOMAIN.md, "Deadlines").

Workflow services report what happened with `case_event(...)`; this module decides which
tasks that creates or completes. Event names (facts given as keyword arguments):

- "phase.entered"            facts: phase
- "phase.left"               facts: phase
- "time_limit.set"           facts: phase, due (date set by the coordinator)
- "conclusion.recorded"      facts: phase, conclusion, review_date (for geen_bevestiging)
                             conclusion codes: "ongegrond", "geen_bevestiging", anything
                             else (twijfel/bevestiging) moves on
- "melding.made"             facts: norm ("A"/"B"/"C"), made_on (date)
- "melding.acute"            facts: made_on (date); directie acknowledges the telephone
                             melding the next working day
- "melding.acknowledged"     facts: none
- "vt.feedback_received"     facts: received_on (date)
- "help.started"             facts: termijn (date), casemanager (User, optional)
- "help.evaluated"           facts: nazorg_review_on (date, optional), casemanager (User),
                             no_nazorg_review (bool; a missing fact: no nazorg task)
- "monitoring.started"       facts: started_on (date)
- "evaluation.recorded"      facts: evaluated_on (date)
- "student.departed"         facts: left_on (date), new_school (bool), vt_involved (bool)
- "departure.duty_done"      facts: duty (DepartureDuty.Duty code)
- "consultation.recorded"    facts: kind (Consultation.Kind code)
- "disclosure.flagged"       facts: none (a child confided; the AF consults Veilig Thuis)
- "meldplicht.switched"      facts: none (the bestuur consults the vertrouwensinspecteur)
- "meldplicht.recorded"      facts: none (the bestuur recorded its part)
- "nazorg.offered"           facts: none (nazorg was offered to the staff involved)
- "signals.after_melding"    facts: none (a new observation while monitoring after a
                             melding: Veilig Thuis must hear of it, 000 stap 6)
- "coordinator.changed"      facts: coordinator (User); call after setting Case.coordinator:
                             the open coordinator tasks move to the new coordinator

Dates may be `date` or aware `datetime` (taken as the Europe/Amsterdam local date); a
missing date fact means today. The rules are data (RULES); an unknown event name raises,
so a typo in a caller fails loudly instead of silently losing a deadline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.services import audit
from cases.models import DeadlinePolicy, Phase, Task, TaskKind
from cases.selectors.task_owners import owners_for
from meldcode.workdays import add_months, add_working_days, as_local_date, local_today

# --- The rule table --------------------------------------------------------------------

PHASE_FROM_FACT = "<phase>"  # the task belongs to the phase named in the event's facts


@dataclass(frozen=True)
class Due:
    """How a due date is computed: from a date fact (or today) plus a policy term.

    With `cap_months`, a date given in the facts may not lie further ahead than that policy
    term (e.g. a review date "at most two months ahead").
    """

    fact: str | None = None
    months: str | None = None
    working_days: str | None = None
    cap_months: str | None = None
    # A term the meldcode fixes, not the board (a disclosure: the next working day; the
    # acknowledgement of an acute melding), in working days.
    fixed_working_days: int | None = None

    def compute(self, policy: DeadlinePolicy, facts: dict, today: date) -> date:
        given = as_local_date(facts.get(self.fact)) if self.fact else None
        if self.fixed_working_days is not None:
            return add_working_days(given or today, self.fixed_working_days)
        if self.months:
            return add_months(given or today, getattr(policy, self.months))
        if self.working_days:
            return add_working_days(given or today, getattr(policy, self.working_days))
        if self.fixed_working_days is not None:
            return add_working_days(given or today, self.fixed_working_days)
        # The fact is the due date itself, at most `cap_months` ahead when capped.
        if self.cap_months:
            latest = add_months(today, getattr(policy, self.cap_months))
            return min(given, latest) if given is not None else latest
        return given or today


@dataclass(frozen=True)
class Create:
    kind: str
    due: Due
    # "coordinator" | "teachers" | "casemanager" | "directie" | "af" | "nazorg" | "bestuur"
    owner: str = "coordinator"
    phase: str = ""
    # A due date given by people (time limit, review date, termijn) may be changed by
    # sending the event again; computed ones keep the first date.
    reschedule: bool = False
    # Only when this boolean fact holds ("!fact": when it does not); a missing fact holds.
    only_if: str | None = None

    def applies(self, facts: dict) -> bool:
        if self.only_if is None:
            return True
        negate = self.only_if.startswith("!")
        value = bool(facts.get(self.only_if.lstrip("!"), True))
        return not value if negate else value


@dataclass(frozen=True)
class Complete:
    kinds: tuple[str, ...] | None = None  # None: every kind
    same_phase: bool = False  # only tasks of the phase named in the facts


@dataclass(frozen=True)
class Rule:
    create: tuple[Create, ...] = ()
    complete: tuple[Complete, ...] = ()
    when: str | None = None  # name of a condition in CONDITIONS
    handover: bool = False  # move the open coordinator tasks to facts["coordinator"]


# The seeds set no term for nazorg; a week keeps it from being forgotten.
NAZORG = Create(TaskKind.NAZORG_STAFF, Due(fixed_working_days=5), owner="nazorg")
PHASE_LIMIT_KINDS = (TaskKind.PHASE1_LIMIT, TaskKind.CONSULTATION_LIMIT, TaskKind.PHASE_LIMIT)
MONITORING_KINDS = (TaskKind.FOLLOW_PERIOD, TaskKind.ZORGTEAM_AGAIN, TaskKind.TEACHER_WATCH)

# Which fact picks the rule variant of an event; "*" is the fallback variant.
DISCRIMINATOR = {
    "phase.entered": "phase",
    "phase.left": "phase",
    "time_limit.set": "phase",
    "conclusion.recorded": "conclusion",
    "melding.made": "norm",
    "consultation.recorded": "kind",
    "departure.duty_done": "duty",
}

RULES: dict[tuple[str, str], Rule] = {
    ("phase.entered", Phase.SIGNALEREN): Rule(create=(
        Create(TaskKind.PHASE1_LIMIT, Due(months="phase1_months"), phase=Phase.SIGNALEREN),
    )),
    ("phase.entered", Phase.WEGEN): Rule(create=(
        Create(TaskKind.WEIGH_OBSERVATIONS, Due(months="weigh_months"), phase=Phase.WEGEN),
    )),
    ("phase.entered", "*"): Rule(),
    # Nazorg for the staff involved (000 stap 6): after a melding, and at closing when
    # there was help or a melding.
    ("phase.entered", Phase.MELDING): Rule(create=(NAZORG,)),
    ("phase.left", "*"): Rule(complete=(Complete(same_phase=True),)),
    ("time_limit.set", Phase.SIGNALEREN): Rule(create=(
        Create(TaskKind.PHASE1_LIMIT, Due(fact="due", cap_months="phase1_months"),
               phase=Phase.SIGNALEREN, reschedule=True),
    )),
    ("time_limit.set", Phase.CONSULTATIE): Rule(create=(
        Create(TaskKind.CONSULTATION_LIMIT, Due(fact="due"), phase=Phase.CONSULTATIE,
               reschedule=True),
    )),
    ("time_limit.set", "*"): Rule(create=(
        Create(TaskKind.PHASE_LIMIT, Due(fact="due"), phase=PHASE_FROM_FACT, reschedule=True),
    )),
    ("conclusion.recorded", "geen_bevestiging"): Rule(
        create=(Create(TaskKind.REVIEW, Due(fact="review_date", cap_months="review_months"),
                       phase=PHASE_FROM_FACT, reschedule=True),),
        complete=(Complete(kinds=(*PHASE_LIMIT_KINDS, TaskKind.REVIEW), same_phase=True),),
    ),
    ("conclusion.recorded", "*"): Rule(complete=(
        Complete(kinds=(*PHASE_LIMIT_KINDS, TaskKind.REVIEW), same_phase=True),
    )),
    # Every melding, acute included: Veilig Thuis decides within five working days (C-18).
    ("melding.made", "*"): Rule(create=(
        Create(TaskKind.VT_DECISION, Due(fact="made_on", working_days="vt_decision_working_days")),
    )),
    ("melding.acute", "*"): Rule(create=(
        Create(TaskKind.ACUTE_ACKNOWLEDGE, Due(fact="made_on", fixed_working_days=1),
               owner="directie"),
    )),
    ("melding.acknowledged", "*"): Rule(complete=(Complete(kinds=(TaskKind.ACUTE_ACKNOWLEDGE,)),)),
    # After VT's decision the AF/OKA checks that its announced next step follows (004 stap 5,
    # "Controleren op vervolgstap Veilig Thuis"), in the same number of working days.
    ("vt.feedback_received", "*"): Rule(
        complete=(Complete(kinds=(TaskKind.VT_DECISION,)),),
        create=(Create(TaskKind.VT_FOLLOW_UP,
                       Due(fact="received_on", working_days="vt_decision_working_days")),),
    ),
    ("help.started", "*"): Rule(create=(
        Create(TaskKind.HELP_EFFECT, Due(fact="termijn"), owner="casemanager", reschedule=True),
        Create(TaskKind.HELP_EFFECT, Due(fact="termijn"), reschedule=True),
        # 000 stap 5a: "vraag na enige tijd of de ouder contact heeft gehad": four weeks.
        Create(TaskKind.HELP_PARENTS_CONTACT, Due(fixed_working_days=20)),
    )),
    ("help.evaluated", "*"): Rule(
        complete=(Complete(kinds=(TaskKind.HELP_EFFECT, TaskKind.HELP_PARENTS_CONTACT)),),
        # The first term of the nazorgtraject (004 "Resultaat"), when one was set.
        create=(Create(TaskKind.NAZORG_REVIEW, Due(fact="nazorg_review_on"),
                       owner="casemanager", only_if="!no_nazorg_review"),
                Create(TaskKind.NAZORG_REVIEW, Due(fact="nazorg_review_on"),
                       only_if="!no_nazorg_review"))),
    ("monitoring.started", "*"): Rule(create=(
        Create(TaskKind.FOLLOW_PERIOD, Due(fact="started_on", months="follow_months")),
        Create(TaskKind.ZORGTEAM_AGAIN, Due(fact="started_on", months="zorgteam_again_months")),
    )),
    ("evaluation.recorded", "*"): Rule(create=(
        Create(TaskKind.TEACHER_WATCH, Due(fact="evaluated_on", months="teacher_watch_months"),
               owner="teachers"),
    )),
    # C-14: the departure is recorded first; each duty is a task, completed by its own
    # dated record. Veilig Thuis only when it was involved; with no known new school the
    # leerplichtambtenaar instead of a handover (P-7).
    ("student.departed", "*"): Rule(
        when="in_follow_period",
        create=tuple(
            Create(kind, Due(fact="left_on", working_days="departure_working_days"),
                   only_if=only_if)
            for kind, only_if in ((TaskKind.DEPARTURE_VT, "vt_involved"),
                                  (TaskKind.DEPARTURE_HANDOVER, "new_school"),
                                  (TaskKind.DEPARTURE_LEERPLICHT, "!new_school"),
                                  (TaskKind.DEPARTURE_PARENTS, None))
        ),
        complete=(Complete(kinds=MONITORING_KINDS),),
    ),
}

RULES[("coordinator.changed", "*")] = Rule(handover=True)
for _duty, _kind in (("overdracht", TaskKind.DEPARTURE_HANDOVER),
                     ("veilig_thuis", TaskKind.DEPARTURE_VT),
                     ("ouders", TaskKind.DEPARTURE_PARENTS),
                     ("leerplicht", TaskKind.DEPARTURE_LEERPLICHT)):
    RULES[("departure.duty_done", _duty)] = Rule(complete=(Complete(kinds=(_kind,)),))
RULES[("departure.duty_done", "*")] = Rule()
RULES[("phase.entered", Phase.GESLOTEN)] = Rule(when="after_help_or_melding", create=(NAZORG,))
# WPO art. 4a: "onverwijld": the same or the next working day.
RULES[("meldplicht.switched", "*")] = Rule(create=(
    Create(TaskKind.MELDPLICHT_INSPECTOR, Due(fixed_working_days=1), owner="bestuur"),
))
RULES[("meldplicht.recorded", "*")] = Rule(complete=(
    Complete(kinds=(TaskKind.MELDPLICHT_INSPECTOR,)),
))
RULES[("nazorg.offered", "*")] = Rule(complete=(Complete(kinds=(TaskKind.NAZORG_STAFF,)),))
# After a disclosure the AF talks the next steps through with Veilig Thuis, the next
# working day at the latest (004 bijlage 3); a Veilig Thuis consultation completes it.
RULES[("disclosure.flagged", "*")] = Rule(create=(
    Create(TaskKind.DISCLOSURE_VT, Due(fixed_working_days=1), owner="af"),
))
# 000 stap 6: "Als het kind is aangemeld bij het AMK … en er zijn nieuwe signalen, dan is
# het van belang deze door te geven"; a Veilig Thuis consultation record completes it.
RULES[("signals.after_melding", "*")] = Rule(create=(
    Create(TaskKind.SIGNALS_TO_VT, Due(fixed_working_days=1)),
))
RULES[("consultation.recorded", "veilig_thuis")] = Rule(complete=(
    Complete(kinds=(TaskKind.DISCLOSURE_VT, TaskKind.SIGNALS_TO_VT)),
))
RULES[("consultation.recorded", "*")] = Rule()

# Deadlines that stand for a step of the meldcode, with the record that meets them. Ticking
# one off by hand needs a reason and does not meet it: only the record does (see
# `case_event`, which marks an overridden deadline met when its record follows).
RECORD_DEADLINES: dict[str, object] = {
    TaskKind.PHASE1_LIMIT: _lazy("de conclusie van fase 1"),
    TaskKind.REVIEW: _lazy("een nieuwe conclusie na het opnieuw bekijken"),
    TaskKind.CONSULTATION_LIMIT: _lazy("de conclusie na de collegiale consultatie"),
    TaskKind.PHASE_LIMIT: _lazy("de conclusie van deze fase"),
    TaskKind.WEIGH_OBSERVATIONS: _lazy("het besluit na het wegen (stap 4 en 5)"),
    TaskKind.VT_DECISION: _lazy("de terugkoppeling van Veilig Thuis"),
    TaskKind.HELP_EFFECT: _lazy("de evaluatie van de hulp"),
    TaskKind.ACUTE_ACKNOWLEDGE: _lazy("de bekrachtiging van de acute melding"),
    TaskKind.DEPARTURE_VT: _lazy("de vastgelegde melding van het vertrek aan Veilig Thuis"),
    TaskKind.DEPARTURE_HANDOVER: _lazy("de vastgelegde overdracht aan de nieuwe school"),
    TaskKind.DEPARTURE_PARENTS: _lazy("het vastgelegde bericht aan de ouders"),
    TaskKind.DEPARTURE_LEERPLICHT: _lazy("het vastgelegde bericht aan de leerplichtambtenaar"),
    TaskKind.DISCLOSURE_VT: _lazy("een vastgelegde consultatie van Veilig Thuis"),
    TaskKind.SIGNALS_TO_VT: _lazy("een vastgelegde consultatie van Veilig Thuis"),
    TaskKind.MELDPLICHT_INSPECTOR: _lazy("het vastgelegde overleg met de vertrouwensinspecteur"),
    TaskKind.NAZORG_STAFF: _lazy("de vastgelegde nazorg"),
}

EVENTS = frozenset(event for event, _variant in RULES)
# Kinds whose owner is the coordinator: these follow a change of coordinator.
COORDINATOR_KINDS = frozenset(
    c.kind for rule in RULES.values() for c in rule.create if c.owner == "coordinator"
)


def rule_for(event: str, facts: dict) -> Rule:
    if event not in EVENTS:
        raise ValueError(f"unknown case event {event!r}")
    variant = facts.get(DISCRIMINATOR.get(event, ""), "*")
    return RULES.get((event, str(variant)), RULES.get((event, "*"), Rule()))


def _in_follow_period(case, facts: dict, today: date) -> bool:
    """The pupil leaves while the team still follows them (000 step 6)."""
    left_on = as_local_date(facts.get("left_on")) or today
    if case.phase == Phase.MONITOREN:
        return True
    return case.tasks.filter(kind=TaskKind.FOLLOW_PERIOD, due_on__gte=left_on).exclude(
        completion_reason="student.departed").exists()


def _after_help_or_melding(case, facts: dict, today: date) -> bool:
    since = max([case.opened_at, *case.reopenings.values_list("recorded_at", flat=True)])
    return case.transitions.filter(recorded_at__gte=since,
                                   to_phase__in=[Phase.HULP, Phase.MELDING]).exists()


CONDITIONS = {"in_follow_period": _in_follow_period,
              "after_help_or_melding": _after_help_or_melding}


# --- Applying an event -----------------------------------------------------------------


@dataclass
class Outcome:
    created: list = field(default_factory=list)
    rescheduled: list = field(default_factory=list)
    completed: list = field(default_factory=list)


def _task_phase(create: Create, facts: dict) -> str:
    return str(facts.get("phase", "")) if create.phase == PHASE_FROM_FACT else create.phase


def _title(kind: str, phase: str) -> str:
    label = TaskKind(kind).label
    if kind == TaskKind.PHASE_LIMIT and phase in Phase.values:
        return _("Termijn bewaken: %(phase)s") % {"phase": Phase(phase).label}
    return str(label)


def deadline_policy(case) -> DeadlinePolicy:
    """The board's deadline policy, read once per case object: one action reports several
    events (a conclusion, the phase left, the phase entered), each may need it."""
    cached = case.__dict__.get("_deadline_policy")
    if cached is None:
        cached = case.__dict__["_deadline_policy"] = DeadlinePolicy.for_board(
            case.school.board)
    return cached


# savepoint=False: callers are services inside their own transaction, where a savepoint
# per event would only add two round trips each; a direct call still gets a transaction.
@transaction.atomic(savepoint=False)
def case_event(event: str, *, case, actor=None, **facts) -> Outcome:
    """Record the deadline consequences of a workflow event, in the caller's transaction.

    Callers are services that already hold the case row lock; the atomic block only makes
    a direct call (a command, a test) safe as well.
    """
    rule = rule_for(event, facts)
    today = local_today()
    if rule.when and not CONDITIONS[rule.when](case, facts, today):
        return Outcome()
    if rule.handover:
        return _hand_over(case, facts.get("coordinator"), event=event, actor=actor)
    outcome = Outcome()
    creating = {c.kind for c in rule.create}
    for complete in rule.complete:
        kinds = [k for k in (complete.kinds or TaskKind.values) if k not in creating]
        open_tasks = case.tasks.filter(completed_at__isnull=True, kind__in=kinds)
        if complete.same_phase:
            open_tasks = open_tasks.filter(phase=str(facts.get("phase", "")))
        for task in open_tasks.select_for_update():
            _auto_complete(task, event=event, actor=actor)
            outcome.completed.append(task)
        _meet_overridden(case, complete, kinds, facts, event=event, actor=actor)
    for create in rule.create:
        if not create.applies(facts):
            continue
        due = create.due.compute(deadline_policy(case), facts, today)
        phase = _task_phase(create, facts)
        for owner in owners_for(create.owner, case, facts):
            existing = case.tasks.select_for_update().filter(
                kind=create.kind, owner=owner, completed_at__isnull=True).first()
            if existing is None:
                outcome.created.append(_create(case, create.kind, phase, due, owner, event, actor))
            elif create.reschedule and existing.due_on != due:
                _reschedule(existing, due, event=event, actor=actor)
                outcome.rescheduled.append(existing)
    return outcome


def _create(case, kind, phase, due, owner, event, actor) -> Task:
    task = Task.objects.create(case=case, kind=kind, phase=phase, title=_title(kind, phase),
                               due_on=due, owner=owner, source_event=event)
    audit("task.created", actor=actor, subject=task, case=case,
          data={"kind": kind, "due": due.isoformat(), "owner": owner.pk, "event": event})
    return task


def _reschedule(task, due, *, event, actor) -> None:
    previous = task.due_on
    task.due_on = due
    task.save(update_fields=["due_on"])
    audit("task.rescheduled", actor=actor, subject=task, case=task.case,
          data={"kind": task.kind, "from": previous.isoformat(), "to": due.isoformat(),
                "event": event})


def _auto_complete(task, *, event, actor, met: bool = True) -> None:
    task.completed_at = timezone.now()
    task.completed_by = actor if actor is not None and actor.is_authenticated else None
    task.auto_completed = True
    task.completion_reason = event
    # The step was taken: the deadline is met (a handover to another owner meets nothing).
    task.met_at = task.completed_at if met else None
    task.save(update_fields=["completed_at", "completed_by", "auto_completed",
                             "completion_reason", "met_at"])
    audit("task.auto_completed", actor=actor, subject=task, case=task.case,
          data={"kind": task.kind, "event": event})


def _meet_overridden(case, complete, kinds, facts, *, event, actor) -> None:
    """A deadline ticked off by hand without its step is met once the step is recorded."""
    overridden = case.tasks.filter(kind__in=kinds, met_at__isnull=True,
                                   completed_at__isnull=False).exclude(override_reason="")
    if complete.same_phase:
        overridden = overridden.filter(phase=str(facts.get("phase", "")))
    for task in overridden.select_for_update():
        task.met_at = timezone.now()
        task.save(update_fields=["met_at"])
        audit("task.deadline_met", actor=actor, subject=task, case=case,
              data={"kind": task.kind, "event": event})


def _hand_over(case, coordinator, *, event, actor) -> Outcome:
    """One open task per coordinator deadline, now owned by the new coordinator."""
    if coordinator is None or not coordinator.is_active:
        return Outcome()
    open_tasks = case.tasks.select_for_update(of=("self",)).filter(
        completed_at__isnull=True, kind__in=COORDINATOR_KINDS)
    return hand_to(case, open_tasks, [coordinator], event=event, actor=actor)


def hand_to(case, tasks, owners, *, event, actor) -> Outcome:
    """Give open `tasks` to `owners`, leaving each owner one open task per kind.

    Several people's copies of one deadline meet here (every AF holds one): a copy goes to
    an owner who lacks that kind, the most urgent first; a copy nobody lacks any more is
    completed, as the deadline is watched already; an owner left without one gets a copy
    of their own, as a deadline created now would give every owner. Callers hold the case
    row lock.
    """
    owner_ids = [owner.pk for owner in owners]
    held = set(case.tasks.filter(completed_at__isnull=True, owner_id__in=owner_ids)
               .values_list("kind", "owner_id"))
    by_kind: dict[str, list] = {}
    for task in sorted(tasks, key=lambda t: (t.due_on, t.created_at)):
        if task.owner_id not in owner_ids:
            by_kind.setdefault(task.kind, []).append(task)
    outcome = Outcome()
    for kind, copies in by_kind.items():
        lacking = [owner for owner in owners if (kind, owner.pk) not in held]
        for task in copies:
            if not lacking:
                _auto_complete(task, event=event, actor=actor, met=False)
                outcome.completed.append(task)
                continue
            owner, previous = lacking.pop(0), task.owner_id
            task.owner, task.last_reminded_on = owner, None
            task.save(update_fields=["owner", "last_reminded_on"])
            audit("task.reassigned", actor=actor, subject=task, case=case,
                  data={"kind": task.kind, "from": previous, "to": owner.pk, "event": event})
            outcome.rescheduled.append(task)
        first = copies[0]
        for owner in lacking:
            outcome.created.append(
                _create(case, kind, first.phase, first.due_on, owner, event, actor))
    return outcome


def plan_item_task(*, case, item, actor) -> Task:
    """The task of one line of the plan van aanpak: the line's own owner, title and date
    (set by the zorgteam, so no policy term applies)."""
    task = Task.objects.create(case=case, kind=TaskKind.PLAN_ITEM, phase="",
                               title=item.description[:200], due_on=item.due_on,
                               owner=item.owner, source_event="plan.item_added")
    audit("task.created", actor=actor, subject=task, case=case,
          data={"kind": task.kind, "due": item.due_on.isoformat(), "owner": item.owner.pk,
                "event": "plan.item_added"})
    return task

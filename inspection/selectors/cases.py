"""The cases of one school as the inspecteur sees them: pseudonymised.

A case is a stable code (a keyed hash of its id), never the pupil: no name, date of birth,
group, nor any text from an observation, conversation or melding. What remains is the
procedure: which phases on which dates, who acted in which role, deadlines met or missed,
the outcome of the afwegingskader, whether parents were informed before a melding,
monitoring, reopenings. Everything for a school is read in a fixed number of queries.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from audit.selectors.timeline import role_label
from audit.selectors.trail import day_start
from cases.models import (
    Case,
    CaseReopening,
    Conversation,
    ConversationExemption,
    DeadlinePolicy,
    Phase,
    PhaseConclusion,
    PhaseTransition,
    Task,
)
from cases.models.workflow import AcuteReport
from decisions.models import Report, ReportConversation, ReportExemption, WeighingDecision
from meldcode.models import Membership, MembershipStatus
from meldcode.workdays import add_months

# Moves that do not need the record of the step they leave: acute danger skips the
# guards on purpose, the meldplicht route and a reopening start elsewhere, and an extra
# observation period returns to step 3 from a weighing in doubt.
UNGUARDED_ACTIONS = {"acute_report", "switch_meldplicht", "record_meldplicht",
                     "close_meldplicht", "reopen", "extra_observation"}
CONCLUDED_PHASES = {Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK}

OUTCOME_LABELS = {"sterk_vermoeden": _("sterk vermoeden"),
                  "geen_vermoeden": _("geen sterk vermoeden"), "close": _("sluiten"),
                  "help": _("hulp"), "melding": _("melding"), "close_help": _("hulp afgesloten")}


def case_code(case_id) -> str:
    """The case's pseudonym: the same on every page, export and grant, and not to be
    turned back into the case (or pupil) without the server's secret key."""
    digest = salted_hmac("inspection.case_code", str(case_id)).hexdigest().upper()
    return f"K-{digest[:5]}-{digest[5:10]}"


def cases_in_period(school_ids, start: date, end: date):
    """Cases of the schools that were open at some moment of the period."""
    return (Case.objects.filter(school_id__in=school_ids,
                                opened_at__lt=day_start(end + timedelta(days=1)))
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=day_start(start)))
        .order_by("opened_at", "id"))


@dataclass
class StepRow:
    on: date
    from_label: str
    to_label: str
    role: str
    actor: str  # empty unless the grant includes names
    in_order: bool | None  # None: a move that needs no record first


@dataclass
class DeadlineRow:
    label: str
    due_on: date
    done_on: date | None
    days_late: int  # > 0: missed by so many days (still open: until today)

    @property
    def met(self) -> bool:
        return self.done_on is not None and self.days_late <= 0


@dataclass
class MeldingRow:
    norm: str
    approved_on: date | None
    sent_on: date | None
    four_eyes: bool
    parents: str  # "informed", "exception", "not_recorded"
    exception: str = ""
    acute: bool = False


@dataclass
class CaseRow:
    pk: object
    code: str
    route: str
    phase: str
    opened_on: date
    closed_on: date | None
    steps: list[StepRow] = field(default_factory=list)
    deadlines: list[DeadlineRow] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    meldingen: list[MeldingRow] = field(default_factory=list)
    step3: str = ""  # "conversation", an exemption label, or ""
    monitoring_start: date | None = None
    monitoring_end: date | None = None
    monitoring_kept: bool | None = None  # None: not monitored, or still running
    reopenings: list[date] = field(default_factory=list)

    @property
    def steps_in_order(self) -> bool:
        return all(s.in_order is not False for s in self.steps)


def _local_day(moment: datetime | None) -> date | None:
    # The project's zone (TIME_ZONE; no request switches it), which Django keeps cached:
    # localtime() looks up the current zone anew for each of the tens of thousands of
    # moments a large school's overview converts.
    return moment.astimezone(timezone.get_default_timezone()).date() if moment else None


def _labels(model, field: str) -> dict:
    """A choice field's labels by value, in the active language."""
    return {value: str(label) for value, label in model._meta.get_field(field).flatchoices}


def _roles_by_user(school, user_ids) -> dict:
    held = defaultdict(set)
    for user_id, role in (Membership.objects.filter(user_id__in=user_ids,
                                                    status=MembershipStatus.CONFIRMED)
                          .filter(Q(school=school) | Q(school__isnull=True,
                                                       board_id=school.board_id))
                          .values_list("user_id", "role")):
        held[user_id].add(role)
    return held


def _by_case(qs, attr="case_id") -> dict:
    grouped = defaultdict(list)
    for record in qs:
        grouped[getattr(record, attr)].append(record)
    return grouped


def school_cases(school, start: date, end: date, *, with_names: bool = False,
                 case_ids=None) -> list[CaseRow]:
    """The pseudonymised rows of a school's cases in the period (optionally some only)."""
    cases = cases_in_period([school.pk], start, end)
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    cases = list(cases.only("id", "route", "phase", "opened_at", "closed_at", "school_id"))
    ids = [c.pk for c in cases]
    if not ids:
        return []
    moves = PhaseTransition.objects.filter(case_id__in=ids).order_by("recorded_at", "id")
    transitions = _by_case(moves.select_related("recorded_by") if with_names else moves)
    conclusions = _by_case(PhaseConclusion.objects.filter(case_id__in=ids)
                           .only("case_id", "phase", "outcome", "recorded_at"))
    conversations = _by_case(Conversation.objects.filter(case_id__in=ids, with_parents=True)
                             .only("case_id", "phase", "recorded_at"))
    exemptions = _by_case(ConversationExemption.objects.filter(case_id__in=ids)
                          .only("case_id", "reason", "recorded_at"))
    decisions = defaultdict(list)
    for d in (WeighingDecision.objects.filter(weighing__case_id__in=ids)
              .select_related("weighing").only("weighing__case_id", "step", "outcome", "norm",
                                               "decided_at")):
        decisions[d.weighing.case_id].append(d)
    # Plain rows, not model instances: a large school's cases have tens of thousands.
    tasks = defaultdict(list)
    for case_id, *task in (Task.objects.filter(case_id__in=ids).order_by("due_on")
                           .values_list("case_id", "kind", "due_on", "completed_at")):
        tasks[case_id].append(task)
    reports = _by_case(Report.objects.filter(case_id__in=ids, approved_at__isnull=False)
                       .select_related("sending").only(
                           "case_id", "norm", "approved_at", "approved_by_id",
                           "drafted_by_id", "acute_report_id", "sending__sent_at"))
    report_ids = [r.pk for rows in reports.values() for r in rows]
    talked = defaultdict(list)
    for rc in ReportConversation.objects.filter(report_id__in=report_ids, with_parents=True):
        talked[rc.report_id].append(rc.held_on)
    excused = {e.report_id: e for e in ReportExemption.objects.filter(report_id__in=report_ids)}
    acute_ids = set(AcuteReport.objects.filter(case_id__in=ids).values_list("case_id",
                                                                           flat=True))
    reopenings = _by_case(CaseReopening.objects.filter(case_id__in=ids)
                          .only("case_id", "recorded_at"))
    follow_months = DeadlinePolicy.for_board(school.board).follow_months
    actor_ids = {t.recorded_by_id for rows in transitions.values() for t in rows}
    held = _roles_by_user(school, actor_ids)
    today = timezone.localdate()
    # Labels looked up once: get_kind_display() builds the field's choices anew on every
    # call, and a large school's cases have tens of thousands of deadlines.
    kind_label, route_label, phase_label = (
        _labels(Task, "kind"), _labels(Case, "route"), _labels(Case, "phase"))

    rows = []
    for case in cases:
        row = CaseRow(pk=case.pk, code=case_code(case.pk),
                      route=route_label.get(case.route, case.route),
                      phase=phase_label.get(case.phase, case.phase),
                      opened_on=_local_day(case.opened_at),
                      closed_on=_local_day(case.closed_at))
        decided = [(d.decided_at, d) for d in decisions.get(case.pk, [])]
        for t in transitions.get(case.pk, []):
            row.steps.append(StepRow(
                on=_local_day(t.recorded_at), from_label=Phase(t.from_phase).label,
                to_label=Phase(t.to_phase).label,
                role=role_label(sorted(held.get(t.recorded_by_id, ()))),
                actor=str(t.recorded_by) if with_names else "",
                in_order=_in_order(t, conclusions.get(case.pk, []),
                                   conversations.get(case.pk, []),
                                   exemptions.get(case.pk, []), decided)))
        for kind, due_on, completed_at in tasks.get(case.pk, []):
            done = _local_day(completed_at)
            late = ((done or today) - due_on).days
            if done is None and late <= 0:
                continue  # open and not yet due: nothing to say yet
            row.deadlines.append(DeadlineRow(kind_label.get(kind, kind), due_on, done, late))
        for _when, d in sorted(decided, key=lambda item: item[0]):
            label = str(OUTCOME_LABELS.get(d.outcome, d.outcome))
            row.outcomes.append(f"{label} ({d.norm})" if d.norm else label)
        for report in reports.get(case.pk, []):
            sending = getattr(report, "sending", None)
            sent_on = _local_day(sending.sent_at) if sending else None
            before = sent_on or _local_day(report.approved_at)
            exemption = excused.get(report.pk)
            if any(day <= before for day in talked.get(report.pk, [])):
                parents = "informed"
            elif exemption is not None:
                parents = "exception"
            else:
                parents = "not_recorded"
            row.meldingen.append(MeldingRow(
                norm=report.norm, approved_on=_local_day(report.approved_at), sent_on=sent_on,
                four_eyes=bool(report.approved_by_id and report.drafted_by_id
                               and report.approved_by_id != report.drafted_by_id),
                parents=parents,
                exception=exemption.get_reason_display() if exemption else "",
                acute=report.acute_report_id is not None))
        if case.pk in acute_ids and not any(m.acute for m in row.meldingen):
            row.outcomes.append(str(_("acuut")))
        if conversations.get(case.pk):
            row.step3 = "conversation"
        elif exemptions.get(case.pk):
            row.step3 = exemptions[case.pk][0].get_reason_display()
        _monitoring(row, transitions.get(case.pk, []), follow_months)
        row.reopenings = [_local_day(r.recorded_at) for r in reopenings.get(case.pk, [])]
        rows.append(row)
    return rows


def _in_order(t, conclusions, conversations, exemptions, decided) -> bool | None:
    if t.action in UNGUARDED_ACTIONS:
        return None
    before = t.recorded_at
    if t.from_phase in CONCLUDED_PHASES:
        if not any(c.phase == t.from_phase and c.recorded_at <= before for c in conclusions):
            return False
        if t.from_phase == Phase.GESPREK and not any(
                r.recorded_at <= before for r in [*conversations, *exemptions]):
            return False
        return True
    if t.from_phase == Phase.WEGEN:
        return any(when <= before for when, _d in decided)
    return None


def _monitoring(row: CaseRow, transitions, follow_months: int) -> None:
    start = end = None
    for t in transitions:
        if t.to_phase == Phase.MONITOREN and start is None:
            start = _local_day(t.recorded_at)
        elif t.from_phase == Phase.MONITOREN and start is not None and end is None:
            end = _local_day(t.recorded_at)
    row.monitoring_start, row.monitoring_end = start, end
    if start is not None and end is not None:
        row.monitoring_kept = end >= add_months(start, follow_months)


def find_case(school, start: date, end: date, code: str):
    """The id of the school's case with this code in the period, or None."""
    for case_id in cases_in_period([school.pk], start, end).values_list("id", flat=True):
        if case_code(case_id) == code:
            return case_id
    return None

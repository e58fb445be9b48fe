"""The facts the stappenplan's guards read: a snapshot of one case, in a fixed number of
queries, whatever its size (used by cases/workflow.py, which re-exports it).

Records count from the start of the current cycle: the opening, or the last reopening.
Steps 4-5 are decided in the decisions app, which this app does not import: the facts about
the weighing, the help plan and the meldingen have neutral defaults here and the decisions
app fills them through a provider it registers at `ready()` (`register_fact_provider`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Q
from django.utils import timezone

from cases.models import (
    ActionPlanItem,
    Case,
    CaseReopening,
    Consultation,
    Conversation,
    ConversationExemption,
    DeadlinePolicy,
    DepartureDuty,
    Evaluation,
    MeldplichtRecord,
    Observation,
    Phase,
    PhaseConclusion,
    PhaseTransition,
    StudentDeparture,
)

MONITORING_MONTHS = 6


@dataclass(frozen=True)
class Facts:
    """What the guards need to know about a case, read once."""

    phase: str
    route: str
    submitted_observation: bool
    af_or_zorgteam_consultation: bool
    parent_conversation: bool
    exemption: bool
    step3_doubt: bool
    evaluation: bool
    help_or_melding: bool
    monitoring_since: datetime | None
    meldplicht_decided: bool
    other_open_case: bool
    now: datetime
    # The board's follow period: the meldcode's six months, or longer where the board says so.
    follow_months: int = MONITORING_MONTHS
    last_evaluation_at: datetime | None = None
    # An exemption from the parents' conversation with no conversation after it (C-3).
    exemption_unresolved: bool = False
    # Filled by the decisions app's fact provider: the consequences of the current weighing
    # that are still to be acted on ("close", "help", "melding", "close_help"), whether a
    # melding of this cycle is not yet sent, and whether a help plan runs without a result.
    pending: frozenset = frozenset()
    melding_unsent: bool = False
    help_open: bool = False
    # A zorgteam / ZBO consultation in this cycle (an AF talk alone does not leave step 2).
    zorgteam_consultation: bool = False
    # The pupil left and the care was handed over to the new school in this cycle: the
    # school no longer sees the pupil, so the follow period cannot be kept (C-11).
    handover_recorded: bool = False
    # The plan van aanpak met taakverdeling of this cycle (000 fase 2): at least one line.
    action_plan: bool = False


FactProvider = Callable[[Case, datetime], dict]
_FACT_PROVIDERS: list[FactProvider] = []


def register_fact_provider(provider: FactProvider) -> FactProvider:
    """A higher app adds facts: provider(case, cycle_start) → {field: value}."""
    if provider not in _FACT_PROVIDERS:
        _FACT_PROVIDERS.append(provider)
    return provider


def cycle_start(case) -> datetime:
    """Records count from the start of the current cycle: the opening, or the last
    reopening."""
    last_reopen = (CaseReopening.objects.filter(case=case).order_by("-recorded_at")
                   .values_list("recorded_at", flat=True).first())
    return last_reopen or case.opened_at


def load_facts(case, now: datetime | None = None) -> Facts:
    """A snapshot of the case for the guards (about ten small queries, whatever its size)."""
    now = now or timezone.now()
    since = cycle_start(case)
    # One query for both consultation facts: which kinds were consulted in this cycle.
    consulted = set(Consultation.objects.filter(case=case, recorded_at__gte=since)
                    .values_list("kind", flat=True).distinct())
    step3 = (PhaseConclusion.objects.filter(case=case, phase=Phase.GESPREK,
                                            recorded_at__gte=since)
             .order_by("-recorded_at").values_list("outcome", flat=True).first())
    help_or_melding = PhaseTransition.objects.filter(
        case=case, recorded_at__gte=since, to_phase__in=[Phase.HULP, Phase.MELDING]).exists()
    last_exemption = (ConversationExemption.objects.filter(case=case, recorded_at__gte=since)
                      .order_by("-recorded_at").values_list("recorded_at", flat=True).first())
    parent_talks = Conversation.objects.filter(
        case=case, recorded_at__gte=since, with_parents=True).aggregate(
            last=Max("recorded_at"), in_step3=Count("pk", filter=Q(phase=Phase.GESPREK)))
    last_parent_talk = parent_talks["last"]
    last_evaluation_at = Evaluation.objects.filter(
        case=case, recorded_at__gte=since).aggregate(last=Max("recorded_at"))["last"]
    # Two existence questions in one query: the plan van aanpak of this cycle, and another
    # open case of the pupil on the same route.
    action_plan, other_open_case = Case.objects.filter(pk=case.pk).annotate(
        plan=Exists(ActionPlanItem.objects.filter(case=OuterRef("pk"), recorded_at__gte=since)),
        other=Exists(Case.objects.filter(student_id=case.student_id, route=case.route)
                     .exclude(pk=case.pk).exclude(phase=Phase.GESLOTEN)),
    ).values_list("plan", "other").get()
    extra = {}
    for provider in _FACT_PROVIDERS:
        extra.update(provider(case, since))
    return Facts(
        phase=case.phase,
        route=case.route,
        submitted_observation=Observation.objects.filter(
            case=case, status=Observation.Status.SUBMITTED).exists(),
        af_or_zorgteam_consultation=bool(
            consulted & {Consultation.Kind.AF, Consultation.Kind.ZORGTEAM}),
        zorgteam_consultation=Consultation.Kind.ZORGTEAM in consulted,
        # Only a follow period (after help or a melding) asks about a handover.
        handover_recorded=help_or_melding and (
            DepartureDuty.objects.filter(case=case, recorded_at__gte=since,
                                         duty=DepartureDuty.Duty.HANDOVER).exists()
            # Departures recorded as one record, before the duties were separate.
            or StudentDeparture.objects.filter(case=case, recorded_at__gte=since,
                                               care_handover_on__isnull=False).exists()),
        action_plan=action_plan,
        parent_conversation=parent_talks["in_step3"] > 0,
        exemption=last_exemption is not None,
        exemption_unresolved=last_exemption is not None and (
            last_parent_talk is None or last_parent_talk < last_exemption),
        step3_doubt=step3 == "twijfel_bevestiging",
        evaluation=last_evaluation_at is not None,
        last_evaluation_at=last_evaluation_at,
        help_or_melding=help_or_melding,
        monitoring_since=case.phase_changed_at if case.phase == Phase.MONITOREN else None,
        meldplicht_decided=MeldplichtRecord.objects.filter(
            case=case, board_recorded_at__isnull=False).exists(),
        other_open_case=other_open_case,
        now=now,
        follow_months=_follow_months(case) if help_or_melding else MONITORING_MONTHS,
        **extra,
    )


def _follow_months(case) -> int:
    """The board may set a longer follow period than the meldcode's six months, never less."""
    months = (DeadlinePolicy.objects.filter(board__schools=case.school_id)
              .values_list("follow_months", flat=True).first())
    return max(MONITORING_MONTHS, months or MONITORING_MONTHS)

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

from django.db.models import Exists, OuterRef, Subquery
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


def _in_cycle(model, since, **filters):
    """`model`'s records of the outer case in this cycle."""
    return model.objects.filter(case=OuterRef("pk"), recorded_at__gte=since, **filters)


def _latest(rows, field: str = "recorded_at"):
    """`field` of the newest of `rows` (none: NULL), as a subquery."""
    return Subquery(rows.order_by("-recorded_at").values(field)[:1])


def load_facts(case, now: datetime | None = None) -> Facts:
    """A snapshot of the case for the guards: the cycle's start, then every question about
    its records in one statement (each an indexed subquery), whatever the case's size.

    One statement rather than one per fact: a transition and the case page read the
    facts, and a dozen round trips with their statements built cost more than the
    database spent answering them."""
    now = now or timezone.now()
    since = cycle_start(case)
    talks = _in_cycle(Conversation, since, with_parents=True)
    row = Case.objects.filter(pk=case.pk).annotate(
        af_or_zorgteam=Exists(_in_cycle(Consultation, since, kind__in=[
            Consultation.Kind.AF, Consultation.Kind.ZORGTEAM])),
        zorgteam=Exists(_in_cycle(Consultation, since, kind=Consultation.Kind.ZORGTEAM)),
        step3=_latest(_in_cycle(PhaseConclusion, since, phase=Phase.GESPREK), "outcome"),
        help_or_melding=Exists(_in_cycle(PhaseTransition, since,
                                         to_phase__in=[Phase.HULP, Phase.MELDING])),
        last_exemption=_latest(_in_cycle(ConversationExemption, since)),
        last_parent_talk=_latest(talks),
        parent_talk_in_step3=Exists(talks.filter(phase=Phase.GESPREK)),
        last_evaluation_at=_latest(_in_cycle(Evaluation, since)),
        # The plan van aanpak of this cycle, and another open case of the pupil on the
        # same route.
        plan=Exists(_in_cycle(ActionPlanItem, since)),
        other=Exists(Case.objects.filter(student_id=case.student_id, route=case.route)
                     .exclude(pk=case.pk).exclude(phase=Phase.GESLOTEN)),
        submitted=Exists(Observation.objects.filter(case=OuterRef("pk"),
                                                    status=Observation.Status.SUBMITTED)),
        meldplicht_decided=Exists(MeldplichtRecord.objects.filter(
            case=OuterRef("pk"), board_recorded_at__isnull=False)),
    ).values("af_or_zorgteam", "zorgteam", "step3", "help_or_melding", "last_exemption",
             "last_parent_talk", "parent_talk_in_step3", "last_evaluation_at", "plan", "other",
             "submitted", "meldplicht_decided").get()
    help_or_melding = row["help_or_melding"]
    last_exemption, last_parent_talk = row["last_exemption"], row["last_parent_talk"]
    extra = {}
    for provider in _FACT_PROVIDERS:
        extra.update(provider(case, since))
    return Facts(
        phase=case.phase,
        route=case.route,
        submitted_observation=row["submitted"],
        af_or_zorgteam_consultation=row["af_or_zorgteam"],
        zorgteam_consultation=row["zorgteam"],
        # Only a follow period (after help or a melding) asks about a handover.
        handover_recorded=help_or_melding and (
            DepartureDuty.objects.filter(case=case, recorded_at__gte=since,
                                         duty=DepartureDuty.Duty.HANDOVER).exists()
            # Departures recorded as one record, before the duties were separate.
            or StudentDeparture.objects.filter(case=case, recorded_at__gte=since,
                                               care_handover_on__isnull=False).exists()),
        action_plan=row["plan"],
        parent_conversation=row["parent_talk_in_step3"],
        exemption=last_exemption is not None,
        exemption_unresolved=last_exemption is not None and (
            last_parent_talk is None or last_parent_talk < last_exemption),
        step3_doubt=row["step3"] == "twijfel_bevestiging",
        evaluation=row["last_evaluation_at"] is not None,
        last_evaluation_at=row["last_evaluation_at"],
        help_or_melding=help_or_melding,
        monitoring_since=case.phase_changed_at if case.phase == Phase.MONITOREN else None,
        meldplicht_decided=row["meldplicht_decided"],
        other_open_case=row["other"],
        now=now,
        follow_months=_follow_months(case) if help_or_melding else MONITORING_MONTHS,
        **extra,
    )


def _follow_months(case) -> int:
    """The board may set a longer follow period than the meldcode's six months, never less."""
    months = (DeadlinePolicy.objects.filter(board__schools=case.school_id)
              .values_list("follow_months", flat=True).first())
    return max(MONITORING_MONTHS, months or MONITORING_MONTHS)

"""The stappenplan as data: ONE table of (from_phase, action) → (to_phase, who may, guard).

Services (cases/services/workflow.py) refuse what the table refuses, the case page lists
"what can I do now, and what is still missing?" from it, and the tests walk it row by row.
A row whose `to` is None records something without moving the case.

Roles are those of `cases.permissions.case_roles` plus REPORTER, the person who opened
the case (they may move it to the meldplicht route even when they are only a teacher).
Guards read a `Facts` snapshot of the case, loaded in a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases import permissions
from cases.errors import TransitionNotAllowed
from cases.models import (
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
    Route,
    StudentDeparture,
)
from meldcode.models import Role
from meldcode.workdays import add_months

REPORTER = "melder"
TEACHER, OKA, AF, DIRECTIE, BOARD = (Role.LEERKRACHT, Role.OKA, Role.AANDACHTSFUNCTIONARIS,
                                    Role.DIRECTIE, Role.BESTUUR)
AF_DIRECTIE = frozenset({AF, DIRECTIE})
ZORGTEAM = frozenset({OKA, AF, DIRECTIE})
TEAM = frozenset({TEACHER, OKA, AF, DIRECTIE})

OPEN_PHASES = tuple(p for p in Phase if p != Phase.GESLOTEN)
ANY_ROUTE = None
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
    # A zorgteam / ZBO consultation in this cycle (an AF talk alone does not leave step 2).
    zorgteam_consultation: bool = False
    # The pupil left and the care was handed over to the new school in this cycle: the
    # school no longer sees the pupil, so the follow period cannot be kept (C-11).
    handover_recorded: bool = False


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
    step3 = (PhaseConclusion.objects.filter(case=case, phase=Phase.GESPREK,
                                            recorded_at__gte=since)
             .order_by("-recorded_at").values_list("outcome", flat=True).first())
    # One query for both consultation facts: which kinds were consulted in this cycle.
    consulted = set(Consultation.objects.filter(case=case, recorded_at__gte=since)
                    .values_list("kind", flat=True).distinct())
    help_or_melding = PhaseTransition.objects.filter(
        case=case, recorded_at__gte=since, to_phase__in=[Phase.HULP, Phase.MELDING]).exists()
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
        parent_conversation=Conversation.objects.filter(
            case=case, recorded_at__gte=since, phase=Phase.GESPREK, with_parents=True).exists(),
        exemption=ConversationExemption.objects.filter(case=case,
                                                       recorded_at__gte=since).exists(),
        step3_doubt=step3 == "twijfel_bevestiging",
        evaluation=Evaluation.objects.filter(case=case, recorded_at__gte=since).exists(),
        help_or_melding=help_or_melding,
        monitoring_since=case.phase_changed_at if case.phase == Phase.MONITOREN else None,
        meldplicht_decided=MeldplichtRecord.objects.filter(
            case=case, board_recorded_at__isnull=False).exists(),
        other_open_case=Case.objects.filter(student_id=case.student_id, route=case.route)
        .exclude(pk=case.pk).exclude(phase=Phase.GESLOTEN).exists(),
        now=now,
        follow_months=_follow_months(case) if help_or_melding else MONITORING_MONTHS,
    )


def _follow_months(case) -> int:
    """The board may set a longer follow period than the meldcode's six months, never less."""
    months = (DeadlinePolicy.objects.filter(board__schools=case.school_id)
              .values_list("follow_months", flat=True).first())
    return max(MONITORING_MONTHS, months or MONITORING_MONTHS)


# --- Guards: each returns None when satisfied, else the Dutch sentence naming what is missing.

Guard = Callable[[Facts], "str | None"]


def needs_observation(f: Facts):
    if not f.submitted_observation:
        return _("Leg eerst een observatie vast en dien die in.")
    return None


def needs_consultation(f: Facts):
    if not f.af_or_zorgteam_consultation:
        return _("Leg eerst een consultatie met de aandachtsfunctionaris of het zorgteam vast.")
    return None


def needs_zorgteam_consultation(f: Facts):
    """004 stap 2.1: "met de aandachtsfunctionaris en vervolgens in het zorgteam"."""
    if not f.zorgteam_consultation:
        return _("Bespreek de signalen eerst in het zorgteam of zorgbreedteoverleg (ZBO) en "
                 "leg die consultatie vast; een gesprek met de aandachtsfunctionaris alleen "
                 "is niet genoeg om verder te gaan.")
    return None


def needs_conversation(f: Facts):
    if not (f.parent_conversation or f.exemption):
        return _("Leg eerst een gesprek met de ouders vast, of de reden om het over te slaan.")
    return None


def needs_step3_doubt(f: Facts):
    missing = needs_conversation(f)
    if missing:
        return missing
    if not f.step3_doubt:
        return _("Leg eerst de conclusie van stap 3 vast: twijfel of een bevestiging van het "
                 "vermoeden.")
    return None


def needs_evaluation_and_monitoring(f: Facts):
    if not f.evaluation:
        return _("Leg eerst een evaluatie vast.")
    if f.help_or_melding and not f.handover_recorded:
        if f.monitoring_since is None:
            return _("Na hulp of een melding volgt het zorgteam de leerling eerst ten minste "
                     "%(months)s maanden (fase monitoren).") % {"months": f.follow_months}
        until = add_months(timezone.localtime(f.monitoring_since).date(), f.follow_months)
        if timezone.localtime(f.now).date() < until:
            return _("Na hulp of een melding volgt het zorgteam de leerling ten minste "
                     "%(months)s maanden; sluiten kan vanaf %(date)s.") % {
                         "months": f.follow_months, "date": f"{until:%d-%m-%Y}"}
    return None


def needs_no_other_open_case(f: Facts):
    if f.other_open_case:
        return _("Voor deze leerling loopt al een andere casus; ga verder in die casus.")
    return None


def needs_aangifte_decision(f: Facts):
    if not f.meldplicht_decided:
        return _("Leg eerst het contact met de vertrouwensinspecteur en het besluit over "
                 "aangifte vast.")
    return None


def needs_no_aangifte_decision(f: Facts):
    if f.meldplicht_decided:
        return _("Het besluit over aangifte is al vastgelegd.")
    return None


PHASE_GUARDS: dict[str, Guard] = {
    Phase.SIGNALEREN: needs_observation,
    Phase.CONSULTATIE: needs_consultation,
    Phase.GESPREK: needs_conversation,
}


# --- The table ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    code: str
    label: object  # lazy Dutch label
    # Moves the case to the melding phase by telephone: guards are skipped (acute danger).
    skips_guards: bool = False


ACTIONS: dict[str, Action] = {a.code: a for a in [
    Action("conclude_unfounded", gettext_lazy("Conclusie: het vermoeden is ongegrond")),
    Action("conclude_no_confirmation",
           gettext_lazy("Conclusie: geen bevestiging, blijven observeren")),
    Action("conclude_doubt", gettext_lazy("Conclusie: twijfel of bevestiging")),
    Action("record_consultation", gettext_lazy("Consultatie vastleggen")),
    Action("record_plan", gettext_lazy("Plan van aanpak met taakverdeling vastleggen")),
    Action("record_classification",
           gettext_lazy("Vorm van kindermishandeling vastleggen of herzien")),
    Action("record_conversation", gettext_lazy("Gesprek met ouders of leerling vastleggen")),
    Action("record_exemption", gettext_lazy("Reden vastleggen om het gesprek over te slaan")),
    Action("set_coordinator", gettext_lazy("Coördinator aanwijzen")),
    Action("start_weighing", gettext_lazy("Naar wegen en beslissen (stap 4-5)")),
    Action("decide_help", gettext_lazy("Besluit: hulp organiseren")),
    Action("decide_report", gettext_lazy("Besluit: melden bij Veilig Thuis")),
    Action("decide_monitoring", gettext_lazy("Besluit: monitoren en evalueren (stap 6)")),
    Action("record_evaluation", gettext_lazy("Evaluatie vastleggen")),
    Action("close", gettext_lazy("Casus sluiten")),
    Action("acute_report", gettext_lazy("Acuut onveilig: telefonische melding vastleggen"),
           skips_guards=True),
    Action("switch_meldplicht", gettext_lazy("Naar de meldplichtroute (medewerker verdacht)")),
    Action("record_meldplicht",
           gettext_lazy("Contact met vertrouwensinspecteur en besluit over aangifte")),
    Action("close_meldplicht", gettext_lazy("Meldplichtcasus sluiten")),
    Action("reopen", gettext_lazy("Heropenen na nieuwe signalen")),
    Action("record_departure", gettext_lazy("Vertrek van de leerling vastleggen")),
    Action("record_departure_duty", gettext_lazy("Taak na het vertrek vastleggen")),
    Action("record_nazorg", gettext_lazy("Nazorg voor betrokken medewerkers vastleggen")),
    Action("exclude_person", gettext_lazy("Persoon uitsluiten van deze casus")),
]}


@dataclass(frozen=True)
class Transition:
    frm: str
    action: str
    to: str | None
    roles: frozenset
    guard: Guard | None = None
    # The route the row applies to; ANY_ROUTE (None) for rows of both routes.
    route: str | None = Route.STAPPENPLAN


def _rows() -> list[Transition]:
    T = Transition
    rows = []
    # Steps 1-3: the three conclusions (seed 000) and the records of each step.
    nxt = {Phase.SIGNALEREN: Phase.CONSULTATIE, Phase.CONSULTATIE: Phase.GESPREK,
           Phase.GESPREK: None}  # from step 3, AF or directie move the case to weighing
    concluders = {Phase.SIGNALEREN: TEAM, Phase.CONSULTATIE: ZORGTEAM, Phase.GESPREK: ZORGTEAM}
    # Leaving step 2 with doubt needs the zorgteam (004 stap 2.1); the other two
    # conclusions of step 2 may follow an AF talk.
    doubt_guards = {**PHASE_GUARDS, Phase.CONSULTATIE: needs_zorgteam_consultation}
    for phase, guard in PHASE_GUARDS.items():
        rows += [
            T(phase, "conclude_unfounded", Phase.GESLOTEN, AF_DIRECTIE, guard),
            T(phase, "conclude_no_confirmation", None, concluders[phase], guard),
            T(phase, "conclude_doubt", nxt[phase], concluders[phase], doubt_guards[phase]),
        ]
    rows += [
        T(Phase.SIGNALEREN, "record_conversation", None, TEAM),
        T(Phase.GESPREK, "record_conversation", None, TEAM),
        T(Phase.GESPREK, "record_exemption", None, AF_DIRECTIE),
        T(Phase.GESPREK, "start_weighing", Phase.WEGEN, AF_DIRECTIE, needs_step3_doubt),
    ]
    # Step 1 too: after a disclosure the AF consults Veilig Thuis before anyone talks to
    # the parents (004 bijlage 3, disclosure).
    # And in step 6: new signals after a melding are passed on to Veilig Thuis (000 stap 6).
    for phase in (Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN,
                  Phase.MONITOREN):
        rows.append(T(phase, "record_consultation", None, ZORGTEAM))
    # With doubt the zorgteam makes a plan van aanpak met taakverdeling (000 fase 2) and
    # follows it in step 3.
    for phase in (Phase.CONSULTATIE, Phase.GESPREK):
        rows.append(T(phase, "record_plan", None, ZORGTEAM))
    # The kind of abuse is assessed in step 2 and revised in step 4 (004 "Definities").
    for phase in (Phase.CONSULTATIE, Phase.WEGEN):
        rows.append(T(phase, "record_classification", None, ZORGTEAM))
    # Steps 4-5 and after: decisions with a recorded note (the afwegingskader fills them).
    rows += [
        T(Phase.WEGEN, "decide_help", Phase.HULP, AF_DIRECTIE),
        T(Phase.WEGEN, "decide_report", Phase.MELDING, AF_DIRECTIE),
        T(Phase.HULP, "decide_report", Phase.MELDING, AF_DIRECTIE),
        T(Phase.MONITOREN, "decide_report", Phase.MELDING, AF_DIRECTIE),
        T(Phase.WEGEN, "decide_monitoring", Phase.MONITOREN, AF_DIRECTIE),
        T(Phase.HULP, "decide_monitoring", Phase.MONITOREN, AF_DIRECTIE),
        T(Phase.MELDING, "decide_monitoring", Phase.MONITOREN, AF_DIRECTIE),
        T(Phase.WEGEN, "close", Phase.GESLOTEN, AF_DIRECTIE, needs_evaluation_and_monitoring),
        T(Phase.MONITOREN, "close", Phase.GESLOTEN, AF_DIRECTIE,
          needs_evaluation_and_monitoring),
    ]
    for phase in (Phase.WEGEN, Phase.HULP, Phase.MELDING, Phase.MONITOREN):
        rows.append(T(phase, "record_evaluation", None, ZORGTEAM))
    for phase in (Phase.HULP, Phase.MELDING, Phase.MONITOREN, Phase.GESLOTEN):
        rows.append(T(phase, "record_departure", None, ZORGTEAM))
        rows.append(T(phase, "record_departure_duty", None, ZORGTEAM))
    # Nazorg for staff: after a melding and at closing (000 stap 6).
    for phase in (Phase.MELDING, Phase.MONITOREN, Phase.GESLOTEN):
        rows.append(T(phase, "record_nazorg", None, ZORGTEAM))
    rows.append(T(Phase.GESLOTEN, "reopen", Phase.CONSULTATIE, AF_DIRECTIE,
                  needs_no_other_open_case))
    # Routes outside the normal order.
    for phase in Phase:
        # Acute danger skips every step; only the one-open-case rule still holds. On the
        # meldplicht route too: danger from a staff member is recorded there (C-10.7), by
        # the directie or the bestuur, who are the ones who see that case.
        guard = needs_no_other_open_case if phase == Phase.GESLOTEN else None
        rows.append(T(phase, "acute_report", Phase.MELDING, AF_DIRECTIE | {BOARD}, guard,
                      route=ANY_ROUTE))
    for phase in OPEN_PHASES:
        rows += [
            # Need to know on either route: the AF or directie, or the bestuur when the
            # case is on the meldplicht route.
            T(phase, "exclude_person", None, AF_DIRECTIE | {BOARD}, route=ANY_ROUTE),
            T(phase, "set_coordinator", None, AF_DIRECTIE),
            T(phase, "switch_meldplicht", None, AF_DIRECTIE | {REPORTER}),
            T(phase, "record_meldplicht", None, frozenset({BOARD}), needs_no_aangifte_decision,
              route=Route.MELDPLICHT),
            T(phase, "close_meldplicht", Phase.GESLOTEN, frozenset({BOARD}),
              needs_aangifte_decision, route=Route.MELDPLICHT),
        ]
    return rows


TABLE: dict[tuple[str, str], Transition] = {}
for _row in _rows():
    assert (_row.frm, _row.action) not in TABLE, _row
    TABLE[(_row.frm, _row.action)] = _row
del _row


# --- Reading the table -------------------------------------------------------------------

ROLE_NAMES = {
    AF: gettext_lazy("de aandachtsfunctionaris"),
    DIRECTIE: gettext_lazy("de directie"),
    OKA: gettext_lazy("de ouder- en kindadviseur"),
    TEACHER: gettext_lazy("de leerkracht in het casusteam"),
    BOARD: gettext_lazy("het bestuur"),
    REPORTER: gettext_lazy("wie de zorg meldde"),
}
ROLE_ORDER = [AF, DIRECTIE, OKA, TEACHER, BOARD, REPORTER]


def roles_sentence(roles) -> str:
    names = [str(ROLE_NAMES[r]) for r in ROLE_ORDER if r in roles]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + _(" of ") + names[-1]
    return _("Alleen %(roles)s mag dit doen.") % {"roles": joined}


def user_roles(user, case) -> frozenset:
    roles = set(permissions.case_roles(user, case))
    if roles and case.opened_by_id == user.pk:
        roles.add(REPORTER)
    return frozenset(roles)


def row_for(case_or_phase, action: str, route: str | None = None) -> Transition | None:
    phase = getattr(case_or_phase, "phase", case_or_phase)
    route = route or getattr(case_or_phase, "route", Route.STAPPENPLAN)
    row = TABLE.get((phase, action))
    if row is None or row.route not in (route, ANY_ROUTE):
        return None
    return row


def _not_here(case, action) -> str:
    if action not in ACTIONS:
        return _("Deze handeling bestaat niet.")
    if case.route == Route.MELDPLICHT:
        return _("Op deze casus is de meldplicht van toepassing: het stappenplan geldt niet.")
    return _("Dit kan niet in de fase %(phase)s.") % {"phase": case.get_phase_display()}


def role_refusal(row: Transition | None, roles) -> str | None:
    if row is not None and not (row.roles & roles):
        return roles_sentence(row.roles)
    return None


def refusal(user, case, action: str, facts: Facts | None = None, *,
            roles=None, now: datetime | None = None) -> str | None:
    """None when `user` may do `action` to `case` now; else why not, in Dutch.

    The facts are read only when the row has a guard (and none were given)."""
    row = row_for(case, action)
    if row is None:
        return _not_here(case, action)
    roles = user_roles(user, case) if roles is None else roles
    refused = role_refusal(row, roles)
    if refused:
        return refused
    if row.guard is not None:
        return row.guard(facts or load_facts(case, now))
    return None


def check(user, case, action: str, facts: Facts | None = None, *, roles=None,
          now: datetime | None = None) -> Transition:
    """The row for `action`, or TransitionNotAllowed naming what is missing."""
    message = refusal(user, case, action, facts, roles=roles, now=now)
    if message:
        raise TransitionNotAllowed(message)
    return row_for(case, action)


@dataclass(frozen=True)
class Option:
    action: str
    label: object
    to: str | None
    allowed: bool
    # Why not (None when allowed); `role_ok` tells a missing step from a missing role.
    reason: str | None
    role_ok: bool


def options(user, case, facts: Facts | None = None) -> list[Option]:
    """Every action of the case's phase and route, in table order, for this user."""
    roles = user_roles(user, case)
    facts = facts or load_facts(case)
    result = []
    for (phase, action), row in TABLE.items():
        if phase != case.phase or row.route not in (case.route, ANY_ROUTE):
            continue
        role_msg = role_refusal(row, roles)
        reason = role_msg or (row.guard(facts) if row.guard else None)
        result.append(Option(action=action, label=ACTIONS[action].label, to=row.to,
                             allowed=reason is None, reason=reason, role_ok=role_msg is None))
    return result


STAPPENPLAN_STEPS = [Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN,
                     Phase.HULP, Phase.MELDING, Phase.MONITOREN, Phase.GESLOTEN]

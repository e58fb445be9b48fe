"""The stappenplan as data: ONE table of (from_phase, action) → (to_phase, who may, guard).

Services (cases/services/workflow.py) refuse what the table refuses, the case page lists
"what can I do now, and what is still missing?" from it, and the tests walk it row by row.
A row whose `to` is None records something without moving the case.

Roles are those of `cases.permissions.case_roles` plus REPORTER, the person who opened
the case (they may move it to the meldplicht route even when they are only a teacher).
Guards read a `Facts` snapshot of the case (cases/selectors/facts.py), loaded in a fixed
number of queries. Steps 4-5 are decided with the afwegingskader of the decisions app, which
this app does not import: it fills the facts about the weighing, the help plan and the
meldingen through a fact provider registered at `ready()`, and the guards of the
`decide_*` rows read those facts.
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
from cases.models import Phase, Route
from cases.selectors.facts import (  # noqa: F401 - the table's readers find them here
    MONITORING_MONTHS,
    Facts,
    cycle_start,
    load_facts,
    register_fact_provider,
)
from meldcode.models import Role
from meldcode.workdays import add_months, day_label

REPORTER = "melder"
TEACHER, OKA, AF, DIRECTIE, BOARD = (Role.LEERKRACHT, Role.OKA, Role.AANDACHTSFUNCTIONARIS,
                                    Role.DIRECTIE, Role.BESTUUR)
AF_DIRECTIE = frozenset({AF, DIRECTIE})
DIRECTIE_ONLY = frozenset({DIRECTIE})
# Who runs the help and answers afweging 3-5: the AF or the OKA (004 "Hulp inzetten").
HELPERS = frozenset({OKA, AF})
ZORGTEAM = permissions.ZORGTEAM_ROLES
TEAM = frozenset({TEACHER, OKA, AF, DIRECTIE})

OPEN_PHASES = tuple(p for p in Phase if p != Phase.GESLOTEN)
ANY_ROUTE = None


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


def needs_zorgteam_and_plan(f: Facts):
    """Leaving step 2 with doubt: the zorgteam discussed the signals and made the plan van
    aanpak met taakverdeling (000 fase 2: "wie doet wat en wanneer")."""
    missing = needs_zorgteam_consultation(f)
    if missing:
        return missing
    if not f.action_plan:
        return _("Leg eerst het plan van aanpak met taakverdeling vast: wat er gebeurt, wie "
                 "het doet en wanneer.")
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
    """After help or a melding: six months of monitoring, counted from its start, and the
    evaluation at its end (C-11)."""
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
                         "months": f.follow_months, "date": day_label(until)}
        if f.last_evaluation_at is None or (
                timezone.localtime(f.last_evaluation_at).date() < until):
            return _("Leg de evaluatie aan het einde van de volgperiode vast (vanaf "
                     "%(date)s).") % {"date": day_label(until)}
    return None


def needs_outcome(outcome: str, message) -> Guard:
    """The weighing's computed outcome calls for this decision (decisions app)."""
    def guard(f: Facts):
        if outcome not in f.pending:
            return str(message)
        return None
    guard.__name__ = f"needs_outcome_{outcome}"
    return guard


needs_outcome_close = needs_outcome("close", gettext_lazy(
    "Dit besluit volgt alleen uit afweging 1 A: er is geen actie nodig."))
needs_outcome_melding = needs_outcome("melding", gettext_lazy(
    "De weging vraagt (nog) geen melding: beantwoord eerst de afwegingen."))
needs_outcome_close_help = needs_outcome("close_help", gettext_lazy(
    "Leg eerst het resultaat van de hulp vast (afweging 5: resultaten bereikt)."))


def needs_outcome_help(f: Facts):
    """Help needs the parents: an exemption from their conversation permits a melding,
    not help (C-3)."""
    if f.exemption_unresolved:
        return _("Het gesprek met de ouders is overgeslagen: dat staat een melding toe, geen "
                 "hulp. Leg eerst een gesprek met de ouders vast.")
    if "help" not in f.pending:
        return _("De weging vraagt (nog) geen hulp: beantwoord eerst afweging 3 en 4.")
    return None


def needs_melding_done(f: Facts):
    """Monitoring after a melding: it was made, and any help beside it has its result."""
    if f.melding_unsent:
        return _("Leg eerst vast dat de melding bij Veilig Thuis is gedaan.")
    if f.help_open:
        return _("Leg eerst het resultaat van het hulpplan vast (afweging 5).")
    if "melding" in f.pending or "help" in f.pending:
        return _("De weging vraagt nog een besluit over hulp of een melding: neem eerst dat "
                 "besluit.")
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
    # The page of the action: the stappenplan form, or a page of the decisions app
    # (a URL name taking the case id), which runs the action in its own service.
    url_name: str = "case_workflow_form"


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
    Action("weigh", gettext_lazy("Afwegingskader invullen (stap 4-5)"),
           url_name="weighing_detail"),
    Action("confirm_conclusion", gettext_lazy("Directie: conclusie van stap 4 bevestigen"),
           url_name="weighing_detail"),
    Action("redo_weighing", gettext_lazy("Opnieuw wegen"), url_name="weighing_detail"),
    Action("extra_observation",
           gettext_lazy("Twijfel: extra observatieperiode, terug naar stap 3"),
           url_name="weighing_observation_form"),
    Action("decide_close", gettext_lazy("Besluit: dossier vastleggen en sluiten"),
           url_name="weighing_detail"),
    Action("decide_help", gettext_lazy("Besluit: hulp in gang zetten"),
           url_name="weighing_detail"),
    Action("decide_report", gettext_lazy("Besluit: melden bij Veilig Thuis"),
           url_name="weighing_detail"),
    Action("record_help_plan", gettext_lazy("Hulpplan vastleggen"), url_name="help_plan_form"),
    Action("evaluate_help", gettext_lazy("Resultaat van de hulp beoordelen (afweging 5)"),
           url_name="help_result_form"),
    Action("close_help", gettext_lazy("Hulp afsluiten: naar monitoren"),
           url_name="help_close_form"),
    Action("decide_monitoring", gettext_lazy("Melding gedaan: naar monitoren (stap 6)")),
    Action("report_recurrence",
           gettext_lazy("Nieuwe onveiligheid: melden bij Veilig Thuis (meldnorm C)"),
           url_name="report_recurrence_form"),
    Action("record_evaluation", gettext_lazy("Evaluatie vastleggen")),
    Action("close", gettext_lazy("Casus sluiten")),
    Action("acute_report", gettext_lazy("Acuut onveilig: telefonische melding vastleggen"),
           skips_guards=True, url_name="acute_melding_form"),
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
    # Leaving step 2 with doubt needs the zorgteam (004 stap 2.1) and its plan van aanpak
    # (000 fase 2); the other two conclusions of step 2 may follow an AF talk.
    doubt_guards = {**PHASE_GUARDS, Phase.CONSULTATIE: needs_zorgteam_and_plan}
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
    # Steps 4-5: the afwegingskader (decisions app). The AF or OKA answers, directie decides
    # after consulting them (C-1); the outcome is computed from the answers and is the
    # guard of each decision. Help and a melding can both be decided (C-7); doubt at step 4
    # is an extra observation period in step 3, never monitoring without help (C-9).
    rows += [
        T(Phase.WEGEN, "weigh", None, ZORGTEAM),
        T(Phase.WEGEN, "confirm_conclusion", None, DIRECTIE_ONLY),
        T(Phase.WEGEN, "redo_weighing", None, AF_DIRECTIE),
        T(Phase.WEGEN, "extra_observation", Phase.GESPREK, AF_DIRECTIE),
        T(Phase.WEGEN, "decide_close", Phase.GESLOTEN, DIRECTIE_ONLY, needs_outcome_close),
        T(Phase.WEGEN, "decide_help", Phase.HULP, DIRECTIE_ONLY, needs_outcome_help),
        T(Phase.WEGEN, "decide_report", Phase.MELDING, DIRECTIE_ONLY, needs_outcome_melding),
        # In help, afweging 5; "no" is a melding with norm C.
        T(Phase.HULP, "weigh", None, HELPERS),
        T(Phase.HULP, "record_help_plan", None, HELPERS),
        T(Phase.HULP, "evaluate_help", None, HELPERS),
        T(Phase.HULP, "decide_report", Phase.MELDING, DIRECTIE_ONLY, needs_outcome_melding),
        T(Phase.HULP, "close_help", Phase.MONITOREN, ZORGTEAM, needs_outcome_close_help),
        # After a melding the remaining afwegingen are answered with Veilig Thuis, and help
        # can run beside the melding.
        T(Phase.MELDING, "weigh", None, HELPERS),
        T(Phase.MELDING, "decide_help", None, DIRECTIE_ONLY, needs_outcome_help),
        T(Phase.MELDING, "record_help_plan", None, HELPERS),
        T(Phase.MELDING, "evaluate_help", None, HELPERS),
        T(Phase.MELDING, "decide_report", None, DIRECTIE_ONLY, needs_outcome_melding),
        T(Phase.MELDING, "decide_monitoring", Phase.MONITOREN, AF_DIRECTIE, needs_melding_done),
        T(Phase.MONITOREN, "report_recurrence", Phase.MELDING, DIRECTIE_ONLY),
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
    url_name: str = "case_workflow_form"

    @property
    def own_page(self) -> bool:
        """The action has a page of its own (decisions app), not the stappenplan form."""
        return self.url_name != "case_workflow_form"


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
                             allowed=reason is None, reason=reason, role_ok=role_msg is None,
                             url_name=ACTIONS[action].url_name))
    return result


STAPPENPLAN_STEPS = [Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN,
                     Phase.HULP, Phase.MELDING, Phase.MONITOREN, Phase.GESLOTEN]

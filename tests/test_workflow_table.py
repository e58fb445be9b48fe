"""Every (phase, action, role) of the stappenplan → allowed, or refused with a Dutch message.

The expectation below is written out by hand from DOMAIN.md and seed 000, independently of
cases/workflow.py, so a change to the table that the domain does not call for fails here.
"""

from dataclasses import replace

import pytest
from django.utils import timezone

from cases import workflow
from cases.errors import TransitionNotAllowed
from cases.models import Case, Phase, Route

S, C, G, W, H, M, MO, X = (Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK, Phase.WEGEN,
                           Phase.HULP, Phase.MELDING, Phase.MONITOREN, Phase.GESLOTEN)
OPEN = [S, C, G, W, H, M, MO]
ROLES = {"leerkracht": "leerkracht", "oka": "oka", "af": "aandachtsfunctionaris",
         "directie": "directie", "bestuur": "bestuur", "melder": "melder"}
AF_D = {"af", "directie"}
ZT = {"oka", "af", "directie"}
TEAM = {"leerkracht", "oka", "af", "directie"}
D = {"directie"}
HELP = {"oka", "af"}

# (phase, action) → (to phase or None, who may). Everything not listed is refused.
EXPECTED: dict[tuple[str, str], tuple[str | None, set]] = {
    (S, "conclude_unfounded"): (X, AF_D),
    (S, "conclude_no_confirmation"): (None, TEAM),
    (S, "conclude_doubt"): (C, TEAM),
    (S, "record_conversation"): (None, TEAM),
    # After a disclosure the AF consults Veilig Thuis while the case is still in step 1.
    (S, "record_consultation"): (None, ZT),
    (C, "conclude_unfounded"): (X, AF_D),
    (C, "conclude_no_confirmation"): (None, ZT),
    (C, "conclude_doubt"): (G, ZT),
    (C, "record_consultation"): (None, ZT),
    (C, "record_classification"): (None, ZT),
    # The plan van aanpak met taakverdeling (000 fase 2), followed in step 3.
    (C, "record_plan"): (None, ZT),
    (G, "record_plan"): (None, ZT),
    (G, "conclude_unfounded"): (X, AF_D),
    (G, "conclude_no_confirmation"): (None, ZT),
    (G, "conclude_doubt"): (None, ZT),
    (G, "record_consultation"): (None, ZT),
    (G, "record_conversation"): (None, TEAM),
    (G, "record_exemption"): (None, AF_D),
    (G, "start_weighing"): (W, AF_D),
    (W, "record_consultation"): (None, ZT),
    (W, "record_classification"): (None, ZT),
    # Steps 4-5 (C-1): the AF, OKA or directie answers; directie decides after consulting
    # the AF/OKA; the AF or OKA runs the help. No monitoring without help or a melding and
    # no closing without afweging 1 A (C-9); doubt goes back to step 3.
    (W, "weigh"): (None, ZT),
    (W, "confirm_conclusion"): (None, D),
    (W, "redo_weighing"): (None, AF_D),
    (W, "extra_observation"): (G, AF_D),
    (W, "decide_close"): (X, D),
    (W, "decide_help"): (H, D),
    (W, "decide_report"): (M, D),
    (W, "record_evaluation"): (None, ZT),
    (H, "weigh"): (None, HELP),
    (H, "record_help_plan"): (None, HELP),
    (H, "evaluate_help"): (None, HELP),
    (H, "decide_report"): (M, D),
    (H, "close_help"): (MO, ZT),
    (H, "record_evaluation"): (None, ZT),
    (H, "record_departure"): (None, ZT),
    # A melding and help can both be taken (C-7).
    (M, "weigh"): (None, HELP),
    (M, "decide_help"): (None, D),
    (M, "record_help_plan"): (None, HELP),
    (M, "evaluate_help"): (None, HELP),
    (M, "decide_report"): (None, D),
    (M, "decide_monitoring"): (MO, AF_D),
    (M, "record_evaluation"): (None, ZT),
    (M, "record_departure"): (None, ZT),
    (MO, "report_recurrence"): (M, D),
    (H, "record_departure_duty"): (None, ZT),
    (M, "record_departure_duty"): (None, ZT),
    (MO, "close"): (X, AF_D),
    # New signals after a melding are passed on to Veilig Thuis (000 stap 6).
    (MO, "record_consultation"): (None, ZT),
    (MO, "record_evaluation"): (None, ZT),
    (MO, "record_departure"): (None, ZT),
    (MO, "record_departure_duty"): (None, ZT),
    (X, "reopen"): (C, AF_D),
    # Nazorg for staff after a melding and at closing (000 stap 6).
    (M, "record_nazorg"): (None, ZT),
    (MO, "record_nazorg"): (None, ZT),
    (X, "record_nazorg"): (None, ZT),
    (X, "record_departure"): (None, ZT),
    (X, "record_departure_duty"): (None, ZT),
    (X, "acute_report"): (M, AF_D | {"bestuur"}),
}
for _phase in OPEN:
    # The bestuur acts only on the meldplicht route, where the same row holds.
    EXPECTED[(_phase, "acute_report")] = (M, AF_D | {"bestuur"})
    EXPECTED[(_phase, "set_coordinator")] = (None, AF_D)
    EXPECTED[(_phase, "switch_meldplicht")] = (None, AF_D | {"melder"})

# On the meldplicht route only the bestuur acts.
EXPECTED_MELDPLICHT = {}
for _phase in OPEN:
    EXPECTED_MELDPLICHT[(_phase, "record_meldplicht")] = (None, {"bestuur"})
    # The exclusion list holds on both routes (need to know).
    EXPECTED[(_phase, "exclude_person")] = (None, AF_D | {"bestuur"})
    EXPECTED_MELDPLICHT[(_phase, "exclude_person")] = (None, AF_D | {"bestuur"})
    EXPECTED_MELDPLICHT[(_phase, "close_meldplicht")] = (X, {"bestuur"})
for _phase in Phase:
    # Acute danger on the meldplicht route as well (C-10.7).
    EXPECTED_MELDPLICHT[(_phase, "acute_report")] = (M, AF_D | {"bestuur"})

ROLE_SENTENCE = {
    frozenset(AF_D): "Alleen de aandachtsfunctionaris of de directie mag dit doen.",
    frozenset(ZT): "Alleen de aandachtsfunctionaris, de directie of de ouder- en kindadviseur "
                   "mag dit doen.",
    frozenset(TEAM): "Alleen de aandachtsfunctionaris, de directie, de ouder- en kindadviseur "
                     "of de leerkracht in het casusteam mag dit doen.",
    frozenset(AF_D | {"melder"}): "Alleen de aandachtsfunctionaris, de directie of wie de "
                                  "zorg meldde mag dit doen.",
    frozenset({"bestuur"}): "Alleen het bestuur mag dit doen.",
    frozenset(D): "Alleen de directie mag dit doen.",
    frozenset(HELP): "Alleen de aandachtsfunctionaris of de ouder- en kindadviseur mag dit "
                     "doen.",
    frozenset(AF_D | {"bestuur"}): "Alleen de aandachtsfunctionaris, de directie of het "
                                   "bestuur mag dit doen.",
}

ALL_MET = workflow.Facts(
    phase=S, route=Route.STAPPENPLAN, submitted_observation=True,
    af_or_zorgteam_consultation=True, zorgteam_consultation=True, parent_conversation=True,
    exemption=False, action_plan=True,
    step3_doubt=True, evaluation=True, help_or_melding=False, monitoring_since=None,
    meldplicht_decided=True, other_open_case=False, now=timezone.now(),
    pending=frozenset({"close", "help", "melding", "close_help"}),
)


def _params(route, expected):
    for phase in Phase:
        for action in workflow.ACTIONS:
            yield pytest.param(route, phase, action, expected.get((phase, action)),
                               id=f"{route}-{phase}-{action}")


CASES = [*_params(Route.STAPPENPLAN, EXPECTED), *_params(Route.MELDPLICHT, EXPECTED_MELDPLICHT)]


@pytest.mark.parametrize(("route", "phase", "action", "expected"), CASES)
def test_every_phase_action_role(route, phase, action, expected):
    case = Case(phase=phase, route=route)
    # Every guard met; the bestuur records its aangifte decision only once.
    facts = replace(ALL_MET, phase=phase, meldplicht_decided=action != "record_meldplicht")
    if action == "decide_monitoring":
        # Monitoring follows once every decision of the weighing was taken.
        facts = replace(facts, pending=frozenset())
    for role, code in ROLES.items():
        message = workflow.refusal(None, case, action, facts, roles=frozenset({code}))
        if expected is None:
            if route == Route.MELDPLICHT:
                assert message == ("Op deze casus is de meldplicht van toepassing: het "
                                   "stappenplan geldt niet."), role
            else:
                assert message == f"Dit kan niet in de fase {case.get_phase_display()}.", role
            continue
        to, who = expected
        assert workflow.row_for(case, action).to == to
        if role in who:
            assert message is None, role
        else:
            assert message == ROLE_SENTENCE[frozenset(who)], role


def test_the_table_has_nothing_the_expectation_lacks():
    both = (Route.STAPPENPLAN, workflow.ANY_ROUTE)
    listed = {(p, a) for (p, a), row in workflow.TABLE.items() if row.route in both}
    assert listed == set(EXPECTED)
    listed_mp = {(p, a) for (p, a), row in workflow.TABLE.items()
                 if row.route in (Route.MELDPLICHT, workflow.ANY_ROUTE)}
    assert listed_mp == set(EXPECTED_MELDPLICHT)


GUARD_CASES = [
    (S, "close_meldplicht", {"meldplicht_decided": False},
     "Leg eerst het contact met de vertrouwensinspecteur en het besluit over aangifte vast."),
    (S, "record_meldplicht", {"meldplicht_decided": True},
     "Het besluit over aangifte is al vastgelegd."),
    (S, "conclude_doubt", {"submitted_observation": False},
     "Leg eerst een observatie vast en dien die in."),
    (S, "conclude_unfounded", {"submitted_observation": False},
     "Leg eerst een observatie vast en dien die in."),
    # 004 stap 2.1: an AF talk may come first, but doubt leaves step 2 only after the
    # zorgteam; "ongegrond" and "geen bevestiging" may follow the AF talk.
    (C, "conclude_doubt", {"zorgteam_consultation": False},
     "Bespreek de signalen eerst in het zorgteam of zorgbreedteoverleg (ZBO) en leg die "
     "consultatie vast; een gesprek met de aandachtsfunctionaris alleen is niet genoeg om "
     "verder te gaan."),
    # 000 fase 2: with doubt the zorgteam makes the plan van aanpak met taakverdeling.
    (C, "conclude_doubt", {"action_plan": False},
     "Leg eerst het plan van aanpak met taakverdeling vast: wat er gebeurt, wie het doet en "
     "wanneer."),
    (C, "conclude_no_confirmation", {"af_or_zorgteam_consultation": False},
     "Leg eerst een consultatie met de aandachtsfunctionaris of het zorgteam vast."),
    (C, "conclude_unfounded", {"af_or_zorgteam_consultation": False},
     "Leg eerst een consultatie met de aandachtsfunctionaris of het zorgteam vast."),
    (G, "conclude_doubt", {"parent_conversation": False},
     "Leg eerst een gesprek met de ouders vast, of de reden om het over te slaan."),
    (G, "start_weighing", {"parent_conversation": False},
     "Leg eerst een gesprek met de ouders vast, of de reden om het over te slaan."),
    (G, "start_weighing", {"step3_doubt": False},
     "Leg eerst de conclusie van stap 3 vast: twijfel of een bevestiging van het vermoeden."),
    (W, "decide_close", {"pending": frozenset()},
     "Dit besluit volgt alleen uit afweging 1 A: er is geen actie nodig."),
    (W, "decide_report", {"pending": frozenset({"help"})},
     "De weging vraagt (nog) geen melding: beantwoord eerst de afwegingen."),
    (W, "decide_help", {"pending": frozenset({"melding"})},
     "De weging vraagt (nog) geen hulp: beantwoord eerst afweging 3 en 4."),
    # C-3: an exemption from the parents' conversation permits a melding, not help.
    (W, "decide_help", {"exemption_unresolved": True},
     "Het gesprek met de ouders is overgeslagen: dat staat een melding toe, geen hulp. Leg "
     "eerst een gesprek met de ouders vast."),
    (M, "decide_help", {"exemption_unresolved": True},
     "Het gesprek met de ouders is overgeslagen: dat staat een melding toe, geen hulp. Leg "
     "eerst een gesprek met de ouders vast."),
    (H, "close_help", {"pending": frozenset()},
     "Leg eerst het resultaat van de hulp vast (afweging 5: resultaten bereikt)."),
    (M, "decide_monitoring", {"melding_unsent": True, "pending": frozenset()},
     "Leg eerst vast dat de melding bij Veilig Thuis is gedaan."),
    (M, "decide_monitoring", {"help_open": True, "pending": frozenset()},
     "Leg eerst het resultaat van het hulpplan vast (afweging 5)."),
    (M, "decide_monitoring", {"pending": frozenset({"help"})},
     "De weging vraagt nog een besluit over hulp of een melding: neem eerst dat besluit."),
    (MO, "close", {"evaluation": False}, "Leg eerst een evaluatie vast."),
    (X, "reopen", {"other_open_case": True},
     "Voor deze leerling loopt al een andere casus; ga verder in die casus."),
    (X, "acute_report", {"other_open_case": True},
     "Voor deze leerling loopt al een andere casus; ga verder in die casus."),
]


@pytest.mark.parametrize(("phase", "action", "missing", "message"), GUARD_CASES,
                         ids=[f"{p}-{a}-{next(iter(m))}" for p, a, m, _ in GUARD_CASES])
def test_guard_names_what_is_missing(phase, action, missing, message):
    route = Route.MELDPLICHT if "meldplicht" in action else Route.STAPPENPLAN
    case = Case(phase=phase, route=route)
    facts = replace(ALL_MET, phase=phase, **missing)
    roles = frozenset({"bestuur" if route == Route.MELDPLICHT else "aandachtsfunctionaris",
                       "directie"})
    assert workflow.refusal(None, case, action, facts, roles=roles) == message


def test_an_af_talk_alone_does_not_leave_step_two_with_doubt():
    case = Case(phase=C, route=Route.STAPPENPLAN)
    af_only = replace(ALL_MET, phase=C, af_or_zorgteam_consultation=True,
                      zorgteam_consultation=False)
    roles = frozenset({"aandachtsfunctionaris"})
    assert workflow.refusal(None, case, "conclude_doubt", af_only, roles=roles)
    assert workflow.refusal(None, case, "conclude_no_confirmation", af_only,
                            roles=roles) is None


def test_the_plan_van_aanpak_is_needed_only_to_leave_step_two_with_doubt():
    case = Case(phase=C, route=Route.STAPPENPLAN)
    no_plan = replace(ALL_MET, phase=C, action_plan=False)
    roles = frozenset({"aandachtsfunctionaris"})
    assert "plan van aanpak" in workflow.refusal(None, case, "conclude_doubt", no_plan,
                                                 roles=roles)
    for action in ("conclude_no_confirmation", "conclude_unfounded"):
        assert workflow.refusal(None, case, action, no_plan, roles=roles) is None
    # Steps 1 and 3 do not ask for it.
    for phase in (S, G):
        assert workflow.refusal(None, Case(phase=phase, route=Route.STAPPENPLAN),
                                "conclude_doubt", replace(no_plan, phase=phase),
                                roles=roles) is None


def test_an_exemption_replaces_the_parent_conversation():
    case = Case(phase=G, route=Route.STAPPENPLAN)
    facts = replace(ALL_MET, phase=G, parent_conversation=False, exemption=True)
    assert workflow.refusal(None, case, "start_weighing", facts,
                            roles=frozenset({"directie"})) is None


def test_acute_skips_every_step_guard():
    nothing = replace(ALL_MET, submitted_observation=False, af_or_zorgteam_consultation=False,
                      parent_conversation=False, step3_doubt=False, evaluation=False)
    for phase in OPEN:
        case = Case(phase=phase, route=Route.STAPPENPLAN)
        assert workflow.refusal(None, case, "acute_report", replace(nothing, phase=phase),
                                roles=frozenset({"aandachtsfunctionaris"})) is None


def test_closing_after_help_needs_six_months_of_monitoring():
    entered = timezone.make_aware(timezone.datetime(2026, 1, 31, 12))
    case = Case(phase=MO, route=Route.STAPPENPLAN)
    facts = replace(ALL_MET, phase=MO, help_or_melding=True, monitoring_since=entered)
    roles = frozenset({"directie"})
    early = replace(facts, now=timezone.make_aware(timezone.datetime(2026, 7, 30, 12)))
    assert workflow.refusal(None, case, "close", early, roles=roles) == (
        "Na hulp of een melding volgt het zorgteam de leerling ten minste 6 maanden; "
        "sluiten kan vanaf 31 juli 2026.")
    late = replace(facts, now=timezone.make_aware(timezone.datetime(2026, 7, 31, 9)))
    # C-11: the evaluation comes at the end of the follow period, not before it.
    assert workflow.refusal(None, case, "close", late, roles=roles) == (
        "Leg de evaluatie aan het einde van de volgperiode vast (vanaf 31 juli 2026).")
    evaluated = replace(late, last_evaluation_at=late.now)
    assert workflow.refusal(None, case, "close", evaluated, roles=roles) is None
    # Without help or a melding there is no minimum follow period.
    assert workflow.refusal(None, case, "close", replace(early, help_or_melding=False),
                            roles=roles) is None


def test_weighing_has_no_way_to_monitoring_or_closing_without_its_outcome():
    # C-9: no W → monitoren shortcut; closing from W only through afweging 1 A.
    assert workflow.row_for(Case(phase=W, route=Route.STAPPENPLAN), "decide_monitoring") is None
    assert workflow.row_for(Case(phase=W, route=Route.STAPPENPLAN), "close") is None
    assert workflow.row_for(Case(phase=W, route=Route.STAPPENPLAN), "extra_observation").to == G


def test_a_recorded_handover_satisfies_the_follow_period():
    """C-11: after the pupil left and the care was handed over, the school no longer sees
    the pupil; the evaluation is still needed."""
    entered = timezone.make_aware(timezone.datetime(2026, 1, 31, 12))
    case = Case(phase=MO, route=Route.STAPPENPLAN)
    early = replace(ALL_MET, phase=MO, help_or_melding=True, monitoring_since=entered,
                    now=timezone.make_aware(timezone.datetime(2026, 2, 10, 12)))
    roles = frozenset({"directie"})
    assert workflow.refusal(None, case, "close", early, roles=roles) is not None
    handed = replace(early, handover_recorded=True)
    assert workflow.refusal(None, case, "close", handed, roles=roles) is None
    assert workflow.refusal(None, case, "close", replace(handed, evaluation=False),
                            roles=roles) == "Leg eerst een evaluatie vast."


def test_check_raises_with_the_message():
    case = Case(phase=S, route=Route.STAPPENPLAN)
    with pytest.raises(TransitionNotAllowed, match="Dit kan niet in de fase"):
        workflow.check(None, case, "start_weighing", ALL_MET)


def test_add_months_keeps_the_end_of_month():
    from datetime import date

    assert workflow.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)
    assert workflow.add_months(date(2026, 3, 15), 2) == date(2026, 5, 15)

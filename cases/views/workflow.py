"""Stappenplan pages. One page per action of the table in cases/workflow.py: GET shows its
form (or what is still missing), POST runs the action's service and returns to the case.

Thin, like every view: policy → table → form → service → redirect/render.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import access_log
from cases import permissions, workflow
from cases.errors import DomainError
from cases.forms import workflow as f
from cases.models import Phase
from cases.selectors.classification import latest_classification
from cases.selectors.pupils import carers_of
from cases.selectors.warnings import consultation_warnings
from cases.selectors.workflow import visited_phases
from cases.services import classification, meldplicht
from cases.services import workflow as services


@dataclass(frozen=True)
class Page:
    form: type
    run: Callable
    done: object
    # One text, or per phase ({phase: text}) where the seed says it differently per phase.
    intro: object = ""
    form_kwargs: Callable = field(default=lambda case: {})

    def intro_for(self, case) -> str:
        if isinstance(self.intro, dict):
            return str(self.intro.get(case.phase, ""))
        return str(self.intro)


def _dated(case):
    # Dated forms check their range against the pupil's birth and the board's terms.
    return {"case": case}


def _staff(case):
    return {"staff": services.school_staff(case).order_by("last_name", "first_name"),
            "case": case}


def _conversation_kwargs(case):
    return {**_staff(case), "carers": list(carers_of(case.student))}


# Pages where a conversation with the parents is planned or skipped: the carers' safety
# notes are shown at the top (contactverbod, "niet benaderen zonder overleg met VT").
SAFETY_NOTE_ACTIONS = frozenset({"record_conversation", "record_exemption"})


def _conclusion(outcome):
    def run(actor, case, data):
        return services.conclusion_record(actor=actor, case=case, outcome=outcome, **data)
    return run


def _call(service, actor, case, data):
    return service(actor=actor, case=case, **data)


def _conversation(actor, case, data):
    result = services.conversation_record(actor=actor, case=case, **data)
    return result.warnings


def _consultation(actor, case, data):
    consultation = services.consultation_record(actor=actor, case=case, **data)
    return consultation_warnings(consultation)


def _classification(actor, case, data):
    return classification.classification_record(actor=actor, case=case, **data)


def _classification_initial(case):
    """A revision starts from what was recorded last."""
    latest = latest_classification(case)
    if latest is None:
        return {}
    return {"initial": {"abuse_forms": latest.forms, "specific_forms": latest.specific_forms}}


S, C, G = Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK
# Seed 000, the end of each phase: who concludes, and who does what next (C-2, C-15).
UNFOUNDED = {
    S: gettext_lazy("Het gesignaleerde gedrag duidt niet op kindermishandeling of huiselijk "
                    "geweld: vervolgstappen zijn niet nodig. Deel uw conclusie met de "
                    "aandachtsfunctionaris: de aandachtsfunctionaris of de directie sluit de "
                    "casus."),
    C: gettext_lazy("Het zorgteam stelt vast dat het gesignaleerde gedrag niet duidt op "
                    "kindermishandeling: vervolgstappen zijn niet nodig. De "
                    "aandachtsfunctionaris of de directie vermeldt dit in het dossier en "
                    "sluit de casus."),
}
UNFOUNDED[G] = UNFOUNDED[C]
NO_CONFIRMATION = {
    S: gettext_lazy("U blijft nauwkeurig vastleggen wat u bij de leerling opvalt of wat u "
                    "verteld wordt, en bekijkt uw aantekeningen opnieuw op de datum die u "
                    "hieronder kiest."),
    C: gettext_lazy("Het zorgteam blijft alert en bespreekt de leerling nogmaals in een "
                    "volgend overleg. De leerkracht blijft werken aan de vertrouwensrelatie "
                    "met de leerling."),
    G: gettext_lazy("De ouders zeggen de signalen niet te herkennen. Het zorgteam bespreekt "
                    "de leerling nogmaals in een volgend overleg."),
}
DOUBT = {
    S: gettext_lazy("U twijfelt of vindt een bevestiging van uw vermoeden: de "
                    "aandachtsfunctionaris brengt het in het zorgteam (stap 2)."),
    C: gettext_lazy("Het zorgteam maakt een plan van aanpak met een taakverdeling; de casus "
                    "gaat naar stap 3, het gesprek met de ouders."),
    G: gettext_lazy("Het zorgteam vervolgt het plan van aanpak; de aandachtsfunctionaris of "
                    "de directie brengt de casus daarna naar wegen en beslissen (stap 4)."),
}


PAGES: dict[str, Page] = {
    "conclude_unfounded": Page(
        f.ConclusionForm, _conclusion("ongegrond"),
        gettext_lazy("De conclusie is vastgelegd en de casus is gesloten."), UNFOUNDED),
    "conclude_no_confirmation": Page(
        f.ReviewConclusionForm, _conclusion("geen_bevestiging"),
        gettext_lazy("De conclusie en de datum om opnieuw te bekijken zijn vastgelegd."),
        NO_CONFIRMATION, _dated),
    "conclude_doubt": Page(
        f.ConclusionForm, _conclusion("twijfel_bevestiging"),
        gettext_lazy("De conclusie is vastgelegd."), DOUBT),
    "record_consultation": Page(
        f.ConsultationForm, _consultation, gettext_lazy("De consultatie is vastgelegd."),
        gettext_lazy("Bespreek de signalen met de aandachtsfunctionaris en vervolgens in het "
                     "zorgteam of zorgbreedteoverleg, met in ieder geval de jeugdarts en de "
                     "OKA. Advies van Veilig Thuis kan anoniem."), _staff),
    "record_plan": Page(
        f.PlanForm, partial(_call, classification.plan_record),
        gettext_lazy("Het plan van aanpak is vastgelegd; elk actiepunt is een taak."),
        gettext_lazy("Het zorgteam maakt een plan van aanpak met een taakverdeling: wie "
                     "doet wat, en wanneer. Elk actiepunt wordt een taak voor wie het doet."),
        _staff),
    "record_classification": Page(
        f.ClassificationForm, _classification,
        gettext_lazy("De vorm van kindermishandeling is vastgelegd."),
        gettext_lazy("Welke vorm vermoedt het zorgteam nu? Een herziening is een nieuwe "
                     "vastlegging; de vorige blijft in het dossier."), _classification_initial),
    "record_conversation": Page(
        f.ConversationForm, _conversation, gettext_lazy("Het gesprek is vastgelegd."),
        gettext_lazy("Leg het gesprek vast in de zes onderdelen en laat het verslag zo "
                     "mogelijk ondertekenen door alle betrokkenen."), _conversation_kwargs),
    "record_exemption": Page(
        f.ExemptionForm, partial(_call, services.conversation_exemption_record),
        gettext_lazy("De reden om het gesprek over te slaan is vastgelegd."),
        gettext_lazy("Het gesprek met de ouders overslaan mag alleen om een van deze "
                     "redenen.")),
    "set_coordinator": Page(
        f.CoordinatorForm, partial(_call, services.coordinator_set),
        gettext_lazy("De coördinator is aangewezen."),
        gettext_lazy("De coördinator bewaakt het tijdpad en stelt een tijdslimiet."),
        lambda case: {"candidates": services.coordinator_candidates(case)}),
    "start_weighing": Page(
        f.ConfirmForm, partial(_call, services.weighing_start),
        gettext_lazy("De casus is naar wegen en beslissen gebracht."),
        gettext_lazy("Weeg met het afwegingskader of er een vermoeden is van acute of "
                     "structurele onveiligheid, en beslis over hulp of een melding.")),
    "decide_monitoring": Page(f.NoteForm, partial(_call, services.monitoring_start),
                              gettext_lazy("De casus is in de fase monitoren.")),
    "record_evaluation": Page(
        f.EvaluationForm, partial(_call, services.evaluation_record),
        gettext_lazy("De evaluatie is vastgelegd."), form_kwargs=_dated),
    "close": Page(f.NoteForm, partial(_call, services.case_close),
                  gettext_lazy("De casus is gesloten.")),
    "switch_meldplicht": Page(
        f.MeldplichtSwitchForm, partial(_call, meldplicht.meldplicht_switch),
        gettext_lazy("De casus volgt nu de meldplichtroute."),
        gettext_lazy("Gaat het vermoeden over een medewerker (ook een stagiair)? Dan geldt "
                     "de meldplicht en niet het stappenplan. Daarna zien alleen wie de zorg "
                     "meldde, de directie en het bestuur de casus."), _staff),
    "record_meldplicht": Page(
        f.MeldplichtRecordForm, partial(_call, meldplicht.meldplicht_record),
        gettext_lazy("Het contact en het besluit over aangifte zijn vastgelegd."),
        form_kwargs=_dated),
    "close_meldplicht": Page(f.NoteForm, partial(_call, meldplicht.meldplicht_close),
                             gettext_lazy("De casus is gesloten.")),
    "record_nazorg": Page(
        f.NazorgForm, partial(_call, classification.nazorg_record),
        gettext_lazy("Het aanbod van nazorg is vastgelegd."),
        gettext_lazy("Leg alleen vast aan wie en wanneer nazorg is aangeboden; wat een "
                     "medewerker nodig heeft of vertelt, hoort niet in het dossier van de "
                     "leerling."), _dated),
    "exclude_person": Page(
        f.ExclusionForm, partial(_call, meldplicht.case_exclusion_add),
        gettext_lazy("De persoon is uitgesloten van deze casus."),
        gettext_lazy("Wie hier wordt uitgesloten, ziet de casus nooit meer, welke rol hij of "
                     "zij ook heeft. Dit kan niet ongedaan worden gemaakt."), _staff),
    "reopen": Page(f.ReopenForm, partial(_call, services.case_reopen),
                   gettext_lazy("De casus is heropend en staat in stap 2.")),
    "record_departure": Page(
        f.DepartureForm, partial(_call, services.departure_record),
        gettext_lazy("Het vertrek van de leerling is vastgelegd."),
        gettext_lazy("Leg eerst het vertrek vast. Daarna volgen de taken: de zorg "
                     "overdragen aan de nieuwe school (of de leerplichtambtenaar inlichten als "
                     "die onbekend is), Veilig Thuis inlichten als het betrokken was, en de "
                     "ouders inlichten. Elk daarvan legt u apart vast."), _dated),
    "record_departure_duty": Page(
        f.DepartureDutyForm, partial(_call, services.departure_duty_record),
        gettext_lazy("De taak na het vertrek is vastgelegd."),
        gettext_lazy("Wat is er gedaan na het vertrek van de leerling, en wanneer?"), _dated),
}


def _load(request, case_id, action):
    if action not in PAGES:
        raise Http404
    case = permissions.get_case_for_user(request.user, case_id, "workflow")
    roles = workflow.user_roles(request.user, case)
    may_ever = set().union(*(row.roles for row in workflow.TABLE.values()
                             if row.action == action))
    if not roles & may_ever:
        raise PermissionDenied
    row = workflow.row_for(case, action)
    if row is not None and not roles & row.roles:
        raise PermissionDenied
    return case, PAGES[action]


def _render(request, case, action, page, form, reason, status=200):
    safety = []
    if action in SAFETY_NOTE_ACTIONS:
        safety = [c for c in carers_of(case.student) if c.safety_note.strip()]
    return render(request, "cases/workflow/action.html", {
        "case": case, "action": action, "label": workflow.ACTIONS[action].label,
        "page": page, "intro": page.intro_for(case), "form": form, "reason": reason,
        "safety_carers": safety,
    }, status=status)


def workflow_action_form(request, case_id, action):
    case, page = _load(request, case_id, action)
    access_log(user=request.user, what=f"case.workflow.{action}", case=case)
    reason = workflow.refusal(request.user, case, action)
    form = None if reason else page.form(**page.form_kwargs(case))
    return _render(request, case, action, page, form, reason)


@require_POST
def workflow_action(request, case_id, action):
    case, page = _load(request, case_id, action)
    form = page.form(request.POST, **page.form_kwargs(case))
    if form.is_valid():
        data = form.service_data() if hasattr(form, "service_data") else form.cleaned_data
        try:
            result = page.run(request.user, case, data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, str(page.done))
            for warning in result if isinstance(result, list) else ():
                messages.warning(request, warning)
            case.refresh_from_db()
            if "view" not in permissions.case_actions(request.user, case):
                # After the switch to meldplicht the AF may no longer see the case.
                return redirect("dashboard")
            return redirect("case_detail", case_id=case.pk)
    access_log(user=request.user, what=f"case.workflow.{action}", case=case)
    reason = workflow.refusal(request.user, case, action)
    return _render(request, case, action, page, form, reason)


def panel_context(user, case) -> dict:
    """Context of the workflow panel on the case page: the steps, what can be done now,
    and what is still missing."""
    options = workflow.options(user, case)
    visited = visited_phases(case)
    steps = [{"value": p.value, "label": p.label, "current": p == case.phase,
              "done": p != case.phase and p in visited}
             for p in workflow.STAPPENPLAN_STEPS]
    return {
        "steps": steps,
        "available": [o for o in options if o.allowed],
        "missing": [o for o in options if o.role_ok and not o.allowed],
        "coordinator": case.coordinator,
        "meldplicht": case.route == "meldplicht",
    }

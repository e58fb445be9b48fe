"""Pages of the help route: the help plan, its result at the termijn, and closing it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import workflow
from cases.errors import DomainError
from decisions.forms import help as f
from decisions.services import help as services
from decisions.views.common import case_for, casemanager_candidates


@dataclass(frozen=True)
class Page:
    action: str
    form: Callable
    run: Callable
    done: object
    intro: object


def _plan(actor, case, data):
    return services.help_plan_record(actor=actor, case=case, **data)


PAGES = {
    "plan": Page("record_help_plan",
                 lambda case, data=None: f.HelpPlanForm(data,
                                                         candidates=casemanager_candidates(case)),
                 _plan, gettext_lazy("Het hulpplan is vastgelegd."),
                 gettext_lazy("Hulp in gang zetten (afweging 4): spreek een termijn af waarop "
                              "effect meetbaar of merkbaar moet zijn, benoem een casemanager en "
                              "leg vast wie welke taak heeft.")),
    "resultaat": Page("evaluate_help", lambda case, data=None: f.HelpResultForm(data),
                      lambda actor, case, data: services.help_evaluate(actor=actor, case=case,
                                                                       **data),
                      gettext_lazy("Het resultaat van de hulp is vastgelegd."),
                      gettext_lazy("Afweging 5: leidt de hulp binnen de afgesproken termijn tot "
                                   "de afgesproken resultaten ten aanzien van de veiligheid, "
                                   "het welzijn en/of het herstel van de direct betrokkenen?")),
    "afsluiten": Page("close_help", lambda case, data=None: f.CloseHelpForm(data),
                      lambda actor, case, data: services.help_close(actor=actor, case=case,
                                                                    **data),
                      gettext_lazy("De hulp is afgesloten; de leerling wordt gevolgd."),
                      gettext_lazy("De afgesproken resultaten zijn bereikt: sluit de hulp af. "
                                   "Het zorgteam volgt de leerling daarna ten minste een half "
                                   "jaar.")),
}


def _roles(page: Page) -> frozenset:
    """Who may ever take this page's action (the table per phase refines it)."""
    return frozenset().union(*(row.roles for row in workflow.TABLE.values()
                               if row.action == page.action))


def _render(request, case, name, page, form):
    return render(request, "decisions/form.html", {
        "case": case, "title": workflow.ACTIONS[page.action].label, "intro": page.intro,
        "form": form, "post_url": "help_action", "post_arg": name,
        "reason": workflow.refusal(request.user, case, page.action)})


def help_form(request, case_id, page):
    if page not in PAGES:
        raise Http404
    case = case_for(request, case_id, what="case.help", roles=_roles(PAGES[page]))
    return _render(request, case, page, PAGES[page], PAGES[page].form(case))


@require_POST
def help_action(request, case_id, page):
    if page not in PAGES:
        raise Http404
    spec = PAGES[page]
    case = case_for(request, case_id, what="case.help", roles=_roles(spec))
    form = spec.form(case, request.POST)
    if form.is_valid():
        try:
            spec.run(request.user, case, form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, str(spec.done))
            return redirect("case_detail", case_id=case.pk)
    return _render(request, case, page, spec, form)

"""The decisions panel of the case page, loaded by the cases app's template (which does not
import this app): the weighing as a decision path, the help plan and the meldingen."""

from django import template

from cases import workflow
from cases.models import Phase
from decisions.models import HelpPlan
from decisions.selectors import reports as report_sel
from decisions.selectors import weighing as sel
from decisions.services.reports import SENDERS

register = template.Library()
ZORGTEAM = workflow.ZORGTEAM
EARLY = (Phase.SIGNALEREN, Phase.CONSULTATIE, Phase.GESPREK)


@register.inclusion_tag("decisions/includes/case_panel.html")
def decisions_panel(case, user):
    roles = workflow.user_roles(user, case)
    zorgteam = bool(roles & ZORGTEAM)
    context = {"case": case, "zorgteam": zorgteam, "reports": report_sel.case_reports(case),
               "reads_content": bool(roles & SENDERS)}
    # Before step 4 there is no weighing or help plan (an acute melding moves the case on).
    if zorgteam and case.phase not in EARLY:
        shown = sel.shown_weighing(case)
        if shown is not None:
            context["weighing"], context["path"], context["decisions"] = shown
        context["plans"] = list(HelpPlan.objects.filter(case=case)
                                .select_related("casemanager", "result")
                                .prefetch_related("tasks"))
    return context

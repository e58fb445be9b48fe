"""Chronology sources of the decisions app: the weighing's answers and decisions, help
plans and meldingen. A melding is never a VT advice: its title says "Melding"."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.selectors.chronology import Entry, register_source
from decisions.models import Answer, HelpPlan, Report, WeighingDecision
from decisions.selectors.reports import with_state


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@register_source("weighing", gettext_lazy("Afwegingskader"))
def weighing_entries(case):
    answers = (Answer.objects.filter(weighing__case=case)
               .select_related("question", "option", "answered_by").order_by("answered_at"))
    for a in answers:
        yield Entry(when=a.answered_at, kind="weighing", author=a.answered_by,
                    title=_("Afweging %(n)s (%(theme)s): antwoord %(code)s") % {
                        "n": a.question.number, "theme": a.question.theme,
                        "code": a.option.code},
                    summary=_short(a.argumentation), obj=a)
    decisions = (WeighingDecision.objects.filter(weighing__case=case)
                 .select_related("decided_by", "consulted").order_by("decided_at"))
    for d in decisions:
        yield Entry(when=d.decided_at, kind="weighing", author=d.decided_by,
                    title=_("%(step)s, na overleg met %(who)s") % {
                        "step": d.get_step_display(), "who": d.consulted},
                    summary=_short(d.note), obj=d)


@register_source("help_plan", gettext_lazy("Hulpplannen"))
def help_plan_entries(case):
    for plan in HelpPlan.objects.filter(case=case).select_related("recorded_by"):
        yield Entry(when=plan.recorded_at, kind="help_plan", author=plan.recorded_by,
                    title=_("Hulpplan (termijn %(date)s)") % {
                        "date": f"{plan.termijn:%d-%m-%Y}"},
                    summary=_short(plan.help_description), obj=plan)


@register_source("report", gettext_lazy("Meldingen bij Veilig Thuis"))
def report_entries(case):
    # Only that a melding exists and its state: its text is read on the melding's page.
    reports = with_state(Report.objects.filter(case=case))
    for r in reports:
        when = r.created_at
        yield Entry(when=when, kind="report", author=None,
                    title=_("Melding bij Veilig Thuis (meldnorm %(norm)s): %(state)s") % {
                        "norm": r.norm, "state": r.get_state_display()},
                    summary=_("Gedaan op %(when)s") % {
                        "when": f"{timezone.localtime(r.sending.sent_at):%d-%m-%Y %H:%M}"}
                    if getattr(r, "sending", None) else "", obj=r)

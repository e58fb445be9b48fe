"""Chronology sources of the decisions app: the weighing (its start, answers, decisions and
extra observation periods), help plans with their result, and meldingen. A melding is
never a VT advice: its title says "Melding".

As in cases/selectors/workflow.py, `body` holds every field in full. A melding's content
is not in its entry: it is read on the melding's own page, by those who may (the printed
dossier adds it, decisions/services/dossier.py)."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.selectors.chronology import (
    Entry,
    Indexed,
    day,
    fields,
    moment,
    register_source,
    windowed,
)
from decisions.models import (
    Answer,
    HelpPlan,
    HelpResult,
    HelpTask,
    ObservationPeriod,
    Report,
    ReportAddendum,
    ReportConversation,
    ReportExemption,
    ReportFact,
    ReportSending,
    VtFeedback,
    Weighing,
    WeighingDecision,
)
from decisions.selectors.reports import with_state


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _consultations(answer) -> str:
    return "; ".join(f"{c.get_kind_display()} ({day(c.held_on)})"
                     for c in answer.consultations.all())


def _weighings(case, window):
    weighings = Weighing.objects.filter(case=case).select_related("started_by", "framework")
    for w in windowed(weighings, window, when="started_at", author="started_by"):
        title = _("Weging opnieuw gestart") if w.supersedes_id else _("Weging gestart")
        yield Entry(when=w.started_at, kind="weighing", author=w.started_by, title=title,
                    summary=_short(w.redo_reason), obj=w, body=fields(
                        (_("Afwegingskader"), f"{w.framework.title} ({w.framework.version})"),
                        (_("Reden om opnieuw te wegen"), w.redo_reason)))


def _answers(case, window):
    answers = (Answer.objects.filter(weighing__case=case)
               .select_related("question", "option", "answered_by")
               .prefetch_related("consultations"))
    for a in windowed(answers, window, when="answered_at", author="answered_by"):
        yield Entry(when=a.answered_at, kind="weighing", author=a.answered_by,
                    title=_("Afweging %(n)s (%(theme)s): antwoord %(code)s") % {
                        "n": a.question.number, "theme": a.question.theme,
                        "code": a.option.code},
                    summary=_short(a.argumentation), obj=a, body=fields(
                        (_("Afweging"), f"{a.question.number}. {a.question.heading}"),
                        (_("Vraag"), a.question.text),
                        (_("Antwoord"), f"{a.option.code}: {a.option.text}"),
                        (_("Twijfel"), a.is_doubt),
                        (_("Argumentatie"), a.argumentation),
                        (_("Samen met Veilig Thuis"), a.together_with_vt),
                        (_("Contactpersoon Veilig Thuis"), a.vt_contact),
                        (_("Bevoegd gezag op de hoogte sinds"), day(a.authority_informed_on)),
                        (_("Door wie ingelicht"), a.authority_informed_by),
                        (_("Consultaties"), _consultations(a))))


def _decisions(case, window):
    decisions = (WeighingDecision.objects.filter(weighing__case=case)
                 .select_related("decided_by", "consulted"))
    for d in windowed(decisions, window, when="decided_at", author="decided_by"):
        yield Entry(when=d.decided_at, kind="weighing", author=d.decided_by,
                    title=_("%(step)s, na overleg met %(who)s") % {
                        "step": d.get_step_display(), "who": d.consulted},
                    summary=_short(d.note), obj=d, body=fields(
                        (_("Stap"), d.get_step_display()),
                        (_("Uitkomst"), d.outcome.replace("_", " ")),
                        (_("Meldnorm"), d.norm),
                        (_("Besloten door"), d.decided_by),
                        (_("Na overleg met"), d.consulted),
                        (_("Toelichting"), d.note)))


def _observation_periods(case, window):
    periods = ObservationPeriod.objects.filter(case=case).select_related("recorded_by",
                                                                          "observer")
    for p in windowed(periods, window):
        yield Entry(when=p.recorded_at, kind="weighing", author=p.recorded_by,
                    title=_("Extra observatieperiode tot %(date)s") % {"date": day(p.until)},
                    summary=_short(p.what), obj=p, body=fields(
                        (_("Wie observeert"), p.observer), (_("Wat wordt geobserveerd"), p.what),
                        (_("Tot wanneer"), day(p.until))))


@register_source("weighing", gettext_lazy("Afwegingskader"),
                 models=(Weighing, Answer, WeighingDecision, ObservationPeriod),
                 index=(Indexed(Weighing, when="started_at"),
                        Indexed(Answer, case="weighing__case", when="answered_at"),
                        Indexed(WeighingDecision, case="weighing__case", when="decided_at"),
                        Indexed(ObservationPeriod)))
def weighing_entries(case, window=None):
    yield from _weighings(case, window)
    yield from _answers(case, window)
    yield from _decisions(case, window)
    yield from _observation_periods(case, window)


@register_source("help_plan", gettext_lazy("Hulpplannen"),
                 models=(HelpPlan, HelpTask, HelpResult),
                 index=(Indexed(HelpPlan), Indexed(HelpResult, case="plan__case")))
def help_plan_entries(case, window=None):
    plans = (HelpPlan.objects.filter(case=case).select_related("recorded_by", "casemanager")
             .prefetch_related(Prefetch("tasks", queryset=HelpTask.objects.order_by("position"))))
    for plan in windowed(plans, window):
        tasks = "\n".join(f"{t.who}: {t.task}" for t in plan.tasks.all())
        yield Entry(when=plan.recorded_at, kind="help_plan", author=plan.recorded_by,
                    title=_("Hulpplan (termijn %(date)s)") % {
                        "date": f"{plan.termijn:%d-%m-%Y}"},
                    summary=_short(plan.help_description), obj=plan, body=fields(
                        (_("Welke hulp"), plan.help_description),
                        (_("Door wie"), plan.provided_by),
                        (_("Casemanager"), plan.casemanager),
                        (_("Termijn"), day(plan.termijn)),
                        (_("Afgesproken resultaten"), plan.expected_results),
                        (_("De betrokkenen aanvaarden de hulp en werken mee"), plan.accepted),
                        (_("Hoe de ouders zijn geïnformeerd en betrokken"),
                         plan.parents_informed),
                        (_("Taken"), tasks)))
    results = HelpResult.objects.filter(plan__case=case).select_related("recorded_by", "plan")
    for r in windowed(results, window):
        yield Entry(when=r.recorded_at, kind="help_plan", author=r.recorded_by,
                    title=_("Resultaat van de hulp: %(reached)s") % {
                        "reached": _("bereikt") if r.reached else _("niet bereikt")},
                    summary=_short(r.monitoring_agreements), obj=r, body=fields(
                        (_("Hulpplan"), r.plan),
                        (_("Resultaten bereikt"), r.reached),
                        (_("Afspraken over het monitoren"), r.monitoring_agreements),
                        (_("Nazorgtraject: termijnen en verwachtingen"), r.nazorg),
                        (_("Eerste termijn van de nazorg: nagaan op"),
                         day(r.nazorg_review_on)),
                        (_("Nagevraagd of de ouders contact hadden met de hulpverlening"),
                         r.parents_contact_checked)))


@register_source("report", gettext_lazy("Meldingen bij Veilig Thuis"),
                 models=(Report, ReportFact, ReportConversation, ReportExemption,
                         ReportSending, VtFeedback, ReportAddendum),
                 index=(Indexed(Report, when="created_at"),))
def report_entries(case, window=None):
    # Only that a melding exists and its state: its text is read on the melding's page.
    reports = with_state(Report.objects.filter(case=case))
    # A melding has no author in the chronology: it is the school's.
    for r in windowed(reports, window, when="created_at", author=None):
        sending = getattr(r, "sending", None)
        yield Entry(when=r.created_at, kind="report", author=None,
                    title=_("Melding bij Veilig Thuis (meldnorm %(norm)s): %(state)s") % {
                        "norm": r.norm, "state": r.get_state_display()},
                    summary=_("Gedaan op %(when)s") % {"when": moment(sending.sent_at)}
                    if sending else "", obj=r,
                    url=reverse("report_detail", kwargs={"report_id": r.pk}), body=fields(
                        (_("Meldnorm"), r.get_norm_display()),
                        (_("Stand"), r.get_state_display()),
                        (_("Gedaan op"), moment(sending.sent_at) if sending else "")))

"""Read-side queries of the stappenplan records: their chronology sources (see
cases/selectors/chronology.py).

Each source reads its records of one case in one query (authors joined; conversations one
more for the carers who took part), so the chronology costs the same whatever the number
of records. Summaries name what kind of record it is,
never copy more than a short line of the content.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    AcuteReport,
    Consultation,
    Conversation,
    ConversationCarer,
    ConversationExemption,
    Evaluation,
    PhaseConclusion,
)
from cases.selectors.chronology import Entry, register_source
from meldcode.workdays import moment_label


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _records(model, case):
    return model.objects.filter(case=case).select_related("recorded_by").order_by("recorded_at")


@register_source("conclusion", gettext_lazy("Faseconclusies"))
def conclusion_entries(case):
    for c in _records(PhaseConclusion, case):
        yield Entry(when=c.recorded_at, kind="conclusion", author=c.recorded_by,
                    title=_("Conclusie %(phase)s: %(outcome)s") % {
                        "phase": c.get_phase_display(), "outcome": c.get_outcome_display()},
                    summary=_short(c.argumentation), obj=c)


@register_source("consultation", gettext_lazy("Consultaties"))
def consultation_entries(case):
    for c in _records(Consultation, case):
        kind = c.kind_other if c.kind == Consultation.Kind.ANDERS else c.get_kind_display()
        title = _("Consultatie: %(kind)s") % {"kind": kind}
        if c.anonymous:
            title += " " + _("(anoniem)")
        yield Entry(when=c.recorded_at, kind="consultation", author=c.recorded_by,
                    title=title, summary=_short(c.advice), obj=c)


@register_source("conversation", gettext_lazy("Gesprekken"))
def conversation_entries(case):
    links = Prefetch("carer_links", queryset=ConversationCarer.objects.select_related("carer")
                     .order_by("carer__name"))
    for c in _records(Conversation, case).prefetch_related(links):
        with_whom = [w for w, on in ((_("ouders"), c.with_parents),
                                     (_("leerling"), c.with_pupil)) if on]
        carers = "; ".join(f"{link.carer.name}: {link.get_presence_display()}"
                           for link in c.carer_links.all())
        summary = _short(c.summary)
        if carers:
            summary = _("Ouders/verzorgers: %(carers)s. %(summary)s") % {
                "carers": carers, "summary": summary}
        yield Entry(when=c.recorded_at, kind="conversation", author=c.recorded_by,
                    title=_("Gesprek met %(whom)s") % {"whom": _(" en ").join(with_whom)},
                    summary=summary, obj=c)


@register_source("exemption", gettext_lazy("Gesprek overgeslagen"))
def exemption_entries(case):
    for e in _records(ConversationExemption, case):
        yield Entry(when=e.recorded_at, kind="exemption", author=e.recorded_by,
                    title=_("Gesprek met ouders overgeslagen: %(reason)s")
                    % {"reason": e.get_reason_display()},
                    summary=_short(e.explanation), obj=e)


@register_source("acute_report", gettext_lazy("Acute meldingen"))
def acute_report_entries(case):
    for r in _records(AcuteReport, case):
        yield Entry(when=r.recorded_at, kind="acute_report", author=r.recorded_by,
                    title=_("Acute melding bij Veilig Thuis (gebeld %(when)s)")
                    % {"when": moment_label(r.called_at)},
                    summary=_short(r.reason), obj=r)


@register_source("evaluation", gettext_lazy("Evaluaties"))
def evaluation_entries(case):
    for e in _records(Evaluation, case):
        yield Entry(when=e.recorded_at, kind="evaluation", author=e.recorded_by,
                    title=_("Evaluatie"), summary=_short(e.outcome), obj=e)

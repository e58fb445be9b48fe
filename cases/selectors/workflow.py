"""Read-side queries of the stappenplan records: their chronology sources (see
cases/selectors/chronology.py).

Each source reads its records of one case in a fixed number of queries (authors joined,
participants prefetched), so the chronology costs the same whatever the number of
records. The summary is one short line; `body` holds every field in full, for the
record's own page, the chronology's "volledige tekst" and the printed dossier.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import (
    AbuseClassification,
    ActionPlanItem,
    AcuteReport,
    CaseReopening,
    Consultation,
    Conversation,
    ConversationCarer,
    ConversationExemption,
    DepartureDuty,
    Evaluation,
    MeldplichtRecord,
    NazorgOffer,
    Phase,
    PhaseConclusion,
    PhaseDecision,
    PhaseTransition,
    StudentDeparture,
)
from cases.models.workflow import AbuseForm, OutsiderFunction, SpecificForm
from cases.selectors.chronology import Entry, day, fields, moment, register_source


def _short(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _records(model, case):
    return model.objects.filter(case=case).select_related("recorded_by").order_by("recorded_at")


def _entry(record, kind: str, title: str, summary: str, body) -> Entry:
    return Entry(when=record.recorded_at, kind=kind, author=record.recorded_by, title=title,
                 summary=_short(summary), body=body, obj=record)


def _people(users) -> str:
    return "; ".join(str(user) for user in users)


def _phase(code: str) -> str:
    return str(Phase(code).label) if code in Phase.values else code


@register_source("transition", gettext_lazy("Faseovergangen"), models=(PhaseTransition,))
def transition_entries(case):
    for t in _records(PhaseTransition, case):
        yield _entry(t, "transition", _("Fase: van %(from)s naar %(to)s") % {
            "from": t.get_from_phase_display(), "to": t.get_to_phase_display()}, "",
            fields((_("Van fase"), t.get_from_phase_display()),
                   (_("Naar fase"), t.get_to_phase_display())))


@register_source("classification", gettext_lazy("Vormen van kindermishandeling"),
                 models=(AbuseClassification,))
def classification_entries(case):
    for c in _records(AbuseClassification, case):
        forms = "; ".join(str(AbuseForm(code).label) for code in c.forms
                          if code in AbuseForm.values)
        specific = "; ".join(str(SpecificForm(code).label) for code in c.specific_forms
                             if code in SpecificForm.values)
        yield _entry(c, "classification", _("Vorm van kindermishandeling vastgelegd (%(phase)s)")
                     % {"phase": c.get_phase_display()}, "; ".join(v for v in (forms, specific)
                                                                   if v),
                     fields((_("Fase"), c.get_phase_display()),
                            (_("Vormen van kindermishandeling"), forms or _("geen")),
                            (_("Specifieke vormen"), specific or _("geen")),
                            (_("Toelichting"), c.note)))


@register_source("conclusion", gettext_lazy("Faseconclusies"), models=(PhaseConclusion,))
def conclusion_entries(case):
    for c in _records(PhaseConclusion, case):
        yield _entry(c, "conclusion", _("Conclusie %(phase)s: %(outcome)s") % {
            "phase": c.get_phase_display(), "outcome": c.get_outcome_display()},
            c.argumentation,
            fields((_("Fase"), c.get_phase_display()),
                   (_("Conclusie"), c.get_outcome_display()),
                   (_("Onderbouwing"), c.argumentation),
                   (_("Datum waarop de aantekeningen opnieuw worden bekeken"),
                    day(c.review_date))))


def _outsiders(outsiders) -> str:
    functions = dict(OutsiderFunction.choices)
    return "; ".join(
        f"{o.get('name', '')} ({functions.get(o.get('function'), o.get('function', ''))})"
        for o in outsiders or [] if isinstance(o, dict))


@register_source("consultation", gettext_lazy("Consultaties"), models=(Consultation,))
def consultation_entries(case):
    for c in _records(Consultation, case).prefetch_related("staff_participants"):
        kind = c.kind_other if c.kind == Consultation.Kind.ANDERS else c.get_kind_display()
        title = _("Consultatie: %(kind)s") % {"kind": kind}
        if c.anonymous:
            title += " " + _("(anoniem)")
        yield _entry(c, "consultation", title, c.advice, fields(
            (_("Met wie"), kind),
            (_("Datum"), day(c.held_on)),
            (_("Anoniem besproken"), c.anonymous),
            (_("Deelnemers van school"), _people(c.staff_participants.all())),
            (_("Deelnemers van buiten de school"), _outsiders(c.outsiders)),
            (_("Toelichting op de deelnemers"), c.participants),
            (_("Advies"), c.advice),
            (_("Actiepunten"), c.action_points),
            (_("Tijdslimiet voor deze fase"), day(c.time_limit))))


def _carers(conversation) -> str:
    lines = []
    for link in conversation.carer_links.all():
        line = f"{link.carer.name}: {link.get_presence_display()}"
        if link.reason_not_invited:
            line += f" ({link.reason_not_invited})"
        lines.append(line)
    return "; ".join(lines)


@register_source("conversation", gettext_lazy("Gesprekken"), models=(Conversation,))
def conversation_entries(case):
    links = Prefetch("carer_links", queryset=ConversationCarer.objects.select_related("carer")
                     .order_by("carer__name"))
    for c in _records(Conversation, case).prefetch_related(links, "school_participants"):
        with_whom = [w for w, on in ((_("ouders"), c.with_parents),
                                     (_("leerling"), c.with_pupil)) if on]
        carers = _carers(c)
        summary = c.summary
        if carers:
            summary = _("Ouders/verzorgers: %(carers)s. %(summary)s") % {
                "carers": carers, "summary": summary}
        # The six parts of the conversation (000 stap 3), in their order.
        yield _entry(c, "conversation", _("Gesprek met %(whom)s") % {
            "whom": _(" en ").join(with_whom)}, summary, fields(
            (_("Fase"), c.get_phase_display()),
            (_("Datum"), day(c.held_on)),
            (_("Gesprek met ouders/verzorgers"), c.with_parents),
            (_("Gesprek met de leerling"), c.with_pupil),
            (_("Namens school"), _people(c.school_participants.all())),
            (_("Ouders/verzorgers"), carers),
            (_("Andere deelnemers"), c.other_participants),
            (_("1. Doel van het gesprek uitgelegd"), c.purpose_explained),
            (_("2. Beschreven feiten en waarnemingen"), c.facts_described),
            (_("3. Ouders uitgenodigd te reageren"), c.reaction_invited),
            (_("4. Reactie van ouders/leerling"), c.reaction),
            (_("5. Interpretatie (pas na de reactie)"), c.interpretation),
            (_("6. Samenvatting en afspraken"), c.summary),
            (_("Verslag ondertekend door betrokkenen"), c.report_signed)))


@register_source("exemption", gettext_lazy("Gesprek overgeslagen"),
                 models=(ConversationExemption,))
def exemption_entries(case):
    for e in _records(ConversationExemption, case):
        yield _entry(e, "exemption", _("Gesprek met ouders overgeslagen: %(reason)s")
                     % {"reason": e.get_reason_display()}, e.explanation,
                     fields((_("Reden"), e.get_reason_display()),
                            (_("Toelichting"), e.explanation)))


@register_source("action_plan", gettext_lazy("Plan van aanpak"), models=(ActionPlanItem,))
def action_plan_entries(case):
    for item in _records(ActionPlanItem, case).select_related("owner"):
        yield _entry(item, "action_plan", _("Plan van aanpak: %(what)s") % {
            "what": _short(item.description, 80)}, "",
            fields((_("Wat"), item.description), (_("Wie"), item.owner),
                   (_("Uiterlijk op"), day(item.due_on))))


@register_source("decision", gettext_lazy("Besluiten"), models=(PhaseDecision,))
def decision_entries(case):
    for d in _records(PhaseDecision, case):
        yield _entry(d, "decision", _("Besluit: van %(from)s naar %(to)s") % {
            "from": _phase(d.from_phase), "to": _phase(d.to_phase)}, d.note,
            fields((_("Van fase"), _phase(d.from_phase)), (_("Naar fase"), _phase(d.to_phase)),
                   (_("Onderbouwing van het besluit"), d.note)))


@register_source("acute_report", gettext_lazy("Acute meldingen"), models=(AcuteReport,))
def acute_report_entries(case):
    for r in _records(AcuteReport, case).select_related("called_by"):
        yield _entry(r, "acute_report", _("Acute melding bij Veilig Thuis (gebeld %(when)s)")
                     % {"when": moment(r.called_at)}, r.reason, fields(
            (_("Fase ervoor"), _phase(r.phase_before)),
            (_("Datum en tijd van het telefoongesprek"), moment(r.called_at)),
            (_("Wie belde"), r.called_by),
            (_("Contactpersoon bij Veilig Thuis"), r.vt_contact),
            (_("Kenmerk van Veilig Thuis"), r.vt_reference),
            (_("Waarom direct gevaar"), r.reason),
            (_("Politie (112) gebeld"), r.police_called),
            (_("Datum en tijd van het gesprek met de politie"), moment(r.police_called_at)),
            (_("Kenmerk of registratienummer van de politie"), r.police_reference)))


@register_source("meldplicht", gettext_lazy("Meldplicht"), models=(MeldplichtRecord,))
def meldplicht_entries(case):
    for m in _records(MeldplichtRecord, case).select_related("board_recorded_by"):
        yield _entry(m, "meldplicht", _("Meldplicht: %(kind)s") % {
            "kind": m.get_kind_display()}, m.reason, fields(
            (_("Soort vermoeden"), m.get_kind_display()),
            (_("Reden"), m.reason),
            (_("Fase ervoor"), _phase(m.phase_before)),
            (_("Verdachte is (lid van) de directie"), m.suspect_is_directie),
            (_("Contact met vertrouwensinspecteur op"), day(m.inspector_contact_on)),
            (_("Aantekeningen van dat contact"), m.inspector_notes),
            (_("Redelijk vermoeden van een strafbaar feit"), m.redelijk_vermoeden
             if m.board_recorded_at else None),
            (_("Aangifte gedaan"), m.aangifte if m.board_recorded_at else None),
            (_("Datum van het besluit"), day(m.aangifte_on)),
            (_("Onderbouwing"), m.aangifte_reasoning),
            (_("Ouders ingelicht op"), day(m.parents_informed_on)),
            (_("Medewerker ingelicht op"), day(m.staff_informed_on)),
            (_("Deel van het bestuur vastgelegd door"), m.board_recorded_by),
            (_("Deel van het bestuur vastgelegd op"), moment(m.board_recorded_at))))


@register_source("evaluation", gettext_lazy("Evaluaties"), models=(Evaluation,))
def evaluation_entries(case):
    for e in _records(Evaluation, case):
        yield _entry(e, "evaluation", _("Evaluatie"), e.outcome, fields(
            (_("Datum"), day(e.held_on)), (_("Met wie"), e.participants),
            (_("Uitkomst"), e.outcome),
            (_("Afspraken over het volgen van de leerling"), e.monitoring_agreements)))


@register_source("nazorg", gettext_lazy("Nazorg voor medewerkers"), models=(NazorgOffer,))
def nazorg_entries(case):
    for n in _records(NazorgOffer, case):
        yield _entry(n, "nazorg", _("Nazorg aangeboden"), n.offered_to, fields(
            (_("Aangeboden aan"), n.offered_to), (_("Aangeboden op"), day(n.offered_on))))


@register_source("reopening", gettext_lazy("Heropeningen"), models=(CaseReopening,))
def reopening_entries(case):
    for r in _records(CaseReopening, case):
        yield _entry(r, "reopening", _("Casus heropend"), r.reason,
                     fields((_("Nieuwe signalen"), r.reason)))


@register_source("departure", gettext_lazy("Vertrek van de leerling"),
                 models=(StudentDeparture, DepartureDuty))
def departure_entries(case):
    for d in _records(StudentDeparture, case):
        yield _entry(d, "departure", _("Leerling vertrokken"), d.new_school, fields(
            (_("Vertrokken op"), day(d.left_on)),
            (_("Nieuwe school"), d.new_school or _("onbekend")),
            (_("Zorg overgedragen op"), day(d.care_handover_on)),
            (_("Overdracht van de zorg"), d.care_handover_notes),
            (_("Veilig Thuis ingelicht op"), day(d.vt_informed_on)),
            (_("Ouders ingelicht op"), day(d.parents_informed_on))))
    for duty in _records(DepartureDuty, case):
        yield _entry(duty, "departure", duty.get_duty_display(), duty.notes, fields(
            (_("Wat is gedaan"), duty.get_duty_display()), (_("Gedaan op"), day(duty.done_on)),
            (_("Toelichting"), duty.notes)))

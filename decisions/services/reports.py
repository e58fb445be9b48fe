"""Services of the melding to Veilig Thuis (stap 5b).

The draft is pre-filled from the dossier and autosaved while it is a concept; the AF or OKA
submits it, directie approves it (never the one who submitted it: four eyes, enforced
here) or sends it back with a reason. "Open melden, tenzij": the melding is sent only after
the conversation about it with the parents (and the pupil from 12 on the day of that
conversation), or with a recorded exception. A norm-A melding is made at once by
telephone: directie's decision on afweging 2 with the AF was the four-eyes moment, and the
record is completed and approved afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import dates, workflow
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import Case, Conversation, ConversationExemption, Observation, Route
from cases.services.steps import require_value
from decisions.models import (
    Report,
    ReportAddendum,
    ReportConversation,
    ReportExemption,
    ReportFact,
    ReportSending,
    ReportShare,
    VtFeedback,
)
from decisions.selectors.reports import share_candidates
from meldcode.models import Role

EDITORS = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.OKA})
APPROVERS = frozenset({Role.DIRECTIE})
SENDERS = EDITORS | APPROVERS
# A teacher on the case sees that a melding exists and its state; the AF may share its text.
SHARERS = frozenset({Role.AANDACHTSFUNCTIONARIS})
CONTENT_FIELDS = ("melder_name", "melder_role", "melder_contact", "family", "network",
                  "other_information", "school_agreements")
PUPIL_AGE = 12


@dataclass
class Locked:
    report: Report
    case: Case
    roles: frozenset
    now: datetime

    @property
    def today(self) -> date:
        return timezone.localtime(self.now).date()


def _lock(actor, report: Report, allowed: frozenset) -> Locked:
    case = (Case.objects.select_for_update(of=("self",))
            .select_related("school", "student").get(pk=report.case_id))
    report = Report.objects.select_for_update().get(pk=report.pk)
    roles = workflow.user_roles(actor, case)
    if case.route != Route.STAPPENPLAN:
        raise DomainError(_("Op deze casus is de meldplicht van toepassing: het stappenplan "
                            "geldt niet."))
    if not roles & allowed:
        raise DomainError(workflow.roles_sentence(allowed))
    return Locked(report=report, case=case, roles=roles, now=timezone.now())


def _audit(code: str, locked: Locked, actor, subject=None, **data):
    audit(code, actor=actor, subject=subject or locked.report, case=locked.case,
          actor_role=",".join(sorted(locked.roles)), data={"report": str(locked.report.pk),
                                                           **data})


def _editable(locked: Locked):
    if locked.report.approved_at is not None:
        raise DomainError(_("Een goedgekeurde melding verandert niet meer; leg een aanvulling "
                            "vast."))
    if locked.report.submitted_at is not None:
        raise DomainError(_("De melding ligt ter goedkeuring bij de directie."))


# --- The draft -------------------------------------------------------------------------


def _family_text(case: Case) -> str:
    student = case.student
    lines = [_("Leerling: %(name)s, geboren %(born)s, groep %(group)s") % {
        "name": student.full_name, "born": f"{student.date_of_birth:%d-%m-%Y}",
        "group": student.group or "–"}]
    for carer in student.carers.all():
        gezag = carer.get_gezag_display()
        lines.append(f"{carer.name} ({carer.get_relation_display()}, {gezag})"
                     + (f": {carer.address}" if carer.address else ""))
    lines.append(_("Broers en zussen: (aanvullen voor zover bekend)"))
    return "\n".join(lines)


def _network_text(case: Case) -> str:
    lines = []
    for consultation in case.consultations.order_by("held_on"):
        kind = consultation.kind_other or consultation.get_kind_display()
        lines.append(f"{consultation.held_on:%d-%m-%Y}: {kind}")
    return "\n".join(lines)


def report_draft_create(*, step, actor, norm: str, answer=None, acute_report=None,
                        origin_note: str = "") -> Report:
    """The draft of a melding, pre-filled from the dossier. Called by the services that
    decide a melding (they hold the case lock and audit the decision)."""
    case = step.case
    melder = case.coordinator or actor
    report = Report.objects.create(
        case=case, norm=norm, answer=answer, acute_report=acute_report,
        origin_note=origin_note, melder_name=melder.get_full_name() or melder.username,
        melder_role=", ".join(sorted(str(Role(m.role).label) for m in melder.memberships.filter(
            school_id=case.school_id))),
        melder_contact=f"{case.school.name}, {melder.email}".strip(", "),
        family=_family_text(case), network=_network_text(case), created_at=step.now,
        updated_at=step.now)
    audit("report.drafted", actor=actor, subject=report, case=case, actor_role=step.roles,
          data={"report": str(report.pk), "norm": norm})
    return report


@transaction.atomic
def report_update(*, actor, report: Report, **fields) -> Report:
    """Autosave of the draft: only the sections of the meldformulier."""
    locked = _lock(actor, report, EDITORS)
    _editable(locked)
    changed = [name for name in CONTENT_FIELDS
               if name in fields and getattr(locked.report, name) != fields[name]]
    for name in changed:
        setattr(locked.report, name, fields[name])
    if changed:
        locked.report.updated_at = locked.now
        locked.report.save(update_fields=[*changed, "updated_at"])
        _audit("report.updated", locked, actor, fields=changed)
    return locked.report


def _fact_from_observation(observation: Observation) -> dict:
    facts = [s.text for s in observation.statements.all() if s.kind == "feit"]
    text = "\n".join(p for p in [observation.situation, *facts] if p.strip())
    if observation.origin == Observation.Origin.OWN:
        source, name = ReportFact.Source.OWN, ""
    elif observation.origin == Observation.Origin.DISCLOSURE:
        source, name = ReportFact.Source.THIRD, _("de leerling zelf")
    else:
        source = ReportFact.Source.THIRD
        name = ", ".join(p for p in [observation.source_name, observation.source_role] if p)
    return {"text": text or observation.place, "source": source, "source_name": name,
            "occurred_on": timezone.localtime(observation.observed_at).date()}


@transaction.atomic
def report_fact_add(*, actor, report: Report, text: str = "", source: str = "eigen",
                    source_name: str = "", occurred_on: date | None = None,
                    observation: Observation | None = None) -> ReportFact:
    """A fact of the melding; picked from the chronology, the observation's text is copied
    and the observation stays linked."""
    locked = _lock(actor, report, EDITORS)
    _editable(locked)
    if observation is not None:
        if observation.case_id != locked.case.pk or \
                observation.status != Observation.Status.SUBMITTED:
            raise DomainError(_("Kies een vastgelegde observatie van deze casus."))
        values = _fact_from_observation(observation)
    else:
        values = {"text": text, "source": source, "source_name": source_name,
                  "occurred_on": occurred_on}
    require_value(values["text"], _("Beschrijf het feit of de gebeurtenis."))
    if values["source"] not in ReportFact.Source.values:
        raise DomainError(_("Kies de bron van het feit."))
    if values["source"] == ReportFact.Source.THIRD:
        require_value(values["source_name"], _("Noem de derde van wie de informatie komt."))
    position = locked.report.facts.count()
    fact = ReportFact.objects.create(report=locked.report, position=position,
                                     observation=observation, **values)
    _audit("report.fact_added", locked, actor, fact, from_observation=observation is not None)
    return fact


@transaction.atomic
def report_fact_remove(*, actor, report: Report, fact: ReportFact) -> None:
    locked = _lock(actor, report, EDITORS)
    _editable(locked)
    if fact.report_id != locked.report.pk:
        raise DomainError(_("Dit feit hoort niet bij deze melding."))
    fact.delete()
    _audit("report.fact_removed", locked, actor)


@transaction.atomic
def report_submit(*, actor, report: Report) -> Report:
    """The draft goes to directie for approval; who submits it is its drafter."""
    locked = _lock(actor, report, EDITORS)
    _editable(locked)
    if not locked.report.facts.exists():
        raise DomainError(_("Neem ten minste één feit of gebeurtenis op in de melding."))
    locked.report.submitted_at = locked.now
    locked.report.drafted_by = actor
    locked.report.rejection_reason = ""
    locked.report.save(update_fields=["submitted_at", "drafted_by", "rejection_reason"])
    _audit("report.submitted", locked, actor)
    return locked.report


@transaction.atomic
def report_approve(*, actor, report: Report, confirmed: bool) -> Report:
    """Directie approves: the melding is frozen from now on. Never its own drafter."""
    locked = _lock(actor, report, APPROVERS)
    if locked.report.approved_at is not None:
        raise DomainError(_("De melding is al goedgekeurd."))
    if locked.report.submitted_at is None:
        raise DomainError(_("De melding is nog niet ter goedkeuring aangeboden."))
    if locked.report.drafted_by_id == actor.pk:
        raise DomainError(_("Vier ogen: wie de melding opstelde, keurt haar niet zelf goed."))
    if not confirmed:
        raise DomainError(_("Bevestig dat u de melding hebt gelezen en goedkeurt."))
    locked.report.approved_by = actor
    locked.report.approved_at = locked.now
    locked.report.save(update_fields=["approved_by", "approved_at"])
    _audit("report.approved", locked, actor, drafter=locked.report.drafted_by_id)
    if locked.report.acute_report_id:
        case_event("melding.acknowledged", case=locked.case, actor=actor)
    return locked.report


@transaction.atomic
def report_reject(*, actor, report: Report, reason: str) -> Report:
    """Directie sends the draft back with a reason; it is a concept again."""
    locked = _lock(actor, report, APPROVERS)
    if locked.report.approved_at is not None or locked.report.submitted_at is None:
        raise DomainError(_("Alleen een melding die ter goedkeuring ligt, kan worden "
                            "teruggestuurd."))
    require_value(reason, _("Geef de reden waarom de melding terug gaat."))
    if locked.report.drafted_by_id == actor.pk:
        raise DomainError(_("Vier ogen: wie de melding opstelde, beoordeelt haar niet zelf."))
    locked.report.submitted_at = None
    locked.report.rejection_reason = reason
    locked.report.save(update_fields=["submitted_at", "rejection_reason"])
    _audit("report.rejected", locked, actor)
    return locked.report


# --- Open melden, tenzij -----------------------------------------------------------------


@transaction.atomic
def report_conversation_record(*, actor, report: Report, held_on: date, held_by: str,
                               why_and_aim: str, reaction: str, conclusion: str,
                               with_parents: bool = True, with_pupil: bool = False,
                               objections: str = "",
                               objections_weighed: str = "") -> ReportConversation:
    """The conversation about the intended melding, in the five points of 004."""
    locked = _lock(actor, report, SENDERS)
    if not (with_parents or with_pupil):
        raise DomainError(_("Kies met wie het gesprek was: de ouders, de leerling of beiden."))
    for value, message in ((held_by, _("Vul in wie het gesprek voerde.")),
                           (why_and_aim, _("Leg vast hoe is uitgelegd waarom en met welk "
                                           "doel u meldt.")),
                           (reaction, _("Vul de reactie in.")),
                           (conclusion, _("Vul de conclusie in."))):
        require_value(value, message)
    if objections.strip():
        require_value(objections_weighed, _("Leg vast hoe aan de bezwaren is tegemoetgekomen of "
                                            "hoe ze zijn afgewogen."))
    dates.check_past_day(held_on, what=_("De datum van het gesprek"),
                         born=locked.case.student.date_of_birth, today=locked.today)
    conversation = ReportConversation.objects.create(
        report=locked.report, held_on=held_on, held_by=held_by, with_parents=with_parents,
        with_pupil=with_pupil, why_and_aim=why_and_aim, reaction=reaction,
        objections=objections, objections_weighed=objections_weighed, conclusion=conclusion,
        recorded_by=actor, recorded_at=locked.now)
    _audit("report.conversation_recorded", locked, actor, conversation,
           with_parents=with_parents, with_pupil=with_pupil)
    return conversation


@transaction.atomic
def report_exemption_record(*, actor, report: Report, reason: str,
                            explanation: str) -> ReportExemption:
    locked = _lock(actor, report, SENDERS)
    if reason not in ConversationExemption.Reason.values:
        raise DomainError(_("Kies een reden."))
    require_value(explanation, _("Licht de reden toe."))
    exemption = ReportExemption.objects.create(report=locked.report, reason=reason,
                                               explanation=explanation, recorded_by=actor,
                                               recorded_at=locked.now)
    _audit("report.exemption_recorded", locked, actor, exemption, reason=reason)
    return exemption


def informed_refusal(report: Report) -> str | None:
    """Why the melding cannot be sent yet for want of "open melden", or None."""
    if report.exemptions.exists():
        return None
    conversations = list(report.conversations.all())
    parents = [c for c in conversations if c.with_parents]
    if not parents:
        return _("Bespreek de melding eerst met de ouders, of leg de reden vast om dat niet "
                 "te doen.")
    # The pupil's age on the day of the conversation with the parents (004: "vanaf 12").
    day = max(c.held_on for c in parents)
    if report.case.student.age_on(day) >= PUPIL_AGE and not any(c.with_pupil
                                                                 for c in conversations):
        return _("De leerling is 12 jaar of ouder: bespreek de melding ook met de leerling, "
                 "of leg de reden vast om dat niet te doen.")
    return None


@transaction.atomic
def report_send(*, actor, report: Report, sent_at: datetime, channel: str, vt_contact: str,
                vt_reference: str) -> ReportSending:
    """The melding was made. Needs approval (except norm A: made at once, approved
    afterwards) and the conversation about it or an exception."""
    locked = _lock(actor, report, SENDERS)
    if getattr(locked.report, "sending", None) is not None:
        raise DomainError(_("Deze melding is al gedaan."))
    if locked.report.approved_at is None and locked.report.norm != Report.Norm.A:
        raise DomainError(_("De directie keurt de melding eerst goed."))
    refused = informed_refusal(locked.report)
    if refused:
        raise DomainError(refused)
    if channel not in ReportSending.Channel.values:
        raise DomainError(_("Kies hoe de melding is gedaan."))
    require_value(vt_contact, _("Vul de contactpersoon bij Veilig Thuis in."))
    require_value(vt_reference, _("Vul het kenmerk van Veilig Thuis in."))
    dates.check_past_moment(sent_at, what=_("Het moment van melden"),
                            born=locked.case.student.date_of_birth, now=locked.now)
    sending = ReportSending.objects.create(
        report=locked.report, sent_at=sent_at, channel=channel, vt_contact=vt_contact,
        vt_reference=vt_reference, recorded_by=actor, recorded_at=locked.now)
    _audit("report.sent", locked, actor, sending, channel=channel, norm=locked.report.norm)
    case_event("melding.made", case=locked.case, actor=actor, norm=locked.report.norm,
               made_on=sent_at)
    return sending


@transaction.atomic
def vt_feedback_record(*, actor, report: Report, received_on: date, decision: str,
                       agreements: str = "", parents_reaction: str = "") -> VtFeedback:
    locked = _lock(actor, report, SENDERS)
    if getattr(locked.report, "sending", None) is None:
        raise DomainError(_("Leg eerst vast dat de melding is gedaan."))
    require_value(decision, _("Vul het besluit van Veilig Thuis in."))
    dates.check_past_day(received_on, what=_("De datum van het besluit"),
                         born=locked.case.student.date_of_birth, today=locked.today)
    feedback = VtFeedback.objects.create(report=locked.report, received_on=received_on,
                                         decision=decision, agreements=agreements,
                                         parents_reaction=parents_reaction,
                                         recorded_by=actor, recorded_at=locked.now)
    _audit("report.vt_feedback_recorded", locked, actor, feedback)
    case_event("vt.feedback_received", case=locked.case, actor=actor, received_on=received_on)
    return feedback


@transaction.atomic
def report_addendum_record(*, actor, report: Report, text: str) -> ReportAddendum:
    locked = _lock(actor, report, SENDERS)
    if locked.report.approved_at is None:
        raise DomainError(_("Pas de concepttekst zelf aan; een aanvulling volgt na "
                            "goedkeuring."))
    require_value(text, _("Vul de aanvulling in."))
    addendum = ReportAddendum.objects.create(report=locked.report, text=text,
                                             recorded_by=actor, recorded_at=locked.now)
    _audit("report.addendum_recorded", locked, actor, addendum)
    return addendum


@transaction.atomic
def report_share(*, actor, report: Report, member) -> ReportShare:
    """The AF lets a teacher on the case team read the melding's text (never the PDF or
    any action on it); recorded once, never undone."""
    locked = _lock(actor, report, SHARERS)
    if member is None or not share_candidates(locked.case).filter(pk=member.pk).exists():
        raise DomainError(_("Deel de melding alleen met een leerkracht in het casusteam."))
    if ReportShare.objects.filter(report=locked.report, member=member).exists():
        raise DomainError(_("De melding is al gedeeld met %(name)s.") % {"name": member})
    share = ReportShare.objects.create(report=locked.report, member=member, recorded_by=actor,
                                       recorded_at=locked.now)
    _audit("report.shared", locked, actor, share, member=member.pk)
    return share


def conversations_for_prefill(case: Case):
    """Step-3 conversations with the parents, to start the conversation record from."""
    return Conversation.objects.filter(case=case, with_parents=True).order_by("-held_on")

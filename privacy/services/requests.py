"""Services of the right of access (AVG art. 15, 004 "Privacy", review 3.7): one function
per action, each locking the request, checking its guard and auditing in the same
transaction. Audit data names codes and counts, never what the parents or the dossier say.

The AF (or directie) records and prepares; the directie approves, never the person who
prepared (four eyes); the answer is due within one month, once extendable by two months
with a reason (AVG art. 12(3)), watched as a task of the one who recorded it.

The case's werkaantekeningen fall under the request (C-17) but are never in the copy: only
their authors read them. Before preparing, the request records whether the authors give
them to the requester alongside the copy, or on which ground they are withheld."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import dates, permissions
from cases.errors import DomainError
from cases.models import Carer, Case, Task, TaskKind
from decisions.services.dossier import render_dossier_pdf
from meldcode.models import Role
from meldcode.workdays import add_months
from privacy.models import (
    WORKNOTES_KIND,
    WORKNOTES_PK,
    AccessRequest,
    ParentResponse,
    WithheldItem,
)
from privacy.selectors.requests import (
    dossier_records,
    not_included,
    record_label,
    withheld_map,
    worknote_count,
    worknotes_label,
)

PREPARERS = frozenset({Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE})
APPROVERS = frozenset({Role.DIRECTIE})
ANSWER_MONTHS = 1
EXTENSION_MONTHS = 2
TASK_EVENT = "access_request.received"


def _roles(actor, case, allowed: frozenset, message: str) -> str:
    roles = permissions.case_roles(actor, case)
    if not roles & allowed:
        raise DomainError(message)
    return ",".join(sorted(roles))


def _preparer(actor, case) -> str:
    return _roles(actor, case, PREPARERS, _("Alleen de aandachtsfunctionaris of de directie "
                                            "behandelt een verzoek om inzage."))


def _locked(request: AccessRequest) -> AccessRequest:
    return (AccessRequest.objects.select_for_update(of=("self",))
            .select_related("case", "case__student", "case__school", "carer")
            .get(pk=request.pk))


def _status(request: AccessRequest, *allowed: str) -> None:
    if request.status not in allowed:
        raise DomainError(_("Dit kan niet meer: het verzoek is %(status)s.")
                          % {"status": request.get_status_display().lower()})


def _text(value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message)
    return value


def position_for(requester: str, age: int) -> str:
    """Who exercises the right, by the pupil's age on the day of the request (P-8)."""
    if requester == AccessRequest.Requester.CARER:
        return (AccessRequest.Position.PARENT_FOR_CHILD if age < 16
                else AccessRequest.Position.PARENT_OF_16)
    if age < 12:
        raise DomainError(_("Voor een leerling jonger dan 12 jaar vragen de ouders met "
                            "gezag inzage aan."))
    return (AccessRequest.Position.PUPIL_12_16 if age < 16
            else AccessRequest.Position.PUPIL_16)


@transaction.atomic
def access_request_record(*, actor, case: Case, requester: str, identity_checked: str,
                          received_on: date, carer: Carer | None = None) -> AccessRequest:
    case = (Case.objects.select_for_update(of=("self",)).select_related("student", "school")
            .get(pk=case.pk))
    roles = _preparer(actor, case)
    if requester not in AccessRequest.Requester.values:
        raise DomainError(_("Kies wie inzage vraagt."))
    if requester == AccessRequest.Requester.CARER:
        if carer is None or carer.student_id != case.student_id:
            raise DomainError(_("Kies de ouder/verzorger van deze leerling die inzage vraagt."))
        relation, gezag = carer.relation, carer.gezag
    else:
        carer, relation, gezag = None, "leerling", ""
    identity_checked = _text(identity_checked, _("Vul in hoe de identiteit is nagegaan."))
    dates.check_past_day(received_on, what=_("De datum van ontvangst"),
                         born=case.student.date_of_birth)
    age = case.student.age_on(received_on)
    request = AccessRequest.objects.create(
        case=case, requester=requester, carer=carer, relation=relation, gezag=gezag,
        identity_checked=identity_checked, received_on=received_on, pupil_age=age,
        position=position_for(requester, age),
        due_on=add_months(received_on, ANSWER_MONTHS), recorded_by=actor)
    audit("access_request.recorded", actor=actor, subject=request, case=case,
          actor_role=roles, data={"requester": requester, "position": request.position,
                                  "gezag": gezag, "due": request.due_on.isoformat()})
    _sync_tasks(case, actor, event=TASK_EVENT, owner=actor)
    return request


def _sync_tasks(case: Case, actor, *, event: str, owner=None) -> None:
    """One open task per owner for the case's open requests, due on the earliest of their
    dates; completed once every request is answered. `owner` gets a task if they lack one.
    Callers hold the request or case row lock."""
    open_requests = AccessRequest.objects.filter(case=case).exclude(
        status=AccessRequest.Status.DELIVERED)
    due = min((r.due_on for r in open_requests), default=None)
    tasks = list(Task.objects.select_for_update().filter(
        case=case, kind=TaskKind.ACCESS_REQUEST, completed_at__isnull=True))
    if owner is not None and due is not None and not any(t.owner_id == owner.pk
                                                         for t in tasks):
        task = Task.objects.create(case=case, kind=TaskKind.ACCESS_REQUEST, phase="",
                                   title=str(TaskKind.ACCESS_REQUEST.label), due_on=due,
                                   owner=owner, source_event=TASK_EVENT)
        audit("task.created", actor=actor, subject=task, case=case,
              data={"kind": task.kind, "due": due.isoformat(), "owner": owner.pk,
                    "event": event})
    for task in tasks:
        if due is None:
            task.completed_at, task.completed_by = timezone.now(), actor
            task.auto_completed, task.completion_reason = True, event
            task.save(update_fields=["completed_at", "completed_by", "auto_completed",
                                     "completion_reason"])
            audit("task.auto_completed", actor=actor, subject=task, case=case,
                  data={"kind": task.kind, "event": event})
        elif task.due_on != due:
            previous, task.due_on = task.due_on, due
            task.save(update_fields=["due_on"])
            audit("task.rescheduled", actor=actor, subject=task, case=case,
                  data={"kind": task.kind, "from": previous.isoformat(),
                        "to": due.isoformat(), "event": event})


@transaction.atomic
def access_request_extend(*, actor, request: AccessRequest, reason: str) -> AccessRequest:
    """Once, by two months, with a reason the requester is told (AVG art. 12(3))."""
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.RECEIVED, AccessRequest.Status.PREPARED,
            AccessRequest.Status.APPROVED)
    if request.extended_at is not None:
        raise DomainError(_("De termijn is al eens verlengd; dat kan maar één keer."))
    if timezone.localdate() > request.due_on:
        raise DomainError(_("De termijn is al verstreken; verlengen moet binnen de eerste "
                            "maand."))
    reason = _text(reason, _("Vul de reden voor de verlenging in."))
    previous = request.due_on
    request.due_on = add_months(previous, EXTENSION_MONTHS)
    request.extension_reason, request.extended_at = reason, timezone.now()
    request.save(update_fields=["due_on", "extension_reason", "extended_at"])
    _sync_tasks(request.case, actor, event="access_request.extended")
    audit("access_request.extended", actor=actor, subject=request, case=request.case,
          actor_role=roles, data={"from": previous.isoformat(),
                                  "to": request.due_on.isoformat()})
    return request


@transaction.atomic
def withheld_add(*, actor, request: AccessRequest, record_kind: str, record_pk: str,
                 ground: str, explanation: str) -> WithheldItem:
    """Leave one record out of the copy, on a recorded ground."""
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.RECEIVED)
    if ground not in WithheldItem.Ground.values:
        raise DomainError(_("Kies de grond om dit onderdeel niet te verstrekken."))
    explanation = _text(explanation, _("Licht toe waarom dit onderdeel niet wordt verstrekt."))
    records = {entry.key: (entry, label) for entry, label in dossier_records(request.case)}
    if (record_kind, record_pk) not in records:
        raise DomainError(_("Dit onderdeel staat niet in het dossier van deze casus."))
    if request.withheld.filter(record_kind=record_kind, record_pk=record_pk).exists():
        raise DomainError(_("Dit onderdeel is al uitgezonderd."))
    item = WithheldItem.objects.create(
        request=request, record_kind=record_kind, record_pk=record_pk,
        record_label=record_label(*records[(record_kind, record_pk)]), ground=ground,
        explanation=explanation, recorded_by=actor)
    audit("access_request.item_withheld", actor=actor, subject=request, case=request.case,
          actor_role=roles, data={"kind": record_kind, "ground": ground})
    return item


@transaction.atomic
def access_request_worknotes(*, actor, request: AccessRequest, handling: str,
                             ground: str = "", explanation: str = "") -> AccessRequest:
    """How the case's work notes are handled in this request: their authors give them to
    the requester alongside the copy ("verstrekt"), or they are withheld on a recorded
    ground, listed in the copy by their number only. Can be recorded again until the
    request is prepared; the last choice counts."""
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.RECEIVED)
    count = worknote_count(request.case)
    if not count:
        raise DomainError(_("Bij deze casus zijn geen werkaantekeningen; er valt voor dit "
                            "verzoek niets over vast te leggen."))
    if handling not in AccessRequest.WorkNotes.values:
        raise DomainError(_("Kies of de werkaantekeningen worden verstrekt of niet."))
    previous = request.withheld.filter(record_kind=WORKNOTES_KIND).first()
    if handling == AccessRequest.WorkNotes.WITHHELD:
        if ground not in WithheldItem.Ground.values:
            raise DomainError(_("Kies de grond om de werkaantekeningen niet te verstrekken."))
        explanation = _text(explanation, _("Licht toe waarom de werkaantekeningen niet "
                                           "worden verstrekt."))
        item = previous or WithheldItem(request=request, record_kind=WORKNOTES_KIND,
                                        record_pk=WORKNOTES_PK)
        item.record_label, item.ground, item.explanation = worknotes_label(count), ground, \
            explanation
        item.recorded_by, item.recorded_at = actor, timezone.now()
        item.save()
    else:
        ground = ""
        if previous is not None:
            # An earlier choice to withhold is replaced: the copy must not list them.
            previous.delete()
    before = request.worknotes
    request.worknotes, request.worknotes_count = handling, count
    request.worknotes_recorded_by, request.worknotes_recorded_at = actor, timezone.now()
    request.save(update_fields=["worknotes", "worknotes_count", "worknotes_recorded_by",
                                "worknotes_recorded_at"])
    audit("access_request.worknotes_recorded", actor=actor, subject=request,
          case=request.case, actor_role=roles,
          data={"handling": handling, "count": count, "ground": ground,
                "previous": before})
    return request


def _check_worknotes(request: AccessRequest) -> None:
    count = worknote_count(request.case)
    if not count:
        return
    if not request.worknotes:
        raise DomainError(_("Bij deze casus horen %(count)s werkaantekeningen; ook die "
                            "vallen onder het verzoek. Leg eerst vast of de auteurs ze naast "
                            "de kopie verstrekken, of op welke grond ze niet worden "
                            "verstrekt.") % {"count": count})
    if request.worknotes_count != count:
        raise DomainError(_("Het aantal werkaantekeningen is veranderd sinds de keuze "
                            "(toen %(then)s, nu %(now)s). Leg opnieuw vast hoe ze worden "
                            "behandeld.") % {"then": request.worknotes_count, "now": count})


@transaction.atomic
def access_request_prepare(*, actor, request: AccessRequest) -> AccessRequest:
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.RECEIVED)
    _check_worknotes(request)
    request.status = AccessRequest.Status.PREPARED
    request.prepared_by, request.prepared_at = actor, timezone.now()
    request.save(update_fields=["status", "prepared_by", "prepared_at"])
    audit("access_request.prepared", actor=actor, subject=request, case=request.case,
          actor_role=roles, data={"withheld": request.withheld.count(),
                                  "worknotes": request.worknotes})
    return request


@transaction.atomic
def access_request_approve(*, actor, request: AccessRequest) -> AccessRequest:
    """The directie approves what will be handed over; never the one who prepared it."""
    request = _locked(request)
    roles = _roles(actor, request.case, APPROVERS,
                   _("Alleen de directie keurt de inzage goed."))
    _status(request, AccessRequest.Status.PREPARED)
    if request.prepared_by_id == actor.pk:
        raise DomainError(_("Vier ogen: wie de inzage voorbereidde, keurt haar niet zelf "
                            "goed. Vraag een ander lid van de directie."))
    request.status = AccessRequest.Status.APPROVED
    request.approved_by, request.approved_at = actor, timezone.now()
    request.save(update_fields=["status", "approved_by", "approved_at"])
    audit("access_request.approved", actor=actor, subject=request, case=request.case,
          actor_role=roles, data={"withheld": request.withheld.count()})
    return request


@transaction.atomic
def access_request_deliver(*, actor, request: AccessRequest, delivery: str,
                           delivered_on: date, note: str = "") -> AccessRequest:
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.APPROVED)
    if delivery not in AccessRequest.Delivery.values:
        raise DomainError(_("Kies hoe de inzage is gegeven."))
    if request.summary_only and delivery == AccessRequest.Delivery.COPY:
        raise DomainError(_("Deze aanvrager krijgt informatie, geen kopie van het dossier: "
                            "lees samen of geef een samenvatting."))
    note = (note or "").strip()
    if delivery == AccessRequest.Delivery.READ_TOGETHER and not note:
        raise DomainError(_("Vul in wie er bij het samen lezen waren."))
    dates.check_past_day(delivered_on, what=_("De datum van verstrekking"))
    if delivered_on < request.received_on:
        raise DomainError(_("De inzage kan niet vóór de ontvangst van het verzoek zijn "
                            "gegeven."))
    request.status = AccessRequest.Status.DELIVERED
    request.delivery, request.delivered_on, request.delivery_note = delivery, delivered_on, note
    request.save(update_fields=["status", "delivery", "delivered_on", "delivery_note"])
    _sync_tasks(request.case, actor, event="access_request.delivered")
    audit("access_request.delivered", actor=actor, subject=request, case=request.case,
          actor_role=roles, data={"delivery": delivery, "on": delivered_on.isoformat(),
                                  "late": delivered_on > request.due_on})
    return request


@transaction.atomic
def access_export(*, actor, request: AccessRequest) -> bytes:
    """The approved copy as PDF: the withheld items replaced by their reason and listed at
    the end. Never the text of a werkaantekening (only its author reads it); the list names
    the work notes by their number, withheld with their reason or given by their authors."""
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.APPROVED, AccessRequest.Status.DELIVERED)
    withheld = withheld_map(request)
    pdf = render_dossier_pdf(case=request.case, printed_by=actor, withheld=withheld,
                             not_included=not_included(request))
    audit("access_request.exported", actor=actor, subject=request, case=request.case,
          actor_role=roles, data={"withheld": len(withheld)})
    return pdf


@transaction.atomic
def parent_response_record(*, actor, request: AccessRequest, kind: str, text: str,
                           about: str = "", outcome: str = "") -> ParentResponse:
    """After the inzage: a correction of a fact becomes a follow-up record (the original
    stays as it was), an opinion is not changed but the parents' statement is added."""
    request = _locked(request)
    roles = _preparer(actor, request.case)
    _status(request, AccessRequest.Status.DELIVERED)
    if kind not in ParentResponse.Kind.values:
        raise DomainError(_("Kies of het om een correctie of een eigen verklaring gaat."))
    text = _text(text, _("Vul de tekst in."))
    if kind == ParentResponse.Kind.CORRECTION:
        if outcome not in ParentResponse.Outcome.values:
            raise DomainError(_("Kies wat er met het verzoek om correctie is gedaan."))
        _text(about, _("Vul in welk onderdeel gecorrigeerd moet worden."))
    else:
        outcome = ""
    response = ParentResponse.objects.create(request=request, kind=kind, text=text,
                                             about=(about or "").strip(), outcome=outcome,
                                             recorded_by=actor)
    audit("access_request.response_recorded", actor=actor, subject=request,
          case=request.case, actor_role=roles, data={"kind": kind, "outcome": outcome})
    return response

"""Pages of the right of access. The AF and directie of the case handle requests; the rest
of the case team does not see them (403), nobody outside the case knows they exist (404).
Thin: policy → form → service → redirect/render. Every page is access-logged."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from cases.errors import DomainError
from decisions.views.documents import pdf_response
from meldcode.reauth import reauth_needed
from privacy.forms.requests import (
    AccessRequestForm,
    DeliverForm,
    ExtendForm,
    ResponseForm,
    WithholdForm,
    WorkNotesForm,
)
from privacy.models import AccessRequest
from privacy.selectors.requests import dossier_records, requests_of, worknote_count
from privacy.services import requests as services
from privacy.services.requests import APPROVERS, PREPARERS


def handled_case(request, case_id):
    """The case, for the AF or directie: 403 for the rest of its team, 404 outside it."""
    case = permissions.get_case_for_user(request.user, case_id, "view")
    if not case.acting_roles & PREPARERS:
        raise PermissionDenied
    return case


def _request(case, request_id) -> AccessRequest:
    found = (AccessRequest.objects.filter(pk=request_id, case=case)
             .select_related("carer", "prepared_by", "approved_by", "recorded_by",
                             "worknotes_recorded_by").first())
    if found is None:
        raise Http404
    return found


def _back(access_request):
    return redirect("access_request_detail", case_id=access_request.case_id,
                    request_id=access_request.pk)


def _errors(request, form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


@require_GET
@never_cache
def access_request_list(request, case_id):
    case = handled_case(request, case_id)
    access_log(user=request.user, what="case.access_requests", case=case)
    return render(request, "privacy/list.html", {"case": case, "requests": requests_of(case)})


@require_http_methods(["GET", "POST"])
@never_cache
def access_request_add(request, case_id):
    case = handled_case(request, case_id)
    form = AccessRequestForm(request.POST or None, case=case,
                             carers=case.student.carers.order_by("name"))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.access_request_record(actor=request.user, case=case,
                                                     **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Het verzoek om inzage is vastgelegd; het moet "
                                        "uiterlijk %(day)s beantwoord zijn.")
                             % {"day": f"{created.due_on:%d-%m-%Y}"})
            return _back(created)
    return render(request, "privacy/form.html", {"case": case, "form": form})


@require_GET
@never_cache
def access_request_detail(request, case_id, request_id):
    case = handled_case(request, case_id)
    access_request = _request(case, request_id)
    access_log(user=request.user, what="case.access_request", case=case)
    status = access_request.status
    withheld = {(i.record_kind, i.record_pk): i for i in access_request.withheld.all()}
    records = []
    if status == AccessRequest.Status.RECEIVED:
        for entry, label in dossier_records(case):
            records.append({"entry": entry, "label": label, "withheld": withheld.get(entry.key),
                            "form": WithholdForm(initial={"record": ":".join(entry.key)},
                                                 auto_id=f"id_%s_{entry.kind}_{entry.key[1]}")})
    roles = case.acting_roles
    # Their number only: the AF handles the request but reads no one else's notes.
    notes = worknote_count(case)
    worknotes_form = None
    if notes and status == AccessRequest.Status.RECEIVED:
        worknotes_form = WorkNotesForm(initial={"handling": access_request.worknotes},
                                       auto_id="id_worknotes_%s")
    return render(request, "privacy/detail.html", {
        "case": case, "req": access_request, "records": records,
        "worknote_count": notes, "worknotes_form": worknotes_form,
        "withheld": list(withheld.values()), "responses": access_request.responses.all(),
        "can_approve": bool(roles & APPROVERS) and status == AccessRequest.Status.PREPARED
        and access_request.prepared_by_id != request.user.pk,
        "extend_form": ExtendForm() if access_request.extended_at is None else None,
        "deliver_form": DeliverForm(case=case), "response_form": ResponseForm(),
    })


def _run(request, case_id, request_id, action, form_class=None, form_kwargs=None):
    case = handled_case(request, case_id)
    access_request = _request(case, request_id)
    data = {}
    if form_class is not None:
        form = form_class(request.POST, **(form_kwargs or {}))
        if not form.is_valid():
            _errors(request, form)
            return _back(access_request)
        data = form
    try:
        message = action(access_request, data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return _back(access_request)


@require_POST
def access_request_extend(request, case_id, request_id):
    def run(access_request, form):
        services.access_request_extend(actor=request.user, request=access_request,
                                       reason=form.cleaned_data["reason"])
        return _("De termijn is met twee maanden verlengd.")
    return _run(request, case_id, request_id, run, ExtendForm)


@require_POST
def access_request_withhold(request, case_id, request_id):
    def run(access_request, form):
        kind, pk = form.record_key()
        services.withheld_add(actor=request.user, request=access_request, record_kind=kind,
                              record_pk=pk, ground=form.cleaned_data["ground"],
                              explanation=form.cleaned_data["explanation"])
        return _("Het onderdeel wordt niet verstrekt; de reden staat in de kopie.")
    return _run(request, case_id, request_id, run, WithholdForm)


@require_POST
def access_request_worknotes(request, case_id, request_id):
    def run(access_request, form):
        services.access_request_worknotes(actor=request.user, request=access_request,
                                          **form.cleaned_data)
        if form.cleaned_data["handling"] == AccessRequest.WorkNotes.GIVEN:
            return _("Vastgelegd: de auteurs geven hun werkaantekeningen zelf aan de "
                     "aanvrager, naast de kopie.")
        return _("Vastgelegd: de werkaantekeningen worden niet verstrekt; de reden staat "
                 "in de kopie.")
    return _run(request, case_id, request_id, run, WorkNotesForm)


@require_POST
def access_request_prepare(request, case_id, request_id):
    def run(access_request, _form):
        services.access_request_prepare(actor=request.user, request=access_request)
        return _("De inzage is voorbereid en wacht op de goedkeuring van de directie.")
    return _run(request, case_id, request_id, run)


@require_POST
def access_request_approve(request, case_id, request_id):
    def run(access_request, _form):
        services.access_request_approve(actor=request.user, request=access_request)
        return _("De inzage is goedgekeurd.")
    return _run(request, case_id, request_id, run)


@require_POST
def access_request_deliver(request, case_id, request_id):
    def run(access_request, form):
        services.access_request_deliver(actor=request.user, request=access_request,
                                        **form.cleaned_data)
        return _("Vastgelegd hoe de inzage is gegeven.")
    case = handled_case(request, case_id)
    return _run(request, case_id, request_id, run, DeliverForm, {"case": case})


@require_POST
def access_response_add(request, case_id, request_id):
    def run(access_request, form):
        services.parent_response_record(actor=request.user, request=access_request,
                                        **form.cleaned_data)
        return _("De reactie van de ouders is aan het dossier toegevoegd.")
    return _run(request, case_id, request_id, run, ResponseForm)


@require_GET
@never_cache
def access_request_export(request, case_id, request_id):
    case = handled_case(request, case_id)
    access_request = _request(case, request_id)
    # The copy of the dossier leaves the system: password and code first.
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    try:
        pdf = services.access_export(actor=request.user, request=access_request)
    except DomainError as error:
        messages.error(request, error.message)
        return _back(access_request)
    access_log(user=request.user, what="case.access_request.export", kind=AccessKind.EXPORT,
               case=case)
    return pdf_response(pdf, f"inzage-{case.reference}.pdf")

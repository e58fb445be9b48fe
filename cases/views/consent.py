"""Consent of the parents and written information to third parties, per case.

Everyone on the case team reads the list (a consultation needs to know what is allowed);
the AF and directie record. Thin: policy → form → service → redirect/render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.services import access_log
from cases import permissions
from cases.errors import DomainError
from cases.forms.consent import ConsentForm, DisclosureForm, WithdrawalForm
from cases.models import Consent
from cases.selectors.consent import consents_of, disclosures_of
from cases.services import consent as services
from cases.services.consent import RECORDERS


def _case(request, case_id, *, record: bool):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    if record and not case.acting_roles & RECORDERS:
        raise PermissionDenied
    return case


def _carers(case):
    return case.student.carers.order_by("name")


@require_GET
@never_cache
def consent_list(request, case_id):
    case = _case(request, case_id, record=False)
    access_log(user=request.user, what="case.consents", case=case)
    consents = consents_of(case)
    can_record = bool(case.acting_roles & RECORDERS)
    for consent in consents:
        if can_record and not hasattr(consent, "withdrawal"):
            consent.withdraw_form = WithdrawalForm(case=case, auto_id=f"id_%s_{consent.pk}")
    return render(request, "cases/consent/list.html", {
        "case": case, "consents": consents, "disclosures": disclosures_of(case),
        "can_record": can_record,
    })


@require_http_methods(["GET", "POST"])
@never_cache
def consent_add(request, case_id):
    case = _case(request, case_id, record=True)
    form = ConsentForm(request.POST or None, case=case, carers=_carers(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.consent_record(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De toestemming is vastgelegd."))
            return redirect("consent_list", case_id=case.pk)
    return render(request, "cases/consent/form.html", {
        "case": case, "form": form, "title": _("Toestemming vastleggen")})


@require_POST
def consent_withdraw(request, case_id, consent_id):
    case = _case(request, case_id, record=True)
    consent = Consent.objects.filter(pk=consent_id, case=case).first()
    if consent is None:
        raise Http404
    form = WithdrawalForm(request.POST, case=case)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("consent_list", case_id=case.pk)
    try:
        services.consent_withdraw(actor=request.user, consent=consent, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De intrekking van de toestemming is vastgelegd."))
    return redirect("consent_list", case_id=case.pk)


@require_http_methods(["GET", "POST"])
@never_cache
def disclosure_add(request, case_id):
    case = _case(request, case_id, record=True)
    form = DisclosureForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.disclosure_record(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De verstrekking is vastgelegd."))
            return redirect("consent_list", case_id=case.pk)
    return render(request, "cases/consent/form.html", {
        "case": case, "form": form,
        "title": _("Verstrekking van informatie aan derden vastleggen")})

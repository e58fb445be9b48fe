"""The melding's page: the draft in the sections of the meldformulier (autosaved), its
facts picked from the chronology, approval, "open melden", sending and VT's feedback.

A teacher on the case sees that a melding exists and its state, never the draft's text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.services import access_log
from cases import permissions, workflow
from cases.errors import DomainError
from cases.forms.workflow import AcuteReportForm
from cases.models import Observation
from cases.services.workflow import school_staff
from decisions.forms import reports as f
from decisions.models import Report
from decisions.selectors import reports as sel
from decisions.services import reports as services
from decisions.services.routes import acute_melding_record
from decisions.views.common import case_for
from meldcode.reauth import reauth_needed


def report_for(request, report_id, what: str | None):
    """The melding through its case's policy: 404 outside scope. With `what` None the
    caller logs the access itself."""
    try:
        report = Report.objects.get(pk=report_id)
    except (Report.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    case = permissions.get_case_for_user(request.user, report.case_id, "view")
    roles = workflow.user_roles(request.user, case)
    report.case = case
    if what is not None:
        access_log(user=request.user, what=what, case=case)
    return report, case, roles


def _reads_content(roles) -> bool:
    return bool(roles & services.SENDERS)


def _shared_reader(request, report, roles) -> bool:
    """A teacher with whom the AF shared the melding's text: they read it, nothing more."""
    return not _reads_content(roles) and sel.is_shared_with(report, request.user)


@dataclass(frozen=True)
class Act:
    form: Callable
    run: Callable
    done: object
    roles: frozenset = services.SENDERS
    # Password and code again first (meldcode/reauth.py): the four-eyes approval.
    recent_auth: bool = False


def _facts(request, report, data):
    return services.report_fact_add(actor=request.user, report=report, **data)


def _pick(request, report, data):
    return services.report_fact_add(actor=request.user, report=report,
                                    observation=data["observation"])


def _remove(request, report, data):
    fact = report.facts.filter(pk=data["fact"]).first()
    if fact is None:
        raise DomainError(_("Dit feit hoort niet bij deze melding."))
    return services.report_fact_remove(actor=request.user, report=report, fact=fact)


def _plain(service):
    return lambda request, report, data: service(actor=request.user, report=report, **data)


def _observations(report):
    return (Observation.objects.filter(case_id=report.case_id, status="ingediend")
            .order_by("observed_at"))


ACTS: dict[str, Act] = {
    "opslaan": Act(lambda r, d=None: f.ReportContentForm(d, instance=r),
                   _plain(services.report_update), gettext_lazy("Het concept is opgeslagen."),
                   services.EDITORS),
    "feit": Act(lambda r, d=None: f.FactForm(d), _facts, gettext_lazy("Het feit is toegevoegd."),
               services.EDITORS),
    "uit-chronologie": Act(lambda r, d=None: f.PickForm(d, observations=_observations(r)),
                           _pick, gettext_lazy("De observatie is overgenomen in de melding."),
                           services.EDITORS),
    "feit-verwijderen": Act(lambda r, d=None: f.RemoveFactForm(d), _remove,
                            gettext_lazy("Het feit is verwijderd."), services.EDITORS),
    "aanbieden": Act(lambda r, d=None: f.EmptyForm(d), _plain(services.report_submit),
                     gettext_lazy("De melding ligt ter goedkeuring bij de directie."),
                     services.EDITORS),
    "goedkeuren": Act(lambda r, d=None: f.ApproveForm(d), _plain(services.report_approve),
                      gettext_lazy("De melding is goedgekeurd."), services.APPROVERS,
                      recent_auth=True),
    "terugsturen": Act(lambda r, d=None: f.RejectForm(d), _plain(services.report_reject),
                       gettext_lazy("De melding is teruggestuurd naar de opsteller."),
                       services.APPROVERS),
    "gesprek": Act(lambda r, d=None: f.ConversationForm(d),
                   _plain(services.report_conversation_record),
                   gettext_lazy("Het gesprek over de melding is vastgelegd.")),
    "uitzondering": Act(lambda r, d=None: f.ExemptionForm(d),
                        _plain(services.report_exemption_record),
                        gettext_lazy("De reden is vastgelegd.")),
    "verzonden": Act(lambda r, d=None: f.SendForm(d), _plain(services.report_send),
                     gettext_lazy("Vastgelegd: de melding is gedaan.")),
    "vt-besluit": Act(lambda r, d=None: f.FeedbackForm(d), _plain(services.vt_feedback_record),
                      gettext_lazy("Het besluit van Veilig Thuis is vastgelegd.")),
    "aanvulling": Act(lambda r, d=None: f.AddendumForm(d),
                      _plain(services.report_addendum_record),
                      gettext_lazy("De aanvulling is vastgelegd.")),
    "delen": Act(lambda r, d=None: f.ShareForm(d, candidates=sel.share_candidates(r.case)),
                 _plain(services.report_share),
                 gettext_lazy("De melding is gedeeld; de leerkracht kan haar tekst lezen."),
                 services.SHARERS),
}


def _context(report, case, roles, forms=None, *, shared=False) -> dict:
    forms = forms or {}
    context = {"report": report, "case": case, "reads_content": _reads_content(roles),
               "can_print": _reads_content(roles),
               "state": report.state, "states": Report.State.choices}
    if shared:
        # Read only: the text and its records, no forms, no documents.
        context.update(sel.report_detail(report), reads_content=True, forms={})
        return context
    if not context["reads_content"]:
        return context
    frozen, submitted = report.is_frozen, report.submitted_at is not None
    editor = bool(roles & services.EDITORS)
    approver = bool(roles & services.APPROVERS)
    sent = getattr(report, "sending", None) is not None
    context.update(sel.report_detail(report))
    context["informed_refusal"] = services.informed_refusal(report) if not sent else None
    shown = {}
    if editor and not frozen and not submitted:
        shown.update({k: None for k in ("opslaan", "feit", "uit-chronologie", "aanbieden")})
    if approver and submitted and not frozen:
        shown.update({"goedkeuren": None, "terugsturen": None})
    if not sent:
        shown.update({"gesprek": None, "uitzondering": None})
        if frozen or report.norm == Report.Norm.A:
            shown["verzonden"] = None
    else:
        shown["vt-besluit"] = None
    if frozen:
        shown["aanvulling"] = None
    if roles & services.SHARERS:
        shown["delen"] = None
    context["forms"] = {name: forms.get(name) or ACTS[name].form(report) for name in shown}
    context["can_remove_facts"] = editor and not frozen and not submitted
    return context


def report_detail(request, report_id):
    report, case, roles = report_for(request, report_id, "case.report")
    return render(request, "decisions/reports/detail.html",
                  _context(report, case, roles, shared=_shared_reader(request, report, roles)))


@require_POST
def report_action(request, report_id, action):
    if action not in ACTS:
        raise Http404
    report, case, roles = report_for(request, report_id, "case.report")
    act = ACTS[action]
    if not roles & act.roles:
        raise PermissionDenied
    if act.recent_auth and (confirm_first := reauth_needed(
            request, back_to=reverse("report_detail", args=[report.pk]))) is not None:
        return confirm_first
    form = act.form(report, request.POST)
    autosave = request.headers.get("X-Autosave") == "1"
    if form.is_valid():
        try:
            act.run(request, report, form.cleaned_data)
        except DomainError as error:
            if autosave:
                return JsonResponse({"error": error.message}, status=409)
            form.add_error(None, error.message)
        else:
            if autosave:
                return HttpResponse(status=204)
            messages.success(request, str(act.done))
            return redirect("report_detail", report_id=report.pk)
    elif autosave:
        return JsonResponse({"error": _("Controleer de velden.")}, status=400)
    report.refresh_from_db()
    report.case = case
    return render(request, "decisions/reports/detail.html",
                  _context(report, case, roles, {action: form}))


# --- The acute route -------------------------------------------------------------------


def _acute_page(request, case, form):
    return render(request, "decisions/form.html", {
        "case": case, "title": workflow.ACTIONS["acute_report"].label, "form": form,
        "post_url": "acute_melding",
        "reason": workflow.refusal(request.user, case, "acute_report"),
        "intro": _("Bij direct gevaar belt u Veilig Thuis meteen; leg hier daarna vast wie "
                   "belde, wanneer, met wie en waarom. Dit is een melding met meldnorm A; de "
                   "directie bekrachtigt haar de volgende werkdag.")})


def acute_form(request, case_id):
    case = case_for(request, case_id, what="case.acute", roles=workflow.AF_DIRECTIE)
    return _acute_page(request, case, AcuteReportForm(staff=school_staff(case), case=case))


@require_POST
def acute_record(request, case_id):
    case = case_for(request, case_id, what="case.acute", roles=workflow.AF_DIRECTIE)
    form = AcuteReportForm(request.POST, staff=school_staff(case), case=case)
    if form.is_valid():
        try:
            report = acute_melding_record(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De acute melding is vastgelegd; de directie is op de "
                                        "hoogte gebracht."))
            return redirect("report_detail", report_id=report.pk)
    return _acute_page(request, case, form)

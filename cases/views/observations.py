"""Views of step 1: the observation form (draft, autosave, submit), the observation page,
follow-up notes and attachments. Thin: policy → form → service → redirect/render."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessKind
from audit.services import access_log
from cases import bodymap, dates, permissions
from cases.errors import DomainError
from cases.forms.observations import FollowUpForm, build_forms, to_input
from cases.models import Attachment, Observation
from cases.selectors import observations as selectors
from cases.services import observations as services

ADD = "observation.add"



def _own_draft(case, user, observation_id) -> Observation:
    """Drafts exist for their author only; to anyone else they are not there."""
    try:
        return Observation.objects.drafts_of(user).get(pk=observation_id, case=case)
    except (Observation.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


# The new-observation form carries a token; the draft it created is remembered in the
# session under it. A form posted again without the draft's id (a reload that re-posts a
# refused submit, a submit racing the first autosave) then continues that draft instead of
# starting a second one.
FORM_TOKEN = "formulier"
SESSION_DRAFTS = "observation_drafts"
REMEMBERED_DRAFTS = 20


def _posted_draft(request, case) -> Observation | None:
    draft_id = request.POST.get("concept") or request.session.get(SESSION_DRAFTS, {}).get(
        request.POST.get(FORM_TOKEN, ""))
    if not draft_id:
        return None
    if not request.POST.get("concept"):
        # A remembered draft that is gone (deleted, submitted) starts afresh.
        found = Observation.objects.drafts_of(request.user).filter(pk=draft_id, case=case)
        if not found.exists():
            return None
    return _own_draft(case, request.user, draft_id)


def _remember(request, observation) -> None:
    token = request.POST.get(FORM_TOKEN, "")
    if not token or len(token) > 64:
        return
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts[token] = str(observation.pk)
    request.session[SESSION_DRAFTS] = dict(list(drafts.items())[-REMEMBERED_DRAFTS:])


def _categories(case, posted: str | None = None, observation=None):
    """The signal list for the pupil's age on the observation's date (today when unknown).

    Read before the form is bound, so a posted date outside the range counts as unknown
    (the form then says what is wrong)."""
    day = dates.posted_local_day(posted)
    if day is None and observation is not None:
        day = timezone.localdate(observation.observed_at)
    return selectors.signal_categories_for(case.student, day or timezone.localdate())


def _render_form(request, case, form, statements, injuries, observation=None):
    attachments = list(observation.attachments.all()) if observation else []
    selected = form.selected_signal_ids()
    common = selectors.common_signals(case.school, form.categories)
    selectors.arrange_signals(form.categories, common, selected)
    context = {
        "formsets_with_errors": [rows for rows in (statements, injuries)
                                 if rows.is_bound and rows.total_error_count()],
        "common_signals": common,
        "other_drafts": selectors.own_drafts(case, request.user, besides=observation),
        "case": case,
        "can_view_case": "view" in case.allowed_actions,
        "observation": observation,
        "form": form,
        "selected_signals": form.selected_signal_ids(),
        "statements": statements,
        "injuries": injuries,
        "attachments": attachments,
        "bodymap_centres": bodymap.centres(),
        "save_url": (reverse("observation_edit", args=[case.pk, observation.pk])
                     if observation else reverse("observation_new", args=[case.pk])),
        "autosave_url": reverse("observation_autosave", args=[case.pk]),
        "form_token": request.POST.get(FORM_TOKEN) or uuid.uuid4().hex,
    }
    return render(request, "cases/observations/form.html", context)


@require_http_methods(["GET", "POST"])
def observation_new(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, ADD)
    if request.method == "POST":
        access_log(user=request.user, what="observation.new", kind=AccessKind.CREATE,
                   case=case)
        return _save(request, case, _posted_draft(request, case))
    if not case.is_open:
        messages.error(request, services.CLOSED_MESSAGE)
        return _back_to_case(case)
    access_log(user=request.user, what="observation.new", case=case)
    now = timezone.localtime().replace(second=0, microsecond=0)
    form, statements, injuries = build_forms(case=case, categories=_categories(case),
                                             initial={"observed_at": now})
    return _render_form(request, case, form, statements, injuries)


@require_http_methods(["GET", "POST"])
def observation_edit(request, case_id, observation_id):
    case = permissions.get_case_for_user(request.user, case_id, ADD)
    observation = _own_draft(case, request.user, observation_id)
    if request.method == "POST":
        return _save(request, case, observation)
    form, statements, injuries = build_forms(
        case=case, categories=_categories(case, observation=observation),
        observation=observation)
    return _render_form(request, case, form, statements, injuries, observation)


def _bind(request, case, observation):
    return build_forms(request.POST, case=case, categories=_categories(
        case, request.POST.get("observed_at"), observation))


def _save(request, case, observation):
    form, statements, injuries = _bind(request, case, observation)
    if not (form.is_valid() and statements.is_valid() and injuries.is_valid()):
        messages.error(request, _("Controleer de gemarkeerde velden; er is nog niets "
                                  "opgeslagen."))
        return _render_form(request, case, form, statements, injuries, observation)
    try:
        observation = services.observation_draft_save(
            actor=request.user, case=case, observation=observation,
            data=to_input(form, statements, injuries))
    except DomainError as error:
        messages.error(request, error.message)
        return _render_form(request, case, form, statements, injuries, observation)
    _remember(request, observation)
    uploads = request.FILES.getlist("bijlagen")
    quota_error = services.upload_quota_error(observation, uploads) if uploads else None
    upload_errors = [quota_error] if quota_error else []
    for upload in uploads if not quota_error else ():
        try:
            services.attachment_add(actor=request.user, observation=observation, upload=upload)
        except DomainError as error:
            upload_errors.append(error.message)
    if upload_errors:
        for message in upload_errors:
            form.add_error(None, message)
        return _render_form(request, case, form, statements, injuries, observation)
    action = request.POST.get("actie")
    if action == "later":
        # The quick path: what is known now is kept; the details can follow.
        messages.success(request, _("Uw concept is bewaard. U vindt het op de startpagina "
                                    "onder “Uw concepten” om de details later aan te vullen."))
        return redirect("dashboard")
    if action != "vastleggen":
        messages.success(request, _("Concept opgeslagen om %(time)s.")
                         % {"time": time_format(timezone.localtime(), "H:i")})
        # Without script, "add a row" buttons save the draft; the page comes back with room.
        anchor = {"uitspraak": "#uitspraken", "letsel": "#letsels"}.get(action, "")
        return redirect(reverse("observation_edit", args=[case.pk, observation.pk]) + anchor)
    try:
        services.observation_submit(actor=request.user, observation=observation)
    except services.ObservationIncomplete as incomplete:
        for field, errors in incomplete.errors.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
        messages.error(request, _("De observatie is nog niet vastgelegd: vul aan wat "
                                  "hieronder staat. Uw concept is bewaard."))
        return _render_form(request, case, form, statements, injuries, observation)
    except DomainError as error:
        messages.error(request, error.message)
        return _back_to_case(case)
    messages.success(request, _("De observatie is vastgelegd. De aandachtsfunctionaris is "
                                "op de hoogte gebracht."))
    if "view" not in case.allowed_actions:
        # Write-only: the observation is in the case, but the case is not theirs to read.
        return redirect("dashboard")
    return redirect("observation_detail", case_id=case.pk, observation_id=observation.pk)


def _back_to_case(case):
    if "view" in case.allowed_actions:
        return redirect("case_detail", case_id=case.pk)
    return redirect("dashboard")


@require_POST
def observation_autosave(request, case_id):
    """Save the draft while the user types (JSON); nothing is lost when the tab closes."""
    case = permissions.get_case_for_user(request.user, case_id, ADD)
    observation = _posted_draft(request, case)
    form, statements, injuries = _bind(request, case, observation)
    if not (form.is_valid() and statements.is_valid() and injuries.is_valid()):
        errors = {name: list(errs) for name, errs in form.errors.items()}
        first = next(iter(errors.values()), [""])[0]
        message = (_("Concept nog niet opgeslagen: %(error)s") % {"error": first} if first
                   else _("Concept nog niet opgeslagen: controleer de gemarkeerde velden."))
        return JsonResponse({"saved": False, "message": message, "errors": errors},
                            status=400)
    try:
        observation = services.observation_draft_save(
            actor=request.user, case=case, observation=observation,
            data=to_input(form, statements, injuries))
    except DomainError as error:
        return JsonResponse({"saved": False, "message": error.message}, status=409)
    _remember(request, observation)
    saved_at = time_format(timezone.localtime(observation.updated_at), "H:i")
    return JsonResponse({
        "saved": True,
        "id": str(observation.pk),
        "time": saved_at,
        "message": _("Concept opgeslagen om %(time)s") % {"time": saved_at},
        "edit_url": reverse("observation_edit", args=[case.pk, observation.pk]),
    })


def _render_detail(request, case, observation, follow_up_form=None, status=200):
    access_log(user=request.user, what="observation.detail", case=case)
    can_follow_up = "observation.follow_up" in case.allowed_actions
    if can_follow_up and follow_up_form is None:
        follow_up_form = FollowUpForm(observation=observation)
    injuries = list(observation.injuries.all())
    return render(request, "cases/observations/detail.html", {
        "case": case,
        "observation": observation,
        "injuries": injuries,
        "marks": bodymap.placed_marks(injuries),
        "follow_up_form": follow_up_form if can_follow_up else None,
    }, status=status)


def _submitted_or_404(case, observation_id) -> Observation:
    try:
        observation = selectors.observation_with_content(case, observation_id)
    except Observation.DoesNotExist as exc:
        raise Http404 from exc
    if not observation.is_submitted:
        raise Http404
    return observation


def observation_detail(request, case_id, observation_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    if Observation.objects.drafts_of(request.user).filter(pk=observation_id,
                                                          case=case).exists():
        return redirect("observation_edit", case_id=case.pk, observation_id=observation_id)
    return _render_detail(request, case, _submitted_or_404(case, observation_id))


@require_POST
def observation_follow_up_add(request, case_id, observation_id):
    case = permissions.get_case_for_user(request.user, case_id, "observation.follow_up")
    observation = _submitted_or_404(case, observation_id)
    form = FollowUpForm(request.POST, observation=observation)
    if form.is_valid():
        try:
            services.observation_follow_up_add(
                actor=request.user, observation=observation, kind=form.cleaned_data["kind"],
                text=form.cleaned_data["text"], statement=form.cleaned_data["statement"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De vervolgnotitie is toegevoegd."))
            return redirect(reverse("observation_detail", args=[case.pk, observation.pk])
                            + "#vervolgnotities")
    return _render_detail(request, case, observation, follow_up_form=form)


def attachment_download(request, case_id, attachment_id):
    """Files leave the server only through the policy, as a download, logged."""
    case, attachment = permissions.get_attachment_for_user(request.user, case_id,
                                                           attachment_id)
    access_log(user=request.user, what="observation.attachment", case=case)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True,
                            filename=attachment.download_name,
                            content_type=attachment.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def observation_draft_delete(request, case_id, observation_id):
    case = permissions.get_case_for_user(request.user, case_id, ADD)
    observation = _own_draft(case, request.user, observation_id)
    try:
        services.observation_draft_delete(actor=request.user, observation=observation)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("observation_edit", case_id=case.pk, observation_id=observation.pk)
    messages.success(request, _("Het concept is verwijderd."))
    return _back_to_case(case)


@require_POST
def attachment_remove(request, case_id, attachment_id):
    case = permissions.get_case_for_user(request.user, case_id, ADD)
    attachment = get_object_or_404(
        Attachment.objects.select_related("observation"), pk=attachment_id,
        observation__in=Observation.objects.filter(case=case).drafts_of(request.user))
    try:
        services.attachment_remove(actor=request.user, attachment=attachment)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De bijlage is verwijderd."))
    return redirect("observation_edit", case_id=case.pk,
                    observation_id=attachment.observation_id)

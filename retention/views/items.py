"""The vernietigingslijst: the AF and directie confirm a destruction (four eyes) or keep
a dossier for a legal reason. Thin: selector → form → service → redirect/render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.errors import DomainError
from meldcode.reauth import reauth_needed
from retention.forms.retention import LegalHoldForm
from retention.permissions import get_hold_for_user, get_item_for_user, items_for
from retention.services import destruction, holds


@require_GET
def destruction_list(request):
    page = Paginator(items_for(request.user), 25).get_page(request.GET.get("pagina"))
    return render(request, "retention/destruction_list.html", {"page": page})


def _detail(request, item, *, hold_form=None, status=200):
    return render(request, "retention/destruction_detail.html", {
        "item": item,
        "holds": list(item.holds.select_related("placed_by", "lifted_by")),
        "hold_form": hold_form or LegalHoldForm(),
        "confirmed_by_me": item.first_confirmed_by_id == request.user.pk,
    }, status=status)


@require_GET
def destruction_detail(request, item_id):
    return _detail(request, get_item_for_user(request.user, item_id))


@require_POST
def destruction_confirm(request, item_id):
    item = get_item_for_user(request.user, item_id)
    # Irreversible: password and code again first, as before an export.
    back_to = reverse("destruction_detail", args=[item.pk])
    if (confirm_first := reauth_needed(request, back_to=back_to)) is not None:
        return confirm_first
    try:
        item = destruction.destruction_confirm(actor=request.user, item=item)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if item.status == item.Status.DESTROYED:
            messages.success(request, _("Het dossier is vernietigd."))
        else:
            messages.success(request, _("Uw bevestiging is vastgelegd. Een tweede persoon "
                                        "moet de vernietiging nog bevestigen."))
    return redirect("destruction_detail", item_id=item.pk)


@require_POST
def legal_hold_place(request, item_id):
    item = get_item_for_user(request.user, item_id)
    form = LegalHoldForm(request.POST)
    if not form.is_valid():
        return _detail(request, item, hold_form=form, status=400)
    try:
        holds.legal_hold_place(actor=request.user, item=item, **form.cleaned_data)
    except DomainError as error:
        form.add_error("review_on", error.message)
        return _detail(request, item, hold_form=form, status=400)
    messages.success(request, _("Het dossier wordt bewaard tot de datum om opnieuw te "
                                "bekijken."))
    return redirect("destruction_detail", item_id=item.pk)


@require_POST
def legal_hold_lift(request, hold_id):
    hold = get_hold_for_user(request.user, hold_id)
    try:
        holds.legal_hold_lift(actor=request.user, hold=hold)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De bewaarreden is opgeheven."))
    return redirect("destruction_detail", item_id=hold.item_id)

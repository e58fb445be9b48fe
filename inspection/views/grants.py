"""The bestuur (or beheerder) gives an inspecteur access, and ends it."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from inspection.forms.grants import GrantForm
from inspection.selectors import grants as scope
from inspection.services.grants import inspection_grant_create, inspection_grant_end
from meldcode.errors import DomainError


def _form(request, data=None):
    boards = scope.granting_board_ids(request.user)
    return GrantForm(data, inspectors=scope.inspectors_of(boards),
                     schools=scope.schools_of(boards)), boards


def _page(request, form, status=200):
    grants = scope.grants_managed_by(request.user).order_by("-created_at")[:100]
    return render(request, "inspection/grant_list.html", {"form": form, "grants": grants},
                  status=status)


@require_http_methods(["GET", "POST"])
def grant_list(request):
    form, boards = _form(request, request.POST if request.method == "POST" else None)
    if request.method == "GET":
        return _page(request, form)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    schools = list(data["scholen"])
    try:
        inspection_grant_create(
            actor=request.user, board=schools[0].board, inspector=data["inspecteur"],
            schools=schools, purpose=data["doel"], valid_from=data["toegang_van"],
            valid_until=data["toegang_tot"], period_start=data["periode_van"],
            period_end=data["periode_tot"], include_names=data["met_namen"],
            include_content=data["met_inhoud"])
    except DomainError as error:
        form.add_error(None, error.message)
        return _page(request, form, status=400)
    messages.success(request, _("De inspecteur heeft toegang gekregen."))
    return redirect("inspection_grant_list")


@require_POST
def grant_end(request, grant_id):
    grant = scope.get_grant_for_manager(request.user, grant_id)
    try:
        inspection_grant_end(actor=request.user, grant=grant)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De toegang van de inspecteur is beëindigd."))
    return redirect("inspection_grant_list")

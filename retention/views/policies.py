"""The board's bewaartermijnen, set by its beheerder or bestuur."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from meldcode.models import Board
from retention.forms.retention import RetentionPolicyForm
from retention.models import RetentionPolicy
from retention.permissions import policy_boards
from retention.services.policies import retention_policy_update


@require_GET
def retention_policy_index(request):
    boards = list(policy_boards(request.user).order_by("name"))
    if not boards:
        raise PermissionDenied
    if len(boards) == 1:
        return redirect("retention_policy_edit", board_id=boards[0].pk)
    return render(request, "retention/policy_index.html", {"boards": boards})


@require_http_methods(["GET", "POST"])
def retention_policy_edit(request, board_id):
    boards = policy_boards(request.user)
    if not boards.exists():
        raise PermissionDenied
    try:
        board = boards.get(pk=board_id)
    except Board.DoesNotExist as exc:
        raise Http404 from exc
    form = RetentionPolicyForm(request.POST or None, instance=RetentionPolicy.for_board(board))
    if request.method == "POST":
        if form.is_valid():
            retention_policy_update(actor=request.user, board=board, values=form.cleaned_data)
            messages.success(request, _("De bewaartermijnen zijn opgeslagen."))
            return redirect("retention_policy_edit", board_id=board.pk)
        return render(request, "retention/policy_edit.html", {"board": board, "form": form},
                      status=400)
    return render(request, "retention/policy_edit.html", {"board": board, "form": form})

"""The "Taken" page, task actions and the board's deadline policy page. Thin views."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.selectors.trail import day_start
from audit.services import logged_access
from cases import permissions
from cases.errors import DomainError
from cases.models import DeadlinePolicy, Task
from cases.selectors.tasks import visible_open_tasks
from cases.services import tasks as services_tasks
from cases.services.cases import case_team_users
from meldcode.input_limits import BoundedForm, BoundedModelForm
from meldcode.models import Board, Role, User
from meldcode.redirects import redirect_back
from meldcode.workdays import local_today

TASKS_PER_PAGE = 50


def _grouped(tasks, today):
    week_end = today + timedelta(days=6 - today.weekday())
    groups = {"overdue": [], "week": [], "later": []}
    for task in tasks:
        if task.due_on < today:
            groups["overdue"].append(task)
        elif task.due_on <= week_end:
            groups["week"].append(task)
        else:
            groups["later"].append(task)
    return groups


@logged_access("task.list", AccessKind.LIST)
def task_list(request):
    user = request.user
    today = local_today()
    may_oversee = permissions.can(user, "task.manage")
    school_view = may_oversee and request.GET.get("weergave") == "school"
    related = ("case", "case__student", "owner")
    if school_view:
        schools = permissions.school_ids_with(user, Role.AANDACHTSFUNCTIONARIS, Role.DIRECTIE)
        tasks = visible_open_tasks(user).filter(case__school_id__in=schools)
    else:
        tasks = visible_open_tasks(user).filter(owner=user)
    # A page at a time in a stable order (a school's open tasks run into the hundreds).
    page = Paginator(tasks.select_related(*related).order_by("due_on", "created_at", "id"),
                     TASKS_PER_PAGE).get_page(request.GET.get("pagina"))
    tasks = list(page.object_list)
    recently_done = []
    if not school_view:
        recently_done = list(
            # A moment rather than `completed_at__date`: a date cast per row could not use
            # the (owner, completed_at) index, and read every task the user ever finished.
            Task.objects.filter(owner=user,
                                completed_at__gte=day_start(today - timedelta(days=14)),
                                case__in=permissions.visible_cases(user))
            .select_related(*related).order_by("-completed_at")[:20]
        )
    context = {
        "groups": _grouped(tasks, today),
        "total": page.paginator.count,
        "page": page,
        "today": today,
        "school_view": school_view,
        "may_oversee": may_oversee,
        "recently_done": recently_done,
    }
    return render(request, "cases/tasks/task_list.html", context)


def _task_for_user(user, task_id) -> Task:
    """A task of a case the user can see; otherwise 404 (its existence is not revealed)."""
    return get_object_or_404(
        Task.objects.select_related("case", "case__school")
        .filter(case__in=permissions.visible_cases(user)),
        pk=task_id,
    )


@require_POST
def task_complete(request, task_id):
    task = _task_for_user(request.user, task_id)
    try:
        task = services_tasks.task_complete(actor=request.user, task=task,
                                            reason=request.POST.get("reden", ""))
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De taak is afgerond zonder de stap; de termijn blijft "
                                    "staan tot de stap is vastgelegd.")
                         if task.override_reason else _("De taak is afgerond."))
    return redirect_back(request, "task_list")


@require_POST
def task_reopen(request, task_id):
    task = _task_for_user(request.user, task_id)
    try:
        services_tasks.task_reopen(actor=request.user, task=task)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De taak staat weer open."))
    return redirect_back(request, "task_list")


class ReassignForm(BoundedForm):
    owner = forms.ModelChoiceField(queryset=User.objects.none(), label=gettext_lazy("Eigenaar"),
                                   error_messages={"required": gettext_lazy("Kies een persoon."),
                                                   "invalid_choice": gettext_lazy(
                                                       "Kies iemand uit het casusteam.")})


@require_POST
def task_reassign(request, task_id):
    task = _task_for_user(request.user, task_id)
    if not services_tasks.may_manage(request.user, task):
        raise PermissionDenied
    form = ReassignForm(request.POST)
    form.fields["owner"].queryset = case_team_users(task.case)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("owner", [])))
        return redirect_back(request, "task_list")
    try:
        services_tasks.task_reassign(actor=request.user, task=task,
                                     owner=form.cleaned_data["owner"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De taak is toegewezen aan %(name)s.")
                         % {"name": form.cleaned_data["owner"]})
    return redirect_back(request, "task_list")


# --- Deadline policy (beheerder) -------------------------------------------------------


class DeadlinePolicyForm(BoundedModelForm):
    class Meta:
        model = DeadlinePolicy
        fields = DeadlinePolicy.EDITABLE_FIELDS


def deadline_policy_index(request):
    permissions.require(request.user, "deadline_policy.manage")
    boards = list(services_tasks.managed_boards(request.user).order_by("name"))
    if len(boards) == 1:
        return redirect("deadline_policy_edit", board_id=boards[0].pk)
    return render(request, "cases/tasks/policy_index.html", {"boards": boards})


def deadline_policy_edit(request, board_id):
    permissions.require(request.user, "deadline_policy.manage")
    try:
        board = services_tasks.managed_boards(request.user).get(pk=board_id)
    except Board.DoesNotExist as exc:
        raise Http404 from exc
    policy = DeadlinePolicy.for_board(board)
    form = DeadlinePolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        services_tasks.deadline_policy_update(actor=request.user, board=board,
                                              values=form.cleaned_data)
        messages.success(request, _("De termijnen zijn opgeslagen."))
        return redirect("deadline_policy_edit", board_id=board.pk)
    return render(request, "cases/tasks/policy_edit.html", {"board": board, "form": form})

"""Functioneel beheer: people, roles and schools of the beheerder's board. No case content.

Every view starts at the Beheer section of the permission policy (403 for non-beheerders,
404 for people and schools outside the beheerder's boards) and changes data only through
`meldcode.services`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AuditEvent
from meldcode import permissions
from meldcode.errors import DomainError
from meldcode.forms.beheer import (
    RoleForm,
    RoleFormSet,
    SchoolForm,
    UserCreateForm,
    UserEditForm,
    UserFilterForm,
)
from meldcode.models import Board, Membership, School
from meldcode.reauth import reauth_needed
from meldcode.services import beheer as services
from meldcode.services import two_factor

USERS_PER_PAGE = 25
SCHOOLS_PER_PAGE = 50
TRAIL_LENGTH = 20
# What the beheerder sees of an account's or school's trail: beheer events, not logins.
USER_TRAIL_ACTIONS = ("user.created", "user.updated", "user.deactivated", "user.reactivated",
                      "user.invited", "membership.added", "membership.removed",
                      "membership.confirmed", "membership.refused", "auth.password_set",
                      "beheerder.created", "beheerder.password_set",
                      "auth.two_factor_reset")
SCHOOL_TRAIL_ACTIONS = ("school.created", "school.updated")


def _places(boards):
    """Boards and schools a role can be given at, as RoleForm wants them."""
    return {
        "boards": list(Board.objects.filter(pk__in=boards).order_by("name")),
        "schools": list(School.objects.filter(board_id__in=boards).order_by("name")),
    }


def _trail(subject, actions):
    return (AuditEvent.objects.filter(subject_type=subject._meta.label_lower,
                                      subject_id=str(subject.pk), action__in=actions)
            .select_related("actor").order_by("-occurred_at", "-id")[:TRAIL_LENGTH])


def index(request):
    boards = permissions.require_manager(request.user)
    users = permissions.managed_users(request.user)
    context = {
        "boards": Board.objects.filter(pk__in=boards).order_by("name"),
        "school_count": School.objects.filter(board_id__in=boards).count(),
        "user_counts": users.aggregate(active=Count("pk", filter=Q(is_active=True)),
                                       inactive=Count("pk", filter=Q(is_active=False))),
    }
    return render(request, "meldcode/beheer/index.html", context)


# --- People ----------------------------------------------------------------------------


def user_list(request):
    boards = permissions.require_manager(request.user)
    schools = School.objects.filter(board_id__in=boards).order_by("name")
    form = UserFilterForm(request.GET or None, schools=schools)
    roles_here = (permissions.with_confirmer(Membership.objects.filter(board_id__in=boards))
                  .select_related("school", "decided_by").order_by("role", "school__name"))
    users = (
        form.filter(permissions.managed_users(request.user), boards)
        .prefetch_related(Prefetch("memberships", queryset=roles_here, to_attr="managed_roles"))
        .order_by("last_name", "first_name", "username")
    )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "meldcode/beheer/user_list.html", {"form": form, "page": page})


@require_http_methods(["GET", "POST"])
def user_create(request):
    boards = permissions.require_manager(request.user)
    # A new account comes with roles: asked before the form, so nothing typed is lost.
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    data = request.POST if request.method == "POST" else None
    form = UserCreateForm(data)
    roles = RoleFormSet(data, prefix="rollen", form_kwargs=_places(boards))
    if data is not None and form.is_valid() and roles.is_valid():
        try:
            user = services.user_create(
                actor=request.user,
                roles=[services.RoleAssignment.at(r["role"], r["place"]) for r in roles.filled],
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s is aangemaakt en krijgt een e-mail om zelf "
                                        "een wachtwoord in te stellen.") % {"name": user})
            return redirect("beheer_user_edit", user_id=user.uuid)
    return render(request, "meldcode/beheer/user_create.html", {"form": form, "roles": roles})


def _user_page(request, target, *, boards, edit_form=None, role_form=None):
    memberships = (permissions.with_confirmer(target.memberships.filter(board_id__in=boards))
                   .select_related("school", "board", "decided_by")
                   .order_by("role", "school__name"))
    context = {
        "target": target,
        "memberships": memberships,
        "works_elsewhere": target.memberships.exclude(board_id__in=boards).exists(),
        "is_self": target.pk == request.user.pk,
        "edit_form": edit_form or UserEditForm.for_user(target),
        "role_form": role_form or RoleForm(**_places(boards)),
        "trail": _trail(target, USER_TRAIL_ACTIONS),
        "has_second_factor": two_factor.has_second_factor(target),
    }
    return render(request, "meldcode/beheer/user_edit.html", context)


@require_http_methods(["GET", "POST"])
def user_edit(request, user_id):
    target = permissions.get_user_for_manager(request.user, user_id)
    boards = permissions.managed_board_ids(request.user)
    form = UserEditForm.for_user(target, request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        try:
            services.user_update(actor=request.user, user=target, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De gegevens zijn opgeslagen."))
            return redirect("beheer_user_edit", user_id=target.uuid)
    return _user_page(request, target, boards=boards, edit_form=form)


@require_POST
def user_invite(request, user_id):
    target = permissions.get_user_for_manager(request.user, user_id)
    try:
        services.user_invite(actor=request.user, user=target)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De e-mail om een wachtwoord in te stellen is verstuurd."))
    return redirect("beheer_user_edit", user_id=target.uuid)


def _confirm_before_role_change(request, target):
    """Roles open dossiers: changing them asks for password and code again."""
    return reauth_needed(request, back_to=reverse("beheer_user_edit",
                                                  kwargs={"user_id": target.uuid}))


@require_POST
def membership_add(request, user_id):
    target = permissions.get_user_for_manager(request.user, user_id)
    if (confirm_first := _confirm_before_role_change(request, target)) is not None:
        return confirm_first
    boards = permissions.managed_board_ids(request.user)
    form = RoleForm(request.POST, **_places(boards))
    if form.is_valid():
        try:
            services.membership_add(actor=request.user, user=target,
                                    role=form.cleaned_data["role"],
                                    place=form.cleaned_data["place"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De rol is toegekend."))
            return redirect("beheer_user_edit", user_id=target.uuid)
    return _user_page(request, target, boards=boards, role_form=form)


@require_POST
def membership_remove(request, user_id, membership_id):
    target = permissions.get_user_for_manager(request.user, user_id)
    if (confirm_first := _confirm_before_role_change(request, target)) is not None:
        return confirm_first
    boards = permissions.managed_board_ids(request.user)
    membership = get_object_or_404(Membership, pk=membership_id, user=target,
                                   board_id__in=boards)
    try:
        services.membership_remove(actor=request.user, membership=membership)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De rol is ingetrokken."))
    return redirect("beheer_user_edit", user_id=target.uuid)


# --- Schools ---------------------------------------------------------------------------


def school_list(request):
    boards = permissions.require_manager(request.user)
    schools = (School.objects.filter(board_id__in=boards).select_related("board")
               .annotate(people=Count("memberships__user", distinct=True))
               .order_by("name"))
    page = Paginator(schools, SCHOOLS_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "meldcode/beheer/school_list.html",
                  {"page": page, "several_boards": len(boards) > 1})


@require_http_methods(["GET", "POST"])
def school_create(request):
    boards = permissions.require_manager(request.user)
    board_objects = Board.objects.filter(pk__in=boards).order_by("name")
    form = SchoolForm(request.POST if request.method == "POST" else None,
                      request.FILES if request.method == "POST" else None, boards=board_objects)
    if form.is_bound and form.is_valid():
        try:
            school = services.school_create(actor=request.user, board=form.chosen_board(),
                                            **form.school_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De school %(name)s is toegevoegd.") % {"name": school})
            return redirect("beheer_school_list")
    return render(request, "meldcode/beheer/school_form.html", {"form": form, "school": None})


@require_http_methods(["GET", "POST"])
def school_edit(request, school_id):
    school = permissions.get_school_for_manager(request.user, school_id)
    form = SchoolForm(request.POST if request.method == "POST" else None,
                      request.FILES if request.method == "POST" else None, instance=school)
    if form.is_bound and form.is_valid():
        try:
            services.school_update(actor=request.user, school=school, **form.school_fields())
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De gegevens van de school zijn opgeslagen."))
            return redirect("beheer_school_list")
    return render(request, "meldcode/beheer/school_form.html",
                  {"form": form, "school": school, "trail": _trail(school, SCHOOL_TRAIL_ACTIONS)})


# --- Setting a password through an e-mailed link ---------------------------------------

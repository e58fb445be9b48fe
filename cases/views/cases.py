"""Views for pupils, cases and the case team. Thin: policy → service → render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.models import AccessKind
from audit.services import access_log, logged_access
from cases import permissions
from cases.errors import DomainError
from cases.forms.cases import CaseFilterForm, StudentSearchForm, TeamAddForm
from cases.models import Notification
from cases.notifications import mark_read
from cases.selectors import cases as selectors
from cases.selectors import pupils as pupil_selectors
from cases.selectors.chronology import latest_records
from cases.selectors.classification import classification_summary
from cases.services import cases as services
from cases.views.workflow import panel_context
from meldcode.models import User
from meldcode.workdays import local_today, school_year_label, school_year_of


@logged_access("student.search", AccessKind.SEARCH)
def student_search(request):
    permissions.require(request.user, "student.search")
    form = StudentSearchForm(request.GET or None)
    students = []
    if form.is_valid():
        students = form.search(permissions.searchable_students(request.user))
    return render(request, "cases/student_search.html", {
        "form": form, "students": students,
        "carer_school_ids": permissions.school_ids_with(request.user,
                                                        *permissions.CARER_EDITORS)})


@logged_access("student.class_list", AccessKind.LIST)
def class_list(request):
    """A teacher's own class list for this school year: report a concern in one click."""
    permissions.require(request.user, "student.search")
    year = school_year_of(local_today())
    return render(request, "cases/class_list.html", {
        "groups": pupil_selectors.class_lists(request.user, year),
        "school_year": school_year_label(year),
        "pupil_page_school_ids": permissions.school_ids_with(request.user,
                                                             *permissions.CARER_EDITORS),
    })


@require_POST
def case_open(request, student_id):
    student = permissions.get_student_for_user(request.user, student_id, "case.open")
    result = services.case_open(actor=request.user, student=student)
    if result.created:
        messages.success(request, _("De casus is geopend. Leg nu uw observatie vast."))
        return redirect("observation_new", case_id=result.case.pk)
    if result.visible:
        messages.info(request, _("Er loopt al een casus voor deze leerling; u ziet die hier."))
        return redirect("case_detail", case_id=result.case.pk)
    if result.contribute:
        messages.info(request, _(
            "Voor deze leerling loopt al een casus. Leg hier uw observatie vast: die komt in "
            "de bestaande casus. De aandachtsfunctionaris is op de hoogte gebracht; de casus "
            "zelf kunt u niet inzien."))
        return redirect("observation_new", case_id=result.case.pk)
    messages.info(
        request,
        _("Voor deze leerling loopt al een casus. De aandachtsfunctionaris is op de hoogte "
          "gebracht van uw zorg en neemt contact met u op."),
    )
    return redirect("dashboard")


@logged_access("case.list", AccessKind.LIST)
def case_list(request):
    permissions.require(request.user, "case.list")
    form = CaseFilterForm(request.GET or None,
                          schools=permissions.schools_for(request.user, "case.list"))
    qs = form.filter(selectors.case_list_queryset(request.user))
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    return render(request, "cases/case_list.html", {"form": form, "page": page})


def case_detail(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    access_log(user=request.user, what="case.detail", case=case)
    team = services.case_team(case)
    context = {
        "case": case,
        "team": team,
        "can_manage_team": "manage_team" in case.allowed_actions,
        "can_view_history": "view_history" in case.allowed_actions,
        "can_report_access": permissions.can(request.user, "access_report.produce",
                                             school=case.school),
        "workflow": panel_context(request.user, case),
        "can_see_carers": "view" in permissions.carer_actions(request.user, case.student),
        # The pupil page (every case of the pupil, open and closed) is the AF's and directie's.
        "can_see_pupil_page": case.school_id in permissions.school_ids_with(
            request.user, *permissions.CARER_EDITORS),
        # The latest records of the stappenplan, each linked to its page (one query).
        "records": latest_records(case),
        "classification": classification_summary(case),
    }
    if context["can_manage_team"]:
        context["team_form"] = TeamAddForm(candidates=services.team_candidates(case))
    if context["can_view_history"]:
        context["trail"] = selectors.case_trail(case, team)
    return render(request, "cases/case_detail.html", context)


@require_POST
def case_team_add(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "manage_team")
    form = TeamAddForm(request.POST, candidates=services.team_candidates(case))
    if not form.is_valid():
        messages.error(request, _("Kies een collega om toe te voegen."))
        return redirect("case_detail", case_id=case.pk)
    try:
        services.case_team_add(actor=request.user, case=case, member=form.cleaned_data["member"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is toegevoegd aan het casusteam.")
                         % {"name": form.cleaned_data["member"]})
    return redirect("case_detail", case_id=case.pk)


@require_POST
def case_team_remove(request, case_id, user_id):
    case = permissions.get_case_for_user(request.user, case_id, "manage_team")
    member = get_object_or_404(User, pk=user_id)
    try:
        services.case_team_remove(actor=request.user, case=case, member=member)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is uit het casusteam verwijderd.") % {"name": member})
    return redirect("case_detail", case_id=case.pk)


NOTIFICATIONS_PER_PAGE = 50


def notification_list(request):
    """The user's own notifications ("Berichten"), newest first, a page at a time (the
    recipient/newest index serves it); seeing a page marks its notifications read."""
    qs = (Notification.objects.filter(recipient=request.user)
          .select_related("actor", "case").order_by("-created_at", "-id"))
    page = Paginator(qs, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("pagina"))
    notifications = list(page.object_list)
    mark_read(request.user, notifications)
    return render(request, "cases/notification_list.html",
                  {"notifications": notifications, "page": page})

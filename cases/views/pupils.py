"""Pages about one pupil: carers (ouders/verzorgers), siblings (AF only) and the group
with its teachers set by hand. Thin: policy → form → service → redirect/render."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import AccessKind
from audit.services import access_log
from cases import permissions
from cases.errors import DomainError
from cases.forms.pupils import CarerForm, GroupForm, SiblingForm
from cases.models import Carer, Student
from cases.selectors import pupils as selectors
from cases.services import pupils as services
from meldcode.workdays import local_today, school_year_label, school_year_of


def student_cases(request, student_id):
    """The pupil page for the AF and directie: every case, open and closed, with its phases
    and dates."""
    student = permissions.get_student_for_user(request.user, student_id, "case.list")
    access_log(user=request.user, what="student.cases", kind=AccessKind.LIST, student=student,
               roles=permissions.roles_at(request.user, student.school))
    year = school_year_of(local_today())
    return render(request, "cases/pupils/student_cases.html", {
        "student": student,
        "cases": selectors.pupil_cases(request.user, student),
        "placement": selectors.placement_in(student, year),
        "school_year": school_year_label(year),
        "can_see_carers": "view" in permissions.carer_actions(request.user, student),
    })


def carer_list(request, student_id):
    student = permissions.get_student_carers_for_user(request.user, student_id, "view")
    access_log(user=request.user, what="student.carers", student=student,
               roles=permissions.roles_at(request.user, student.school))
    actions = student.carer_actions
    year = school_year_of(local_today())
    context = {
        "student": student,
        "carers": selectors.carers_of(student),
        "can_edit": "edit" in actions,
        "placement": selectors.placement_in(student, year),
        "school_year": school_year_label(year),
        "can_set_group": permissions.can(request.user, "pupil.manage", school=student.school),
    }
    if "siblings" in actions:
        context["siblings"] = selectors.siblings_of(student)
        context["sibling_form"] = SiblingForm()
    return render(request, "cases/pupils/carer_list.html", context)


def _carer_form(request, student, carer=None):
    form = CarerForm(request.POST or None, instance=carer)
    if request.method == "POST" and form.is_valid():
        try:
            if carer is None:
                services.carer_add(actor=request.user, student=student, data=form.cleaned_data)
            else:
                services.carer_update(actor=request.user, carer=carer, data=form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De gegevens van de ouder/verzorger zijn opgeslagen."))
            return redirect("carer_list", student_id=student.pk)
    return render(request, "cases/pupils/carer_form.html",
                  {"student": student, "carer": carer, "form": form})


@require_http_methods(["GET", "POST"])
def carer_add(request, student_id):
    student = permissions.get_student_carers_for_user(request.user, student_id, "edit")
    return _carer_form(request, student)


@require_http_methods(["GET", "POST"])
def carer_edit(request, student_id, carer_id):
    student = permissions.get_student_carers_for_user(request.user, student_id, "edit")
    try:
        carer = Carer.objects.get(pk=carer_id, student=student)
    except Carer.DoesNotExist as exc:
        raise Http404 from exc
    access_log(user=request.user, what="student.carer", student=student,
               roles=permissions.roles_at(request.user, student.school))
    return _carer_form(request, student, carer)


@require_POST
def sibling_link(request, student_id):
    student = permissions.get_student_carers_for_user(request.user, student_id, "siblings")
    form = SiblingForm(request.POST)
    other = None
    if form.is_valid():
        other = Student.objects.filter(school=student.school,
                                       pupil_number=form.cleaned_data["pupil_number"]).first()
    if other is None:
        messages.error(request, _("Geen leerling met dat leerlingnummer op deze school."))
        return redirect("carer_list", student_id=student.pk)
    try:
        services.sibling_link(actor=request.user, student=student, other=other)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("De broer of zus is gekoppeld."))
    return redirect("carer_list", student_id=student.pk)


@require_POST
def sibling_unlink(request, student_id, sibling_id):
    student = permissions.get_student_carers_for_user(request.user, student_id, "siblings")
    other = student.siblings.filter(pk=sibling_id).first()
    if other is None:
        raise Http404
    services.sibling_unlink(actor=request.user, student=student, other=other)
    messages.success(request, _("De koppeling is opgeheven."))
    return redirect("carer_list", student_id=student.pk)


@require_http_methods(["GET", "POST"])
def student_group(request, student_id):
    student = permissions.get_student_for_user(request.user, student_id, "pupil.manage")
    year = school_year_of(local_today())
    placement = selectors.placement_in(student, year)
    initial = {}
    if placement is not None:
        initial = {"group_name": placement.group.name,
                   "teachers": list(placement.group.teachers.all())}
    teachers = selectors.school_teachers(student.school)
    form = GroupForm(request.POST or None, initial=initial, teachers=teachers)
    if request.method == "POST" and form.is_valid():
        try:
            services.student_group_set(actor=request.user, student=student,
                                       group_name=form.cleaned_data["group_name"],
                                       teachers=form.cleaned_data["teachers"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("De groep en de leerkrachten zijn ingesteld."))
            return redirect("student_group", student_id=student.pk)
    return render(request, "cases/pupils/group_form.html", {
        "student": student, "form": form, "placement": placement,
        "school_year": school_year_label(year)})

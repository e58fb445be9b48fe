"""The pupil import in the browser: upload, dry run (with the column mapping), confirm.

For the AF of a school and the beheerder of its board. What the pages show is the
school's administration (names, groups, teachers), never dossier content."""

import json

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from cases import permissions
from cases.errors import DomainError
from cases.forms.pupils import MappingForm, UploadForm
from cases.models import PupilImport
from cases.services import imports as services
from cases.services.import_files import read_table, resolve_columns
from meldcode.workdays import school_year_label

PREVIEW_LIMIT = 200


def pupil_import_index(request):
    permissions.require(request.user, "pupil.import")
    schools = permissions.schools_for(request.user, "pupil.import").select_related("board")
    if len(schools) == 1:
        return redirect("pupil_import", school_id=schools[0].pk)
    return render(request, "cases/imports/index.html", {"schools": schools})


@require_http_methods(["GET", "POST"])
def pupil_import(request, school_id):
    school = permissions.get_school_for_import(request.user, school_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = services.import_upload(actor=request.user, school=school,
                                        filename=form.cleaned_data["file"].name,
                                        data=form.cleaned_data["file"].read())
        return redirect("pupil_import_preview", import_id=upload.pk)
    recent = PupilImport.objects.filter(school=school, status=PupilImport.Status.APPLIED)[:5]
    return render(request, "cases/imports/upload.html",
                  {"school": school, "form": form, "recent": recent})


def _mapping_form(upload, headers, data=None):
    columns, _missing = resolve_columns(headers, services.saved_mapping(upload.school))
    initial = {name: headers[i] for name, i in columns.items()}
    return MappingForm(data, headers=headers, initial_columns=initial)


def pupil_import_preview(request, import_id):
    upload = permissions.get_import_for_user(request.user, import_id)
    if upload.status != PupilImport.Status.PREVIEW:
        messages.info(request, _("Deze import is al verwerkt."))
        return redirect("pupil_import", school_id=upload.school_id)
    # The beheerder imports but does not see pupils: pupil numbers and groups only.
    show_names = permissions.can(request.user, "student.search", school=upload.school)
    context = {"upload": upload, "school": upload.school, "limit": PREVIEW_LIMIT,
               "show_names": show_names}
    data = bytes(upload.content)
    try:
        headers = read_table(data).headers
        context["mapping_form"] = _mapping_form(upload, headers)
        plan = services.import_plan(school=upload.school, data=data)
    except services.MissingColumns as error:
        context["error"] = error.message
        context["mapping_open"] = True
    except DomainError as error:
        context["error"] = error.message
    else:
        context.update(plan=plan, counts=plan.counts, expected=json.dumps(plan.counts),
                       school_year=school_year_label(plan.school_year))
    return render(request, "cases/imports/preview.html", context)


@require_POST
def pupil_import_mapping(request, import_id):
    upload = permissions.get_import_for_user(request.user, import_id)
    try:
        headers = read_table(bytes(upload.content)).headers
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("pupil_import", school_id=upload.school_id)
    form = _mapping_form(upload, headers, request.POST)
    if form.is_valid():
        services.import_mapping_save(actor=request.user, school=upload.school,
                                     columns=form.cleaned_data)
        messages.success(request, _("De kolomkoppeling is opgeslagen voor deze school."))
    else:
        for error in form.non_field_errors() or [_("Kies voor elk veld een kolom uit het "
                                                    "bestand.")]:
            messages.error(request, error)
    return redirect("pupil_import_preview", import_id=upload.pk)


@require_POST
def pupil_import_confirm(request, import_id):
    upload = permissions.get_import_for_user(request.user, import_id)
    try:
        expected = json.loads(request.POST.get("expected", ""))
    except ValueError:
        expected = None
    if not isinstance(expected, dict):
        messages.error(request, _("Bekijk eerst de proefimport."))
        return redirect("pupil_import_preview", import_id=upload.pk)
    try:
        plan = services.import_apply(actor=request.user, upload=upload, expected=expected)
    except DomainError as error:
        messages.error(request, error.message)
        if PupilImport.objects.filter(pk=upload.pk, status=PupilImport.Status.PREVIEW).exists():
            return redirect("pupil_import_preview", import_id=upload.pk)
        return redirect("pupil_import", school_id=upload.school_id)
    c = plan.counts
    messages.success(request, _(
        "De import is verwerkt: %(added)s toegevoegd, %(changed)s gewijzigd, %(left)s als "
        "vertrokken gemarkeerd, %(errors)s rijen overgeslagen.") % c)
    return redirect("pupil_import", school_id=upload.school_id)

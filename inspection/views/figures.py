"""The anonymised meldcode figures for directie (their school) and bestuur (their board,
or one school), and the yearly evaluation the directie writes beside them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from audit.services import audit
from inspection.forms.figures import EvaluationForm, FiguresForm
from inspection.models import SchoolYearEvaluation
from inspection.selectors.figures import board_figures, figures_rows, school_figures
from inspection.services.evaluations import evaluation_save
from inspection.views.common import csv_response, pdf_response
from meldcode.errors import DomainError
from meldcode.models import Board, Role, School
from meldcode.permissions import board_ids_with, can, require, roles_at, schools_for
from meldcode.workdays import school_year_bounds, school_year_label, school_year_of


def _selection(request):
    require(request.user, "figures.view")
    schools = list(schools_for(request.user, "figures.view").select_related("board"))
    boards = board_ids_with(request.user, Role.BESTUUR)
    form = FiguresForm(request.GET or None, schools=schools, board_wide=bool(boards))
    school, year = form.selection()
    start, end = form.period(year)
    if school is not None:
        figures = school_figures(school, start, end)
    else:
        board = Board.objects.get(pk=sorted(boards, key=str)[0])
        figures = board_figures(board, [s for s in schools if s.board_id == board.pk],
                                start, end)
    return form, school, year, figures


@require_GET
@never_cache
def figures(request):
    form, school, year, figures = _selection(request)
    evaluation = (SchoolYearEvaluation.objects.filter(school=school, school_year=year).first()
                  if school is not None else None)
    return render(request, "inspection/figures.html", {
        "form": form, "figures": figures, "school": school, "year": year,
        "year_label": school_year_label(year), "evaluation": evaluation,
        "may_evaluate": school is not None and can(request.user, "evaluation.edit",
                                                   school=school)})


@require_GET
@never_cache
def figures_export(request):
    form, school, year, figures = _selection(request)
    audit("figures.exported", actor=request.user, school=school,
          board=None if school else figures_board(request),
          actor_role=",".join(sorted(roles_at(request.user, school))) if school else Role.BESTUUR,
          data={"school_year": year})
    return csv_response(figures_rows(figures), "meldcodecijfers")


def figures_board(request):
    boards = board_ids_with(request.user, Role.BESTUUR)
    return sorted(boards, key=str)[0] if boards else None


def _school_for(request, school_id, capability):
    require(request.user, capability)
    try:
        return schools_for(request.user, capability).select_related("board").get(pk=school_id)
    except (School.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc


def _year(year: int) -> int:
    if year > school_year_of(timezone.localdate()) or year < 2000:
        raise Http404
    return year


@require_http_methods(["GET", "POST"])
@never_cache
def evaluation_edit(request, school_id, year):
    school = _school_for(request, school_id, "evaluation.edit")
    year = _year(year)
    record = SchoolYearEvaluation.objects.filter(school=school, school_year=year).first()
    initial = {"evaluatie": record.evaluation, "acties": record.actions} if record else None
    form = EvaluationForm(request.POST if request.method == "POST" else initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                evaluation_save(actor=request.user, school=school, school_year=year,
                                evaluation=form.cleaned_data["evaluatie"],
                                actions=form.cleaned_data["acties"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("De jaarevaluatie is vastgelegd."))
                return redirect(f"{redirect('figures').url}?scope={school.pk}&schooljaar={year}")
        status = 400
    return render(request, "inspection/evaluation_form.html", {
        "form": form, "school": school, "year": year, "year_label": school_year_label(year)},
        status=status)


@require_GET
@never_cache
def evaluation_pdf(request, school_id, year):
    school = _school_for(request, school_id, "figures.view")
    year = _year(year)
    start, end = school_year_bounds(year)
    audit("evaluation.printed", actor=request.user, school=school,
          actor_role=",".join(sorted(roles_at(request.user, school))),
          data={"school_year": year})
    return pdf_response("inspection/documents/evaluation.html", {
        "school": school, "year_label": school_year_label(year),
        "figures": school_figures(school, start, end),
        "evaluation": SchoolYearEvaluation.objects.filter(school=school,
                                                          school_year=year).first(),
        "printed_at": timezone.now()}, f"jaarevaluatie-{year}")

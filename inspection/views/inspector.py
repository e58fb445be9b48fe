"""The inspecteur's pages: only within a current grant (404 otherwise), every page
access-logged, exports audited and behind a fresh password + code."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessKind
from audit.selectors.keyset import Cursor, keyset_page
from audit.services import access_log, audit
from cases.models import Case
from inspection.forms.figures import FiguresForm
from inspection.forms.trail import TrailFilterForm
from inspection.selectors import content as content_sel
from inspection.selectors.cases import find_case, school_cases
from inspection.selectors.compliance import compliance_of
from inspection.selectors.figures import figures_rows, school_figures
from inspection.selectors.grants import get_grant_for_inspector, get_grant_school
from inspection.selectors.trail import grant_trail, trail_rows
from inspection.views.common import csv_response, pdf_response
from meldcode.models import Role
from meldcode.reauth import reauth_needed

CASES_PER_PAGE = 100
PARENTS = {"informed": _("ja, vooraf besproken"), "exception": _("nee, uitzondering"),
           "not_recorded": _("niet vastgelegd")}


def _logged(request, what, kind=AccessKind.READ, *, school=None, case=None):
    entry = access_log(user=request.user, what=what, kind=kind, case=case,
                       roles={Role.INSPECTEUR})
    if school is not None and case is None:
        entry.school_id = school.pk
    return entry


def _exported(request, grant, what: str, *, school=None):
    audit("inspection.exported", actor=request.user, subject=grant, school=school,
          board=grant.board_id, actor_role=Role.INSPECTEUR, data={"what": what})


@require_GET
@never_cache
def grant_home(request, grant_id):
    grant = get_grant_for_inspector(request.user, grant_id)
    _logged(request, "inspection.grant", AccessKind.LIST)
    return render(request, "inspection/grant_home.html", {"grant": grant})


@require_GET
@never_cache
def school_overview(request, grant_id, school_id):
    grant, school = get_grant_school(request.user, grant_id, school_id)
    rows = school_cases(school, grant.period_start, grant.period_end,
                        with_names=grant.include_names)
    _logged(request, "inspection.school", AccessKind.LIST, school=school)
    # The summary counts every case; the list shows them a page at a time.
    page = Paginator(rows, CASES_PER_PAGE).get_page(request.GET.get("pagina"))
    return render(request, "inspection/school_overview.html", {
        "grant": grant, "school": school, "rows": page.object_list, "page": page,
        "summary": compliance_of(rows), "parents": PARENTS})


@require_GET
@never_cache
def case_detail(request, grant_id, school_id, code):
    grant, school = get_grant_school(request.user, grant_id, school_id)
    case_id = find_case(school, grant.period_start, grant.period_end, code)
    if case_id is None:
        raise Http404
    row = school_cases(school, grant.period_start, grant.period_end,
                       with_names=grant.include_names, case_ids=[case_id])[0]
    case = Case.objects.select_related("school").get(pk=case_id)
    records = []
    if grant.include_content:
        records = content_sel.case_content(case)
        # Content leaves the pseudonymised view: the entry says so in what it names.
        _logged(request, "inspection.case.content", case=case)
    else:
        _logged(request, "inspection.case", case=case)
    # The case's own timeline of events (section "one case timeline"), as sentences and
    # roles; the field-level history is left out, since its values are dossier content.
    events = grant_trail(grant, school_ids=[school.pk], start=None, end=None).filter(
        case_id=case_id)
    page = keyset_page(events, Cursor.decode(request.GET.get("na")), 50, newest_first=False)
    return render(request, "inspection/case_detail.html", {
        "grant": grant, "school": school, "row": row, "records": records,
        "parents": PARENTS, "events": trail_rows(page.rows, with_names=grant.include_names),
        "next_cursor": page.next_cursor})


def _trail_form(request, grant):
    return TrailFilterForm(request.GET or None, grant=grant)


@require_GET
@never_cache
def trail(request, grant_id):
    grant = get_grant_for_inspector(request.user, grant_id)
    form = _trail_form(request, grant)
    _logged(request, "inspection.trail", AccessKind.SEARCH)
    page = keyset_page(grant_trail(grant, **form.filters()),
                       Cursor.decode(request.GET.get("na")), 50, newest_first=True)
    query = request.GET.copy()
    query.pop("na", None)
    return render(request, "inspection/trail.html", {
        "grant": grant, "form": form, "rows": trail_rows(page.rows,
                                                         with_names=grant.include_names),
        "next_cursor": page.next_cursor, "query": query.urlencode()})


TRAIL_HEADER = ["tijd", "school", "handeling", "actiecode", "rol", "persoon", "casus"]


# A PDF is read by people: the newest events of the filter, up to this many (the CSV has
# them all).
TRAIL_PDF_LIMIT = 1000


@require_GET
@never_cache
def trail_export(request, grant_id):
    grant = get_grant_for_inspector(request.user, grant_id)
    redirect = reauth_needed(request)
    if redirect is not None:
        return redirect
    form = _trail_form(request, grant)
    events = grant_trail(grant, **form.filters()).order_by("-occurred_at", "-id")
    as_pdf = request.GET.get("formaat") == "pdf"
    _logged(request, "inspection.trail.export", AccessKind.EXPORT)
    _exported(request, grant, "trail.pdf" if as_pdf else "trail")
    if as_pdf:
        rows = trail_rows(events[:TRAIL_PDF_LIMIT + 1], with_names=grant.include_names)
        return pdf_response("inspection/documents/trail.html", {
            "grant": grant, "rows": rows[:TRAIL_PDF_LIMIT], "limit": TRAIL_PDF_LIMIT,
            "cut": len(rows) > TRAIL_PDF_LIMIT, "printed_at": timezone.now()}, "auditspoor")

    def rows():
        yield TRAIL_HEADER
        chunk = []
        for event in events.iterator(chunk_size=2000):
            chunk.append(event)
            if len(chunk) == 2000:
                yield from _trail_csv(chunk, grant)
                chunk = []
        yield from _trail_csv(chunk, grant)

    return csv_response(rows(), "auditspoor")


def _trail_csv(events, grant):
    for r in trail_rows(events, with_names=grant.include_names):
        yield [timezone.localtime(r.when).strftime("%Y-%m-%d %H:%M:%S"), r.school, r.sentence,
               r.action, r.role, r.actor, r.case]


CASE_HEADER = ["casus", "route", "fase", "geopend", "gesloten", "stappen op volgorde",
               "termijnen gehaald", "termijnen gemist (dagen)", "uitkomst afwegingskader",
               "meldingen (norm)", "vier ogen", "ouders vooraf ingelicht", "monitoren gehouden",
               "heropend"]


def _yes_no(value) -> str:
    return "" if value is None else ("ja" if value else "nee")


def _case_csv(rows):
    yield CASE_HEADER
    for r in rows:
        yield [r.code, r.route, r.phase, r.opened_on.isoformat(),
               r.closed_on.isoformat() if r.closed_on else "", _yes_no(r.steps_in_order),
               sum(d.met for d in r.deadlines),
               " ".join(str(d.days_late) for d in r.deadlines if not d.met),
               "; ".join(r.outcomes), " ".join(m.norm for m in r.meldingen),
               " ".join(_yes_no(m.four_eyes) for m in r.meldingen),
               " ".join(str(PARENTS[m.parents]) for m in r.meldingen),
               _yes_no(r.monitoring_kept), " ".join(d.isoformat() for d in r.reopenings)]


@require_GET
@never_cache
def school_export(request, grant_id, school_id):
    grant, school = get_grant_school(request.user, grant_id, school_id)
    redirect = reauth_needed(request)
    if redirect is not None:
        return redirect
    rows = school_cases(school, grant.period_start, grant.period_end,
                        with_names=grant.include_names)
    as_pdf = request.GET.get("formaat") == "pdf"
    _logged(request, "inspection.school.export", AccessKind.EXPORT, school=school)
    _exported(request, grant, "school.pdf" if as_pdf else "school.csv", school=school)
    if as_pdf:
        return pdf_response("inspection/documents/school.html", {
            "grant": grant, "school": school, "rows": rows, "summary": compliance_of(rows),
            "parents": PARENTS, "printed_at": timezone.now()}, "inspectie")
    return csv_response(_case_csv(rows), "inspectie-casussen")


@require_GET
@never_cache
def grant_figures(request, grant_id):
    grant = get_grant_for_inspector(request.user, grant_id)
    form = FiguresForm(request.GET or None, schools=grant.schools.all(), board_wide=False)
    school, _year = form.selection()
    figures = school_figures(school, grant.period_start, grant.period_end)
    if request.GET.get("formaat") == "csv":
        redirect = reauth_needed(request)
        if redirect is not None:
            return redirect
        _logged(request, "inspection.figures.export", AccessKind.EXPORT, school=school)
        _exported(request, grant, "figures", school=school)
        return csv_response(figures_rows(figures), "meldcodecijfers")
    _logged(request, "inspection.figures", AccessKind.LIST, school=school)
    return render(request, "inspection/grant_figures.html", {
        "grant": grant, "form": form, "figures": figures, "school": school})

"""'Wie heeft het dossier van mijn kind ingezien': on a parent's request, the AF produces
for one pupil and a period the list of accesses, on screen, as CSV or as PDF.

The PDF is rendered in memory and never stored. Staff names appear only when the board
has chosen so (Board.access_report_shows_names); otherwise the roles and school say who.
Every production is audited as an export.
"""

from __future__ import annotations

import csv
import io

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessKind
from audit.selectors.access import PUPIL_REPORT_LIMIT, pupil_accesses
from audit.services import access_log, audit
from cases import permissions
from cases.forms.access_reports import AccessReportForm
from meldcode.models import Role
from meldcode.pdf import html_to_pdf

FORMATS = ("scherm", "csv", "pdf")


def _role_label(codes: str) -> str:
    labels = []
    for code in filter(None, codes.split(",")):
        try:
            labels.append(str(Role(code).label))
        except ValueError:
            labels.append(code)
    return ", ".join(labels) or _("onbekend")


def _rows(entries, with_names: bool) -> list[dict]:
    return [{
        "when": timezone.localtime(e.occurred_at),
        "role": _role_label(e.role),
        "school": e.school.name if e.school else "",
        "what": e.get_kind_display(),
        "name": (e.user.get_full_name() or e.user.username) if with_names else "",
    } for e in entries]


@require_GET
@never_cache
def student_access_report(request, student_id):
    student = permissions.get_student_for_user(request.user, student_id,
                                               "access_report.produce")
    form = AccessReportForm(request.GET)
    fmt = request.GET.get("formaat", "scherm")
    fmt = fmt if fmt in FORMATS else "scherm"
    if not form.is_valid():
        access_log(user=request.user, what="student.access_report", student=student)
        return render(request, "cases/access_reports/report.html",
                      {"student": student, "form": form, "rows": None}, status=200)
    start, end = form.cleaned_data["van"], form.cleaned_data["tot"]
    with_names = student.school.board.access_report_shows_names
    rows = _rows(pupil_accesses(student.pk, start, end, with_names=with_names), with_names)
    access_log(user=request.user, what=f"student.access_report.{fmt}",
               kind=AccessKind.READ if fmt == "scherm" else AccessKind.EXPORT,
               student=student)
    audit("student.access_report.produced", actor=request.user, subject=student,
          school=student.school, actor_role=Role.AANDACHTSFUNCTIONARIS,
          data={"format": fmt, "from": start.isoformat(), "to": end.isoformat(),
                "entries": len(rows), "names": with_names})
    context = {"student": student, "form": form, "rows": rows, "start": start, "end": end,
               "with_names": with_names, "truncated": len(rows) >= PUPIL_REPORT_LIMIT,
               "made_at": timezone.localtime(), "query": request.GET.urlencode()}
    filename = f"inzageoverzicht-{student.pupil_number or 'leerling'}-{start}-{end}"
    if fmt == "csv":
        return _csv(rows, with_names, filename)
    if fmt == "pdf":
        return _pdf(request, context, filename)
    return render(request, "cases/access_reports/report.html", context)


def _csv(rows, with_names, filename) -> HttpResponse:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, delimiter=";")
    header = [_("datum"), _("tijd"), _("rol"), _("school"), _("wat")]
    writer.writerow([*header, _("naam")] if with_names else header)
    for row in rows:
        line = [row["when"].strftime("%d-%m-%Y"), row["when"].strftime("%H:%M"), row["role"],
                row["school"], row["what"]]
        writer.writerow([*line, row["name"]] if with_names else line)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def _pdf(request, context, filename) -> HttpResponse:
    html = render_to_string("cases/access_reports/pdf.html", context, request=request)
    # Rendered in memory and handed out; no copy is kept on the server.
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response

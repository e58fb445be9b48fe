"""The access log for the bestuur: search it, export it as CSV. Reading it is itself
logged (and exporting audited): who reviews the log is part of the log."""

from __future__ import annotations

import csv

from django.db.models import Exists, OuterRef
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.forms.access import AccessSearchForm
from audit.models import AccessKind, UnusualAccessReport
from audit.selectors.access import access_entries, access_page
from audit.selectors.keyset import Cursor
from audit.services import access_log, audit
from meldcode.models import Membership, Role, User
from meldcode.permissions import board_ids_with, require

CSV_HEADER = ["tijd", "persoon", "gebruikersnaam", "rol", "soort", "wat", "uitkomst",
              "school", "casus", "leerling", "adres", "volgnummer"]


def _form(request):
    require(request.user, "access_log.view")
    boards = board_ids_with(request.user, Role.BESTUUR)
    people = User.objects.filter(Exists(Membership.objects.filter(
        user=OuterRef("pk"), board_id__in=boards))).order_by("last_name", "first_name")
    return AccessSearchForm(request.GET or None, people=people, board_ids=boards), boards


@require_GET
@never_cache
def access_log_search(request):
    form, boards = _form(request)
    access_log(user=request.user, what="access_log.search", kind=AccessKind.SEARCH)
    page = access_page(form.to_filter(), Cursor.decode(request.GET.get("na")))
    query = request.GET.copy()
    query.pop("na", None)
    return render(request, "audit/access_log.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "reports": UnusualAccessReport.objects.filter(board_id__in=boards)
        .select_related("user")[:20],
    })


class _Echo:
    """csv.writer writes into this; each row is handed straight to the response."""

    def write(self, value):
        return value


def _csv_rows(entries):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    yield writer.writerow(CSV_HEADER)
    for e in entries.iterator(chunk_size=2000):
        yield writer.writerow([
            timezone.localtime(e.occurred_at).strftime("%Y-%m-%d %H:%M:%S"),
            e.user.get_full_name(), e.user.username, e.role, e.get_kind_display(), e.what,
            e.get_outcome_display(), e.school.name if e.school else "", e.case_id or "",
            e.student_id or "", e.ip_address or "", e.sequence,
        ])


@require_GET
@never_cache
def access_log_export(request):
    form, boards = _form(request)
    selected = form.to_filter()
    access_log(user=request.user, what="access_log.export", kind=AccessKind.EXPORT)
    # Leaving the system: audited with what was selected (ids and codes only).
    audit("access_log.exported", actor=request.user, actor_role=Role.BESTUUR,
          board=next(iter(boards)) if len(boards) == 1 else None,
          data={"people": list(selected.user_ids), "kind": selected.kind,
                "outcome": selected.outcome,
                "case": str(selected.case_id) if selected.case_id else None,
                "from": selected.start.isoformat() if selected.start else None,
                "to": selected.end.isoformat() if selected.end else None})
    response = StreamingHttpResponse(_csv_rows(access_entries(selected)),
                                     content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="inzagelog-{stamp}.csv"'
    return response

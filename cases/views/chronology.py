"""The case chronology (screen and print).

Pages here carry dossier content, so browsers are told not to keep them
(`never_cache`): school computers are shared.
"""


from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audit.models import AccessKind
from audit.services import access_log, audit
from cases import permissions
from cases.forms.chronology import ChronologyFilterForm, authors_of
from cases.selectors.chronology import (
    Cursor,
    chronology,
    chronology_authors,
    page,
    record_entry,
    source,
    sources,
)
from meldcode.reauth import reauth_needed


def _filtered_chronology(request, case):
    # Every source runs once; the filters work on the result, so the person list offers
    # everyone who appears in the whole chronology, whatever kinds are ticked.
    entries = chronology(case)
    form = ChronologyFilterForm(request.GET, kinds=_kinds(), authors=authors_of(entries))
    return form, form.apply(entries)


def _kinds():
    return [(s.kind, s.label) for s in sources()]


# One page of the chronology on screen; the print view and the PDF hold everything.
PAGE_SIZE = 50


def _anchors(entries) -> set[str]:
    return {entry.anchor for entry in entries if entry.anchor}


@require_GET
@never_cache
def case_chronology(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    access_log(user=request.user, what="case.chronology", case=case)
    form = ChronologyFilterForm(request.GET, kinds=_kinds(), authors=chronology_authors(case))
    # Keyset pages in date order ("na" = after this entry): stable while records are
    # added, and each page costs the same for a case with 20 records or 2,000.
    shown = page(case, kinds=form.selected_kinds(), author_id=form.selected_author_id(),
                 after=Cursor.decode(request.GET.get("na")), limit=PAGE_SIZE)
    form.add_authors(authors_of(shown.entries))
    query = request.GET.copy()
    query.pop("na", None)
    return render(request, "cases/chronology/chronology.html", {
        "case": case, "form": form, "entries": shown.entries,
        "anchors": _anchors(shown.entries), "query": query.urlencode(),
        "next_cursor": shown.next_cursor.encode() if shown.next_cursor else "",
        "later_page": "na" in request.GET,
    })


@require_GET
@never_cache
def case_chronology_print(request, case_id):
    case = permissions.get_case_for_user(request.user, case_id, "view")
    # Dossier content leaves the system on paper: password and code first.
    if (confirm_first := reauth_needed(request)) is not None:
        return confirm_first
    form, entries = _filtered_chronology(request, case)
    author_id = form.selected_author_id()
    access_log(user=request.user, what="case.chronology.print", kind=AccessKind.PRINT,
               case=case)
    # A print leaves the system: it is recorded as an export, with what was selected.
    audit("case.chronology.printed", actor=request.user, subject=case, case=case,
          actor_role=",".join(sorted(case.acting_roles)),
          data={"kinds": form.selected_kinds(), "author": author_id,
                "entries": len(entries)})
    labels = dict(form.fields["soort"].choices)
    person_label = dict(form.fields["persoon"].choices)[str(author_id)] if author_id else ""
    return render(request, "cases/chronology/print.html", {
        "case": case, "form": form, "entries": entries, "anchors": _anchors(entries),
        "printed_at": timezone.now(),
        "filtered": form.is_filtered(),
        "kind_labels": [labels[kind] for kind in form.selected_kinds()],
        "person_label": person_label,
        "query": request.GET.urlencode(),
    })



@require_GET
@never_cache
def case_record(request, case_id, kind, record_id):
    """One record of the dossier with every field, whatever its kind: what the chronology
    summarises in a line. Whoever may read the chronology may read its records."""
    case = permissions.get_case_for_user(request.user, case_id, "view")
    entry = record_entry(case, kind, record_id)
    if entry is None:
        raise Http404
    access_log(user=request.user, what=f"case.record.{kind}", case=case)
    return render(request, "cases/chronology/record.html", {
        "case": case, "entry": entry, "kind_label": source(kind).label,
    })

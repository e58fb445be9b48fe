"""Read side of the right of access: a case's requests, the dossier's records to choose
from when withholding, and the parents' corrections and statements as chronology entries
(so that they are part of the dossier, its page and its print)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import WorkNote
from cases.selectors.chronology import (
    Entry,
    Indexed,
    chronology,
    day,
    fields,
    register_source,
    sources,
    windowed,
)
from meldcode.workdays import day_label
from privacy.models import WORKNOTES_KIND, AccessRequest, ParentResponse


def requests_of(case) -> list[AccessRequest]:
    return list(AccessRequest.objects.filter(case=case)
                .select_related("carer", "recorded_by", "prepared_by", "approved_by"))


def withheld_map(request: AccessRequest) -> dict[tuple[str, str], str]:
    """What `render_dossier_pdf` needs: (record kind, record pk) → the recorded reason."""
    return {(item.record_kind, item.record_pk): item.reason for item in request.withheld.all()}


def not_included(request: AccessRequest) -> list[tuple[str, str]]:
    """What the copy leaves out that is no record of its chronology, as (label, why) for
    `render_dossier_pdf`'s list: the work notes, withheld or given by their authors."""
    if request.worknotes == AccessRequest.WorkNotes.WITHHELD:
        return [(item.record_label, item.reason)
                for item in request.withheld.filter(record_kind=WORKNOTES_KIND)]
    if request.worknotes == AccessRequest.WorkNotes.GIVEN:
        return [(worknotes_label(request.worknotes_count or 0),
                 _("Niet in dit afschrift: de auteurs geven hun werkaantekeningen zelf aan "
                   "de aanvrager (vastgelegd op %(day)s).")
                 % {"day": day_label(request.worknotes_recorded_at)})]
    return []


def worknote_count(case) -> int:
    """How many work notes the case has, of every author. Their number, never their
    text: the AF handles the request but reads no one else's notes."""
    return WorkNote.objects.filter(case=case).count()


def worknotes_label(count: int) -> str:
    """The content-free label of the case's work notes in the list of withheld items."""
    return _("Werkaantekeningen (%(count)s)") % {"count": count}


def dossier_records(case) -> list[tuple[Entry, str]]:
    """Every record of the dossier as the copy would show it, with its kind's label."""
    labels = {source.kind: str(source.label) for source in sources()}
    return [(entry, labels.get(entry.kind, entry.kind)) for entry in chronology(case)]


def record_label(entry: Entry, kind_label: str) -> str:
    return f"{kind_label}: {entry.title} ({day(entry.when)})"[:300]


@register_source("parent_response", gettext_lazy("Reacties van ouders na inzage"),
                 models=(ParentResponse,),
                 index=(Indexed(ParentResponse, case="request__case"),))
def parent_response_entries(case, window=None):
    responses = windowed(ParentResponse.objects.filter(request__case=case)
                         .select_related("recorded_by", "request"), window)
    for response in responses:
        yield Entry(when=response.recorded_at, kind="parent_response",
                    author=response.recorded_by, title=response.get_kind_display(),
                    summary=response.text[:200], obj=response,
                    body=fields((_("Soort"), response.get_kind_display()),
                                (_("Over"), response.about), (_("Tekst"), response.text),
                                (_("Uitkomst"), response.get_outcome_display()),
                                (_("Na inzage van"), day(response.request.received_on))))

"""The whole dossier of a case as one PDF (WeasyPrint), for an inspector, a court or the
parents' right of access.

Every record of every kind, in full, in date order: the chronology's sources (each app
registers its own, cases/selectors/chronology.py) with each record's `body`, the
observations with their statements (hypotheses marked), third-party sources, body map and
attachment names, and a melding's content. Never a werkaantekening: those are no source of
the chronology, and nothing else is read here.

`render_dossier_pdf` needs no request, so it also runs in a background job; it only
renders. Whoever hands the result out records it: `dossier_print` for the "Dossier
afdrukken" download audits the print in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import bodymap, workflow
from cases.selectors.chronology import Entry, chronology, sources
from decisions.models import Report
from decisions.selectors import reports as report_sel
from decisions.services.documents import letterhead
from meldcode.pdf import html_to_pdf

TEMPLATE = "decisions/documents/dossier.html"


@dataclass
class Item:
    """One record as the printed dossier shows it, or the note that it was withheld."""

    entry: Entry
    label: str
    withheld: str = ""
    marks: dict | None = None
    injuries: list = field(default_factory=list)
    report: dict | None = None


def _item(entry: Entry, label: str, reason: str | None) -> Item:
    if reason is not None:
        return Item(entry=entry, label=label, withheld=reason or _("geen reden opgegeven"))
    item = Item(entry=entry, label=label)
    injuries = getattr(entry.obj, "injuries", None)
    if entry.kind == "observation" and injuries is not None:
        item.injuries = list(injuries.all())
        if item.injuries:
            # The number sits in the circle: SVG text is placed by its baseline.
            item.marks = {side: [{"number": p.number, "cx": p.cx, "cy": p.cy,
                                  "ty": round(p.cy + 4, 1)} for p in placed]
                          for side, placed in bodymap.placed_marks(item.injuries).items()}
    if isinstance(entry.obj, Report):
        item.report = {"report": entry.obj, **report_sel.report_detail(entry.obj)}
    return item


def dossier_items(case, withheld: Mapping[tuple[str, str], str] | None = None) -> list[Item]:
    """Every record of the case, oldest first; a withheld one keeps its place, empty."""
    withheld = withheld or {}
    labels = {source.kind: str(source.label) for source in sources()}
    return [_item(entry, labels.get(entry.kind, entry.kind), withheld.get(entry.key))
            for entry in chronology(case)]


def render_dossier_pdf(*, case, printed_by,
                       withheld: Mapping[tuple[str, str], str] | None = None,
                       not_included: Sequence[tuple[str, str]] = ()) -> bytes:
    """The dossier of `case` as PDF bytes, printed by `printed_by` now.

    `withheld` maps (record kind, record pk as str) — an Entry's `key` — to the reason it
    is left out: in its place stands "Niet opgenomen" with the reason, and the end of the
    document lists every record left out. `not_included` adds (label, reason) pairs to
    that list for parts of the answer that are no record of the chronology and so have no
    place of their own (the work notes of a right-of-access request); the caller gives a
    label without content. Renders only: the caller audits."""
    items = dossier_items(case, withheld)
    html = render_to_string(TEMPLATE, {
        "case": case, "items": items, "withheld_items": [i for i in items if i.withheld],
        "not_included": list(not_included),
        "letterhead": letterhead(case.school), "printed_by": printed_by,
        "printed_at": timezone.now(),
    })
    return html_to_pdf(html)


@transaction.atomic
def dossier_print(*, actor, case) -> bytes:
    """"Dossier afdrukken": the whole dossier leaves the system on paper, audited."""
    pdf = render_dossier_pdf(case=case, printed_by=actor)
    audit("case.dossier.printed", actor=actor, subject=case, case=case,
          actor_role=",".join(sorted(workflow.user_roles(actor, case))),
          data={"document": "dossier"})
    return pdf

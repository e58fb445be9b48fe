"""Documents of steps 4-5 as PDF (WeasyPrint): the melding, the letter to the parents about
it, and the record of the weighing. A4, Dutch, page numbers and a "Vertrouwelijk" footer.

Generated on demand in memory and never written to disk; every download is audited as a
print (and access-logged by the view). No document ever contains a werkaantekening: the
templates are given only the records named here.
"""

from __future__ import annotations

import base64

from django.template.loader import render_to_string
from django.utils import timezone

from audit.services import audit
from cases import workflow
from decisions.models import Report
from decisions.selectors import reports as report_sel
from decisions.selectors import weighing as weighing_sel
from meldcode.pdf import html_to_pdf

KINDS = {"melding": "decisions/documents/report.html",
         "brief_ouders": "decisions/documents/letter.html",
         "weging": "decisions/documents/weighing.html"}


def letterhead(school) -> dict:
    logo = None
    if school.logo:
        logo = f"data:{school.logo_type};base64,{base64.b64encode(bytes(school.logo)).decode()}"
    return {"name": school.letterhead_name or school.name, "address": school.address,
            "logo": logo}


def letter_addressees(case) -> list:
    """Every carer with gezag, unless a recorded safety note keeps them out."""
    return [c for c in case.student.carers.all() if c.has_gezag and not c.safety_note.strip()]


def _render(kind: str, context: dict) -> bytes:
    html = render_to_string(KINDS[kind], context)
    return html_to_pdf(html)


def _printed(actor, case, kind, subject):
    audit("document.printed", actor=actor, subject=subject, case=case,
          actor_role=",".join(sorted(workflow.user_roles(actor, case))),
          data={"document": kind})


def report_pdf(*, actor, report: Report) -> bytes:
    case = report.case
    context = {"report": report, "case": case, "letterhead": letterhead(case.school),
               "printed_by": actor, "printed_at": timezone.now(),
               **report_sel.report_detail(report)}
    pdf = _render("melding", context)
    _printed(actor, case, "melding", report)
    return pdf


def letter_pdf(*, actor, report: Report, signer) -> bytes:
    case = report.case
    context = {"report": report, "case": case, "letterhead": letterhead(case.school),
               "addressees": letter_addressees(case), "signer": signer,
               "sending": getattr(report, "sending", None), "today": timezone.localdate()}
    pdf = _render("brief_ouders", context)
    _printed(actor, case, "brief_ouders", report)
    return pdf


def weighing_pdf(*, actor, case) -> bytes:
    weighing = weighing_sel.current_weighing(case)
    context = {"case": case, "weighing": weighing, "letterhead": letterhead(case.school),
               "printed_by": actor, "printed_at": timezone.now()}
    if weighing is not None:
        context["path"] = weighing_sel.path_of(weighing)
        context["decisions"] = weighing_sel.decisions_of(weighing)
    pdf = _render("weging", context)
    _printed(actor, case, "weging", weighing or case)
    return pdf

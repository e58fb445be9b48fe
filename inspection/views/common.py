"""Shared by the inspection views: CSV downloads and PDFs."""

from __future__ import annotations

import csv

from django.http import HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from meldcode.pdf import html_to_pdf


class _Echo:
    """csv.writer writes into this; each row is handed straight to the response."""

    def write(self, value):
        return value


def _lines(rows):
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff"  # so that spreadsheet programs read the file as UTF-8
    for row in rows:
        yield writer.writerow(row)


def csv_response(rows, name: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(_lines(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.csv"'
    return response


def pdf_response(template: str, context: dict, name: str) -> HttpResponse:
    pdf = html_to_pdf(render_to_string(template, context))
    response = HttpResponse(pdf, content_type="application/pdf")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{name}-{stamp}.pdf"'
    return response

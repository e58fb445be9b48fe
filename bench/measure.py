"""The measurements of bench/run.py; imported once Django is set up on the board."""

from __future__ import annotations

import io
import json
import statistics
import time
from urllib.parse import urlencode

from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import get_resolver, reverse
from django.utils import timezone
from pypdf import PdfReader
from weasyprint import HTML

from bench import load
from bench.run import DECISION_ROWS, NOT_DATA, PDF_ROWS, RESULTS, ROW_FOLLOWED, summary
from cases.models import Case, Observation, Phase, Statement
from cases.services import documents as document_services
from cases.services import observations as observation_services
from cases.services import workflow as workflow_services
from inspection.selectors.cases import case_code
from meldcode.models import User
from tests.matrix import ALL_ROWS
from tests.two_factor import TwoFactorClient

FLOOR = "/bench/floor/"
# Who requests a page: the AF of the heaviest school where the AF may, else the first of
# these who may (beheer pages: the beheerder; the access log: the bestuur; a draft: the
# teacher who wrote it).
PERSONAS = ("af", "directie", "beheerder", "bestuur", "inspecteur", "teacher")
# The matrix persona each stands for, where the names differ.
MATRIX_PERSONA = {"teacher": "teacher_on_case"}
# Pages of another case than the one with 20 observations: the case with the sent melding
# (steps 4-5, and what was handed over from it), the case with the attachment and draft.
MELDING_CASE_ROWS = DECISION_ROWS | {"case_record", "access_request_detail",
                                     "access_request_export", "disclosure_pdf"}
FILES_CASE_ROWS = {"observation_edit", "attachment_download"}


class _Rollback(Exception):
    pass


def board_info(database: str) -> dict:
    return json.loads((RESULTS / f"board-{database}.json").read_text())


def _kwargs(name: str, params: list[str], info: dict):
    """URL kwargs from the generated board, or None when the board has no such object."""
    if name in MELDING_CASE_ROWS:
        case = info["melding_case"]
    elif name in FILES_CASE_ROWS:
        case = info.get("files_case")
    else:
        case = info["case_20"]
    known = {"case_id": case, "student_id": info["student_id"],
             "school_id": info["school_id"], "report_id": info["report_id"],
             "board_id": info["board_id"], "user_id": info["teacher_id"],
             # The objects of bench/objects.py (absent from a board made before them).
             "grant_id": info.get("inspection_grant"), "item_id": info.get("destruction_item"),
             "request_id": info.get("access_request"), "disclosure_id": info.get("disclosure"),
             "job_id": info.get("document_job"), "import_id": info.get("pupil_import"),
             "attachment_id": info.get("attachment_id"), "year": info.get("school_year"),
             "code": info.get("catalog_band"), "version": info.get("catalog_version"),
             "signal_id": info.get("catalog_signal"),
             # case_record: the melding case's first conclusion; case_workflow_form: the
             # conclusion of step 1 on the case with 20 observations (ROW_FOLLOWED).
             "kind": "conclusion", "record_id": info.get("conclusion_id"),
             "action": "conclude_doubt"}
    if name == "inspection_case":
        # The pseudonym is keyed with SECRET_KEY, which every run sets afresh.
        known["code"] = case_code(info["melding_case"])
    if name in ("carer_list", "carer_add", "carer_edit", "student_group"):
        known["student_id"] = info["melding_student"]
        known["carer_id"] = info["carer_id"]
    if name == "observation_edit":
        known["observation_id"] = info.get("draft_id")
    elif "observation_id" in params:
        known["observation_id"] = str(Observation.objects.filter(case_id=info["case_20"])
                                      .values_list("pk", flat=True).first())
    if "student_id" in params and name == "student_access_report":
        known["student_id"] = info["melding_student"]
    known = {key: value for key, value in known.items() if value is not None}
    if not set(params) <= set(known):
        return None
    return {p: known[p] for p in params}


def pages(info: dict, only: set[str]) -> tuple[list[dict], list[dict]]:
    """(timed pages, rows left out and why) for the AF of the heaviest school."""
    resolver = get_resolver()
    chosen, skipped, followed = [], [], {}
    for row in ALL_ROWS:  # per URL name its first GET row, or the one ROW_FOLLOWED names
        if row.method == "get" and (row.name not in followed
                                    or row.id == ROW_FOLLOWED.get(row.name)):
            followed[row.name] = row
    for row in followed.values():
        if only and row.name not in only:
            continue
        if row.name in NOT_DATA:
            continue
        persona = next((p for p in PERSONAS
                        if row.expect.get(MATRIX_PERSONA.get(p, p)) == 200), None)
        if persona is None:
            skipped.append({"name": row.name, "why": "no generated persona may see it"})
            continue
        params = resolver.reverse_dict.getlist(row.name)[0][0][0][1]
        kwargs = _kwargs(row.name, params, info)
        if kwargs is None:
            skipped.append({"name": row.name, "why": "no such object on the board"})
            continue
        url = reverse(row.name, kwargs=kwargs)
        query = row.query
        if row.name in PDF_ROWS:
            if row.name == "student_access_report":
                query = "formaat=pdf"
            chosen.append({"name": row.name, "label": PDF_ROWS[row.name], "pdf": True,
                           "persona": persona,
                           "url": url + (f"?{query}" if query else "")})
            continue
        label = row.name if persona == "af" else f"{row.name} ({persona})"
        chosen.append({"name": row.name, "label": label, "persona": persona,
                       "url": url + (f"?{query}" if query else "")})
        if row.name == "case_list":
            chosen.append({"name": row.name, "label": "case_list, page 40", "persona": "af",
                           "url": url + "?" + urlencode({"pagina": 40})})
        if row.name in ("case_detail", "case_chronology"):
            big = reverse(row.name, kwargs={"case_id": info["case_big"]})
            chosen.append({"name": row.name, "url": big, "persona": "af",
                           "label": f"{row.name}, {info['case_big_observations']} "
                                    f"observations"})
    for page in chosen:
        if page["label"] in ("case_detail", "case_chronology"):
            page["label"] = f"{page['label']}, 20 observations"
    return chosen, skipped


def _client(username: str) -> TwoFactorClient:
    client = TwoFactorClient(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=username))
    client.confirm_recent_auth()
    return client


def _timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return time.perf_counter() - started, response


def time_pages(info: dict, requests: int, only: set[str]) -> dict:
    clients = {p: _client(info["people"][p]) for p in PERSONAS}
    client = clients["af"]
    chosen, skipped = pages(info, only)
    for page in chosen:  # warm up, check the status, count queries once
        client = clients[page["persona"]]
        if requests > 1:
            client.get(page["url"])
        with CaptureQueriesContext(connection) as queries:
            _, response = _timed(client, page["url"])
        page["status"] = response.status_code
        page["queries"] = len(queries)
        page["bytes"] = len(response.content) if not response.streaming else 0
        if page.get("pdf") and response.status_code == 200:
            page["pdf_pages"] = len(PdfReader(io.BytesIO(response.content)).pages)
        client.confirm_recent_auth()
    client = clients["af"]
    with CaptureQueriesContext(connection) as queries:
        client.get(FLOOR)
    floor_queries = len(queries)
    live = [p for p in chosen if p["status"] == 200]
    floor_times, times = [], {p["label"]: [] for p in live}
    for i in range(requests):
        for page in live:
            floor_times.append(_timed(client, FLOOR)[0])
            elapsed, response = _timed(clients[page["persona"]], page["url"])
            times[page["label"]].append(elapsed)
            if page.get("pdf") and response.status_code == 200 and i == requests // 2:
                # Counted again half-way, where the median lies: a PDF that lists accesses
                # (the access report) grows with every request of the run, which logs one.
                page["pdf_pages"] = len(PdfReader(io.BytesIO(response.content)).pages)
        if i % 10 == 9:
            for each in clients.values():
                each.confirm_recent_auth()  # the PDFs want a recent password + code
    floor = summary(floor_times)
    result = {"floor": {**floor, "queries": floor_queries}, "pages": [], "skipped": skipped}
    for page in chosen:
        entry = {k: page[k] for k in ("name", "label", "persona", "url", "status", "queries",
                                      "bytes")}
        entry["pdf_pages"] = page.get("pdf_pages")
        entry["pdf"] = bool(page.get("pdf"))
        if page["status"] == 200:
            entry.update(summary(times[page["label"]]))
            entry["x_floor"] = round(entry["median_ms"] / floor["median_ms"], 2)
        result["pages"].append(entry)
    return result


def pdf_floor(pages_wanted: int, repeats: int = 5) -> dict:
    """WeasyPrint on a plain HTML of the same number of A4 pages: the PDF floor."""
    paragraph = "<p>" + "Een regel platte tekst voor de vergelijking. " * 12 + "</p>"
    for per_page in range(7, 0, -1):  # as full as a page gets without running over
        body = "".join(f'<section style="page-break-after: always">{paragraph * per_page}'
                       "</section>" for _ in range(pages_wanted))
        html = (f"<html><head><style>@page {{ size: A4 }}</style></head><body>{body}"
                "</body></html>")
        if len(PdfReader(io.BytesIO(HTML(string=html).write_pdf())).pages) <= pages_wanted:
            break
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        content = HTML(string=html).write_pdf()
        times.append(time.perf_counter() - started)
    return {**summary(times), "pages": len(PdfReader(io.BytesIO(content)).pages)}


def time_writes(info: dict, repeats: int) -> dict:
    """Service against a bare write of the same row, each rolled back."""
    af = User.objects.get(username=info["af"])
    case = Case.objects.get(pk=info["case_20"])

    def once(action) -> tuple[float, int]:
        try:
            with transaction.atomic():
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    action()
                    elapsed = time.perf_counter() - started
                raise _Rollback
        except _Rollback:
            pass
        return elapsed, len(queries)

    def transition():
        workflow_services.conclusion_record(actor=af, case=case, outcome="twijfel_bevestiging",
                                            argumentation="Meerdere signalen in korte tijd.")

    def bare_update():
        Case.objects.filter(pk=case.pk).update(phase=Phase.CONSULTATIE,
                                               phase_changed_at=timezone.now())

    def submit():
        draft = Observation.objects.create(case=case, author_id=case.opened_by_id,
                                           status=Observation.Status.DRAFT, place="Klas",
                                           situation="Tijdens de les.")
        Statement.objects.create(observation=draft, kind="feit", text="Kwam te laat.")
        author = User.objects.get(pk=case.opened_by_id)
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            observation_services.observation_submit(actor=author, observation=draft)
        submit.last = (time.perf_counter() - started, len(queries))

    def bare_insert():
        Observation.objects.create(case=case, author_id=case.opened_by_id,
                                   status=Observation.Status.SUBMITTED, place="Klas",
                                   situation="Tijdens de les.", submitted_at=timezone.now())

    results = {}
    for name, action, bare in (("workflow transition (conclusion phase 1)", transition,
                                bare_update),
                               ("observation submit", submit, bare_insert)):
        own, base, queries = [], [], 0
        for _ in range(repeats):
            elapsed, count = once(action)
            if action is submit:
                elapsed, count = submit.last
            own.append(elapsed)
            queries = count
            base.append(once(bare)[0])
        entry = {"service": summary(own), "bare": summary(base), "queries": queries}
        entry["x_bare"] = round(entry["service"]["median_ms"] / entry["bare"]["median_ms"], 2)
        results[name] = entry
    return results


def time_documents(info: dict, repeats: int = 3) -> dict:
    """Every registered document kind (cases/services/documents.py: the dossier, once it
    registers) rendered for the case with the most observations, against the PDF floor."""
    case = Case.objects.select_related("school", "student").get(pk=info["case_big"])
    af = User.objects.get(username=info["af"])
    results = {}
    for kind, entry in document_services.RENDERERS.items():
        if entry.render.__module__ == "tests.matrix.documents":
            continue  # the permission matrix's stand-in, not a document
        kwargs = {"case": case, "printed_by": af}
        if entry.takes_progress:
            kwargs["progress"] = lambda percent: None
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            content = entry.render(**kwargs)
            times.append(time.perf_counter() - started)
        pages = len(PdfReader(io.BytesIO(content)).pages)
        floor = pdf_floor(pages, repeats=repeats)
        results[kind] = {"label": str(entry.label), "pages": pages, **summary(times),
                         "floor_ms": floor["median_ms"],
                         "x_pdf_floor": round(statistics.median(times) * 1000
                                              / floor["median_ms"], 2)}
    return results


def run_all(args, info: dict | None = None) -> dict:
    info = info or board_info(args.database)
    only = {n for n in args.only.split(",") if n}
    with override_settings(ROOT_URLCONF="bench.urls"):
        started = time.monotonic()
        result = {"label": args.label, "board": info, "started": timezone.now().isoformat()}
        result["pages"] = time_pages(info, args.requests, only)
        print(f"pages: {time.monotonic() - started:.0f} s", flush=True)
        wanted = sorted({p["pdf_pages"] for p in result["pages"]["pages"]
                         if p.get("pdf_pages")} | {3})
        result["pdf_floor"] = {str(n): pdf_floor(n) for n in wanted}
        for page in result["pages"]["pages"]:
            if page.get("pdf_pages") and page.get("median_ms"):
                floor = result["pdf_floor"][str(page["pdf_pages"])]["median_ms"]
                page["x_pdf_floor"] = round(page["median_ms"] / floor, 2)
        result["writes"] = time_writes(info, max(5, min(args.requests, 30)))
        result["documents"] = time_documents(info)
        print(f"writes: {time.monotonic() - started:.0f} s", flush=True)
    if args.load_seconds > 0:
        result["load"] = load.run(info, args, database=args.database)
        print(f"load: {time.monotonic() - started:.0f} s", flush=True)
    result["observations_per_case"] = list(
        Observation.objects.values("case_id").annotate(n=Count("id")).order_by("-n")
        .values_list("n", flat=True)[:3])
    result["finished"] = timezone.now().isoformat()
    return result

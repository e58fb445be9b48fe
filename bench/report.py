"""Compare the runs of bench/run.py (small and big board) against the targets of issue 15.

    python bench/report.py [--small small] [--big big]

Writes bench/results/latest.md and bench/results/latest.json and prints the Markdown.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
TARGETS = {"x_floor": 3.0, "growth": 1.2, "load_share": 0.5, "x_bare": 2.0, "x_pdf": 1.5}


def _load(label: str) -> dict | None:
    path = RESULTS / f"run-{label}.json"
    return json.loads(path.read_text()) if path.exists() else None


def _verdict(ok: bool) -> str:
    return "met" if ok else "**not met**"


def combine(small: dict | None, big: dict) -> dict:
    before = {p["label"]: p for p in (small or {}).get("pages", {}).get("pages", [])}
    pages = []
    for page in big["pages"]["pages"]:
        entry = dict(page)
        old = before.get(page["label"])
        entry["small_median_ms"] = old.get("median_ms") if old else None
        entry["small_queries"] = old.get("queries") if old else None
        if old and old.get("median_ms") and page.get("median_ms"):
            entry["growth"] = round(page["median_ms"] / old["median_ms"], 2)
        pages.append(entry)
    timed = [p for p in pages if p.get("median_ms") and not p["pdf"]]
    pdfs = [p for p in pages if p.get("x_pdf_floor")]
    pdfs += list(big.get("documents", {}).values())
    writes = big.get("writes", {})
    # Per target: met or not, and what misses it with its measured figure (worst first).
    def over(rows, value, limit, label=lambda r: r["label"]):
        missed = sorted(((value(r), label(r)) for r in rows if value(r) > limit), reverse=True)
        return not missed, [f"{name} {figure}×" for figure, name in missed]

    checks = {
        "every page <= 3x the floor (median)": over(
            timed, lambda p: p["x_floor"], TARGETS["x_floor"]),
        "no page grows more than 1.2x small -> big": over(
            timed, lambda p: p.get("growth", 1), TARGETS["growth"]) if small else None,
        "same query count on both boards": (not (differ := [
            f"{p['label']} {p['small_queries']} → {p['queries']}" for p in pages
            if p["small_queries"] not in (None, p["queries"])]), differ) if small else None,
        "transition <= 2x the bare update": over(
            [dict(w, label=k) for k, w in writes.items() if "transition" in k],
            lambda w: w["x_bare"], TARGETS["x_bare"]),
        "every PDF <= 1.5x WeasyPrint's floor": over(
            pdfs, lambda p: p["x_pdf_floor"], TARGETS["x_pdf"],
            label=lambda p: str(p["label"])) if pdfs else None,
    }
    if "load" in big:
        load = big["load"]
        checks["mixed pages >= half the floor's throughput"] = (
            load["mixed_vs_floor"] >= TARGETS["load_share"],
            [f"mixed pages {load['mixed_vs_floor']}× the floor's requests/s"])
        errors = load["mixed"]["errors"] + load["floor"]["errors"]
        checks["no errors under load"] = (errors == 0, [f"{errors} errors"])
    return {"small": small and small["board"]["counts"], "big": big["board"]["counts"],
            "floor": {"small": small and small["pages"]["floor"], "big": big["pages"]["floor"]},
            "pages": pages, "skipped": big["pages"]["skipped"], "writes": writes,
            "pdf_floor": big.get("pdf_floor"), "load": big.get("load"),
            "documents": big.get("documents", {}), "checks": checks}


def markdown(data: dict) -> str:
    lines = ["# Benchmark (bench/, `make bench`)", ""]
    lines.append(f"Big board: {json.dumps(data['big'])}  ")
    if data["small"]:
        lines.append(f"Small board: {json.dumps(data['small'])}")
    floor = data["floor"]
    lines += ["", f"Floor page (a trivial logged-in view): {floor['big']['median_ms']} ms median "
                  f"on the big board, {floor['big']['queries']} queries.", "",
              "| page (the AF of the heaviest school) | median ms small → big | p95 ms (big) "
              "| queries | × floor (big) | growth | KB |", "|---|---|---|---|---|---|---|"]
    for p in data["pages"]:
        if not p.get("median_ms"):
            lines.append(f"| {p['label']} | status {p['status']} | | | | | |")
            continue
        small = p["small_median_ms"]
        queries = p["queries"] if p["small_queries"] in (None, p["queries"]) else \
            f"{p['small_queries']} → {p['queries']}"
        lines.append(f"| {p['label']} | {small if small is not None else '–'} → "
                     f"{p['median_ms']} | {p['p95_ms']} | {queries} | {p['x_floor']} | "
                     f"{p.get('growth', '–')} | {p['bytes'] // 1024} |")
    lines += ["", "## PDFs (against WeasyPrint rendering plain HTML of the same page count)", "",
              "| PDF | pages | median ms | floor ms | × floor |", "|---|---|---|---|---|"]
    for p in data["pages"]:
        if p.get("x_pdf_floor"):
            floor_ms = data["pdf_floor"][str(p["pdf_pages"])]["median_ms"]
            lines.append(f"| {p['label']} | {p['pdf_pages']} | {p['median_ms']} | {floor_ms} | "
                         f"{p['x_pdf_floor']} |")
    for kind, d in data.get("documents", {}).items():
        lines.append(f"| {d['label']} (document job `{kind}`, rendered by the worker) | "
                     f"{d['pages']} | {d['median_ms']} | {d['floor_ms']} | {d['x_pdf_floor']} |")
    if not data.get("documents"):
        lines.append("\nNo document kind is registered for the worker yet "
                     "(cases/services/documents.py).")
    lines += ["", "## Writes (service against a bare write of the same row)", "",
              "| write | service median ms | bare median ms | × bare | queries |",
              "|---|---|---|---|---|"]
    for name, w in data["writes"].items():
        lines.append(f"| {name} | {w['service']['median_ms']} | {w['bare']['median_ms']} | "
                     f"{w['x_bare']} | {w['queries']} |")
    if data["load"]:
        load = data["load"]
        lines += ["", f"## Load ({load['users']} users, gunicorn {load['workers']} workers, "
                      f"loopback)", "", "| pages | req/s | p50 ms | p95 ms | p99 ms | errors |",
                  "|---|---|---|---|---|---|"]
        for name in ("mixed", "floor"):
            r = load[name]
            lines.append(f"| {name} | {r['per_second']} | {r['p50_ms']} | {r['p95_ms']} | "
                         f"{r['p99_ms']} | {r['errors']} |")
        lines.append(f"\nMixed pages reach {load['mixed_vs_floor']}× the floor's throughput.")
    lines += ["", "## Targets", ""]
    for name, check in data["checks"].items():
        if check is None:
            lines.append(f"- {name}: not measured")
            continue
        ok, misses = check
        lines.append(f"- {name}: {_verdict(ok)}" + ("" if ok else ": " + ", ".join(misses)))
    if data["skipped"]:
        lines += ["", "Not timed: " + ", ".join(f"{s['name']} ({s['why']})"
                                                for s in data["skipped"])]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", default="small")
    parser.add_argument("--big", default="big")
    parser.add_argument("--name", default="latest")
    args = parser.parse_args()
    big = _load(args.big)
    if big is None:
        print(f"no run {args.big}: run bench/run.py --label {args.big} first", file=sys.stderr)
        return 1
    data = combine(_load(args.small) if args.small != args.big else None, big)
    text = markdown(data)
    (RESULTS / f"{args.name}.md").write_text(text)
    (RESULTS / f"{args.name}.json").write_text(json.dumps(data, indent=2, default=str))
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())

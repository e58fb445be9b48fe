"""Exports of a pupil administration as a school would upload them, with known bad rows.

Used by the import tests and by the benchmark (bench/import_pupils.py)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from openpyxl import Workbook

HEADERS = ["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Geboortedatum",
           "Groep", "Leerkracht e-mail", "Ouder 1 naam", "Ouder 1 e-mail", "Ouder 1 telefoon"]
FIRST = ["Noah", "Emma", "Sem", "Julia", "Liam", "Mila", "Daan", "Tess", "Zoë", "Ayoub",
         "Fatima", "Lucas", "Saar", "Mohamed", "Anouk", "Chloë", "Finn", "Noor", "Bram", "Yara"]
LAST = [("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("", "Bakker"), ("", "Visser"),
        ("van den", "Berg"), ("", "Smit"), ("el", "Amrani"), ("", "Çelik"), ("", "Mulder"),
        ("de", "Boer"), ("", "Bos"), ("van der", "Meer"), ("", "Öztürk"), ("", "Peters")]
GROUPS = [f"{n}{s}" for n in range(1, 9) for s in "ab"]


def teacher_email(group: str, n: int = 1) -> str:
    return f"juf{n}.groep{group}@school.example"


def pupil_rows(count: int, *, start: int = 10000, today: date | None = None) -> list[list]:
    today = today or date(2026, 12, 1)
    rows = []
    for i in range(count):
        group = GROUPS[i % len(GROUPS)]
        age = 4 + int(group[:-1])
        infix, last = LAST[i % len(LAST)]
        born = date(today.year - age, 1 + i % 12, 1 + i % 28)
        teachers = teacher_email(group) + (f";{teacher_email(group, 2)}" if i % 4 == 0 else "")
        rows.append([str(start + i), FIRST[i % len(FIRST)], infix, last,
                     f"{born:%d-%m-%Y}", group, teachers,
                     f"{FIRST[(i + 7) % len(FIRST)]} {last}", f"ouder{start + i}@thuis.example",
                     f"06-{start + i:08d}"])
    return rows


@dataclass
class BadRows:
    """Row numbers (as the spreadsheet shows them, header = 1) of each kind of bad row."""

    lines: dict[str, list[int]] = field(default_factory=dict)

    @property
    def all(self) -> list[int]:
        return sorted({n for lines in self.lines.values() for n in lines})


def with_bad_rows(rows: list[list]) -> tuple[list[list], BadRows]:
    """Put one of every kind of bad row into `rows` (a copy), and say where."""
    rows = [list(r) for r in rows]
    bad = BadRows()

    def mark(kind, index, change):
        change(rows[index])
        bad.lines.setdefault(kind, []).append(index + 2)

    mark("impossible_date", 10, lambda r: r.__setitem__(4, "31-02-2016"))
    mark("not_a_date", 20, lambda r: r.__setitem__(4, "onbekend"))
    mark("future_date", 30, lambda r: r.__setitem__(4, "01-01-2031"))
    mark("missing_date", 40, lambda r: r.__setitem__(4, ""))
    mark("missing_last_name", 50, lambda r: r.__setitem__(3, ""))
    mark("missing_first_name", 60, lambda r: r.__setitem__(1, ""))
    mark("missing_group", 70, lambda r: r.__setitem__(5, ""))
    mark("group_too_long", 80, lambda r: r.__setitem__(5, "x" * 41))
    mark("bad_teacher_email", 90, lambda r: r.__setitem__(6, "juf.zonder.domein"))
    mark("bad_carer_email", 100, lambda r: r.__setitem__(8, "ouder@"))
    # A duplicate pupil number: both rows are refused (which one is right is unknown).
    rows[120][0] = rows[110][0]
    bad.lines["duplicate"] = [112, 122]
    return rows, bad


def unknown_teacher(rows: list[list], index: int, email: str = "nieuw@school.example"):
    rows[index][6] = f"{rows[index][6]};{email}"
    return index + 2


def as_csv(rows, *, delimiter=";", encoding="utf-8", bom=False, headers=HEADERS) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def as_xlsx(rows, *, headers=HEADERS, real_dates=True) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        cells = list(row)
        if real_dates:
            try:
                d, m, y = (int(x) for x in str(cells[4]).split("-"))
                cells[4] = date(y, m, d)
            except ValueError:
                pass
        # A pupil number as Excel keeps it: a number.
        if str(cells[0]).isdigit():
            cells[0] = int(cells[0])
        sheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

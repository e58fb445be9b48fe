"""Reading an export of the school's pupil administration (ParnasSys, ESIS, Magister):
CSV (; , or tab; UTF-8 with or without BOM, or Windows-1252) or Excel (.xlsx).

Only reading and checking happen here; cases/services/imports.py compares the rows with
what the school has and writes them. Every problem with a row is a Dutch sentence.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from cases.errors import DomainError

XLSX_MAGIC = b"PK\x03\x04"
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Field:
    name: str
    label: object
    required: bool
    aliases: tuple[str, ...]


def _carer_fields(n: int) -> list[Field]:
    who = (f"ouder{n}", f"verzorger{n}", f"ouderverzorger{n}")
    return [
        Field(f"carer{n}_name", gettext_lazy("Ouder/verzorger %(n)s: naam") % {"n": n}, False,
              tuple(w + s for w in who for s in ("", "naam"))),
        Field(f"carer{n}_email", gettext_lazy("Ouder/verzorger %(n)s: e-mail") % {"n": n},
              False, tuple(w + s for w in who for s in ("email", "emailadres"))),
        Field(f"carer{n}_phone", gettext_lazy("Ouder/verzorger %(n)s: telefoon") % {"n": n},
              False, tuple(w + s for w in who for s in ("telefoon", "telefoonnummer",
                                                        "mobiel"))),
    ]


# The common Dutch headers are built in; a school maps other headers once (ImportMapping).
FIELDS: list[Field] = [
    Field("pupil_number", gettext_lazy("Leerlingnummer"), True,
          ("leerlingnummer", "leerlingnr", "llnr", "leerlingid", "studentnummer")),
    Field("first_name", gettext_lazy("Roepnaam"), True, ("roepnaam", "voornaam")),
    Field("infix", gettext_lazy("Tussenvoegsel"), False,
          ("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "voorvoegsels")),
    Field("last_name", gettext_lazy("Achternaam"), True,
          ("achternaam", "geslachtsnaam", "familienaam")),
    Field("date_of_birth", gettext_lazy("Geboortedatum"), True, ("geboortedatum", "geboren")),
    Field("group", gettext_lazy("Groep"), True,
          ("groep", "klas", "stamgroep", "groepsnaam", "basisgroep")),
    Field("teacher_emails", gettext_lazy("Leerkracht e-mail"), False,
          ("leerkrachtemail", "leerkrachtenemail", "emailleerkracht", "emailleerkrachten",
           "leerkrachten", "mentoremail")),
    *_carer_fields(1),
    *_carer_fields(2),
]
FIELDS_BY_NAME = {f.name: f for f in FIELDS}
CARER_SLOTS = (1, 2)


def normalise(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", str(header).casefold())


@dataclass
class Table:
    headers: list[str]
    # (row number as a spreadsheet shows it, cells); the header is row 1
    rows: list[tuple[int, list]]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(data: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DomainError(_("Het Excelbestand kan niet worden gelezen. Sla het opnieuw op als "
                            ".xlsx of als CSV.")) from exc
    try:
        sheet = workbook.active
        return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Excel on Windows saves CSV as Windows-1252; five bytes are undefined there.
        return data.decode("cp1252", errors="replace")


def _read_csv(data: bytes) -> list[list]:
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    return [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def read_table(data: bytes) -> Table:
    if not data:
        raise DomainError(_("Het bestand is leeg."))
    if len(data) > MAX_BYTES:
        raise DomainError(_("Het bestand is groter dan 20 MB."))
    lines = _read_xlsx(data) if data.startswith(XLSX_MAGIC) else _read_csv(data)
    numbered = [(i, row) for i, row in enumerate(lines, start=1) if any(c != "" for c in row)]
    if not numbered:
        raise DomainError(_("Het bestand is leeg."))
    (_n, headers), rows = numbered[0], numbered[1:]
    return Table(headers=[str(h) for h in headers], rows=rows)


def resolve_columns(headers: list[str], saved: dict) -> tuple[dict[str, int], list[Field]]:
    """Which column holds which field: the school's saved mapping first, then the built-in
    Dutch headers. Returns the columns found and the required fields still missing."""
    by_header = {h.strip().casefold(): i for i, h in enumerate(headers)}
    by_alias = {normalise(h): i for i, h in enumerate(headers)}
    found: dict[str, int] = {}
    for f in FIELDS:
        chosen = saved.get(f.name)
        if chosen and chosen.strip().casefold() in by_header:
            found[f.name] = by_header[chosen.strip().casefold()]
            continue
        for alias in f.aliases:
            if alias in by_alias:
                found[f.name] = by_alias[alias]
                break
    missing = [f for f in FIELDS if f.required and f.name not in found]
    return found, missing


@dataclass
class CarerCells:
    name: str
    email: str
    phone: str


@dataclass
class PupilRow:
    line: int
    pupil_number: str
    first_name: str
    infix: str
    last_name: str
    date_of_birth: date
    group: str
    teacher_emails: list[str]
    carers: list[CarerCells] = field(default_factory=list)


@dataclass
class RowProblem:
    line: int
    reasons: list[str]
    pupil_number: str = ""


DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d")


def parse_date(value) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


LIMITS = {"pupil_number": 40, "first_name": 100, "infix": 30, "last_name": 150, "group": 40}


def parse_row(line: int, cells: list, columns: dict[str, int], today: date):
    """One data row → a PupilRow, or a RowProblem with every reason in Dutch."""

    def get(name):
        i = columns.get(name)
        return cells[i] if i is not None and i < len(cells) else ""

    reasons: list[str] = []
    text = {k: str(get(k)).strip() for k in LIMITS}
    number = text["pupil_number"]
    for key, label in (("pupil_number", _("leerlingnummer")), ("first_name", _("roepnaam")),
                       ("last_name", _("achternaam")), ("group", _("groep"))):
        if not text[key]:
            reasons.append(_("%(what)s ontbreekt") % {"what": label})
    for key, limit in LIMITS.items():
        if len(text[key]) > limit:
            reasons.append(_("%(what)s is langer dan %(n)s tekens")
                           % {"what": FIELDS_BY_NAME[key].label, "n": limit})
    raw_date = get("date_of_birth")
    born = parse_date(raw_date)
    if raw_date in ("", None):
        reasons.append(_("geboortedatum ontbreekt"))
    elif born is None:
        reasons.append(_("geboortedatum „%(value)s” is geen geldige datum (dd-mm-jjjj)")
                       % {"value": raw_date})
    elif born > today or born.year < today.year - 25:
        reasons.append(_("geboortedatum %(value)s kan niet kloppen")
                       % {"value": f"{born:%d-%m-%Y}"})
    emails = [e.strip().lower() for e in re.split(r"[;,]", str(get("teacher_emails")))
              if e.strip()]
    for email in emails:
        try:
            validate_email(email)
        except ValidationError:
            reasons.append(_("„%(value)s” is geen geldig e-mailadres van een leerkracht")
                           % {"value": email})
    carers = []
    for n in CARER_SLOTS:
        name = str(get(f"carer{n}_name")).strip()[:200]
        email = str(get(f"carer{n}_email")).strip().lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                reasons.append(_("„%(value)s” is geen geldig e-mailadres van een ouder")
                               % {"value": email})
        if name:
            carers.append(CarerCells(name=name, email=email[:254],
                                     phone=str(get(f"carer{n}_phone")).strip()[:40]))
    if reasons:
        return RowProblem(line=line, reasons=reasons, pupil_number=number)
    return PupilRow(line=line, pupil_number=number, first_name=text["first_name"],
                    infix=text["infix"], last_name=text["last_name"], date_of_birth=born,
                    group=text["group"], teacher_emails=emails, carers=carers)

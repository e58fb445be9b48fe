"""The calendar of the meldcode's terms: local dates, months and Dutch working days.

Terms are counted in the Europe/Amsterdam local date. A month later is the same day of the
month, clamped to the month's end; working days skip weekends and Dutch public holidays.
"""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta
from functools import lru_cache

import holidays
from django.utils import timezone, translation
from django.utils.dates import MONTHS


def local_today() -> date:
    return timezone.localdate()


def as_local_date(value) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def add_months(day: date, months: int) -> date:
    """Same day-of-month `months` later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# The Algemene termijnenwet (art. 3) decides which days a legal term skips: Nieuwjaarsdag,
# tweede Paas- en Pinksterdag, Hemelvaartsdag, Koningsdag, beide Kerstdagen and 5 mei, every
# year. The `holidays` library computes the movable days (Easter, Koningsdag on a Sunday);
# it also lists Goede Vrijdag, which the wet does not count, and 5 mei only in lustrum years.
_NOT_A_TERM_HOLIDAY = ("Goede vrijdag",)


@lru_cache(maxsize=64)
def dutch_holidays(year: int) -> frozenset[date]:
    """The weekdays-off of the Algemene termijnenwet in `year` (Sundays are never counted)."""
    days = {day for day, name in holidays.country_holidays("NL", years=year, language="nl").items()
            if name not in _NOT_A_TERM_HOLIDAY}
    days.add(date(year, 5, 5))
    return frozenset(days)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in dutch_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The `count`-th working day after `day` (weekends and Dutch holidays skipped)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


# --- The school year ----------------------------------------------------------------------
# A Dutch school year runs from 1 August to 31 July; it is named by its first calendar year
# (2026 stands for 2026-2027).


def school_year_of(day: date) -> int:
    return day.year if day.month >= 8 else day.year - 1


def school_year_label(year: int) -> str:
    return f"{year}-{year + 1}"


def school_year_bounds(year: int) -> tuple[date, date]:
    return date(year, 8, 1), date(year + 1, 7, 31)


# How the product writes a day and a moment, everywhere: "1 december 2026" and
# "1 december 2026 14:05" (templates use the `datum` and `datum_tijd` filters).
DAY_FORMAT = "j F Y"
MOMENT_FORMAT = "j F Y H:i"


def _month_names() -> tuple[str, ...]:
    """The month names of the active language ("januari" …), as DAY_FORMAT's `F` writes
    them; looked up once per language (a page writes hundreds of dates)."""
    language = translation.get_language()
    names = _MONTH_NAMES.get(language)
    if names is None:
        names = _MONTH_NAMES[language] = ("", *(str(MONTHS[m]) for m in range(1, 13)))
    return names


_MONTH_NAMES: dict = {}


def day_label(value) -> str:
    """A date (or a moment, taken as its local date) written out in Dutch: DAY_FORMAT,
    "j F Y", written directly (formats.date_format() parses the format on every call)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {_month_names()[value.month]} {value.year}"


def moment_label(value) -> str:
    """A moment in local time, written out in Dutch ("1 december 2026 14:05"):
    MOMENT_FORMAT, "j F Y H:i"."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    if not isinstance(value, datetime):
        return day_label(value)
    return f"{day_label(value)} {value.hour:02d}:{value.minute:02d}"

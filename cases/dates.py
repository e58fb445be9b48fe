"""The domain range of every date and moment the product accepts, in one place.

Forms and services call the same checks: a form shows the message at its field, a service
refuses with the same sentence, so the two can never disagree. The rules:

- nothing lies before 1 January 1900, nor before the pupil's birth where the date is about
  the pupil (an observation, a conversation, the call to Veilig Thuis, ...);
- what has happened is never in the future (a clock a few minutes fast is tolerated);
- a deadline (a review date, a time limit) lies after today and within its term.

Why a floor at all: PostgreSQL stores a moment of the year 1 that falls before the year 1 in
UTC, but psycopg cannot read it back, so a single such value in an append-only record would
break the case's pages for everyone, for good.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cases.errors import DomainError
from meldcode.workdays import add_months, day_label

EARLIEST_DAY = date(1900, 1, 1)
# A clock a few minutes fast on a laptop must not block recording what just happened.
FUTURE_TOLERANCE = timedelta(minutes=10)
# Terms the meldcode leaves open (the time limit of step 2 and later) still have a bound.
MAX_TERM_MONTHS = 12


class DateOutOfRange(DomainError):
    """A date or moment outside its domain range (the message is Dutch)."""


def _day(value: date) -> str:
    return day_label(value)


def _floor(born: date | None) -> date:
    return max(EARLIEST_DAY, born) if born is not None else EARLIEST_DAY


def _too_early(what: str, born: date | None) -> DateOutOfRange:
    if born is not None and born >= EARLIEST_DAY:
        return DateOutOfRange(_("%(what)s ligt vóór de geboortedatum van de leerling "
                                "(%(born)s).") % {"what": what, "born": _day(born)})
    return DateOutOfRange(_("%(what)s ligt vóór 1 januari 1900. Controleer het jaartal.")
                          % {"what": what})


def _in_future(what: str) -> DateOutOfRange:
    return DateOutOfRange(_("%(what)s kan niet in de toekomst liggen.") % {"what": what})


def _missing(what: str) -> DateOutOfRange:
    return DateOutOfRange(_("%(what)s ontbreekt.") % {"what": what})


def as_utc(moment: datetime) -> datetime | None:
    """The moment in UTC (a naive one taken as local time), or None when it cannot be
    expressed at all: `0001-01-01T00:00+05:00` lies before the year 1 in UTC."""
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def check_past_day(value: date | None, *, what: str | None = None, born: date | None = None,
                   today: date | None = None) -> date:
    """A day on which something happened: from 1900 (or the pupil's birth) up to today."""
    what = what or _("Deze datum")
    if value is None:
        raise _missing(what)
    if value < _floor(born):
        raise _too_early(what, born)
    if value > (today or timezone.localdate()):
        raise _in_future(what)
    return value


def check_past_moment(value: datetime | None, *, what: str | None = None,
                      born: date | None = None, now: datetime | None = None) -> datetime:
    """A moment at which something happened: from 1900 (or the pupil's birth) up to now.
    Returns it as an aware datetime."""
    what = what or _("Dit tijdstip")
    if value is None:
        raise _missing(what)
    utc = as_utc(value)
    if utc is None:
        raise _too_early(what, born) if value.year < 5000 else _in_future(what)
    earliest = timezone.make_aware(datetime.combine(_floor(born), time.min))
    if utc < earliest:
        raise _too_early(what, born)
    if utc > (now or timezone.now()) + FUTURE_TOLERANCE:
        raise _in_future(what)
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _span(months: int) -> str:
    if months == 1:
        return _("één maand")
    if months == 2:
        return _("twee maanden")
    return ngettext("%(n)d maand", "%(n)d maanden", months) % {"n": months}


def check_coming_day(value: date | None, *, what: str | None = None,
                     months: int = MAX_TERM_MONTHS, today: date | None = None) -> date:
    """A deadline: after today and at most `months` ahead."""
    what = what or _("Deze datum")
    if value is None:
        raise _missing(what)
    today = today or timezone.localdate()
    latest = add_months(today, months)
    if not today < value <= latest:
        raise DateOutOfRange(_("%(what)s moet na vandaag liggen, uiterlijk %(span)s vooruit "
                               "(%(date)s).")
                             % {"what": what, "span": _span(months), "date": _day(latest)})
    return value


def posted_local_day(raw: str | None) -> date | None:
    """The local day of a posted date and time, or None when it is no moment within the
    range (the form then says what is wrong). For choices made before the form is bound,
    such as which signal list applies."""
    try:
        moment = parse_datetime(raw.strip()) if raw else None
    except ValueError:
        return None
    utc = as_utc(moment) if moment is not None else None
    if utc is None or utc.year < EARLIEST_DAY.year:
        return None
    return timezone.localdate(utc)


class DateRangeFormMixin:
    """For a form of one case: checks the domain range of its dates with the functions
    above, each message at its own field, before anything reaches a service.

    `past_days` and `past_moments` name the fields of things that happened; a form with a
    deadline calls `check_field` itself from `clean()`.
    """

    past_days: tuple[str, ...] = ()
    past_moments: tuple[str, ...] = ()

    def __init__(self, *args, case=None, **kwargs):
        self.case = case
        super().__init__(*args, **kwargs)

    @property
    def born(self) -> date | None:
        return self.case.student.date_of_birth if self.case is not None else None

    def clean(self):
        cleaned = super().clean()
        for name in self.past_days:
            self.check_field(name, check_past_day, born=self.born)
        for name in self.past_moments:
            self.check_field(name, check_past_moment, born=self.born)
        return cleaned

    def check_field(self, name: str, check, **kwargs) -> None:
        value = self.cleaned_data.get(name)
        if value is None:
            return
        try:
            check(value, **kwargs)
        except DateOutOfRange as error:
            self.add_error(name, error.message)

"""`|datum` and `|datum_tijd` (meldcode/workdays.py) write what Django's date formatting
writes for DAY_FORMAT and MOMENT_FORMAT, in the active language, without parsing the
format on every call."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import formats, timezone, translation

from meldcode.workdays import DAY_FORMAT, MOMENT_FORMAT, day_label, moment_label


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_day_of_a_year_is_written_as_django_writes_it(language):
    with translation.override(language):
        day = date(2026, 1, 1)
        while day.year == 2026:
            assert day_label(day) == formats.date_format(day, DAY_FORMAT)
            day += timedelta(days=1)


@pytest.mark.parametrize("language", ["nl", "en"])
def test_moments_are_written_in_local_time_as_django_writes_them(language):
    utc = ZoneInfo("UTC")
    with translation.override(language):
        # Across both changes of the clock, at midnight and at single-digit hours.
        for moment in (datetime(2026, 3, 29, 0, 59, tzinfo=utc),
                       datetime(2026, 3, 29, 1, 0, tzinfo=utc),
                       datetime(2026, 10, 25, 0, 30, tzinfo=utc),
                       datetime(2026, 10, 25, 1, 30, tzinfo=utc),
                       datetime(2026, 12, 31, 23, 5, tzinfo=utc),
                       datetime(2026, 6, 1, 7, 3)):
            local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
            assert moment_label(moment) == formats.date_format(local, MOMENT_FORMAT)
            assert day_label(moment) == formats.date_format(local, DAY_FORMAT)
    assert moment_label(datetime(2026, 12, 1, 13, 5, tzinfo=utc)) == "1 december 2026 14:05"
    assert moment_label(date(2026, 4, 27)) == "27 april 2026"
    assert day_label(None) == moment_label("") == ""

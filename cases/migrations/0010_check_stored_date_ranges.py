"""Stops when a stored date lies outside the range the product accepts from now on
(cases/dates.py): before 1900 or before the pupil's birth, or in the future for what has
happened. There should be none.

It reports and stops rather than correcting anything: these are append-only dossier records
(the database refuses to change them) and the right value is a matter for the school, not
for a migration. A value before 1900 is also one the case pages may fail to read. The report
names the records only by table, column and id, never by content, and it reads no date
itself (psycopg cannot read a moment before the year 1 back).
"""

import datetime

from django.db import migrations
from django.db.models import F, Q
from django.utils import timezone

EARLIEST_DAY = datetime.date(1900, 1, 1)
FUTURE_TOLERANCE = datetime.timedelta(minutes=10)

# (model, field, path from the model to the pupil's date of birth)
HAPPENED_DAYS = [
    ("Consultation", "held_on", "case__student__date_of_birth"),
    ("Conversation", "held_on", "case__student__date_of_birth"),
    ("Evaluation", "held_on", "case__student__date_of_birth"),
    ("MeldplichtRecord", "inspector_contact_on", "case__student__date_of_birth"),
    ("MeldplichtRecord", "aangifte_on", "case__student__date_of_birth"),
    ("StudentDeparture", "left_on", "case__student__date_of_birth"),
    ("StudentDeparture", "care_handover_on", "case__student__date_of_birth"),
    ("StudentDeparture", "vt_informed_on", "case__student__date_of_birth"),
    ("StudentDeparture", "parents_informed_on", "case__student__date_of_birth"),
    ("Student", "date_of_birth", None),
]
HAPPENED_MOMENTS = [
    ("Observation", "observed_at", "case__student__date_of_birth"),
    ("AcuteReport", "called_at", "case__student__date_of_birth"),
]
# Deadlines were after the day they were set; today they may well lie in the past.
DEADLINE_DAYS = [("PhaseConclusion", "review_date"), ("Consultation", "time_limit")]


def _earliest_moment():
    return timezone.make_aware(datetime.datetime.combine(EARLIEST_DAY, datetime.time.min))


def _only_submitted(model, rows):
    # A draft is no record yet: before this version it could hold a date in the future.
    return rows.filter(status="ingediend") if model == "Observation" else rows


def find_out_of_range(apps) -> list[str]:
    today, now = timezone.localdate(), timezone.now()
    found = []

    def report(model, field, rows, why):
        for pk in rows.values_list("pk", flat=True).order_by("pk"):
            found.append(f"cases.{model} {pk}: {field} {why}")

    for model, field in DEADLINE_DAYS:
        rows = apps.get_model("cases", model).objects
        report(model, field, rows.filter(**{f"{field}__lt": EARLIEST_DAY}), "before 1900")
    for model, field, born in HAPPENED_DAYS:
        rows = apps.get_model("cases", model).objects
        report(model, field, rows.filter(**{f"{field}__lt": EARLIEST_DAY}), "before 1900")
        report(model, field, rows.filter(**{f"{field}__gt": today}), "in the future")
        if born:
            report(model, field, rows.filter(
                Q(**{f"{field}__gte": EARLIEST_DAY}), **{f"{field}__lt": F(born)}),
                "before the pupil's birth")
    for model, field, born in HAPPENED_MOMENTS:
        rows = apps.get_model("cases", model).objects
        report(model, field, rows.filter(**{f"{field}__lt": _earliest_moment()}),
               "before 1900")
        happened = _only_submitted(model, rows.all())
        report(model, field, happened.filter(**{f"{field}__gt": now + FUTURE_TOLERANCE}),
               "in the future")
        report(model, field, happened.filter(
            Q(**{f"{field}__gte": _earliest_moment()}), **{f"{field}__date__lt": F(born)}),
            "before the pupil's birth")
    return found


def check_stored_dates(apps, schema_editor):
    found = find_out_of_range(apps)
    if found:
        raise RuntimeError(
            "Stored dates outside the range the product accepts (cases/dates.py). These "
            "records are append-only and are not changed automatically; see the README, "
            "'Dates outside their range', then run migrate again:\n  " + "\n  ".join(found))


class Migration(migrations.Migration):
    dependencies = [("cases", "0009_carers")]
    operations = [migrations.RunPython(check_stored_dates, migrations.RunPython.noop)]

"""Load the signal lists of the meldcode (bijlage 1 and 2) as version 1 of each age band.

Self-contained on purpose: it reads fixtures/signal_lists.json and writes through the
historical models of this migration state, so later changes to models.py cannot break it.
Idempotent: a band that already has a list is left alone, so running it again (or calling
`load_signal_lists` from tests after a flush) never duplicates anything.
"""

import json
from pathlib import Path

from django.db import migrations

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "signal_lists.json"


def load_signal_lists(apps, schema_editor=None):
    AgeBand = apps.get_model("signals_catalog", "AgeBand")
    SignalList = apps.get_model("signals_catalog", "SignalList")
    Category = apps.get_model("signals_catalog", "Category")
    Signal = apps.get_model("signals_catalog", "Signal")

    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for entry in data["lists"]:
        band_data = entry["age_band"]
        band, _created = AgeBand.objects.get_or_create(
            code=band_data["code"],
            defaults={"name": band_data["name"], "min_age": band_data["min_age"],
                      "max_age": band_data["max_age"]},
        )
        if SignalList.objects.filter(age_band=band).exists():
            continue
        signal_list = SignalList.objects.create(
            age_band=band, version=1, title=entry["title"], source=entry["source"],
            introduction=entry["introduction"], is_current=True,
        )
        signals = []
        for position, category_data in enumerate(entry["categories"]):
            category = Category.objects.create(
                signal_list=signal_list, block=category_data["block"],
                name=category_data["name"], position=position,
            )
            for signal_position, item in enumerate(category_data["signals"]):
                if isinstance(item, str):
                    item = {"text": item}
                signals.append(Signal(category=category, text=item["text"],
                                      min_age=item.get("min_age"), position=signal_position))
        Signal.objects.bulk_create(signals)


class Migration(migrations.Migration):

    dependencies = [
        ("signals_catalog", "0002_signallist_publisher"),
    ]

    operations = [
        # Reversing leaves the rows: observations may already point at these signals.
        migrations.RunPython(load_signal_lists, migrations.RunPython.noop),
    ]

"""Conventions every form and template keeps: no "---------" radio choice, dates written
one way ("1 december 2026"), and an error summary on every stappenplan form."""

import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path

from django import forms
from django.template import Context, Template
from django.utils import timezone

APPS = ("meldcode", "cases", "decisions", "audit", "signals_catalog")
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def _all_forms():
    for app in APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".forms" in module.name or module.name.endswith(".forms"):
                importlib.import_module(module.name)

    def below(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    return {cls for cls in below(forms.BaseForm) if cls.__module__.split(".")[0] in APPS}


def test_no_radio_group_offers_an_empty_choice(db):
    found = _all_forms()
    assert len(found) > 20  # the walk reached the forms
    radios = 0
    for cls in found:
        for name, field in cls.base_fields.items():
            if not isinstance(field.widget, forms.RadioSelect):
                continue
            radios += 1
            if isinstance(field, forms.ModelChoiceField):
                assert field.empty_label is None, f"{cls.__name__}.{name}"
                continue
            values = [value for value, _label in field.choices]
            assert "" not in values and None not in values, (
                f"{cls.__module__}.{cls.__name__}.{name} offers an empty radio choice")
    assert radios > 10


# Machine-readable values (a <time datetime>, a date input's value) keep ISO formats.
MACHINE_FORMATS = {"c", "Y-m-d", "H:i", "H:i:s", "s"}


def test_templates_write_dates_through_the_one_filter():
    offending = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"\|(date|time):[\"']([^\"']*)[\"']", text):
            if match.group(2) not in MACHINE_FORMATS:
                offending.append(f"{path.relative_to(TEMPLATES)}: {match.group(0)}")
    assert not offending, "use |datum or |datum_tijd:\n" + "\n".join(offending)


def test_the_date_filters_write_dutch_dates(settings):
    rendered = Template("{{ d|datum }}|{{ m|datum_tijd }}").render(Context({
        "d": date(2026, 12, 1),
        "m": timezone.make_aware(datetime(2026, 12, 1, 14, 5)),
    }))
    assert rendered == "1 december 2026|1 december 2026 14:05"

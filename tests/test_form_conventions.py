"""Conventions every form and template keeps: no "---------" radio choice, dates written
one way ("1 december 2026"), and an error summary on every stappenplan form."""

import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, MeldplichtRecord, Route
from cases.views.workflow import PAGES
from cases.workflow import TABLE
from tests.observation_data import observation_post

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


# --- The error summary -----------------------------------------------------------------


def _summary(html):
    start = html.index('<div class="error-summary"')
    return html[start:html.index("</div>", start)]


@pytest.mark.parametrize("action", sorted(a for a in PAGES if a != "start_weighing"))
def test_every_stappenplan_form_sums_up_its_errors(client, personas, action):
    row = next(row for row in TABLE.values() if row.action == action)
    Case.objects.filter(pk=personas.case.pk).update(phase=row.frm,
                                                    route=row.route or Route.STAPPENPLAN)
    user = personas.bestuur if row.route == Route.MELDPLICHT else personas.af
    if action == "record_meldplicht":
        MeldplichtRecord.objects.create(case=personas.case, phase_before=row.frm, reason="r",
                                        recorded_by=personas.af)
    client.force_login(user)
    response = client.post(reverse("case_workflow_action", args=[personas.case.pk, action]),
                           {})
    if response.status_code != 200 or not response.context["form"].errors:
        pytest.skip("this action has no required field to leave empty")
    html = response.content.decode()
    summary = _summary(html)
    assert 'role="alert"' in summary and 'tabindex="-1"' in summary
    for name, errors in response.context["form"].errors.items():
        if name != "__all__":
            assert str(errors[0]) in summary or errors[0] in summary
    # Focus moves there with a static script, never an inline one (strict CSP).
    assert "js/error-summary.js" in html and "<script>" not in html


def test_the_observation_form_sums_up_its_errors_with_links(client, personas):
    client.force_login(personas.teacher_on_case)
    response = client.post(reverse("observation_new", args=[personas.case.pk]),
                           observation_post(observed_at="niet een datum"))
    assert response.status_code == 200
    summary = _summary(response.content.decode())
    assert 'href="#id_observed_at"' in summary

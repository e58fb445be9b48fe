"""meldcode/forms/renderer.py writes a <select> in Python: exactly what Django's templates
write, for every kind of select the forms use."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from meldcode.forms.renderer import FormRenderer
from meldcode.models import School
from tests.factories import SchoolFactory

CHOICES = [("", "---------"), (1, "Eén"), ("twee", 'Twee & "drie" <vier>'),
           ("lazy", gettext_lazy("Leerkracht")), ("safe", mark_safe("<b>veilig</b>"))]
GROUPED = [("Groep <1>", [("a", "A"), ("b", "B")]), ("c", "Los")]


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=CHOICES, required=False)
    grouped = forms.ChoiceField(choices=GROUPED, help_text="Hulp")
    several = forms.MultipleChoiceField(choices=CHOICES, required=False)
    yes_no = forms.NullBooleanField()
    attrs = forms.ChoiceField(choices=CHOICES, widget=forms.Select(attrs={
        "class": "wide", "disabled": True, "data-x": 'a"b', "hidden": False,
        "aria-describedby": "hulp"}))
    year = forms.DateField(widget=forms.SelectDateWidget(years=[2025, 2026]))
    school = forms.ModelChoiceField(queryset=School.objects.order_by("name"),
                                    empty_label="Kies een school")


@pytest.mark.parametrize("data", [None, {"plain": "twee", "grouped": "b", "several": ["1", "safe"],
                                         "yes_no": "true", "attrs": "lazy", "year_year": "2026",
                                         "year_month": "3", "year_day": "9"},
                                  {"plain": "<script>", "several": ["nope"]}])
@pytest.mark.django_db
def test_the_select_is_what_django_writes(data):
    SchoolFactory(name="De <Regenboog> & Co")
    SchoolFactory(name="Het Kompas")
    if data is not None and "school" not in data:
        data = {**data, "school": str(School.objects.get(name="Het Kompas").pk)}
    ours, django = Everything(data, renderer=FormRenderer()), Everything(
        data, renderer=DjangoTemplates())
    for name in Everything.base_fields:
        assert str(ours[name]) == str(django[name]), name
    assert "<select" in str(ours["school"]) and "&lt;Regenboog&gt; &amp; Co" in str(
        ours["school"])


def test_the_project_renders_forms_with_it(settings):
    from django.forms.renderers import get_default_renderer

    assert settings.FORM_RENDERER == "meldcode.forms.renderer.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)

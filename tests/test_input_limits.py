"""Bad input answers with a clear Dutch message, never a 500 (issue "Bad input and abuse"):
every text field of every form is bounded, NUL bytes and overlong text are refused at the
form with what was typed kept."""

import copy
import importlib
import pkgutil

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone

from meldcode.input_limits import LINE_MAX, TEXT_MAX, BoundedFormMixin, bound_text_fields
from tests.factories import walk_to

FIRST_PARTY = ("meldcode", "cases", "decisions", "audit", "signals_catalog", "privacy",
               "inspection", "retention")


def _import_form_modules():
    for app in FIRST_PARTY:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".forms" in info.name or ".views" in info.name:
                importlib.import_module(info.name)


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def first_party_forms():
    _import_form_modules()
    found = {cls for cls in _all_subclasses(forms.BaseForm)
             if cls.__module__.split(".")[0] in FIRST_PARTY
             and cls.__module__ != "meldcode.input_limits"}
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__qualname__}")


def test_there_are_forms_to_check():
    assert len(first_party_forms()) > 40


@pytest.mark.parametrize("form_class", first_party_forms(),
                         ids=lambda cls: f"{cls.__module__}.{cls.__qualname__}")
def test_every_text_field_of_every_form_has_a_maximum(form_class):
    assert issubclass(form_class, BoundedFormMixin), (
        f"{form_class.__qualname__} is not built on meldcode.input_limits")
    fields = copy.deepcopy(form_class.base_fields)
    bound_text_fields(fields)
    for name, field in fields.items():
        if isinstance(field, forms.CharField) and not isinstance(field, forms.UUIDField):
            assert field.max_length is not None, f"{form_class.__qualname__}.{name}"
            assert field.max_length <= TEXT_MAX, f"{form_class.__qualname__}.{name}"


class _Example(BoundedFormMixin, forms.Form):
    line = forms.CharField()
    text = forms.CharField(widget=forms.Textarea)
    own = forms.CharField(max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"] = forms.CharField(required=False)


def test_bounds_follow_the_widget_keep_an_own_maximum_and_reach_fields_added_later():
    form = _Example({"line": "x" * (LINE_MAX + 1), "text": "y" * (TEXT_MAX + 1),
                     "own": "z" * 21, "later": "w" * (LINE_MAX + 1)})
    assert not form.is_valid()
    assert set(form.errors) == {"line", "text", "own", "later"}
    assert "niet meer dan 300 tekens" in form.errors["line"][0]
    assert form.fields["own"].max_length == 20
    # The browser does not cut a text area short (pasted text would be lost silently).
    assert "maxlength" not in form.fields["text"].widget.attrs
    assert form.fields["line"].widget.attrs["maxlength"] == str(LINE_MAX)
    ok = _Example({"line": "x" * LINE_MAX, "text": "y" * TEXT_MAX, "own": "z"})
    assert ok.is_valid(), ok.errors


def test_nul_bytes_are_refused_in_dutch():
    form = _Example({"line": "a\x00b", "text": "t", "own": "o"})
    assert not form.is_valid()
    assert "Null-tekens" in form.errors["line"][0] or "null" in form.errors["line"][0].lower()


@pytest.mark.django_db
def test_an_overlong_advice_is_refused_on_the_page_and_kept(client, personas):
    walk_to(personas.case, "consultatie", actor=personas.af)
    client.force_login(personas.af)
    url = reverse("case_workflow_action", args=[personas.case.pk, "record_consultation"])
    advice = "Lang advies " * 1000
    response = client.post(url, {"kind": "af", "participants": "AF", "anonymous": "on",
                                 "held_on": timezone.localdate().isoformat(),
                                 "advice": advice})
    assert response.status_code == 200
    page = response.content.decode()
    assert "niet meer dan 10000 tekens" in page and "Lang advies Lang advies" in page

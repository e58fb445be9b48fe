"""The case timeline's filter: which kinds of entries, and whose."""

from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedForm


class TimelineFilterForm(BoundedForm):
    soort = forms.MultipleChoiceField(label=_("Soort"), required=False,
                                      widget=forms.CheckboxSelectMultiple)
    persoon = forms.TypedChoiceField(label=_("Persoon"), required=False, coerce=int,
                                     empty_value=None)

    def __init__(self, data, *, kinds, people):
        super().__init__(data)
        self.fields["soort"].choices = kinds
        self.fields["persoon"].choices = [("", _("Iedereen"))] + [
            (str(person.pk), str(person)) for person in people]

    def selection(self) -> tuple[list | None, int | None]:
        """(kinds or None for all, person id or None); invalid parts count as unset."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return (data.get("soort") or None), data.get("persoon")

import re

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cases.models import Phase
from meldcode.input_limits import BoundedForm

GROUP_WORDS = frozenset({"groep", "klas"})


class StudentSearchForm(BoundedForm):
    q = forms.CharField(label=_("Naam, groep of leerlingnummer"), max_length=100,
                        widget=forms.TextInput(attrs={"type": "search", "autofocus": True}))

    def search(self, students):
        # "groep 5", "groep 5b" and "5b" find the pupils of that group; "5" also 5a and 5b.
        terms = [t for t in self.cleaned_data["q"].split() if t.casefold() not in GROUP_WORDS]
        if not terms:
            return students.none()
        for term in terms[:5]:
            match = (Q(first_name__icontains=term) | Q(last_name__icontains=term)
                     | Q(infix__iexact=term) | Q(pupil_number__iexact=term)
                     | Q(group__iexact=term))
            if re.fullmatch(r"\d{1,2}[a-zA-Z]?", term):
                suffix = "" if term[-1].isalpha() else "[a-z]?"
                # A combination group ("groep 5/6", "5-6") holds pupils of both years.
                other = r"\d{1,2}[a-z]?"
                match |= Q(group__iregex=rf"^(groep|klas)?\s*({other}[/-])*{term}{suffix}"
                                         rf"([/-]{other})*$")
            students = students.filter(match)
        return students.select_related("school").order_by("last_name", "first_name")[:50]


class CaseFilterForm(BoundedForm):
    phase = forms.ChoiceField(label=_("Fase"), required=False,
                              choices=[("", _("Alle fasen"))] + list(Phase.choices))
    school = forms.ChoiceField(label=_("School"), required=False)

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(s.pk), s.name) for s in schools]
        if len(choices) < 2:
            # One school: a filter with one option only adds noise.
            del self.fields["school"]
        else:
            self.fields["school"].choices = [("", _("Alle scholen"))] + choices

    def filter(self, qs):
        if not self.is_bound or not self.is_valid():
            return qs
        if self.cleaned_data["phase"]:
            qs = qs.filter(phase=self.cleaned_data["phase"])
        if self.cleaned_data.get("school"):
            qs = qs.filter(school_id=self.cleaned_data["school"])
        return qs


class TeamAddForm(BoundedForm):
    member = forms.ModelChoiceField(label=_("Collega"), queryset=None,
                                    empty_label=_("Kies een collega"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates

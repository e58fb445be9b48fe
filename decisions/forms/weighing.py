"""Forms of the weighing pages. They check types and required fields; the rules (order of
the questions, who may answer, four eyes) are the services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.workflow import DateInput
from meldcode.input_limits import BoundedForm


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class AnswerForm(BoundedForm):
    option_code = forms.ChoiceField(label=_("Antwoord"), widget=forms.RadioSelect)
    is_doubt = forms.BooleanField(label=_("Het antwoord is 'twijfel' (telt als ja)"),
                                  required=False)
    argumentation = forms.CharField(
        label=_("Argumentatie"), widget=_text(5),
        help_text=_("Waarom dit antwoord? Schrijf alsof de ouders meelezen."))
    authority_informed_on = forms.DateField(label=_("Bevoegd gezag op de hoogte sinds"),
                                            widget=DateInput(), required=False)
    authority_informed_by = forms.CharField(label=_("Door wie ingelicht"), max_length=200,
                                            required=False)
    vt_contact = forms.CharField(label=_("Contactpersoon bij Veilig Thuis"), max_length=200,
                                 required=False)
    consultations = forms.ModelMultipleChoiceField(
        label=_("Consultaties van Veilig Thuis of de jeugdgezondheidszorg bij deze weging"),
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, question, with_vt, consultations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option_code"].choices = [
            (o.code, f"{o.code}: {o.text}") for o in question.options.all()]
        if not any(o.includes_doubt for o in question.options.all()):
            del self.fields["is_doubt"]
        if question.number != 1:
            del self.fields["authority_informed_on"]
            del self.fields["authority_informed_by"]
        if not with_vt:
            del self.fields["vt_contact"]
        self.fields["consultations"].queryset = consultations
        if not consultations.exists():
            del self.fields["consultations"]


class ConsultedForm(BoundedForm):
    consulted = forms.ModelChoiceField(label=_("Na overleg met (aandachtsfunctionaris of OKA)"),
                                       queryset=None)
    note = forms.CharField(label=_("Toelichting"), widget=_text(3))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consulted"].queryset = candidates


class DecisionForm(ConsultedForm):
    outcome = forms.ChoiceField(choices=[("close", "close"), ("help", "help"),
                                         ("melding", "melding")], widget=forms.HiddenInput)


class RedoForm(BoundedForm):
    reason = forms.CharField(label=_("Reden om opnieuw te wegen"), widget=_text(3))


class ObservationPeriodForm(BoundedForm):
    observer = forms.ModelChoiceField(label=_("Wie observeert"), queryset=None)
    what = forms.CharField(label=_("Wat wordt geobserveerd"), widget=_text(4))
    until = forms.DateField(label=_("Tot wanneer"), widget=DateInput())

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observer"].queryset = staff

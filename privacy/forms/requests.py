"""Forms of the right of access. They check types and date ranges; the rules (who, when,
four eyes) are privacy/services/requests.py's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.dates import DateRangeFormMixin
from cases.forms.workflow import DateInput
from meldcode.input_limits import BoundedForm
from privacy.models import AccessRequest, ParentResponse, WithheldItem


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class AccessRequestForm(DateRangeFormMixin, BoundedForm):
    past_days = ("received_on",)

    requester = forms.ChoiceField(label=_("Wie vraagt inzage"),
                                  choices=AccessRequest.Requester.choices,
                                  widget=forms.RadioSelect)
    carer = forms.ModelChoiceField(
        label=_("Ouder/verzorger"), queryset=None, required=False,
        help_text=_("Relatie en gezag worden overgenomen zoals vastgelegd bij de "
                    "ouders/verzorgers; ga ze na voordat u verder gaat."))
    identity_checked = forms.CharField(
        label=_("Hoe is de identiteit nagegaan"), max_length=300,
        help_text=_("Bijvoorbeeld: legitimatiebewijs getoond aan de aandachtsfunctionaris."))
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())

    def __init__(self, *args, carers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers


class ExtendForm(BoundedForm):
    reason = forms.CharField(label=_("Reden voor verlenging met twee maanden"),
                             widget=_text(3), max_length=2000,
                             help_text=_("Deze reden hoort de aanvrager binnen de eerste "
                                         "maand."))


class WithholdForm(BoundedForm):
    record = forms.CharField(widget=forms.HiddenInput, max_length=120)
    ground = forms.ChoiceField(label=_("Grond"), choices=WithheldItem.Ground.choices)
    explanation = forms.CharField(label=_("Toelichting"), widget=_text(2), max_length=2000)

    def record_key(self) -> tuple[str, str]:
        kind, _sep, pk = self.cleaned_data["record"].partition(":")
        return kind, pk


class WorkNotesForm(BoundedForm):
    """Only the choice and the ground: the notes' content is not the AF's to see."""

    handling = forms.ChoiceField(label=_("De werkaantekeningen bij deze casus"),
                                 choices=AccessRequest.WorkNotes.choices,
                                 widget=forms.RadioSelect)
    ground = forms.ChoiceField(label=_("Grond (als ze niet worden verstrekt)"),
                               required=False, choices=[("", "—"), *WithheldItem.Ground.choices])
    explanation = forms.CharField(
        label=_("Toelichting (als ze niet worden verstrekt)"), widget=_text(2),
        max_length=2000, required=False,
        help_text=_("Deze reden staat in de kopie. Noem geen inhoud van de aantekeningen."))


class DeliverForm(DateRangeFormMixin, BoundedForm):
    past_days = ("delivered_on",)

    delivery = forms.ChoiceField(label=_("Hoe is de inzage gegeven"),
                                 choices=AccessRequest.Delivery.choices,
                                 widget=forms.RadioSelect)
    delivered_on = forms.DateField(label=_("Op"), widget=DateInput())
    note = forms.CharField(label=_("Toelichting"), widget=_text(2), max_length=2000,
                           required=False,
                           help_text=_("Bij samen lezen: wie waren erbij."))


class ResponseForm(BoundedForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=ParentResponse.Kind.choices,
                             widget=forms.RadioSelect)
    about = forms.CharField(label=_("Over welk onderdeel"), max_length=300, required=False)
    text = forms.CharField(label=_("Tekst"), widget=_text(4), max_length=5000,
                           help_text=_("De correctie die de ouders vragen, of hun eigen "
                                       "verklaring in hun woorden."))
    outcome = forms.ChoiceField(label=_("Uitkomst (bij een correctie)"), required=False,
                                choices=[("", "—"), *ParentResponse.Outcome.choices])

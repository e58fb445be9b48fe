"""Forms of the melding pages (types and required fields; the rules are the services')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.workflow import DateInput, DateTimeInput
from cases.models import ConversationExemption
from decisions.models import Report, ReportFact, ReportSending
from decisions.services.reports import CONTENT_FIELDS
from meldcode.input_limits import BoundedForm, BoundedModelForm


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ReportContentForm(BoundedModelForm):
    class Meta:
        model = Report
        fields = list(CONTENT_FIELDS)
        widgets = {name: _text(4) for name in ("family", "network", "other_information",
                                               "school_agreements")}


class FactForm(BoundedForm):
    text = forms.CharField(label=_("Feit of gebeurtenis"), widget=_text(3))
    occurred_on = forms.DateField(label=_("Datum"), widget=DateInput(), required=False)
    source = forms.ChoiceField(label=_("Bron"), choices=ReportFact.Source.choices,
                               widget=forms.RadioSelect, initial=ReportFact.Source.OWN)
    source_name = forms.CharField(label=_("Naam en rol van de derde"), max_length=200,
                                  required=False)


class PickForm(BoundedForm):
    observation = forms.ModelChoiceField(label=_("Observatie uit de chronologie"),
                                         queryset=None)

    def __init__(self, *args, observations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["observation"].queryset = observations


class RemoveFactForm(BoundedForm):
    fact = forms.UUIDField(widget=forms.HiddenInput)


class EmptyForm(BoundedForm):
    pass


class ApproveForm(BoundedForm):
    confirmed = forms.BooleanField(
        label=_("Ik heb de melding gelezen en keur haar goed; daarna verandert zij niet meer."),
        required=False)


class RejectForm(BoundedForm):
    reason = forms.CharField(label=_("Reden om de melding terug te sturen"), widget=_text(3))


class ConversationForm(BoundedForm):
    held_on = forms.DateField(label=_("Datum van het gesprek"), widget=DateInput())
    held_by = forms.CharField(label=_("Gevoerd door"), max_length=300)
    with_parents = forms.BooleanField(label=_("Met de ouders"), required=False, initial=True)
    with_pupil = forms.BooleanField(label=_("Met de leerling (vanaf 12 jaar verplicht)"),
                                    required=False)
    why_and_aim = forms.CharField(label=_("1. Uitgelegd waarom u meldt en met welk doel"),
                                  widget=_text(3))
    reaction = forms.CharField(label=_("2. Hun reactie"), widget=_text(3))
    objections = forms.CharField(label=_("3. Bezwaren"), widget=_text(3), required=False)
    objections_weighed = forms.CharField(
        label=_("4. Hoe aan de bezwaren is tegemoetgekomen, of hoe ze zijn afgewogen tegen de "
                "bescherming van de leerling"), widget=_text(3), required=False)
    conclusion = forms.CharField(label=_("5. Conclusie"), widget=_text(2))


class ExemptionForm(BoundedForm):
    reason = forms.ChoiceField(label=_("Reden om de melding niet vooraf te bespreken"),
                               choices=ConversationExemption.Reason.choices,
                               widget=forms.RadioSelect)
    explanation = forms.CharField(label=_("Toelichting"), widget=_text(3))


class SendForm(BoundedForm):
    sent_at = forms.DateTimeField(label=_("Datum en tijd van de melding"),
                                  widget=DateTimeInput(), input_formats=["%Y-%m-%dT%H:%M"])
    channel = forms.ChoiceField(label=_("Kanaal"), choices=ReportSending.Channel.choices,
                                widget=forms.RadioSelect)
    vt_contact = forms.CharField(label=_("Contactpersoon bij Veilig Thuis"), max_length=200)
    vt_reference = forms.CharField(label=_("Kenmerk van Veilig Thuis"), max_length=100)


class FeedbackForm(BoundedForm):
    received_on = forms.DateField(label=_("Ontvangen op"), widget=DateInput())
    decision = forms.CharField(label=_("Besluit en terugkoppeling van Veilig Thuis"),
                               widget=_text(3))
    agreements = forms.CharField(label=_("Afspraken met Veilig Thuis"), widget=_text(3),
                                 required=False)
    parents_reaction = forms.CharField(label=_("Reactie van de ouders"), widget=_text(3),
                                       required=False)


class AddendumForm(BoundedForm):
    text = forms.CharField(label=_("Aanvulling of correctie"), widget=_text(3))


class ShareForm(BoundedForm):
    member = forms.ModelChoiceField(label=_("Leerkracht in het casusteam"), queryset=None,
                                    empty_label=_("Kies een leerkracht"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = candidates

"""Forms for consent and for written information to third parties. They check types and
the range of dates; the rules (gezag, matching consent) are cases/services/consent.py's."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.dates import DateRangeFormMixin
from cases.forms.fields import without_blank_radio
from cases.forms.workflow import DateInput
from cases.models import Consent, ConsentWithdrawal, ThirdPartyDisclosure
from meldcode.input_limits import BoundedModelForm


class ConsentForm(DateRangeFormMixin, BoundedModelForm):
    past_days = ("given_on",)

    class Meta:
        model = Consent
        formfield_callback = without_blank_radio
        fields = ["carer", "given_on", "institution", "institution_name", "purpose", "how"]
        widgets = {
            "carer": forms.RadioSelect,
            "given_on": DateInput(),
            "institution": forms.RadioSelect,
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "carer": _("Alleen een ouder/verzorger met gezag kan toestemming geven."),
            "purpose": _("Bijvoorbeeld: bespreken in het zorgbreedteoverleg, of overleg met "
                         "de jeugdarts over de groei van de leerling."),
            "how": _("Bijvoorbeeld: mondeling in het gesprek van 3 maart, of schriftelijk."),
        }

    def __init__(self, *args, carers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carer"].queryset = carers
        self.fields["carer"].empty_label = None


class WithdrawalForm(DateRangeFormMixin, BoundedModelForm):
    past_days = ("withdrawn_on",)

    class Meta:
        model = ConsentWithdrawal
        fields = ["withdrawn_on", "note"]
        widgets = {"withdrawn_on": DateInput(), "note": forms.Textarea(attrs={"rows": 2})}


class DisclosureForm(DateRangeFormMixin, BoundedModelForm):
    past_days = ("sent_on",)

    class Meta:
        model = ThirdPartyDisclosure
        formfield_callback = without_blank_radio
        fields = ["recipient", "recipient_name", "document", "sent_on"]
        widgets = {"recipient": forms.RadioSelect, "sent_on": DateInput()}
        help_texts = {
            "recipient": _("Informatie aan anderen dan Veilig Thuis kan alleen met "
                           "toestemming van de ouders voor die instelling."),
            "document": _("Bijvoorbeeld: kopie van het gespreksverslag van 3 maart."),
        }

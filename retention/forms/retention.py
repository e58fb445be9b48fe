from django import forms
from django.utils.translation import gettext_lazy as _

from meldcode.input_limits import BoundedModelForm
from retention.models import HoldReason, LegalHold, RetentionPolicy


class RetentionPolicyForm(BoundedModelForm):
    class Meta:
        model = RetentionPolicy
        fields = RetentionPolicy.EDITABLE_FIELDS


class LegalHoldForm(BoundedModelForm):
    reason = forms.ChoiceField(label=_("Juridische reden"), choices=HoldReason.choices,
                               widget=forms.RadioSelect)
    review_on = forms.DateField(label=_("Opnieuw bekijken op"),
                                widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": _("Vul een geldige datum in.")})

    class Meta:
        model = LegalHold
        fields = ["reason", "explanation", "review_on"]

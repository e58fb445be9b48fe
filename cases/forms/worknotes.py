from django import forms
from django.utils.translation import gettext_lazy as _

from cases.services.worknotes import MAX_LENGTH
from meldcode.input_limits import BoundedForm


class WorkNoteForm(BoundedForm):
    text = forms.CharField(
        label=_("Aantekening"), max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Schrijf een aantekening.")},
    )

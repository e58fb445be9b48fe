"""Forms for carers, siblings, the group by hand and the pupil import. They check types;
the rules are the services' (cases/services/pupils.py, cases/services/imports.py)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.fields import without_blank_radio
from cases.models import Carer
from cases.services.import_files import FIELDS, MAX_BYTES
from meldcode.input_limits import BoundedForm, BoundedModelForm


class CarerForm(BoundedModelForm):
    class Meta:
        model = Carer
        formfield_callback = without_blank_radio
        fields = ["name", "relation", "relation_other", "gezag", "gezag_checked", "address",
                  "phone", "email", "language", "interpreter_needed", "safety_note"]
        widgets = {
            "relation": forms.RadioSelect,
            "gezag": forms.RadioSelect,
            "address": forms.Textarea(attrs={"rows": 2}),
            "safety_note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "gezag": _("Twijfel, of een scheiding? Raadpleeg het gezagsregister."),
            "safety_note": _("Zichtbaar voor wie een gesprek of brief voorbereidt, bijvoorbeeld "
                             "„niet benaderen zonder overleg met Veilig Thuis”, contactverbod "
                             "of huisverbod."),
        }


class SiblingForm(BoundedForm):
    pupil_number = forms.CharField(label=_("Leerlingnummer van de broer of zus"),
                                   max_length=40)


class GroupForm(BoundedForm):
    group_name = forms.CharField(label=_("Groep"), max_length=40)
    teachers = forms.ModelMultipleChoiceField(
        label=_("Leerkrachten van deze groep"), queryset=None, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Een eigen leerkracht van de leerling is nooit de coördinator van een "
                    "casus over deze leerling."))

    def __init__(self, *args, teachers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teachers"].queryset = teachers


class UploadForm(BoundedForm):
    file = forms.FileField(
        label=_("Bestand uit de leerlingadministratie"),
        help_text=_("Een CSV- of Excelbestand (.xlsx) met per leerling een rij. Er wordt nog "
                    "niets opgeslagen: u ziet eerst wat er zou veranderen."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 20 MB."))
        return upload


class MappingForm(BoundedForm):
    """Per field, the header of the file that holds it."""

    def __init__(self, *args, headers, initial_columns, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— niet in het bestand —"))] + [(h, h) for h in headers if h]
        for f in FIELDS:
            self.fields[f.name] = forms.ChoiceField(
                label=f.label, choices=choices, required=False,
                initial=initial_columns.get(f.name, ""))
            if f.required:
                self.fields[f.name].help_text = _("verplicht")

    def clean(self):
        data = super().clean()
        seen: dict[str, str] = {}
        for name, header in data.items():
            if header and header in seen:
                raise forms.ValidationError(
                    _("De kolom „%(header)s” is bij twee velden gekozen.") % {"header": header})
            if header:
                seen[header] = name
        return data

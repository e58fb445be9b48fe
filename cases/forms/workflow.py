"""Forms of the stappenplan pages. They check types, required fields and the domain range of
every date (cases/dates.py, the same checks the services make); the rules of the stappenplan
(who may, what is missing) are checked by cases/services/workflow.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import dates
from cases.dates import DateRangeFormMixin
from cases.models import (
    AcuteReport,
    Carer,
    Consultation,
    Conversation,
    ConversationCarer,
    ConversationExemption,
    Evaluation,
    StudentDeparture,
)
from cases.services.workflow import review_months


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class ConfirmForm(forms.Form):
    """No fields: the action itself is the decision (its guard was checked)."""


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Onderbouwing van het besluit"), widget=_text(4))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reden"), widget=_text(4))


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Nieuwe signalen"), widget=_text(4),
                             help_text=_("Wat is er opnieuw gesignaleerd? De casus gaat terug "
                                         "naar stap 2 (collegiale consultatie)."))


class ConclusionForm(forms.Form):
    argumentation = forms.CharField(
        label=_("Onderbouwing"), widget=_text(5),
        help_text=_("Waarom deze conclusie? Schrijf alsof de ouders meelezen."))


class ReviewConclusionForm(DateRangeFormMixin, ConclusionForm):
    review_date = forms.DateField(
        label=_("Datum waarop de aantekeningen opnieuw worden bekeken"), widget=DateInput(),
        help_text=_("Uiterlijk twee maanden vooruit."))

    def clean(self):
        cleaned = super().clean()
        self.check_field("review_date", dates.check_coming_day,
                         months=review_months(self.case))
        return cleaned


class ConsultationForm(DateRangeFormMixin, forms.ModelForm):
    past_days = ("held_on",)

    class Meta:
        model = Consultation
        fields = ["kind", "kind_other", "participants", "held_on", "anonymous", "advice",
                  "action_points", "time_limit"]
        widgets = {
            "kind": forms.RadioSelect,
            "participants": _text(2),
            "held_on": DateInput(),
            "advice": _text(4),
            "action_points": _text(3),
            "time_limit": DateInput(),
        }
        help_texts = {
            "kind": _("Advies vragen bij Veilig Thuis is géén melding: het kan anoniem en "
                      "zonder de ouders vooraf in te lichten. Een melding doet u later, na "
                      "het afwegingskader."),
            "anonymous": _("Zonder de naam van de leerling of de ouders te noemen."),
            "time_limit": _("De coördinator stelt een tijdslimiet voor deze fase."),
        }

    def clean(self):
        cleaned = super().clean()
        self.check_field("time_limit", dates.check_coming_day)
        return cleaned


class ConversationForm(DateRangeFormMixin, forms.ModelForm):
    past_days = ("held_on",)

    class Meta:
        model = Conversation
        fields = ["held_on", "with_parents", "with_pupil", "school_participants",
                  "other_participants", "purpose_explained", "facts_described",
                  "reaction_invited", "reaction", "interpretation", "summary",
                  "report_signed"]
        widgets = {
            "held_on": DateInput(),
            "school_participants": forms.CheckboxSelectMultiple,
            "facts_described": _text(4),
            "reaction": _text(4),
            "interpretation": _text(3),
            "summary": _text(4),
        }
        labels = {
            "purpose_explained": _("1. Het doel van het gesprek is uitgelegd"),
            "facts_described": _("2. De feiten en waarnemingen die zijn beschreven"),
            "reaction_invited": _("3. De ouders (of de leerling) zijn uitgenodigd te reageren"),
            "reaction": _("4. Hun reactie"),
            "interpretation": _("5. Interpretatie, pas na de reactie"),
            "summary": _("6. Samenvatting en afspraken"),
        }
        help_texts = {
            "school_participants": _("Met ouders bij voorkeur twee mensen namens school; met "
                                     "de leerling bij voorkeur één."),
        }

    def __init__(self, *args, staff, carers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school_participants"].queryset = staff
        self.fields["with_parents"].required = False
        self.fields["with_pupil"].required = False
        # One question per carer of the pupil: took part, invited, or not invited (why).
        self.carers = list(carers)
        choices = [("", _("niet betrokken"))] + list(ConversationCarer.Presence.choices)
        for carer in self.carers:
            gezag = carer.gezag == Carer.Gezag.JA
            label = (_("%(name)s (heeft gezag)") if gezag else "%(name)s") % {"name": carer.name}
            self.fields[f"carer_{carer.pk}"] = forms.ChoiceField(
                label=label, choices=choices[1:] if gezag else choices, required=False,
                widget=forms.RadioSelect)
            self.fields[f"carer_{carer.pk}_reason"] = forms.CharField(
                label=_("Reden om %(name)s niet uit te nodigen") % {"name": carer.name},
                required=False, widget=_text(2),
                help_text=_("Verplicht voor een ouder met gezag die niet is uitgenodigd."))

    def clean(self):
        data = super().clean()
        presence = []
        for carer in self.carers:
            choice = data.pop(f"carer_{carer.pk}", "")
            reason = data.pop(f"carer_{carer.pk}_reason", "")
            presence.append((carer, choice, reason))
        data["carers"] = presence
        return data


class ExemptionForm(forms.ModelForm):
    class Meta:
        model = ConversationExemption
        fields = ["reason", "explanation"]
        widgets = {"reason": forms.RadioSelect, "explanation": _text(4)}


class CoordinatorForm(forms.Form):
    coordinator = forms.ModelChoiceField(
        label=_("Coördinator"), queryset=None, empty_label=_("Kies een medewerker"),
        help_text=_("Bij voorkeur een lid van het zorgteam; nooit een eigen leerkracht van de "
                    "leerling."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = candidates


class EvaluationForm(DateRangeFormMixin, forms.ModelForm):
    past_days = ("held_on",)

    class Meta:
        model = Evaluation
        fields = ["held_on", "participants", "outcome", "monitoring_agreements"]
        widgets = {"held_on": DateInput(), "participants": _text(2), "outcome": _text(4),
                   "monitoring_agreements": _text(3)}
        help_texts = {
            "monitoring_agreements": _("Het zorgteam volgt de leerling ten minste een half "
                                       "jaar; de leerkracht let nog ten minste vier maanden "
                                       "na de evaluatie op."),
        }


class AcuteReportForm(DateRangeFormMixin, forms.ModelForm):
    past_moments = ("called_at",)

    class Meta:
        model = AcuteReport
        fields = ["called_at", "called_by", "vt_contact", "vt_reference", "reason"]
        widgets = {"called_at": DateTimeInput(), "reason": _text(4)}
        help_texts = {"reason": _("Het directe gevaar: wie, wat, wanneer.")}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["called_by"].queryset = staff
        self.fields["called_at"].input_formats = ["%Y-%m-%dT%H:%M"]


class MeldplichtRecordForm(DateRangeFormMixin, forms.Form):
    past_days = ("inspector_contact_on", "aangifte_on")

    inspector_contact_on = forms.DateField(label=_("Contact met de vertrouwensinspecteur op"),
                                           widget=DateInput())
    inspector_notes = forms.CharField(label=_("Aantekeningen van dat contact"),
                                      widget=_text(4))
    aangifte = forms.TypedChoiceField(
        label=_("Is er aangifte gedaan?"), widget=forms.RadioSelect,
        choices=[("ja", _("Ja")), ("nee", _("Nee"))], coerce=lambda v: v == "ja")
    aangifte_on = forms.DateField(label=_("Datum van het besluit"), widget=DateInput())
    aangifte_reasoning = forms.CharField(label=_("Onderbouwing"), widget=_text(4))


class DepartureForm(DateRangeFormMixin, forms.ModelForm):
    past_days = ("left_on", "care_handover_on", "vt_informed_on", "parents_informed_on")

    class Meta:
        model = StudentDeparture
        fields = ["left_on", "new_school", "care_handover_on", "care_handover_notes",
                  "vt_informed_on", "parents_informed_on"]
        widgets = {"left_on": DateInput(), "care_handover_on": DateInput(),
                   "care_handover_notes": _text(3), "vt_informed_on": DateInput(),
                   "parents_informed_on": DateInput()}

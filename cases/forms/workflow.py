"""Forms of the stappenplan pages. They check types, required fields and the domain range of
every date (cases/dates.py, the same checks the services make); the rules of the stappenplan
(who may, what is missing) are checked by cases/services/workflow.py."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import dates
from cases.dates import DateRangeFormMixin
from cases.forms.fields import without_blank_radio
from cases.models import (
    AcuteReport,
    Carer,
    Consultation,
    Conversation,
    ConversationCarer,
    ConversationExemption,
    DepartureDuty,
    Evaluation,
    MeldplichtRecord,
    NazorgOffer,
    StudentDeparture,
)
from cases.models.workflow import AbuseForm, OutsiderFunction, SpecificForm
from cases.services.workflow import review_months
from meldcode.input_limits import BoundedForm, BoundedModelForm

OUTSIDER_ROWS = 3


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


class ConfirmForm(BoundedForm):
    """No fields: the action itself is the decision (its guard was checked)."""


class NoteForm(BoundedForm):
    note = forms.CharField(label=_("Onderbouwing van het besluit"), widget=_text(4))


class ReasonForm(BoundedForm):
    reason = forms.CharField(label=_("Reden"), widget=_text(4))


class ReopenForm(BoundedForm):
    reason = forms.CharField(label=_("Nieuwe signalen"), widget=_text(4),
                             help_text=_("Wat is er opnieuw gesignaleerd? De casus gaat terug "
                                         "naar stap 2 (collegiale consultatie)."))


class ConclusionForm(BoundedForm):
    argumentation = forms.CharField(
        label=_("Onderbouwing"), widget=_text(5),
        help_text=_("Waarom deze conclusie? Schrijf alsof de ouders meelezen."))


class ReviewConclusionForm(DateRangeFormMixin, ConclusionForm):
    review_date = forms.DateField(
        label=_("Datum waarop de aantekeningen opnieuw worden bekeken"), widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The board may shorten the meldcode's two months; the help follows its term.
        months = review_months(self.case) if self.case is not None else 2
        self.fields["review_date"].help_text = (
            _("Uiterlijk één maand vooruit (termijn van het bestuur).") if months == 1
            else _("Uiterlijk twee maanden vooruit."))

    def clean(self):
        cleaned = super().clean()
        self.check_field("review_date", dates.check_coming_day,
                         months=review_months(self.case))
        return cleaned


class ConsultationForm(DateRangeFormMixin, BoundedModelForm):
    """Who took part is structured: staff of the school (ticked) and up to three named
    outsiders with their function; the free text is a remark on top of that."""

    past_days = ("held_on",)

    class Meta:
        model = Consultation
        formfield_callback = without_blank_radio
        fields = ["kind", "kind_other", "staff_participants", "participants", "held_on",
                  "anonymous", "advice", "action_points", "time_limit"]
        widgets = {
            "kind": forms.RadioSelect,
            "staff_participants": forms.CheckboxSelectMultiple,
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
            "anonymous": _("Zonder de naam van de leerling of de ouders te noemen. Advies "
                           "van Veilig Thuis vraagt u anoniem; contact met andere "
                           "instellingen op naam kan alleen met toestemming van de ouders."),
            "time_limit": _("De coördinator stelt een tijdslimiet voor deze fase."),
            "staff_participants": _("In het zorgteam of zorgbreedteoverleg (ZBO) in ieder "
                                    "geval de jeugdarts en de OKA."),
        }

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["staff_participants"].queryset = staff
        self.fields["staff_participants"].required = False
        # Anonymous unless the AF says otherwise: the advice of Veilig Thuis is asked on
        # anonymous data (004 stap 2), and other contact needs consent on the pupil's name.
        self.initial["anonymous"] = True
        for i in range(1, OUTSIDER_ROWS + 1):
            self.fields[f"outsider_{i}_name"] = forms.CharField(
                label=_("Deelnemer van buiten de school %(n)s: naam") % {"n": i},
                max_length=200, required=False)
            self.fields[f"outsider_{i}_function"] = forms.ChoiceField(
                label=_("Deelnemer van buiten de school %(n)s: functie") % {"n": i},
                required=False,
                choices=[("", _("Kies een functie"))] + list(OutsiderFunction.choices))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["outsiders"] = [(data.pop(f"outsider_{i}_name"), data.pop(f"outsider_{i}_function"))
                             for i in range(1, OUTSIDER_ROWS + 1)]
        data["staff_participants"] = list(data.get("staff_participants") or [])
        return data

    def clean(self):
        cleaned = super().clean()
        self.check_field("time_limit", dates.check_coming_day)
        return cleaned


class ClassificationForm(BoundedForm):
    abuse_forms = forms.MultipleChoiceField(
        label=_("Vorm(en) van kindermishandeling"), choices=AbuseForm.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("De zes vormen uit de meldcode; kies alle die u vermoedt."))
    specific_forms = forms.MultipleChoiceField(
        label=_("Specifieke vormen"), choices=SpecificForm.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bij een vermoeden hiervan neemt u met spoed contact op met Veilig Thuis, "
                    "vóór een gesprek met de ouders."))
    note = forms.CharField(label=_("Toelichting"), widget=_text(3), required=False)



class ConversationForm(DateRangeFormMixin, BoundedModelForm):
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


class ExemptionForm(BoundedModelForm):
    class Meta:
        model = ConversationExemption
        formfield_callback = without_blank_radio
        fields = ["reason", "explanation"]
        widgets = {"reason": forms.RadioSelect, "explanation": _text(4)}


class CoordinatorForm(BoundedForm):
    coordinator = forms.ModelChoiceField(
        label=_("Coördinator"), queryset=None, empty_label=_("Kies een medewerker"),
        help_text=_("Bij voorkeur een lid van het zorgteam; nooit een eigen leerkracht van de "
                    "leerling."))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["coordinator"].queryset = candidates


class EvaluationForm(DateRangeFormMixin, BoundedModelForm):
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


class AcuteReportForm(DateRangeFormMixin, BoundedModelForm):
    past_moments = ("called_at", "police_called_at")

    class Meta:
        model = AcuteReport
        fields = ["called_at", "called_by", "vt_contact", "vt_reference", "reason",
                  "police_called", "police_called_at", "police_reference"]
        widgets = {"called_at": DateTimeInput(), "reason": _text(4),
                   "police_called_at": DateTimeInput()}
        help_texts = {"reason": _("Het directe gevaar: wie, wat, wanneer."),
                      "police_called": _("Bij direct gevaar belt u eerst 112.")}

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["called_by"].queryset = staff
        self.fields["called_at"].input_formats = ["%Y-%m-%dT%H:%M"]
        self.fields["police_called_at"].input_formats = ["%Y-%m-%dT%H:%M"]


def _yes_no(label, required=True):
    return forms.TypedChoiceField(label=label, widget=forms.RadioSelect, required=required,
                                  choices=[("ja", _("Ja")), ("nee", _("Nee"))],
                                  coerce=lambda v: v == "ja", empty_value=None)


class MeldplichtSwitchForm(DateRangeFormMixin, BoundedForm):
    kind = forms.ChoiceField(label=_("Soort vermoeden"), widget=forms.RadioSelect,
                             choices=MeldplichtRecord.Kind.choices)
    reason = forms.CharField(label=_("Reden"), widget=_text(4))
    suspect = forms.ModelChoiceField(
        label=_("Verdachte medewerker"), queryset=None, required=False,
        empty_label=_("Geen gebruiker van Meldcode of onbekend"),
        help_text=_("Wie hier staat, kan de casus nooit meer inzien."))
    suspect_is_directie = forms.BooleanField(
        label=_("De verdachte is (lid van) de directie"), required=False,
        help_text=_("Dan zien alleen u en het bestuur de casus."))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["suspect"].queryset = staff


class ExclusionForm(DateRangeFormMixin, BoundedForm):
    person = forms.ModelChoiceField(label=_("Persoon"), queryset=None,
                                    empty_label=_("Kies een persoon"))
    reason = forms.CharField(label=_("Reden"), max_length=300,
                             help_text=_("Waarom mag deze persoon de casus niet zien?"))

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff


class MeldplichtRecordForm(DateRangeFormMixin, BoundedForm):
    """Required fields depend on the kind; the service says what is missing."""

    past_days = ("inspector_contact_on", "aangifte_on", "parents_informed_on",
                 "staff_informed_on")

    inspector_contact_on = forms.DateField(label=_("Contact met de vertrouwensinspecteur op"),
                                           widget=DateInput(), required=False)
    inspector_notes = forms.CharField(label=_("Aantekeningen van dat contact"),
                                      widget=_text(4), required=False)
    redelijk_vermoeden = _yes_no(_("Is er volgens dat overleg een redelijk vermoeden van een "
                                   "strafbaar feit?"), required=False)
    aangifte = _yes_no(_("Is er aangifte gedaan?"), required=False)
    aangifte_on = forms.DateField(label=_("Datum van het besluit"), widget=DateInput(),
                                  required=False)
    parents_informed_on = forms.DateField(label=_("Ouders ingelicht op"), widget=DateInput(),
                                          required=False)
    staff_informed_on = forms.DateField(label=_("Medewerker ingelicht op"),
                                        widget=DateInput(), required=False)
    aangifte_reasoning = forms.CharField(label=_("Onderbouwing"), widget=_text(4))


class DepartureForm(DateRangeFormMixin, BoundedModelForm):
    past_days = ("left_on", "care_handover_on", "vt_informed_on", "parents_informed_on")

    class Meta:
        model = StudentDeparture
        fields = ["left_on", "new_school"]
        widgets = {"left_on": DateInput()}
        help_texts = {"new_school": _("Leeg als de nieuwe school niet bekend is: dan "
                                      "informeert u de leerplichtambtenaar.")}


class DepartureDutyForm(DateRangeFormMixin, BoundedModelForm):
    past_days = ("done_on",)

    class Meta:
        model = DepartureDuty
        formfield_callback = without_blank_radio
        fields = ["duty", "done_on", "notes"]
        widgets = {"duty": forms.RadioSelect, "done_on": DateInput(), "notes": _text(3)}
        help_texts = {"notes": _("Bij de overdracht: met wie op de nieuwe school, en wat is "
                                 "overgedragen.")}


class NazorgForm(DateRangeFormMixin, BoundedModelForm):
    past_days = ("offered_on",)

    class Meta:
        model = NazorgOffer
        fields = ["offered_to", "offered_on"]
        widgets = {"offered_on": DateInput()}


PLAN_ROWS = 4


class PlanForm(DateRangeFormMixin, BoundedForm):
    """Up to four lines of the plan van aanpak: wat, wie, wanneer."""

    def __init__(self, *args, staff, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(1, PLAN_ROWS + 1):
            self.fields[f"item_{i}_what"] = forms.CharField(
                label=_("Actiepunt %(n)s: wat") % {"n": i}, max_length=200, required=False)
            self.fields[f"item_{i}_who"] = forms.ModelChoiceField(
                label=_("Actiepunt %(n)s: wie") % {"n": i}, queryset=staff, required=False,
                empty_label=_("Kies een medewerker"))
            self.fields[f"item_{i}_due"] = forms.DateField(
                label=_("Actiepunt %(n)s: uiterlijk op") % {"n": i}, widget=DateInput(),
                required=False)

    def clean(self):
        cleaned = super().clean()
        for i in range(1, PLAN_ROWS + 1):
            if cleaned.get(f"item_{i}_due") is not None:
                self.check_field(f"item_{i}_due", dates.check_coming_day)
        return cleaned

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {"items": [(data[f"item_{i}_what"], data[f"item_{i}_who"],
                           data[f"item_{i}_due"]) for i in range(1, PLAN_ROWS + 1)]}

"""Forms of step 1. They parse input and check the domain range of the date (cases/dates.py);
what makes an observation complete is decided by `cases.services.observations.submission_errors`."""

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from cases.dates import DateRangeFormMixin
from cases.models import InjuryMark, Observation, ObservationFollowUp, Statement
from cases.services.observations import InjuryInput, ObservationInput, StatementInput
from meldcode.input_limits import BoundedForm

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class ObservationForm(DateRangeFormMixin, BoundedForm):
    past_moments = ("observed_at",)

    observed_at = forms.DateTimeField(
        label=_("Datum en tijd"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        error_messages={"required": _("Vul de datum en tijd in."),
                        "invalid": _("Vul een geldige datum en tijd in.")},
    )
    place = forms.CharField(label=_("Plaats"), max_length=200, required=False,
                            help_text=_("Bijvoorbeeld: klaslokaal groep 5, schoolplein, "
                                        "bij het hek."))
    situation = forms.CharField(
        label=_("Situatie"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Beschrijf zo feitelijk mogelijk wat u zag of hoorde. Schrijf alsof de "
                    "ouders over uw schouder meelezen."),
    )
    present = forms.CharField(label=_("Wie waren erbij?"), max_length=300, required=False,
                              help_text=_("Namen of rollen, bijvoorbeeld: de klas, de "
                                          "gymleraar, de moeder."))
    origin = forms.ChoiceField(label=_("Hoe is uw zorg ontstaan?"),
                               choices=Observation.Origin.choices,
                               initial=Observation.Origin.OWN, widget=forms.RadioSelect)
    source_name = forms.CharField(label=_("Naam van wie het u vertelde"), max_length=200,
                                  required=False)
    source_role = forms.CharField(label=_("Rol van wie het u vertelde"), max_length=200,
                                  required=False,
                                  help_text=_("Bijvoorbeeld: moeder, klasgenoot, buurvrouw."))
    signals = forms.MultipleChoiceField(label=_("Signalen uit de signalenlijst"),
                                        required=False, widget=forms.CheckboxSelectMultiple)
    free_signals = forms.CharField(
        label=_("Andere signalen"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Signalen die niet in de lijst staan, in uw eigen woorden."),
    )
    diagnosis = forms.CharField(
        label=_("Diagnose"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Alleen een diagnose die een daartoe opgeleide deskundige heeft gesteld "
                    "(bijvoorbeeld een orthopedagoog of jeugdarts), met naam en functie."),
    )
    diagnosis_by_name = forms.CharField(label=_("Diagnose gesteld door (naam)"),
                                        max_length=200, required=False)
    diagnosis_by_role = forms.CharField(label=_("Diagnose gesteld door (functie)"),
                                        max_length=200, required=False)
    direct_danger = forms.TypedChoiceField(
        label=_("Is de leerling nu in direct gevaar?"), widget=forms.RadioSelect,
        choices=[("nee", _("Nee")), ("ja", _("Ja"))], initial="nee", required=False,
        coerce=lambda value: value == "ja", empty_value=False,
        help_text=_("Ja: de aandachtsfunctionaris en de directie krijgen direct bericht zodra "
                    "dit concept is opgeslagen."))

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.categories = categories
        self.signal_lookup = {
            str(signal.pk): signal for category in categories
            for signal in category.signals_for_age
        }
        self.fields["signals"].choices = [(pk, s.text) for pk, s in self.signal_lookup.items()]
        self.fields["signals"].error_messages["invalid_choice"] = _(
            "Een gekozen signaal hoort niet bij de signalenlijst voor de leeftijd van de "
            "leerling op de observatiedatum. Kies opnieuw.")

    def selected_signal_ids(self) -> set[str]:
        if self.is_bound:
            return set(self.data.getlist("signals")) if hasattr(self.data, "getlist") else set()
        return {str(pk) for pk in self.initial.get("signals", ())}

    @classmethod
    def initial_from(cls, observation: Observation) -> dict:
        initial = {name: getattr(observation, name) for name in (
            "observed_at", "place", "situation", "present", "origin", "source_name",
            "source_role", "free_signals", "diagnosis", "diagnosis_by_name",
            "diagnosis_by_role")}
        initial["direct_danger"] = "ja" if observation.direct_danger else "nee"
        initial["signals"] = [str(s.pk) for s in observation.signals.all()]
        return initial


class StatementForm(BoundedForm):
    kind = forms.ChoiceField(label=_("Soort"), choices=Statement.Kind.choices,
                             initial=Statement.Kind.FACT)
    text = forms.CharField(label=_("Uitspraak"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class InjuryForm(BoundedForm):
    side = forms.ChoiceField(label=_("Kant"), choices=InjuryMark.Side.choices,
                             initial=InjuryMark.Side.FRONT)
    region = forms.ChoiceField(label=_("Lichaamsdeel"), required=False,
                               choices=[("", _("Kies een lichaamsdeel"))]
                               + list(InjuryMark.Region.choices))
    kind = forms.ChoiceField(label=_("Soort letsel"), required=False,
                             choices=[("", _("Kies de soort letsel"))]
                             + list(InjuryMark.Kind.choices))
    size = forms.CharField(label=_("Grootte"), max_length=60, required=False,
                           help_text=_("Bijvoorbeeld: 3 cm, zo groot als een muntstuk."))
    description = forms.CharField(label=_("Beschrijving"), required=False)
    x = forms.DecimalField(required=False, min_value=0, max_value=100, decimal_places=2,
                           widget=forms.HiddenInput)
    y = forms.DecimalField(required=False, min_value=0, max_value=100, decimal_places=2,
                           widget=forms.HiddenInput)


StatementFormSet = formset_factory(StatementForm, extra=3, max_num=50, validate_max=True)
InjuryFormSet = formset_factory(InjuryForm, extra=1, can_delete=True, max_num=50,
                                validate_max=True)

STATEMENTS_PREFIX = "uitspraken"
INJURIES_PREFIX = "letsels"


def build_forms(data=None, *, case, categories, observation: Observation | None = None,
                initial: dict | None = None):
    """The observation form and its two row sets, bound to `data` or filled from a draft."""
    statements_initial = injuries_initial = None
    if observation is not None and data is None:
        initial = ObservationForm.initial_from(observation)
        statements_initial = [{"kind": s.kind, "text": s.text}
                              for s in observation.statements.all()]
        injuries_initial = [
            {"side": m.side, "region": m.region, "kind": m.kind, "size": m.size,
             "description": m.description, "x": m.x, "y": m.y}
            for m in observation.injuries.order_by("pk")
        ]
    form = ObservationForm(data, case=case, categories=categories, initial=initial)
    statements = StatementFormSet(data, prefix=STATEMENTS_PREFIX, initial=statements_initial)
    injuries = InjuryFormSet(data, prefix=INJURIES_PREFIX, initial=injuries_initial)
    return form, statements, injuries


def to_input(form, statements, injuries) -> ObservationInput:
    """The parsed form as service input (blank statement rows and deleted marks dropped)."""
    data = form.cleaned_data
    return ObservationInput(
        observed_at=data["observed_at"],
        place=data["place"].strip(), situation=data["situation"].strip(),
        present=data["present"].strip(), origin=data["origin"],
        source_name=data["source_name"].strip(), source_role=data["source_role"].strip(),
        signals=[form.signal_lookup[pk] for pk in data["signals"]],
        free_signals=data["free_signals"].strip(), diagnosis=data["diagnosis"].strip(),
        diagnosis_by_name=data["diagnosis_by_name"].strip(),
        diagnosis_by_role=data["diagnosis_by_role"].strip(),
        direct_danger=bool(data.get("direct_danger")),
        statements=[
            StatementInput(kind=row["kind"], text=row["text"].strip())
            for row in statements.cleaned_data if row and row.get("text", "").strip()
        ],
        injuries=[
            InjuryInput(side=row["side"], region=row["region"], kind=row["kind"],
                        size=row["size"].strip(), description=row["description"].strip(),
                        x=row["x"], y=row["y"])
            for row in injuries.cleaned_data if row and not row.get("DELETE")
        ],
    )


class FollowUpForm(BoundedForm):
    kind = forms.ChoiceField(label=_("Soort vervolgnotitie"),
                             choices=ObservationFollowUp.Kind.choices,
                             initial=ObservationFollowUp.Kind.CORRECTION,
                             widget=forms.RadioSelect)
    statement = forms.ModelChoiceField(
        label=_("Over welke hypothese?"), queryset=Statement.objects.none(), required=False,
        empty_label=_("Geen (algemene correctie of aanvulling)"),
        help_text=_("Verplicht bij 'hypothese bevestigd' of 'hypothese weerlegd'."),
    )
    text = forms.CharField(label=_("Toelichting"), widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Schrijf de toelichting op.")})

    def __init__(self, *args, observation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["statement"].queryset = observation.statements.filter(
            kind=Statement.Kind.HYPOTHESIS)

"""Forms of the help route (types and required fields; the rules are the services')."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.forms.workflow import DateInput
from meldcode.input_limits import BoundedForm


def _text(rows=3):
    return forms.Textarea(attrs={"rows": rows})


class HelpPlanForm(BoundedForm):
    help_description = forms.CharField(label=_("Welke hulp"), widget=_text(3))
    provided_by = forms.CharField(
        label=_("Door wie"), widget=_text(2),
        help_text=_("Iemand uit de tweedelijnsondersteuning (intern begeleider, "
                    "orthopedagoog, schoolpsycholoog, OKA) of een ketenpartner (leerplicht, "
                    "buurt- of wijkteam, GGD/jeugdgezondheidszorg, PIT); nooit alleen de "
                    "leerkracht."))
    casemanager = forms.ModelChoiceField(label=_("Casemanager"), queryset=None)
    termijn = forms.DateField(label=_("Termijn waarop effect meetbaar of merkbaar moet zijn"),
                              widget=DateInput())
    expected_results = forms.CharField(label=_("Afgesproken resultaten (veiligheid, welzijn, "
                                               "herstel)"), widget=_text(3))
    tasks = forms.CharField(
        label=_("Wie doet wat"), widget=_text(4),
        help_text=_("Eén regel per betrokkene: naam of functie, dubbele punt, taak. "
                    "Bijvoorbeeld: OKA: gesprekken met moeder, elke twee weken."))
    accepted = forms.BooleanField(label=_("De betrokkenen aanvaarden de hulp en werken mee"),
                                  required=False)
    parents_informed = forms.CharField(
        label=_("Hoe de ouders zijn geïnformeerd en betrokken (directie met de AF)"),
        widget=_text(3))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["casemanager"].queryset = candidates

    def clean_tasks(self):
        rows = []
        for line in self.cleaned_data["tasks"].splitlines():
            if not line.strip():
                continue
            who, sep, task = line.partition(":")
            if not sep:
                raise forms.ValidationError(_("Schrijf elke regel als 'wie: taak'."))
            rows.append((who, task))
        return rows


class HelpResultForm(BoundedForm):
    reached = forms.TypedChoiceField(
        label=_("Leidt de hulp binnen de termijn tot de afgesproken resultaten?"),
        widget=forms.RadioSelect, coerce=lambda v: v == "ja",
        choices=[("ja", _("B: JA, hulp afsluiten met afspraken over monitoren")),
                 ("nee", _("A: NEE, de onveiligheid stopt niet of herhaalt zich: melden "
                           "(meldnorm C)"))])
    argumentation = forms.CharField(label=_("Argumentatie"), widget=_text(4))
    monitoring_agreements = forms.CharField(label=_("Afspraken over het monitoren"),
                                            widget=_text(3), required=False)
    nazorg = forms.CharField(label=_("Nazorgtraject: termijnen en verwachtingen"),
                             widget=_text(3), required=False)
    nazorg_review_on = forms.DateField(
        label=_("Eerste termijn van de nazorg: nagaan op"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De casemanager en de aandachtsfunctionaris krijgen op die dag een taak "
                    "om na te gaan of de nazorg loopt zoals afgesproken."))
    parents_contact_checked = forms.CharField(
        label=_("Nagevraagd of de ouders contact hadden met de hulpverlening"),
        widget=_text(2), required=False)
    vt_contact = forms.CharField(label=_("Contactpersoon bij Veilig Thuis (na een melding)"),
                                 max_length=200, required=False)


class CloseHelpForm(BoundedForm):
    note = forms.CharField(label=_("Toelichting bij het afsluiten van de hulp"),
                           widget=_text(3))

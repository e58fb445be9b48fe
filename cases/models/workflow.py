"""Stappenplan records: what was concluded, consulted, discussed and decided, and by whom.

Every record is written once by a service in cases/services/workflow.py (with an audit
event in the same transaction) and never edited afterwards: a later insight is a new record.
The one exception is the bestuur's part of a MeldplichtRecord, filled in once, later.
The transitions between phases themselves are `PhaseTransition` rows, so that questions like
"was there help or a melding in this cycle?" and "since when is the case monitored?" are
answered from data, not from the current phase alone.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case, Phase
from meldcode.workdays import day_label

__all__ = [
    "AbuseClassification",
    "AcuteReport",
    "ActionPlanItem",
    "CaseExclusion",
    "DepartureDuty",
    "CaseReopening",
    "Consultation",
    "Conversation",
    "ConversationExemption",
    "Evaluation",
    "MeldplichtRecord",
    "NazorgOffer",
    "PhaseConclusion",
    "PhaseDecision",
    "PhaseTransition",
    "StudentDeparture",
]


def _describe(record) -> str:
    return f"{record._meta.verbose_name} {day_label(record.recorded_at)}"


class _Record(models.Model):
    """Common fields: which case, who recorded it and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["recorded_at"]


class PhaseTransition(_Record):
    """One move of a case from one phase to another, by a workflow action."""

    action = models.CharField(max_length=40)
    from_phase = models.CharField(max_length=20, choices=Phase.choices)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="transitions")

    class Meta(_Record.Meta):
        verbose_name = _("faseovergang")
        verbose_name_plural = _("faseovergangen")

    def __str__(self):
        return _describe(self)


class PhaseConclusion(_Record):
    """The conclusion at the end of step 1, 2 or 3 (seed 000): unfounded, no confirmation
    (keep observing until a review date), or doubt/confirmation (next step)."""

    class Outcome(models.TextChoices):
        ONGEGROND = "ongegrond", _("Het vermoeden blijkt ongegrond")
        GEEN_BEVESTIGING = "geen_bevestiging", _("Er is geen bevestiging van het vermoeden")
        TWIJFEL_BEVESTIGING = "twijfel_bevestiging", _(
            "Twijfel, of een bevestiging van het vermoeden")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conclusions")
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    outcome = models.CharField(_("conclusie"), max_length=24, choices=Outcome.choices)
    argumentation = models.TextField(_("onderbouwing"))
    review_date = models.DateField(_("datum waarop de aantekeningen opnieuw worden bekeken"),
                                   null=True, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("faseconclusie")
        verbose_name_plural = _("faseconclusies")

    def __str__(self):
        return _describe(self)


class OutsiderFunction(models.TextChoices):
    """The function of someone from outside the school's staff who took part (004
    handelingsprotocol stap 2: the ZBO has "in ieder geval jeugdarts en OKA")."""

    JEUGDARTS = "jeugdarts", _("Jeugdarts")
    OKA = "oka", _("Ouder- en kindadviseur (OKA)")
    SMW = "smw", _("Schoolmaatschappelijk werker")
    LEERPLICHT = "leerplicht", _("Leerplichtambtenaar")
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
    WIJKAGENT = "wijkagent", _("Wijkagent")
    ANDERS = "anders", _("Andere functie")


class Consultation(_Record):
    """Collegiale consultatie (step 2): advice from the AF, the zorgteam, Veilig Thuis, …

    A Veilig Thuis consultation is a request for ADVICE (possibly anonymous); it is not a
    melding. The melding is a separate record with its own approval (decisions app).
    Who took part is structured: staff of the school (`staff_participants`) and named
    outsiders with their function (`outsiders`: a list of {"name", "function"}), so that
    "was a jeugdarts there, and an OKA?" is answered from data."""

    class Kind(models.TextChoices):
        AF = "af", _("Aandachtsfunctionaris")
        ZORGTEAM = "zorgteam", _("Zorgteam / zorgbreedteoverleg (ZBO)")
        VEILIG_THUIS = "veilig_thuis", _("Advies van Veilig Thuis (geen melding)")
        JEUGDARTS = "jeugdarts", _("Jeugdarts")
        LEERPLICHT = "leerplicht", _("Leerplichtambtenaar")
        ANDERS = "anders", _("Anders")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consultations")
    kind = models.CharField(_("met wie"), max_length=20, choices=Kind.choices)
    kind_other = models.CharField(_("anders, namelijk"), max_length=200, blank=True)
    participants = models.TextField(_("toelichting op de deelnemers"), blank=True)
    staff_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", blank=True,
        verbose_name=_("deelnemers van school"))
    outsiders = models.JSONField(_("deelnemers van buiten de school"), default=list,
                                 blank=True)
    held_on = models.DateField(_("datum"))
    anonymous = models.BooleanField(_("anoniem besproken"), default=False)
    advice = models.TextField(_("advies"))
    action_points = models.TextField(_("actiepunten"), blank=True)
    time_limit = models.DateField(_("tijdslimiet voor deze fase"), null=True, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("consultatie")
        verbose_name_plural = _("consultaties")

    def __str__(self):
        return _describe(self)


class Conversation(_Record):
    """A conversation with the parents/guardians and/or the pupil, in the six parts of
    seed 000 step 3 (an exploratory talk in step 1 is recorded the same way)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="conversations")
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    held_on = models.DateField(_("datum"))
    with_parents = models.BooleanField(_("gesprek met ouders/verzorgers"), default=True)
    with_pupil = models.BooleanField(_("gesprek met de leerling"), default=False)
    school_participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("namens school"))
    other_participants = models.CharField(_("andere deelnemers (ouders, verzorgers)"),
                                          max_length=300, blank=True)
    purpose_explained = models.BooleanField(_("doel van het gesprek uitgelegd"), default=False)
    facts_described = models.TextField(_("beschreven feiten en waarnemingen"))
    reaction_invited = models.BooleanField(_("ouders uitgenodigd te reageren"), default=False)
    reaction = models.TextField(_("reactie van ouders/leerling"))
    interpretation = models.TextField(_("interpretatie (pas na de reactie)"), blank=True)
    summary = models.TextField(_("samenvatting en afspraken"))
    report_signed = models.BooleanField(_("verslag ondertekend door betrokkenen"),
                                        default=False)

    class Meta(_Record.Meta):
        verbose_name = _("gesprek")
        verbose_name_plural = _("gesprekken")

    def __str__(self):
        return _describe(self)


class ConversationExemption(_Record):
    """The recorded reason to skip the conversation with the parents (seed 000 step 3)."""

    class Reason(models.TextChoices):
        CHILD_SAFETY = "veiligheid_kind", _("De veiligheid van het kind is in het geding")
        PROFESSIONAL_SAFETY = "veiligheid_professional", _(
            "De veiligheid van de beroepskracht is in het geding")
        OTHER_SAFETY = "veiligheid_ander", _("De veiligheid van een ander is in het geding")
        BREAK_CONTACT = "contact_verbreken", _(
            "Goede reden om aan te nemen dat de ouders het contact verbreken")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="exemptions")
    reason = models.CharField(_("reden"), max_length=30, choices=Reason.choices)
    explanation = models.TextField(_("toelichting"))

    class Meta(_Record.Meta):
        verbose_name = _("reden om het gesprek over te slaan")
        verbose_name_plural = _("redenen om het gesprek over te slaan")

    def __str__(self):
        return _describe(self)


class PhaseDecision(_Record):
    """A decision note for a move after the weighing (wegen → hulp/melding/monitoren/
    gesloten, and between hulp, melding and monitoren). The afwegingskader itself lives in
    the decisions app and refers to the case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="phase_decisions")
    from_phase = models.CharField(max_length=20, choices=Phase.choices)
    to_phase = models.CharField(max_length=20, choices=Phase.choices)
    note = models.TextField(_("onderbouwing van het besluit"))

    class Meta(_Record.Meta):
        verbose_name = _("besluit")
        verbose_name_plural = _("besluiten")

    def __str__(self):
        return _describe(self)


class Evaluation(_Record):
    """Step 6: the evaluation of what happened and of the procedure, with those involved."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="evaluations")
    held_on = models.DateField(_("datum"))
    participants = models.TextField(_("met wie"))
    outcome = models.TextField(_("uitkomst"))
    monitoring_agreements = models.TextField(_("afspraken over het volgen van de leerling"))

    class Meta(_Record.Meta):
        verbose_name = _("evaluatie")
        verbose_name_plural = _("evaluaties")

    def __str__(self):
        return _describe(self)


class AcuteReport(_Record):
    """Route "acuut onveilig": direct danger, Veilig Thuis called at once by phone.

    Recorded afterwards by the AF or directie, from any phase; the normal guards are skipped
    and the case moves to phase melding. This is the first half of a melding: the full
    melding record of the decisions app (Report) links to it with a one-to-one field and
    adds the content, approval, letter to the parents and VT follow-up, so nothing here is
    duplicated there."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="acute_reports")
    phase_before = models.CharField(max_length=20, choices=Phase.choices)
    called_at = models.DateTimeField(_("datum en tijd van het telefoongesprek"))
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("wie belde"))
    vt_contact = models.CharField(_("contactpersoon bij Veilig Thuis"), max_length=200)
    vt_reference = models.CharField(_("kenmerk van Veilig Thuis"), max_length=100,
                                    blank=True)
    reason = models.TextField(_("waarom direct gevaar"))
    police_called = models.BooleanField(_("politie (112) gebeld"), default=False)
    police_called_at = models.DateTimeField(_("datum en tijd van het gesprek met de politie"),
                                            null=True, blank=True)
    police_reference = models.CharField(_("kenmerk of registratienummer van de politie"),
                                        max_length=100, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("acute melding")
        verbose_name_plural = _("acute meldingen")

    def __str__(self):
        return _describe(self)


class MeldplichtRecord(_Record):
    """The meldplicht route: a staff member (or intern) is suspected. Who switched the case,
    why and which kind of suspicion; then the bestuur's part, filled in once: for a
    zedendelict the contact with the vertrouwensinspecteur, its conclusion (redelijk
    vermoeden), the decision on aangifte and when the parents and the staff member were
    informed; for other violence the bestuur's handling under its own rules. One per
    case."""

    class Kind(models.TextChoices):
        ZEDENDELICT = "zedendelict", _(
            "Vermoeden van een zedendelict: meld- en aangifteplicht (WPO art. 4a)")
        ANDER_GEWELD = "ander_geweld", _(
            "Ander geweld of grensoverschrijdend gedrag: volgens de interne regels van het "
            "bestuur")

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="meldplicht")
    phase_before = models.CharField(max_length=20, choices=Phase.choices)
    reason = models.TextField(_("reden"))
    kind = models.CharField(_("soort vermoeden"), max_length=20, choices=Kind.choices,
                            default=Kind.ZEDENDELICT)
    # The conclusion of the consultation with the vertrouwensinspecteur: with a redelijk
    # vermoeden the bestuur must file aangifte.
    redelijk_vermoeden = models.BooleanField(_("redelijk vermoeden van een strafbaar feit"),
                                             null=True, blank=True)
    parents_informed_on = models.DateField(_("ouders ingelicht op"), null=True, blank=True)
    staff_informed_on = models.DateField(_("medewerker ingelicht op"), null=True, blank=True)
    # The suspect is (a member of) the directie: only the reporter and the bestuur see it.
    suspect_is_directie = models.BooleanField(_("verdachte is (lid van) de directie"),
                                              default=False)
    inspector_contact_on = models.DateField(_("contact met vertrouwensinspecteur op"),
                                            null=True, blank=True)
    inspector_notes = models.TextField(_("aantekeningen van dat contact"), blank=True)
    aangifte = models.BooleanField(_("aangifte gedaan"), null=True, blank=True)
    aangifte_on = models.DateField(_("datum van het besluit"), null=True, blank=True)
    aangifte_reasoning = models.TextField(_("onderbouwing"), blank=True)
    board_recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="+")
    board_recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("meldplicht")
        verbose_name_plural = _("meldplicht")

    def __str__(self):
        return _describe(self)


class CaseReopening(_Record):
    """New signals after closing: the case goes back to step 2 (consultatie)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reopenings")
    reason = models.TextField(_("nieuwe signalen"))

    class Meta(_Record.Meta):
        verbose_name = _("heropening")
        verbose_name_plural = _("heropeningen")

    def __str__(self):
        return _describe(self)


class StudentDeparture(_Record):
    """The pupil left the school during the follow period (seed 000 step 6): when, and the
    new school if known. What the school then does (hand over the care, inform Veilig
    Thuis and the parents, or the leerplichtambtenaar) are tasks, each completed by its
    own DepartureDuty. The dated columns below are kept for departures recorded before
    that, when one record held everything."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="departures")
    left_on = models.DateField(_("vertrokken op"))
    new_school = models.CharField(_("nieuwe school"), max_length=200, blank=True)
    care_handover_on = models.DateField(_("zorg overgedragen op"), null=True, blank=True)
    care_handover_notes = models.TextField(_("overdracht van de zorg"), blank=True)
    vt_informed_on = models.DateField(_("Veilig Thuis ingelicht op"), null=True, blank=True)
    parents_informed_on = models.DateField(_("ouders ingelicht op"), null=True, blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("vertrek van de leerling")
        verbose_name_plural = _("vertrek van leerlingen")

    def __str__(self):
        return _describe(self)


class AbuseForm(models.TextChoices):
    """The six vormen of 004 "Definities"."""

    SEKSUEEL = "seksuele_mishandeling", _("Seksuele mishandeling")
    FYSIEK = "fysieke_mishandeling", _("Fysieke mishandeling")
    EMOTIONEEL = "emotionele_mishandeling", _("Emotionele/psychische mishandeling")
    FYSIEKE_VERWAARLOZING = "fysieke_verwaarlozing", _("Fysieke verwaarlozing")
    EMOTIONELE_VERWAARLOZING = "emotionele_verwaarlozing", _(
        "Emotionele/psychische verwaarlozing")
    PARTNERGEWELD = "getuige_partnergeweld", _("Getuige van partnergeweld")


class SpecificForm(models.TextChoices):
    """Specific forms that call for urgent contact with Veilig Thuis before anyone talks
    to the family (000 "Aanbevelingen bij stap 3"; 004 bijlage 3, acute onveiligheid)."""

    VGV = "vgv", _("Vrouwelijke genitale verminking (meisjesbesnijdenis)")
    EERGERELATEERD = "eergerelateerd", _("Eergerelateerd geweld")
    HUWELIJKSDWANG = "huwelijksdwang", _("Huwelijksdwang")
    UITBUITING = "seksuele_uitbuiting", _("Seksuele uitbuiting (loverboyproblematiek)")


class AbuseClassification(_Record):
    """What kind of abuse the school suspects, as assessed at one moment (steps 2 and 4
    revise it): one record per revision, the latest counts. Lists of AbuseForm and
    SpecificForm codes."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="classifications")
    phase = models.CharField(_("fase"), max_length=20, choices=Phase.choices)
    forms = models.JSONField(_("vormen van kindermishandeling"), default=list, blank=True)
    specific_forms = models.JSONField(_("specifieke vormen"), default=list, blank=True)
    note = models.TextField(_("toelichting"), blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("vorm van kindermishandeling")
        verbose_name_plural = _("vormen van kindermishandeling")

    def __str__(self):
        return _describe(self)


class NazorgOffer(_Record):
    """Nazorg offered to staff involved in the case (000 stap 6): only to whom and when.
    What the staff member needs or says is theirs, not part of the pupil's dossier."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="nazorg_offers")
    offered_to = models.CharField(_("aangeboden aan"), max_length=300,
                                  help_text=_("Namen of functies van de medewerkers."))
    offered_on = models.DateField(_("aangeboden op"))

    class Meta(_Record.Meta):
        verbose_name = _("aanbod van nazorg")
        verbose_name_plural = _("aanbod van nazorg")

    def __str__(self):
        return _describe(self)


class CaseExclusion(_Record):
    """A named person who may never see this case, whatever their role: the suspected
    staff member on the meldplicht route, or anyone the AF names (need to know).
    Enforced by cases/permissions.py."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="exclusions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("uitgesloten persoon"))
    reason = models.CharField(_("reden"), max_length=300)

    class Meta(_Record.Meta):
        verbose_name = _("uitgesloten persoon")
        verbose_name_plural = _("uitgesloten personen")
        constraints = [models.UniqueConstraint(fields=["case", "person"],
                                               name="one_exclusion_per_case_person")]

    def __str__(self):
        return _describe(self)


class ActionPlanItem(_Record):
    """One line of the plan van aanpak met taakverdeling that the zorgteam makes at the
    end of step 2 (000 fase 2, twijfel): who does what, by when. Each line is a task for
    its owner."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="plan_items")
    description = models.CharField(_("wat"), max_length=200)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                              related_name="+", verbose_name=_("wie"))
    due_on = models.DateField(_("uiterlijk op"))

    class Meta(_Record.Meta):
        verbose_name = _("actiepunt van het plan van aanpak")
        verbose_name_plural = _("plan van aanpak")

    def __str__(self):
        return _describe(self)


class DepartureDuty(_Record):
    """One duty after the pupil left, done on a date (000 stap 6 "Nazorg")."""

    class Duty(models.TextChoices):
        HANDOVER = "overdracht", _("Zorg overgedragen aan de nieuwe school")
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis ingelicht over het vertrek")
        PARENTS = "ouders", _("Ouders ingelicht over de overdracht")
        LEERPLICHT = "leerplicht", _(
            "Leerplichtambtenaar ingelicht (nieuwe school onbekend)")

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="departure_duties")
    duty = models.CharField(_("wat is gedaan"), max_length=20, choices=Duty.choices)
    done_on = models.DateField(_("gedaan op"))
    notes = models.TextField(_("toelichting"), blank=True)

    class Meta(_Record.Meta):
        verbose_name = _("taak na vertrek")
        verbose_name_plural = _("taken na vertrek")

    def __str__(self):
        return _describe(self)

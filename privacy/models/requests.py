"""The parents' (or the pupil's) request to see the dossier (inzage, AVG art. 15; 004
"Privacy"; review 3.7 and P-8).

The AF records the request and prepares the copy; the directie approves it, never the one
who prepared it; the AF hands it over by reading it together, a copy or a summary. An item
is withheld only on a recorded ground (the interest of the child, of the reporter or of an
informant), and the list of withheld items stays with the request. Corrections the
parents ask for and their own statement are records of their own (ParentResponse).

The case's werkaantekeningen are personal data of the pupil too (C-17), but only their
authors read them, so they never go into the copy. When the case has any, the request
records how they are handled before it is prepared: their authors give them to the
requester alongside the copy, or they are withheld on one of the grounds above (then a
WithheldItem of kind WORKNOTES_KIND, labelled with their number only).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Carer, Case

WORKNOTES_KIND = "worknotes"
WORKNOTES_PK = "alle"


class AccessRequest(models.Model):
    class Requester(models.TextChoices):
        CARER = "ouder", _("Een ouder/verzorger")
        PUPIL = "leerling", _("De leerling zelf")

    class Position(models.TextChoices):
        """Who the requester is relative to the pupil's age (P-8, UAVG art. 5)."""

        PARENT_FOR_CHILD = "ouder_voor_kind", _(
            "Ouder van een leerling jonger dan 16: oefent het recht van het kind uit")
        PARENT_OF_16 = "ouder_16_plus", _(
            "Ouder van een leerling van 16 of ouder: de leerling is zelf betrokkene; de "
            "ouder krijgt informatie (BW 1:377c), samen met de leerling")
        PUPIL_12_16 = "leerling_12_16", _("Leerling van 12 tot 16: gedeeltelijke inzage")
        PUPIL_16 = "leerling_16_plus", _("Leerling van 16 of ouder: oefent het recht zelf uit")

    class Status(models.TextChoices):
        RECEIVED = "ontvangen", _("Ontvangen, wordt voorbereid")
        PREPARED = "voorbereid", _("Voorbereid, wacht op goedkeuring van de directie")
        APPROVED = "goedgekeurd", _("Goedgekeurd, klaar om te verstrekken")
        DELIVERED = "verstrekt", _("Verstrekt")

    class Delivery(models.TextChoices):
        READ_TOGETHER = "samen_lezen", _("Samen gelezen in een gesprek")
        COPY = "kopie", _("Kopie verstrekt")
        SUMMARY = "samenvatting", _("Samenvatting verstrekt")

    class WorkNotes(models.TextChoices):
        GIVEN = "verstrekt", _("Verstrekt: de auteurs geven hun werkaantekeningen zelf aan "
                               "de aanvrager, naast de kopie")
        WITHHELD = "niet_verstrekt", _("Niet verstrekt, op een vastgelegde grond")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_requests")
    requester = models.CharField(_("wie vraagt inzage"), max_length=10,
                                 choices=Requester.choices)
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, null=True, blank=True,
                              related_name="access_requests", verbose_name=_("ouder/verzorger"))
    # The relation and gezag as they were checked when the request came in.
    relation = models.CharField(_("relatie tot de leerling"), max_length=20)
    gezag = models.CharField(_("gezag"), max_length=10, choices=Carer.Gezag.choices,
                             blank=True)
    identity_checked = models.CharField(
        _("hoe is de identiteit nagegaan"), max_length=300,
        help_text=_("Bijvoorbeeld: legitimatiebewijs getoond aan de aandachtsfunctionaris."))
    received_on = models.DateField(_("ontvangen op"))
    pupil_age = models.PositiveSmallIntegerField(_("leeftijd van de leerling bij ontvangst"))
    position = models.CharField(_("positie van de aanvrager"), max_length=20,
                                choices=Position.choices)
    due_on = models.DateField(_("uiterlijk beantwoorden op"))
    extension_reason = models.TextField(_("reden voor verlenging"), max_length=2000,
                                        blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(_("stand"), max_length=12, choices=Status.choices,
                              default=Status.RECEIVED)
    prepared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("voorbereid door"))
    prepared_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("goedgekeurd door"))
    approved_at = models.DateTimeField(null=True, blank=True)
    delivery = models.CharField(_("hoe verstrekt"), max_length=12, choices=Delivery.choices,
                                blank=True)
    delivered_on = models.DateField(_("verstrekt op"), null=True, blank=True)
    delivery_note = models.TextField(_("toelichting bij de verstrekking"), max_length=2000,
                                     blank=True)
    # How the case's work notes are handled (C-17): empty until recorded; the number of
    # notes it was recorded for, so that a note written since asks for it again.
    worknotes = models.CharField(_("werkaantekeningen"), max_length=16,
                                 choices=WorkNotes.choices, blank=True)
    worknotes_count = models.PositiveIntegerField(null=True, blank=True)
    worknotes_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", verbose_name=_("werkaantekeningen vastgelegd door"))
    worknotes_recorded_at = models.DateTimeField(_("werkaantekeningen vastgelegd op"),
                                                 null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("verzoek om inzage")
        verbose_name_plural = _("verzoeken om inzage")
        ordering = ["-received_on", "-recorded_at"]

    def __str__(self):
        return f"{self._meta.verbose_name} {self.received_on:%d-%m-%Y}"

    @property
    def requester_name(self) -> str:
        return self.carer.name if self.carer_id else self.case.student.full_name

    @property
    def summary_only(self) -> bool:
        """A parent without gezag, or of a pupil of 16 or older, gets information, not the
        dossier itself (P-8, P-9)."""
        return self.requester == self.Requester.CARER and (
            self.gezag != Carer.Gezag.JA or self.position == self.Position.PARENT_OF_16)


class WithheldItem(models.Model):
    """A record of the dossier left out of the copy, with its ground (004 "Privacy")."""

    class Ground(models.TextChoices):
        CHILD = "belang_kind", _("In het belang van het kind")
        REPORTER = "belang_melder", _("In het belang van de melder")
        INFORMANT = "belang_informant", _("In het belang van een informant")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT,
                                related_name="withheld")
    # The chronology entry's key (cases/selectors/chronology.py Entry.key), or
    # (WORKNOTES_KIND, WORKNOTES_PK) for the case's work notes, which are no entry.
    record_kind = models.CharField(max_length=40)
    record_pk = models.CharField(max_length=64)
    record_label = models.CharField(_("onderdeel"), max_length=300)
    ground = models.CharField(_("grond"), max_length=20, choices=Ground.choices)
    explanation = models.TextField(_("toelichting"), max_length=2000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("niet verstrekt onderdeel")
        verbose_name_plural = _("niet verstrekte onderdelen")
        ordering = ["recorded_at"]
        constraints = [models.UniqueConstraint(fields=["request", "record_kind", "record_pk"],
                                               name="withheld_once_per_request")]

    def __str__(self):
        return self.record_label

    @property
    def reason(self) -> str:
        return f"{self.get_ground_display()}: {self.explanation}"


class ParentResponse(models.Model):
    """What the parents say back after reading: a correction of a fact (a follow-up
    record; the original stays) or their own statement, added to the dossier."""

    class Kind(models.TextChoices):
        CORRECTION = "correctie", _("Verzoek om correctie van een feit")
        STATEMENT = "verklaring", _("Eigen verklaring van de ouders")

    class Outcome(models.TextChoices):
        CORRECTED = "gecorrigeerd", _("Feitelijke onjuistheid: gecorrigeerd met deze "
                                      "vervolgnotitie")
        NOT_CHANGED = "niet_gewijzigd", _("Geen feit maar een oordeel: niet gewijzigd, de "
                                          "reactie van de ouders is toegevoegd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    request = models.ForeignKey(AccessRequest, on_delete=models.PROTECT,
                                related_name="responses")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    about = models.CharField(_("over welk onderdeel"), max_length=300, blank=True)
    text = models.TextField(_("tekst"), max_length=5000)
    outcome = models.CharField(_("uitkomst"), max_length=16, choices=Outcome.choices,
                               blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("reactie van de ouders")
        verbose_name_plural = _("reacties van de ouders")
        ordering = ["recorded_at"]

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.recorded_at):%d-%m-%Y}"

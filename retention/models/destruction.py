"""The vernietigingslijst: closed dossiers whose retention term has passed, the four-eyes
confirmation of their destruction, and the legal holds that keep one for now.

An item outlives its dossier on purpose: after destruction it is the tombstone ("dossier
vernietigd op … door … op grond van …") with dates and counts, no content. It therefore
refers to its case by id only, not by a foreign key.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldcode.models import School


class RecordClass(models.TextChoices):
    DOSSIER = "dossier", _("Dossier (termijn na vertrek of sluiten)")
    UNFOUNDED = "ongegrond", _("Ongegrond vermoeden")


class HoldReason(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", _("Lopend onderzoek van Veilig Thuis")
    INZAGE_KLACHT = "inzage_klacht", _("Inzageverzoek of klacht van ouders")
    MELDPLICHT = "meldplicht", _("Meldplicht of aangifte")
    RECHTER = "rechter", _("Rechtszaak of verzoek van de rechter")


class DestructionItem(models.Model):
    """One closed dossier on the vernietigingslijst."""

    class Status(models.TextChoices):
        DUE = "te_vernietigen", _("te vernietigen")
        HELD = "bewaard", _("bewaard (juridische reden)")
        DESTROYED = "vernietigd", _("vernietigd")
        WITHDRAWN = "vervallen", _("vervallen (casus heropend)")

    ACTIVE = (Status.DUE, Status.HELD)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case_id = models.UUIDField(db_index=True)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    record_class = models.CharField(_("soort"), max_length=20, choices=RecordClass.choices)
    closed_on = models.DateField(_("casus gesloten op"))
    left_on = models.DateField(_("leerling vertrokken op"), null=True, blank=True)
    due_on = models.DateField(_("termijn verstreken op"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.DUE)
    listed_at = models.DateTimeField(_("op de lijst sinds"), default=timezone.now)
    first_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                           null=True, blank=True, related_name="+",
                                           verbose_name=_("eerste bevestiging door"))
    first_confirmed_at = models.DateTimeField(null=True, blank=True)
    destroyed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+",
                                     verbose_name=_("tweede bevestiging door"))
    destroyed_at = models.DateTimeField(_("vernietigd op"), null=True, blank=True)
    # Per table how many rows went, and how many files: the content-free tombstone.
    counts = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("te vernietigen dossier")
        verbose_name_plural = _("vernietigingslijst")
        ordering = ["due_on", "listed_at"]
        constraints = [
            models.UniqueConstraint(fields=["case_id"], condition=Q(status__in=[
                "te_vernietigen", "bewaard"]), name="one_active_destruction_item_per_case"),
            models.CheckConstraint(
                condition=Q(destroyed_by__isnull=True) | ~Q(destroyed_by=models.F(
                    "first_confirmed_by")),
                name="destruction_needs_two_people"),
        ]

    def __str__(self):
        return self.reference

    @property
    def reference(self) -> str:
        return str(self.case_id)[:8].upper()


class LegalHold(models.Model):
    """A reason to keep a dossier past its term, with a date to look at it again."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(DestructionItem, on_delete=models.CASCADE, related_name="holds")
    reason = models.CharField(_("reden"), max_length=20, choices=HoldReason.choices)
    explanation = models.CharField(
        _("toelichting"), max_length=300, blank=True,
        help_text=_("Bijvoorbeeld een kenmerk van Veilig Thuis of de rechtbank. Geen namen."))
    review_on = models.DateField(_("opnieuw bekijken op"))
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    lifted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("juridische bewaarreden")
        verbose_name_plural = _("juridische bewaarredenen")
        ordering = ["-placed_at"]

    def __str__(self):
        return self.get_reason_display()

    @property
    def is_active(self) -> bool:
        """Not lifted; whether it still runs depends on the review date as well."""
        return self.lifted_at is None

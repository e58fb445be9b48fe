"""A board's bewaartermijnen: how long each record class is kept (004 "Privacy", 3.8).

There is no statutory term for a meldcode dossier in primary education; the board's
privacyreglement decides. The defaults follow the PO-Raad model (two years after the
pupil left) and seed 000 "Afsluiting" (work notes go when the case closes).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from meldcode.models import Board


class RetentionPolicy(models.Model):
    """The retention terms one board applies to the dossiers of its schools."""

    board = models.OneToOneField(Board, on_delete=models.CASCADE, primary_key=True,
                                 related_name="retention_policy", verbose_name=_("bestuur"))
    dossier_years = models.PositiveSmallIntegerField(
        _("dossier bewaren (jaren)"), default=2,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("Na het vertrek van de leerling of het sluiten van de casus, wat het "
                    "laatst is. Zolang de leerling op school zit, blijft het dossier."))
    unfounded_months = models.PositiveSmallIntegerField(
        _("ongegrond vermoeden bewaren (maanden)"), default=6,
        validators=[MinValueValidator(0), MaxValueValidator(24)],
        help_text=_("Een casus die is gesloten omdat het vermoeden ongegrond bleek, "
                    "gaat zoveel maanden na het sluiten naar de vernietigingslijst."))
    worknote_days = models.PositiveSmallIntegerField(
        _("werkaantekeningen bewaren na sluiten (dagen)"), default=0,
        validators=[MinValueValidator(0), MaxValueValidator(90)],
        help_text=_("0: bij het sluiten van de casus. Bij een ongegrond vermoeden gaan ze "
                    "altijd direct bij het sluiten."))
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    EDITABLE_FIELDS = ("dossier_years", "unfounded_months", "worknote_days")

    class Meta:
        verbose_name = _("bewaartermijnen")
        verbose_name_plural = _("bewaartermijnen")

    def __str__(self):
        return str(_("Bewaartermijnen"))

    def clean(self):
        if self.unfounded_months is not None and self.dossier_years is not None and (
                self.unfounded_months > self.dossier_years * 12):
            raise ValidationError({"unfounded_months": _(
                "Een ongegrond vermoeden wordt niet langer bewaard dan een dossier.")})

    @classmethod
    def for_board(cls, board) -> "RetentionPolicy":
        """The board's policy, or an unsaved one with the defaults."""
        policy = cls.objects.filter(board_id=board.pk).first()
        return policy if policy is not None else cls(board=board)

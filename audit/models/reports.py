"""What the nightly unusual-access check found (report_unusual_access)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnusualAccessReport(models.Model):
    """One person who opened far more dossiers on one day than is usual for them.

    One row per (board, person, day): running the check again reports nothing twice."""

    board = models.ForeignKey("meldcode.Board", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    day = models.DateField(_("dag"))
    cases_opened = models.PositiveIntegerField(_("geopende dossiers"))
    usual = models.FloatField(_("gebruikelijk per dag (mediaan)"))
    reported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("opvallende inzage")
        verbose_name_plural = _("opvallende inzagen")
        ordering = ["-day", "-cases_opened"]
        constraints = [
            models.UniqueConstraint(fields=["board", "user", "day"],
                                    name="unusual_access_once_per_day"),
        ]

    def __str__(self):
        return f"{self.day} {self.user_id}: {self.cases_opened}"

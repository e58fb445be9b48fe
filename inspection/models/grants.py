"""What an inspecteur of the Onderwijsinspectie may see: one grant per visit."""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meldcode.models import Board, School


class InspectionGrantQuerySet(models.QuerySet):
    def current(self, day: date | None = None):
        """Grants in force on `day`: begun, not past their end, not ended early."""
        day = day or timezone.localdate()
        return self.filter(valid_from__lte=day, valid_until__gte=day, ended_at__isnull=True)


class InspectionGrant(models.Model):
    """Access of one inspecteur to some schools of one board, for a stated purpose.

    `valid_from`–`valid_until` is when the inspecteur may look (the grant expires by
    itself); `period_start`–`period_end` is the stretch of the schools' meldcode work the
    inspection covers. Cases are shown pseudonymised; staff names only with
    `include_names`, dossier content only with `include_content` (each a separate,
    audited choice of the bestuur or beheerder)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="inspection_grants",
                                  verbose_name=_("inspecteur"))
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("bestuur"))
    schools = models.ManyToManyField(School, related_name="+", verbose_name=_("scholen"))
    purpose = models.TextField(_("doel van de inspectie"))
    valid_from = models.DateField(_("toegang vanaf"))
    valid_until = models.DateField(_("toegang tot en met"))
    period_start = models.DateField(_("onderzochte periode vanaf"))
    period_end = models.DateField(_("onderzochte periode tot en met"))
    include_names = models.BooleanField(_("namen van medewerkers tonen"), default=False)
    include_content = models.BooleanField(_("inhoud van dossiers tonen"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("gegeven door"))
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(_("beëindigd op"), null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+",
                                 verbose_name=_("beëindigd door"))

    objects = InspectionGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("inspectietoegang")
        verbose_name_plural = _("inspectietoegang")
        ordering = ["-valid_from", "-created_at"]
        constraints = [
            models.CheckConstraint(name="inspection_grant_valid_range",
                                   condition=Q(valid_until__gte=F("valid_from"))),
            models.CheckConstraint(name="inspection_grant_period_range",
                                   condition=Q(period_end__gte=F("period_start"))),
        ]

    def __str__(self):
        return str(_("Inspectietoegang %(from)s–%(until)s") % {
            "from": f"{self.valid_from:%d-%m-%Y}", "until": f"{self.valid_until:%d-%m-%Y}"})

    def is_current(self, day: date | None = None) -> bool:
        day = day or timezone.localdate()
        return self.ended_at is None and self.valid_from <= day <= self.valid_until

"""The directie's yearly evaluation of the meldcode at its school (seed 004
"Deskundigheidsbevordering, evaluatie en privacy")."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meldcode.models import School


class SchoolYearEvaluation(models.Model):
    """How the meldcode worked at one school in one school year, and what the school will
    do next year. Free text of the directie about the procedure, never about pupils."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("school"))
    # The calendar year in which the school year begins (1 August).
    school_year = models.PositiveSmallIntegerField(_("schooljaar"))
    evaluation = models.TextField(_("evaluatie"), blank=True)
    actions = models.TextField(_("acties voor het volgende schooljaar"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("vastgelegd door"))
    updated_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("jaarevaluatie meldcode")
        verbose_name_plural = _("jaarevaluaties meldcode")
        constraints = [models.UniqueConstraint(fields=["school", "school_year"],
                                               name="one_evaluation_per_school_year")]

    def __str__(self):
        return f"{self.school} {self.school_year}-{self.school_year + 1}"

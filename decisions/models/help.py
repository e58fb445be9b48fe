"""The help route (stap 5a, afweging 3-5): the help plan, every participant's tasks, and
the evaluation of its result at the termijn (afweging 5) with the nazorg agreements."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from decisions.models.weighing import Answer
from meldcode.workdays import day_label

__all__ = ["HelpPlan", "HelpResult", "HelpTask"]

class HelpPlan(models.Model):
    """What help, by whom, with which casemanager and termijn (004 afweging 4, "Hulp
    inzetten"). Never "the teacher" alone: someone of the second line or a ketenpartner."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="help_plans")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="help_plans")
    help_description = models.TextField(_("welke hulp"))
    provided_by = models.TextField(
        _("door wie"), help_text=_("Iemand uit de tweedelijnsondersteuning van de school "
                                   "(intern begeleider, orthopedagoog, schoolpsycholoog, "
                                   "OKA) of een ketenpartner (leerplicht, buurt- of wijkteam, "
                                   "GGD/jeugdgezondheidszorg, PIT); nooit alleen de "
                                   "leerkracht."))
    casemanager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("casemanager"))
    termijn = models.DateField(_("termijn waarop effect meetbaar of merkbaar moet zijn"))
    expected_results = models.TextField(_("afgesproken resultaten"))
    accepted = models.BooleanField(_("de betrokkenen aanvaarden de hulp en werken mee"))
    parents_informed = models.TextField(
        _("hoe de ouders zijn geïnformeerd en betrokken (directie met de AF)"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hulpplan")
        verbose_name_plural = _("hulpplannen")
        ordering = ["recorded_at"]

    def __str__(self):
        return str(_("Hulpplan tot %(date)s") % {"date": day_label(self.termijn)})

class HelpTask(models.Model):
    """Who does what in the help plan."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(HelpPlan, on_delete=models.PROTECT, related_name="tasks")
    who = models.CharField(_("wie"), max_length=200)
    task = models.TextField(_("taak"))
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return str(self._meta.verbose_name)

class HelpResult(models.Model):
    """Afweging 5 at the termijn: reached (close the help with monitoring agreements and
    a nazorgtraject) or not (melding, norm C)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.OneToOneField(HelpPlan, on_delete=models.PROTECT, related_name="result")
    answer = models.OneToOneField(Answer, on_delete=models.PROTECT, related_name="+")
    reached = models.BooleanField(_("resultaten bereikt"))
    monitoring_agreements = models.TextField(_("afspraken over het monitoren"), blank=True)
    nazorg = models.TextField(_("nazorgtraject: termijnen en verwachtingen"), blank=True)
    # The first term of the nazorgtraject: a task for the casemanager and the AF.
    nazorg_review_on = models.DateField(_("nazorg nagaan op"), null=True, blank=True)
    parents_contact_checked = models.TextField(
        _("nagevraagd of de ouders contact hadden met de hulpverlening"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return str(self._meta.verbose_name)

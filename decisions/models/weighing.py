"""A case weighed with the afwegingskader (steps 4-5): the answers one question at a time,
the directie's confirmations of the step-4 conclusion and the step-5 decision, and the
extra observation period when the weighing is not yet possible (000, fase 4 twijfel).

Every record is written once by a service in decisions/services/ and never changed: a new
weighing supersedes an earlier one and leaves it as it was.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, Consultation
from decisions.models.frameworks import Framework, Option, Question
from meldcode.workdays import day_label

__all__ = ["Answer", "ObservationPeriod", "Weighing", "WeighingDecision"]

class Weighing(models.Model):
    """One run of a case through the afwegingskader, with the framework version it used."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="weighings")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    # A redone weighing names the one it replaces and why; the old one stays as it was.
    supersedes = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")
    redo_reason = models.TextField(_("reden om opnieuw te wegen"), blank=True)

    class Meta:
        verbose_name = _("weging")
        verbose_name_plural = _("wegingen")
        ordering = ["started_at"]

    def __str__(self):
        return str(_("Weging van %(date)s") % {
            "date": day_label(self.started_at)})

class Answer(models.Model):
    """The answer to one question, with its argumentation, who answered and when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    weighing = models.ForeignKey(Weighing, on_delete=models.PROTECT, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    option = models.ForeignKey(Option, on_delete=models.PROTECT, related_name="+")
    is_doubt = models.BooleanField(_("twijfel"), default=False)
    argumentation = models.TextField(_("argumentatie"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(default=timezone.now)
    # After a melding at question 2 the next questions are answered with Veilig Thuis.
    together_with_vt = models.BooleanField(_("samen met Veilig Thuis"), default=False)
    vt_contact = models.CharField(_("contactpersoon Veilig Thuis"), max_length=200,
                                  blank=True)
    # Question 1 B: the bevoegd gezag knows of the strong suspicion (004, afweging 1).
    authority_informed_on = models.DateField(_("bevoegd gezag op de hoogte sinds"), null=True,
                                             blank=True)
    authority_informed_by = models.CharField(_("door wie ingelicht"), max_length=200,
                                             blank=True)
    # The consultations of Veilig Thuis or the jeugdgezondheidszorg this answer rests on.
    consultations = models.ManyToManyField(Consultation, blank=True, related_name="+",
                                           verbose_name=_("consultaties"))

    class Meta:
        verbose_name = _("antwoord in de weging")
        verbose_name_plural = _("antwoorden in de weging")
        ordering = ["answered_at"]
        constraints = [models.UniqueConstraint(fields=["weighing", "question"],
                                               name="one_answer_per_question")]

    def __str__(self):
        return f"{self.question.number}{self.option.code}"

class WeighingDecision(models.Model):
    """Directie's confirmation, after consulting the AF or OKA: the step-4 conclusion
    (sterk vermoeden or not) or a step-5 decision (close, help, melding)."""

    class Step(models.IntegerChoices):
        CONCLUSION = 4, _("Stap 4: conclusie van de weging")
        DECISION = 5, _("Stap 5: besluit")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    weighing = models.ForeignKey(Weighing, on_delete=models.PROTECT, related_name="decisions")
    step = models.PositiveSmallIntegerField(choices=Step.choices)
    # What was confirmed: "sterk_vermoeden"/"geen_vermoeden" (step 4) or the outcome.
    outcome = models.CharField(max_length=20)
    norm = models.CharField(max_length=1, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", verbose_name=_("besloten door"))
    consulted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("na overleg met"))
    note = models.TextField(_("toelichting"))
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("besluit na weging")
        verbose_name_plural = _("besluiten na weging")
        ordering = ["decided_at"]

    def __str__(self):
        return self.get_step_display()

class ObservationPeriod(models.Model):
    """Doubt at step 4: an extra observation period back in step 3 (000, fase 4 twijfel)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="+")
    observer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("wie observeert"))
    what = models.TextField(_("wat wordt geobserveerd"))
    until = models.DateField(_("tot wanneer"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("extra observatieperiode")
        verbose_name_plural = _("extra observatieperiodes")
        ordering = ["recorded_at"]

    def __str__(self):
        return str(self._meta.verbose_name)

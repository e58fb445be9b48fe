"""The afwegingskader as data: versions of a framework, its questions, their answers and
where each answer leads, and the definitions shown beside them (004 bijlage 3).

A framework version is loaded once (a data migration, or a board's own later version) and
never edited: a weighing keeps the version it was weighed with, so publishing a new one
never rewrites an earlier case.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Definition", "Framework", "Leads", "Option", "Question"]


class Framework(models.Model):
    """One version of an afwegingskader (the 2019 onderwijs version of 004 is the first)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.CharField(_("code"), max_length=60)
    version = models.PositiveIntegerField(_("versie"))
    title = models.CharField(_("titel"), max_length=200)
    source = models.CharField(_("bron"), max_length=300)
    valid_from = models.DateField(_("geldig vanaf"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afwegingskader")
        verbose_name_plural = _("afwegingskaders")
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"],
                                               name="framework_code_version_unique")]

    def __str__(self):
        return f"{self.title} ({self.version})"


class Question(models.Model):
    """One afweging: its heading (1. VERMOEDEN WEGEN), theme and the seed's question text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="questions")
    number = models.PositiveSmallIntegerField(_("nummer"))
    theme = models.CharField(_("thema"), max_length=60)
    heading = models.CharField(_("kop"), max_length=100)
    text = models.TextField(_("vraag"))
    # Question 2 shows the meldnormen and the definitions of bijlage 3 beside it.
    shows_definitions = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("afweging")
        verbose_name_plural = _("afwegingen")
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"],
                                               name="question_number_unique")]

    def __str__(self):
        return self.heading


class Leads(models.TextChoices):
    """Where an answer leads."""

    NEXT = "next", _("volgende afweging")
    CLOSE = "close", _("dossier vastleggen en sluiten")
    HELP = "help", _("hulp in gang zetten")
    MELDING = "melding", _("melden bij Veilig Thuis")
    CLOSE_HELP = "close_help", _("hulp afsluiten met afspraken over monitoren")


class Option(models.Model):
    """One answer (A or B) of a question and its consequence.

    Question 2's B ("JA of twijfel") is one answer: doubt is recorded on the answer, and
    leads to a melding (norm A) while the next questions are answered with Veilig Thuis."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="options")
    code = models.CharField(_("antwoord"), max_length=2)
    text = models.TextField(_("tekst"))
    leads = models.CharField(_("leidt tot"), max_length=20, choices=Leads.choices)
    norm = models.CharField(_("meldnorm"), max_length=1, blank=True)
    next_number = models.PositiveSmallIntegerField(_("volgende afweging"), null=True,
                                                   blank=True)
    includes_doubt = models.BooleanField(_("ook bij twijfel"), default=False)

    class Meta:
        verbose_name = _("antwoord")
        verbose_name_plural = _("antwoorden")
        ordering = ["question", "code"]
        constraints = [models.UniqueConstraint(fields=["question", "code"],
                                               name="option_code_unique")]

    def __str__(self):
        return f"{self.question.number}{self.code}"


class Definition(models.Model):
    """A meldnorm or a definition (acute/structurele onveiligheid, disclosure), verbatim."""

    class Kind(models.TextChoices):
        MELDNORM = "meldnorm", _("meldnorm")
        BEGRIP = "begrip", _("begrip")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT,
                                  related_name="definitions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    code = models.CharField(max_length=30)
    title = models.CharField(_("titel"), max_length=100)
    text = models.TextField(_("definitie"))
    explanation = models.TextField(_("toelichting"), blank=True)
    # One example per line.
    examples = models.TextField(_("voorbeelden"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("definitie")
        verbose_name_plural = _("definities")
        ordering = ["framework", "position"]

    def __str__(self):
        return self.title

    @property
    def example_list(self) -> list[str]:
        return [line for line in self.examples.splitlines() if line.strip()]

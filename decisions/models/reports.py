"""The melding to Veilig Thuis (stap 5b): the draft in the sections of Veilig Thuis'
meldformulier, its facts, the four-eyes approval, the conversation about the intended
melding ("open melden, tenzij"), the sending and Veilig Thuis' feedback.

Once approved, the melding and its facts are frozen by the database (migration 0002);
what comes later (sending, feedback, corrections) is a record of its own. A VT *advice*
(a step-2 consultation) is a Consultation of the cases app, never a Report.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import AcuteReport, Case, ConversationExemption, Observation
from decisions.models.weighing import Answer
from meldcode.workdays import day_label

__all__ = ["Report", "ReportAddendum", "ReportConversation", "ReportExemption", "ReportFact",
           "ReportSending", "ReportShare", "VtFeedback"]

class Report(models.Model):
    """One melding to Veilig Thuis about one case."""

    class Norm(models.TextChoices):
        A = "A", _("Meldnorm A: acute en/of structurele onveiligheid")
        B = "B", _("Meldnorm B: onvoldoende effectieve hulp mogelijk")
        C = "C", _("Meldnorm C: de onveiligheid stopt niet of herhaalt zich")

    class State(models.TextChoices):
        CONCEPT = "concept", _("Concept")
        SUBMITTED = "ter_goedkeuring", _("Ter goedkeuring")
        APPROVED = "goedgekeurd", _("Goedgekeurd")
        SENT = "verzonden", _("Verzonden")
        FEEDBACK = "vt_besluit", _("VT-besluit ontvangen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="reports")
    norm = models.CharField(_("meldnorm"), max_length=1, choices=Norm.choices)
    # Where it comes from: the answer of the weighing, the acute route, or new unsafety
    # during monitoring (neither).
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, null=True, blank=True,
                               related_name="reports")
    acute_report = models.OneToOneField(AcuteReport, on_delete=models.PROTECT, null=True,
                                        blank=True, related_name="melding")
    origin_note = models.TextField(_("aanleiding"), blank=True)
    # The sections of the meldformulier.
    melder_name = models.CharField(_("naam melder"), max_length=200, blank=True)
    melder_role = models.CharField(_("functie melder"), max_length=200, blank=True)
    melder_contact = models.CharField(_("bereikbaar via"), max_length=300, blank=True)
    family = models.TextField(_("leerling en gezin"), blank=True)
    network = models.TextField(_("netwerk en betrokken hulpverlening"), blank=True)
    other_information = models.TextField(_("overige informatie"), blank=True)
    school_agreements = models.TextField(
        _("wat de school zelf nog doet (afgesproken met Veilig Thuis)"), blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+",
                                   verbose_name=_("opgesteld door"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("reden van afwijzing"), blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+",
                                    verbose_name=_("goedgekeurd door"))
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("melding")
        verbose_name_plural = _("meldingen")
        ordering = ["created_at"]

    def __str__(self):
        return str(_("Melding %(norm)s van %(date)s") % {
            "norm": self.norm, "date": day_label(self.created_at)})

    @property
    def state(self) -> str:
        """Derived from the records, so it can never disagree with them."""
        if getattr(self, "sending", None) is not None:
            # Lists annotate `has_feedback` (one query for all); a single melding asks.
            has_feedback = getattr(self, "has_feedback", None)
            if has_feedback if has_feedback is not None else self.feedback.exists():
                return self.State.FEEDBACK
            return self.State.SENT
        if self.approved_at:
            return self.State.APPROVED
        if self.submitted_at:
            return self.State.SUBMITTED
        return self.State.CONCEPT

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_frozen(self) -> bool:
        return self.approved_at is not None

class ReportFact(models.Model):
    """A fact or event in the melding: own observation or from a named third party.

    Picked from the chronology, the text is copied (the melding says what was sent) and the
    observation stays linked."""

    class Source(models.TextChoices):
        OWN = "eigen", _("eigen waarneming")
        THIRD = "derde", _("van een derde")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="facts")
    position = models.PositiveIntegerField(default=0)
    occurred_on = models.DateField(_("datum"), null=True, blank=True)
    text = models.TextField(_("feit of gebeurtenis"))
    source = models.CharField(_("bron"), max_length=10, choices=Source.choices,
                              default=Source.OWN)
    source_name = models.CharField(_("naam van de derde"), max_length=200, blank=True)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, null=True,
                                    blank=True, related_name="+")

    class Meta:
        verbose_name = _("feit in de melding")
        verbose_name_plural = _("feiten in de melding")
        ordering = ["position", "id"]

    def __str__(self):
        return str(self._meta.verbose_name)

class _After(models.Model):
    """Records written after the draft; each once, never changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["recorded_at"]

class ReportConversation(_After):
    """The conversation about the intended melding (004 "Melden en bespreken", 1-5)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="conversations")
    held_on = models.DateField(_("datum"))
    held_by = models.CharField(_("gevoerd door"), max_length=300)
    with_parents = models.BooleanField(_("met de ouders"), default=True)
    with_pupil = models.BooleanField(_("met de leerling"), default=False)
    why_and_aim = models.TextField(_("uitgelegd waarom en met welk doel"))
    reaction = models.TextField(_("reactie"))
    objections = models.TextField(_("bezwaren"), blank=True)
    objections_weighed = models.TextField(
        _("hoe aan de bezwaren is tegemoetgekomen of hoe ze zijn afgewogen"), blank=True)
    conclusion = models.TextField(_("conclusie"))

    def __str__(self):
        return str(self._meta.verbose_name)

class ReportExemption(_After):
    """Why the melding is made without discussing it first (004 stap 3, "tenzij")."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="exemptions")
    reason = models.CharField(_("reden"), max_length=30,
                              choices=ConversationExemption.Reason.choices)
    explanation = models.TextField(_("toelichting"))

    def __str__(self):
        return str(self._meta.verbose_name)

class ReportSending(_After):
    """The melding was made: when, how, with whom at Veilig Thuis, and its reference."""

    class Channel(models.TextChoices):
        PHONE = "telefoon", _("telefonisch")
        FORM = "formulier", _("online meldformulier")

    report = models.OneToOneField(Report, on_delete=models.PROTECT, related_name="sending")
    sent_at = models.DateTimeField(_("datum en tijd"))
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    vt_contact = models.CharField(_("contactpersoon Veilig Thuis"), max_length=200)
    vt_reference = models.CharField(_("kenmerk van Veilig Thuis"), max_length=100,
                                    blank=True)

    def __str__(self):
        return str(self._meta.verbose_name)

class VtFeedback(_After):
    """Veilig Thuis' decision and feedback, the agreements made, the parents' reaction."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="feedback")
    received_on = models.DateField(_("ontvangen op"))
    decision = models.TextField(_("besluit van Veilig Thuis"))
    agreements = models.TextField(_("afspraken met Veilig Thuis"), blank=True)
    parents_reaction = models.TextField(_("reactie van de ouders"), blank=True)

    def __str__(self):
        return str(self._meta.verbose_name)

class ReportShare(_After):
    """The AF (or OKA) let a teacher on the case team read the melding's text: a teacher
    otherwise sees only that a melding exists and its state."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="shares")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("gedeeld met"))

    class Meta(_After.Meta):
        verbose_name = _("gedeelde melding")
        verbose_name_plural = _("gedeelde meldingen")
        constraints = [models.UniqueConstraint(fields=["report", "member"],
                                               name="one_share_per_report_member")]

    def __str__(self):
        return str(self._meta.verbose_name)


class ReportAddendum(_After):
    """A correction or addition to an approved melding (the melding itself stays frozen)."""

    report = models.ForeignKey(Report, on_delete=models.PROTECT, related_name="addenda")
    text = models.TextField(_("aanvulling"))

    def __str__(self):
        return str(self._meta.verbose_name)

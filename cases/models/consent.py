"""Consent of the parents for contact with other institutions, and written information
given to a third party (004, "Privacy").

"Contact met andere instellingen kan alleen na toestemming van de ouder of wettelijk
vertegenwoordiger. Contact zonder toestemming kan alleen anoniem. Een uitzondering hierop
is het contact met Veilig Thuis." A consent is given by one carer of the pupil, for one
institution and purpose, on a date; a withdrawal is a dated record of its own, so that
"was there consent on the day of that consultation?" stays answerable afterwards.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case
from cases.models.families import Carer

__all__ = ["Consent", "ConsentWithdrawal", "Institution", "ThirdPartyDisclosure"]


class Institution(models.TextChoices):
    """The institutions a consent can be for: the kinds of consultation outside the school
    (cases.models.workflow.Consultation.Kind, same codes). Veilig Thuis needs none."""

    ZORGTEAM = "zorgteam", _("Zorgteam / zorgbreedteoverleg (ZBO) met deelnemers van buiten "
                             "de school")
    JEUGDARTS = "jeugdarts", _("Jeugdarts")
    LEERPLICHT = "leerplicht", _("Leerplichtambtenaar")
    ANDERS = "anders", _("Andere instelling")


class Consent(models.Model):
    """A carer's consent for contact about the pupil with one institution, for a purpose."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="consents")
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="consents",
                              verbose_name=_("gegeven door"))
    given_on = models.DateField(_("gegeven op"))
    institution = models.CharField(_("voor welke instelling"), max_length=20,
                                   choices=Institution.choices)
    institution_name = models.CharField(
        _("naam van de instelling"), max_length=200, blank=True,
        help_text=_("Verplicht bij een andere instelling; bijvoorbeeld: Wijkteam Noord."))
    purpose = models.TextField(_("doel"), max_length=1000)
    # How the consent was given: "mondeling in het gesprek van 3 maart", "schriftelijk".
    how = models.CharField(_("hoe gegeven"), max_length=300)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("toestemming")
        verbose_name_plural = _("toestemmingen")
        ordering = ["-given_on", "-recorded_at"]

    def __str__(self):
        return f"{self.get_institution_display()} {self.given_on:%d-%m-%Y}"

    def withdrawn_by(self, day) -> bool:
        """Withdrawn on or before `day` (reads the prefetched withdrawal when there is one)."""
        withdrawal = getattr(self, "withdrawal", None)
        return withdrawal is not None and withdrawal.withdrawn_on <= day


class ConsentWithdrawal(models.Model):
    """The dated withdrawal of a consent (intrekking); the consent itself stays as it was."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    consent = models.OneToOneField(Consent, on_delete=models.PROTECT, related_name="withdrawal")
    withdrawn_on = models.DateField(_("ingetrokken op"))
    note = models.TextField(_("toelichting"), max_length=1000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("intrekking van toestemming")
        verbose_name_plural = _("intrekkingen van toestemming")

    def __str__(self):
        return f"{self.withdrawn_on:%d-%m-%Y}"


class ThirdPartyDisclosure(models.Model):
    """Written information about the pupil given to a third party (a copy, an export, a
    PDF), with its basis: the parents' consent, or the Veilig Thuis exception."""

    class Basis(models.TextChoices):
        CONSENT = "toestemming", _("Toestemming van de ouders")
        VEILIG_THUIS = "veilig_thuis", _("Uitzondering: Veilig Thuis (meldrecht, geen "
                                         "toestemming nodig)")

    class Recipient(models.TextChoices):
        VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis")
        ZORGTEAM = Institution.ZORGTEAM.value, Institution.ZORGTEAM.label
        JEUGDARTS = Institution.JEUGDARTS.value, Institution.JEUGDARTS.label
        LEERPLICHT = Institution.LEERPLICHT.value, Institution.LEERPLICHT.label
        ANDERS = Institution.ANDERS.value, Institution.ANDERS.label

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="disclosures")
    recipient = models.CharField(_("aan wie"), max_length=20, choices=Recipient.choices)
    recipient_name = models.CharField(_("naam van de ontvanger"), max_length=200, blank=True)
    document = models.CharField(_("welke informatie"), max_length=300)
    sent_on = models.DateField(_("verstrekt op"))
    basis = models.CharField(_("grondslag"), max_length=20, choices=Basis.choices)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="disclosures", verbose_name=_("toestemming"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("vastgelegd door"))
    recorded_at = models.DateTimeField(_("vastgelegd op"), default=timezone.now)

    class Meta:
        verbose_name = _("verstrekking aan derden")
        verbose_name_plural = _("verstrekkingen aan derden")
        ordering = ["-sent_on", "-recorded_at"]

    def __str__(self):
        return f"{self.get_recipient_display()} {self.sent_on:%d-%m-%Y}"

"""The people around a pupil: parents and other carers (ouders/verzorgers).

Conversations with parents, the letter about a melding, consent and the right of access
all start from this list. Who holds gezag (parental authority) matters most: every carer
with gezag is invited to a conversation or addressed in a letter unless a recorded reason
keeps them out (004, "Melden en bespreken"; the seed's warning about eergerelateerd
geweld and disclosure is why a carer has a safety note).
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models.cases import Student
from cases.models.workflow import Conversation


class Carer(models.Model):
    """A parent, guardian or other carer of one pupil."""

    class Relation(models.TextChoices):
        OUDER = "ouder", _("ouder")
        VOOGD = "voogd", _("voogd")
        PLEEGOUDER = "pleegouder", _("pleegouder")
        STIEFOUDER = "stiefouder", _("stiefouder")
        ANDERS = "anders", _("anders")

    class Gezag(models.TextChoices):
        JA = "ja", _("ja, heeft gezag")
        NEE = "nee", _("nee, heeft geen gezag")
        ONBEKEND = "onbekend", _("onbekend")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="carers",
                                verbose_name=_("leerling"))
    name = models.CharField(_("naam"), max_length=200)
    relation = models.CharField(_("relatie tot de leerling"), max_length=20,
                                choices=Relation.choices)
    relation_other = models.CharField(_("andere relatie"), max_length=100, blank=True)
    gezag = models.CharField(_("gezag"), max_length=10, choices=Gezag.choices,
                             default=Gezag.ONBEKEND)
    gezag_checked = models.CharField(
        _("hoe is het gezag nagegaan"), max_length=300, blank=True,
        help_text=_("Bijvoorbeeld: gezagsregister geraadpleegd op 3 maart, of verklaring "
                    "van de ouder."))
    address = models.TextField(_("adres"), max_length=500, blank=True)
    phone = models.CharField(_("telefoon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    language = models.CharField(_("taal"), max_length=60, blank=True)
    interpreter_needed = models.BooleanField(_("tolk nodig"), default=False)
    # Shown to whoever plans a conversation or a letter: "niet benaderen zonder overleg met
    # Veilig Thuis", contactverbod, huisverbod.
    safety_note = models.TextField(_("veiligheidsnotitie"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ouder/verzorger")
        verbose_name_plural = _("ouders/verzorgers")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def has_gezag(self) -> bool:
        return self.gezag == self.Gezag.JA


class ConversationCarer(models.Model):
    """Which carer took part in a conversation, and why a carer with gezag was not invited.

    Part of the conversation record, so append-only like it (the database refuses changes,
    cases/migrations/0011*): a correction is a new conversation record."""

    class Presence(models.TextChoices):
        TOOK_PART = "deelgenomen", _("nam deel")
        INVITED_ABSENT = "afwezig", _("uitgenodigd, niet gekomen")
        NOT_INVITED = "niet_uitgenodigd", _("niet uitgenodigd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    conversation = models.ForeignKey(Conversation, on_delete=models.PROTECT,
                                     related_name="carer_links")
    carer = models.ForeignKey(Carer, on_delete=models.PROTECT, related_name="conversation_links")
    presence = models.CharField(_("aanwezigheid"), max_length=20, choices=Presence.choices)
    # Required for a carer with gezag who was not invited (P-9: both parents with gezag are
    # invited unless safety prevents it).
    reason_not_invited = models.TextField(_("reden om niet uit te nodigen"), max_length=1000,
                                          blank=True)

    class Meta:
        verbose_name = _("ouder/verzorger bij een gesprek")
        verbose_name_plural = _("ouders/verzorgers bij een gesprek")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "carer"],
                                    name="one_presence_per_carer_per_conversation"),
        ]

    def __str__(self):
        return f"{self.carer_id}: {self.presence}"

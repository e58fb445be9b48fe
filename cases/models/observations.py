"""Step 1 (signaleren): observations of a concern about a pupil, and working notes.

An observation is written as a draft (saved while typing) and then submitted. A submitted
observation is never edited or deleted: corrections and the confirmation or refutation of
a hypothesis are `ObservationFollowUp` records that refer to it, so the dossier can stand
before an inspector or a court.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.errors import DomainError
from cases.models.cases import Case
from meldcode.storage import private_storage
from meldcode.workdays import day_label

__all__ = [
    "Attachment",
    "InjuryMark",
    "Observation",
    "ObservationFollowUp",
    "Statement",
    "SubmittedRecordError",
    "WorkNote",
]


class SubmittedRecordError(DomainError):
    """A write to a submitted observation (or one of its parts) that must not happen."""


IMMUTABLE_MESSAGE = _("Deze observatie is vastgelegd en kan niet meer worden gewijzigd. "
                      "Voeg een vervolgnotitie toe om iets te corrigeren of aan te vullen.")


def _refuse_if_submitted(observation_id) -> None:
    # Read the stored status, not the in-memory one: a stale instance must not slip through.
    if observation_id and Observation.objects.filter(
        pk=observation_id, status=Observation.Status.SUBMITTED
    ).exists():
        raise SubmittedRecordError(IMMUTABLE_MESSAGE)


class _PartOfObservation(models.Model):
    """Statements, injuries and attachments freeze with the observation they belong to."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _refuse_if_submitted(self.observation_id)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.observation_id)
        return super().delete(*args, **kwargs)


class ObservationQuerySet(models.QuerySet):
    """A draft exists for its author only: to anyone else it is not there."""

    def drafts_of(self, user):
        return self.filter(author=user, status=Observation.Status.DRAFT)

    def visible_to(self, user):
        return self.filter(models.Q(status=Observation.Status.SUBMITTED)
                           | models.Q(author=user, status=Observation.Status.DRAFT))


class Observation(models.Model):
    """What a professional saw or heard about a pupil (step 1)."""

    class Status(models.TextChoices):
        DRAFT = "concept", _("Concept")
        SUBMITTED = "ingediend", _("Vastgelegd")

    class Origin(models.TextChoices):
        OWN = "eigen_waarneming", _("Eigen waarneming")
        TOLD = "verteld_door_ander", _("Verteld door iemand anders")
        DISCLOSURE = "kind_vertelde", _("Het kind heeft het mij toevertrouwd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="observations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="observations")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    observed_at = models.DateTimeField(_("datum en tijd"), default=timezone.now)
    place = models.CharField(_("plaats"), max_length=200, blank=True)
    situation = models.TextField(_("situatie"), blank=True)
    present = models.CharField(_("aanwezig"), max_length=300, blank=True)
    origin = models.CharField(_("hoe is de zorg ontstaan"), max_length=20,
                              choices=Origin.choices, default=Origin.OWN)
    source_name = models.CharField(_("verteld door (naam)"), max_length=200, blank=True)
    source_role = models.CharField(_("verteld door (rol)"), max_length=200, blank=True)
    signals = models.ManyToManyField("signals_catalog.Signal", blank=True,
                                     related_name="observations",
                                     verbose_name=_("signalen uit de lijst"))
    free_signals = models.TextField(_("andere signalen"), blank=True)
    diagnosis = models.TextField(_("diagnose"), blank=True)
    diagnosis_by_name = models.CharField(_("diagnose gesteld door (naam)"), max_length=200,
                                         blank=True)
    diagnosis_by_role = models.CharField(_("diagnose gesteld door (functie)"), max_length=200,
                                         blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # The AF is alerted once per observation, the moment a disclosure is first saved.
    disclosure_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    # "Is de leerling nu in direct gevaar?": yes alerts the AF and directie at once.
    direct_danger = models.BooleanField(_("de leerling is nu in direct gevaar"), default=False)
    danger_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        verbose_name = _("observatie")
        verbose_name_plural = _("observaties")
        ordering = ["observed_at"]
        indexes = [models.Index(fields=["case", "status"])]

    def __str__(self):
        return str(_("Observatie van %(date)s") % {"date": day_label(self.observed_at)})

    def save(self, *args, **kwargs):
        if not self._state.adding:
            _refuse_if_submitted(self.pk)
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _refuse_if_submitted(self.pk)
        return super().delete(*args, **kwargs)

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def is_visible_to(self, user) -> bool:
        return self.is_submitted or self.author_id == user.pk

    @property
    def is_disclosure(self) -> bool:
        return self.origin == self.Origin.DISCLOSURE


class Statement(_PartOfObservation):
    """One statement of an observation, marked as fact or as hypothesis (assumption)."""

    class Kind(models.TextChoices):
        FACT = "feit", _("Feit")
        HYPOTHESIS = "hypothese", _("Hypothese / aanname")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE,
                                    related_name="statements")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices, default=Kind.FACT)
    text = models.TextField(_("uitspraak"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("uitspraak")
        verbose_name_plural = _("uitspraken")
        ordering = ["observation", "position"]

    def __str__(self):
        return self.text[:60]

    @property
    def is_hypothesis(self) -> bool:
        return self.kind == self.Kind.HYPOTHESIS


class ObservationFollowUp(models.Model):
    """A later note on a submitted observation: a correction, or a hypothesis confirmed or
    refuted. Follow-ups are themselves never edited."""

    class Kind(models.TextChoices):
        CORRECTION = "correctie", _("Correctie of aanvulling")
        CONFIRMED = "bevestigd", _("Hypothese bevestigd")
        REFUTED = "weerlegd", _("Hypothese weerlegd")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT,
                                    related_name="follow_ups")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="follow_ups")
    kind = models.CharField(_("soort"), max_length=12, choices=Kind.choices)
    text = models.TextField(_("toelichting"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vervolgnotitie")
        verbose_name_plural = _("vervolgnotities")
        ordering = ["created_at"]

    def __str__(self):
        return self.get_kind_display()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise SubmittedRecordError(_("Een vervolgnotitie kan niet worden gewijzigd."))
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise SubmittedRecordError(_("Een vervolgnotitie kan niet worden verwijderd."))

    @property
    def is_outcome(self) -> bool:
        return self.kind in (self.Kind.CONFIRMED, self.Kind.REFUTED)


class InjuryMark(_PartOfObservation):
    """An injury marked on the body map (front or back outline) of an observation."""

    class Side(models.TextChoices):
        FRONT = "voor", _("Voorkant")
        BACK = "achter", _("Achterkant")

    class Region(models.TextChoices):
        HEAD = "hoofd", _("Hoofd en gezicht")
        NECK = "hals", _("Hals en nek")
        CHEST = "borst", _("Borst en schouders")
        BELLY = "buik", _("Buik")
        PELVIS = "bekken", _("Heupen en onderbuik")
        UPPER_BACK = "bovenrug", _("Bovenrug en schouders")
        LOWER_BACK = "onderrug", _("Onderrug")
        BUTTOCKS = "billen", _("Billen")
        RIGHT_ARM = "rechterarm", _("Rechterarm")
        LEFT_ARM = "linkerarm", _("Linkerarm")
        RIGHT_HAND = "rechterhand", _("Rechterhand")
        LEFT_HAND = "linkerhand", _("Linkerhand")
        RIGHT_LEG = "rechterbeen", _("Rechterbeen")
        LEFT_LEG = "linkerbeen", _("Linkerbeen")
        RIGHT_FOOT = "rechtervoet", _("Rechtervoet")
        LEFT_FOOT = "linkervoet", _("Linkervoet")

    class Kind(models.TextChoices):
        BRUISE = "blauwe_plek", _("Blauwe plek")
        BURN = "brandwond", _("Brandwond")
        FRACTURE = "botbreuk", _("Botbreuk")
        CUT = "snijwond", _("Snijwond")
        SCRATCH = "krabwond", _("Krab- of schaafwond")
        BITE = "bijtwond", _("Bijtwond")
        OTHER = "anders", _("Anders")

    observation = models.ForeignKey(Observation, on_delete=models.CASCADE,
                                    related_name="injuries")
    side = models.CharField(_("kant"), max_length=8, choices=Side.choices)
    region = models.CharField(_("lichaamsdeel"), max_length=40, choices=Region.choices,
                              blank=True)
    # Position on the outline in percent of its width/height, for drawing the mark.
    x = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    y = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # Blank only while the observation is a draft; submitting requires it.
    kind = models.CharField(_("soort letsel"), max_length=16, choices=Kind.choices, blank=True)
    size = models.CharField(_("grootte"), max_length=60, blank=True)
    description = models.TextField(_("beschrijving"), blank=True)

    class Meta:
        verbose_name = _("letsel")
        verbose_name_plural = _("letsels")

    def __str__(self):
        return f"{self.get_kind_display()} – {self.get_region_display()}"


# The file types an attachment may have, with the extension each is stored and served
# under. The type is detected from the file's first bytes (cases/services/observations.py); the
# uploaded name never decides it: "polyglot.html" whose bytes are a PDF is a .pdf.
ATTACHMENT_EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}


def attachment_path(instance, filename):
    # Random names: the original file name may identify the pupil.
    extension = ATTACHMENT_EXTENSIONS[instance.content_type]
    return f"attachments/{instance.observation.case_id}/{uuid.uuid4().hex}{extension}"


def name_for_type(name: str, content_type: str) -> str:
    """The uploaded name with the extension of the detected type instead of its own."""
    stem = name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    extension = ATTACHMENT_EXTENSIONS[content_type]
    return (stem.strip() or "bijlage")[:255 - len(extension)] + extension


class Attachment(_PartOfObservation):
    """A file (PDF, JPEG, PNG; ≤ 10 MB) added to an observation, stored outside the web
    root and served only through the permission policy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    observation = models.ForeignKey(Observation, on_delete=models.PROTECT,
                                    related_name="attachments")
    file = models.FileField(upload_to=attachment_path, storage=private_storage,
                            max_length=255)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bijlage")
        verbose_name_plural = _("bijlagen")
        ordering = ["uploaded_at"]

    def __str__(self):
        return self.original_name

    @property
    def download_name(self) -> str:
        # Also for files stored before the name followed the type.
        return name_for_type(self.original_name, self.content_type)


class WorkNote(models.Model):
    """A werkaantekening: a private working note of one professional on a case. Visible
    to its author only and never in the chronology or the printed dossier; tied to the
    pupil, so a right-of-access request covers it unless withheld on a recorded ground
    (privacy/services/requests.py access_request_worknotes)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="work_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                               related_name="work_notes")
    text = models.TextField(_("aantekening"))
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("werkaantekening")
        verbose_name_plural = _("werkaantekeningen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["case", "author"])]

    def __str__(self):
        return str(_("Werkaantekening"))

"""A document made outside the request (a long PDF), and kept only until it is fetched."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models.cases import Case


class DocumentJob(models.Model):
    """One person's request for a document of a case (kind: a registered renderer,
    cases/services/documents.py). The PDF is held in this row, never on disk, until its
    requester downloads it once or it expires; then only the facts of the job remain."""

    class Status(models.TextChoices):
        QUEUED = "wachtend", _("wacht op zijn beurt")
        RUNNING = "bezig", _("wordt gemaakt")
        READY = "klaar", _("klaar om te downloaden")
        FAILED = "mislukt", _("mislukt")
        FETCHED = "opgehaald", _("gedownload")
        EXPIRED = "verlopen", _("verlopen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("soort"), max_length=40)
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="document_jobs")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                     related_name="document_jobs")
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    content = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=120, blank=True)
    pages = models.PositiveIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    # A Dutch sentence for the requester; never dossier content or a traceback.
    error = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("document in de maak")
        verbose_name_plural = _("documenten in de maak")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "expires_at"], name="documentjob_expiry")]

    def __str__(self):
        return f"{self.kind} {self.reference}"

    @property
    def reference(self) -> str:
        return str(self.id)[:8].upper()

    @property
    def is_pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

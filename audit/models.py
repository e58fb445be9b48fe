"""Append-only records of what happened (AuditEvent) and who read what (AccessLog)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


class AppendOnlyModel(models.Model):
    """Rows are written once. The database refuses UPDATE/DELETE as well (migration 0002)."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records cannot be deleted.")


class AuditEvent(AppendOnlyModel):
    """Something that happened: a state change, decision, approval, export or login."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    action = models.CharField(max_length=80, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    actor_role = models.CharField(max_length=32, blank=True)
    school = models.ForeignKey("meldcode.School", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    subject_type = models.CharField(max_length=80, blank=True)
    subject_id = models.CharField(max_length=64, blank=True, db_index=True)
    # The case the event belongs to, so a case's trail is one indexed query.
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Small structured facts only (ids, codes, dates); never free text from the dossier.
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("auditgebeurtenis")
        verbose_name_plural = _("auditgebeurtenissen")
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"


class AccessLog(AppendOnlyModel):
    """One read of dossier content: who, which pupil/case, what, when, role, address."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    role = models.CharField(max_length=80, blank=True)
    what = models.CharField(max_length=80)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    student_id = models.UUIDField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("inzages")
        ordering = ["occurred_at", "id"]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.what}"

"""Append-only records of what happened (AuditEvent) and who read what (AccessLog).

Both are hash-chained per board (audit/services/chain.py): every record carries its place
in its board's chain (`sequence`) and the SHA-256 of the previous record's hash and its
own canonical content (`hash`), so a changed or removed row is found by `verify_audit`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised when code tries to change or remove an audit record."""


def _refuse_unchained(record):
    raise RuntimeError("audit.services.chain is not loaded; records cannot be chained")


# The chain writer lives in audit/services/chain.py, which installs itself here when it is
# imported (AuditConfig.ready), so that models need not import services.
_appender = _refuse_unchained


def use_appender(func) -> None:
    global _appender
    _appender = func


class ChainedRecord(models.Model):
    """Rows are written once, as the next link of their board's chain.

    The database refuses UPDATE/DELETE as well (migration 0003)."""

    # The chain the record belongs to; empty for the global chain (e.g. a failed login of
    # an unknown user, or a change outside any board).
    board = models.ForeignKey("meldcode.Board", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    sequence = models.BigIntegerField(null=True, editable=False)
    hash = models.CharField(max_length=64, blank=True, editable=False)

    CHAIN = ""  # "audit" or "access": the name of the chain family in ChainHead

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} records cannot be changed.")
        _appender(self)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(f"{type(self).__name__} records cannot be deleted.")


def _chain_constraints(prefix: str) -> list:
    return [
        models.UniqueConstraint(fields=["board", "sequence"], condition=Q(board__isnull=False),
                                name=f"{prefix}_board_sequence_unique"),
        models.UniqueConstraint(fields=["sequence"], condition=Q(board__isnull=True),
                                name=f"{prefix}_global_sequence_unique"),
    ]


class AuditEvent(ChainedRecord):
    """Something that happened: a state change, decision, approval, export or login."""

    CHAIN = "audit"

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
        constraints = _chain_constraints("auditevent")
        indexes = [models.Index(fields=["case_id", "occurred_at", "id"],
                                name="auditevent_case_keyset")]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.action}"


class AccessKind(models.TextChoices):
    READ = "read", _("ingezien")
    CREATE = "create", _("toegevoegd")
    UPDATE = "update", _("gewijzigd")
    PRINT = "print", _("afgedrukt")
    EXPORT = "export", _("geëxporteerd")
    SEARCH = "search", _("gezocht")
    LIST = "list", _("lijst bekeken")
    REFUSED = "refused", _("geweigerd")


class AccessOutcome(models.TextChoices):
    ALLOWED = "allowed", _("toegestaan")
    NOT_FOUND = "not_found", _("geweigerd (niet gevonden)")
    FORBIDDEN = "forbidden", _("geweigerd (geen recht)")
    ERROR = "error", _("fout")


class AccessLog(ChainedRecord):
    """One request that touched dossier content, allowed or refused (NEN 7513): who, in
    which role, which pupil/case, what, when, from which address, with what outcome."""

    CHAIN = "access"

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    role = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=16, choices=AccessKind.choices,
                            default=AccessKind.READ)
    # The page or download, e.g. "case.detail" or the URL name.
    what = models.CharField(max_length=80)
    case_id = models.UUIDField(null=True, blank=True, db_index=True)
    student_id = models.UUIDField(null=True, blank=True, db_index=True)
    school = models.ForeignKey("meldcode.School", on_delete=models.PROTECT, null=True,
                               blank=True, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    outcome = models.CharField(max_length=16, choices=AccessOutcome.choices,
                               default=AccessOutcome.ALLOWED)

    class Meta:
        verbose_name = _("inzage")
        verbose_name_plural = _("inzages")
        ordering = ["occurred_at", "id"]
        constraints = _chain_constraints("accesslog")
        indexes = [
            models.Index(fields=["board", "occurred_at", "id"], name="accesslog_board_keyset"),
            models.Index(fields=["user", "occurred_at"], name="accesslog_user_time"),
        ]

    def __str__(self):
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.what}"


class ChainHead(models.Model):
    """The last link of one chain: its sequence number and hash.

    Writers lock this row (the UPDATE that advances it) for the rest of their transaction,
    so two writers of one board can never link to the same predecessor."""

    log = models.CharField(max_length=16)  # "audit" or "access"
    board = models.ForeignKey("meldcode.Board", on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")
    sequence = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ketenkop")
        verbose_name_plural = _("ketenkoppen")
        constraints = [
            models.UniqueConstraint(fields=["log", "board"], condition=Q(board__isnull=False),
                                    name="chainhead_board_unique"),
            models.UniqueConstraint(fields=["log"], condition=Q(board__isnull=True),
                                    name="chainhead_global_unique"),
        ]

    def __str__(self):
        return f"{self.log}/{self.board_id or 'global'} #{self.sequence}"

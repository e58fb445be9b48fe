"""Step 1 (signaleren): drafting, submitting and following up observations.

A draft belongs to its author alone and may change freely; submitting freezes it. After
that, only follow-up notes (corrections, a hypothesis confirmed or refuted) are added.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Sum
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from audit.services import audit
from cases import dates, permissions, workflow
from cases.deadlines import case_event
from cases.errors import DomainError
from cases.models import (
    Attachment,
    Case,
    InjuryMark,
    Notification,
    Observation,
    ObservationFollowUp,
    Phase,
    PhaseTransition,
    Statement,
)
from cases.models.observations import IMMUTABLE_MESSAGE, name_for_type
from cases.notifications import notify
from cases.selectors.cases import school_directie
from cases.services.cases import acting_role, school_coordinators

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# What one observation may carry in all, and so also what one request may add.
MAX_ATTACHMENTS = 10
MAX_ATTACHMENTS_BYTES = 50 * 1024 * 1024
# Recognised by their first bytes, never by name or by what the browser claims.
MAGIC_NUMBERS = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)
CLOSED_MESSAGE = _lazy("Deze casus is gesloten. Meld nieuwe zorgen met “Ik maak me zorgen”: "
                       "dan wordt een nieuwe casus geopend.")
OBSERVED_AT = _lazy("De datum en tijd van de observatie")


class ObservationIncomplete(DomainError):
    """Submitting refused: `errors` maps form field names ("" for general) to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(_("De observatie is nog niet compleet."))
        self.errors = errors


@dataclass
class StatementInput:
    kind: str
    text: str


@dataclass
class InjuryInput:
    side: str
    region: str = ""
    kind: str = ""
    size: str = ""
    description: str = ""
    x: object = None
    y: object = None


@dataclass
class ObservationInput:
    """Everything the observation form carries, already parsed."""

    observed_at: datetime | None = None
    place: str = ""
    situation: str = ""
    present: str = ""
    origin: str = Observation.Origin.OWN
    source_name: str = ""
    source_role: str = ""
    signals: list = field(default_factory=list)
    free_signals: str = ""
    diagnosis: str = ""
    diagnosis_by_name: str = ""
    diagnosis_by_role: str = ""
    direct_danger: bool = False
    statements: list[StatementInput] = field(default_factory=list)
    injuries: list[InjuryInput] = field(default_factory=list)


SCALAR_FIELDS = (
    "place", "situation", "present", "origin", "source_name", "source_role", "free_signals",
    "diagnosis", "diagnosis_by_name", "diagnosis_by_role", "direct_danger",
)


def _require_action(actor, case, action: str) -> None:
    if action not in permissions.case_actions(actor, case):
        raise DomainError(_("U mag dit niet doen in deze casus."))


# Lock order, in every service here: the case row first, then the observation. The
# workflow services lock the pupil before the case, and nothing locks an observation before
# its case, so an autosave and "Vastleggen" on one draft wait for each other, never deadlock.


def _lock_open_case(case_id):
    """Lock the case row (only that row) and refuse work on a closed case."""
    locked = Case.objects.select_for_update(of=("self",)).select_related(
        "school", "school__board", "student").get(pk=case_id)
    if not locked.is_open:
        raise DomainError(CLOSED_MESSAGE)
    return locked


def _lock_case_and_draft(observation: Observation, actor):
    """The draft's case, then the draft (an observation never moves to another case)."""
    case = _lock_open_case(observation.case_id)
    return case, _lock_draft(observation, actor)


def _lock_draft(observation: Observation, actor) -> Observation:
    # of=("self",): an autosave must not lock the school or board rows for everyone else.
    locked = (Observation.objects.select_for_update(of=("self",))
              .select_related("case", "case__school", "case__school__board")
              .get(pk=observation.pk))
    if locked.is_submitted:
        raise DomainError(IMMUTABLE_MESSAGE)
    if locked.author_id != actor.pk:
        raise DomainError(_("Alleen wie het concept schreef, kan het wijzigen."))
    return locked


@transaction.atomic
def observation_draft_save(*, actor, case, data: ObservationInput,
                           observation: Observation | None = None) -> Observation:
    """Create or update the actor's draft with everything typed so far."""
    case = _lock_open_case(case.pk)
    _require_action(actor, case, "observation.add")
    now = timezone.now()
    if observation is None:
        observation = Observation(case=case, author=actor, created_at=now)
        created = True
    else:
        observation = _lock_draft(observation, actor)
        if observation.case_id != case.pk:
            raise DomainError(_("Dit concept hoort niet bij deze casus."))
        created = False
    if data.observed_at is not None:
        observation.observed_at = dates.check_past_moment(
            data.observed_at, what=str(OBSERVED_AT), born=case.student.date_of_birth)
    for name in SCALAR_FIELDS:
        setattr(observation, name, getattr(data, name))
    observation.updated_at = now
    observation.save()
    observation.signals.set(data.signals)
    # A draft's parts are rewritten as a whole: the form always carries all of them.
    observation.statements.all().delete()
    Statement.objects.bulk_create(
        Statement(observation=observation, kind=s.kind, text=s.text, position=i)
        for i, s in enumerate(data.statements)
    )
    observation.injuries.all().delete()
    InjuryMark.objects.bulk_create(
        InjuryMark(observation=observation, side=m.side, region=m.region, kind=m.kind,
                   size=m.size, description=m.description, x=m.x, y=m.y)
        for m in data.injuries
    )
    if created:
        audit("observation.draft_created", actor=actor, subject=observation, case=case,
              actor_role=acting_role(actor, case.school))
    if observation.is_disclosure and observation.disclosure_notified_at is None:
        _flag_disclosure(actor, observation, now)
    if observation.direct_danger and observation.danger_notified_at is None:
        _flag_direct_danger(actor, observation, now)
    return observation


@transaction.atomic
def observation_draft_delete(*, actor, observation: Observation) -> None:
    """The author throws their own draft away. The trail keeps that a draft was deleted,
    never what it said. A draft that already alerted the AF (a disclosure, direct danger)
    stays: that alert must remain traceable to what was written."""
    case, observation = _lock_case_and_draft(observation, actor)
    _require_action(actor, case, "observation.add")
    if observation.disclosure_notified_at or observation.danger_notified_at:
        raise DomainError(_("Dit concept heeft de aandachtsfunctionaris al gealarmeerd en "
                            "kan daarom niet worden verwijderd. Vul het aan en leg het vast."))
    audit("observation.draft_deleted", actor=actor, subject=observation, case=case,
          actor_role=acting_role(actor, case.school))
    files = [(a.file.storage, a.file.name) for a in observation.attachments.all()]
    observation.attachments.all().delete()
    observation.statements.all().delete()
    observation.injuries.all().delete()
    observation.signals.clear()
    observation.delete()
    for storage, name in files:
        transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))


def _flag_disclosure(actor, observation: Observation, now) -> None:
    """A child confided: the AF must know at once, before the teacher finishes writing."""
    observation.disclosure_notified_at = now
    observation.save(update_fields=["disclosure_notified_at"])
    case = observation.case
    audit("observation.disclosure_flagged", actor=actor, subject=observation, case=case,
          actor_role=acting_role(actor, case.school))
    notify(recipients=school_coordinators(case.school), kind=Notification.Kind.DISCLOSURE,
           case=case, actor=actor)
    case_event("disclosure.flagged", case=case, actor=actor)


def _flag_direct_danger(actor, observation: Observation, now) -> None:
    """The pupil is in direct danger now: the AF and the directie are alerted the moment
    the answer is saved (in-app, and by mail without content); the form itself tells the
    teacher to call 112 and then Veilig Thuis."""
    observation.danger_notified_at = now
    observation.save(update_fields=["danger_notified_at"])
    case = observation.case
    audit("observation.direct_danger_flagged", actor=actor, subject=observation, case=case,
          actor_role=acting_role(actor, case.school))
    notify(recipients=[*school_coordinators(case.school), *school_directie(case.school)],
           kind=Notification.Kind.DIRECT_DANGER, case=case, actor=actor)


def submission_errors(observation: Observation) -> dict[str, list[str]]:
    """What is missing before an observation can be recorded (Dutch, per form field)."""
    errors: dict[str, list[str]] = {}

    def add(name, message):
        errors.setdefault(name, []).append(message)

    try:
        dates.check_past_moment(observation.observed_at, what=str(OBSERVED_AT),
                                born=observation.case.student.date_of_birth)
    except dates.DateOutOfRange as error:
        add("observed_at", error.message)
    if not observation.place.strip():
        add("place", _("Vul in waar het gebeurde."))
    if not observation.situation.strip():
        add("situation", _("Beschrijf de situatie."))
    if observation.origin == Observation.Origin.TOLD:
        if not observation.source_name.strip():
            add("source_name", _("Vul in wie het u vertelde: informatie van anderen krijgt "
                                 "altijd een bron."))
        if not observation.source_role.strip():
            add("source_role", _("Vul de rol in van wie het u vertelde (bijvoorbeeld "
                                 "moeder, klasgenoot, buurvrouw)."))
    if observation.diagnosis.strip():
        if not observation.diagnosis_by_name.strip():
            add("diagnosis_by_name", _("Een diagnose mag alleen worden vastgelegd met de naam "
                                       "van de deskundige die haar stelde."))
        if not observation.diagnosis_by_role.strip():
            add("diagnosis_by_role", _("Vul de functie in van de deskundige die de diagnose "
                                       "stelde (bijvoorbeeld orthopedagoog, jeugdarts)."))
    statements = list(observation.statements.all())
    has_signal = (observation.signals.exists() or observation.free_signals.strip()
                  or statements)
    if not has_signal:
        add("", _("Kies ten minste één signaal, beschrijf een ander signaal of schrijf een "
                  "uitspraak op."))
    for mark in observation.injuries.all():
        if not mark.region or not mark.kind:
            add("injuries", _("Vul bij elk letsel het lichaamsdeel en de soort letsel in."))
            break
    return errors


@transaction.atomic
def observation_submit(*, actor, observation: Observation) -> Observation:
    """Record the draft in the dossier for good and alert the AF."""
    case, observation = _lock_case_and_draft(observation, actor)
    _require_action(actor, case, "observation.add")
    errors = submission_errors(observation)
    if errors:
        raise ObservationIncomplete(errors)
    observation.status = Observation.Status.SUBMITTED
    observation.submitted_at = timezone.now()
    observation.save(update_fields=["status", "submitted_at"])
    audit("observation.submitted", actor=actor, subject=observation, case=case,
          actor_role=acting_role(actor, case.school),
          data={"origin": observation.origin, "signals": observation.signals.count(),
                "statements": observation.statements.count(),
                "injuries": observation.injuries.count()})
    notify(recipients=school_coordinators(case.school),
           kind=Notification.Kind.OBSERVATION_SUBMITTED, case=case, actor=actor)
    if case.phase == Phase.MONITOREN and PhaseTransition.objects.filter(
            case=case, to_phase=Phase.MELDING,
            recorded_at__gte=workflow.cycle_start(case)).exists():
        case_event("signals.after_melding", case=case, actor=actor)
    return observation


@transaction.atomic
def observation_follow_up_add(*, actor, observation: Observation, kind: str, text: str,
                              statement: Statement | None = None) -> ObservationFollowUp:
    """Add a correction, or confirm or refute one hypothesis of a submitted observation."""
    observation = Observation.objects.select_for_update(of=("self",)).select_related(
        "case", "case__school", "case__school__board").get(pk=observation.pk)
    case = observation.case
    _require_action(actor, case, "observation.follow_up")
    if not observation.is_submitted:
        raise DomainError(_("Een vervolgnotitie kan alleen bij een vastgelegde observatie."))
    if kind not in ObservationFollowUp.Kind.values:
        raise DomainError(_("Kies de soort vervolgnotitie."))
    if not text.strip():
        raise DomainError(_("Schrijf de toelichting op."))
    if statement is not None and statement.observation_id != observation.pk:
        raise DomainError(_("Deze uitspraak hoort niet bij deze observatie."))
    if kind != ObservationFollowUp.Kind.CORRECTION:
        if statement is None or not statement.is_hypothesis:
            raise DomainError(_("Kies de hypothese die wordt bevestigd of weerlegd."))
    follow_up = ObservationFollowUp.objects.create(
        observation=observation, statement=statement, kind=kind, text=text.strip(),
        author=actor,
    )
    audit("observation.follow_up_added", actor=actor, subject=observation, case=case,
          actor_role=acting_role(actor, case.school),
          data={"kind": kind, "statement": statement.pk if statement else None})
    return follow_up


def detect_content_type(head: bytes) -> str | None:
    for magic, content_type in MAGIC_NUMBERS:
        if head.startswith(magic):
            return content_type
    return None


def _stored(observation: Observation) -> tuple[int, int]:
    totals = observation.attachments.aggregate(count=Count("pk"), size=Sum("size"))
    return totals["count"], totals["size"] or 0


def _quota() -> dict:
    return {"files": MAX_ATTACHMENTS, "total": filesizeformat(MAX_ATTACHMENTS_BYTES)}


def upload_quota_error(observation: Observation | None, uploads) -> str | None:
    """Why these files, sent together, cannot be added (Dutch), or None when they fit:
    a request adds all its files or none. `attachment_add` checks the observation's
    quota again under its lock, for two requests at once."""
    count, size = len(uploads), sum(upload.size for upload in uploads)
    if count > MAX_ATTACHMENTS or size > MAX_ATTACHMENTS_BYTES:
        return _("U kunt in één keer hoogstens %(files)s bestanden van samen %(total)s "
                 "toevoegen; u koos er %(count)s van samen %(size)s. Er is geen bestand "
                 "toegevoegd.") % {**_quota(), "count": count, "size": filesizeformat(size)}
    stored_count, stored_size = _stored(observation) if observation else (0, 0)
    if stored_count + count > MAX_ATTACHMENTS or stored_size + size > MAX_ATTACHMENTS_BYTES:
        return _("Een observatie heeft hoogstens %(files)s bijlagen van samen %(total)s. Er "
                 "zijn er al %(stored)s van samen %(stored_size)s: deze bestanden passen daar "
                 "niet meer bij. Er is geen bestand toegevoegd.") % {
            **_quota(), "stored": stored_count, "stored_size": filesizeformat(stored_size)}
    return None


@transaction.atomic
def attachment_add(*, actor, observation: Observation, upload) -> Attachment:
    """Store a PDF, JPEG or PNG (checked by content) with a draft observation, named and
    served by the detected type."""
    case, observation = _lock_case_and_draft(observation, actor)
    _require_action(actor, case, "observation.add")
    name = upload.name or "bijlage"
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise DomainError(_("%(name)s is groter dan 10 MB.") % {"name": name})
    stored_count, stored_size = _stored(observation)
    if (stored_count + 1 > MAX_ATTACHMENTS
            or stored_size + upload.size > MAX_ATTACHMENTS_BYTES):
        raise DomainError(_("%(name)s past niet meer bij deze observatie: die heeft "
                            "hoogstens %(files)s bijlagen van samen %(total)s, en er zijn er "
                            "al %(stored)s van samen %(stored_size)s.") % {
            **_quota(), "name": name, "stored": stored_count,
            "stored_size": filesizeformat(stored_size)})
    upload.seek(0)
    content_type = detect_content_type(upload.read(16))
    if content_type is None:
        raise DomainError(_("%(name)s is geen PDF-, JPEG- of PNG-bestand.") % {"name": name})
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    attachment = Attachment(
        observation=observation, original_name=name_for_type(name, content_type),
        content_type=content_type,
        size=upload.size, sha256=digest.hexdigest(), uploaded_by=actor,
    )
    attachment.file.save("upload", upload, save=False)
    stored, storage = attachment.file.name, attachment.file.storage
    # The file is on disk before the transaction commits: remove it if the work is undone.
    try:
        attachment.save()
        audit("observation.attachment_added", actor=actor, subject=observation,
              case=case, actor_role=acting_role(actor, case.school),
              data={"attachment": str(attachment.pk), "content_type": content_type,
                    "size": upload.size})
    except Exception:
        storage.delete(stored)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor, attachment: Attachment) -> None:
    """Take a file off a draft (a submitted observation keeps its files)."""
    case, observation = _lock_case_and_draft(attachment.observation, actor)
    _require_action(actor, case, "observation.add")
    attachment = Attachment.objects.get(pk=attachment.pk)
    attachment_id = str(attachment.pk)  # delete() clears the pk
    stored = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    audit("observation.attachment_removed", actor=actor, subject=observation,
          case=case, actor_role=acting_role(actor, case.school),
          data={"attachment": attachment_id})
    transaction.on_commit(lambda: storage.delete(stored))

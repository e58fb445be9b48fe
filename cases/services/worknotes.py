"""Services for werkaantekeningen: a professional's private working notes on a case.

A note is tied to its case, and so to an identified pupil: under the AVG it is personal
data about the pupil, and part of the answer to a parent's right-of-access request unless
it is withheld on a recorded ground (004 "Privacy" exempts only anonymous notes, C-17).
The link stays because notes are kept per case and destroyed with it: when the case
closes (the board's term, `worknote_days`), at once when the suspicion proved unfounded
(000 "Afsluiting"), by `apply_retention` through `work_notes_destroy`.

Within the product a note is its author's alone: no one else reads it, it never appears
in the chronology or the printed dossier. The audit events therefore carry no text, and
no case id in the `case_id` column either: the case trail is read by the team, and even
the existence of a colleague's private notes is not theirs to know.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases import permissions
from cases.errors import DomainError
from cases.models import Case, WorkNote

MAX_LENGTH = 10_000


def _clean_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Schrijf een aantekening."))
    if len(text) > MAX_LENGTH:
        raise DomainError(_("Een werkaantekening is hooguit %(n)s tekens lang.")
                          % {"n": MAX_LENGTH})
    return text


def _lock_own_note(*, author, note: WorkNote) -> WorkNote:
    try:
        return WorkNote.objects.select_for_update(of=("self",)).select_related("case__school").get(
            pk=note.pk, author=author
        )
    except WorkNote.DoesNotExist as exc:
        raise DomainError(_("Deze werkaantekening bestaat niet (meer).")) from exc


def _require_view(author, case: Case) -> None:
    # Only people who may read the case can keep notes on it.
    if "view" not in permissions.case_actions(author, case):
        raise DomainError(_("U hebt geen toegang tot deze casus."))


def _audit(action: str, *, author, note: WorkNote) -> None:
    audit(action, actor=author, subject=note, school=note.case.school,
          data={"case": str(note.case_id)})


@transaction.atomic
def work_note_add(*, author, case: Case, text: str) -> WorkNote:
    case = Case.objects.select_related("school", "school__board").get(pk=case.pk)
    _require_view(author, case)
    now = timezone.now()
    note = WorkNote.objects.create(case=case, author=author, text=_clean_text(text),
                                   created_at=now, updated_at=now)
    _audit("worknote.added", author=author, note=note)
    return note


@transaction.atomic
def work_note_update(*, author, note: WorkNote, text: str) -> WorkNote:
    note = _lock_own_note(author=author, note=note)
    _require_view(author, note.case)
    note.text = _clean_text(text)
    note.updated_at = timezone.now()
    note.save(update_fields=["text", "updated_at"])
    _audit("worknote.updated", author=author, note=note)
    return note


@transaction.atomic
def work_note_delete(*, author, note: WorkNote) -> None:
    note = _lock_own_note(author=author, note=note)
    _require_view(author, note.case)
    _audit("worknote.deleted", author=author, note=note)
    note.delete()


@transaction.atomic
def work_notes_destroy(*, case: Case, unfounded: bool) -> int:
    """Destroy every work note of a closed case (retention, 3.8). Returns how many went;
    the audit event holds only that number."""
    case = Case.objects.select_for_update().select_related("school").get(pk=case.pk)
    if case.is_open:
        raise DomainError(_("Werkaantekeningen van een lopende casus blijven bestaan."))
    count, _deleted = WorkNote.objects.filter(case=case).delete()
    if count:
        audit("worknote.destroyed", school=case.school,
              data={"count": count, "unfounded": unfounded})
    return count

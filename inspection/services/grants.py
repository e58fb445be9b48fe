"""Giving an inspecteur access, and ending it (bestuur or beheerder of the board)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from inspection.models import InspectionGrant
from meldcode.errors import DomainError
from meldcode.models import Board, Role
from meldcode.permissions import board_ids_with, can, roles

# A visit is prepared and held within months; a longer grant would be a standing access.
MAX_VALID_DAYS = 366


def _acting_role(actor) -> str:
    held = roles(actor)
    return ",".join(sorted(r for r in (Role.BESTUUR, Role.BEHEERDER) if r in held))


@transaction.atomic
def inspection_grant_create(*, actor, board: Board, inspector, schools, purpose: str,
                            valid_from: date, valid_until: date, period_start: date,
                            period_end: date, include_names: bool = False,
                            include_content: bool = False) -> InspectionGrant:
    """Give `inspector` access to `schools` of `board` for the stated purpose."""
    board = Board.objects.select_for_update().get(pk=board.pk)
    if not can(actor, "inspection.grant") or board.pk not in board_ids_with(
            actor, Role.BESTUUR, Role.BEHEERDER):
        raise DomainError(_("U kunt voor dit bestuur geen inspectietoegang geven."))
    # Dossier content is the bestuur's to share, as verwerkingsverantwoordelijke; the
    # beheerder, who never reaches dossier content, cannot open it to someone else.
    if include_content and board.pk not in board_ids_with(actor, Role.BESTUUR):
        raise DomainError(_("Alleen het bestuur kan inzage in de inhoud van dossiers geven."))
    if inspector.pk == actor.pk:
        raise DomainError(_("U kunt uzelf geen inspectietoegang geven."))
    if board.pk not in board_ids_with(inspector, Role.INSPECTEUR):
        raise DomainError(_("Deze persoon is geen inspecteur bij dit bestuur."))
    schools = list(schools)
    if not schools:
        raise DomainError(_("Kies ten minste één school."))
    if any(s.board_id != board.pk for s in schools):
        raise DomainError(_("Kies alleen scholen van dit bestuur."))
    if not purpose.strip():
        raise DomainError(_("Beschrijf het doel van de inspectie."))
    if valid_until < valid_from or period_end < period_start:
        raise DomainError(_("De einddatum ligt vóór de begindatum."))
    if valid_until < timezone.localdate():
        raise DomainError(_("De toegang zou al verlopen zijn: kies een latere einddatum."))
    if (valid_until - valid_from).days > MAX_VALID_DAYS:
        raise DomainError(_("Geef toegang voor hoogstens een jaar."))
    grant = InspectionGrant.objects.create(
        inspector=inspector, board=board, purpose=purpose.strip(), valid_from=valid_from,
        valid_until=valid_until, period_start=period_start, period_end=period_end,
        include_names=include_names, include_content=include_content, created_by=actor)
    grant.schools.set(schools)
    # Names and content are recorded as choices of their own: each widens what leaves
    # the school, so the trail says so in so many words.
    audit("inspection.grant_created", actor=actor, subject=grant, board=board,
          actor_role=_acting_role(actor),
          data={"inspector": inspector.pk, "schools": sorted(str(s.pk) for s in schools),
                "valid_from": valid_from.isoformat(), "valid_until": valid_until.isoformat(),
                "period_start": period_start.isoformat(), "period_end": period_end.isoformat(),
                "include_names": include_names, "include_content": include_content})
    return grant


@transaction.atomic
def inspection_grant_end(*, actor, grant: InspectionGrant) -> InspectionGrant:
    grant = InspectionGrant.objects.select_for_update().get(pk=grant.pk)
    if grant.board_id not in board_ids_with(actor, Role.BESTUUR, Role.BEHEERDER) or not can(
            actor, "inspection.grant"):
        raise DomainError(_("U kunt deze inspectietoegang niet beëindigen."))
    if grant.ended_at is not None:
        raise DomainError(_("Deze toegang is al beëindigd."))
    grant.ended_at, grant.ended_by = timezone.now(), actor
    grant.save(update_fields=["ended_at", "ended_by"])
    audit("inspection.grant_ended", actor=actor, subject=grant, board=grant.board_id,
          actor_role=_acting_role(actor), data={"inspector": grant.inspector_id})
    return grant

"""Matrix rows for the vernietigingslijst (AF and directie of the school) and the board's
bewaartermijnen (its beheerder and bestuur)."""

from datetime import timedelta

from django.utils import timezone

from retention.models import DestructionItem, LegalHold
from tests.factories import BoardFactory
from tests.matrix.rows import Row, everyone


def _item(p):
    today = timezone.localdate()
    return DestructionItem.objects.create(
        case_id=p.case.pk, school=p.school, record_class="dossier",
        closed_on=today - timedelta(days=800), due_on=today - timedelta(days=30))


def _with_item(p):
    return {"item": _item(p)}


def _with_hold(p):
    item = _item(p)
    hold = LegalHold.objects.create(item=item, reason="rechter",
                                    review_on=timezone.localdate() + timedelta(days=30),
                                    placed_by=p.af)
    return {"item": item, "hold": hold}


def _other_board(p):
    return {"board": BoardFactory()}


# Only the AF and directie of the school; the AF of another school does not learn of it.
SCHOOL_ONLY = {"af": 302, "directie": 302, "af_other_school": 404}
ITEM = {"kwargs": lambda p: {"item_id": p.extra["item"].pk}, "setup": _with_item}
HOLD = {"reason": "veilig_thuis", "explanation": "VT-2026-7",
        "review_on": (timezone.localdate() + timedelta(days=60)).isoformat()}
POLICY = {"dossier_years": 3, "unfounded_months": 6, "worknote_days": 0}

ROWS = [
    Row("destruction_list", everyone(403, af=200, directie=200, af_other_school=200)),
    Row("destruction_detail", everyone(403, af=200, directie=200, af_other_school=404),
        **ITEM),
    Row("destruction_confirm", everyone(403, **SCHOOL_ONLY), method="post", recent_auth=True,
        **ITEM),
    Row("legal_hold_place", everyone(403, **SCHOOL_ONLY), method="post",
        data=lambda p: HOLD, **ITEM),
    Row("legal_hold_lift", everyone(403, **SCHOOL_ONLY), method="post", setup=_with_hold,
        kwargs=lambda p: {"hold_id": p.extra["hold"].pk}),
    Row("retention_policy_index", everyone(403, beheerder=302, bestuur=302)),
    Row("retention_policy_edit", everyone(403, beheerder=200, bestuur=200),
        kwargs=lambda p: {"board_id": p.school.board.pk}),
    Row("retention_policy_edit", everyone(403, beheerder=302, bestuur=302), method="post",
        kwargs=lambda p: {"board_id": p.school.board.pk}, data=lambda p: POLICY),
    Row("retention_policy_edit", everyone(403, beheerder=404, bestuur=404), setup=_other_board,
        kwargs=lambda p: {"board_id": p.extra["board"].pk},
        label="GET retention_policy_edit (other board)"),
]

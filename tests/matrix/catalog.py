"""Matrix rows for the signal lists: maintenance by the beheerder, reading by care staff.

The maintenance pages are per board: the matrix beheerder manages `p.school.board`; the
same pages of a board they do not manage are a 404 for them (403 for everyone else, who
lacks the capability altogether).
"""

from signals_catalog.models import Signal
from tests.factories import BoardFactory, ensure_signal_lists
from tests.matrix.rows import Row, everyone


def _current_signal(p):
    ensure_signal_lists()
    signal = (Signal.objects.filter(category__signal_list__age_band__code="4-12",
                                    category__signal_list__is_current=True,
                                    category__signal_list__board__isnull=True)
              .select_related("category").order_by("category__position", "position").first())
    return {"signal": signal, "category": signal.category}


def _lists(p):
    ensure_signal_lists()
    return {}


def _other_board(p):
    return {**_current_signal(p), "board": BoardFactory(name="Stichting Elders")}


MANAGE_ONLY = everyone(403, beheerder=200)
MANAGE_POST = everyone(403, beheerder=302)
OTHER_BOARD = everyone(403, beheerder=404)


def own(p, **kwargs):
    return {"board_id": p.school.board_id, **kwargs}


def other(p, **kwargs):
    return {"board_id": p.extra["board"].pk, **kwargs}


ROWS = [
    # One board: the index goes straight to that board's page.
    Row("catalog_index", everyone(403, beheerder=302), setup=_lists),
    Row("catalog_board", MANAGE_ONLY, kwargs=own, setup=_lists),
    Row("catalog_band", MANAGE_ONLY, kwargs=lambda p: own(p, code="4-12"), setup=_lists),
    Row("catalog_version", MANAGE_ONLY, kwargs=lambda p: own(p, code="4-12", version=1),
        setup=_lists),
    Row("catalog_signal_edit", MANAGE_ONLY, setup=_current_signal,
        kwargs=lambda p: own(p, signal_id=p.extra["signal"].pk)),
    Row("catalog_signal_add", MANAGE_POST, method="post", setup=_current_signal,
        kwargs=lambda p: own(p, code="4-12"),
        data=lambda p: {"category": p.extra["category"].pk, "text": "Schoolverzuim"}),
    Row("catalog_signal_reword", MANAGE_POST, method="post", setup=_current_signal,
        kwargs=lambda p: own(p, signal_id=p.extra["signal"].pk),
        data=lambda p: {"text": "Blauwe plekken op ongebruikelijke plaatsen"}),
    Row("catalog_signal_retire", MANAGE_POST, method="post", setup=_current_signal,
        kwargs=lambda p: own(p, signal_id=p.extra["signal"].pk)),
    # The same pages of a board the beheerder does not manage.
    Row("catalog_board", OTHER_BOARD, kwargs=other, setup=_other_board,
        label="GET catalog_board (other board)"),
    Row("catalog_band", OTHER_BOARD, kwargs=lambda p: other(p, code="4-12"),
        setup=_other_board, label="GET catalog_band (other board)"),
    Row("catalog_version", OTHER_BOARD, kwargs=lambda p: other(p, code="4-12", version=1),
        setup=_other_board, label="GET catalog_version (other board)"),
    Row("catalog_signal_edit", OTHER_BOARD, setup=_other_board,
        kwargs=lambda p: other(p, signal_id=p.extra["signal"].pk),
        label="GET catalog_signal_edit (other board)"),
    Row("catalog_signal_add", OTHER_BOARD, method="post", setup=_other_board,
        kwargs=lambda p: other(p, code="4-12"),
        data=lambda p: {"category": p.extra["category"].pk, "text": "Schoolverzuim"},
        label="POST catalog_signal_add (other board)"),
    Row("catalog_signal_reword", OTHER_BOARD, method="post", setup=_other_board,
        kwargs=lambda p: other(p, signal_id=p.extra["signal"].pk),
        data=lambda p: {"text": "Blauwe plekken op ongebruikelijke plaatsen"},
        label="POST catalog_signal_reword (other board)"),
    Row("catalog_signal_retire", OTHER_BOARD, method="post", setup=_other_board,
        kwargs=lambda p: other(p, signal_id=p.extra["signal"].pk),
        label="POST catalog_signal_retire (other board)"),
    # Care staff read the lists; bestuur and inspecteur have no use for them.
    Row("signal_lists", everyone(200, bestuur=403, inspecteur=403), setup=_lists),
]

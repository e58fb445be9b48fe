"""Matrix rows for the signal lists: maintenance by the beheerder, reading by care staff."""

from tests.factories import ensure_signal_lists
from tests.matrix.rows import Row, everyone


def _current_signal(p):
    from signals_catalog.models import Signal

    ensure_signal_lists()
    signal = (Signal.objects.filter(category__signal_list__age_band__code="4-12",
                                    category__signal_list__is_current=True)
              .select_related("category").order_by("category__position", "position").first())
    return {"signal": signal, "category": signal.category}


def _lists(p):
    ensure_signal_lists()
    return {}


MANAGE_ONLY = everyone(403, beheerder=200)
MANAGE_POST = everyone(403, beheerder=302)
BAND = {"code": "4-12"}

ROWS = [
    Row("catalog_index", MANAGE_ONLY, setup=_lists),
    Row("catalog_band", MANAGE_ONLY, kwargs=lambda p: BAND, setup=_lists),
    Row("catalog_version", MANAGE_ONLY, kwargs=lambda p: {**BAND, "version": 1}, setup=_lists),
    Row("catalog_signal_edit", MANAGE_ONLY, setup=_current_signal,
        kwargs=lambda p: {"signal_id": p.extra["signal"].pk}),
    Row("catalog_signal_add", MANAGE_POST, method="post", setup=_current_signal,
        kwargs=lambda p: BAND,
        data=lambda p: {"category": p.extra["category"].pk, "text": "Schoolverzuim"}),
    Row("catalog_signal_reword", MANAGE_POST, method="post", setup=_current_signal,
        kwargs=lambda p: {"signal_id": p.extra["signal"].pk},
        data=lambda p: {"text": "Blauwe plekken op ongebruikelijke plaatsen"}),
    Row("catalog_signal_retire", MANAGE_POST, method="post", setup=_current_signal,
        kwargs=lambda p: {"signal_id": p.extra["signal"].pk}),
    # Care staff read the lists; bestuur and inspecteur have no use for them.
    Row("signal_lists", everyone(200, bestuur=403, inspecteur=403), setup=_lists),
]

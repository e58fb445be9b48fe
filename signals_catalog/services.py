"""Which signal list a pupil gets, and the beheerder's maintenance of the lists.

Reading: the list follows the pupil's age ON THE DAY OF THE OBSERVATION, not today: an
observation about a 3-year-old written up after the fourth birthday still uses 0-4.

Per board: a pupil gets the current list of the school's board (bevoegd gezag) for the
band if that board has one, else the current national list.

Maintenance: every change publishes a NEW VERSION of one board's list. The version the
board uses now (its own, or the national one before its first change) is copied, the
change is applied to the copy, the copy becomes the board's current version and the old
version stays as it was. The national list is never changed and stays current for every
other board. Observations keep pointing at the Signal rows they recorded, so what they say
never changes afterwards.
"""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from meldcode import permissions
from meldcode.errors import DomainError
from signals_catalog.models import AgeBand, Category, Signal, SignalList

# Order in which the blocks are shown: the general signals first.
BLOCK_ORDER = {Category.Block.GENERAL: 0, Category.Block.SEXUAL_ABUSE: 1}
MAX_SIGNAL_AGE = 18


def _as_date(on_date: date | datetime) -> date:
    if isinstance(on_date, datetime):
        return timezone.localdate(on_date) if timezone.is_aware(on_date) else on_date.date()
    return on_date


def _band_filter(age: int, prefix: str = "") -> Q:
    return Q(**{f"{prefix}min_age__lte": age}) & (
        Q(**{f"{prefix}max_age__isnull": True}) | Q(**{f"{prefix}max_age__gt": age})
    )


def age_band_for(student, on_date: date | datetime) -> AgeBand | None:
    """The age band that holds the pupil's age on `on_date` (None before birth)."""
    age = student.age_on(_as_date(on_date))
    if age < 0:
        return None
    return AgeBand.objects.filter(_band_filter(age)).order_by("-min_age").first()


def _board_first(queryset: QuerySet) -> QuerySet:
    """Order a board's own lists before the national ones (board empty)."""
    return queryset.order_by("-age_band__min_age", F("board").asc(nulls_last=True))


def signal_list_for(student, on_date: date | datetime) -> SignalList | None:
    """The current list version of the pupil's age band on `on_date`, in one query.

    The board of the pupil's school's own current version if it has one, else the national.
    """
    age = student.age_on(_as_date(on_date))
    if age < 0:
        return None
    return _board_first(
        SignalList.objects.filter(_band_filter(age, "age_band__"), is_current=True)
        .filter(Q(board__schools=student.school_id) | Q(board__isnull=True))
        .select_related("age_band")
    ).first()


def current_lists_for_boards(board_ids) -> dict:
    """`{(board_id, band_id): SignalList}`: the list each board uses per band (one query).

    Each list carries `signal_count`. A board without a version of its own gets the national
    list of the band.
    """
    board_ids = list(board_ids)
    lists = list(
        SignalList.objects.filter(Q(board_id__in=board_ids) | Q(board__isnull=True),
                                  is_current=True)
        .select_related("age_band", "board")
        .annotate(signal_count=Count("categories__signals"))
        .order_by("age_band__min_age")
    )
    national = {sl.age_band_id: sl for sl in lists if sl.board_id is None}
    result = {}
    for board_id in board_ids:
        for band_id, signal_list in national.items():
            result[(board_id, band_id)] = signal_list
    for signal_list in lists:
        if signal_list.board_id is not None:
            result[(signal_list.board_id, signal_list.age_band_id)] = signal_list
    return result


def current_list_for_board(board, band: AgeBand) -> SignalList | None:
    """The version `board` uses for `band`: its own current one, else the national one."""
    return _board_first(
        SignalList.objects.filter(Q(board=board) | Q(board__isnull=True), age_band=band,
                                  is_current=True).select_related("age_band", "board")
    ).first()


def ordered_categories(signal_list: SignalList, *, age: int | None = None) -> list[Category]:
    """The list's categories in display order, each with `.signals_for_age` (3 queries).

    With `age`, signals marked for older pupils (min_age above `age`) are left out.
    """
    signals = Signal.objects.order_by("position", "pk")
    if age is not None:
        signals = signals.filter(Q(min_age__isnull=True) | Q(min_age__lte=age))
    categories = list(
        signal_list.categories.order_by("position", "pk").prefetch_related(
            Prefetch("signals", queryset=signals, to_attr="signals_for_age")
        )
    )
    categories.sort(key=lambda c: (BLOCK_ORDER.get(c.block, 99), c.position))
    return categories


def signals_for(student, on_date: date | datetime) -> list[Category]:
    """The signals to offer for an observation of `student` on `on_date`.

    Returns the categories of the current list of the pupil's age band on that day, general
    block first, then the block "signalen specifiek voor seksueel misbruik", each in list
    order. Every category carries:
      - `.signals_for_age`: list[Signal], in list order, without signals marked for older
        pupils (e.g. the 12-18 items for a pupil of 11);
      - `.block` / `.get_block_display()` and `.signal_list` (the version offered).
    Empty list when no list applies (date before birth, or no list loaded).
    At most 3 queries, whatever the number of categories and signals.
    """
    on_day = _as_date(on_date)
    signal_list = signal_list_for(student, on_day)
    if signal_list is None:
        return []
    categories = ordered_categories(signal_list, age=student.age_on(on_day))
    for category in categories:
        category.signal_list = signal_list
    return categories


def signals_queryset_for(student, on_date: date | datetime) -> QuerySet:
    """The same signals as `signals_for`, as one queryset (for a ModelMultipleChoiceField)."""
    on_day = _as_date(on_date)
    age = student.age_on(on_day)
    signal_list = signal_list_for(student, on_day)
    if signal_list is None:
        return Signal.objects.none()
    return Signal.objects.filter(
        Q(min_age__isnull=True) | Q(min_age__lte=age), category__signal_list=signal_list
    ).order_by("category__position", "position")


# --- Maintenance (beheerder) -------------------------------------------------------------


def _clean_text(text: str) -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError(_("Vul de tekst van het signaal in."))
    if len(text) > Signal._meta.get_field("text").max_length:
        raise DomainError(_("De tekst van het signaal is te lang."))
    return text


def _clean_min_age(min_age: int | None) -> int | None:
    if min_age is None:
        return None
    if not 0 <= min_age <= MAX_SIGNAL_AGE:
        raise DomainError(_("Een leeftijd ligt tussen 0 en 18 jaar."))
    return min_age


def require_board_manager(actor, board) -> None:
    """Only a beheerder OF `board` changes its lists (PermissionDenied otherwise)."""
    permissions.require(actor, "catalog.manage")
    if board is None or board.pk not in permissions.managed_board_ids(actor):
        raise PermissionDenied


def _locked_current(band: AgeBand, board) -> SignalList:
    """Lock the band, so two publications cannot both copy the same version."""
    AgeBand.objects.select_for_update().get(pk=band.pk)
    current = current_list_for_board(board, band)
    if current is None:
        raise DomainError(_("Voor deze leeftijdsgroep is geen actuele signalenlijst."))
    return current


def _require_current(current: SignalList, signal_list_id) -> None:
    if signal_list_id != current.pk:
        raise DomainError(
            _("Deze signalenlijst is intussen gewijzigd (nu versie %(version)s). Bekijk de "
              "actuele versie en probeer het opnieuw.") % {"version": current.version}
        )


def _same_text(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _publish(*, actor, board, current: SignalList, change: str, summary: str, signal=None,
             edit=None, add=None) -> SignalList:
    """Copy `current` into a new current version of `board` and apply one change to it.

    `edit(old_signal, fields)` returns the fields of a signal's copy, or None to leave it
    out; `add` is `(category, fields)` of a signal to add. The copies keep their positions.
    The version number counts on from `current`, also when that is the national list.
    """
    old_categories = ordered_categories(current)
    if current.board_id is not None:
        # The old version must stop being current first: one current version per board
        # and band. The national list stays current: the other boards still use it.
        SignalList.objects.filter(pk=current.pk).update(is_current=False)
    new = SignalList.objects.create(
        age_band=current.age_band, board=board, version=current.version + 1,
        title=current.title,
        source=current.source, introduction=current.introduction, is_current=True,
        published_by=actor, change_summary=summary[:400],
    )
    categories = Category.objects.bulk_create(
        Category(signal_list=new, block=c.block, name=c.name, position=c.position)
        for c in old_categories
    )
    copies, added = [], None
    for old_category, category in zip(old_categories, categories, strict=True):
        for old_signal in old_category.signals_for_age:
            fields = {"text": old_signal.text, "min_age": old_signal.min_age,
                      "position": old_signal.position}
            if edit is not None:
                fields = edit(old_signal, fields)
            if fields is not None:
                copies.append(Signal(category=category, **fields))
        if add is not None and add[0].pk == old_category.pk:
            added = Signal(category=category, **add[1])
            copies.append(added)
    Signal.objects.bulk_create(copies)
    subject_signal = added if added is not None else signal
    audit(
        "catalog.version.published", actor=actor, subject=new,
        data={"band": current.age_band.code, "board": str(board.pk), "version": new.version,
              "previous_version": current.version,
              "previous_national": current.board_id is None, "change": change,
              "signal": subject_signal.pk if subject_signal is not None else None},
    )
    return new


@transaction.atomic
def signal_add(*, actor, board, category: Category, text: str, min_age: int | None = None
               ) -> SignalList:
    """Publish a new version of `board`'s list with `text` added at the end of `category`."""
    require_board_manager(actor, board)
    category = Category.objects.select_related("signal_list__age_band").get(pk=category.pk)
    current = _locked_current(category.signal_list.age_band, board)
    _require_current(current, category.signal_list_id)
    text = _clean_text(text)
    min_age = _clean_min_age(min_age)
    existing = list(category.signals.all())
    if any(_same_text(s.text, text) for s in existing):
        raise DomainError(_("Dit signaal staat al in deze categorie."))
    position = max((s.position for s in existing), default=-1) + 1
    return _publish(
        actor=actor, board=board, current=current, change="signal_added",
        summary=_("Signaal toegevoegd aan “%(category)s”: “%(text)s”")
        % {"category": category.name, "text": text},
        add=(category, {"text": text, "min_age": min_age, "position": position}),
    )


def _signal_in_current(signal: Signal, board) -> tuple[Signal, SignalList]:
    signal = Signal.objects.select_related("category__signal_list__age_band").get(pk=signal.pk)
    current = _locked_current(signal.category.signal_list.age_band, board)
    _require_current(current, signal.category.signal_list_id)
    return signal, current


@transaction.atomic
def signal_retire(*, actor, board, signal: Signal) -> SignalList:
    """Publish a new version of `board`'s list without `signal`. Earlier versions keep it."""
    require_board_manager(actor, board)
    signal, current = _signal_in_current(signal, board)
    if signal.category.signals.count() <= 1:
        raise DomainError(
            _("Dit is het laatste signaal van “%(category)s”; een categorie houdt minstens "
              "één signaal.") % {"category": signal.category.name}
        )
    return _publish(
        actor=actor, board=board, current=current, change="signal_retired", signal=signal,
        summary=_("Signaal ingetrokken uit “%(category)s”: “%(text)s”")
        % {"category": signal.category.name, "text": signal.text},
        edit=lambda old, fields: None if old.pk == signal.pk else fields,
    )


@transaction.atomic
def signal_reword(*, actor, board, signal: Signal, text: str) -> SignalList:
    """Publish a new version of `board`'s list in which `signal` reads `text`.

    Earlier versions keep the old text.
    """
    require_board_manager(actor, board)
    signal, current = _signal_in_current(signal, board)
    text = _clean_text(text)
    if text == signal.text:
        raise DomainError(_("De nieuwe tekst is gelijk aan de huidige tekst."))
    if any(_same_text(s.text, text) for s in signal.category.signals.exclude(pk=signal.pk)):
        raise DomainError(_("Dit signaal staat al in deze categorie."))

    def edit(old, fields):
        if old.pk == signal.pk:
            fields["text"] = text
        return fields

    return _publish(
        actor=actor, board=board, current=current, change="signal_reworded", signal=signal,
        summary=_("Signaal in “%(category)s” anders geformuleerd: “%(old)s” → “%(new)s”")
        % {"category": signal.category.name, "old": signal.text, "new": text},
        edit=edit,
    )


def group_by_block(categories: list[Category]) -> list[tuple[str, str, list[Category]]]:
    """`[(block, block label, categories)]` in display order, for headings per block."""
    groups: list[tuple[str, str, list[Category]]] = []
    for category in categories:
        if not groups or groups[-1][0] != category.block:
            groups.append((category.block, category.get_block_display(), []))
        groups[-1][2].append(category)
    return groups

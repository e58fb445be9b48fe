"""Which signal list a pupil gets, and the beheerder's maintenance of the lists.

Reading: the list follows the pupil's age ON THE DAY OF THE OBSERVATION, not today: an
observation about a 3-year-old written up after the fourth birthday still uses 0-4.

Maintenance: every change publishes a NEW VERSION of the band's list. The current
version's categories and signals are copied, the change is applied to the copy, the copy
becomes current and the old version stays as it was. Observations keep pointing at the
Signal rows they recorded, so what they say never changes afterwards.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit
from cases.errors import DomainError
from meldcode import permissions
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


def signal_list_for(student, on_date: date | datetime) -> SignalList | None:
    """The current list version of the pupil's age band on `on_date`, in one query."""
    age = student.age_on(_as_date(on_date))
    if age < 0:
        return None
    return (
        SignalList.objects.filter(_band_filter(age, "age_band__"), is_current=True)
        .select_related("age_band")
        .order_by("-age_band__min_age")
        .first()
    )


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


def _locked_current(band: AgeBand) -> SignalList:
    """Lock the band, so two publications cannot both copy the same version."""
    AgeBand.objects.select_for_update().get(pk=band.pk)
    current = SignalList.objects.filter(age_band=band, is_current=True).first()
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


def _publish(*, actor, current: SignalList, change: str, summary: str, signal=None,
             edit=None, add=None) -> SignalList:
    """Copy `current` into a new current version and apply one change to the copy.

    `edit(old_signal, fields)` returns the fields of a signal's copy, or None to leave it
    out; `add` is `(category, fields)` of a signal to add. The copies keep their positions.
    """
    old_categories = ordered_categories(current)
    # The old version must stop being current first: one current version per band.
    SignalList.objects.filter(pk=current.pk).update(is_current=False)
    new = SignalList.objects.create(
        age_band=current.age_band, version=current.version + 1, title=current.title,
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
        data={"band": current.age_band.code, "version": new.version,
              "previous_version": current.version, "change": change,
              "signal": subject_signal.pk if subject_signal is not None else None},
    )
    return new


@transaction.atomic
def signal_add(*, actor, category: Category, text: str, min_age: int | None = None
               ) -> SignalList:
    """Publish a new version with `text` added at the end of `category`."""
    permissions.require(actor, "catalog.manage")
    category = Category.objects.select_related("signal_list__age_band").get(pk=category.pk)
    current = _locked_current(category.signal_list.age_band)
    _require_current(current, category.signal_list_id)
    text = _clean_text(text)
    min_age = _clean_min_age(min_age)
    existing = list(category.signals.all())
    if any(_same_text(s.text, text) for s in existing):
        raise DomainError(_("Dit signaal staat al in deze categorie."))
    position = max((s.position for s in existing), default=-1) + 1
    return _publish(
        actor=actor, current=current, change="signal_added",
        summary=_("Signaal toegevoegd aan “%(category)s”: “%(text)s”")
        % {"category": category.name, "text": text},
        add=(category, {"text": text, "min_age": min_age, "position": position}),
    )


def _signal_in_current(signal: Signal) -> tuple[Signal, SignalList]:
    signal = Signal.objects.select_related("category__signal_list__age_band").get(pk=signal.pk)
    current = _locked_current(signal.category.signal_list.age_band)
    _require_current(current, signal.category.signal_list_id)
    return signal, current


@transaction.atomic
def signal_retire(*, actor, signal: Signal) -> SignalList:
    """Publish a new version without `signal`. Earlier versions keep it."""
    permissions.require(actor, "catalog.manage")
    signal, current = _signal_in_current(signal)
    if signal.category.signals.count() <= 1:
        raise DomainError(
            _("Dit is het laatste signaal van “%(category)s”; een categorie houdt minstens "
              "één signaal.") % {"category": signal.category.name}
        )
    return _publish(
        actor=actor, current=current, change="signal_retired", signal=signal,
        summary=_("Signaal ingetrokken uit “%(category)s”: “%(text)s”")
        % {"category": signal.category.name, "text": signal.text},
        edit=lambda old, fields: None if old.pk == signal.pk else fields,
    )


@transaction.atomic
def signal_reword(*, actor, signal: Signal, text: str) -> SignalList:
    """Publish a new version in which `signal` reads `text`. Earlier versions keep the old."""
    permissions.require(actor, "catalog.manage")
    signal, current = _signal_in_current(signal)
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
        actor=actor, current=current, change="signal_reworded", signal=signal,
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

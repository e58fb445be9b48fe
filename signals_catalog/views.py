"""The signal lists: maintenance by the beheerder, reading by the care staff.

Every maintenance page belongs to one board (in the URL): a beheerder sees and changes the
lists of the boards they manage; any other board is a 404, a user without the capability
gets a 403. The lists hold no pupil data, so reading them writes no access-log entry.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from meldcode import permissions
from meldcode.errors import DomainError
from meldcode.models import Board
from signals_catalog import services
from signals_catalog.forms import SignalAddForm, SignalRewordForm
from signals_catalog.models import AgeBand, Signal, SignalList

MANAGE = "catalog.manage"


def _managed_board(request, board_id) -> Board:
    """A board the user manages: 403 without the capability, 404 for any other board."""
    permissions.require(request.user, MANAGE)
    if board_id not in permissions.managed_board_ids(request.user):
        raise Http404
    return get_object_or_404(Board, pk=board_id)


def _current_list(board: Board, band: AgeBand) -> SignalList:
    signal_list = services.current_list_for_board(board, band)
    if signal_list is None:
        raise DomainError(_("Voor deze leeftijdsgroep is geen actuele signalenlijst."))
    return signal_list


def _list_context(signal_list: SignalList) -> dict:
    categories = services.ordered_categories(signal_list)
    return {
        "signal_list": signal_list,
        "blocks": services.group_by_block(categories),
        "signal_count": sum(len(c.signals_for_age) for c in categories),
    }


def _lists_by_board(boards) -> dict:
    """`{board_id: [SignalList]}`: the version each board uses per band, in band order."""
    current = services.current_lists_for_boards(board.pk for board in boards)
    result: dict = {board.pk: [] for board in boards}
    for (board_id, _band_id), signal_list in current.items():
        result[board_id].append(signal_list)
    for lists in result.values():
        lists.sort(key=lambda signal_list: signal_list.age_band.min_age)
    return result


def index(request):
    """The beheerder's boards, each with the versions it uses; one board: straight to it."""
    permissions.require(request.user, MANAGE)
    boards = list(Board.objects.filter(pk__in=permissions.managed_board_ids(request.user))
                  .order_by("name"))
    if len(boards) == 1:
        return redirect("catalog_board", board_id=boards[0].pk)
    lists = _lists_by_board(boards)
    rows = [(board, lists[board.pk]) for board in boards]
    return render(request, "signals_catalog/index.html", {"rows": rows})


def board_detail(request, board_id):
    """The age bands, each with the version the board uses: the national or its own."""
    board = _managed_board(request, board_id)
    lists = _lists_by_board([board])[board.pk]
    return render(request, "signals_catalog/board.html", {"board": board,
                                                          "current_lists": lists})


def _history(board: Board, band: AgeBand, in_use: SignalList | None) -> list[SignalList]:
    """The board's versions of `band`, then the national version its chain started from.

    A board without a version of its own uses the national list: all national versions.
    Each version carries `in_use`: the one the board's schools get now.
    """
    own = list(band.lists.filter(board=board).select_related("published_by")
               .order_by("-version"))
    national = band.lists.filter(board__isnull=True).select_related("published_by")
    if own:
        start = national.filter(version__lt=own[-1].version).order_by("-version").first()
        versions = own + ([start] if start is not None else [])
    else:
        versions = list(national.order_by("-version"))
    for version in versions:
        version.in_use = in_use is not None and version.pk == in_use.pk
    return versions


def _band_page(request, board: Board, band: AgeBand, *, add_form=None):
    signal_list = services.current_list_for_board(board, band)
    context = {"board": board, "band": band,
               "versions": _history(board, band, signal_list)}
    if signal_list is not None:
        context.update(_list_context(signal_list))
        context["add_form"] = add_form or SignalAddForm(signal_list=signal_list)
    return render(request, "signals_catalog/band.html", context)


def band_detail(request, board_id, code):
    """The version the board uses for one band, the add form and the version history."""
    board = _managed_board(request, board_id)
    band = get_object_or_404(AgeBand, code=code)
    return _band_page(request, board, band)


def version_detail(request, board_id, code, version):
    """One version as it was published: the board's own, else the national one."""
    board = _managed_board(request, board_id)
    candidates = list(
        SignalList.objects.filter(age_band__code=code, version=version)
        .filter(Q(board=board) | Q(board__isnull=True))
        .select_related("age_band", "board", "published_by")
    )
    if not candidates:
        raise Http404
    signal_list = min(candidates, key=lambda sl: sl.board_id is None)  # the board's first
    in_use = services.current_list_for_board(board, signal_list.age_band)
    context = {"board": board, "band": signal_list.age_band,
               "in_use": in_use is not None and in_use.pk == signal_list.pk,
               **_list_context(signal_list)}
    return render(request, "signals_catalog/version.html", context)


@require_POST
def signal_add(request, board_id, code):
    board = _managed_board(request, board_id)
    band = get_object_or_404(AgeBand, code=code)
    try:
        signal_list = _current_list(board, band)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog_band", board_id=board.pk, code=band.code)
    form = SignalAddForm(request.POST, signal_list=signal_list)
    if not form.is_valid():
        return _band_page(request, board, band, add_form=form)
    try:
        new = services.signal_add(actor=request.user, board=board,
                                  category=form.cleaned_data["category"],
                                  text=form.cleaned_data["text"],
                                  min_age=form.cleaned_data["min_age"])
    except DomainError as error:
        form.add_error(None, error.message)
        return _band_page(request, board, band, add_form=form)
    messages.success(request, _("Versie %(version)s is gepubliceerd: het signaal is "
                                "toegevoegd.") % {"version": new.version})
    return redirect("catalog_band", board_id=board.pk, code=band.code)


def _signal(board: Board, signal_id) -> Signal:
    """A signal of one of the board's versions or of a national one; others are a 404."""
    return get_object_or_404(
        Signal.objects.select_related("category__signal_list__age_band")
        .filter(Q(category__signal_list__board=board)
                | Q(category__signal_list__board__isnull=True)),
        pk=signal_id,
    )


def _signal_page(request, board, signal, *, reword_form=None):
    band = signal.category.signal_list.age_band
    in_use = services.current_list_for_board(board, band)
    context = {
        "board": board,
        "signal": signal,
        "band": band,
        "is_current": in_use is not None and in_use.pk == signal.category.signal_list_id,
        "reword_form": reword_form or SignalRewordForm(initial={"text": signal.text}),
    }
    return render(request, "signals_catalog/signal_edit.html", context)


def signal_edit(request, board_id, signal_id):
    """Reword or retire one signal of the version the board uses."""
    board = _managed_board(request, board_id)
    return _signal_page(request, board, _signal(board, signal_id))


@require_POST
def signal_reword(request, board_id, signal_id):
    board = _managed_board(request, board_id)
    signal = _signal(board, signal_id)
    form = SignalRewordForm(request.POST)
    if not form.is_valid():
        return _signal_page(request, board, signal, reword_form=form)
    try:
        new = services.signal_reword(actor=request.user, board=board, signal=signal,
                                     text=form.cleaned_data["text"])
    except DomainError as error:
        form.add_error("text", error.message)
        return _signal_page(request, board, signal, reword_form=form)
    messages.success(request, _("Versie %(version)s is gepubliceerd: het signaal is anders "
                                "geformuleerd.") % {"version": new.version})
    return redirect("catalog_band", board_id=board.pk, code=new.age_band.code)


@require_POST
def signal_retire(request, board_id, signal_id):
    board = _managed_board(request, board_id)
    signal = _signal(board, signal_id)
    band = signal.category.signal_list.age_band
    try:
        new = services.signal_retire(actor=request.user, board=board, signal=signal)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog_signal_edit", board_id=board.pk, signal_id=signal.pk)
    messages.success(request, _("Versie %(version)s is gepubliceerd: het signaal is "
                                "ingetrokken.") % {"version": new.version})
    return redirect("catalog_band", board_id=board.pk, code=band.code)


def signal_lists(request):
    """The lists that apply to the user's board(s), read-only, for the care staff."""
    user = request.user
    if not (permissions.can(user, "student.search") or permissions.can(user, MANAGE)):
        raise PermissionDenied
    board_ids = set(permissions.schools_for(user, "student.search")
                    .values_list("board_id", flat=True))
    board_ids |= permissions.managed_board_ids(user)
    boards = list(Board.objects.filter(pk__in=board_ids).order_by("name"))
    lists = _lists_by_board(boards)
    # Boards that use the same (national) version share one rendering of it.
    contexts: dict = {}
    groups = []
    for board in boards:
        items = []
        for signal_list in lists[board.pk]:
            if signal_list.pk not in contexts:
                contexts[signal_list.pk] = _list_context(signal_list)
            items.append(contexts[signal_list.pk])
        groups.append({"board": board, "lists": items})
    return render(request, "signals_catalog/signal_lists.html",
                  {"groups": groups, "several_boards": len(groups) > 1})

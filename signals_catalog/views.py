"""The signal lists: maintenance by the beheerder, reading by the care staff.

The lists hold no pupil data, so reading them writes no access-log entry.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases.errors import DomainError
from meldcode import permissions
from signals_catalog import services
from signals_catalog.forms import SignalAddForm, SignalRewordForm
from signals_catalog.models import AgeBand, Signal, SignalList

MANAGE = "catalog.manage"


def _current_list(band: AgeBand) -> SignalList:
    signal_list = band.lists.filter(is_current=True).first()
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


def index(request):
    """The age bands, each with its current version."""
    permissions.require(request.user, MANAGE)
    current = (
        SignalList.objects.filter(is_current=True)
        .select_related("age_band")
        .annotate(signal_count=Count("categories__signals"))
        .order_by("age_band__min_age")
    )
    return render(request, "signals_catalog/index.html", {"current_lists": current})


def _band_page(request, band: AgeBand, *, add_form=None):
    signal_list = band.lists.filter(is_current=True).first()
    context = {"band": band, "versions": band.lists.select_related("published_by")
               .order_by("-version")}
    if signal_list is not None:
        context.update(_list_context(signal_list))
        context["add_form"] = add_form or SignalAddForm(signal_list=signal_list)
    return render(request, "signals_catalog/band.html", context)


def band_detail(request, code):
    """The current version of one band's list, the add form and the version history."""
    permissions.require(request.user, MANAGE)
    band = get_object_or_404(AgeBand, code=code)
    return _band_page(request, band)


def version_detail(request, code, version):
    """One version as it was published, current or not."""
    permissions.require(request.user, MANAGE)
    signal_list = get_object_or_404(
        SignalList.objects.select_related("age_band", "published_by"),
        age_band__code=code, version=version,
    )
    context = {"band": signal_list.age_band, **_list_context(signal_list)}
    return render(request, "signals_catalog/version.html", context)


@require_POST
def signal_add(request, code):
    permissions.require(request.user, MANAGE)
    band = get_object_or_404(AgeBand, code=code)
    try:
        signal_list = _current_list(band)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog_band", code=band.code)
    form = SignalAddForm(request.POST, signal_list=signal_list)
    if not form.is_valid():
        return _band_page(request, band, add_form=form)
    try:
        new = services.signal_add(actor=request.user, category=form.cleaned_data["category"],
                                  text=form.cleaned_data["text"],
                                  min_age=form.cleaned_data["min_age"])
    except DomainError as error:
        form.add_error(None, error.message)
        return _band_page(request, band, add_form=form)
    messages.success(request, _("Versie %(version)s is gepubliceerd: het signaal is "
                                "toegevoegd.") % {"version": new.version})
    return redirect("catalog_band", code=band.code)


def _signal(signal_id) -> Signal:
    return get_object_or_404(
        Signal.objects.select_related("category__signal_list__age_band"), pk=signal_id
    )


def _signal_page(request, signal, *, reword_form=None):
    context = {
        "signal": signal,
        "band": signal.category.signal_list.age_band,
        "is_current": signal.category.signal_list.is_current,
        "reword_form": reword_form or SignalRewordForm(initial={"text": signal.text}),
    }
    return render(request, "signals_catalog/signal_edit.html", context)


def signal_edit(request, signal_id):
    """Reword or retire one signal of the current version."""
    permissions.require(request.user, MANAGE)
    return _signal_page(request, _signal(signal_id))


@require_POST
def signal_reword(request, signal_id):
    permissions.require(request.user, MANAGE)
    signal = _signal(signal_id)
    form = SignalRewordForm(request.POST)
    if not form.is_valid():
        return _signal_page(request, signal, reword_form=form)
    try:
        new = services.signal_reword(actor=request.user, signal=signal,
                                     text=form.cleaned_data["text"])
    except DomainError as error:
        form.add_error("text", error.message)
        return _signal_page(request, signal, reword_form=form)
    messages.success(request, _("Versie %(version)s is gepubliceerd: het signaal is anders "
                                "geformuleerd.") % {"version": new.version})
    return redirect("catalog_band", code=new.age_band.code)


@require_POST
def signal_retire(request, signal_id):
    permissions.require(request.user, MANAGE)
    signal = _signal(signal_id)
    band = signal.category.signal_list.age_band
    try:
        new = services.signal_retire(actor=request.user, signal=signal)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("catalog_signal_edit", signal_id=signal.pk)
    messages.success(request, _("Versie %(version)s is gepubliceerd: het signaal is "
                                "ingetrokken.") % {"version": new.version})
    return redirect("catalog_band", code=band.code)


def signal_lists(request):
    """The current lists, read-only, for the care staff (and the beheerder)."""
    if not (permissions.can(request.user, "student.search")
            or permissions.can(request.user, MANAGE)):
        raise PermissionDenied
    current = SignalList.objects.filter(is_current=True).select_related("age_band").order_by(
        "age_band__min_age")
    lists = [_list_context(signal_list) for signal_list in current]
    return render(request, "signals_catalog/signal_lists.html", {"lists": lists})

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    # data: band, version, previous_version, change (signal_added / signal_retired /
    # signal_reworded) and the signal concerned.
    "catalog.version.published": _("heeft een nieuwe versie van een signalenlijst gepubliceerd"),
})

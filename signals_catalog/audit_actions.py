from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    # data: band, board (the board whose list changed), version, previous_version,
    # previous_national (the change started from the national list), change (signal_added /
    # signal_retired / signal_reworded) and the signal concerned.
    "catalog.version.published": _("heeft een nieuwe versie van een signalenlijst gepubliceerd"),
})

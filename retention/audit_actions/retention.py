"""The Dutch sentences of retention and destruction. The events carry dates, record
classes and counts only: after a destruction nothing of the dossier is left to quote."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "retention.policy_updated": _("heeft de bewaartermijnen van het bestuur gewijzigd"),
    "retention.listed": _("heeft dossiers op de vernietigingslijst gezet"),
    "retention.withdrawn": _("heeft een dossier van de vernietigingslijst gehaald (heropend)"),
    "retention.confirmed": _("heeft als eerste de vernietiging van een dossier bevestigd"),
    "retention.case_destroyed": _("heeft als tweede bevestigd; het dossier is vernietigd"),
    "retention.hold_placed": _("heeft een dossier bewaard wegens een juridische reden"),
    "retention.hold_lifted": _("heeft het bewaren wegens een juridische reden opgeheven"),
    "retention.hold_expired": _("de herzieningsdatum van het bewaren is bereikt"),
    "worknote.destroyed": _("werkaantekeningen bij een afgesloten casus zijn vernietigd"),
})

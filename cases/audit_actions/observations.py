"""Audit action codes for observations (step 1, signaleren)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "observation.draft_created": _("is een observatie begonnen (concept)"),
    "observation.draft_deleted": _("heeft een eigen concept van een observatie verwijderd"),
    "observation.submitted": _("heeft een observatie vastgelegd"),
    "observation.disclosure_flagged": _("heeft vastgelegd dat het kind iets heeft toevertrouwd"),
    "observation.direct_danger_flagged": _(
        "heeft gemeld dat de leerling nu in direct gevaar is"),
    "observation.follow_up_added": _("heeft een vervolgnotitie bij een observatie geschreven"),
    "observation.attachment_added": _("heeft een bijlage bij een concept-observatie gevoegd"),
    "observation.attachment_removed": _("heeft een bijlage uit een concept-observatie gehaald"),
    "attachment.key_rotated": _("heeft alle bijlagen opnieuw versleuteld met de huidige sleutel"),
})

from django.utils.translation import gettext_lazy as _

from audit.registry import register

# The right of access (privacy/services/requests.py).
register({
    "access_request.recorded": _("heeft een verzoek om inzage vastgelegd"),
    "access_request.extended": _("heeft de termijn van een verzoek om inzage verlengd"),
    "access_request.item_withheld": _("heeft een onderdeel met reden uitgezonderd van de "
                                      "inzage"),
    "access_request.worknotes_recorded": _("heeft vastgelegd hoe de werkaantekeningen bij "
                                           "een verzoek om inzage worden behandeld"),
    "access_request.prepared": _("heeft de inzage voorbereid"),
    "access_request.approved": _("heeft de inzage goedgekeurd"),
    "access_request.delivered": _("heeft vastgelegd hoe de inzage is gegeven"),
    "access_request.exported": _("heeft de kopie voor de inzage gedownload"),
    "case.disclosure.exported": _("heeft het dossier als PDF gedownload voor een "
                                  "verstrekking aan derden"),
    "access_request.response_recorded": _("heeft een reactie van de ouders na inzage "
                                          "vastgelegd"),
})

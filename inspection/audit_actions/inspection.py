"""Audit action codes of inspection grants, inspector exports and the yearly evaluation."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "inspection.grant_created": _("heeft een inspecteur toegang gegeven"),
    "inspection.grant_ended": _("heeft de toegang van een inspecteur beëindigd"),
    "inspection.exported": _("heeft als inspecteur een overzicht geëxporteerd"),
    "figures.exported": _("heeft de meldcodecijfers geëxporteerd"),
    "evaluation.saved": _("heeft de jaarevaluatie van de meldcode vastgelegd"),
    "evaluation.printed": _("heeft de jaarevaluatie van de meldcode afgedrukt"),
})

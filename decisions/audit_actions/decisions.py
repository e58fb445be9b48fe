"""Audit action codes of the afwegingskader, the help plan and the melding."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "weighing.started": _("is een weging met het afwegingskader begonnen"),
    "weighing.answered": _("heeft een afweging beantwoord"),
    "weighing.conclusion_confirmed": _("heeft als directie de conclusie van stap 4 bevestigd"),
    "weighing.decided": _("heeft als directie het besluit van stap 5 genomen"),
    "weighing.redone": _("is opnieuw gaan wegen"),
    "weighing.observation_period": _("heeft een extra observatieperiode vastgelegd"),
    "weighing.recurrence": _("heeft besloten tot een melding om nieuwe onveiligheid"),
    "help.plan_recorded": _("heeft een hulpplan vastgelegd"),
    "help.evaluated": _("heeft het resultaat van de hulp beoordeeld"),
    "help.closed": _("heeft de hulp afgesloten"),
    "report.drafted": _("heeft een concept van een melding aangemaakt"),
    "report.updated": _("heeft het concept van een melding bewerkt"),
    "report.fact_added": _("heeft een feit aan een melding toegevoegd"),
    "report.fact_removed": _("heeft een feit uit een melding verwijderd"),
    "report.submitted": _("heeft een melding ter goedkeuring aangeboden"),
    "report.approved": _("heeft een melding goedgekeurd"),
    "report.rejected": _("heeft een melding teruggestuurd"),
    "report.conversation_recorded": _("heeft het gesprek over de melding vastgelegd"),
    "report.exemption_recorded": _(
        "heeft de reden vastgelegd om de melding niet vooraf te bespreken"),
    "report.sent": _("heeft vastgelegd dat de melding bij Veilig Thuis is gedaan"),
    "report.vt_feedback_recorded": _("heeft het besluit van Veilig Thuis vastgelegd"),
    "report.addendum_recorded": _("heeft een aanvulling op een melding vastgelegd"),
    "document.printed": _("heeft een document gedownload"),
    "case.dossier.printed": _("heeft het hele dossier van de casus afgedrukt (PDF)"),
})

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "case.opened": _("heeft de casus geopend"),
    "case.open_refused_existing": _("meldde een zorg bij een leerling met een bestaande casus"),
    "case.contributor.added": _(
        "mag observaties toevoegen aan de bestaande casus, zonder die in te zien"),
    "case.team.added": _("heeft iemand aan het casusteam toegevoegd"),
    "case.team.removed": _("heeft iemand uit het casusteam verwijderd"),
    "case.chronology.printed": _("heeft de chronologie van de casus afgedrukt"),
    "student.access_report.produced": _("heeft voor de ouders een overzicht gemaakt van wie "
                                        "het dossier heeft ingezien"),
    "worknote.added": _("heeft een eigen werkaantekening toegevoegd"),
    "worknote.updated": _("heeft een eigen werkaantekening gewijzigd"),
    "worknote.deleted": _("heeft een eigen werkaantekening verwijderd"),
})

# Deadlines as tasks (cases/deadlines.py, cases/services/tasks.py).
register({
    "task.created": _("heeft een termijn als taak klaargezet"),
    "task.rescheduled": _("heeft de datum van een taak aangepast"),
    "task.auto_completed": _("heeft een taak afgerond door een stap in het stappenplan"),
    "task.completed": _("heeft een taak afgerond"),
    "task.overridden": _(
        "heeft een termijn uit de meldcode afgevinkt zonder de stap (met reden); de termijn "
        "is daarmee niet gehaald"),
    "task.deadline_met": _("heeft de stap gezet die een eerder afgevinkte termijn haalt"),
    "task.reopened": _("heeft een taak heropend"),
    "task.reassigned": _("heeft een taak aan een ander toegewezen"),
    "task.reminders_sent": _("heeft een herinnering over taken gemaild"),
    "deadline_policy.updated": _("heeft de termijnen van het bestuur gewijzigd"),
})

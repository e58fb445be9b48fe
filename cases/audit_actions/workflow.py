"""Audit action codes of the stappenplan (cases/services/workflow.py)."""

from django.utils.translation import gettext_lazy as _

from audit.registry import register

register({
    "case.phase.changed": _("heeft de fase van de casus gewijzigd"),
    "case.conclusion.recorded": _("heeft de conclusie van een fase vastgelegd"),
    "case.consultation.recorded": _("heeft een consultatie vastgelegd"),
    "case.conversation.recorded": _("heeft een gesprek vastgelegd"),
    "case.conversation_exemption.recorded": _(
        "heeft de reden vastgelegd om het gesprek met de ouders over te slaan"),
    "case.classification.recorded": _(
        "heeft de vorm van kindermishandeling vastgelegd of herzien"),
    "case.nazorg.recorded": _("heeft vastgelegd aan wie nazorg is aangeboden"),
    "case.exclusion.added": _("heeft een persoon uitgesloten van de casus"),
    "case.plan.recorded": _("heeft het plan van aanpak met taakverdeling vastgelegd"),
    "case.coordinator.set": _("heeft de coördinator aangewezen"),
    "case.decision.recorded": _("heeft een besluit vastgelegd"),
    "case.evaluation.recorded": _("heeft een evaluatie vastgelegd"),
    "case.acute_report.recorded": _("heeft een acute melding bij Veilig Thuis vastgelegd"),
    "case.meldplicht.switched": _("heeft de casus naar de meldplichtroute gebracht"),
    "case.meldplicht.recorded": _(
        "heeft het contact met de vertrouwensinspecteur en het besluit over aangifte "
        "vastgelegd"),
    "case.reopened": _("heeft de casus heropend na nieuwe signalen"),
    "case.departure.recorded": _("heeft het vertrek van de leerling vastgelegd"),
    "case.departure_duty.recorded": _("heeft een taak na het vertrek vastgelegd"),
})

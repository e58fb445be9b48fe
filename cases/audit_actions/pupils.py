from django.utils.translation import gettext_lazy as _

from audit.registry import register

# Pupils, carers and the school year (cases/services/pupils.py, cases/services/imports.py).
register({
    "carer.added": _("heeft een ouder/verzorger toegevoegd"),
    "carer.updated": _("heeft de gegevens van een ouder/verzorger gewijzigd"),
    "student.sibling.linked": _("heeft een broer of zus op school gekoppeld"),
    "student.sibling.unlinked": _("heeft de koppeling met een broer of zus opgeheven"),
    "student.group.set": _("heeft de groep en leerkrachten van een leerling ingesteld"),
    "case.coordinator.own_teacher": _("zag dat de coördinator nu een eigen leerkracht van de "
                                      "leerling is"),
    "pupils.import.uploaded": _("heeft een bestand uit de leerlingadministratie geüpload"),
    "pupils.import.mapping_saved": _("heeft de kolomkoppeling voor de import opgeslagen"),
    "pupils.import.applied": _("heeft leerlingen geïmporteerd uit de leerlingadministratie"),
})

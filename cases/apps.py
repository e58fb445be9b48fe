from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Leerlingdossiers")

    def ready(self):
        from cases import (  # noqa: F401
            audit_actions,
            audit_actions_observations,
            audit_actions_workflow,
            chronology_sources,
            workflow_chronology,
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Leerlingdossiers")

    def ready(self):
        # Importing these registers the audit sentences and the chronology sources; at
        # ready() because they need the models loaded.
        from cases.audit_actions import (  # noqa: F401
            cases,
            consent,
            documents,
            observations,
            pupils,
            workflow,
        )
        from cases.selectors import consent as consent_selectors  # noqa: F401
        from cases.selectors import observations as observation_selectors  # noqa: F401
        from cases.selectors import timeline  # noqa: F401
        from cases.selectors import workflow as workflow_selectors  # noqa: F401

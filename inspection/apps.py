from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionConfig(AppConfig):
    name = "inspection"
    verbose_name = _("Inspectie en meldcodecijfers")

    def ready(self):
        from inspection.audit_actions import inspection  # noqa: F401

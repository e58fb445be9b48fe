from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Inzagerecht")

    def ready(self):
        # The audit sentences and the chronology source of the parents' corrections and
        # statements; at ready() because they need the models loaded.
        from privacy.audit_actions import requests  # noqa: F401
        from privacy.selectors import requests as request_selectors  # noqa: F401

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "retention"
    verbose_name = _("Bewaartermijnen en vernietiging")

    def ready(self):
        from retention.audit_actions import retention  # noqa: F401

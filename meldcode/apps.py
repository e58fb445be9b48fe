from django.apps import AppConfig


class MeldcodeConfig(AppConfig):
    name = "meldcode"
    verbose_name = "Meldcode"

    def ready(self):
        from meldcode import audit_actions, signals  # noqa: F401

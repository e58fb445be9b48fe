from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _reload_signal_lists(sender, apps=None, **kwargs):
    """The lists are reference data: a flush (as after a transactional test) must not leave
    the product without them. Loading is idempotent and skips bands that have a list."""
    import importlib

    from django.apps import apps as global_apps

    apps = apps or global_apps  # `flush` sends no app registry
    loader = importlib.import_module("signals_catalog.migrations.0003_load_signal_lists")
    if "signals_catalog.signallist" in {m._meta.label_lower for m in apps.get_models()}:
        loader.load_signal_lists(apps)


class SignalsCatalogConfig(AppConfig):
    name = "signals_catalog"
    verbose_name = _("Signalenlijsten")

    def ready(self):
        from signals_catalog import audit_actions  # noqa: F401

        post_migrate.connect(_reload_signal_lists, sender=self)

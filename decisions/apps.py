from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Afwegingskader")

    def ready(self):
        # The audit sentences, the chronology sources and the weighing's facts for the
        # workflow guards of cases/workflow.py, which cannot import this app.
        from cases import workflow
        from cases.services import documents
        from decisions.audit_actions import decisions  # noqa: F401
        from decisions.selectors import chronology  # noqa: F401
        from decisions.selectors.weighing import weighing_facts
        from decisions.services.dossier import render_dossier_pdf

        workflow.register_fact_provider(weighing_facts)
        # A long dossier (hundreds of pages) renders in the worker, not in the request.
        documents.register("dossier", render_dossier_pdf, label=_("Dossier (PDF)"),
                           action="dossier.print")

"""The URLs of the afwegingskader, the help route and the melding."""

from django.urls import path

from decisions.views import documents, dossier, reports, weighing
from decisions.views import help as help_views

urlpatterns = [
    path("casus/<uuid:case_id>/afwegingskader/", weighing.weighing_detail,
         name="weighing_detail"),
    path("casus/<uuid:case_id>/afwegingskader/antwoord/", weighing.weighing_answer,
         name="weighing_answer"),
    path("casus/<uuid:case_id>/afwegingskader/conclusie/", weighing.weighing_confirm,
         name="weighing_confirm"),
    path("casus/<uuid:case_id>/afwegingskader/besluit/", weighing.weighing_decide,
         name="weighing_decide"),
    path("casus/<uuid:case_id>/afwegingskader/opnieuw/", weighing.weighing_redo,
         name="weighing_redo"),
    path("casus/<uuid:case_id>/observatieperiode/", weighing.observation_form,
         name="weighing_observation_form"),
    path("casus/<uuid:case_id>/observatieperiode/vastleggen/", weighing.observation_record,
         name="weighing_observation"),
    path("casus/<uuid:case_id>/nieuwe-onveiligheid/", weighing.recurrence_form,
         name="report_recurrence_form"),
    path("casus/<uuid:case_id>/nieuwe-onveiligheid/vastleggen/", weighing.recurrence_record,
         name="report_recurrence"),
    path("casus/<uuid:case_id>/acuut/", reports.acute_form, name="acute_melding_form"),
    path("casus/<uuid:case_id>/acuut/vastleggen/", reports.acute_record, name="acute_melding"),
    path("casus/<uuid:case_id>/hulp/plan/", help_views.help_form, {"page": "plan"},
         name="help_plan_form"),
    path("casus/<uuid:case_id>/hulp/resultaat/", help_views.help_form, {"page": "resultaat"},
         name="help_result_form"),
    path("casus/<uuid:case_id>/hulp/afsluiten/", help_views.help_form, {"page": "afsluiten"},
         name="help_close_form"),
    path("casus/<uuid:case_id>/hulp/<slug:page>/vastleggen/", help_views.help_action,
         name="help_action"),
    path("melding/<uuid:report_id>/", reports.report_detail, name="report_detail"),
    path("melding/<uuid:report_id>/melding.pdf", documents.report_pdf, name="report_pdf"),
    path("melding/<uuid:report_id>/brief-ouders.pdf", documents.report_letter_pdf,
         name="report_letter_pdf"),
    path("casus/<uuid:case_id>/afwegingskader/weging.pdf", documents.weighing_pdf,
         name="weighing_pdf"),
    path("casus/<uuid:case_id>/dossier.pdf", dossier.case_dossier_pdf, name="case_dossier_pdf"),
    path("melding/<uuid:report_id>/<slug:action>/", reports.report_action,
         name="report_action"),
]

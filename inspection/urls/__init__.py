"""URLs of the inspection app: giving access, the inspecteur's pages, the figures."""

from django.urls import path

from inspection.views import figures, grants, inspector

urlpatterns = [
    path("inspectie/toegang/", grants.grant_list, name="inspection_grant_list"),
    path("inspectie/toegang/<uuid:grant_id>/beeindigen/", grants.grant_end,
         name="inspection_grant_end"),
    path("inspectie/<uuid:grant_id>/", inspector.grant_home, name="inspection_grant_home"),
    path("inspectie/<uuid:grant_id>/auditspoor/", inspector.trail, name="inspection_trail"),
    path("inspectie/<uuid:grant_id>/auditspoor/export/", inspector.trail_export,
         name="inspection_trail_export"),
    path("inspectie/<uuid:grant_id>/cijfers/", inspector.grant_figures,
         name="inspection_figures"),
    path("inspectie/<uuid:grant_id>/school/<uuid:school_id>/", inspector.school_overview,
         name="inspection_school"),
    path("inspectie/<uuid:grant_id>/school/<uuid:school_id>/export/",
         inspector.school_export, name="inspection_school_export"),
    path("inspectie/<uuid:grant_id>/school/<uuid:school_id>/casus/<str:code>/",
         inspector.case_detail, name="inspection_case"),
    path("cijfers/", figures.figures, name="figures"),
    path("cijfers/export/", figures.figures_export, name="figures_export"),
    path("cijfers/<uuid:school_id>/<int:year>/evaluatie/", figures.evaluation_edit,
         name="evaluation_edit"),
    path("cijfers/<uuid:school_id>/<int:year>/jaarevaluatie.pdf", figures.evaluation_pdf,
         name="evaluation_pdf"),
]

"""URLs for carers, siblings, the group by hand and the pupil import."""

from django.urls import path

from cases.views import imports, pupils

urlpatterns = [
    path("leerlingen/<uuid:student_id>/", pupils.student_cases, name="student_cases"),
    path("leerlingen/<uuid:student_id>/ouders/", pupils.carer_list, name="carer_list"),
    path("leerlingen/<uuid:student_id>/ouders/nieuw/", pupils.carer_add, name="carer_add"),
    path("leerlingen/<uuid:student_id>/ouders/<uuid:carer_id>/", pupils.carer_edit,
         name="carer_edit"),
    path("leerlingen/<uuid:student_id>/broers-zussen/koppelen/", pupils.sibling_link,
         name="sibling_link"),
    path("leerlingen/<uuid:student_id>/broers-zussen/<uuid:sibling_id>/ontkoppelen/",
         pupils.sibling_unlink, name="sibling_unlink"),
    path("leerlingen/<uuid:student_id>/groep/", pupils.student_group, name="student_group"),
    path("leerlingen/importeren/", imports.pupil_import_index, name="pupil_import_index"),
    path("scholen/<uuid:school_id>/leerlingen-importeren/", imports.pupil_import,
         name="pupil_import"),
    path("leerlingen/importeren/<uuid:import_id>/", imports.pupil_import_preview,
         name="pupil_import_preview"),
    path("leerlingen/importeren/<uuid:import_id>/koppeling/", imports.pupil_import_mapping,
         name="pupil_import_mapping"),
    path("leerlingen/importeren/<uuid:import_id>/bevestigen/", imports.pupil_import_confirm,
         name="pupil_import_confirm"),
]

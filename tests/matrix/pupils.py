"""Matrix rows for carers, siblings, the group by hand and the pupil import.

Carers: the AF and directie edit; the team of an open case of the pupil sees them; the
beheerder, a teacher without a case and anyone of another school see nothing (404).
Import: the AF of the school and the beheerder of its board."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cases.models import Case, Phase, PupilImport
from cases.services import imports
from tests.factories import CarerFactory, StudentFactory
from tests.matrix.rows import Row, everyone

NOBODY_ELSE = {
    "teacher_not_on_case": 404, "oka": 404, "beheerder": 404, "bestuur": 404,
    "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}
EDITORS_ONLY = {**NOBODY_ELSE, "teacher_on_case": 403}
AF_ONLY = {**EDITORS_ONLY, "directie": 403}
# Importing: AF and beheerder; others at the school or board 403, another school 404.
IMPORTERS = {"teacher_on_case": 403, "teacher_not_on_case": 403, "directie": 403,
             "oka": 403, "bestuur": 403, "inspecteur": 403, "teacher_other_school": 404,
             "af_other_school": 404}
CSV = (b"Leerlingnummer;Roepnaam;Tussenvoegsel;Achternaam;Geboortedatum;Groep;"
       b"Leerkracht e-mail\n9001;Sem;de;Vries;03-04-2017;5b;\n")

CARER_DATA = {"name": "Fatima el Amrani", "relation": "ouder", "gezag": "ja",
              "gezag_checked": "Gezagsregister", "phone": "06-1"}


def _student(p):
    return {"student_id": p.case.student.pk}


def _carer(p):
    return {"carer": CarerFactory(student=p.case.student)}


def _carer_kwargs(p):
    return {"student_id": p.case.student.pk, "carer_id": p.extra["carer"].pk}


def _closed(p):
    Case.objects.filter(pk=p.case.pk).update(phase=Phase.GESLOTEN, closed_at=timezone.now())
    return {}


def _sibling(p):
    return {"sibling": StudentFactory(school=p.school, pupil_number="777")}


def _linked_sibling(p):
    sibling = StudentFactory(school=p.school)
    p.case.student.siblings.add(sibling)
    return {"sibling": sibling}


def _upload(p):
    upload = PupilImport.objects.create(school=p.school, uploaded_by=p.af, filename="x.csv",
                                        content=CSV)
    plan = imports.import_plan(school=p.school, data=CSV)
    return {"upload": upload, "expected": json.dumps(plan.counts)}


def _import(p):
    return {"import_id": p.extra["upload"].pk}


ROWS = [
    Row("carer_list", everyone(200, **NOBODY_ELSE), kwargs=_student, setup=_carer),
    Row("carer_list", everyone(200, **NOBODY_ELSE, teacher_on_case=404), kwargs=_student,
        setup=_closed, label="carer_list when the case is closed"),
    Row("carer_add", everyone(200, **EDITORS_ONLY), kwargs=_student),
    Row("carer_add", everyone(302, **EDITORS_ONLY), method="post", kwargs=_student,
        data=lambda p: CARER_DATA),
    Row("carer_edit", everyone(200, **EDITORS_ONLY), kwargs=_carer_kwargs, setup=_carer),
    Row("carer_edit", everyone(302, **EDITORS_ONLY), method="post", kwargs=_carer_kwargs,
        setup=_carer, data=lambda p: CARER_DATA),
    Row("sibling_link", everyone(302, **AF_ONLY), method="post", kwargs=_student,
        setup=_sibling, data=lambda p: {"pupil_number": "777"}),
    Row("sibling_unlink", everyone(302, **AF_ONLY), method="post", setup=_linked_sibling,
        kwargs=lambda p: {"student_id": p.case.student.pk,
                          "sibling_id": p.extra["sibling"].pk}),
    Row("student_group", everyone(403, af=200, anonymous=302, beheerder=404, bestuur=404,
                                  inspecteur=404, teacher_other_school=404,
                                  af_other_school=404), kwargs=_student),
    Row("student_group", everyone(403, af=302, anonymous=302, beheerder=404, bestuur=404,
                                  inspecteur=404, teacher_other_school=404,
                                  af_other_school=404),
        method="post", setup=_sibling, kwargs=lambda p: {"student_id": p.extra["sibling"].pk},
        data=lambda p: {"group_name": "6a", "teachers": [p.teacher_not_on_case.pk]},
        label="POST student_group (a pupil without an imported group)"),
    Row("pupil_import_index", everyone(403, af=302, af_other_school=302, beheerder=200)),
    Row("pupil_import", everyone(200, **IMPORTERS), kwargs=lambda p: {"school_id": p.school.pk}),
    Row("pupil_import", everyone(302, **IMPORTERS), method="post",
        kwargs=lambda p: {"school_id": p.school.pk},
        data=lambda p: {"file": SimpleUploadedFile("leerlingen.csv", CSV)}),
    Row("pupil_import_preview", everyone(200, **IMPORTERS), kwargs=_import, setup=_upload),
    Row("pupil_import_mapping", everyone(302, **IMPORTERS), method="post", kwargs=_import,
        setup=_upload, data=lambda p: {"group": "Groep"}),
    Row("pupil_import_confirm", everyone(302, **IMPORTERS), method="post", kwargs=_import,
        setup=_upload, data=lambda p: {"expected": p.extra["expected"]}),
]

# The pupil page (every case of the pupil): the AF and directie of the school; a teacher is
# refused (403), the board roles and other schools do not see the pupil (404).
PUPIL_PAGE = {**NOBODY_ELSE, "teacher_on_case": 403, "teacher_not_on_case": 403, "oka": 403}
ROWS.append(Row("student_cases", everyone(200, **PUPIL_PAGE), kwargs=_student))
ROWS.append(Row("student_cases", everyone(200, **PUPIL_PAGE), kwargs=_student, setup=_closed,
                label="student_cases when the case is closed"))

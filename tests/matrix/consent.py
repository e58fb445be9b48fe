"""Matrix rows for consent and written information to third parties: the case team reads
them; the AF and directie record them; nobody outside the case sees they exist."""

from django.utils import timezone

from cases.models import Consent
from tests.factories import CarerFactory
from tests.matrix.rows import Row, everyone

OUTSIDE = {
    "teacher_not_on_case": 404, "oka": 404, "beheerder": 404, "bestuur": 404,
    "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}


def _case(p):
    return {"case_id": p.case.pk}


def _carer(p):
    return {"carer": CarerFactory(student=p.case.student)}


def _consent(p):
    carer = CarerFactory(student=p.case.student)
    return {"consent": Consent.objects.create(
        case=p.case, carer=carer, given_on=timezone.localdate(), institution="jeugdarts",
        purpose="Overleg", how="Mondeling", recorded_by=p.af)}


def _today():
    return timezone.localdate().isoformat()


ROWS = [
    Row("consent_list", everyone(200, **OUTSIDE), kwargs=_case),
    Row("consent_add", everyone(200, **OUTSIDE, teacher_on_case=403), kwargs=_case),
    Row("consent_add", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=_case, setup=_carer,
        data=lambda p: {"carer": p.extra["carer"].pk, "given_on": _today(),
                        "institution": "jeugdarts", "purpose": "Overleg", "how": "Mondeling"}),
    Row("consent_withdraw", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        setup=_consent, data=lambda p: {"withdrawn_on": _today()},
        kwargs=lambda p: {"case_id": p.case.pk, "consent_id": p.extra["consent"].pk}),
    Row("disclosure_add", everyone(200, **OUTSIDE, teacher_on_case=403), kwargs=_case),
    Row("disclosure_add", everyone(302, **OUTSIDE, teacher_on_case=403), method="post",
        kwargs=_case, data=lambda p: {"recipient": "veilig_thuis", "document": "Verslag",
                                      "sent_on": _today()}),
]

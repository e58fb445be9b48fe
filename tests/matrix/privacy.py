"""Matrix rows for the right of access: the AF and directie of the case handle requests;
the rest of the case team gets 403, anyone outside the case 404."""

from django.utils import timezone

from cases.services import consent as consent_services
from privacy.services import requests as services
from tests.factories import CarerFactory, WorkNoteFactory
from tests.matrix.rows import Row, everyone

HANDLERS = {
    "teacher_on_case": 403, "teacher_not_on_case": 404, "oka": 404, "beheerder": 404,
    "bestuur": 404, "inspecteur": 404, "teacher_other_school": 404, "af_other_school": 404,
}


def _case(p):
    return {"case_id": p.case.pk}


def _carer(p):
    return {"carer": CarerFactory(student=p.case.student)}


def _request(p):
    request = services.access_request_record(
        actor=p.af, case=p.case, requester="ouder", carer=CarerFactory(student=p.case.student),
        identity_checked="Paspoort", received_on=timezone.localdate())
    return {"request": request}


def _with_notes(p):
    WorkNoteFactory(case=p.case, author=p.teacher_on_case)
    return _request(p)


def _approved(p):
    request = _request(p)["request"]
    services.access_request_prepare(actor=p.af, request=request)
    services.access_request_approve(actor=p.directie, request=request)
    return {"request": request}


def _kwargs(p):
    return {"case_id": p.case.pk, "request_id": p.extra["request"].pk}


def _today():
    return timezone.localdate().isoformat()


def _post(name, data, setup=_request):
    return Row(name, everyone(302, **HANDLERS), method="post", kwargs=_kwargs, setup=setup,
               data=data)


def _disclosure(p):
    return {"disclosure": consent_services.disclosure_record(
        actor=p.af, case=p.case, recipient="veilig_thuis", document="Verslag",
        sent_on=timezone.localdate())}


ROWS = [
    Row("access_request_list", everyone(200, **HANDLERS), kwargs=_case),
    Row("access_request_add", everyone(200, **HANDLERS), kwargs=_case),
    Row("access_request_add", everyone(302, **HANDLERS), method="post", kwargs=_case,
        setup=_carer,
        data=lambda p: {"requester": "ouder", "carer": p.extra["carer"].pk,
                        "identity_checked": "Paspoort", "received_on": _today()}),
    Row("access_request_detail", everyone(200, **HANDLERS), kwargs=_kwargs, setup=_request),
    _post("access_request_extend", lambda p: {"reason": "Veel stukken"}),
    _post("access_request_withhold",
          lambda p: {"record": "observation:0", "ground": "belang_kind", "explanation": "x"}),
    _post("access_request_worknotes", lambda p: {"handling": "verstrekt"}, setup=_with_notes),
    _post("access_request_prepare", lambda p: {}),
    _post("access_request_approve", lambda p: {}),
    _post("access_request_deliver",
          lambda p: {"delivery": "samenvatting", "delivered_on": _today()}, setup=_approved),
    Row("access_request_export", everyone(200, **HANDLERS), kwargs=_kwargs, setup=_approved,
        recent_auth=True),
    _post("access_response_add", lambda p: {"kind": "verklaring", "text": "Onze kant"},
          setup=_approved),
    Row("disclosure_pdf", everyone(200, **HANDLERS), setup=_disclosure, recent_auth=True,
        kwargs=lambda p: {"case_id": p.case.pk, "disclosure_id": p.extra["disclosure"].pk}),
]

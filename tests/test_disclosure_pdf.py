"""Written information to a third party: the dossier PDF is only handed out for a recorded
disclosure, which needed consent for that recipient or is the Veilig Thuis exception."""

import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AccessKind, AccessLog, AuditEvent
from cases.services import consent as consent_services
from tests.dossier_data import WORK_NOTE, full_dossier
from tests.factories import CarerFactory

pytestmark = pytest.mark.django_db


def test_the_dossier_goes_to_a_third_party_only_through_a_recorded_disclosure(client,
                                                                               personas):
    p = personas
    case = full_dossier(p)
    today = timezone.localdate()
    consent_services.consent_record(actor=p.af, case=case,
                                    carer=CarerFactory(student=case.student), given_on=today,
                                    institution="leerplicht", purpose="Verzuim bespreken",
                                    how="Schriftelijk")
    disclosure = consent_services.disclosure_record(
        actor=p.af, case=case, recipient="leerplicht", document="Het dossier", sent_on=today)
    url = reverse("disclosure_pdf", args=[case.pk, disclosure.pk])
    client.force_login(p.teacher_on_case)
    assert client.get(url).status_code == 403
    client.force_login(p.af)
    assert reverse("reauth") in client.get(url)["Location"]
    client.confirm_recent_auth()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert re.sub(r"\s+", "", WORK_NOTE) not in re.sub(r"\s+", "", text)
    event = AuditEvent.objects.get(action="case.disclosure.exported")
    assert event.data == {"recipient": "leerplicht", "basis": "toestemming"}
    assert AccessLog.objects.filter(what="case.disclosure.pdf", kind=AccessKind.EXPORT).exists()
    forged = reverse("disclosure_pdf", args=[case.pk, p.case.student.pk])
    assert client.get(forged).status_code == 404

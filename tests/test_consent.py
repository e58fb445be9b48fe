"""Consent of the parents for contact with other institutions (004 "Privacy", review C-8):
who gave it, for what, withdrawn when; the consultation and the written information to a
third party ask for it; Veilig Thuis is the exception and is asked anonymously."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.errors import DomainError
from cases.models import Carer, Consent, Consultation, Phase, ThirdPartyDisclosure
from cases.services import consent as services
from cases.services import workflow as wf
from tests.factories import CarerFactory, StudentFactory, walk_to

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _consent(p, institution="jeugdarts", *, given_on=None, name="", carer=None):
    carer = carer or CarerFactory(student=p.case.student)
    return services.consent_record(
        actor=p.af, case=p.case, carer=carer, given_on=given_on or TODAY(),
        institution=institution, institution_name=name, purpose="Overleg over de groei",
        how="Mondeling in het gesprek")


def _consult(p, kind="jeugdarts", *, held_on=None, **kw):
    data = {"participants": "Dr. Bakker", "advice": "Afspraak bij de jeugdarts"}
    data.update(kw)
    return wf.consultation_record(actor=p.af, case=p.case, kind=kind,
                                  held_on=held_on or TODAY(), **data)


@pytest.fixture
def consulting(personas):
    walk_to(personas.case, Phase.CONSULTATIE, actor=personas.af)
    return personas


def test_consent_names_who_gave_it_for_which_institution_and_is_audited(personas):
    consent = _consent(personas, "anders", name="Wijkteam Noord")
    assert consent.carer.student == personas.case.student
    assert consent.institution_name == "Wijkteam Noord"
    event = AuditEvent.objects.get(action="case.consent.recorded")
    assert event.data["institution"] == "anders" and event.actor == personas.af
    # The purpose is the parents' words: it stays out of the audit trail.
    assert "groei" not in str(event.data)


def test_only_a_carer_with_gezag_of_this_pupil_consents(personas):
    without = CarerFactory(student=personas.case.student, gezag=Carer.Gezag.NEE)
    with pytest.raises(DomainError, match="met gezag"):
        _consent(personas, carer=without)
    stranger = CarerFactory(student=StudentFactory(school=personas.school))
    with pytest.raises(DomainError, match="van deze leerling"):
        _consent(personas, carer=stranger)
    with pytest.raises(DomainError, match="naam van de instelling"):
        _consent(personas, "anders")
    assert not Consent.objects.exists()


def test_a_teacher_does_not_record_consent(personas):
    carer = CarerFactory(student=personas.case.student)
    with pytest.raises(DomainError, match="aandachtsfunctionaris of de directie"):
        services.consent_record(actor=personas.teacher_on_case, case=personas.case,
                                carer=carer, given_on=TODAY(), institution="jeugdarts",
                                purpose="p", how="h")


def test_a_named_consultation_outside_the_school_needs_consent(consulting):
    p = consulting
    with pytest.raises(DomainError, match="toestemming van de ouders"):
        _consult(p, "jeugdarts", anonymous=False)
    with pytest.raises(DomainError, match="toestemming"):
        _consult(p, "leerplicht", anonymous=False)
    assert not Consultation.objects.filter(kind__in=["jeugdarts", "leerplicht"]).exists()
    # Anonymous needs none.
    assert _consult(p, "jeugdarts", anonymous=True).anonymous
    # With consent for that institution it is allowed, and the consent is named in the trail.
    consent = _consent(p, "jeugdarts")
    _consult(p, "jeugdarts", anonymous=False)
    event = AuditEvent.objects.filter(action="case.consultation.recorded").latest("id")
    assert event.data["consent"] == str(consent.pk)
    # Consent for the jeugdarts does not cover the leerplichtambtenaar.
    with pytest.raises(DomainError, match="Leerplichtambtenaar"):
        _consult(p, "leerplicht", anonymous=False)


def test_consent_counts_from_its_day_until_its_withdrawal(consulting):
    p = consulting
    today = TODAY()
    consent = _consent(p, "jeugdarts", given_on=today - timedelta(days=10))
    with pytest.raises(DomainError, match="toestemming"):
        _consult(p, "jeugdarts", anonymous=False, held_on=today - timedelta(days=11))
    services.consent_withdraw(actor=p.af, consent=consent,
                              withdrawn_on=today - timedelta(days=3),
                              note="Ouders willen het niet meer")
    # Before the withdrawal the consultation was covered; from its day on it is not.
    _consult(p, "jeugdarts", anonymous=False, held_on=today - timedelta(days=5))
    with pytest.raises(DomainError, match="toestemming"):
        _consult(p, "jeugdarts", anonymous=False, held_on=today - timedelta(days=3))
    assert AuditEvent.objects.filter(action="case.consent.withdrawn").count() == 1
    with pytest.raises(DomainError, match="al ingetrokken"):
        services.consent_withdraw(actor=p.af, consent=consent, withdrawn_on=today)


def test_a_withdrawal_is_not_before_the_consent(personas):
    consent = _consent(personas, given_on=TODAY() - timedelta(days=2))
    with pytest.raises(DomainError, match="vóór de dag"):
        services.consent_withdraw(actor=personas.af, consent=consent,
                                  withdrawn_on=TODAY() - timedelta(days=5))


def test_another_institution_is_matched_by_name(consulting):
    p = consulting
    _consent(p, "anders", name="Wijkteam  Noord")
    _consult(p, "anders", kind_other="wijkteam noord", anonymous=False)
    with pytest.raises(DomainError, match="Buurtzorg"):
        _consult(p, "anders", kind_other="Buurtzorg", anonymous=False)


def test_a_zorgteam_with_outsiders_needs_consent_one_of_staff_only_does_not(consulting):
    p = consulting
    staff_only = _consult(p, "zorgteam", participants="", staff_participants=[p.af, p.oka],
                          anonymous=False)
    assert not staff_only.anonymous
    with pytest.raises(DomainError, match="Zorgteam"):
        _consult(p, "zorgteam", outsiders=[("Dr. Bakker", "jeugdarts")], anonymous=False)
    _consent(p, "zorgteam")
    _consult(p, "zorgteam", outsiders=[("Dr. Bakker", "jeugdarts")], anonymous=False)


def test_veilig_thuis_advice_is_anonymous_by_default_and_needs_no_consent(consulting):
    p = consulting
    assert _consult(p, "veilig_thuis").anonymous
    named = _consult(p, "veilig_thuis", anonymous=False)
    assert not named.anonymous
    # The AF's own consultation stays inside the school.
    assert not _consult(p, "af").anonymous


def test_the_consultation_page_refuses_in_dutch_and_keeps_what_was_typed(client, consulting):
    p = consulting
    client.force_login(p.af)
    url = reverse("case_workflow_action", args=[p.case.pk, "record_consultation"])
    page = client.get(reverse("case_workflow_form", args=[p.case.pk, "record_consultation"]))
    checkbox = re.search(r'<input[^>]*name="anonymous"[^>]*>', page.content.decode()).group()
    assert "checked" in checkbox
    response = client.post(url, {"kind": "jeugdarts", "participants": "Dr. Bakker",
                                 "held_on": TODAY().isoformat(),
                                 "advice": "Advies over de groei"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "toestemming van de ouders" in text and "Advies over de groei" in text
    assert not Consultation.objects.filter(kind="jeugdarts").exists()


def test_written_information_to_a_third_party_needs_consent_or_is_veilig_thuis(personas):
    p = personas
    with pytest.raises(DomainError, match="toestemming"):
        services.disclosure_record(actor=p.af, case=p.case, recipient="leerplicht",
                                   document="Verzuimoverzicht", sent_on=TODAY())
    consent = _consent(p, "leerplicht")
    given = services.disclosure_record(actor=p.af, case=p.case, recipient="leerplicht",
                                       document="Verzuimoverzicht", sent_on=TODAY())
    assert given.basis == ThirdPartyDisclosure.Basis.CONSENT and given.consent == consent
    vt = services.disclosure_record(actor=p.af, case=p.case, recipient="veilig_thuis",
                                    document="Gespreksverslag", sent_on=TODAY())
    assert vt.basis == ThirdPartyDisclosure.Basis.VEILIG_THUIS and vt.consent is None
    assert [e.data["basis"] for e in AuditEvent.objects.filter(
        action="case.disclosure.recorded").order_by("id")] == ["toestemming", "veilig_thuis"]


def test_consent_pages(client, personas):
    p = personas
    carer = CarerFactory(student=p.case.student, name="Fatima el Amrani")
    client.force_login(p.af)
    response = client.post(reverse("consent_add", args=[p.case.pk]), {
        "carer": carer.pk, "given_on": TODAY().isoformat(), "institution": "jeugdarts",
        "purpose": "Overleg over de groei", "how": "Mondeling"})
    assert response.status_code == 302
    consent = Consent.objects.get()
    page = client.get(reverse("consent_list", args=[p.case.pk])).content.decode()
    assert "Fatima el Amrani" in page and "Overleg over de groei" in page
    response = client.post(reverse("consent_withdraw", args=[p.case.pk, consent.pk]),
                           {"withdrawn_on": TODAY().isoformat()})
    assert response.status_code == 302
    assert Consent.objects.get().withdrawal.withdrawn_on == TODAY()
    # A date in the future is refused at the form, in Dutch, with nothing stored.
    response = client.post(reverse("consent_add", args=[p.case.pk]), {
        "carer": carer.pk, "given_on": (TODAY() + timedelta(days=3)).isoformat(),
        "institution": "jeugdarts", "purpose": "Later", "how": "Mondeling"})
    assert response.status_code == 200 and "toekomst" in response.content.decode()
    response = client.post(reverse("disclosure_add", args=[p.case.pk]), {
        "recipient": "anders", "recipient_name": "Wijkteam", "document": "Verslag",
        "sent_on": TODAY().isoformat()})
    assert response.status_code == 200 and "toestemming" in response.content.decode()
    assert not ThirdPartyDisclosure.objects.exists()


def test_the_consent_page_runs_a_bounded_number_of_queries(client, personas,
                                                           django_assert_max_num_queries):
    p = personas
    for i in range(20):
        consent = _consent(p, "anders", name=f"Instelling {i}")
        if i % 2:
            services.consent_withdraw(actor=p.af, consent=consent, withdrawn_on=TODAY())
        services.disclosure_record(actor=p.af, case=p.case, recipient="veilig_thuis",
                                   document=f"Verslag {i}", sent_on=TODAY())
    client.force_login(p.af)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("consent_list", args=[p.case.pk]))
    assert response.status_code == 200 and "Instelling 19" in response.content.decode()

"""The vernietigingslijst and bewaartermijnen pages: four eyes through the forms, bad input
answered with a Dutch message and a 400 (nothing typed lost), bounded queries."""

import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Case, Phase
from retention.models import DestructionItem, RetentionPolicy


@pytest.fixture
def item(personas):
    case = personas.case
    Case.objects.filter(pk=case.pk).update(phase=Phase.GESLOTEN,
                                           closed_at=timezone.now() - timedelta(days=900))
    today = timezone.localdate()
    return DestructionItem.objects.create(
        case_id=case.pk, school=personas.school, record_class="dossier",
        closed_on=today - timedelta(days=900), due_on=today - timedelta(days=30))


def _hold(client, item, **data):
    return client.post(reverse("legal_hold_place", args=[item.pk]), {
        "reason": "veilig_thuis", "explanation": "VT-2026-7",
        "review_on": (timezone.localdate() + timedelta(days=60)).isoformat(), **data})


def test_confirming_asks_for_password_and_code_first(client, personas, item):
    client.force_login(personas.af)
    response = client.post(reverse("destruction_confirm", args=[item.pk]))
    assert response.status_code == 302 and "/bevestigen/" in response["Location"]
    item.refresh_from_db()
    assert item.first_confirmed_by is None


def test_the_af_and_the_directie_destroy_through_the_pages(client, personas, item):
    client.force_login(personas.af)
    client.confirm_recent_auth()
    detail = reverse("destruction_detail", args=[item.pk])
    response = client.post(reverse("destruction_confirm", args=[item.pk]), follow=True)
    assert "Een tweede persoon moet de vernietiging nog bevestigen." in response.content.decode()
    assert "U hebt de vernietiging bevestigd." in client.get(detail).content.decode()
    response = client.post(reverse("destruction_confirm", args=[item.pk]), follow=True)
    assert "U hebt de vernietiging al bevestigd." in response.content.decode()
    assert Case.objects.filter(pk=personas.case.pk).exists()
    client.force_login(personas.directie)
    client.confirm_recent_auth()
    response = client.post(reverse("destruction_confirm", args=[item.pk]), follow=True)
    html = response.content.decode()
    assert "Het dossier is vernietigd." in html and "versies uit de geschiedenis" in html
    assert not Case.objects.filter(pk=personas.case.pk).exists()
    # The list still shows the tombstone, without any name of the pupil.
    listing = client.get(reverse("destruction_list")).content.decode()
    assert item.reference in listing and "Noah" not in listing


@pytest.mark.parametrize(("data", "message"), [
    ({"reason": ""}, "Dit veld is verplicht."),
    ({"reason": "omdat"}, "Selecteer een geldige keuze."),
    ({"review_on": "31-02-2026"}, "Vul een geldige datum in."),
    ({"review_on": "2020-01-01"}, "De datum om opnieuw te bekijken ligt in de toekomst."),
    ({"review_on": "2099-01-01"}, "Bekijk het bewaren uiterlijk over twee jaar opnieuw."),
    ({"explanation": "x" * 301}, "niet meer dan 300 tekens"),
    ({"explanation": "a\x00b"}, "Null-tekens zijn niet toegestaan."),
])
def test_a_bad_hold_is_refused_with_a_dutch_message(client, personas, item, data, message):
    client.force_login(personas.af)
    response = _hold(client, item, **data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    if "explanation" not in data:
        assert "VT-2026-7" in html  # what was typed stays
    item.refresh_from_db()
    assert item.status == "te_vernietigen" and not item.holds.exists()


@pytest.mark.parametrize(("data", "message"), [
    ({"unfounded_months": 30, "dossier_years": 2}, "hoogstens 24"),
    ({"unfounded_months": 24, "dossier_years": 1},
     "Een ongegrond vermoeden wordt niet langer bewaard dan een dossier."),
    ({"dossier_years": "twee"}, "Voer een geheel getal in."),
    ({"worknote_days": -1}, "minstens 0"),
])
def test_a_bad_policy_is_refused_with_a_dutch_message(client, personas, data, message):
    client.force_login(personas.bestuur)
    response = client.post(
        reverse("retention_policy_edit", args=[personas.school.board.pk]),
        {"dossier_years": 2, "unfounded_months": 6, "worknote_days": 0, **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not RetentionPolicy.objects.exists()


def test_the_bestuur_sets_the_terms_and_it_is_audited(client, personas):
    client.force_login(personas.bestuur)
    url = reverse("retention_policy_edit", args=[personas.school.board.pk])
    response = client.post(url, {"dossier_years": 5, "unfounded_months": 3,
                                 "worknote_days": 14})
    assert response.status_code == 302
    policy = RetentionPolicy.objects.get()
    assert (policy.dossier_years, policy.unfounded_months, policy.worknote_days) == (5, 3, 14)
    event = AuditEvent.objects.get(action="retention.policy_updated")
    assert event.data == {"dossier_years": 5, "unfounded_months": 3, "worknote_days": 14}


def test_a_forged_item_id_is_a_404(client, personas):
    client.force_login(personas.af)
    assert client.get(reverse("destruction_detail", args=[uuid.uuid4()])).status_code == 404
    assert client.get("/vernietiging/niet-een-uuid/").status_code == 404


def test_the_list_runs_a_bounded_number_of_queries(client, personas,
                                                   django_assert_max_num_queries):
    today = timezone.localdate()
    DestructionItem.objects.bulk_create(
        DestructionItem(case_id=uuid.uuid4(), school=personas.school, record_class="dossier",
                        closed_on=today - timedelta(days=900 + i),
                        due_on=today - timedelta(days=i),
                        first_confirmed_by=personas.af if i % 3 == 0 else None,
                        status="vernietigd" if i % 5 == 0 else "te_vernietigen")
        for i in range(120))
    client.force_login(personas.directie)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("destruction_list"))
    assert response.status_code == 200
    assert response.content.decode().count("/vernietiging/") >= 25
    with django_assert_max_num_queries(12):
        assert client.get(reverse("destruction_list") + "?pagina=3").status_code == 200

"""Carers (ouders/verzorgers): who sees and edits them, the audit and access log, the
safety note where a conversation is planned, siblings for the AF only, and the record of
which carers took part in a conversation."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from audit.models import AccessLog, AuditEvent
from cases.errors import DomainError
from cases.models import Carer, ConversationCarer, Phase
from cases.services import pupils as services
from cases.services import workflow as wf
from tests.factories import CarerFactory, StudentFactory, walk_to

SAFETY = "Niet benaderen zonder overleg met Veilig Thuis (huisverbod)."


def _carer_data(**overrides):
    data = {"name": "Fatima el Amrani", "relation": "ouder", "gezag": "ja",
            "gezag_checked": "Gezagsregister geraadpleegd", "phone": "06-12345678",
            "email": "", "address": "", "language": "Arabisch", "interpreter_needed": True,
            "relation_other": "", "safety_note": ""}
    data.update(overrides)
    return data


def test_the_af_adds_a_carer_audited_with_ids_only(personas):
    carer = services.carer_add(actor=personas.af, student=personas.case.student,
                               data=_carer_data())
    event = AuditEvent.objects.get(action="carer.added")
    assert event.data == {"student": str(personas.case.student.pk)}
    assert event.subject_id == str(carer.pk)
    services.carer_update(actor=personas.directie, carer=carer,
                          data=_carer_data(phone="06-87654321"))
    changed = AuditEvent.objects.get(action="carer.updated")
    assert changed.data["fields"] == ["phone"]
    assert "06-87654321" not in str(changed.data)
    assert carer.history.count() == 2


def test_only_the_af_and_directie_edit(personas):
    with pytest.raises(DomainError):
        services.carer_add(actor=personas.teacher_on_case, student=personas.case.student,
                           data=_carer_data())


@pytest.mark.parametrize(("overrides", "message"), [
    ({"name": " "}, "naam"),
    ({"relation": "anders"}, "andere relatie"),
    ({"gezag_checked": ""}, "hoe het gezag"),
])
def test_a_carer_needs_the_facts_that_matter(personas, overrides, message):
    with pytest.raises(DomainError, match=message):
        services.carer_add(actor=personas.af, student=personas.case.student,
                           data=_carer_data(**overrides))


def test_the_form_keeps_what_was_typed_on_a_refusal(client, personas):
    client.force_login(personas.af)
    url = reverse("carer_add", kwargs={"student_id": personas.case.student.pk})
    response = client.post(url, _carer_data(gezag_checked="", name="Marieke Jansen"))
    assert response.status_code == 200
    assert "Vul in hoe het gezag is nagegaan." in response.content.decode()
    assert "Marieke Jansen" in response.content.decode()
    assert not Carer.objects.exists()


def test_reading_the_carers_is_access_logged(client, personas):
    CarerFactory(student=personas.case.student)
    client.force_login(personas.teacher_on_case)
    client.get(reverse("carer_list", kwargs={"student_id": personas.case.student.pk}))
    entry = AccessLog.objects.get(what="student.carers")
    assert entry.user == personas.teacher_on_case
    assert entry.student_id == personas.case.student.pk
    assert entry.role == "leerkracht"


def test_the_team_sees_the_safety_note_and_siblings_are_for_the_af_only(client, personas):
    CarerFactory(student=personas.case.student, safety_note=SAFETY)
    sibling = StudentFactory(school=personas.school, first_name="Lotte")
    personas.case.student.siblings.add(sibling)
    url = reverse("carer_list", kwargs={"student_id": personas.case.student.pk})
    for user, sees_sibling in ((personas.teacher_on_case, False), (personas.directie, False),
                               (personas.af, True)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert SAFETY in html
        assert ("Lotte" in html) is sees_sibling, user


def test_the_beheerder_never_sees_carers_not_even_through_the_import(client, personas):
    CarerFactory(student=personas.case.student, name="Geheime Ouder")
    client.force_login(personas.beheerder)
    url = reverse("carer_list", kwargs={"student_id": personas.case.student.pk})
    assert client.get(url).status_code == 404
    data = ("Leerlingnummer;Roepnaam;Achternaam;Geboortedatum;Groep\n"
            f"{personas.case.student.pupil_number};Noah;Jansen;01-01-2017;5b\n").encode()
    response = client.post(reverse("pupil_import", kwargs={"school_id": personas.school.pk}),
                           {"file": SimpleUploadedFile("x.csv", data)}, follow=True)
    assert response.status_code == 200
    assert "Geheime Ouder" not in response.content.decode()


def test_siblings_are_linked_at_the_same_school_only(personas):
    other_school = StudentFactory(school=personas.other_school)
    with pytest.raises(DomainError):
        services.sibling_link(actor=personas.af, student=personas.case.student,
                              other=other_school)
    with pytest.raises(DomainError):
        services.sibling_link(actor=personas.directie, student=personas.case.student,
                              other=StudentFactory(school=personas.school))
    brother = StudentFactory(school=personas.school)
    services.sibling_link(actor=personas.af, student=personas.case.student, other=brother)
    assert list(brother.siblings.all()) == [personas.case.student]  # both ways
    services.sibling_unlink(actor=personas.af, student=brother, other=personas.case.student)
    assert not personas.case.student.siblings.exists()


def test_carer_list_queries_bounded(client, personas, django_assert_max_num_queries):
    for i in range(12):
        CarerFactory(student=personas.case.student, safety_note="Let op" if i % 3 else "")
    for _ in range(8):
        personas.case.student.siblings.add(StudentFactory(school=personas.school))
    client.force_login(personas.af)
    url = reverse("carer_list", kwargs={"student_id": personas.case.student.pk})
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200


# --- Conversations with the parents ----------------------------------------------------------


@pytest.fixture
def in_step_3(personas):
    return walk_to(personas.case, Phase.GESPREK, actor=personas.af)


def _record(personas, case, carers, with_parents=True):
    return wf.conversation_record(
        actor=personas.af, case=case, held_on=timezone.localdate(),
        school_participants=[personas.af, personas.oka], purpose_explained=True,
        facts_described="Blauwe plekken.", reaction_invited=True, reaction="Herkennen het.",
        summary="Afspraken.", with_parents=with_parents, carers=carers)


def test_every_carer_with_gezag_is_invited_or_has_a_reason(personas, in_step_3):
    mother = CarerFactory(student=in_step_3.student, name="Moeder", gezag="ja")
    father = CarerFactory(student=in_step_3.student, name="Vader", gezag="ja")
    grandma = CarerFactory(student=in_step_3.student, name="Oma", gezag="nee")
    with pytest.raises(DomainError, match="Vader .met gezag. is uitgenodigd"):
        _record(personas, in_step_3, [(mother, "deelgenomen", "")])
    with pytest.raises(DomainError, match="waarom Vader"):
        _record(personas, in_step_3, [(mother, "deelgenomen", ""),
                                      (father, "niet_uitgenodigd", "")])
    with pytest.raises(DomainError, match="welke ouder"):
        _record(personas, in_step_3, [(mother, "afwezig", ""),
                                      (father, "niet_uitgenodigd", "Huisverbod")])
    result = _record(personas, in_step_3, [(mother, "deelgenomen", ""),
                                           (father, "niet_uitgenodigd", "Huisverbod"),
                                           (grandma, "", "")])
    links = {link.carer.name: link for link in result.conversation.carer_links.all()}
    assert set(links) == {"Moeder", "Vader"}
    assert links["Vader"].reason_not_invited == "Huisverbod"
    event = AuditEvent.objects.get(action="case.conversation.recorded")
    assert event.data["carers"] == 1


def test_a_carer_of_another_pupil_cannot_be_recorded(personas, in_step_3):
    stranger = CarerFactory(student=StudentFactory(school=personas.school))
    with pytest.raises(DomainError, match="van deze leerling"):
        _record(personas, in_step_3, [(stranger, "deelgenomen", "")])


def test_who_took_part_is_append_only(personas, in_step_3):
    mother = CarerFactory(student=in_step_3.student)
    _record(personas, in_step_3, [(mother, "deelgenomen", "")])
    rows = ConversationCarer.objects.all()
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.update(presence="afwezig")
    with pytest.raises(DatabaseError), transaction.atomic():
        rows.delete()


def test_the_conversation_page_shows_the_safety_note_and_asks_per_carer(client, personas,
                                                                        in_step_3):
    father = CarerFactory(student=in_step_3.student, name="Vader", safety_note=SAFETY)
    client.force_login(personas.af)
    url = reverse("case_workflow_form", kwargs={"case_id": in_step_3.pk,
                                                "action": "record_conversation"})
    html = client.get(url).content.decode()
    assert SAFETY in html and "veiligheidsnotities" in html
    assert "Vader (heeft gezag)" in html
    exemption = client.get(reverse("case_workflow_form", kwargs={
        "case_id": in_step_3.pk, "action": "record_exemption"})).content.decode()
    assert SAFETY in exemption

    post = {"held_on": timezone.localdate().isoformat(), "with_parents": "on",
            "school_participants": [personas.af.pk, personas.oka.pk],
            "purpose_explained": "on", "facts_described": "Feiten", "reaction_invited": "on",
            "reaction": "Reactie", "summary": "Samenvatting",
            f"carer_{father.pk}": "niet_uitgenodigd", f"carer_{father.pk}_reason": ""}
    action = reverse("case_workflow_action", kwargs={"case_id": in_step_3.pk,
                                                     "action": "record_conversation"})
    response = client.post(action, post)
    assert response.status_code == 200
    assert "waarom Vader" in response.content.decode()
    post[f"carer_{father.pk}_reason"] = "Contactverbod"
    post[f"carer_{father.pk}"] = "niet_uitgenodigd"
    # A talk with the pupil only: the father is still accounted for.
    response = client.post(action, {**post, "with_parents": "", "with_pupil": "on",
                                    "school_participants": [personas.af.pk]})
    assert response.status_code == 302
    assert ConversationCarer.objects.get().reason_not_invited == "Contactverbod"


def test_the_chronology_names_who_took_part(client, personas, in_step_3):
    mother = CarerFactory(student=in_step_3.student, name="Moeder")
    father = CarerFactory(student=in_step_3.student, name="Vader")
    _record(personas, in_step_3, [(mother, "deelgenomen", ""),
                                  (father, "niet_uitgenodigd", "Contactverbod")])
    client.force_login(personas.af)
    html = client.get(reverse("case_chronology", kwargs={"case_id": in_step_3.pk})
                      ).content.decode()
    assert "Moeder: nam deel; Vader: niet uitgenodigd" in html

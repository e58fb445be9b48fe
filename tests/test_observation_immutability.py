"""A submitted observation is never edited or deleted: not through the services, the
models, the web pages, nor, below all of them, the database."""

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from cases.errors import DomainError
from cases.models import (
    InjuryMark,
    Observation,
    ObservationFollowUp,
    Statement,
    SubmittedRecordError,
)
from cases.services import observations as services
from signals_catalog.models import Signal
from tests.observation_data import observation_post


def edit_url(observation):
    return reverse("observation_edit", args=[observation.case_id, observation.pk])


def test_services_refuse_changes_to_a_submitted_observation(personas, frozen):
    with pytest.raises(DomainError, match="vastgelegd en kan niet meer"):
        services.observation_draft_save(actor=personas.teacher_on_case, case=personas.case,
                                        observation=frozen,
                                        data=services.ObservationInput(place="Anders"))
    with pytest.raises(DomainError, match="vastgelegd en kan niet meer"):
        services.observation_submit(actor=personas.teacher_on_case, observation=frozen)
    frozen.refresh_from_db()
    assert frozen.place == "Klas"
    assert frozen.statements.count() == 2


def test_models_refuse_changes_to_a_submitted_observation_and_its_parts(frozen):
    frozen.place = "Anders"
    with pytest.raises(SubmittedRecordError):
        frozen.save()
    with pytest.raises(SubmittedRecordError):
        Observation.objects.get(pk=frozen.pk).delete()
    statement = frozen.statements.first()
    statement.text = "Iets anders"
    with pytest.raises(SubmittedRecordError):
        statement.save()
    with pytest.raises(SubmittedRecordError):
        statement.delete()
    with pytest.raises(SubmittedRecordError):
        Statement(observation=frozen, kind="feit", text="Nieuw").save()
    injury = frozen.injuries.get()
    with pytest.raises(SubmittedRecordError):
        injury.delete()
    with pytest.raises(SubmittedRecordError):
        InjuryMark(observation=frozen, side="voor", region="hoofd", kind="anders").save()
    assert Observation.objects.get(pk=frozen.pk).place == "Klas"
    assert frozen.statements.count() == 2 and frozen.injuries.count() == 1


def test_a_stale_draft_instance_cannot_overwrite_a_submitted_observation(personas, frozen):
    stale = Observation.objects.get(pk=frozen.pk)
    stale.status = Observation.Status.DRAFT
    with pytest.raises(SubmittedRecordError):
        stale.save()


def test_the_edit_url_of_a_submitted_observation_is_gone(client, personas, frozen):
    client.force_login(personas.teacher_on_case)
    assert client.get(edit_url(frozen)).status_code == 404
    assert client.post(edit_url(frozen), observation_post()).status_code == 404


def test_the_database_refuses_bulk_changes_to_a_submitted_observation(frozen):
    """Bulk writes, raw SQL and the shell pass no model guard; the database still refuses."""
    statement = frozen.statements.first()
    signal = Signal.objects.first()
    attempts = [
        lambda: Observation.objects.filter(pk=frozen.pk).update(place="Anders"),
        lambda: Observation.objects.filter(pk=frozen.pk).update(status="concept"),
        lambda: Statement.objects.filter(pk=statement.pk).update(text="Anders"),
        lambda: Statement.objects.filter(pk=statement.pk).delete(),
        lambda: Statement.objects.bulk_create(
            [Statement(observation=frozen, kind="feit", text="Nieuw")]),
        lambda: InjuryMark.objects.filter(observation=frozen).update(description="Anders"),
        lambda: frozen.signals.add(signal),
    ]
    for attempt in attempts:
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    frozen.refresh_from_db()
    assert frozen.place == "Klas" and frozen.statements.count() == 2
    assert not frozen.signals.exists()


def test_the_database_refuses_moving_a_part_into_a_submitted_observation(personas, frozen):
    draft = services.observation_draft_save(
        actor=personas.teacher_on_case, case=personas.case,
        data=services.ObservationInput(place="Gang"))
    Statement.objects.create(observation=draft, kind="feit", text="Concepttekst")
    with pytest.raises(DatabaseError), transaction.atomic():
        Statement.objects.filter(observation=draft).update(observation=frozen)
    # A draft stays free to change, also in bulk.
    assert Statement.objects.filter(observation=draft).update(text="Bijgewerkt") == 1
    assert Observation.objects.filter(pk=draft.pk).update(place="Hal") == 1


def test_the_database_refuses_changing_a_follow_up(personas, frozen):
    follow_up = services.observation_follow_up_add(
        actor=personas.af, observation=frozen, kind="correctie", text="Het was dinsdag")
    for attempt in (
        lambda: ObservationFollowUp.objects.filter(pk=follow_up.pk).update(text="Anders"),
        lambda: ObservationFollowUp.objects.filter(pk=follow_up.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert ObservationFollowUp.objects.get(pk=follow_up.pk).text == "Het was dinsdag"

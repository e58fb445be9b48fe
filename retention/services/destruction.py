"""Destroying a dossier: every row that belongs to the case, their history rows and
their files; the audit trail and access log stay (they carry no content) and get a
content-free event with counts.

What belongs to a case is found by following foreign keys into it, from every model
(including the history models of django-simple-history and many-to-many tables): what
refers to a row of the case is part of the case. That way a record type added later is
destroyed too without being listed here.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.exceptions import NotHistoricalModelError
from simple_history.utils import get_history_model_for_model

from audit.services import audit
from cases.errors import DomainError
from cases.models import Case, Phase
from meldcode.workdays import local_today
from retention.models import DestructionItem
from retention.permissions import is_directie, may_confirm
from retention.services.gate import destruction_gate

logger = logging.getLogger(__name__)

# Apps whose rows are never part of a dossier: the trail, the roles, the lists.
KEPT_APPS = {"audit", "meldcode", "signals_catalog", "retention", "auth", "contenttypes",
             "sessions", "otp_totp", "otp_static", "django_otp", "guardian"}


def _edges() -> dict:
    """target model → [(model, field)] for every foreign key (or one-to-one) into it."""
    edges = defaultdict(list)
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in KEPT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation and (field.many_to_one or field.one_to_one):
                edges[field.related_model].append((model, field))
    return edges


def _history_model(model):
    try:
        return get_history_model_for_model(model)
    except NotHistoricalModelError:
        return None


def _keeps_the_row(field) -> bool:
    # A link declared SET_NULL means the row outlives what it points to: it loses the
    # link instead of going with the case.
    return field.remote_field.on_delete is models.SET_NULL


def case_rows(case_pk) -> dict:
    """model → pks of every row that belongs to the case (the case itself included), in
    the order they were found: a row after the rows it refers to."""
    edges = _edges()
    owned: dict = {Case: {case_pk}}
    queue = [(Case, {case_pk})]
    while queue:
        target, new_pks = queue.pop(0)
        for model, field in edges.get(target, ()):
            if _keeps_the_row(field):
                continue
            pks = set(model._base_manager.filter(**{f"{field.name}__in": list(new_pks)})
                      .values_list("pk", flat=True)) - owned.get(model, set())
            if pks:
                owned.setdefault(model, set()).update(pks)
                queue.append((model, pks))
    # History rows of the rows found (a model's own history has no foreign key to it).
    for model, pks in list(owned.items()):
        history = _history_model(model)
        if history is None:
            continue
        key = model._meta.pk.attname
        found = set(history._base_manager.filter(**{f"{key}__in": list(pks)})
                    .values_list("pk", flat=True))
        if found:
            owned.setdefault(history, set()).update(found)
    return owned


def _stored_files(owned: dict) -> list[tuple]:
    files = []
    for model, pks in owned.items():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                names = model._base_manager.filter(pk__in=list(pks)).exclude(
                    **{field.name: ""}).values_list(field.name, flat=True)
                files.extend((field.storage, name) for name in names)
    return files


def _is_history(model) -> bool:
    return any(field.name == "history_id" for field in model._meta.concrete_fields)


def case_destroy(*, case_pk) -> dict:
    """Remove the case, everything that belongs to it, its history and its files. Runs
    inside the caller's transaction; returns the counts for the tombstone."""
    owned = case_rows(case_pk)
    files = _stored_files(owned)
    tables, history_rows, rows = {}, 0, 0
    edges = _edges()
    with destruction_gate():
        for target, pks in owned.items():
            for model, field in edges.get(target, ()):
                if _keeps_the_row(field):
                    model._base_manager.filter(**{f"{field.name}__in": list(pks)}).update(
                        **{field.name: None})
        # Children first; the foreign keys are checked at the end of the transaction
        # anyway (deferred), and checked right away below.
        for model in reversed(list(owned)):
            deleted = model._base_manager.filter(pk__in=list(owned[model]))._raw_delete(
                connection.alias)
            tables[model._meta.label_lower] = deleted
            if _is_history(model):
                history_rows += deleted
            else:
                rows += deleted
        connection.check_constraints()
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in files])
    return {"rows": rows, "history_rows": history_rows, "files": len(files),
            "tables": dict(sorted(tables.items()))}


def _lock_item(item) -> DestructionItem:
    return (DestructionItem.objects.select_for_update(of=("self",))
            .select_related("school", "first_confirmed_by").get(pk=item.pk))


@transaction.atomic
def destruction_confirm(*, actor, item: DestructionItem) -> DestructionItem:
    """The AF or directie of the school confirms. The first confirmation is recorded; a
    second, by a different person, destroys the dossier at once (four eyes). The
    directie is one of the two: the AF and the directie confirm (3.8)."""
    item = _lock_item(item)
    if not may_confirm(actor, item.school):
        raise PermissionDenied
    if item.status != DestructionItem.Status.DUE:
        raise DomainError(_("Dit dossier staat niet (meer) klaar voor vernietiging."))
    case = Case.objects.select_for_update().filter(pk=item.case_id).first()
    if case is None or case.phase != Phase.GESLOTEN:
        raise DomainError(_("De casus is heropend of bestaat niet meer; vernietigen kan "
                            "niet."))
    if item.due_on > local_today():
        raise DomainError(_("De bewaartermijn van dit dossier is nog niet verstreken."))
    now = timezone.now()
    if item.first_confirmed_by_id is None:
        item.first_confirmed_by, item.first_confirmed_at = actor, now
        item.save(update_fields=["first_confirmed_by", "first_confirmed_at"])
        audit("retention.confirmed", actor=actor, subject=item, school=item.school,
              data={"record_class": item.record_class, "due_on": item.due_on.isoformat()})
        return item
    if item.first_confirmed_by_id == actor.pk:
        raise DomainError(_("U hebt de vernietiging al bevestigd. Een tweede persoon (de "
                            "aandachtsfunctionaris of de directie) moet ook bevestigen."))
    if not (is_directie(actor, item.school) or is_directie(item.first_confirmed_by,
                                                                  item.school)):
        raise DomainError(_("De directie bevestigt de vernietiging mee: de eerste "
                            "bevestiging kwam van een aandachtsfunctionaris, de tweede "
                            "moet van de directie komen."))
    try:
        counts = case_destroy(case_pk=case.pk)
    except DatabaseError as error:
        # A guard that does not know the gate (a DELETE guard added after
        # retention/migrations/0002): nothing was removed; the operators must look.
        logger.error("destruction refused by the database: %s", error.__class__.__name__,
                     extra={"detail": str(error).splitlines()[0][:200]})
        raise DomainError(_("De database weigerde de vernietiging; er is niets verwijderd. "
                            "Meld dit aan de functioneel beheerder.")) from error
    item.holds.all().delete()
    item.status = DestructionItem.Status.DESTROYED
    item.destroyed_by, item.destroyed_at, item.counts = actor, now, counts
    item.save(update_fields=["status", "destroyed_by", "destroyed_at", "counts"])
    audit("retention.case_destroyed", actor=actor, subject=item, school=item.school,
          data={"record_class": item.record_class, "due_on": item.due_on.isoformat(),
                "first_confirmed_by": item.first_confirmed_by_id, "rows": counts["rows"],
                "history_rows": counts["history_rows"], "files": counts["files"]})
    return item

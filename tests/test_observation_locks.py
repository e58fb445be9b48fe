"""Every observation service takes its row locks in one order: the case, then the draft.

An autosave (case → draft) and "Vastleggen" (then draft → case) on the same draft used to
wait for each other until PostgreSQL broke the deadlock and one of them failed."""

import re
import threading

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DEFAULT_DB_ALIAS, OperationalError, close_old_connections, connections
from django.test.utils import CaptureQueriesContext

from cases.errors import DomainError
from cases.models import Attachment, Observation
from cases.services import observations as services
from cases.services.observations import ObservationInput

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _locked_tables(queries) -> list[str]:
    tables = []
    for query in queries:
        sql = query["sql"]
        if "FOR UPDATE" in sql:
            tables.append(re.search(r'FROM "(\w+)"', sql).group(1))
    return tables


@pytest.fixture
def draft(personas):
    return Observation.objects.create(case=personas.case, author=personas.teacher_on_case,
                                      place="Gymzaal", situation="Omkleden",
                                      free_signals="Blauwe plekken op de rug")


@pytest.fixture
def private_dir(tmp_path, monkeypatch):
    field = Attachment._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FileSystemStorage(location=tmp_path, base_url=None))


def _save(personas, draft):
    services.observation_draft_save(
        actor=personas.teacher_on_case, case=personas.case, observation=draft,
        data=ObservationInput(place="Schoolplein", situation="Pauze",
                              free_signals="Blauwe plek"))


def _submit(personas, draft):
    services.observation_submit(actor=personas.teacher_on_case, observation=draft)


def _attach(personas, draft):
    services.attachment_add(actor=personas.teacher_on_case, observation=draft,
                            upload=SimpleUploadedFile("verslag.pdf", PDF))


def _detach(personas, draft):
    attachment = services.attachment_add(actor=personas.teacher_on_case, observation=draft,
                                         upload=SimpleUploadedFile("verslag.pdf", PDF))
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as captured:
        services.attachment_remove(actor=personas.teacher_on_case, attachment=attachment)
    return captured


@pytest.mark.django_db
@pytest.mark.parametrize("run", [_save, _submit, _attach, _detach])
def test_every_service_locks_the_case_before_the_draft(personas, draft, private_dir, run):
    with CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as captured:
        inner = run(personas, draft)
    locked = _locked_tables(inner or captured)
    assert "cases_observation" in locked
    assert locked.index("cases_case") < locked.index("cases_observation"), locked


def _pause_after_first_lock(monkeypatch, barrier):
    """Each thread waits, holding its first lock, until the other holds its first lock too
    (or a second has passed: with one lock order, the other is still waiting for it)."""
    local = threading.local()

    def pausing(original):
        def locked(*args, **kwargs):
            result = original(*args, **kwargs)
            if not getattr(local, "paused", False):
                local.paused = True
                try:
                    barrier.wait(timeout=1.5)
                except threading.BrokenBarrierError:
                    pass
            return result
        return locked

    monkeypatch.setattr(services, "_lock_open_case", pausing(services._lock_open_case))
    monkeypatch.setattr(services, "_lock_draft", pausing(services._lock_draft))


@pytest.mark.django_db(transaction=True)
def test_autosave_and_submit_of_one_draft_do_not_deadlock(personas, monkeypatch):
    draft = Observation.objects.create(case=personas.case, author=personas.teacher_on_case,
                                       place="Gymzaal", situation="Omkleden",
                                       free_signals="Blauwe plekken op de rug")
    _pause_after_first_lock(monkeypatch, threading.Barrier(2))
    outcomes = {}

    def run(name, work):
        try:
            work(personas, draft)
            outcomes[name] = "done"
        except DomainError:
            outcomes[name] = "refused"  # the autosave came second: the draft is frozen
        except OperationalError as error:
            outcomes[name] = f"database error: {error}"
        finally:
            close_old_connections()
            connections[DEFAULT_DB_ALIAS].close()

    threads = [threading.Thread(target=run, args=("submit", _submit)),
               threading.Thread(target=run, args=("autosave", _save))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes["submit"] == "done", outcomes
    assert outcomes["autosave"] in ("done", "refused"), outcomes
    draft.refresh_from_db()
    assert draft.status == Observation.Status.SUBMITTED

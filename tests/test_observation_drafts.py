"""Drafts do not pile up: a refused submit (also posted again) continues the same draft;
the author deletes their own draft (audited, without content); drafts are told apart by
their date and first words."""

from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases.models import Observation
from signals_catalog.services import signals_for
from tests.factories import CaseFactory, StudentFactory, submitted_observation
from tests.observation_data import observation_post


def _new(case):
    return reverse("observation_new", args=[case.pk])


def _edit(draft):
    return reverse("observation_edit", args=[draft.case_id, draft.pk])


def _delete(draft):
    return reverse("observation_draft_delete", args=[draft.case_id, draft.pk])


def _drafts(user):
    return Observation.objects.drafts_of(user)


def test_a_refused_submit_posted_again_continues_the_same_draft(client, personas):
    p = personas
    client.force_login(p.teacher_on_case)
    form = client.get(_new(p.case))
    token = form.context["form_token"]
    # No signal and no place: refused, and the draft is kept.
    refused = observation_post(action="vastleggen", place="", formulier=token)
    first = client.post(_new(p.case), refused)
    assert first.status_code == 200
    assert "nog niet vastgelegd" in first.content.decode()
    draft = _drafts(p.teacher_on_case).get()
    # The page knows the draft's own address (a reload comes back to it).
    assert f'data-edit-url="{_edit(draft)}"' in first.content.decode()
    # The browser posts the same form again (a reload re-sending it): no second draft.
    again = client.post(_new(p.case), refused)
    assert again.status_code == 200
    assert _drafts(p.teacher_on_case).count() == 1
    # An autosave racing the submit, without the draft's id yet: still the same draft.
    client.post(reverse("observation_autosave", args=[p.case.pk]),
                observation_post(place="Gang", formulier=token))
    assert list(_drafts(p.teacher_on_case)) == [draft]
    draft.refresh_from_db()
    assert draft.place == "Gang"
    # And from its own page the refused submit does not start one either.
    client.post(_edit(draft), observation_post(action="vastleggen", place=""))
    assert _drafts(p.teacher_on_case).count() == 1


def test_a_new_form_starts_a_new_draft(client, personas):
    p = personas
    client.force_login(p.teacher_on_case)
    for _ in range(2):
        token = client.get(_new(p.case)).context["form_token"]
        client.post(_new(p.case), observation_post(formulier=token))
    assert _drafts(p.teacher_on_case).count() == 2


def test_the_author_deletes_their_own_draft_audited_without_content(client, personas):
    p = personas
    client.force_login(p.teacher_on_case)
    client.post(_new(p.case), observation_post(situation="Vertrouwelijke woorden hier"))
    draft = _drafts(p.teacher_on_case).get()
    response = client.post(_delete(draft))
    assert response.status_code == 302
    assert not Observation.objects.filter(pk=draft.pk).exists()
    event = AuditEvent.objects.get(action="observation.draft_deleted")
    assert event.subject_id == str(draft.pk) and event.actor == p.teacher_on_case
    assert "Vertrouwelijk" not in str(event.data)


def test_nobody_else_deletes_a_draft_and_a_submitted_observation_stays(client, personas,
                                                                          frozen):
    p = personas
    draft = Observation.objects.create(case=p.case, author=p.teacher_on_case, situation="x")
    client.force_login(p.af)
    assert client.post(_delete(draft)).status_code == 404
    assert Observation.objects.filter(pk=draft.pk).exists()
    client.force_login(frozen.author)
    assert client.post(_delete(frozen)).status_code == 404
    assert Observation.objects.filter(pk=frozen.pk).exists()
    assert client.get(_delete(draft)).status_code == 405


def test_a_draft_that_alerted_the_af_is_not_deleted(client, personas):
    p = personas
    client.force_login(p.teacher_on_case)
    client.post(_new(p.case), observation_post(origin="kind_vertelde"))
    draft = _drafts(p.teacher_on_case).get()
    assert draft.disclosure_notified_at is not None
    response = client.post(_delete(draft), follow=True)
    assert "al gealarmeerd" in response.content.decode()
    assert Observation.objects.filter(pk=draft.pk).exists()


def test_drafts_are_told_apart_by_date_and_first_words(client, personas):
    p = personas
    client.force_login(p.teacher_on_case)
    client.post(_new(p.case), observation_post(
        situation="Op het schoolplein duwde hij een klasgenoot hard tegen het hek aan"))
    client.post(_new(p.case), observation_post(observed_at="2026-11-18T09:00",
                                               situation="In de gymzaal huilde hij"))
    html = client.get(reverse("case_detail", args=[p.case.pk])).content.decode()
    assert "Op het schoolplein duwde hij een klasgenoot hard …" in html
    assert "In de gymzaal huilde hij" in html
    assert "20 november 2026 10:30" in html and "18 november 2026 09:00" in html


def test_details_later_keeps_the_draft_and_the_start_page_offers_it(client, personas):
    p = personas
    client.force_login(p.teacher_on_case)
    response = client.post(_new(p.case), observation_post(action="later",
                                                          situation="Hinkte bij binnenkomst"))
    assert response["Location"] == reverse("dashboard")
    draft = _drafts(p.teacher_on_case).get()
    start = client.get(reverse("dashboard"))
    assert start.context["my_drafts"] == [draft]
    assert _edit(draft) in start.content.decode()
    assert "Hinkte bij binnenkomst" in start.content.decode()


def test_the_signals_chosen_most_at_the_school_come_first(client, personas):
    p = personas
    categories = signals_for(p.case.student, timezone.localdate())
    listed = [s for c in categories for s in c.signals_for_age]
    often, sometimes = listed[-1], listed[-3]
    for signals in ([often, sometimes], [often]):
        case = CaseFactory(student=StudentFactory(school=p.school,
                                                  date_of_birth=p.case.student.date_of_birth))
        submitted_observation(case, signals=signals)
    # Another school's choices do not count.
    elsewhere = CaseFactory(student=StudentFactory(school=p.other_school,
                                                   date_of_birth=p.case.student.date_of_birth))
    submitted_observation(elsewhere, signals=[listed[0]] * 1)
    client.force_login(p.teacher_on_case)
    response = client.get(_new(p.case))
    assert response.context["common_signals"] == [often, sometimes]
    html = response.content.decode()
    # Offered once: first among the common ones, not again in their folded category.
    assert html.count(f'id="signal-{often.pk}"') == 1
    assert html.index(f'id="signal-{often.pk}"') < html.index("signal-category--folded")

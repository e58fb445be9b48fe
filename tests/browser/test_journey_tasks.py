"""Journey: a deadline becomes the AF's task; the AF sees it overdue and ticks it off."""

import re
from datetime import timedelta

from django.utils import timezone

from cases.deadlines import case_event
from cases.models import Phase, Task
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, member


def test_af_completes_an_overdue_task(page):
    school = SchoolFactory(name="De Regenboog")
    teacher = member(Role.LEERKRACHT, school, username="juf")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    case = CaseFactory(student=student, opened_by=teacher)
    case_event("phase.entered", case=case, phase=Phase.SIGNALEREN)
    Task.objects.update(due_on=timezone.localdate() - timedelta(days=2))

    login(page, "af")
    assert page.get_by_role("heading", name="1 verlopen taak").is_visible()
    assert_accessible(page, "dashboard with overdue task")
    page.get_by_role("link", name="Naar mijn taken").click()
    page.get_by_role("heading", name="Verlopen (1)").wait_for()
    assert_accessible(page, "taken page")
    page.get_by_role("link", name="Alle open taken van de school").click()
    assert page.get_by_text("Eigenaar:").first.is_visible()
    assert_accessible(page, "taken page (school)")
    page.get_by_role("link", name="Noah Jansen").click()
    page.get_by_role("heading", name="Open taken en termijnen").wait_for()
    assert_accessible(page, "case page with tasks panel")
    # A meldcode deadline: ticking it off without the step asks why.
    panel = page.locator(".tasks-panel")
    panel.locator("summary", has_text=re.compile("^Afgerond")).click()
    panel.get_by_label("Reden").fill("Conclusie staat in het papieren dossier")
    assert_accessible(page, "case page, ticking off a deadline without its step")
    panel.get_by_role("button", name=re.compile("^Afronden zonder de stap")).click()
    page.get_by_text("De taak is afgerond zonder de stap").wait_for()
    assert page.get_by_text("Er staan geen open taken voor deze casus.").is_visible()
    task = Task.objects.get()
    assert task.completed_by.username == "af" and task.is_overridden

"""The observation form on a phone (390 px wide): no sideways scrolling, the common
signals first, the categories folded, and "Details later aanvullen" keeps a draft."""

from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Observation
from meldcode.models import Role
from signals_catalog.services import signals_for
from tests.browser.conftest import assert_accessible, login
from tests.factories import (
    CaseFactory,
    SchoolFactory,
    StudentFactory,
    ensure_signal_lists,
    member,
    submitted_observation,
    teach,
)

PHONE = {"width": 390, "height": 844}


def _no_sideways_scrolling(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"the page is {width}px wide on a {viewport}px screen"


def test_the_observation_form_fits_a_phone_and_is_quick(page):
    ensure_signal_lists()
    school = SchoolFactory(name="De Regenboog")
    teacher = member(Role.LEERKRACHT, school, username="juf")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af")
    pupil = StudentFactory(school=school, first_name="Noah", last_name="Jansen",
                           group="groep 5")
    case = CaseFactory(student=pupil, opened_by=teacher)
    # Signals chosen before at this school come first.
    listed = [s for c in signals_for(pupil, timezone.localdate()) for s in c.signals_for_age]
    chosen = listed[-2:]
    earlier = CaseFactory(student=StudentFactory(school=school,
                                                 date_of_birth=pupil.date_of_birth),
                          opened_by=teacher)
    submitted_observation(earlier, author=teacher, place="Klas", situation="Eerder",
                          signals=chosen)

    page.set_viewport_size(PHONE)
    login(page, "juf")
    _no_sideways_scrolling(page)
    page.goto(f"/casussen/{case.pk}/observaties/nieuw/")
    page.get_by_role("heading", name="Observatie over Noah Jansen").wait_for()
    _no_sideways_scrolling(page)
    assert_accessible(page, "observation form on a phone")

    common = page.locator(".signal-category--common")
    expect(common).to_be_visible()
    for signal in chosen:
        expect(common.get_by_label(signal.text, exact=True)).to_be_visible()
    # The categories are folded: their signals hidden until opened.
    folded = page.locator("details.signal-category--folded").first
    expect(folded).not_to_have_attribute("open", "")
    first_option = folded.locator("[data-signal-option] input").first
    expect(first_option).to_be_hidden()
    folded.locator("summary").click()
    expect(first_option).to_be_visible()
    _no_sideways_scrolling(page)

    # Opening everything still fits the screen.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    _no_sideways_scrolling(page)

    # The quick path: what is known now, the details later.
    page.get_by_label("Plaats").fill("Schoolplein")
    page.get_by_label("Situatie").fill("Hij hinkte bij binnenkomst.")
    page.get_by_role("button", name="Details later aanvullen").click()
    page.wait_for_url("**/")
    expect(page.get_by_text("Uw concept is bewaard.")).to_be_visible()
    draft = Observation.objects.get(case=case, status=Observation.Status.DRAFT)
    assert draft.place == "Schoolplein"
    drafts = page.get_by_role("region", name="Uw concepten")
    expect(drafts.get_by_role("link", name="Noah Jansen")).to_be_visible()
    _no_sideways_scrolling(page)
    assert_accessible(page, "start page on a phone")

    # The teacher's own class list, on the phone too.
    teach(pupil, teacher, group="groep 5")
    page.goto("/leerlingen/")
    page.get_by_role("link", name="Kies uit de leerlingen van uw eigen groep").click()
    page.get_by_role("heading", name="Mijn groep").wait_for()
    expect(page.get_by_role("button", name="Zorg melden over Noah Jansen")).to_be_visible()
    _no_sideways_scrolling(page)
    assert_accessible(page, "class list on a phone")

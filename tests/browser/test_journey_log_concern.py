"""Journey: a teacher logs a concern in one go; the AF sees the alert and the observation."""

import re

from playwright.sync_api import expect

from cases.models import Observation
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login, logout
from tests.factories import SchoolFactory, StudentFactory, ensure_signal_lists, member


def test_teacher_logs_a_concern_and_the_af_sees_it(page):
    ensure_signal_lists()
    school = SchoolFactory(name="De Regenboog")
    member(Role.LEERKRACHT, school, username="juf", first_name="Fatima", last_name="el Amrani")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
           last_name="Bos")
    StudentFactory(school=school, first_name="Noah", last_name="Jansen", group="groep 5")

    login(page, "juf")
    page.get_by_role("link", name="Ik maak me zorgen").click()
    assert_accessible(page, "student search")
    page.get_by_label("Naam, groep of leerlingnummer").fill("noah")
    page.get_by_role("button", name="Zoeken").click()
    page.get_by_role("button", name="Zorg melden over Noah").click()

    # Straight into the observation form.
    page.get_by_role("heading", name="Observatie over Noah Jansen").wait_for()
    assert_accessible(page, "observation form")
    page.get_by_label("Plaats").fill("Gymzaal")
    page.get_by_label("Situatie").fill("Bij het omkleden zag ik plekken op zijn arm.")
    page.get_by_label("Wie waren erbij?").fill("De gymleraar")

    # Three catalog signals, found with the search box.
    search = page.get_by_label("Zoek in de signalen")
    for text in ("Blauwe plekken", "Lusteloos", "Schrikachtig"):
        search.fill(text)
        expect(page.get_by_text(re.compile(r"\d+ signa(al|len) gevonden"))).to_be_visible()
        page.locator("[data-signal-option]:visible").get_by_label(text, exact=True).first.check()
    expect(page.get_by_label("Passief", exact=True).first).to_be_hidden()
    search.fill("")
    # The folded categories fold again; the ones with a choice stay open.
    expect(page.get_by_label("Blauwe plekken", exact=True).first).to_be_visible()
    expect(page.get_by_label("Blauwe plekken", exact=True).first).to_be_checked()

    # One hypothesis.
    page.locator("[name=uitspraken-0-kind]").select_option("hypothese")
    page.locator("[name=uitspraken-0-text]").fill("Mogelijk wordt hij thuis geslagen.")

    # The draft is saved while typing.
    expect(page.locator("#autosave-status")).to_contain_text("Concept opgeslagen om",
                                                            timeout=8000)
    page.wait_for_url(re.compile(r"/observaties/[0-9a-f-]+/bewerken/$"))
    assert Observation.objects.filter(status="concept").count() == 1

    # Injury with the keyboard: "Letsel toevoegen" adds a row and moves focus into it.
    page.get_by_role("button", name="Letsel toevoegen").focus()
    page.keyboard.press("Enter")
    side = page.locator("[name=letsels-1-side]")
    expect(side).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator("[name=letsels-1-region]")).to_be_focused()
    page.locator("[name=letsels-1-region]").select_option("rechterarm")
    page.locator("[name=letsels-1-kind]").select_option("blauwe_plek")
    page.locator("[name=letsels-1-size]").fill("3 cm")
    page.locator("[name=letsels-1-description]").fill("Geelgroen, oval")
    marks = page.locator(".bodymap__svg[data-side=voor] .bodymap__mark")
    expect(marks).to_have_count(1)

    # A click on the outline fills the blank row with side, region and position.
    front = page.locator("svg.bodymap__svg[data-side=voor]")
    box = front.bounding_box()
    scale = box["width"] / 200
    front.click(position={"x": 155 * scale, "y": 170 * scale})
    expect(page.locator("[name=letsels-0-region]")).to_have_value("linkerarm")
    expect(page.locator("[name=letsels-0-kind]")).to_be_focused()
    expect(marks).to_have_count(2)
    page.locator("[name=letsels-0-kind]").select_option("krabwond")
    assert_accessible(page, "observation form, filled in")

    page.get_by_role("button", name="Vastleggen").click()
    page.get_by_role("heading", name=re.compile("Observatie van")).wait_for()
    assert_accessible(page, "observation page")
    observation = Observation.objects.get()
    assert observation.is_submitted
    assert observation.signals.count() == 3
    assert [s.kind for s in observation.statements.all()] == ["hypothese"]
    assert sorted(m.region for m in observation.injuries.all()) == ["linkerarm", "rechterarm"]
    assert page.locator(".bodymap__mark").count() == 2
    expect(page.get_by_role("cell", name="Linkerarm")).to_be_visible()
    logout(page)

    login(page, "af")
    expect(page.locator(".site-nav .badge")).to_have_text("2")
    page.get_by_role("link", name="Berichten").click()
    expect(page.get_by_text("Nieuwe observatie vastgelegd")).to_be_visible()
    assert_accessible(page, "notifications (AF)")
    page.get_by_role("link", name=re.compile("Casus .* bekijken")).first.click()
    page.get_by_role("heading", name="Observaties").wait_for()
    expect(page.get_by_text("Mogelijk wordt hij thuis geslagen.")).to_be_visible()
    expect(page.locator(".tag--hypothesis").first).to_have_text("Hypothese / aanname")
    assert_accessible(page, "case page with the observation (AF)")

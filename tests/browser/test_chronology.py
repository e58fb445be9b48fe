"""Journey: the AF reads and prints a chronology; a teacher keeps a private work note."""

from datetime import UTC, datetime

from cases.models import Phase, PhaseConclusion, WorkNote
from meldcode.models import Role, User
from tests.browser.conftest import assert_accessible, confirm_identity, login, logout
from tests.factories import (
    CaseFactory,
    FollowUpFactory,
    ObservationFactory,
    SchoolFactory,
    StatementFactory,
    StudentFactory,
    freeze,
    member,
)


def _case_with_observations():
    school = SchoolFactory(name="De Regenboog")
    juf = member(Role.LEERKRACHT, school, username="juf", first_name="Fatima",
                 last_name="el Amrani")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af", first_name="Anneke",
           last_name="de Boer")
    student = StudentFactory(school=school, first_name="Noah", last_name="Jansen")
    case = CaseFactory(student=student, opened_by=juf)
    observation = ObservationFactory(
        case=case, author=juf, place="gymzaal", situation="Bij het omkleden gezien",
        observed_at=datetime(2026, 3, 2, 9, 30, tzinfo=UTC), status="concept",
    )
    StatementFactory(observation=observation, kind="feit", text="Blauwe plek op de rug")
    hypothesis = StatementFactory(observation=observation, kind="hypothese",
                                  text="Mogelijk thuis geslagen")
    freeze(observation)
    FollowUpFactory(observation=observation, statement=hypothesis, kind="weerlegd",
                    text="Moeder vertelde over een val van de trap",
                    created_at=datetime(2026, 3, 4, 15, 0, tzinfo=UTC))
    ObservationFactory(case=case, author=juf, status="concept", situation="Nog een concept")
    return case


def test_af_filters_and_prints_the_chronology_teacher_keeps_private_notes(page):
    case = _case_with_observations()

    login(page, "af")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Chronologie").click()
    page.get_by_role("heading", name="Chronologie", level=1).wait_for()
    assert_accessible(page, "chronology (AF)")
    assert page.get_by_text("Bij het omkleden gezien").is_visible()
    assert page.get_by_text("Nog een concept").count() == 0
    hypothesis = page.locator(".statement--hypothesis").first
    assert hypothesis.locator(".statement__label").inner_text().lower() == "hypothese"
    assert "Mogelijk thuis geslagen" in hypothesis.inner_text()

    page.get_by_label("Observaties", exact=True).uncheck()
    page.get_by_role("button", name="Filter toepassen").click()
    page.get_by_text("(gefilterd)").wait_for()
    assert page.get_by_text("Moeder vertelde over een val van de trap").is_visible()
    assert page.get_by_text("Bij het omkleden gezien").count() == 0
    assert_accessible(page, "chronology filtered")

    page.get_by_role("link", name="Afdrukversie").click()
    confirm_identity(page, "af")  # a print is an export: password and code again
    page.get_by_role("heading", name="Chronologie", level=1).wait_for()
    assert page.get_by_text("Noah Jansen").is_visible()
    assert page.get_by_text("Vertrouwelijk", exact=True).is_visible()
    assert page.get_by_text("Moeder vertelde over een val van de trap").is_visible()
    assert page.get_by_role("button", name="Afdrukken").is_visible()
    assert_accessible(page, "print view")
    page.emulate_media(media="print")
    assert not page.get_by_role("button", name="Afdrukken").is_visible()
    page.emulate_media(media="screen")
    page.goto("/")
    logout(page)

    login(page, "juf")
    page.goto(f"/casussen/{case.pk}/")
    page.get_by_role("link", name="Mijn werkaantekeningen (privé)").click()
    page.get_by_text("In deze applicatie ziet alleen u deze aantekeningen", exact=False).wait_for()
    assert_accessible(page, "work notes (empty)")
    note = "Noah zei iets over zijn oom; navragen bij IB"
    page.get_by_label("Aantekening", exact=True).fill(note)
    page.get_by_role("button", name="Aantekening bewaren").click()
    page.get_by_text("Uw werkaantekening is bewaard.").wait_for()
    assert page.locator(".worknote__text").inner_text() == note
    assert_accessible(page, "work notes (one note)")
    assert WorkNote.objects.filter(author__username="juf").count() == 1
    logout(page)

    login(page, "af")
    page.goto(f"/casussen/{case.pk}/werkaantekeningen/")
    page.get_by_text("U hebt nog geen werkaantekeningen bij deze casus.").wait_for()
    assert page.get_by_text("zijn oom").count() == 0
    page.goto(f"/casussen/{case.pk}/chronologie/")
    assert page.get_by_text("zijn oom").count() == 0
    page.goto(f"/casussen/{case.pk}/chronologie/afdrukken/")
    assert page.get_by_text("zijn oom").count() == 0


def test_af_reads_a_record_in_full_and_previews_the_dossier(page):
    case = _case_with_observations()
    af = User.objects.get(username="af")
    PhaseConclusion.objects.create(case=case, recorded_by=af, phase=Phase.SIGNALEREN,
                                   outcome="twijfel_bevestiging",
                                   argumentation="Drie keer blauwe plekken in twee weken.")
    login(page, "af")
    page.goto(f"/casussen/{case.pk}/")
    assert page.get_by_role("button", name="Dossier afdrukken").is_visible()
    page.get_by_role("link", name="Faseconclusie").click()
    page.get_by_role("heading", name="Alle gegevens").wait_for()
    assert page.get_by_text("Drie keer blauwe plekken in twee weken.").is_visible()
    assert_accessible(page, "record page")

    page.get_by_role("link", name="Terug naar de chronologie").click()
    full = page.locator("details.entry__full").first
    assert not full.locator("dd").first.is_visible()
    full.locator("summary").click()
    assert full.locator("dd").first.is_visible()
    assert_accessible(page, "chronology with the full text open")

    page.get_by_role("link", name="Afdrukversie").click()
    confirm_identity(page, "af")
    page.get_by_role("heading", name="Dossier", level=1).wait_for()
    assert page.get_by_role("link", name="Dossier afdrukken (PDF)").is_visible()
    assert page.get_by_text("Drie keer blauwe plekken in twee weken.").is_visible()
    assert_accessible(page, "dossier preview")


def test_a_word_of_ten_thousand_characters_does_not_widen_the_pages(page):
    case = _case_with_observations()
    af = User.objects.get(username="af")
    conclusion = PhaseConclusion.objects.create(
        case=case, recorded_by=af, phase=Phase.SIGNALEREN, outcome="twijfel_bevestiging",
        argumentation="x" * 10_000)
    login(page, "af")
    for url in (f"/casussen/{case.pk}/dossier/conclusion/{conclusion.pk}/",
                f"/casussen/{case.pk}/chronologie/"):
        page.goto(url)
        for details in page.locator("details.entry__full").all():
            details.locator("summary").click()
        assert page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"), url

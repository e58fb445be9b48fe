"""Journey: the AF imports the school's export, maps a header the product does not know,
confirms the dry run, and then finds the pupils in the search; then records a parent."""

from cases.models import Carer, Student
from meldcode.models import Role
from tests.browser.conftest import assert_accessible, login
from tests.factories import SchoolFactory, member
from tests.pupil_data import HEADERS, as_csv, pupil_rows, teacher_email, with_bad_rows


def test_af_imports_pupils_fixes_the_mapping_and_finds_them(page, tmp_path):
    school = SchoolFactory(name="De Regenboog")
    member(Role.AANDACHTSFUNCTIONARIS, school, username="af")
    for group in ("1a", "1b", "2a", "2b", "3a", "3b", "4a", "4b", "5a", "5b"):
        member(Role.LEERKRACHT, school, email=teacher_email(group))
    rows, _bad = with_bad_rows(pupil_rows(160))
    export = tmp_path / "parnassys-export.csv"
    export.write_bytes(as_csv(rows, encoding="cp1252",
                              headers=["Stamnummer", *HEADERS[1:]]))

    login(page, "af")
    page.get_by_role("link", name="Leerlingen importeren").click()
    page.get_by_role("heading", name="Leerlingen importeren voor De Regenboog").wait_for()
    assert_accessible(page, "import upload page")
    page.get_by_label("Bestand uit de leerlingadministratie").set_input_files(str(export))
    page.get_by_role("button", name="Proefimport bekijken").click()

    page.get_by_role("heading", name="Proefimport voor De Regenboog").wait_for()
    page.get_by_text("Deze kolommen zijn niet gevonden: Leerlingnummer").wait_for()
    assert_accessible(page, "dry run with a missing column")
    page.get_by_label("Leerlingnummer").select_option("Stamnummer")
    page.get_by_role("button", name="Koppeling opslaan en opnieuw bekijken").click()
    page.get_by_text("De kolomkoppeling is opgeslagen voor deze school.").wait_for()
    page.get_by_text("148 leerlingen toegevoegd").wait_for()
    assert page.get_by_role("heading", name="Rijen die niet kunnen worden gelezen").is_visible()
    assert page.get_by_text("geboortedatum „31-02-2016” is geen geldige datum").is_visible()
    assert_accessible(page, "dry run")
    assert Student.objects.count() == 0  # nothing written before the confirmation

    page.get_by_role("button", name="Import bevestigen").click()
    page.get_by_text("De import is verwerkt: 148 toegevoegd").wait_for()
    assert_accessible(page, "after the import")
    assert Student.objects.filter(school=school).count() == 148

    page.get_by_role("link", name="Leerling zoeken").click()
    page.get_by_label("Naam, groep of leerlingnummer").fill("groep 5b")
    page.get_by_role("button", name="Zoeken").click()
    results = page.get_by_role("table", name="Gevonden leerlingen")
    results.wait_for()
    expected = Student.objects.filter(school=school, group="5b").count()
    assert expected > 0
    assert results.locator("tbody tr").count() == expected
    assert_accessible(page, "search by group")

    # The AF opens a pupil and adds a parent with gezag and a safety note.
    first = Student.objects.filter(school=school, group="5b").order_by("last_name",
                                                                       "first_name").first()
    results.get_by_role("link", name=first.full_name).click()
    # The pupil page first: every case of the pupil, then the way to the carers.
    page.get_by_role("heading", name=first.full_name, exact=True).wait_for()
    assert_accessible(page, "pupil page")
    page.get_by_role("link", name="Ouders/verzorgers", exact=True).click()
    page.get_by_role("heading", name=f"Ouders/verzorgers van {first.full_name}").wait_for()
    assert_accessible(page, "carers of a pupil")
    page.get_by_role("link", name="Ouder/verzorger toevoegen").click()
    page.get_by_label("Naam", exact=True).fill("Sanne de Wit")
    page.get_by_label("voogd", exact=True).check()
    page.get_by_label("ja, heeft gezag").check()
    page.get_by_label("Hoe is het gezag nagegaan").fill("Gezagsregister geraadpleegd")
    page.get_by_label("Veiligheidsnotitie").fill("Niet benaderen zonder overleg met VT.")
    assert_accessible(page, "carer form")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("Niet benaderen zonder overleg met VT.").wait_for()
    assert Carer.objects.filter(student=first, name="Sanne de Wit", gezag="ja").exists()

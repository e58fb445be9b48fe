"""The import in the browser: upload, dry run, mapping, confirm; and finding the imported
pupils by group."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cases.models import PupilImport, Student
from cases.services import imports
from meldcode.models import Role
from tests.factories import StudentFactory, member
from tests.pupil_data import GROUPS, HEADERS, as_csv, pupil_rows, teacher_email, with_bad_rows


@pytest.fixture
def school(personas):
    for group in GROUPS:
        member(Role.LEERKRACHT, personas.school, email=teacher_email(group))
    return personas.school


def _upload(client, school, data, name="leerlingen.csv"):
    return client.post(reverse("pupil_import", kwargs={"school_id": school.pk}),
                       {"file": SimpleUploadedFile(name, data)})


def test_upload_dry_run_and_confirm(client, personas, school):
    rows, bad = with_bad_rows(pupil_rows(150, start=50000))
    client.force_login(personas.af)
    response = _upload(client, school, as_csv(rows, encoding="cp1252"))
    upload = PupilImport.objects.get()
    assert response["Location"] == reverse("pupil_import_preview",
                                           kwargs={"import_id": upload.pk})
    assert Student.objects.count() == 1  # only the personas' pupil: nothing written yet

    html = client.get(response["Location"]).content.decode()
    assert f"{150 - len(bad.all)} leerlingen toegevoegd" in html
    assert "31-02-2016" in html and "staat vaker in het bestand" in html
    expected = json.dumps(imports.import_plan(school=school, data=bytes(upload.content)).counts)

    response = client.post(reverse("pupil_import_confirm", kwargs={"import_id": upload.pk}),
                           {"expected": expected}, follow=True)
    assert "De import is verwerkt" in response.content.decode()
    assert Student.objects.filter(school=school).count() == 1 + 150 - len(bad.all)
    upload.refresh_from_db()
    assert upload.status == "verwerkt" and bytes(upload.content) == b""
    # Confirming twice does nothing more.
    client.post(reverse("pupil_import_confirm", kwargs={"import_id": upload.pk}),
                {"expected": expected})
    assert Student.objects.filter(school=school).count() == 1 + 150 - len(bad.all)


def test_a_stale_dry_run_is_not_confirmed(client, personas, school):
    client.force_login(personas.af)
    _upload(client, school, as_csv(pupil_rows(20, start=50000)))
    upload = PupilImport.objects.get()
    stale = json.dumps(imports.import_plan(school=school, data=bytes(upload.content)).counts)
    StudentFactory(school=school, pupil_number="99999")  # someone changed the school since
    response = client.post(reverse("pupil_import_confirm", kwargs={"import_id": upload.pk}),
                           {"expected": stale}, follow=True)
    assert "sinds de proefimport veranderd" in response.content.decode()
    assert Student.objects.filter(school=school).count() == 2


def test_unknown_headers_are_mapped_on_the_dry_run_page(client, personas, school):
    headers = ["Nummer", *HEADERS[1:]]
    client.force_login(personas.beheerder)
    _upload(client, school, as_csv(pupil_rows(10, start=50000), headers=headers))
    upload = PupilImport.objects.get()
    preview = reverse("pupil_import_preview", kwargs={"import_id": upload.pk})
    html = client.get(preview).content.decode()
    assert "Deze kolommen zijn niet gevonden: Leerlingnummer" in html
    assert "<details open" in html

    form = {"pupil_number": "Nummer", "first_name": "Roepnaam", "infix": "Tussenvoegsel",
            "last_name": "Achternaam", "date_of_birth": "Geboortedatum", "group": "Groep",
            "teacher_emails": "Leerkracht e-mail"}
    response = client.post(reverse("pupil_import_mapping", kwargs={"import_id": upload.pk}),
                           form, follow=True)
    html = response.content.decode()
    assert "De kolomkoppeling is opgeslagen" in html
    assert "10 leerlingen toegevoegd" in html
    assert imports.saved_mapping(school)["pupil_number"] == "Nummer"


def test_preview_page_queries_bounded(client, personas, school, django_assert_max_num_queries):
    client.force_login(personas.af)
    rows, _bad = with_bad_rows(pupil_rows(600, start=50000))
    _upload(client, school, as_csv(rows))
    upload = PupilImport.objects.get()
    imports.import_run(actor=None, school=school, data=as_csv(rows[:300]),
                       skip_bad_rows=True)
    url = reverse("pupil_import_preview", kwargs={"import_id": upload.pk})
    with django_assert_max_num_queries(24):
        assert client.get(url).status_code == 200


def test_upload_and_index_pages_queries_bounded(client, personas, school,
                                                django_assert_max_num_queries):
    for _ in range(8):
        imports.import_run(actor=None, school=school, data=as_csv(pupil_rows(5, start=50000)))
    client.force_login(personas.beheerder)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pupil_import_index")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("pupil_import", kwargs={"school_id": school.pk})
                          ).status_code == 200


def test_an_unreadable_file_gets_a_dutch_message_not_a_500(client, personas, school):
    client.force_login(personas.af)
    _upload(client, school, b"PK\x03\x04kapot", name="export.xlsx")
    upload = PupilImport.objects.get()
    response = client.get(reverse("pupil_import_preview", kwargs={"import_id": upload.pk}))
    assert response.status_code == 200
    assert "Het Excelbestand kan niet worden gelezen" in response.content.decode()


@pytest.mark.parametrize(("query", "found"), [
    ("groep 5", {"5a", "5b", "groep 5", "groep 4/5"}), ("5b", {"5b"}), ("groep 5b", {"5b"}),
    ("Groep 5B", {"5b"}), ("5", {"5a", "5b", "groep 5", "groep 4/5"}), ("groep", set()),
    ("groep 4", {"groep 4/5"}), ("6", {"6b"}),
])
def test_pupils_are_found_by_group(client, personas, query, found):
    for group in ("5a", "5b", "groep 5", "15", "6b", "groep 4/5", "56"):
        StudentFactory(school=personas.school, group=group, first_name="Kind")
    client.force_login(personas.teacher_on_case)
    response = client.get(reverse("student_search"), {"q": query})
    assert {s.group for s in response.context["students"]} == found


def test_one_header_cannot_hold_two_fields(client, personas, school):
    client.force_login(personas.af)
    _upload(client, school, as_csv(pupil_rows(3, start=50000)))
    upload = PupilImport.objects.get()
    response = client.post(reverse("pupil_import_mapping", kwargs={"import_id": upload.pk}),
                           {"first_name": "Roepnaam", "last_name": "Roepnaam"}, follow=True)
    assert "is bij twee velden gekozen" in response.content.decode()
    assert imports.saved_mapping(school) == {}


def test_an_unconfirmed_upload_does_not_linger(client, personas, school):
    client.force_login(personas.af)
    _upload(client, school, as_csv(pupil_rows(3, start=50000)))
    old = PupilImport.objects.get()
    PupilImport.objects.filter(pk=old.pk).update(
        uploaded_at=timezone.now() - timedelta(days=2), school=personas.other_school)
    _upload(client, school, as_csv(pupil_rows(3, start=50000)))
    _upload(client, school, as_csv(pupil_rows(4, start=50000)))
    assert PupilImport.objects.count() == 1  # the old one elsewhere and the first one here

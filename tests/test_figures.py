"""The anonymised meldcode figures and the yearly evaluation: small counts suppressed (on
screen and in the CSV), totals not reconstructible, and the directie's evaluation PDF."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from audit.models import AuditEvent
from cases.models import AcuteReport, Observation
from inspection.models import SchoolYearEvaluation
from inspection.selectors.figures import build_figures
from meldcode.workdays import school_year_of
from tests.factories import CaseFactory, SchoolFactory, StudentFactory, submitted_observation


def _group(figures, key):
    return next(g for g in figures.groups if g.key == key)


def _shown(group) -> dict:
    return {c.key: c.shown for c in group.cells}


def test_counts_under_five_are_shown_as_less_than_five_and_cannot_be_worked_back():
    today = timezone.localdate()
    counts = Counter({"opened": 10, "source.eigen_waarneming": 3,
                      "source.verteld_door_ander": 7})
    figures = build_figures("School", counts, {}, today, today)
    shown = _shown(_group(figures, "source"))
    assert shown["source.eigen_waarneming"] == "<5"
    # 10 − 7 − 0 − 0 would give the 3 away: the smallest other count is hidden too.
    assert list(shown.values()).count("×") == 1
    assert figures.opened.shown == "10"


def test_a_small_total_hides_every_count_of_its_group():
    today = timezone.localdate()
    figures = build_figures("School", Counter({"opened": 3, "source.kind_vertelde": 3}), {},
                            today, today)
    assert figures.opened.shown == "<5"
    assert set(_shown(_group(figures, "source")).values()) <= {"<5", "×"}


def test_a_board_count_does_not_give_away_the_one_small_count_of_a_school():
    today = timezone.localdate()
    schools = [SchoolFactory.build(name="A"), SchoolFactory.build(name="B")]
    per_school = [Counter({"opened": 8, "outcome.acuut": 2}),
                  Counter({"opened": 9, "outcome.acuut": 6})]
    total = per_school[0] + per_school[1]
    figures = build_figures("Bestuur", total, {}, today, today, per_school=per_school,
                            schools=schools)
    # School B shows 6, school A "<5": a board count of 8 would tell A's is 2.
    assert _shown(_group(figures, "outcome"))["outcome.acuut"] == "×"


def test_medians_need_five_stays():
    today = timezone.localdate()
    figures = build_figures("School", Counter(), {"signaleren": [1, 2, 3, 4],
                                                  "consultatie": [1, 2, 3, 4, 10]},
                            today, today)
    medians = {m.phase: m for m in figures.medians}
    assert medians["signaleren"].days is None and medians["signaleren"].count == 4
    assert medians["consultatie"].days == 3


@pytest.fixture
def small_school(personas):
    """Three cases from the teacher's own observation this school year, one acute."""
    for _n in range(3):
        case = CaseFactory(student=StudentFactory(school=personas.school),
                           opened_by=personas.teacher_on_case)
        submitted_observation(case, origin=Observation.Origin.OWN)
    AcuteReport.objects.create(case=case, phase_before="signaleren", called_at=timezone.now(),
                               called_by=personas.af, vt_contact="VT", reason="Gevaar",
                               recorded_by=personas.af)
    return personas


def test_the_directie_sees_its_school_with_small_counts_suppressed(client, small_school):
    p = small_school
    client.force_login(p.directie)
    response = client.get(reverse("figures"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert figures.title == p.school.name
    # The personas' case has no observation; the three have one each.
    assert figures.opened.shown == "<5"
    html = response.content.decode()
    assert "<svg" in html and "<table" in html
    assert p.case.student.last_name not in html


def test_small_counts_are_suppressed_in_the_csv_too(client, small_school):
    client.force_login(small_school.directie)
    response = client.get(reverse("figures_export"))
    text = b"".join(response.streaming_content).decode("utf-8")
    lines = text.splitlines()
    own = next(line for line in lines if line.startswith("Nieuwe casussen naar bron;Eigen"))
    assert own.endswith(";<5")
    acute = next(line for line in lines if "Acuut onveilig" in line)
    assert acute.endswith(";<5")
    assert not any(line.endswith(";3") or line.endswith(";4") or line.endswith(";1")
                   for line in lines)
    assert AuditEvent.objects.filter(action="figures.exported").count() == 1


def test_the_bestuur_sees_its_board_and_each_school(client, small_school):
    p = small_school
    client.force_login(p.bestuur)
    response = client.get(reverse("figures"))
    assert response.context["figures"].title == p.school.board.name
    assert _group(response.context["figures"], "schools")
    response = client.get(reverse("figures"), {"scope": str(p.other_school.pk)})
    assert response.context["figures"].title == p.other_school.name


def test_bad_input_falls_back_to_the_defaults(client, personas):
    client.force_login(personas.directie)
    response = client.get(reverse("figures"), {"scope": "zomaar", "schooljaar": "1800"})
    assert response.status_code == 200
    year = school_year_of(timezone.localdate())
    assert response.context["year"] == year


def test_the_directie_writes_the_yearly_evaluation_and_prints_it_on_one_page(client,
                                                                             personas):
    year = school_year_of(timezone.localdate())
    url = reverse("evaluation_edit", args=[personas.school.pk, year])
    client.force_login(personas.directie)
    response = client.post(url, {"evaluatie": "De routes werkten; consultatie was traag.",
                                 "acties": "Scholing voor nieuwe leerkrachten."})
    assert response.status_code == 302
    record = SchoolYearEvaluation.objects.get(school=personas.school, school_year=year)
    assert record.updated_by == personas.directie
    event = AuditEvent.objects.get(action="evaluation.saved")
    assert event.data == {"school_year": year}  # the text stays out of the trail
    response = client.get(reverse("evaluation_pdf", args=[personas.school.pk, year]))
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "consultatie was traag" in text and "Scholing voor nieuwe" in text
    assert "Casussen geopend" in text
    assert AuditEvent.objects.filter(action="evaluation.printed").count() == 1
    # A later school year cannot be written yet; the bestuur reads, never writes.
    later = reverse("evaluation_edit", args=[personas.school.pk, year + 1])
    assert client.get(later).status_code == 404
    client.force_login(personas.bestuur)
    assert client.get(url).status_code == 403
    assert client.get(reverse("evaluation_pdf", args=[personas.school.pk,
                                                      year])).status_code == 200


def test_figures_count_within_the_school_year(client, personas):
    client.force_login(personas.directie)
    year = school_year_of(timezone.localdate())
    last = client.get(reverse("figures"), {"schooljaar": str(year - 1)}).context["figures"]
    assert last.opened.value == 0
    now = client.get(reverse("figures")).context["figures"]
    assert now.opened.value == 1
    assert now.end - now.start > timedelta(days=360)


def test_another_period_than_a_school_year(client, personas):
    client.force_login(personas.directie)
    today = timezone.localdate()
    figures = client.get(reverse("figures"), {"van": today.isoformat(),
                                              "tot": today.isoformat()}).context["figures"]
    assert (figures.start, figures.end, figures.opened.value) == (today, today, 1)
    response = client.get(reverse("figures"), {"van": today.isoformat()})
    assert response.status_code == 200
    assert "Vul beide datums in" in response.content.decode()
    assert response.context["figures"].end - response.context["figures"].start > timedelta(
        days=360)

"""The signal lists: the fixture, the list a pupil gets, versioning and the maintenance pages."""

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse

from audit.models import AuditEvent
from cases.errors import DomainError
from meldcode.models import Role
from signals_catalog import services
from signals_catalog.models import AgeBand, Category, Signal, SignalList
from tests.factories import (
    ObservationFactory,
    StudentFactory,
    ensure_signal_lists,
    freeze,
    member,
)

GENERAL, SEXUAL = Category.Block.GENERAL, Category.Block.SEXUAL_ABUSE
FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "signal_lists.json"

EXPECTED_COUNTS = {
    "0-4": [
        (GENERAL, "Lichamelijk welzijn", 16),
        (GENERAL, "Gedrag van het kind", 17),
        (GENERAL, "Tegenover andere kinderen", 4),
        (GENERAL, "Tegenover ouders", 6),
        (GENERAL, "Tegenover andere volwassenen", 12),
        (GENERAL, "Overig", 3),
        (GENERAL, "Gedrag van de ouder", 12),
        (GENERAL, "Gezinssituatie", 6),
        (SEXUAL, "Lichamelijk welzijn", 8),
        (SEXUAL, "Gedrag van het kind", 4),
    ],
    "4-12": [
        (GENERAL, "Lichamelijk welzijn", 17),
        (GENERAL, "Gedrag van het kind", 18),
        (GENERAL, "Tegenover andere kinderen", 5),
        (GENERAL, "Tegenover ouders", 6),
        (GENERAL, "Tegenover andere volwassenen", 12),
        (GENERAL, "Overig", 5),
        (GENERAL, "Gedrag van de ouder", 12),
        (GENERAL, "Gezinssituatie", 6),
        (SEXUAL, "Lichamelijk welzijn", 8),
        (SEXUAL, "Gedrag van het kind", 5),
    ],
}


@pytest.fixture
def lists(db):
    ensure_signal_lists()
    return {band.code: band.lists.get(is_current=True) for band in AgeBand.objects.all()}


@pytest.fixture
def beheerder(db):
    from tests.factories import SchoolFactory

    return member(Role.BEHEERDER, board=SchoolFactory().board, username="beheer.catalogus")


def texts(signal_list, category_name, block=GENERAL):
    return list(
        Signal.objects.filter(category__signal_list=signal_list, category__name=category_name,
                              category__block=block)
        .order_by("position").values_list("text", flat=True)
    )


def current(code):
    return SignalList.objects.get(age_band__code=code, is_current=True)


def current_signal(code, text, block=GENERAL):
    return Signal.objects.get(category__signal_list=current(code), category__block=block,
                              text=text)


# --- The fixture ------------------------------------------------------------------------


def test_migration_loads_both_lists_as_current_version_1(lists):
    assert set(lists) == {"0-4", "4-12"}
    for signal_list in lists.values():
        assert signal_list.version == 1
        assert signal_list.published_by is None
    assert SignalList.objects.count() == 2


@pytest.mark.parametrize("code", ["0-4", "4-12"])
def test_every_category_is_complete(lists, code):
    categories = services.ordered_categories(lists[code])
    found = [(c.block, c.name, len(c.signals_for_age)) for c in categories]
    assert found == EXPECTED_COUNTS[code]


def test_age_bands_edges(lists):
    young, older = AgeBand.objects.get(code="0-4"), AgeBand.objects.get(code="4-12")
    assert (young.min_age, young.max_age) == (0, 4)
    assert (older.min_age, older.max_age) == (4, None)


def test_sexual_abuse_block_in_both_lists(lists):
    for signal_list in lists.values():
        assert "Jeuk bij vagina of anus" in texts(signal_list, "Lichamelijk welzijn", SEXUAL)
        assert "Afkeer van lichamelijk contact" in texts(signal_list, "Gedrag van het kind",
                                                         SEXUAL)
    assert "Zoekt seksuele toenadering tot volwassenen" in texts(
        lists["4-12"], "Gedrag van het kind", SEXUAL)


def test_only_the_12_18_item_has_a_minimum_age(lists):
    marked = Signal.objects.filter(min_age__isnull=False)
    assert [(s.text, s.min_age, s.category.signal_list.age_band.code) for s in marked] == [
        ("Vluchtige vriendschappen", 12, "4-12")
    ]


def test_seed_typos_are_fixed(lists):
    all_texts = set(Signal.objects.values_list("text", flat=True))
    assert not {t for t in all_texts if "kienst" in t or "vak ziek" in t.lower()
                or "volgzzaam" in t}
    for signal_list in lists.values():
        body = texts(signal_list, "Lichamelijk welzijn")
        assert {"Kind stinkt", "Vaak ziek", "Snij-, krab- en bijtwonden"} <= set(body)
        assert "Volgzaam" in texts(signal_list, "Tegenover ouders")
        assert "Volgzaam" in texts(signal_list, "Tegenover andere volwassenen")


def test_source_and_introduction(lists):
    for signal_list in lists.values():
        assert ("Nederlands Jeugdinstituut: Wolzak, A. (2009, 6e druk). Kindermishandeling: "
                "signaleren en handelen.") in signal_list.source
        assert "niet om kindermishandeling te bewijzen" in signal_list.introduction
        assert "een andere oorzaak" in signal_list.introduction


def test_database_matches_the_fixture_in_order(lists):
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for entry in data["lists"]:
        categories = services.ordered_categories(lists[entry["age_band"]["code"]])
        assert [c.name for c in categories] == [c["name"] for c in entry["categories"]]
        for category, expected in zip(categories, entry["categories"], strict=True):
            expected_texts = [s if isinstance(s, str) else s["text"] for s in expected["signals"]]
            assert [s.text for s in category.signals_for_age] == expected_texts


def test_loading_is_idempotent_and_reloads_after_a_flush(lists):
    ensure_signal_lists()
    assert Signal.objects.count() == 88 + 94
    Signal.objects.all().delete()
    Category.objects.all().delete()
    SignalList.objects.all().delete()
    ensure_signal_lists()
    assert Signal.objects.count() == 88 + 94
    assert SignalList.objects.filter(is_current=True, version=1).count() == 2
    assert AgeBand.objects.count() == 2


# --- Which list a pupil gets ------------------------------------------------------------


def pupil(born):
    return StudentFactory.build(date_of_birth=born)


def band_on(born, day):
    band = services.age_band_for(pupil(born), day)
    return band.code if band else None


def has_12_18_item(born, day):
    return any(s.text == "Vluchtige vriendschappen"
               for c in services.signals_for(pupil(born), day) for s in c.signals_for_age)


def test_band_switches_on_the_fourth_birthday(lists):
    born = date(2016, 5, 17)
    assert band_on(born, date(2016, 5, 17)) == "0-4"
    assert band_on(born, date(2020, 5, 16)) == "0-4"
    assert band_on(born, date(2020, 5, 17)) == "4-12"
    assert services.signal_list_for(pupil(born), date(2020, 5, 16)) == lists["0-4"]
    assert services.signal_list_for(pupil(born), date(2020, 5, 17)) == lists["4-12"]


def test_list_follows_the_observation_date_not_today(lists):
    born = date(2016, 5, 17)
    # An observation of a three-year-old, logged years later, still gets the 0-4 list.
    assert band_on(born, date(2019, 9, 1)) == "0-4"
    assert band_on(born, date(2040, 1, 1)) == "4-12"  # no upper bound: older pupils too


def test_observation_datetime_counts_in_local_time(lists):
    born = date(2016, 5, 17)
    amsterdam = ZoneInfo("Europe/Amsterdam")
    # 23:30 UTC on the 16th is already the birthday in Amsterdam.
    assert band_on(born, datetime(2020, 5, 16, 23, 30, tzinfo=ZoneInfo("UTC"))) == "4-12"
    assert band_on(born, datetime(2020, 5, 16, 23, 30, tzinfo=amsterdam)) == "0-4"


def test_no_list_before_birth(lists):
    born = date(2016, 5, 17)
    assert band_on(born, date(2016, 5, 16)) is None
    assert services.signal_list_for(pupil(born), date(2016, 5, 16)) is None
    assert services.signals_for(pupil(born), date(2016, 5, 16)) == []


def test_12_18_items_from_the_twelfth_birthday(lists):
    born = date(2010, 3, 10)
    assert not has_12_18_item(born, date(2022, 3, 9))
    assert has_12_18_item(born, date(2022, 3, 10))
    assert not has_12_18_item(born, date(2012, 3, 10))  # the 0-4 list never has it


def test_leap_day_birthdays(lists):
    born = date(2016, 2, 29)
    assert band_on(born, date(2020, 2, 28)) == "0-4"
    assert band_on(born, date(2020, 2, 29)) == "4-12"
    # 2100 is no leap year: the fourth birthday counts from 1 March.
    born = date(2096, 2, 29)
    assert band_on(born, date(2100, 2, 28)) == "0-4"
    assert band_on(born, date(2100, 3, 1)) == "4-12"
    born = date(2012, 2, 29)
    assert not has_12_18_item(born, date(2024, 2, 28))
    assert has_12_18_item(born, date(2024, 2, 29))


def test_signals_for_groups_blocks_in_list_order(lists):
    categories = services.signals_for(pupil(date(2015, 1, 1)), date(2024, 6, 1))
    assert [c.block for c in categories] == [GENERAL] * 8 + [SEXUAL] * 2
    assert categories[0].name == "Lichamelijk welzijn"
    assert categories[0].signals_for_age[0].text == "Blauwe plekken"
    assert all(c.signal_list == lists["4-12"] for c in categories)
    groups = services.group_by_block(categories)
    assert [(block, len(cats)) for block, _label, cats in groups] == [(GENERAL, 8), (SEXUAL, 2)]


def test_signals_queryset_matches_signals_for(lists):
    student, day = pupil(date(2010, 3, 10)), date(2022, 3, 9)
    from_list = {s.pk for c in services.signals_for(student, day) for s in c.signals_for_age}
    assert set(services.signals_queryset_for(student, day).values_list("pk", flat=True)) == (
        from_list
    )
    assert len(from_list) == 93


def test_signals_for_query_count_is_bounded(lists, django_assert_num_queries):
    # 10 categories and 94 signals: one query per category or signal would show at once.
    with django_assert_num_queries(3):
        categories = services.signals_for(pupil(date(2010, 3, 10)), date(2024, 6, 1))
        assert sum(len(c.signals_for_age) for c in categories) == 94


# --- Versioning -------------------------------------------------------------------------


def test_add_publishes_a_new_version_and_keeps_the_old(lists, beheerder):
    overig = Category.objects.get(signal_list=lists["4-12"], name="Overig")
    new = services.signal_add(actor=beheerder, category=overig, text="  Veel   schoolverzuim ",
                              min_age=12)
    old = SignalList.objects.get(pk=lists["4-12"].pk)
    assert (new.version, new.is_current, old.is_current) == (2, True, False)
    assert new.published_by == beheerder
    assert "Veel schoolverzuim" in new.change_summary
    assert texts(old, "Overig") == ["Plotselinge gedragsverandering",
                                    "Gedraagt zich niet naar zijn leeftijd",
                                    "Taal- en spraakstoornissen", "Slechte leerprestaties",
                                    "Rondhangen na school"]
    assert texts(new, "Overig") == texts(old, "Overig") + ["Veel schoolverzuim"]
    assert Signal.objects.get(category__signal_list=new, text="Veel schoolverzuim").min_age == 12
    # Every other signal is copied, the 12-18 mark included.
    assert Signal.objects.filter(category__signal_list=new).count() == 95
    assert Signal.objects.get(category__signal_list=new,
                              text="Vluchtige vriendschappen").min_age == 12
    assert lists["0-4"].pk == current("0-4").pk  # the other band is untouched
    event = AuditEvent.objects.get(action="catalog.version.published")
    assert event.data["band"] == "4-12"
    assert event.data["version"] == 2
    assert event.data["change"] == "signal_added"
    assert event.actor == beheerder
    assert event.subject_id == str(new.pk)


def test_each_change_is_a_new_version_with_one_current_per_band(lists, beheerder):
    services.signal_retire(actor=beheerder, signal=current_signal("0-4", "Oververmoeid"))
    services.signal_reword(actor=beheerder, signal=current_signal("0-4", "Labiel"),
                           text="Emotioneel labiel")
    overig = Category.objects.get(signal_list=current("0-4"), name="Overig")
    services.signal_add(actor=beheerder, category=overig, text="Schoolverzuim")
    versions = SignalList.objects.filter(age_band__code="0-4").order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [
        (1, False), (2, False), (3, False), (4, True)]
    assert [Signal.objects.filter(category__signal_list=v).count() for v in versions] == [
        88, 87, 87, 88]
    assert SignalList.objects.filter(is_current=True).count() == 2
    assert AuditEvent.objects.filter(action="catalog.version.published").count() == 3


def test_the_database_refuses_two_current_versions(lists):
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalList.objects.create(age_band=lists["0-4"].age_band, version=2, title="x",
                                  source="x", is_current=True)


def test_observation_keeps_the_text_it_recorded(lists, beheerder):
    signal = current_signal("4-12", "Blauwe plekken")
    observation = ObservationFactory(status="concept")
    observation.signals.add(signal)
    freeze(observation)

    services.signal_reword(actor=beheerder, signal=signal,
                           text="Blauwe plekken op ongebruikelijke plaatsen")
    reworded = current_signal("4-12", "Blauwe plekken op ongebruikelijke plaatsen")
    services.signal_retire(actor=beheerder, signal=reworded)

    recorded = list(observation.signals.select_related("category__signal_list"))
    assert [s.text for s in recorded] == ["Blauwe plekken"]
    assert recorded[0].pk == signal.pk
    assert recorded[0].category.signal_list.version == 1
    assert "Blauwe plekken" not in texts(current("4-12"), "Lichamelijk welzijn")
    assert not any("Blauwe plekken" in t for t in texts(current("4-12"), "Lichamelijk welzijn"))
    assert texts(lists["4-12"], "Lichamelijk welzijn")[0] == "Blauwe plekken"


def test_retire_leaves_earlier_versions_alone(lists, beheerder):
    new = services.signal_retire(actor=beheerder, signal=current_signal("4-12", "Te dik"))
    assert "Te dik" not in texts(new, "Lichamelijk welzijn")
    assert "Te dik" in texts(lists["4-12"], "Lichamelijk welzijn")
    event = AuditEvent.objects.get(action="catalog.version.published")
    assert event.data["change"] == "signal_retired"


def test_a_signal_of_an_old_version_cannot_be_changed(lists, beheerder):
    old_signal = current_signal("4-12", "Te dik")
    services.signal_reword(actor=beheerder, signal=current_signal("4-12", "Brandwonden"),
                           text="Brandwonden of brandplekken")
    with pytest.raises(DomainError, match="intussen gewijzigd"):
        services.signal_retire(actor=beheerder, signal=old_signal)
    old_category = Category.objects.get(signal_list=lists["4-12"], name="Overig")
    with pytest.raises(DomainError, match="intussen gewijzigd"):
        services.signal_add(actor=beheerder, category=old_category, text="Schoolverzuim")
    assert current("4-12").version == 2


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "Vul de tekst"),
    ("kind stinkt", "staat al in deze categorie"),
    ("x" * 301, "te lang"),
])
def test_add_guards(lists, beheerder, text, message):
    category = Category.objects.get(signal_list=lists["0-4"], name="Lichamelijk welzijn",
                                    block=GENERAL)
    with pytest.raises(DomainError, match=message):
        services.signal_add(actor=beheerder, category=category, text=text)
    assert current("0-4").version == 1
    assert not AuditEvent.objects.filter(action="catalog.version.published").exists()


def test_reword_guards(lists, beheerder):
    signal = current_signal("0-4", "Kind stinkt")
    with pytest.raises(DomainError, match="gelijk aan de huidige"):
        services.signal_reword(actor=beheerder, signal=signal, text="Kind stinkt")
    with pytest.raises(DomainError, match="staat al"):
        services.signal_reword(actor=beheerder, signal=signal, text="vaak ziek")
    with pytest.raises(DomainError, match="tussen 0 en 18"):
        services.signal_add(actor=beheerder, category=signal.category, text="Nieuw", min_age=19)


def test_the_last_signal_of_a_category_stays(lists, beheerder):
    for text in ("Plotselinge gedragsverandering", "Gedraagt zich niet naar zijn leeftijd"):
        services.signal_retire(actor=beheerder, signal=current_signal("0-4", text))
    with pytest.raises(DomainError, match="laatste signaal"):
        services.signal_retire(actor=beheerder,
                               signal=current_signal("0-4", "Taal- en spraakstoornissen"))
    assert current("0-4").version == 3


# --- Pages ------------------------------------------------------------------------------


def test_band_page_shows_current_version_and_history(client, lists, beheerder):
    services.signal_reword(actor=beheerder, signal=current_signal("4-12", "Te dik"),
                           text="Overgewicht")
    client.force_login(beheerder)
    response = client.get(reverse("catalog_band", kwargs={"code": "4-12"}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Overgewicht" in body and "Te dik" in body  # the summary names the old text
    assert "Versie 2" in body and "Versie 1" in body
    assert "Signalen specifiek voor seksueel misbruik" in body
    assert "12-18" in body
    old = client.get(reverse("catalog_version", kwargs={"code": "4-12", "version": 1}))
    assert "<li>Te dik</li>" in old.content.decode()
    assert "/beheer/signalen/signaal/" not in old.content.decode()  # old versions: read-only
    assert "/beheer/signalen/signaal/" in body


def test_add_through_the_page(client, lists, beheerder):
    client.force_login(beheerder)
    overig = Category.objects.get(signal_list=lists["0-4"], name="Overig")
    url = reverse("catalog_signal_add", kwargs={"code": "0-4"})
    response = client.post(url, {"category": overig.pk, "text": "Schoolverzuim"})
    assert response.status_code == 302
    assert "Schoolverzuim" in texts(current("0-4"), "Overig")
    assert current("0-4").version == 2


def test_invalid_add_keeps_the_input_and_explains(client, lists, beheerder):
    client.force_login(beheerder)
    overig = Category.objects.get(signal_list=lists["0-4"], name="Overig")
    url = reverse("catalog_signal_add", kwargs={"code": "0-4"})
    response = client.post(url, {"category": overig.pk, "text": "Taal- en spraakstoornissen",
                                 "min_age": "2"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit signaal staat al in deze categorie." in body
    assert 'value="Taal- en spraakstoornissen"' in body
    response = client.post(url, {"text": ""})
    assert "Dit veld is verplicht." in response.content.decode()
    assert current("0-4").version == 1


def test_reword_and_retire_through_the_pages(client, lists, beheerder):
    client.force_login(beheerder)
    signal = current_signal("4-12", "Eetstoornissen")
    edit = client.get(reverse("catalog_signal_edit", kwargs={"signal_id": signal.pk}))
    assert 'value="Eetstoornissen"' in edit.content.decode()
    same = client.post(reverse("catalog_signal_reword", kwargs={"signal_id": signal.pk}),
                       {"text": "Eetstoornissen"})
    assert "gelijk aan de huidige tekst" in same.content.decode()
    response = client.post(reverse("catalog_signal_reword", kwargs={"signal_id": signal.pk}),
                           {"text": "Eetproblemen of eetstoornis"})
    assert response.status_code == 302
    reworded = current_signal("4-12", "Eetproblemen of eetstoornis")
    response = client.post(reverse("catalog_signal_retire", kwargs={"signal_id": reworded.pk}))
    assert response.status_code == 302
    assert current("4-12").version == 3
    # The old signal's page no longer offers the forms.
    stale = client.get(reverse("catalog_signal_edit", kwargs={"signal_id": signal.pk}))
    assert "eerdere versie" in stale.content.decode()
    assert reverse("catalog_signal_reword", kwargs={"signal_id": signal.pk}) not in (
        stale.content.decode())
    assert reverse("catalog_signal_reword", kwargs={"signal_id": signal.pk}) in (
        edit.content.decode())
    refused = client.post(reverse("catalog_signal_retire", kwargs={"signal_id": signal.pk}))
    assert refused.status_code == 302
    assert current("4-12").version == 3


def test_maintenance_is_post_only(client, lists, beheerder):
    client.force_login(beheerder)
    signal = current_signal("4-12", "Te dik")
    for name, kwargs in [("catalog_signal_add", {"code": "4-12"}),
                         ("catalog_signal_reword", {"signal_id": signal.pk}),
                         ("catalog_signal_retire", {"signal_id": signal.pk})]:
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 405


def test_teacher_reads_the_current_lists(client, lists, beheerder):
    services.signal_add(actor=beheerder,
                        category=Category.objects.get(signal_list=lists["4-12"], name="Overig"),
                        text="Schoolverzuim")
    from tests.factories import SchoolFactory

    teacher = member(Role.LEERKRACHT, SchoolFactory())
    client.force_login(teacher)
    body = client.get(reverse("signal_lists")).content.decode()
    assert "kinderen van 0-4 jaar" in body and "kinderen van 4-12 jaar" in body
    assert "Schoolverzuim" in body
    assert "Vluchtige vriendschappen" in body and "12-18" in body
    assert "Wolzak, A. (2009, 6e druk)" in body
    assert "bewijst nooit" in body
    assert "/beheer/signalen/signaal/" not in body  # no maintenance links for teachers


def add_many_signals(signal_list, n=60):
    categories = list(signal_list.categories.all())
    Signal.objects.bulk_create(
        Signal(category=categories[i % len(categories)], text=f"Extra signaal {i}",
               position=100 + i)
        for i in range(n)
    )


def test_list_pages_query_count_is_bounded(client, lists, beheerder,
                                           django_assert_max_num_queries):
    for signal_list in lists.values():
        add_many_signals(signal_list)
    client.force_login(beheerder)
    pages = [("catalog_band", {"code": "4-12"}, 12), ("signal_lists", {}, 12),
             ("catalog_version", {"code": "4-12", "version": 1}, 10), ("catalog_index", {}, 8)]
    for name, kwargs, bound in pages:
        with django_assert_max_num_queries(bound):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200


def test_catalog_services_require_the_beheerder(personas):
    from django.core.exceptions import PermissionDenied

    from signals_catalog.models import Signal
    from signals_catalog.services import signal_reword

    signal = Signal.objects.filter(category__signal_list__is_current=True).first()
    with pytest.raises(PermissionDenied):
        signal_reword(actor=personas.af, signal=signal, text="Iets anders")

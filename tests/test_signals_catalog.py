"""The signal lists: the fixture, the list a pupil gets, versioning and the maintenance pages."""

import json
import re
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
    SchoolFactory,
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
def school(db):
    return SchoolFactory(name="De Regenboog")


@pytest.fixture
def board(school):
    return school.board


@pytest.fixture
def beheerder(board):
    return member(Role.BEHEERDER, board=board, username="beheer.catalogus")


@pytest.fixture
def other_school(db):
    """A school of another board, with a beheerder of its own."""
    return SchoolFactory(name="Het Kompas")


@pytest.fixture
def other_beheerder(other_school):
    return member(Role.BEHEERDER, board=other_school.board, username="beheer.kompas")


def texts(signal_list, category_name, block=GENERAL):
    return list(
        Signal.objects.filter(category__signal_list=signal_list, category__name=category_name,
                              category__block=block)
        .order_by("position").values_list("text", flat=True)
    )


def current(code, board=None):
    """The current version of `board` (None: the national list); DoesNotExist if it has none."""
    return SignalList.objects.get(age_band__code=code, is_current=True, board=board)


def in_use(code, board):
    """The version `board` uses: its own current one, else the national one."""
    own = SignalList.objects.filter(age_band__code=code, is_current=True, board=board).first()
    return own or current(code)


def current_signal(code, text, block=GENERAL, board=None):
    return Signal.objects.get(category__signal_list=in_use(code, board), category__block=block,
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


# --- Versioning per board ---------------------------------------------------------------


def publish_add(actor, board, code="4-12", text="Schoolverzuim", category="Overig"):
    overig = Category.objects.get(signal_list=in_use(code, board), name=category,
                                  block=GENERAL)
    return services.signal_add(actor=actor, board=board, category=overig, text=text)


def test_first_change_copies_the_national_list_into_a_board_version(lists, board, beheerder):
    overig = Category.objects.get(signal_list=lists["4-12"], name="Overig")
    new = services.signal_add(actor=beheerder, board=board, category=overig,
                              text="  Veel   schoolverzuim ", min_age=12)
    national = SignalList.objects.get(pk=lists["4-12"].pk)
    assert (new.board, new.version, new.is_current) == (board, 2, True)
    # The national list is untouched and still current for every other board.
    assert national.is_current and national.board is None
    assert current("4-12") == national
    assert new.published_by == beheerder
    assert "Veel schoolverzuim" in new.change_summary
    assert texts(national, "Overig") == ["Plotselinge gedragsverandering",
                                         "Gedraagt zich niet naar zijn leeftijd",
                                         "Taal- en spraakstoornissen", "Slechte leerprestaties",
                                         "Rondhangen na school"]
    assert texts(new, "Overig") == texts(national, "Overig") + ["Veel schoolverzuim"]
    assert Signal.objects.get(category__signal_list=new, text="Veel schoolverzuim").min_age == 12
    # Every other signal is copied, the 12-18 mark included.
    assert Signal.objects.filter(category__signal_list=new).count() == 95
    assert Signal.objects.filter(category__signal_list=national).count() == 94
    assert Signal.objects.get(category__signal_list=new,
                              text="Vluchtige vriendschappen").min_age == 12
    assert lists["0-4"].pk == current("0-4").pk  # the other band is untouched
    assert not SignalList.objects.filter(board=board, age_band__code="0-4").exists()
    event = AuditEvent.objects.get(action="catalog.version.published")
    assert event.data["band"] == "4-12"
    assert event.data["board"] == str(board.pk)
    assert event.data["version"] == 2
    assert event.data["previous_version"] == 1
    assert event.data["previous_national"] is True
    assert event.data["change"] == "signal_added"
    assert event.actor == beheerder
    assert event.subject_id == str(new.pk)


def test_each_change_is_a_new_board_version_with_one_current(lists, board, beheerder):
    services.signal_retire(actor=beheerder, board=board,
                           signal=current_signal("0-4", "Oververmoeid", board=board))
    services.signal_reword(actor=beheerder, board=board,
                           signal=current_signal("0-4", "Labiel", board=board),
                           text="Emotioneel labiel")
    publish_add(beheerder, board, code="0-4")
    versions = SignalList.objects.filter(age_band__code="0-4", board=board).order_by("version")
    assert [(v.version, v.is_current) for v in versions] == [(2, False), (3, False), (4, True)]
    assert [Signal.objects.filter(category__signal_list=v).count() for v in versions] == [
        87, 87, 88]
    assert current("0-4") == lists["0-4"]
    assert SignalList.objects.filter(board__isnull=True, is_current=True).count() == 2
    events = AuditEvent.objects.filter(action="catalog.version.published").order_by("pk")
    assert [(e.data["previous_version"], e.data["version"], e.data["previous_national"])
            for e in events] == [(1, 2, True), (2, 3, False), (3, 4, False)]
    assert {e.data["board"] for e in events} == {str(board.pk)}


def test_version_numbers_count_on_from_the_national_version(lists, board, beheerder,
                                                           other_school, other_beheerder):
    # As if the meldcode had been updated four times: the national list is at version 5.
    SignalList.objects.filter(pk=lists["4-12"].pk).update(version=5)
    assert publish_add(beheerder, board).version == 6
    assert publish_add(beheerder, board, text="Spijbelen").version == 7
    # Another board's chain starts from the national version too, and numbers on its own.
    other = publish_add(other_beheerder, other_school.board)
    assert (other.version, other.board) == (6, other_school.board)
    assert "Spijbelen" not in texts(other, "Overig")
    assert [(v.board_id, v.version) for v in SignalList.objects.filter(
        age_band__code="4-12", is_current=True).order_by("version", "board__name")] == [
        (None, 5), (other_school.board_id, 6), (board.pk, 7)]


def test_board_a_publishes_and_only_board_a_pupils_get_it(lists, school, board, beheerder,
                                                         other_school):
    ours = StudentFactory(school=school, date_of_birth=date(2015, 1, 1))
    theirs = StudentFactory(school=other_school, date_of_birth=date(2015, 1, 1))
    sister_school = SchoolFactory(board=board)
    sibling = StudentFactory(school=sister_school, date_of_birth=date(2015, 1, 1))
    day = date(2024, 6, 1)
    new = services.signal_reword(actor=beheerder, board=board,
                                 signal=current_signal("4-12", "Te dik"), text="Overgewicht")

    assert services.signal_list_for(ours, day) == new
    assert services.signal_list_for(sibling, day) == new  # every school of the board
    assert services.signal_list_for(theirs, day) == lists["4-12"]
    ours_texts = {s.text for c in services.signals_for(ours, day) for s in c.signals_for_age}
    theirs_texts = {s.text for c in services.signals_for(theirs, day) for s in c.signals_for_age}
    assert "Overgewicht" in ours_texts and "Te dik" not in ours_texts
    assert "Te dik" in theirs_texts and "Overgewicht" not in theirs_texts
    assert all(c.signal_list == new for c in services.signals_for(ours, day))
    assert set(services.signals_queryset_for(ours, day).values_list(
        "category__signal_list", flat=True)) == {new.pk}
    assert set(services.signals_queryset_for(theirs, day).values_list(
        "category__signal_list", flat=True)) == {lists["4-12"].pk}
    # The other band of board A is still the national one.
    assert services.signal_list_for(ours, date(2017, 1, 1)) == lists["0-4"]
    # The national list is current and unchanged.
    national = SignalList.objects.get(pk=lists["4-12"].pk)
    assert national.is_current and "Te dik" in texts(national, "Lichamelijk welzijn")


def test_signals_for_query_count_with_board_versions(lists, school, board, beheerder,
                                                    other_school, django_assert_num_queries):
    publish_add(beheerder, board)
    publish_add(member(Role.BEHEERDER, board=other_school.board), other_school.board,
                text="Spijbelen")
    ours = StudentFactory(school=school, date_of_birth=date(2010, 3, 10))
    for student, expected in [(ours, 95), (StudentFactory(date_of_birth=date(2010, 3, 10)), 94)]:
        with django_assert_num_queries(3):
            categories = services.signals_for(student, date(2024, 6, 1))
            assert sum(len(c.signals_for_age) for c in categories) == expected


def test_the_database_refuses_two_current_versions(lists, board, other_school):
    band = lists["0-4"].age_band
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalList.objects.create(age_band=band, version=2, title="x", source="x",
                                  is_current=True)
    SignalList.objects.create(age_band=band, board=board, version=2, title="x", source="x",
                              is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalList.objects.create(age_band=band, board=board, version=3, title="x",
                                  source="x", is_current=True)
    # Another board may have a current version of the same number.
    SignalList.objects.create(age_band=band, board=other_school.board, version=2, title="x",
                              source="x", is_current=True)


def test_the_database_refuses_a_version_number_twice(lists, board):
    band = lists["0-4"].age_band
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalList.objects.create(age_band=band, version=1, title="x", source="x")
    SignalList.objects.create(age_band=band, board=board, version=1, title="x", source="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        SignalList.objects.create(age_band=band, board=board, version=1, title="x",
                                  source="x")


def test_observation_keeps_the_text_it_recorded(lists, school, board, beheerder):
    signal = current_signal("4-12", "Blauwe plekken")
    observation = ObservationFactory(status="concept",
                                     case__student=StudentFactory(school=school))
    observation.signals.add(signal)
    freeze(observation)

    services.signal_reword(actor=beheerder, board=board, signal=signal,
                           text="Blauwe plekken op ongebruikelijke plaatsen")
    reworded = current_signal("4-12", "Blauwe plekken op ongebruikelijke plaatsen", board=board)
    services.signal_retire(actor=beheerder, board=board, signal=reworded)

    recorded = list(observation.signals.select_related("category__signal_list"))
    assert [s.text for s in recorded] == ["Blauwe plekken"]
    assert recorded[0].pk == signal.pk
    assert recorded[0].category.signal_list.version == 1
    assert recorded[0].category.signal_list.board is None
    board_texts = texts(current("4-12", board), "Lichamelijk welzijn")
    assert not any("Blauwe plekken" in t for t in board_texts)
    assert texts(lists["4-12"], "Lichamelijk welzijn")[0] == "Blauwe plekken"


def test_retire_leaves_earlier_versions_alone(lists, board, beheerder):
    new = services.signal_retire(actor=beheerder, board=board,
                                 signal=current_signal("4-12", "Te dik"))
    assert "Te dik" not in texts(new, "Lichamelijk welzijn")
    assert "Te dik" in texts(lists["4-12"], "Lichamelijk welzijn")
    event = AuditEvent.objects.get(action="catalog.version.published")
    assert event.data["change"] == "signal_retired"


def test_a_signal_of_an_old_version_cannot_be_changed(lists, board, beheerder):
    # The national version stays current for other boards, but not for this one any more.
    national_signal = current_signal("4-12", "Te dik")
    services.signal_reword(actor=beheerder, board=board,
                           signal=current_signal("4-12", "Brandwonden"),
                           text="Brandwonden of brandplekken")
    with pytest.raises(DomainError, match="intussen gewijzigd \\(nu versie 2\\)"):
        services.signal_retire(actor=beheerder, board=board, signal=national_signal)
    with pytest.raises(DomainError, match="intussen gewijzigd"):
        services.signal_add(actor=beheerder, board=board, text="Schoolverzuim",
                            category=Category.objects.get(signal_list=lists["4-12"],
                                                          name="Overig"))
    own_v2 = current_signal("4-12", "Te dik", board=board)
    services.signal_retire(actor=beheerder, board=board,
                           signal=current_signal("4-12", "Eetstoornissen", board=board))
    with pytest.raises(DomainError, match="intussen gewijzigd \\(nu versie 3\\)"):
        services.signal_retire(actor=beheerder, board=board, signal=own_v2)
    assert current("4-12", board).version == 3
    assert current("4-12") == lists["4-12"]


def test_the_service_refuses_a_beheerder_of_another_board(lists, board, beheerder,
                                                          other_school, other_beheerder):
    from django.core.exceptions import PermissionDenied

    signal = current_signal("4-12", "Te dik")
    with pytest.raises(PermissionDenied):
        services.signal_retire(actor=other_beheerder, board=board, signal=signal)
    with pytest.raises(PermissionDenied):
        services.signal_reword(actor=other_beheerder, board=board, signal=signal, text="Dik")
    with pytest.raises(PermissionDenied):
        services.signal_add(actor=other_beheerder, board=board, category=signal.category,
                            text="Schoolverzuim")
    assert not SignalList.objects.filter(board__isnull=False).exists()
    # Board A's own signals are not the list board B uses: refused as out of date.
    own = publish_add(beheerder, board)
    own_signal = Signal.objects.get(category__signal_list=own, text="Schoolverzuim")
    with pytest.raises(DomainError, match="intussen gewijzigd"):
        services.signal_retire(actor=other_beheerder, board=other_school.board,
                               signal=own_signal)
    assert not SignalList.objects.filter(board=other_school.board).exists()
    assert AuditEvent.objects.filter(action="catalog.version.published").count() == 1


@pytest.mark.parametrize(("text", "message"), [
    ("   ", "Vul de tekst"),
    ("kind stinkt", "staat al in deze categorie"),
    ("x" * 301, "te lang"),
])
def test_add_guards(lists, board, beheerder, text, message):
    category = Category.objects.get(signal_list=lists["0-4"], name="Lichamelijk welzijn",
                                    block=GENERAL)
    with pytest.raises(DomainError, match=message):
        services.signal_add(actor=beheerder, board=board, category=category, text=text)
    assert not SignalList.objects.filter(board=board).exists()
    assert not AuditEvent.objects.filter(action="catalog.version.published").exists()


def test_reword_guards(lists, board, beheerder):
    signal = current_signal("0-4", "Kind stinkt")
    with pytest.raises(DomainError, match="gelijk aan de huidige"):
        services.signal_reword(actor=beheerder, board=board, signal=signal, text="Kind stinkt")
    with pytest.raises(DomainError, match="staat al"):
        services.signal_reword(actor=beheerder, board=board, signal=signal, text="vaak ziek")
    with pytest.raises(DomainError, match="tussen 0 en 18"):
        services.signal_add(actor=beheerder, board=board, category=signal.category,
                            text="Nieuw", min_age=19)


def test_the_last_signal_of_a_category_stays(lists, board, beheerder):
    for text in ("Plotselinge gedragsverandering", "Gedraagt zich niet naar zijn leeftijd"):
        services.signal_retire(actor=beheerder, board=board,
                               signal=current_signal("0-4", text, board=board))
    with pytest.raises(DomainError, match="laatste signaal"):
        services.signal_retire(actor=beheerder, board=board,
                               signal=current_signal("0-4", "Taal- en spraakstoornissen",
                                                     board=board))
    assert current("0-4", board).version == 3


def test_catalog_services_require_the_beheerder(personas):
    from django.core.exceptions import PermissionDenied

    signal = Signal.objects.filter(category__signal_list__is_current=True).first()
    with pytest.raises(PermissionDenied):
        services.signal_reword(actor=personas.af, board=personas.school.board, signal=signal,
                               text="Iets anders")


# --- The data step of migration 0005 ----------------------------------------------------


def _migration():
    import importlib

    return importlib.import_module("signals_catalog.migrations.0005_signal_lists_per_board")


def test_data_step_gives_versions_to_the_publishers_board(lists):
    from django.apps import apps

    from tests.factories import BoardFactory

    later, first = BoardFactory(name="Stichting Zuid"), BoardFactory(name="Stichting Noord")
    publisher = member(Role.BEHEERDER, board=later)
    Membership = apps.get_model("meldcode", "Membership")
    Membership.objects.create(user=publisher, board=first, role=Role.BEHEERDER)
    gone = member(Role.LEERKRACHT, SchoolFactory())  # no longer beheerder anywhere
    band = lists["4-12"].age_band
    # The state before boards: one global chain, published by beheerders.
    for version, user in [(2, publisher), (3, gone), (4, publisher)]:
        SignalList.objects.create(age_band=band, version=version, title="x", source="x",
                                  published_by=user)

    _migration().assign_boards(apps, None)

    found = [(sl.version, sl.board_id, sl.is_current)
             for sl in SignalList.objects.filter(age_band=band).order_by("version")]
    assert found == [(1, None, False), (2, first.pk, False), (3, None, True),
                     (4, first.pk, True)]
    assert current("0-4") == lists["0-4"]

    _migration().make_national(apps, None)
    found = [(sl.version, sl.board_id, sl.is_current)
             for sl in SignalList.objects.filter(age_band=band).order_by("version")]
    assert found == [(1, None, False), (2, None, False), (3, None, False), (4, None, True)]


def test_data_step_reverse_refuses_clashing_numbers(lists, board, beheerder, other_beheerder,
                                                   other_school):
    from django.apps import apps
    from django.db.migrations.exceptions import IrreversibleError

    publish_add(beheerder, board)
    publish_add(other_beheerder, other_school.board)
    with pytest.raises(IrreversibleError):
        _migration().make_national(apps, None)
    assert SignalList.objects.filter(board__isnull=False).count() == 2


# --- Pages ------------------------------------------------------------------------------


def band_url(board, code="4-12"):
    return reverse("catalog_band", kwargs={"board_id": board.pk, "code": code})


def test_index_goes_to_the_only_board(client, lists, board, beheerder):
    client.force_login(beheerder)
    response = client.get(reverse("catalog_index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("catalog_board", kwargs={"board_id": board.pk})


def test_index_lists_the_boards_of_a_beheerder_of_two(client, lists, board, beheerder,
                                                      other_school):
    from tests.factories import BoardFactory, add_role

    add_role(beheerder, Role.BEHEERDER, board=other_school.board)
    BoardFactory(name="Stichting Elders")
    publish_add(beheerder, board)
    client.force_login(beheerder)
    body = client.get(reverse("catalog_index")).content.decode()
    assert board.name in body and other_school.board.name in body
    assert "Stichting Elders" not in body
    assert reverse("catalog_board", kwargs={"board_id": other_school.board.pk}) in body
    assert body.count("eigen versie 2") == 1
    assert body.count("landelijke lijst, versie 1") == 3


def test_board_page_says_national_or_own(client, lists, board, beheerder):
    publish_add(beheerder, board)
    client.force_login(beheerder)
    response = client.get(reverse("catalog_board", kwargs={"board_id": board.pk}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Signalenlijsten van De Regenboog" not in body  # the board's name, not the school's
    assert f"Signalenlijsten van {board.name}" in body
    rows = body.split("<tbody>")[1].split("</tr>")
    assert "0-4 jaar" in rows[0] and "Landelijke lijst" in rows[0]
    assert "4-12 jaar" in rows[1] and "Eigen versie van het bestuur" in rows[1]
    assert "<td>95</td>" in rows[1] and "<td>88</td>" in rows[0]


def test_band_page_shows_current_version_and_history(client, lists, board, beheerder):
    client.force_login(beheerder)
    national = client.get(band_url(board)).content.decode()
    assert "gebruikt de landelijke lijst" in national
    services.signal_reword(actor=beheerder, board=board, signal=current_signal("4-12", "Te dik"),
                           text="Overgewicht")
    response = client.get(band_url(board))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit is de eigen versie van" in body
    assert "Overgewicht" in body and "Te dik" in body  # the summary names the old text
    # History: the board's version and the national version it started from.
    assert "Versie 2" in body and "Versie 1" in body
    history = body.split("Versiegeschiedenis")[1]
    assert history.index("Versie 2") < history.index("Versie 1")
    assert "Landelijke lijst" in history
    assert "Signalen specifiek voor seksueel misbruik" in body
    assert "12-18" in body
    edit_prefix = f"/beheer/signalen/{board.pk}/signaal/"
    assert edit_prefix in body
    old = client.get(reverse("catalog_version", kwargs={"board_id": board.pk, "code": "4-12",
                                                        "version": 1}))
    old_body = old.content.decode()
    assert "<li>Te dik</li>" in old_body
    assert "Landelijke lijst" in old_body and "Vervangen door een nieuwere versie" in old_body
    assert edit_prefix not in old_body  # old versions: read-only
    own = client.get(reverse("catalog_version", kwargs={"board_id": board.pk, "code": "4-12",
                                                        "version": 2})).content.decode()
    assert "<li>Overgewicht</li>" in own and "Actueel" in own


def test_history_of_another_board_does_not_show_our_versions(client, lists, board, beheerder,
                                                             other_school, other_beheerder):
    publish_add(beheerder, board)
    client.force_login(other_beheerder)
    body = client.get(band_url(other_school.board)).content.decode()
    history = body.split("Versiegeschiedenis")[1]
    assert "Versie 1" in history and "Versie 2" not in history
    assert "Schoolverzuim" not in body
    response = client.get(reverse("catalog_version", kwargs={
        "board_id": other_school.board.pk, "code": "4-12", "version": 2}))
    assert response.status_code == 404


def test_add_through_the_page(client, lists, board, beheerder):
    client.force_login(beheerder)
    overig = Category.objects.get(signal_list=lists["0-4"], name="Overig")
    url = reverse("catalog_signal_add", kwargs={"board_id": board.pk, "code": "0-4"})
    response = client.post(url, {"category": overig.pk, "text": "Schoolverzuim"})
    assert response.status_code == 302
    assert response["Location"] == band_url(board, "0-4")
    assert "Schoolverzuim" in texts(current("0-4", board), "Overig")
    assert current("0-4", board).version == 2
    assert "Schoolverzuim" not in texts(current("0-4"), "Overig")


def test_invalid_add_keeps_the_input_and_explains(client, lists, board, beheerder):
    client.force_login(beheerder)
    overig = Category.objects.get(signal_list=lists["0-4"], name="Overig")
    url = reverse("catalog_signal_add", kwargs={"board_id": board.pk, "code": "0-4"})
    response = client.post(url, {"category": overig.pk, "text": "Taal- en spraakstoornissen",
                                 "min_age": "2"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Dit signaal staat al in deze categorie." in body
    assert 'value="Taal- en spraakstoornissen"' in body
    response = client.post(url, {"text": ""})
    assert "Dit veld is verplicht." in response.content.decode()
    assert not SignalList.objects.filter(board=board).exists()


def test_reword_and_retire_through_the_pages(client, lists, board, beheerder):
    client.force_login(beheerder)
    signal = current_signal("4-12", "Eetstoornissen")
    kwargs = {"board_id": board.pk, "signal_id": signal.pk}
    edit = client.get(reverse("catalog_signal_edit", kwargs=kwargs))
    assert 'value="Eetstoornissen"' in edit.content.decode()
    same = client.post(reverse("catalog_signal_reword", kwargs=kwargs),
                       {"text": "Eetstoornissen"})
    assert "gelijk aan de huidige tekst" in same.content.decode()
    response = client.post(reverse("catalog_signal_reword", kwargs=kwargs),
                           {"text": "Eetproblemen of eetstoornis"})
    assert response.status_code == 302
    reworded = current_signal("4-12", "Eetproblemen of eetstoornis", board=board)
    response = client.post(reverse("catalog_signal_retire", kwargs={
        "board_id": board.pk, "signal_id": reworded.pk}))
    assert response.status_code == 302
    assert current("4-12", board).version == 3
    # The national signal's page no longer offers the forms to this board.
    stale = client.get(reverse("catalog_signal_edit", kwargs=kwargs))
    assert "kan niet meer worden gewijzigd" in stale.content.decode()
    assert reverse("catalog_signal_reword", kwargs=kwargs) not in stale.content.decode()
    assert reverse("catalog_signal_reword", kwargs=kwargs) in edit.content.decode()
    refused = client.post(reverse("catalog_signal_retire", kwargs=kwargs))
    assert refused.status_code == 302
    assert current("4-12", board).version == 3
    assert current("4-12") == lists["4-12"]


def test_maintenance_is_post_only(client, lists, board, beheerder):
    client.force_login(beheerder)
    signal = current_signal("4-12", "Te dik")
    for name, kwargs in [("catalog_signal_add", {"code": "4-12"}),
                         ("catalog_signal_reword", {"signal_id": signal.pk}),
                         ("catalog_signal_retire", {"signal_id": signal.pk})]:
        kwargs["board_id"] = board.pk
        assert client.get(reverse(name, kwargs=kwargs)).status_code == 405


def test_beheerder_of_another_board_gets_404_everywhere(client, lists, board, beheerder,
                                                       other_beheerder):
    own = publish_add(beheerder, board)
    own_signal = Signal.objects.get(category__signal_list=own, text="Schoolverzuim")
    category = own_signal.category
    client.force_login(other_beheerder)
    gets = [("catalog_board", {}), ("catalog_band", {"code": "4-12"}),
            ("catalog_version", {"code": "4-12", "version": 2}),
            ("catalog_signal_edit", {"signal_id": own_signal.pk})]
    for name, kwargs in gets:
        url = reverse(name, kwargs={"board_id": board.pk, **kwargs})
        assert client.get(url).status_code == 404, name
    posts = [("catalog_signal_add", {"code": "4-12"},
              {"category": category.pk, "text": "Spijbelen"}),
             ("catalog_signal_reword", {"signal_id": own_signal.pk}, {"text": "Spijbelen"}),
             ("catalog_signal_retire", {"signal_id": own_signal.pk}, {})]
    for name, kwargs, data in posts:
        url = reverse(name, kwargs={"board_id": board.pk, **kwargs})
        assert client.post(url, data).status_code == 404, name
    # Through their own board's URL, board A's signal does not exist either.
    url = reverse("catalog_signal_edit", kwargs={"board_id": other_beheerder.memberships.get()
                                                 .board_id, "signal_id": own_signal.pk})
    assert client.get(url).status_code == 404
    assert list(SignalList.objects.filter(board__isnull=False)) == [own]
    assert AuditEvent.objects.filter(action="catalog.version.published").count() == 1


def test_teacher_reads_the_lists_of_their_board(client, lists, school, board, beheerder,
                                                other_school):
    publish_add(beheerder, board)
    teacher = member(Role.LEERKRACHT, school)
    client.force_login(teacher)
    body = client.get(reverse("signal_lists")).content.decode()
    assert "kinderen van 0-4 jaar" in body and "kinderen van 4-12 jaar" in body
    assert "Schoolverzuim" in body
    assert "Vluchtige vriendschappen" in body and "12-18" in body
    assert "Wolzak, A. (2009, 6e druk)" in body
    assert "bewijst nooit" in body
    assert f"Signalenlijsten van {board.name}" not in body  # one board: no heading per board
    assert "/beheer/signalen/" not in body  # no maintenance links for teachers

    client.force_login(member(Role.LEERKRACHT, other_school))
    other = client.get(reverse("signal_lists")).content.decode()
    assert "Schoolverzuim" not in other
    assert "kinderen van 4-12 jaar" in other


def test_someone_at_two_boards_sees_each_boards_lists(client, lists, school, board, beheerder,
                                                      other_school):
    from tests.factories import add_role

    publish_add(beheerder, board)
    teacher = member(Role.LEERKRACHT, school)
    add_role(teacher, Role.AANDACHTSFUNCTIONARIS, school=other_school)
    client.force_login(teacher)
    body = client.get(reverse("signal_lists")).content.decode()
    first, second = sorted([board.name, other_school.board.name])
    assert body.index(f"Signalenlijsten van {first}") < body.index(
        f"Signalenlijsten van {second}")
    ours = body.split(f"Signalenlijsten van {board.name}")[-1].split("Signalenlijsten van")[0]
    theirs = body.split(f"Signalenlijsten van {other_school.board.name}")[-1].split(
        "Signalenlijsten van")[0]
    assert "Schoolverzuim" in ours and "Schoolverzuim" not in theirs
    assert body.count("Schoolverzuim") == 1
    # Both boards show the national 0-4 list: its ids must still be unique on the page.
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids))


def add_many_signals(signal_list, n=60):
    categories = list(signal_list.categories.all())
    Signal.objects.bulk_create(
        Signal(category=categories[i % len(categories)], text=f"Extra signaal {i}",
               position=100 + i)
        for i in range(n)
    )


def test_list_pages_query_count_is_bounded(client, lists, board, beheerder,
                                           django_assert_max_num_queries):
    publish_add(beheerder, board)
    for signal_list in SignalList.objects.all():
        add_many_signals(signal_list)
    client.force_login(beheerder)
    b = {"board_id": board.pk}
    # Each bound includes the one query that checks the session's second factor.
    pages = [("catalog_band", {**b, "code": "4-12"}, 13), ("signal_lists", {}, 13),
             ("catalog_version", {**b, "code": "4-12", "version": 1}, 11),
             ("catalog_board", b, 9)]
    for name, kwargs, bound in pages:
        with django_assert_max_num_queries(bound):
            assert client.get(reverse(name, kwargs=kwargs)).status_code == 200

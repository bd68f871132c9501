"""Places as people name them: typed cities, countries, abbreviations and locations -> zones."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from bot.services import places
from bot.services.places import Place, choice_label, find, normalise, zone_at, zone_name

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # 12:00 in Kyiv, 02:00 in San Francisco


def zone_of(text: str) -> str | None:
    found = find(text).found
    return found.zone if found else None


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Киев", "Europe/Kyiv"),
        ("Москва", "Europe/Moscow"),
        ("Нью-Йорк", "America/New_York"),
        ("нью йорк", "America/New_York"),
        ("Київ", "Europe/Kyiv"),
        ("Львів", "Europe/Kyiv"),
        ("Львов", "Europe/Kyiv"),
        ("Одеса", "Europe/Kyiv"),
        ("Одесса", "Europe/Kyiv"),
        ("Харків", "Europe/Kyiv"),
        ("Кишинёв", "Europe/Chisinau"),
        ("Кишинев", "Europe/Chisinau"),
        ("Lviv", "Europe/Kyiv"),
        ("Lvov", "Europe/Kyiv"),
        ("Kiev", "Europe/Kyiv"),
        ("Kyiv", "Europe/Kyiv"),
        ("Odessa", "Europe/Kyiv"),
        ("Odesa", "Europe/Kyiv"),
        ("San Francisco", "America/Los_Angeles"),
        ("New York", "America/New_York"),
        ("Berlin", "Europe/Berlin"),
        ("krakow", "Europe/Warsaw"),  # accents ignored: Kraków
        ("Portland, Oregon", "America/Los_Angeles"),  # a qualifier settles a namesake
        ("Portland, Maine", "America/New_York"),
        ("Germany", "Europe/Berlin"),  # a country with one zone
        ("Німеччина", "Europe/Berlin"),
        ("Україна", "Europe/Kyiv"),
        ("America/New_York", "America/New_York"),
        ("europe/kiev", "Europe/Kyiv"),  # the old IANA name, stored under the new one
        ("UTC+3", "UTC+03:00"),
        ("-05:00", "UTC-05:00"),
        ("Etc/GMT+5", "UTC-05:00"),  # POSIX sign: five hours behind UTC
        ("utc", "UTC"),
    ],
)
def test_places_as_people_type_them(typed, zone):
    assert zone_of(typed) == zone


def test_the_typed_spelling_comes_back_capitalised():
    assert find("львів").found == Place("Europe/Kyiv", "Львів", "UA", None, 717273)
    assert find("new york").found.name == "New York"
    assert find("Kiev").found.name == "Kiev"
    assert find("Київ.").found.name == "Київ"  # a full stop typed after it is not its name


@pytest.mark.parametrize("typed", ["", "Qwertyland", "x" * 100, "UTC+15", "фывапролдж"])
def test_what_is_not_a_place(typed):
    lookup = find(typed)
    assert lookup.places == () and lookup.found is None


def test_a_name_in_several_zones_is_a_choice_largest_first():
    lookup = find("Portland")
    assert lookup.found is None and lookup.abbreviation is None
    assert [(p.zone, p.region) for p in lookup.places[:2]] == [
        ("America/Los_Angeles", "Oregon"),
        ("America/New_York", "Maine"),
    ]
    populations = [p.population for p in lookup.places]
    assert populations == sorted(populations, reverse=True)
    assert len(lookup.places) <= places.MAX_CHOICES


def test_a_big_city_wins_over_small_namesakes_abroad_but_not_at_home():
    # San Francisco (California) is ten times any other San Francisco, all in other countries
    assert zone_of("San Francisco") == "America/Los_Angeles"
    assert zone_of("Moscow") == "Europe/Moscow"  # not Moscow, Idaho
    # the second Portland is in the same country, in another zone: the learner chooses
    assert zone_of("Portland") is None


def test_a_country_with_several_zones_is_a_choice():
    usa = find("USA").places
    assert usa[0].zone == "America/New_York" and len(usa) > 2
    assert {p.country for p in usa} == {"US"}
    assert find("Россия").places[0].zone == "Europe/Moscow" and len(find("Россия").places) > 2


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("EST", "America/New_York"),
        ("pst", "America/Los_Angeles"),
        ("CET", "Europe/Berlin"),
        ("MSK", "Europe/Moscow"),
        ("EET", None),
        ("IST", "Asia/Kolkata"),
        ("EDT", "America/New_York"),
        ("GMT", "Europe/London"),  # London keeps summer time (BST): not UTC
    ],
)
def test_abbreviations_are_a_choice_of_region_zones_never_a_fixed_zone(typed, first):
    lookup = find(typed)
    assert lookup.abbreviation == typed.upper() and lookup.found is None
    assert all("/" in p.zone and not p.zone.startswith("Etc/") for p in lookup.places)
    if first:
        assert lookup.places[0].zone == first


def test_localised_zone_names_from_cldr():
    assert [zone_name("Europe/Kyiv", lang) for lang in ("en", "ru", "uk")] == [
        "Kyiv",
        "Киев",
        "Київ",
    ]  # CLDR keys Kyiv as Europe/Kiev: found through the alias
    assert zone_name("America/New_York", "uk") == "Нью-Йорк"
    assert zone_name("Asia/Kolkata", "ru") == "Калькутта"
    assert zone_name("UTC+03:00", "uk") == "UTC+03:00"


def test_choice_labels_tell_namesakes_apart_by_region_and_time():
    portland = find("Portland").places
    assert choice_label(portland[0], "en", NOW) == "Portland, Oregon · 02:00"
    est = find("EST").places
    assert choice_label(est[0], "uk", NOW) == "Нью-Йорк, Сполучені Штати · 05:00"


def test_normalise_ignores_case_accents_apostrophes_and_dashes():
    assert normalise("Нью-Йорк") == normalise("нью йорк")
    assert normalise("Kraków") == "krakow"
    assert normalise("L’viv") == normalise("Lviv")
    assert normalise("Кишинёв") == normalise("Кишинев")


def test_zone_at_coordinates_offline():
    assert zone_at(49.8397, 24.0297) == "Europe/Kyiv"  # Lviv
    assert zone_at(37.7749, -122.4194) == "America/Los_Angeles"  # San Francisco
    assert zone_at(50.45, 30.52) == "Europe/Kyiv"
    assert zone_at(0.0, -30.0) is None  # the open Atlantic: an Etc/ zone, not a place
    assert zone_at(95.0, 0.0) is None


def test_lookups_are_fast_once_the_index_is_built():
    places.warm()
    started = time.perf_counter()
    for typed in ("Львів", "Portland", "EST", "Germany", "Qwertyland") * 20:
        find(typed)
    assert (time.perf_counter() - started) / 100 < 0.005  # well under 5 ms a lookup

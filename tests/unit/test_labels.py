"""Every button of every screen, in every language: titles (never ids), and labels that fit.

The test walks every function of the render modules that returns a ``Screen`` and drives it
with realistic data built from the shipped catalog: each lesson of each series in en/ru/uk,
and each parameter varied one at a time through its interesting values (a subscription
active or paused, a slot with one lesson or several, ...). Arguments are made from the
function's type hints: known types from the catalog, dataclasses field by field, so a screen
added later is driven too. A screen the walker cannot drive fails the test, with the reason;
teach it the new type below (``TYPES`` or ``NAMES``) rather than skipping the screen.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import importlib
import inspect
import pkgutil
import re
import types
import typing
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest

import bot.render
from bot.i18n import LANGUAGES, Translator, translator
from bot.render.kit import Screen, label_limit, shorten
from bot.services import assignments, journal, lessons, progress, start
from bot.services.schedule import Deadline, Prefs, SlotPlan
from content.loader import load
from content.model import Catalog, Lesson, QuizQuestion, SeriesContent
from domain.records import SubscriptionRow

# every module of bot.render: a new feature's screens are checked without touching this test
RENDER_MODULES = tuple(
    f"bot.render.{m.name}" for m in pkgutil.iter_modules(bot.render.__path__) if m.name != "chart"
)
NOW = datetime(2026, 12, 1, 21, 40, tzinfo=UTC)
KYIV = ZoneInfo("Europe/Kyiv")


@functools.cache
def catalog() -> Catalog:
    return load().catalog


@functools.cache
def all_ids() -> frozenset[str]:
    ids = set()
    for lang in LANGUAGES:
        for series in catalog().series_list(lang):
            ids.add(series.id)
            ids.update(lesson.id for lesson in series.lessons)
    return frozenset(ids)


@dataclasses.dataclass
class Scene:
    """The data one round of the walk is about: a language, a series, one of its lessons."""

    t: Translator
    lang: str
    series: SeriesContent
    lesson: Lesson

    @property
    def others(self) -> list[SeriesContent]:
        return [s for s in catalog().series_list(self.lang) if s.id != self.series.id]

    @property
    def next_lesson(self) -> Lesson | None:
        return lessons.next_lesson(self.series, self.lesson.id)

    @property
    def opened(self) -> set[str]:
        """Up to this lesson opened, the ones before it completed (a learner mid-series)."""
        ids = [x.id for x in self.series.lessons]
        return set(ids[: ids.index(self.lesson.id) + 1])

    @property
    def completed(self) -> set[str]:
        ids = [x.id for x in self.series.lessons]
        return set(ids[: ids.index(self.lesson.id)])


def scenes() -> Iterator[Scene]:
    for lang in LANGUAGES:
        t = translator(lang)
        for series in catalog().series_list(lang):
            for lesson in series.lessons:
                yield Scene(t, lang, series, lesson)


PREFS = Prefs(timezone="Europe/Kyiv", time=9 * 60, days=0b0011111, quiet_start=22 * 60,
              quiet_end=8 * 60)  # fmt: skip


def _subscriptions(s: Scene) -> list[list[SubscriptionRow]]:
    every = catalog().series_list(s.lang)
    statuses = ("active", "paused", "finished")
    rows = [
        SubscriptionRow(x.id, statuses[i % 3], NOW, NOW) for i, x in enumerate(every)
    ]  # every series subscribed: every title on an unsubscribe button
    return [rows, rows[:1], []]


def _plans(s: Scene) -> list[SlotPlan]:
    others = [(x.id, x.lessons[0].id) for x in s.others]
    return [
        SlotPlan(lessons=((s.series.id, s.lesson.id),), reviews_due=2),
        SlotPlan(lessons=((s.series.id, s.lesson.id), *others)),
        SlotPlan(finished=(s.series.id,), suggestions=tuple(x.id for x in s.others)),
        SlotPlan(lessons=((s.series.id, s.lesson.id),), finished=(s.others[0].id,)),
        SlotPlan(reviews_due=3),
        SlotPlan(reminder=s.lesson.id),
        SlotPlan(follow_up=(7, s.lesson.id)),
        SlotPlan(retake=3),
        SlotPlan(deadline=_deadline(s)),
        SlotPlan(
            lessons=((s.series.id, s.lesson.id),),
            deadline=_deadline(s),
            assigned=((s.series.id, NOW.date(), "Команда продаж"),),
        ),
    ]


def _deadline(s: Scene) -> Deadline:
    return Deadline(7, s.series.id, NOW.date(), "Команда продаж", 1, len(s.series.lessons))


def _report(s: Scene) -> progress.ProgressReport:
    from domain.records import LessonStats

    stats = {
        i: LessonStats(i, True, i in s.completed, 2, 1, 1 if i in s.completed else None)
        for i in s.opened
    }
    return progress.progress_report(catalog(), s.lang, stats)


# Values by parameter name (checked first), then by type: each gives the values to try, the
# first one used while another parameter varies.
NAMES: dict[str, typing.Callable[[Scene], list[object]]] = {
    "series": lambda s: [s.series],
    "unsubscribed": lambda s: [None, s.series],
    "all_series": lambda s: [catalog().series_list(s.lang)],
    "suggestions": lambda s: [s.others, []],
    "lesson": lambda s: [s.lesson],
    "next_lesson": lambda s: [s.next_lesson, None],
    "question": lambda s: [s.lesson.quiz[0]],
    "order": lambda s: [tuple(range(len(s.lesson.quiz[0].options)))],
    "source": lambda s: [catalog().sources.get(s.lesson.source)],
    "completed": lambda s: [s.completed, s.completed | {s.lesson.id}],
    "done": lambda s: [lessons.series_counts(catalog(), s.lang, s.opened, s.completed)],
    "counts": lambda s: [None, lessons.lesson_counts(s.series.lessons, s.opened, s.completed)],
    "subs": _subscriptions,
    "plan": _plans,
    "report": lambda s: [_report(s)],
    "shares": lambda s: [
        {assignments.Status.DONE: 1, assignments.Status.ON_TRACK: 1, assignments.Status.BEHIND: 2},
        None,
    ],
    "dates": lambda s: [assignments.due_dates(NOW.date())],
    "people": lambda s: [4, 2],
    "subscription": lambda s: [None, "active", "paused"],
    "catalog": lambda s: [catalog()],
    "language": lambda s: [s.lang],
    "lang": lambda s: [s.lang],
    "prefs": lambda s: [PREFS],
    "what": lambda s: ["t", "z", "q"],
    "kind": lambda s: ["lesson", "series", "subscribe", "team"],
    "first_name": lambda s: ["Олена", ""],
    "typed": lambda s: ["Kyiv"],
    "zone": lambda s: ["Europe/Kyiv"],
    "word": lambda s: ["lesson"],
    "suggestion": lambda s: ["/lessons", None],
    "bot_username": lambda s: ["cxcoach_bot", None],
    "link": lambda s: ["https://t.me/cxcoach_bot?start=t_abc123"],
    "url": lambda s: ["https://bot.example.com/dashboard/", None],
    "links": lambda s: [{1: "https://t.me/cxcoach_bot?start=t_abc123"}],
    "name": lambda s: ["Команда продаж"],
    "notice": lambda s: [None, "Done."],
    "status": lambda s: ["running", "paused", "done"],
    "channel_name": lambda s: [None, "@cxnews"],
    "subscribed": lambda s: [set(), {s.series.id}],
    "ratings": lambda s: [{x.id: 1 + n % 5 for n, x in enumerate(s.series.lessons)}],
    "page": lambda s: [0, 1],
    "index": lambda s: [0],
    "chosen": lambda s: [0, 1],
    "position": lambda s: [0],
    "due": lambda s: [3, NOW + timedelta(days=2)],
    "next_due": lambda s: [None, NOW + timedelta(hours=5), NOW + timedelta(days=3)],
    "next_slot": lambda s: [NOW + timedelta(hours=12), None],
    "now": lambda s: [NOW],
    "shown_at": lambda s: [int(NOW.timestamp())],
    "total": lambda s: [27],
    "minutes": lambda s: [23 * 60],
    "nearest": lambda s: [21 * 60],
    "start": lambda s: [22 * 60],
    "end": lambda s: [8 * 60],
    "tz": lambda s: [KYIV],
    "user_id": lambda s: [1],
    # the assessment: this series' lessons as obstacles, each rated, every mean known
    "strongest": lambda s: [[_obstacle(s, x) for x in s.series.lessons[:3]], []],
    "obstacle": lambda s: [_obstacle(s, s.lesson)],
    "means": lambda s: [{i: 3.5 for i in all_ids()}],
    # what a deep link opened: each kind of target in turn
    "target": lambda s: [build(kind, s) for kind in typing.get_args(start.Target)],
    "spreads": lambda s: [{i: 0.5 for i in all_ids()}],
}


def _journal(s: Scene) -> list[object]:
    """A journal page with an entry in every state, a long note with markup characters, and
    one whose lesson left the content; and an empty journal."""
    from bot.services.journal import Entry
    from domain.records import COMMITMENT_STATUSES, Commitment

    note = "<b>kept</b> & shown as typed "
    entries = [
        Entry(
            Commitment(
                n,
                1,
                s.lesson.id,
                NOW,
                status,
                NOW + timedelta(days=3) if n % 2 else None,
                n % 2,
                None,
                note * (20 if n == 1 else 1),
            ),
            None if n == 2 else s.lesson,
        )
        for n, status in enumerate(COMMITMENT_STATUSES[1:], start=1)
    ]
    return [lessons.paginate(entries, 0, 5), lessons.paginate([], 0, 5)]


def _obstacle(s: Scene, lesson: Lesson) -> object:
    from bot.services.assessment import Obstacle

    return Obstacle([x.id for x in s.series.lessons].index(lesson.id), s.series, lesson)


TYPES: dict[object, typing.Callable[[Scene], list[object]]] = {
    Translator: lambda s: [s.t],
    Catalog: lambda s: [catalog()],
    SeriesContent: lambda s: [s.series],
    Lesson: lambda s: [s.lesson],
    QuizQuestion: lambda s: [s.lesson.quiz[0]],
    Prefs: lambda s: [PREFS],
    datetime: lambda s: [NOW],
    date: lambda s: [NOW.date()],
    tzinfo: lambda s: [KYIV],
    lessons.Page[journal.Entry]: _journal,
    bool: lambda s: [True, False],
    int: lambda s: [2],
    float: lambda s: [2.5],
    str: lambda s: ["Kyiv"],
    object: lambda s: ["value"],
}


class CannotDrive(Exception):
    pass


def fits(value: object, tp: object) -> bool:
    """Whether ``value`` looks like a ``tp`` (enough to tell apart two uses of one name)."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        return any(fits(value, a) for a in args)
    if tp is type(None) or value is None:
        return value is None and (tp is type(None) or type(None) in args)
    if tp is object or tp is typing.Any:
        return True
    if origin is dict:
        return (
            isinstance(value, dict) and all(fits(v, args[1]) for v in list(value.values())[:1])
            if args
            else isinstance(value, dict)
        )
    if origin is not None:
        container = origin if isinstance(origin, type) else object
        if not isinstance(value, container):
            return False
        if args and isinstance(value, Sequence | set | frozenset) and not isinstance(value, str):
            return all(fits(v, args[0]) for v in list(value)[:1]) if args[0] is not ... else True
        return True
    if isinstance(tp, type):
        return isinstance(value, tp) or (tp is float and isinstance(value, int))
    return True


def values_for(tp: object, name: str, s: Scene, depth: int = 0) -> list[object]:
    """The values to try for a parameter or field called ``name`` of type ``tp``."""
    if name in NAMES:
        named = [v for v in NAMES[name](s) if fits(v, tp)]
        if named:
            return named
    if depth > 8:
        raise CannotDrive(f"{name}: nested too deep")
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return [*values_for(real[0], name, s, depth + 1), None]
    if tp in TYPES:
        return TYPES[tp](s)
    if typing.get_origin(tp) is typing.Literal:
        return list(args)
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return list(tp)
    if origin is tuple and len(args) > 1 and args[1] is not Ellipsis:
        return [tuple(values_for(a, f"{name}.{i}", s, depth + 1)[0] for i, a in enumerate(args))]
    if origin in (list, tuple, set, frozenset, Sequence) or origin is typing.get_origin(
        Sequence[int]
    ):
        item = args[0] if args else str
        if item is SeriesContent:
            return [catalog().series_list(s.lang)]
        one = values_for(item, name.rstrip("s"), s, depth + 1)[0]
        if origin in (set, frozenset):
            return [{one}]
        return [[one]]
    if origin is dict:
        return [{}]
    if dataclasses.is_dataclass(tp) and isinstance(tp, type):
        return [build(tp, s, depth + 1)]
    raise CannotDrive(f"{name}: no values for {tp!r}")


def build(cls: type, s: Scene, depth: int = 0) -> object:
    """An instance of a dataclass with every field filled (names first, then types)."""
    hints = typing.get_type_hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        kwargs[field.name] = values_for(hints[field.name], field.name, s, depth)[0]
    return cls(**kwargs)


def screen_functions() -> list[tuple[str, typing.Callable[..., object]]]:
    found = []
    for module_name in RENDER_MODULES:
        module = importlib.import_module(module_name)
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module_name or name.startswith("_"):
                continue
            if "Screen" in str(inspect.signature(fn).return_annotation):
                found.append((f"{module_name.rsplit('.', 1)[-1]}.{name}", fn))
    return found


def calls(fn: typing.Callable[..., object], s: Scene) -> Iterator[dict[str, object]]:
    """The argument sets for one function: the first value of each, then each parameter's
    other values one at a time."""
    hints = typing.get_type_hints(fn)
    options = {}
    for name, param in inspect.signature(fn).parameters.items():
        try:
            options[name] = values_for(hints.get(name, object), name, s)
        except CannotDrive:
            if param.default is inspect.Parameter.empty:
                raise
    base = {name: values[0] for name, values in options.items()}
    yield base
    for name, values in options.items():
        for value in values[1:]:
            yield {**base, name: value}


# Screens whose labels are known to be too long, each with its owner's reason. Only the
# length check is waived for them (ids and HTML are still caught); remove an entry when fixed.
LENGTH_WAIVED: dict[str, str] = {}

ID_TOKEN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)+")  # how series and lesson ids look


def label_problems(where: str, screen: Screen | list[Screen]) -> list[str]:
    if isinstance(screen, list):  # a screen function that sends several messages
        return [p for one in screen for p in label_problems(where, one)]
    problems = []
    waived = where.split(" ", 1)[0] in LENGTH_WAIVED
    if screen is None or screen.keyboard is None:
        return problems
    for row in screen.keyboard.inline_keyboard:
        limit = label_limit(len(row))
        for button in row:
            label = button.text
            core = re.sub(r"^[^\wА-Яа-яЁёІіЇїЄєҐґ]+|^\d+\.\s*", "", label).strip()
            tokens = set(ID_TOKEN.findall(label))
            if core in all_ids() or tokens & all_ids():
                problems.append(f"{where}: id on a button: {label!r}")
            if len(label) > limit and not waived:
                problems.append(f"{where}: {len(label)} > {limit} characters: {label!r}")
            if re.search(r"&(amp|lt|gt|quot);|</?[a-z]+>", label):
                problems.append(f"{where}: HTML in a label: {label!r}")
            if not label.strip():
                problems.append(f"{where}: empty label")
    return problems


def test_every_button_shows_a_title_that_fits_in_every_language():
    functions = screen_functions()
    assert len(functions) >= 40, "the walk lost the render modules"
    problems: list[str] = []
    undriven: dict[str, str] = {}
    driven: set[str] = set()
    for s in scenes():
        for where, fn in functions:
            if where in undriven:
                continue
            try:
                argument_sets = list(calls(fn, s))
            except CannotDrive as exc:
                undriven[where] = str(exc)
                continue
            for kwargs in argument_sets:
                try:
                    screen = fn(**kwargs)
                except Exception as exc:  # a screen that cannot render what it is given
                    undriven[where] = f"{type(exc).__name__}: {exc}"
                    break
                driven.add(where)
                problems += label_problems(f"{where} [{s.lang}]", screen)  # type: ignore[arg-type]
    assert not undriven, "screens the walk could not drive (teach it their types):\n" + "\n".join(
        f"{k}: {v}" for k, v in sorted(undriven.items())
    )
    assert not problems, "\n".join(sorted(set(problems))[:60])
    assert {
        "subscriptions.subscriptions_screen",
        "lessons.series_screen",
        "start.arrival_screens",
    } <= driven


def test_the_walk_finds_an_id_and_an_overlong_label():
    """The checks above can fail: an id, a long label and escaped HTML are caught."""
    from telegram import InlineKeyboardButton, InlineKeyboardMarkup

    bad = Screen(
        "x",
        InlineKeyboardMarkup(
            [
                [InlineKeyboardButton("⏸ Pause", callback_data="a"),
                 InlineKeyboardButton("✖️ outside-in", callback_data="b")],
                [InlineKeyboardButton("4. " + "Снаружи внутрь: взгляд со стороны клиента",
                                      callback_data="c")],
                [InlineKeyboardButton("📖 Tom &amp; Jerry", callback_data="d")],
            ]
        ),
    )  # fmt: skip
    found = label_problems("demo", bad)
    assert any("id on a button" in p for p in found)
    assert any("44 > 40" in p for p in found)
    assert any("HTML" in p for p in found)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("Сопротивление изнутри", 24, "Сопротивление изнутри"),
        ("Снаружи внутрь: взгляд со стороны клиента", 24, "Снаружи внутрь: взгляд…"),
        ("Почему клиентоцентричность не приживается", 21, "Почему клиентоцентри…"),  # < ⅓ kept
        ("Клиентоцентричность", 10, "Клиентоце…"),  # one long word is cut inside
        ("  two   spaces ", 20, "two spaces"),
    ],
)
def test_shorten_cuts_at_a_word_boundary(text, limit, expected):
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit


def test_shipped_titles_on_two_per_row_buttons_read_as_titles():
    """The unsubscribe buttons of the review's screenshots: whole short titles, never ids."""
    from bot.render.subscriptions import subscriptions_screen

    for lang in LANGUAGES:
        t = translator(lang)
        every = catalog().series_list(lang)
        subs = [SubscriptionRow(s.id, "active", NOW, NOW) for s in every]
        counts = lessons.series_counts(catalog(), lang, set(), set())
        screen = subscriptions_screen(t, catalog(), lang, subs, counts, None, PREFS)
        unsubscribe = [b.text for row in screen.keyboard.inline_keyboard for b in row
                       if b.callback_data.startswith("su:")]  # fmt: skip
        assert len(unsubscribe) == len(every)
        for label, series in zip(unsubscribe, every, strict=True):
            assert label.startswith("✖️ ") and series.id not in label
            # the series' short title, whole: words are never cut on these buttons
            assert label == f"✖️ {series.series.short_title}"

"""Callback data: round trips, the 64-byte limit, and forged data that must parse to None."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks as cb

ALL = [
    cb.Menu(),
    cb.Progress(),
    cb.Language("uk"),
    cb.SeriesList(3),
    cb.SeriesPage("why-cx-fails", 1),
    cb.OpenLesson("nominal-leader"),
    cb.StartQuiz("too-expensive"),
    cb.Answer(123456789, 2, 5),
]


def test_every_kind_round_trips_within_64_bytes():
    for item in ALL:
        data = item.encode()
        assert len(data.encode()) <= cb.MAX_BYTES
        assert cb.parse(data) == item


def test_longest_ids_still_fit():
    longest = "a" * 24
    for item in (cb.SeriesPage(longest, 999), cb.StartQuiz(longest), cb.Answer(999999999, 9, 9)):
        assert len(item.encode().encode()) <= cb.MAX_BYTES


def test_forged_and_malformed_data_is_rejected():
    for data in [
        None,
        "",
        "l:",
        "l:../../etc",
        "l:UPPER",
        "lang:de",
        "qa:1:2",
        "qa:-1:0:0",
        "qa:1:0:01",
        "qa:99999999999:0:0",
        "s:why-cx-fails",
        "s:why-cx-fails:x",
        "menu:extra",
        "x" * 65,
        "l:" + "é" * 40,
    ]:
        assert cb.parse(data) is None, data


@given(st.text(max_size=80))
def test_parse_never_raises(data):
    result = cb.parse(data)
    if result is not None:
        assert cb.parse(result.encode()) == result

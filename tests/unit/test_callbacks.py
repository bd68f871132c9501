"""Callback data: round trips, the 64-byte limit, and forged data that must parse to None."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot import callbacks as cb

ALL = [
    cb.Menu(),
    cb.Menu(new=True),
    cb.More(),
    cb.Help(),
    cb.Languages(),
    cb.ResumeQuiz(123456789),
    cb.Progress(),
    cb.Language("uk"),
    cb.SeriesList(3),
    cb.SeriesPage("why-cx-fails", 1),
    cb.SeriesPage("why-cx-fails", 1, new=True),
    cb.OpenLesson("nominal-leader"),
    cb.StartQuiz("too-expensive"),
    cb.Answer(123456789, 2, 5),
    cb.Subscriptions(),
    cb.SubscriptionAction("subscribe", "outside-in"),
    cb.SubscriptionAction("pause", "outside-in"),
    cb.SubscriptionAction("resume", "outside-in"),
    cb.SubscriptionAction("unsubscribe", "outside-in"),
    cb.Recap("prejudices"),
    cb.Settings(),
    cb.Settings("z"),
    cb.SetTime(0),
    cb.SetTime(1439),
    cb.SetDays(127),
    cb.SetZone(3),
    cb.SetQuiet(None),
    cb.SetQuiet(1320, 480),
    cb.AskInput("q"),
    cb.StartReview(),
    cb.ReviewAnswer(123456789, 12, 3, 1795438885),
    cb.AdminAction("go", 7),
    cb.AdminAction("lang", 7, "uk"),
    cb.AdminAction("ser", 7, "3"),
    cb.AdminAction("at", 7, "tm"),
    cb.Rate(12, 26, 5),
    cb.RateBack(12, 3),
    cb.AssessLater(12),
    cb.AssessStart(True),
    cb.AssessStart(False),
    cb.AssessIntro(),
    cb.AssessRestart(12),
    cb.AssessRestart(12, confirmed=True),
    cb.Teams(),
    cb.TeamAction("dd", 4),
    cb.TeamAction("l", 4),
    cb.TeamAction("ll", 4),
    cb.MyData(False),
    cb.MyData(True),
]


def test_every_kind_round_trips_within_64_bytes():
    for item in ALL:
        data = item.encode()
        assert len(data.encode()) <= cb.MAX_BYTES
        assert cb.parse(data) == item


def test_longest_ids_still_fit():
    longest = "a" * 24
    for item in (
        cb.SeriesPage(longest, 999),
        cb.SeriesPage(longest, 999, new=True),
        cb.StartQuiz(longest),
        cb.Answer(999999999, 9, 9),
        cb.SubscriptionAction("unsubscribe", longest),
        cb.ReviewAnswer(999999999, 999999999, 9, 9999999999),
    ):
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
        "st:1440",
        "sd:0",
        "sd:128",
        "sq:5:5",
        "set:x",
        "ask:d",
        "rv:1:0:0:123",
        "sub:",
        "sub:Bad_Id",
        "ab:go",
        "ab:go:1:extra",
        "ab:lang:1:de",
        "ab:lang:1",
        "ab:launch:1",
        "ab:at:1:5",
        "as:1:2:6",
        "as:1:2:0",
        "tm:x:1",
        "tm:ll",
        "aso",
        "asx:",
        "asx:-1",
        "asi:1",
        "tms:1",
        "md:maybe",
    ]:
        assert cb.parse(data) is None, data


@given(st.text(max_size=80))
def test_parse_never_raises(data):
    result = cb.parse(data)
    if result is not None:
        assert cb.parse(result.encode()) == result

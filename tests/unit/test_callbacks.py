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
    cb.Privacy(),
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
    cb.PauseFromDrip("prejudices"),
    cb.Settings(),
    cb.Settings("z"),
    cb.SetTime(0),
    cb.SetTime(1439),
    cb.SetDays(127),
    cb.SetZone(3),
    cb.SetZoneName("America/Indiana/Knox"),
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


# Valid buttons of every kind, built from each field's own domain (never filtered through the
# parser, which would hide a parser that refuses what the bot itself encodes).
ids = st.from_regex(r"\A[a-z0-9][a-z0-9-]{1,23}\Z")
counts = st.integers(0, 999_999_999)
minutes = st.integers(0, 24 * 60 - 1)
zones = st.from_regex(r"\A[A-Z][a-z_]{1,12}/[A-Z][A-Za-z_]{1,14}\Z")
admin = st.one_of(
    st.builds(cb.AdminAction, st.sampled_from(["idle", "btn", "go", "x", "p", "r", "c"]), counts),
    st.builds(cb.AdminAction, st.just("retry"), counts),
    st.builds(cb.AdminAction, st.just("lang"), counts, st.sampled_from(["en", "ru", "uk"])),
    st.builds(cb.AdminAction, st.just("ser"), counts, st.integers(0, 99).map(str)),
    st.builds(cb.AdminAction, st.just("at"), counts, st.sampled_from(["60", "tm"])),
    st.builds(cb.AdminAction, st.just("unc"), counts, st.sampled_from(["ask", "ok", "no"])),
)
VALID = st.one_of(
    st.sampled_from(ALL),
    st.builds(cb.Menu, st.booleans()),
    st.builds(cb.Language, st.sampled_from(["en", "ru", "uk"])),
    st.builds(cb.SeriesList, counts),
    st.builds(cb.SeriesPage, ids, counts, st.booleans()),
    st.builds(cb.OpenLesson, ids),
    st.builds(cb.StartQuiz, ids),
    st.builds(cb.ResumeQuiz, counts),
    st.builds(cb.Answer, counts, counts, counts),
    st.builds(cb.Subscriptions, st.booleans()),
    st.builds(
        cb.SubscriptionAction, st.sampled_from(["subscribe", "pause", "resume", "unsubscribe"]), ids
    ),
    st.builds(cb.PauseFromDrip, ids),
    st.builds(cb.Recap, ids),
    st.builds(cb.Settings, st.sampled_from([None, "t", "d", "z", "q"])),
    st.builds(cb.SetTime, minutes),
    st.builds(cb.SetDays, st.integers(1, 127)),
    st.builds(cb.SetZone, counts),
    st.builds(cb.SetZoneName, zones),
    st.just(cb.SetQuiet(None)),
    st.tuples(minutes, minutes).filter(lambda p: p[0] != p[1]).map(lambda p: cb.SetQuiet(*p)),
    st.builds(cb.AskInput, st.sampled_from(["t", "z", "q"])),
    st.builds(cb.ReviewAnswer, counts, counts, counts, st.integers(10**9, 10**10 - 1)),
    st.builds(cb.Rate, counts, counts, st.integers(1, 5)),
    st.builds(cb.RateBack, counts, counts),
    st.builds(cb.AssessLater, counts),
    st.builds(cb.AssessStart, st.booleans()),
    st.builds(cb.AssessRestart, counts, st.booleans()),
    st.builds(cb.TeamAction, st.sampled_from(["r", "l", "ll", "d", "dd"]), counts),
    st.builds(cb.MyData, st.booleans()),
    admin,
)


@given(VALID)
def test_every_valid_button_round_trips(item):
    data = item.encode()
    assert len(data.encode()) <= cb.MAX_BYTES, data
    assert cb.parse(data) == item, data


def test_every_kind_of_button_is_in_the_examples():
    kinds = set(cb.Callback.__args__)  # the union of every kind parse() may return
    assert kinds == {type(x) for x in ALL}, kinds ^ {type(x) for x in ALL}

"""Callback data: round trips, the 64-byte limit, and forged data that must parse to None."""

from __future__ import annotations

import pytest
from hypothesis import given, reject, settings
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
    cb.Subscriptions(fresh=True),
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
    cb.AdminAction("unc", 7, "ok"),
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
    cb.RateLesson(123456789, 5),
    cb.RateLesson(123456789, 0),
    cb.SkipUnclear("we-know-better"),
    cb.Commit("tools-and-business-case", True),
    cb.Commit("silos", False),
    cb.FollowUp(123456789, "done"),
    cb.FollowUp(123456789, "later"),
    cb.FollowUp(123456789, "failed"),
    cb.SkipNote(123456789),
    cb.Journal(),
    cb.Journal(12),
    cb.LiftStart("why-cx-fails"),
    cb.LiftRate(12, 3, 5),
    cb.StatsLessons(),
    cb.StatsLessons(3, new=True),
    cb.StatsLesson("approach-not-process", 2),
    cb.StatsChart(),
    cb.TeamLessons(4),
    cb.TeamLessons(4, 1, new=True),
    cb.TeamLesson(4, "silos", 3),
    cb.PlanPdf(),
    cb.TemplateFile("journey-map"),
    cb.Links(),
    cb.Links(2),
    cb.LinkNew(),
    cb.LinkSeries("why-cx-fails"),
    cb.LinkTarget("home"),
    cb.LinkTarget("series", "outside-in"),
    cb.LinkTarget("lesson", "silos"),
    cb.InviteNew(),
    cb.InviteNew("@cx_news_en"),
    cb.InviteNew("-1001234567890"),
    cb.Sources(),
    cb.Sources(3, new=True),
    cb.SourcesChart(),
    cb.BonusList(),
    cb.BonusList(2),
    cb.BonusSeries("why-cx-fails"),
    cb.BonusTarget("lesson", "silos"),
    cb.BonusTarget("series", "why-cx-fails"),
    cb.BonusLanguage("lesson", "silos", None),
    cb.BonusLanguage("series", "why-cx-fails", "uk"),
    cb.BonusDelete(7),
    cb.BonusDelete(7, confirmed=True),
    cb.GetBonus(7),
    cb.GetBonus(7, joined=True),
    cb.ChannelPlan(),
    cb.ChannelPlan(2),
    cb.ChannelNew(),
    cb.ChannelNew("series"),
    cb.ChannelNew("quiz", "uk"),
    cb.ChannelLessons("quiz", "en", "why-cx-fails"),
    cb.ChannelQuestions("ru", "silos"),
    cb.ChannelWhen("teaser", "en", "all-is-fine"),
    cb.ChannelWhen("quiz", "uk", "silos", 2, 20261224, 570),
    cb.ChannelWhen("free", "en", typed=True),
    cb.ChannelMove(12),
    cb.ChannelMove(12, 20261224, 1439),
    cb.ChannelMove(12, typed=True),
    cb.ChannelPostAction("v", 12),
    cb.ChannelPostAction("rr", 12),
    cb.ChannelSeriesPlan("en", "why-cx-fails", 21),
    cb.ChannelSeriesPlan("en", "why-cx-fails", 21, 540, True),
    cb.CertGet("prejudices"),
    cb.CertFirstName("prejudices"),
    cb.CertRename("prejudices"),
    cb.CertList(),
    cb.TeamOpen(4),
    cb.TeamManager("m", 4),
    cb.TeamManager("a", 4, 2001),
    cb.TeamManager("x", 4, 0),
    cb.TeamManager("h", 4, 2001),
    cb.TeamManager("hs", 4, 2001),
    cb.TeamManager("hl", 4, 2001),
    cb.TeamShare(4, True),
    cb.TeamShare(4, False),
    cb.AssignMenu(4),
    cb.AssignSeries(4, "outside-in"),
    cb.AssignDue(4, "outside-in", 2),
    cb.AssignCancel(4, 12),
    cb.AssignCancel(4, 12, True),
    cb.DigestDay(4),
    cb.DigestDay(4, 0),
    cb.DigestDay(4, 7),
]


# What ALL encodes to, byte for byte: buttons already sent must keep their meaning.
ENCODED = (
    "menu menu:n more help priv langs qr:123456789 prog lang:uk ser:3 s:why-cx-fails:1 "
    "s:why-cx-fails:1:n l:nominal-leader qs:too-expensive qa:123456789:2:5 subs subs:n "
    "sub:outside-in sp:outside-in sr:outside-in su:outside-in rc:prejudices spd:prejudices set "
    "set:z st:0 st:1439 sd:127 sz:3 szn:America/Indiana/Knox sq:off sq:1320:480 ask:q rv "
    "rv:123456789:12:3:1795438885 ab:go:7 ab:lang:7:uk ab:ser:7:3 ab:at:7:tm ab:unc:7:ok "
    "as:12:26:5 asb:12:3 asl:12 asn asc asi aso:12 asx:12 tms tm:dd:4 tm:l:4 tm:ll:4 md:del "
    "md:yes "
    "fr:123456789:5 fr:123456789:0 fu:we-know-better cm:tools-and-business-case:y cm:silos:n "
    "cf:123456789:d cf:123456789:l cf:123456789:f cn:123456789 jr:0 jr:12 ls:why-cx-fails "
    "lr:12:3:5 "
    "al:0 al:3:n ald:approach-not-process:2 alc tml:4:0 tml:4:1:n tmd:4:silos:3 "
    "p90 tpl:journey-map "
    "lk:0 lk:2 lkn lks:why-cx-fails lkt:h lkt:s:outside-in lkt:l:silos lki lki:@cx_news_en "
    "lki:-1001234567890 fn:0 fn:3:n fnc "
    "bn:0 bn:2 bns:why-cx-fails bnt:l:silos bnt:s:why-cx-fails bnl:l:silos:all "
    "bnl:s:why-cx-fails:uk bnd:7 bnx:7 bg:7 bg:7:j "
    "cpl:0 cpl:2 cpn cpn:s cpn:q:uk cps:q:en:why-cx-fails cpq:ru:silos cpw:t:en:all-is-fine:-:-:- "
    "cpw:q:uk:silos:2:20261224:570 cpw:f:en:-:-:-:-:k cpm:12:-:- cpm:12:20261224:1439 "
    "cpm:12:-:-:k cpx:v:12 cpx:rr:12 cpd:en:why-cx-fails:21 cpd:en:why-cx-fails:21:540:ok "
    "ctg:prejudices ctn:prejudices ctr:prejudices cts "
    "tmo:4 tmc:m:4:0 tmc:a:4:2001 tmc:x:4:0 tmc:h:4:2001 tmc:hs:4:2001 tmc:hl:4:2001 tsh:4:1 "
    "tsh:4:0 agm:4 ags:4:outside-in agd:4:outside-in:2 agx:4:12 agx:4:12:y dgd:4 dgd:4:0 "
    "dgd:4:7"
).split()


def test_every_kind_round_trips_within_64_bytes():
    for item in ALL:
        data = item.encode()
        assert len(data.encode()) <= cb.MAX_BYTES
        assert cb.parse(data) == item


def test_encodings_never_change():
    assert [item.encode() for item in ALL] == ENCODED


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
        "menu:",
        "rv:",
        "qr:1\n",
        "l:silos\n",
    ]:
        assert cb.parse(data) is None, data


@given(st.text(max_size=80))
def test_parse_never_raises(data):
    result = cb.parse(data)
    if result is not None:
        assert cb.parse(result.encode()) == result


# Valid buttons of every kind, drawn from each field's declared domain (never filtered through
# the parser, which would hide a parser that refuses what the bot itself encodes): a new kind
# is covered without touching this file; a new kind of domain needs a line in domain_values.
def domain_values(domain: cb.Domain) -> st.SearchStrategy:
    if isinstance(domain, cb.Int):
        return st.integers(domain.values.start, domain.values.stop - 1)
    if isinstance(domain, cb.Text):
        return st.from_regex(domain.pattern, fullmatch=True)
    if isinstance(domain, cb.Maybe):
        return st.none() | domain_values(domain.inner)
    if isinstance(domain, cb.Choice):  # and Flag, Prefix
        return st.sampled_from(list(domain.values.values()))
    raise TypeError(f"no strategy for {domain!r}")


@st.composite
def buttons(draw, kind: type[cb.Callback]) -> cb.Callback:
    values: dict[str, object] = {}
    for name, domain in kind.domains.items():  # in order: Given picks by an earlier field
        values[name] = draw(domain_values(domain.pick(values)))
    return kind(**values)


def valid_buttons(kind: type[cb.Callback]) -> st.SearchStrategy:
    return buttons(kind).filter(lambda item: item.valid())  # the rules between fields


VALID = st.one_of([valid_buttons(kind) for kind in cb.KINDS])


def encoded(item: cb.Callback) -> str | None:
    """The button's data; None when (and only when) it is too long (a long zone name)."""
    try:
        return item.encode()
    except ValueError as error:
        assert f"over {cb.MAX_BYTES} bytes" in str(error), error
        return None


@pytest.mark.parametrize("kind", cb.KINDS, ids=lambda kind: kind.__name__)
@given(data=st.data())
def test_every_valid_button_round_trips(kind, data):
    item = data.draw(valid_buttons(kind))
    assert type(item) is kind
    if (text := encoded(item)) is None:
        reject()
    assert len(text.encode()) <= cb.MAX_BYTES, text
    assert cb.parse(text) == item, text


def test_the_derived_strategy_yields_valid_buttons_of_every_kind():
    seen: set[type] = set()

    @settings(max_examples=1000, database=None)
    @given(VALID)
    def sample(item):
        if encoded(item) is not None:
            seen.add(type(item))

    sample()
    assert seen == set(cb.KINDS), set(cb.KINDS) - seen


def test_an_instance_over_64_bytes_cannot_be_encoded():
    zone = "America/" + "Z" * 60  # valid as a zone name, too long as callback data
    assert cb.ZONE_RE.match(zone)
    with pytest.raises(ValueError, match="64 bytes"):
        cb.SetZoneName(zone).encode()
    assert cb.parse("szn:" + zone) is None


def test_out_of_domain_instances_cannot_be_encoded():
    for item in (
        cb.SetTime(1440),
        cb.SetDays(0),
        cb.SetQuiet(5, 5),
        cb.SetQuiet(5),
        cb.SetQuiet(None, 5),
        cb.Rate(1, 2, 6),
        cb.OpenLesson("Bad_Id"),
        cb.Language("de"),
        cb.AdminAction("go", 1, "extra"),
        cb.AdminAction("lang", 1),
        cb.SubscriptionAction("follow", "outside-in"),
        cb.ReviewAnswer(1, 0, 0, 123),
        cb.Answer(True, 0, 0),
    ):
        with pytest.raises(ValueError):
            item.encode()


def test_handler_patterns_match_their_kinds_only():
    for item in ALL:
        data = item.encode()
        matching = {kind for kind in cb.KINDS if kind.pattern.match(data)}
        assert matching == {type(item)}, data
    assert cb.Answer.pattern.match("qa:1:2:3") and not cb.Answer.pattern.match("qaz:1")
    assert cb.StartReview.pattern.match("rv") and not cb.StartReview.pattern.match("rv:1:2:3:4")
    assert cb.Menu.pattern.match("menu") and cb.Menu.pattern.match("menu:n")
    assert not cb.Menu.pattern.match("menus")
    assert cb.SubscriptionAction.pattern.match("sp:x") and not cb.Subscriptions.pattern.match("sp")


def test_every_kind_of_button_is_in_the_examples():
    kinds = set(cb.KINDS)  # every kind parse() may return
    assert kinds == {type(x) for x in ALL}, kinds ^ {type(x) for x in ALL}

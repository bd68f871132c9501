"""Attribution: a learner's first source is kept, later starts are counted; joins through our
invite links are remembered; the funnel per source (what learners did after they came, still
active after 7 and 30 days), its CSV; tracked starts, making links, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.services import attribution, start, stats
from bot.services.env import Env
from storage.attribution import FunnelSteps, count_steps
from tests import lessons as made
from tests.hermetic import HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


async def test_the_first_source_is_kept_and_later_ones_counted(db):
    await db.touch_user(1, "Ann", "en", NOW)
    for code in ("post7", "ad-fb"):
        await db.create_tracked_link(code, "link", code, NOW)
    assert await db.record_arrival(1, "post7", NOW) is True
    assert await db.record_arrival(1, "ad-fb", NOW + timedelta(days=1)) is False
    assert await db.record_arrival(1, "post7", NOW + timedelta(days=2)) is False
    rows = await db.db.fetch("SELECT code, first, times FROM arrivals ORDER BY code")
    assert [(r["code"], bool(r["first"]), r["times"]) for r in rows] == [
        ("ad-fb", False, 1),
        ("post7", True, 2),
    ]


async def test_channel_joins_through_our_invite_links(db):
    link = "https://t.me/+AbCdEf123"
    made = await db.create_tracked_link("inv1", "invite", "Partner X", NOW, channel="@cx",
                                        invite_link=link)  # fmt: skip
    assert (await db.tracked_invite(link)).code == made.code
    assert await db.tracked_invite("https://t.me/+other") is None
    await db.record_channel_join("@cx", 42, "inv1", "link", NOW)
    await db.record_channel_left("@cx", 42, NOW + timedelta(hours=1))
    await db.record_channel_join("@cx", 42, None, "request", NOW + timedelta(days=1))
    row = await db.db.fetchrow("SELECT * FROM channel_joins WHERE user_id = 42")
    assert (row["code"], row["via"], row["left_at"]) == ("inv1", "request", None)


# The funnel per source: counts on both databases -------------------------------------------
DAY = timedelta(days=1)


def _catalog():
    quiz = [made.question(("right", "wrong", "other")), made.question()]
    return made.catalog({"en": [made.lesson("silos", quiz=quiz), made.lesson("culture")]})


def _env(db, **settings) -> Env:
    return Env(HermeticSettings(**settings), db, _catalog(), lambda: NOW)


async def _learner(db, user_id: int, first_seen, last_seen=None) -> None:
    await db.touch_user(user_id, f"U{user_id}", "en", first_seen)
    if last_seen is not None:
        await db.touch_user(user_id, f"U{user_id}", "en", last_seen)


async def _seed(db) -> None:
    """Learners through named links 'ad' and 'news' and a quiz post's button, at different
    dates; channel joins through invite link 'inv'."""
    await db.create_tracked_link("ad", "link", "=HYPERLINK(\"x\")", NOW - 60 * DAY,
                                 target="l_silos")  # fmt: skip
    await db.create_tracked_link("news", "link", "Newsletter", NOW - 60 * DAY)
    await db.create_tracked_link("inv", "invite", "Partner X", NOW - 60 * DAY, channel="@cx",
                                 invite_link="https://t.me/+Partner")  # fmt: skip
    post = await db.db.write(
        "INSERT INTO channel_posts (channel, language, kind, lesson_id, question, run_at, "
        "status, created_by, created_at, sent_at, poll_counts, reactions) VALUES ('@cx', 'en', "
        "'quiz', 'silos', 0, :at, 'sent', 500, :at, :at, :votes, :reactions) RETURNING id",
        at=NOW - 20 * DAY, votes=json.dumps([3, 5, 1]), reactions=json.dumps({"👍": 4, "🔥": 9}),
    )  # fmt: skip
    await db.create_tracked_link("q1", "post", "quiz: silos", NOW - 20 * DAY,
                                 post_id=post[0]["id"], target="l_silos")  # fmt: skip
    # 1: came through the ad 40 days ago; read, passed a quiz, subscribed; seen 35 days later
    await _learner(db, 1, NOW - 40 * DAY)
    assert await db.record_arrival(1, "ad", NOW - 40 * DAY)
    await db.mark_opened(1, "silos", NOW - 40 * DAY)
    await db.mark_completed(1, "silos", NOW - 39 * DAY)
    await db.set_subscription(1, "series-0", "active", NOW - 39 * DAY)
    await _learner(db, 1, NOW - 5 * DAY)
    # 2: through the ad 10 days ago, opened a lesson, subscribed then unsubscribed; seen the
    # next day only: old enough for the 7-day count, not active then
    await _learner(db, 2, NOW - 10 * DAY, NOW - 9 * DAY)
    assert await db.record_arrival(2, "ad", NOW - 10 * DAY)
    await db.mark_opened(2, "culture", NOW - 10 * DAY)
    await db.set_subscription(2, "series-1", "active", NOW - 10 * DAY)
    await db.set_subscription(2, "series-1", None, NOW - 9 * DAY)
    # 3: through the ad yesterday: too new for either count
    await _learner(db, 3, NOW - DAY)
    assert await db.record_arrival(3, "ad", NOW - DAY)
    # 4: first through the post 20 days ago (still here 8 days later), then the ad twice
    await _learner(db, 4, NOW - 20 * DAY, NOW - 12 * DAY)
    assert await db.record_arrival(4, "q1", NOW - 20 * DAY)
    assert not await db.record_arrival(4, "ad", NOW - 15 * DAY)
    assert not await db.record_arrival(4, "ad", NOW - 14 * DAY)
    # 5: a learner before any link (read and passed silos, subscribed), then the newsletter:
    # what was done before it is not the newsletter's
    await _learner(db, 5, NOW - 50 * DAY)
    await db.mark_opened(5, "silos", NOW - 50 * DAY)
    await db.mark_completed(5, "silos", NOW - 50 * DAY)
    await db.set_subscription(5, "series-0", "active", NOW - 50 * DAY)
    assert await db.record_arrival(5, "news", NOW - 8 * DAY)
    await db.mark_opened(5, "silos", NOW - 7 * DAY)  # opened again: still the first time
    await _learner(db, 5, NOW - DAY)
    # the channel: learner 1 and two strangers joined through 'inv', one left; one joined
    # without any link of ours
    for user_id in (1, 98, 99):
        await db.record_channel_join("@cx", user_id, "inv", "link", NOW - 3 * DAY)
    await db.record_channel_left("@cx", 98, NOW - DAY)
    await db.record_channel_join("@cx", 2, None, "request", NOW - DAY)


async def test_the_funnel_counts_each_learner_once_for_their_first_source(db):
    await _seed(db)
    tallies = {t.link.code: t for t in await db.link_tallies(NOW)}
    ad, news, post, inv = tallies["ad"], tallies["news"], tallies["q1"], tallies["inv"]
    # the ad: first source of 1, 2 and 3; learner 4 came through it too (twice), not first
    assert (ad.learners, ad.starts) == (4, 5)
    assert ad.steps == FunnelSteps(firsts=3, opened=2, quiz=1, subscribed=2, old_7=2,
                                   active_7=1, old_30=1, active_30=1)  # fmt: skip
    # the post: learner 4, still here 8 days later, too new for the 30-day count
    assert post.steps == FunnelSteps(firsts=1, old_7=1, active_7=1)
    # the newsletter: learner 5, whose lessons and subscription came before it
    assert news.steps == FunnelSteps(firsts=1, old_7=1, active_7=1)
    assert (inv.joins, inv.left, inv.joiners_started, inv.steps) == (3, 1, 1, FunnelSteps())
    assert [t.link.code for t in await db.link_tallies(NOW, ("invite",))] == ["inv"]


def test_active_after_n_days_counts_only_arrivals_that_old():
    rows = [
        {"code": "a", "arrived_at": NOW - 7 * DAY, "last_seen": NOW, "opened": 1, "quiz": 0,
         "subscribed": 0},  # exactly 7 days old, seen 7 days later: counted, active
        {"code": "a", "arrived_at": NOW - 7 * DAY + timedelta(seconds=1), "last_seen": NOW,
         "opened": 0, "quiz": 0, "subscribed": 0},  # a second too new: not counted
        {"code": "a", "arrived_at": NOW - 31 * DAY, "last_seen": NOW - 2 * DAY, "opened": 1,
         "quiz": 1, "subscribed": 1},  # 29 days later: active after 7, not after 30
    ]  # fmt: skip
    assert count_steps(rows, NOW) == {
        "a": FunnelSteps(
            firsts=3, opened=2, quiz=1, subscribed=1, old_7=2, active_7=2, old_30=1, active_30=0
        )
    }


async def test_the_report_groups_a_posts_buttons_and_orders_by_first_starts(db):
    await _seed(db)
    second = await db.db.fetchval("SELECT id FROM channel_posts")
    await db.create_tracked_link("q2", "post", "quiz: bot button", NOW - 20 * DAY, post_id=second)
    await _learner(db, 6, NOW - 19 * DAY)
    assert await db.record_arrival(6, "q2", NOW - 19 * DAY)
    report = await attribution.funnel(_env(db), "en")
    assert [(s.kind, s.name) for s in report.sources] == [
        ("link", '=HYPERLINK("x")'), ("post", "quiz: silos / quiz: bot button"),
        ("link", "Newsletter"), ("invite", "Partner X"),
    ]  # fmt: skip
    post = report.sources[1]
    assert (post.steps.firsts, post.learners, post.starts, post.title) == (2, 2, 2, "silos")
    assert [(o.letter, o.text, o.votes) for o in post.poll] == [
        ("A", "right", 3), ("B", "wrong", 5), ("C", "other", 1),
    ]  # fmt: skip
    assert post.reactions == (("🔥", 9), ("👍", 4))
    assert report.sources[0].destination == attribution.Destination("lesson", "silos", "silos")
    assert [s.name for s in attribution.top_sources(report)] == [
        '=HYPERLINK("x")', "quiz: silos / quiz: bot button", "Newsletter",
    ]  # fmt: skip


async def test_funnel_csv_in_the_export_counts_only_and_guards_formulas(db):
    await _seed(db)
    exports = await stats.exports(_env(db), "en")
    funnel = exports[-1]
    assert (funnel.filename, funnel.kind, funnel.rows) == ("funnel.csv", "funnel", 4)
    rows = list(csv.DictReader(io.StringIO(funnel.data.decode())))
    assert list(rows[0]) == list(attribution.FUNNEL_COLUMNS)
    ad = rows[0]
    assert ad["source"] == '\'=HYPERLINK("x")'  # a formula is made text
    assert (ad["source_kind"], ad["opens"], ad["lesson_id"], ad["title"]) == (
        "link", "lesson", "silos", "silos",
    )  # fmt: skip
    assert [ad[k] for k in ("first_starts", "learners", "starts", "first_lesson_opened",
                            "quiz_done", "subscribed", "arrived_7_days_ago",
                            "active_after_7_days", "arrived_30_days_ago",
                            "active_after_30_days")] == "3 4 5 2 1 2 2 1 1 1".split()  # fmt: skip
    post = next(r for r in rows if r["source_kind"] == "post")
    # a cell starting with "@" is guarded too (a spreadsheet shows it as written)
    assert (post["post_kind"], post["lesson_id"], post["channel"]) == ("quiz", "silos", "'@cx")
    assert post["poll_votes"] == "A right: 3; B wrong: 5; C other: 1"
    assert post["reactions"] == "🔥 9; 👍 4"
    invite = next(r for r in rows if r["source_kind"] == "invite")
    assert (invite["channel_joins"], invite["channel_left"], invite["joiners_started_bot"]) == (
        "3", "1", "1",
    )  # fmt: skip
    text = funnel.data.decode()
    assert "U1" not in text and ",98," not in text  # counts only, never who


# Starts through a tracked link, channel joins ---------------------------------------------------
async def test_a_tracked_start_is_counted_then_opens_its_target(db):
    env = _env(db)
    await db.create_tracked_link("ad", "link", "Ad", NOW, target="l_silos")
    await db.create_tracked_link("home", "link", "Home", NOW)
    await db.create_tracked_link("inv", "invite", "Inv", NOW, channel="@cx",
                                 invite_link="https://t.me/+x")  # fmt: skip
    me, _ = await db.touch_user(1, "A", "en", NOW)
    arrival = await start.arrive(env, me, "en", "c_ad", True)
    assert arrival.greet and arrival.target.lesson.id == "silos" and arrival.missing is None
    home = await start.arrive(env, me, "en", "c_home", False)
    assert home.target is None and home.home is not None and home.missing is None
    for plain in ("c_nope", "c_inv", "c_bad!code"):  # unknown, an invite's, malformed
        arrival = await start.arrive(env, me, "en", plain, False)
        assert arrival.home is not None and arrival.missing is None, plain
    rows = await db.db.fetch("SELECT code, first, times FROM arrivals ORDER BY code")
    assert [(r["code"], bool(r["first"]), r["times"]) for r in rows] == [
        ("ad", True, 1), ("home", False, 1),
    ]  # fmt: skip


async def test_a_tracked_link_to_a_lesson_since_removed_says_it_is_not_found(db):
    await db.create_tracked_link("old", "link", "Old", NOW, target="l_withdrawn")
    me, _ = await db.touch_user(1, "A", "en", NOW)
    arrival = await start.arrive(_env(db), me, "en", "c_old", False)
    assert arrival.target is None and arrival.missing == "lesson"


async def test_joins_through_our_invite_links_in_configured_channels_only(db):
    env = _env(db, channel="@cx_news")
    await db.create_tracked_link("inv", "invite", "Inv", NOW, channel="@cx_news",
                                 invite_link="https://t.me/+ours")  # fmt: skip
    changed = attribution.member_changed
    assert await changed(env, -100123, "CX_News", 7, "https://t.me/+ours", joined=True)
    assert not await changed(env, -100123, "cx_news", 8, "https://t.me/+theirs", joined=True)
    assert not await changed(env, -100123, "cx_news", 9, None, joined=True)
    assert not await changed(env, -100999, "other", 10, "https://t.me/+ours", joined=True)
    assert await changed(env, -100123, "cx_news", 7, None, joined=False)
    rows = await db.db.fetch("SELECT channel, user_id, code, via, left_at FROM channel_joins")
    assert [(r["channel"], r["user_id"], r["code"], r["via"], r["left_at"] is not None)
            for r in rows] == [("@cx_news", 7, "inv", "link", True)]  # fmt: skip


# Making links ----------------------------------------------------------------------------------
async def test_a_named_link_is_made_from_its_target_and_typed_name(db):
    env = _env(db)
    admin, _ = await db.touch_user(500, "Boss", "en", NOW)
    opens = await attribution.ask_link_name(env, admin, "en", "lesson", "silos")
    assert opens == attribution.Destination("lesson", "silos", "silos")
    admin = await db.get_user(500)
    assert admin.awaiting == "lk:l_silos"
    assert (await attribution.name_link(env, admin, "en", "   ")).empty
    assert (await attribution.name_link(env, admin, "en", "x" * 65)).too_long == 64
    named = await attribution.name_link(env, admin, "en", "  Article   on vc.ru ")
    link = named.link
    assert (link.kind, link.name, link.target, link.created_by) == (
        "link", "Article on vc.ru", "l_silos", 500,
    )  # fmt: skip
    assert len(start.parse_deep_link(attribution.start_payload(link.code)).target_id) <= 62
    assert (await db.get_user(500)).awaiting is None
    with pytest.raises(attribution.Gone):
        await attribution.ask_link_name(env, admin, "en", "series", "withdrawn")
    home = await attribution.ask_link_name(env, admin, "en", "home", None)
    assert home.kind == "home" and (await db.get_user(500)).awaiting == "lk:"


async def test_an_invite_link_is_made_in_the_channel_or_its_refusal_said(db):
    env = _env(db, channels="en:@cx_en,ru:@cx_ru")
    admin, _ = await db.touch_user(500, "Boss", "en", NOW)
    ask = await attribution.ask_invite_name(env, admin, None)
    assert ask.channels == ("@cx_en", "@cx_ru") and ask.channel is None  # choose one
    ask = await attribution.ask_invite_name(env, admin, "@cx_ru")
    assert ask.channel == "@cx_ru"
    made_in = []

    async def make(channel: str, name: str) -> str | None:
        made_in.append((channel, name))
        return "https://t.me/+Made"

    named = await attribution.name_invite(env, await db.get_user(500), "Partner", make)
    assert made_in == [("@cx_ru", "Partner")]
    assert (named.link.kind, named.link.channel, named.link.invite_link) == (
        "invite", "@cx_ru", "https://t.me/+Made",
    )  # fmt: skip
    assert (await db.tracked_invite("https://t.me/+Made")).code == named.link.code

    async def refuse(channel: str, name: str) -> str | None:
        return None

    await attribution.ask_invite_name(env, admin, "@cx_en")
    refused = await attribution.name_invite(env, await db.get_user(500), "Other", refuse)
    assert refused.refused and refused.channel == "@cx_en" and refused.link is None
    assert (await db.get_user(500)).awaiting is None
    assert (await attribution.ask_invite_name(_env(db), admin, None)).channels == ()

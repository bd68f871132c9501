"""The channel's posting calendar: which posts are due, "plan a series" across DST, the posts
within Telegram's limits in every language, and the storage on SQLite and PostgreSQL —
claims once between two owners, leases, 'sending' left by a crash, cancel and move only
while planned, poll votes and reactions."""

from __future__ import annotations

import asyncio
import functools
import json
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot import callbacks as cb
from bot.i18n import LANGUAGES, translator
from bot.render import channel as screens
from bot.services import channel
from bot.services.channel import (
    ChannelOf,
    PlanView,
    PostKind,
    PostState,
    PostView,
    Step,
    day_choices,
    is_due,
    local_moment,
    parse_when,
    series_times,
    time_choices,
)
from bot.services.env import Env
from content.loader import load
from content.model import Catalog
from content.telegram_html import parse_html
from domain.records import ChannelPost
from storage.channel import NewPost
from tests.hermetic import Clock, HermeticSettings

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)  # a Monday
LONDON, KYIV = ZoneInfo("Europe/London"), ZoneInfo("Europe/Kyiv")
MON, WED, FRI, SUN = 1, 4, 16, 64  # weekday bits (bit 0 = Monday)


@functools.cache
def catalog() -> Catalog:
    return load().catalog


def post(status: str = "planned", run_at: datetime = NOW) -> ChannelPost:
    return ChannelPost(1, "@cx", "en", "teaser", run_at, status, 500, NOW, lesson_id="silos")


# Rules -----------------------------------------------------------------------------------
def test_a_post_is_due_when_planned_and_its_time_has_come():
    assert is_due(post(), NOW)
    assert is_due(post(run_at=NOW - timedelta(days=1)), NOW)  # late (downtime): still once
    assert not is_due(post(run_at=NOW + timedelta(seconds=1)), NOW)
    for status in ("sending", "sent", "failed", "unconfirmed", "cancelled"):
        assert not is_due(post(status), NOW), status


def test_a_series_fills_the_chosen_weekdays_at_a_local_time_across_dst():
    # Europe/London goes to summer time on Sunday 28 March 2027: 09:00 stays 09:00 locally
    friday = datetime(2027, 3, 26, 8, 0, tzinfo=UTC)
    runs = series_times(4, MON | WED | FRI, 9 * 60, LONDON, friday)
    assert runs == [
        datetime(2027, 3, 26, 9, 0, tzinfo=UTC),  # Friday, GMT
        datetime(2027, 3, 29, 8, 0, tzinfo=UTC),  # Monday, BST
        datetime(2027, 3, 31, 8, 0, tzinfo=UTC),
        datetime(2027, 4, 2, 8, 0, tzinfo=UTC),
    ]
    assert all(r.astimezone(LONDON).hour == 9 for r in runs)
    # Kyiv leaves summer time on Sunday 25 October 2026
    runs = series_times(3, SUN | MON, 21 * 60, KYIV, datetime(2026, 10, 24, 12, tzinfo=UTC))
    assert [r.astimezone(KYIV).strftime("%a %d %H:%M") for r in runs] == [
        "Sun 25 21:00",
        "Mon 26 21:00",
        "Sun 01 21:00",
    ]
    assert runs[0] == datetime(2026, 10, 25, 19, 0, tzinfo=UTC)  # EET: UTC+2


def test_a_series_starts_today_only_while_the_time_is_ahead_and_has_one_per_chosen_day():
    monday_8 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    assert series_times(1, MON, 9 * 60, LONDON, monday_8)[0].date() == date(2026, 11, 23)
    assert series_times(1, MON, 7 * 60, LONDON, monday_8)[0].date() == date(2026, 11, 30)
    runs = series_times(7, WED | FRI, 12 * 60, KYIV, NOW)
    days = [r.astimezone(KYIV).date() for r in runs]
    assert len(set(days)) == 7 and days == sorted(days)
    assert {d.weekday() for d in days} == {2, 4}
    assert series_times(3, 0, 9 * 60, KYIV, NOW) == []


def test_a_time_skipped_by_spring_forward_moves_on_with_the_clock():
    gap = local_moment(date(2027, 3, 28), 60 + 30, LONDON)  # 01:30 does not exist that day
    assert gap == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert gap.astimezone(LONDON).strftime("%H:%M") == "02:30"


def test_the_pickers_offer_only_moments_ahead_in_the_admins_zone():
    evening = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 20:30 in Kyiv
    today = date(2026, 11, 23)
    assert time_choices(today, evening, KYIV) == [21 * 60]
    assert day_choices(evening, KYIV)[0] == today
    late = datetime(2026, 11, 23, 19, 30, tzinfo=UTC)  # 21:30 in Kyiv: nothing left today
    days = day_choices(late, KYIV)
    assert days[0] == date(2026, 11, 24) and len(days) == 7
    assert len(day_choices(NOW, KYIV)) == 8  # today, and the same weekday next week


def test_a_typed_date_is_read_in_the_admins_zone():
    assert parse_when("2026-12-24 09:30", KYIV) == datetime(2026, 12, 24, 7, 30, tzinfo=UTC)
    assert parse_when(" 2026-12-24T9.05 ", LONDON) == datetime(2026, 12, 24, 9, 5, tzinfo=UTC)
    for text in ("24.12.2026 09:30", "2026-02-30 09:00", "2026-12-24 25:00", "tomorrow", ""):
        assert parse_when(text, KYIV) is None, text


def test_the_longest_choices_fit_in_a_button():
    longest = "a" * 24
    for item in (
        cb.ChannelWhen("quiz", "uk", longest, 11, 20991231, 1439),
        cb.ChannelWhen("teaser", "en", longest, typed=True),
        cb.ChannelMove(999999999, 20991231, 1439),
        cb.ChannelSeriesPlan("ru", longest, 127, 1439, True),
        cb.ChannelLessons("quiz", "uk", longest),
    ):
        assert len(item.encode().encode()) <= cb.MAX_BYTES
        assert cb.parse(item.encode()) == item


# The posts, in every language, within Telegram's limits ------------------------------------
def shown(html: str) -> str:
    return parse_html(html).text


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_post_fits_telegrams_limits(lang):
    t = translator(lang)
    link = "https://t.me/cxcoach_bot?start=c_abcdefghjk"
    for series in catalog().series_list(lang):
        digest = screens.digest_post(t, series, link)
        assert len(shown(digest.text)) <= 4096
        assert series.series.title in shown(digest.text)
        assert all(lesson.title in shown(digest.text) for lesson in series.lessons)
        for lesson in series.lessons:
            teaser = screens.teaser_post(t, lesson, series, link)
            assert lesson.title in shown(teaser.text) and len(shown(teaser.text)) <= 4096
            [[url]] = teaser.keyboard.inline_keyboard
            assert url.url == link and len(url.text) <= 40
            for question in lesson.quiz:
                poll = screens.quiz_poll(t, question, link)
                assert 1 <= len(poll.question) <= 300
                assert 2 <= len(poll.options) <= 12
                assert all(1 <= len(option) <= 100 for option in poll.options)
                assert len(poll.explanation) <= 200 and poll.explanation.count("\n") <= 2
                assert poll.options[poll.correct] == question.options[question.correct]
                assert poll.keyboard.inline_keyboard[0][0].url == link


def _view(n: int, state: PostState, lang: str) -> PostView:
    lesson = catalog().series_list(lang)[0].lessons[0]
    long_error = "Bad Request: need administrator rights in the channel chat " * 4
    return PostView(
        n,
        PostKind.QUIZ,
        state,
        NOW,
        lang,
        "@cxcoach_news_channel",
        lesson.title,
        3,
        NOW,
        long_error,
        (5, 3, 2, 1),
        True,
        (("👍", 12), ("🔥", 3)),
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_plan_and_a_post_screen_fit_in_one_message(lang):
    t = translator(lang)
    upcoming = tuple(_view(n, PostState.PLANNED, lang) for n in range(channel.PER_PAGE))
    recent = tuple(_view(100 + n, s, lang) for n, s in enumerate(PostState))
    channels = tuple(ChannelOf(code, f"@cx_{code}") for code in LANGUAGES)
    plan = PlanView(channels, upcoming, recent, 0, 3, "Europe/Kyiv", KYIV, NOW)
    text = shown(screens.plan_screen(t, plan).text)
    assert len(text) <= 4096 and "#7" in text and "@cx_uk" in text
    for state in PostState:
        screen = screens.post_screen(t, _view(1, state, lang), KYIV)
        assert len(shown(screen.text)) <= 4096
    sent = shown(screens.post_screen(t, _view(1, PostState.SENT, lang), KYIV).text)
    assert "👍 12" in sent and "11" in sent  # the reactions, and the votes in all


# Storage (SQLite and PostgreSQL) -----------------------------------------------------------
LEASE = timedelta(minutes=2)


def new(run_at: datetime = NOW, lesson: str = "silos", code: str | None = None, **kw) -> NewPost:
    return NewPost(
        "@cx",
        "en",
        "teaser",
        run_at,
        lesson_id=lesson,
        link_code=code,
        link_name=code,
        link_target=f"l_{lesson}",
        **kw,
    )


async def plan(db, *posts: NewPost) -> list[ChannelPost]:
    return [p for p, _ in await db.plan_channel_posts(list(posts), 500, NOW)]


def twin(db):
    """A second process's storage on the same database (another replica)."""
    from storage.postgres import PostgresStorage
    from storage.sqlite import SQLiteStorage

    if isinstance(db, SQLiteStorage):
        return SQLiteStorage(db.path)
    assert isinstance(db, PostgresStorage)
    return PostgresStorage(db.dsn, schema=db.schema, pool_size=4)


async def test_planning_keeps_the_post_and_its_tracked_button_once(db):
    [made] = await plan(db, new(code="abc123"))
    assert (made.status, made.channel, made.kind, made.lesson_id) == (
        "planned",
        "@cx",
        "teaser",
        "silos",
    )
    [link] = await db.post_links(made.id)
    assert (link.code, link.kind, link.target, link.post_id) == (
        "abc123",
        "post",
        "l_silos",
        made.id,
    )
    [(again, created)] = await db.plan_channel_posts([new(code="other1")], 500, NOW)
    assert (again.id, created) == (made.id, False)  # a double press plans it once
    assert await db.tracked_link("other1") is None
    assert await db.count_upcoming_channel_posts() == 1


async def test_only_due_planned_posts_are_claimed(db):
    due, _later, cancelled = await plan(
        db, new(), new(NOW + timedelta(hours=1)), new(NOW, "quick-wins")
    )
    assert await db.cancel_channel_post(cancelled.id) is not None
    claimed = await db.claim_channel_posts("a", NOW, NOW - LEASE, 10)
    assert [p.id for p in claimed] == [due.id]
    assert claimed[0].owner == "a"


async def test_two_owners_never_claim_the_same_post(db):
    lessons = [f"lesson-{n}" for n in range(30)]
    await plan(db, *(new(NOW - timedelta(minutes=n), lesson) for n, lesson in enumerate(lessons)))
    other = twin(db)
    await other.open()
    try:
        batches = await asyncio.gather(
            *(
                store.claim_channel_posts(name, NOW, NOW - LEASE, 4)
                for _ in range(6)
                for store, name in ((db, "a"), (other, "b"))
            )
        )
    finally:
        await other.close()
    claimed = [p.id for batch in batches for p in batch]
    assert len(claimed) == len(set(claimed)) == 30
    assert await db.claim_channel_posts("c", NOW, NOW - LEASE, 10) == []


async def test_a_dead_owners_claim_returns_after_the_lease_and_its_send_is_refused(db):
    [made] = await plan(db, new())
    assert [p.id for p in await db.claim_channel_posts("dead", NOW, NOW - LEASE, 5)] == [made.id]
    soon = NOW + timedelta(minutes=1)
    assert await db.claim_channel_posts("alive", soon, soon - LEASE, 5) == []
    expired = NOW + timedelta(minutes=3)
    assert [p.id for p in await db.claim_channel_posts("alive", expired, expired - LEASE, 5)] == [
        made.id
    ]
    assert not await db.mark_channel_post_sending(made.id, "dead", expired)  # taken over
    assert await db.mark_channel_post_sending(made.id, "alive", expired)
    assert not await db.mark_channel_post_sending(made.id, "alive", expired)  # once
    assert await db.finish_channel_post(made.id, "sent", expired, message_id=77)
    sent = await db.channel_post(made.id)
    assert (sent.status, sent.message_id, sent.sent_at) == ("sent", 77, expired)
    assert await db.claim_channel_posts("next", expired, expired, 5) == []


async def test_a_send_cut_by_a_crash_becomes_unconfirmed_and_is_never_claimed_again(db):
    [made, other] = await plan(db, new(), new(NOW, "quick-wins"))
    await db.claim_channel_posts("dead", NOW, NOW - LEASE, 5)
    assert await db.mark_channel_post_sending(made.id, "dead", NOW)
    assert await db.release_channel_posts("dead") == 1  # (a graceful stop gives back the other)
    assert await db.unconfirm_channel_posts(NOW - LEASE, "stopped") == []  # owner may be alive
    later = NOW + timedelta(minutes=3)
    [doubtful] = await db.unconfirm_channel_posts(later - LEASE, "stopped")
    assert (doubtful.id, doubtful.status, doubtful.error) == (made.id, "unconfirmed", "stopped")
    assert [p.id for p in await db.claim_channel_posts("new", later, later, 5)] == [other.id]
    assert not await db.finish_channel_post(made.id, "sent", later)  # too late: in doubt
    # at a SQLite start-up every 'sending' is a dead process's
    await db.mark_channel_post_sending(other.id, "new", later)
    assert [p.id for p in await db.unconfirm_channel_posts(None, "stopped")] == [other.id]
    # posting it again is the admin's choice
    again = await db.resend_channel_post(made.id, later)
    assert (again.status, again.run_at, again.owner, again.error) == ("planned", later, None, None)
    assert await db.resend_channel_post(made.id, later) is None  # planned: nothing to resend


async def test_cancel_and_move_only_while_planned(db):
    [made, sent] = await plan(db, new(), new(NOW, "quick-wins"))
    await db.claim_channel_posts("a", NOW, NOW - LEASE, 5)
    # moved while claimed: the claim is dropped, so the claimant's write-ahead mark fails
    moved = await db.move_channel_post(made.id, NOW + timedelta(days=1))
    assert (moved.run_at, moved.owner) == (NOW + timedelta(days=1), None)
    assert not await db.mark_channel_post_sending(made.id, "a", NOW)
    # not due any more: not claimed either
    assert await db.claim_channel_posts("b", NOW, NOW, 5) == []
    assert await db.mark_channel_post_sending(sent.id, "a", NOW)
    assert await db.move_channel_post(sent.id, NOW + timedelta(days=1)) is None
    assert await db.cancel_channel_post(sent.id) is None
    await db.finish_channel_post(sent.id, "sent", NOW, message_id=5)
    assert await db.cancel_channel_post(sent.id) is None
    cancelled = await db.cancel_channel_post(made.id)
    assert cancelled.status == "cancelled"
    assert await db.move_channel_post(made.id, NOW) is None
    assert await db.cancel_channel_post(made.id) is None
    assert not await db.mark_channel_post_sending(made.id, "a", NOW + timedelta(days=2))
    assert [p.id for p in await db.recent_channel_posts(5)] == [sent.id]
    assert await db.upcoming_channel_posts(5) == []


async def test_a_claimed_post_whose_lesson_left_fails_without_being_sent(db):
    [made] = await plan(db, new())
    await db.claim_channel_posts("a", NOW, NOW - LEASE, 5)
    assert not await db.fail_channel_post(made.id, "b", "gone")  # not b's
    assert await db.fail_channel_post(made.id, "a", "gone")
    assert (await db.channel_post(made.id)).status == "failed"


async def test_poll_votes_and_reactions_are_stored_for_our_posts(db):
    [quiz] = await plan(db, NewPost("@cx", "en", "quiz", NOW, lesson_id="silos", question=1))
    await db.claim_channel_posts("a", NOW, NOW - LEASE, 5)
    await db.mark_channel_post_sending(quiz.id, "a", NOW)
    await db.finish_channel_post(quiz.id, "sent", NOW, message_id=41, poll_id="5001")
    assert await db.record_channel_poll("5001", [1, 0, 0, 0], False)
    assert await db.record_channel_poll("5001", [3, 1, 0, 2], False)
    assert await db.record_channel_poll("5001", [2, 1, 0, 1], False)  # an older one, late
    stored = await db.channel_post(quiz.id)
    assert (json.loads(stored.poll_counts), stored.poll_closed) == ([3, 1, 0, 2], False)
    assert await db.record_channel_poll("5001", [3, 1, 1, 2], True)
    assert await db.record_channel_poll("5001", [3, 1, 2, 2], False)  # closed stays closed
    stored = await db.channel_post(quiz.id)
    assert (json.loads(stored.poll_counts), stored.poll_closed) == ([3, 1, 1, 2], True)
    assert not await db.record_channel_poll("9999", [1, 0], False)  # not ours
    # reactions: the channel named by its @username or its id, as configured
    assert await db.record_channel_reactions(-1001234567890, "CX", 41, {"👍": 3, "🔥": 1})
    assert json.loads((await db.channel_post(quiz.id)).reactions) == {"👍": 3, "🔥": 1}
    assert not await db.record_channel_reactions(-1001234567890, "other", 41, {"👍": 1})
    assert not await db.record_channel_reactions(-1001234567890, "CX", 42, {"👍": 1})
    [by_id] = await db.plan_channel_posts(
        [NewPost("-1001234567890", "en", "digest", NOW, series_id="why-cx-fails")], 500, NOW
    )
    await db.claim_channel_posts("a", NOW, NOW - LEASE, 5)
    await db.mark_channel_post_sending(by_id[0].id, "a", NOW)
    await db.finish_channel_post(by_id[0].id, "sent", NOW, message_id=43)
    assert await db.record_channel_reactions(-1001234567890, None, 43, {"❤": 2})
    assert json.loads((await db.channel_post(by_id[0].id)).reactions) == {"❤": 2}


# Use cases -------------------------------------------------------------------------------
ADMIN = 500


async def admin_env(db, **settings) -> tuple[Env, object]:
    env = Env(HermeticSettings(admin_ids=frozenset({ADMIN}), **settings), db, catalog(), Clock(NOW))
    user, _ = await db.touch_user(ADMIN, "Admin", "en", NOW)
    return env, user


async def test_planning_a_series_makes_one_tracked_teaser_per_lesson_once(db):
    env, admin = await admin_env(db, channels="en:@cx_en,uk:@cx_uk")
    series = catalog().series_list("uk")[0]
    days = await channel.series_plan(env, admin, "en", "uk", series.id, MON | WED | FRI)
    assert days.step is Step.SERIES_DAYS
    asked = await channel.series_plan(env, admin, "en", "uk", series.id, MON | WED | FRI, 540)
    assert asked.step is Step.SERIES_CONFIRM
    assert len(asked.series_plan.runs) == len(series.lessons)
    assert await db.count_upcoming_channel_posts() == 0  # nothing before it is confirmed
    done = await channel.series_plan(env, admin, "en", "uk", series.id, MON | WED | FRI, 540, True)
    assert done.series_plan.planned == len(series.lessons)
    posts = await db.upcoming_channel_posts(50)
    assert [p.lesson_id for p in posts] == [lesson.id for lesson in series.lessons]
    assert {(p.channel, p.language, p.kind) for p in posts} == {("@cx_uk", "uk", "teaser")}
    london = [p.run_at.astimezone(LONDON) for p in posts]  # the admin's zone (English: London)
    assert all(m.strftime("%H:%M") == "09:00" and m.weekday() in (0, 2, 4) for m in london)
    for p in posts:
        [link] = await db.post_links(p.id)
        assert link.target == f"l_{p.lesson_id}" and link.kind == "post"
    again = await channel.series_plan(env, admin, "en", "uk", series.id, MON | WED | FRI, 540, True)
    assert again.series_plan.planned == 0  # a double press plans nothing twice
    assert await db.count_upcoming_channel_posts() == len(series.lessons)


async def test_a_quiz_post_is_planned_through_the_pickers_and_made_from_its_question(db):
    env, admin = await admin_env(db, channel="@cx_news")
    step = await channel.new_post(env, admin, "en", "quiz", None)
    assert step.step is Step.LANGUAGES  # one channel, three languages: which one
    step = await channel.when(env, admin, "en", "quiz", "en", "silos", 1)
    assert step.step is Step.DAYS and step.picker.days[0] == NOW.date()
    step = await channel.when(env, admin, "en", "quiz", "en", "silos", 1, 20261123)
    assert step.step is Step.TIMES and 9 * 60 not in step.picker.times  # 10:00 now (London)
    past = await channel.when(env, admin, "en", "quiz", "en", "silos", 1, 20261123, 9 * 60)
    assert past.step is Step.PAST
    made = await channel.when(env, admin, "en", "quiz", "en", "silos", 1, 20261123, 12 * 60)
    assert made.step is Step.PLANNED and made.view.question_number == 2
    stored = await db.channel_post(made.view.post_id)
    content = await channel.content_of(env, stored)
    _, lesson = catalog().lesson("en", "silos")
    assert content.question == lesson.quiz[1] and content.payload.startswith("c_")
    assert (
        await channel.when(env, admin, "en", "quiz", "en", "silos", 1, 20261123, 12 * 60)
    ).step is Step.ALREADY


async def test_a_typed_date_plans_or_moves_and_a_wrong_one_is_asked_again(db):
    env, admin = await admin_env(db, channel="@cx_news")
    step = await channel.when(env, admin, "en", "teaser", "en", "silos", None, typed=True)
    assert step.step is Step.TYPE_WHEN
    admin = await db.get_user(ADMIN)
    assert admin.awaiting == "cpt:w:teaser:en:silos:-"
    assert (await channel.typed_when(env, admin, "en", "soon")).step is Step.UNREADABLE
    assert (await channel.typed_when(env, admin, "en", "2026-11-23 09:00")).step is Step.PAST
    admin = await db.get_user(ADMIN)  # still awaited after a refusal
    assert (await channel.typed_when(env, admin, "en", "2028-01-01 09:00")).step is Step.TOO_FAR
    admin = await db.get_user(ADMIN)
    made = await channel.typed_when(env, admin, "en", "2026-12-24 09:30")
    assert made.step is Step.PLANNED
    assert made.view.run_at == datetime(2026, 12, 24, 9, 30, tzinfo=UTC)  # London: UTC+0
    await channel.move(env, admin, "en", made.view.post_id, typed=True)
    admin = await db.get_user(ADMIN)
    moved = await channel.typed_when(env, admin, "en", "2026-12-25 08:00")
    assert moved.step is Step.MOVED
    assert moved.view.run_at == datetime(2026, 12, 25, 8, 0, tzinfo=UTC)
    assert (await db.get_user(ADMIN)).awaiting is None


async def test_a_typed_date_for_a_free_post_then_awaits_its_message(db):
    env, admin = await admin_env(db, channel="@cx_news")
    await channel.when(env, admin, "en", "free", "en", None, None, typed=True)
    admin = await db.get_user(ADMIN)
    asked = await channel.typed_when(env, admin, "en", "2026-11-24 09:00")
    assert asked.step is Step.ASK_MESSAGE and asked.channel == "@cx_news"
    admin = await db.get_user(ADMIN)
    assert await channel.free_awaited(env, ADMIN)
    refused = await channel.free_message(env, admin, "en", "sticker", ADMIN, 7)
    assert refused.step is Step.NOT_POSTABLE and await channel.free_awaited(env, ADMIN)
    made = await channel.free_message(env, admin, "en", "text", ADMIN, 7)
    assert made.step is Step.PLANNED and not await channel.free_awaited(env, ADMIN)
    stored = await db.channel_post(made.view.post_id)
    assert (stored.kind, stored.source_chat_id, stored.source_message_id) == ("free", ADMIN, 7)
    assert stored.run_at == datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    assert await db.post_links(stored.id) == []  # the admin's message has no tracked button

"""Bonus materials for channel members: stored per lesson or series, per language or for all;
which one a screen offers; the membership rule; the admin's steps and a learner's claim —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import bonus, lessons
from bot.services.bonus import Claim, Membership, Pending, counts_as_member, pending_of
from bot.services.env import Env, Gone
from tests import lessons as content
from tests.hermetic import Clock, HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
ADMIN = 500


def _catalog():
    every = [content.lesson("silos"), content.lesson("quick-wins")]
    return content.catalog({"en": every, "ru": every, "uk": every})


def _env(db, **settings) -> Env:
    settings = {"channel": "@cxcoach_news", "admin_ids": frozenset({ADMIN}), **settings}
    return Env(HermeticSettings(**settings), db, _catalog(), Clock(NOW))


async def _bonus(db, title: str, at: datetime = NOW, **where):
    return await db.create_bonus(title, ADMIN, 7, ADMIN, at, **where)


# Storage ------------------------------------------------------------------------------------
async def test_bonuses_are_kept_per_lesson_or_series_and_deleted(db):
    lesson = await _bonus(db, "Checklist", lesson_id="silos", language="ru")
    series = await _bonus(db, "Workbook", NOW + timedelta(minutes=1), series_id="series-0")
    assert (lesson.lesson_id, lesson.series_id, lesson.language) == ("silos", None, "ru")
    assert (series.lesson_id, series.series_id, series.language) == (None, "series-0", None)
    assert (lesson.source_chat_id, lesson.source_message_id, lesson.created_by) == (ADMIN, 7, ADMIN)
    assert await db.bonus(lesson.id) == lesson
    assert [b.title for b in await db.bonuses()] == ["Workbook", "Checklist"]  # newest first
    assert await db.delete_bonus(lesson.id)
    assert not await db.delete_bonus(lesson.id)  # a double press
    assert await db.bonus(lesson.id) is None
    assert [b.id for b in await db.bonuses()] == [series.id]
    with pytest.raises(ValueError):
        await _bonus(db, "Both", lesson_id="silos", series_id="series-0")
    with pytest.raises(ValueError):
        await _bonus(db, "Neither")


async def test_a_lesson_offers_its_own_bonus_first_then_its_series_in_the_learners_language(db):
    assert await db.offered_bonus("en", "series-0", "silos") is None
    whole = await _bonus(db, "Series, all", series_id="series-0")
    assert await db.offered_bonus("en", "series-0", "silos") == whole
    series_en = await _bonus(db, "Series, en", series_id="series-0", language="en")
    assert await db.offered_bonus("en", "series-0", "silos") == series_en  # its language first
    assert await db.offered_bonus("uk", "series-0", "silos") == whole
    own_ru = await _bonus(db, "Lesson, ru", lesson_id="silos", language="ru")
    assert await db.offered_bonus("ru", "series-0", "silos") == own_ru  # the lesson's own first
    assert await db.offered_bonus("en", "series-0", "silos") == series_en  # not for English
    own_all = await _bonus(db, "Lesson, all", lesson_id="silos")
    assert await db.offered_bonus("en", "series-0", "silos") == own_all
    assert await db.offered_bonus("ru", "series-0", "silos") == own_ru
    # a series' page offers the series' own only; another series, nothing of these
    assert await db.offered_bonus("ru", "series-0") == whole
    assert await db.offered_bonus("en", "series-0") == series_en
    assert await db.offered_bonus("en", "series-1", "quick-wins") is None
    newer = await _bonus(db, "Lesson, all, newer", NOW + timedelta(hours=1), lesson_id="silos")
    assert await db.offered_bonus("uk", "series-0", "silos") == newer  # the newest of a kind


async def test_the_lesson_and_series_screens_offer_a_bonus_only_where_there_is_a_channel(db):
    env = _env(db, channel=None, channels="ru:@cx_ru")
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    every = await _bonus(db, "Map", series_id="series-0")
    assert (await lessons.open_lesson(env, user, "ru", "silos")).bonus == every
    assert (await lessons.series_view(env, user, "ru", "series-0")).bonus == every
    assert (await lessons.open_lesson(env, user, "en", "silos")).bonus is None  # no en channel
    assert (await lessons.series_view(env, user, "en", "series-0")).bonus is None


# The membership rule ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("status", "is_member", "counts"),
    [
        ("creator", None, True),
        ("administrator", None, True),
        ("member", None, True),
        ("restricted", True, True),  # restricted, but still a member
        ("restricted", False, False),
        ("restricted", None, False),
        ("left", None, False),
        ("kicked", None, False),
    ],
)
def test_which_statuses_count_as_a_member(status, is_member, counts):
    assert counts_as_member(status, is_member) is counts


def test_links_to_a_channel():
    assert bonus.public_link("@cxcoach_news") == "https://t.me/cxcoach_news"
    assert bonus.public_link("-1001234567890") is None
    assert bonus.chat_of("-1001234567890") == -1001234567890
    assert bonus.chat_of("@cxcoach_news") == "@cxcoach_news"


# A learner's claim --------------------------------------------------------------------------
class FakeChannels:
    """What Telegram answers: a status per user (absent: "left"), or a failed check."""

    def __init__(self, statuses=None, failing=False, link="https://t.me/+invite"):
        self.statuses = statuses or {}
        self.failing = failing
        self.link = link
        self.asked: list[tuple[str, int]] = []

    async def membership(self, channel, user_id):
        self.asked.append((channel, user_id))
        if self.failing:
            return None
        return Membership(*self.statuses.get(user_id, ("left", None)))

    async def invite_link(self, channel):
        return self.link


async def test_a_member_of_their_languages_channel_gets_the_bonus_and_others_are_invited(db):
    env = _env(db, channel=None, channels="en:@cx_en,uk:-1001234567890")
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    every = await _bonus(db, "Map", series_id="series-0")
    member = FakeChannels({1: ("member", None)})
    given = await bonus.claim(env, user, "en", every.id, member)
    assert given.result is Claim.GIVEN and given.bonus == every
    assert member.asked == [("@cx_en", 1)]  # asked at that moment, of the learner's channel
    outcome = await bonus.claim(env, user, "en", every.id, FakeChannels())
    assert (outcome.result, outcome.link) == (Claim.NOT_MEMBER, "https://t.me/cx_en")
    restricted = FakeChannels({1: ("restricted", False)})
    outcome = await bonus.claim(env, user, "uk", every.id, restricted)
    assert restricted.asked == [("-1001234567890", 1)]
    assert (outcome.result, outcome.link) == (Claim.NOT_MEMBER, "https://t.me/+invite")
    outcome = await bonus.claim(env, user, "uk", every.id, FakeChannels(link=None))
    assert outcome.result is Claim.UNAVAILABLE  # no link to join can be had
    outcome = await bonus.claim(env, user, "en", every.id, FakeChannels(failing=True))
    assert outcome.result is Claim.UNAVAILABLE  # the check itself failed
    outcome = await bonus.claim(env, user, "ru", every.id, member)
    assert outcome.result is Claim.UNAVAILABLE  # no Russian channel


async def test_a_bonus_deleted_or_for_another_language_is_gone(db):
    env = _env(db)
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    russian = await _bonus(db, "Only ru", lesson_id="silos", language="ru")
    member = FakeChannels({1: ("member", None)})
    with pytest.raises(Gone):
        await bonus.claim(env, user, "en", russian.id, member)
    assert (await bonus.claim(env, user, "ru", russian.id, member)).result is Claim.GIVEN
    await db.delete_bonus(russian.id)
    with pytest.raises(Gone):
        await bonus.claim(env, user, "ru", russian.id, member)
    assert member.asked == [("@cxcoach_news", 1)]  # nothing asked for what is not there


# The admin's steps --------------------------------------------------------------------------
def test_the_awaited_input_round_trips():
    for pending in (
        Pending("lesson", "silos", None),
        Pending("series", "series-0", "uk"),
        Pending("lesson", "silos", "en", "Map: the whole thing"),  # a colon in the title
    ):
        assert pending_of(pending.awaiting()) == pending
    assert Pending("lesson", "silos", None).awaiting() == "bt:l:silos:all"
    for other in (None, "", "z", "u:silos", "bt:x:silos:en", "bt:l", "bm:l:silos:en", "bt:"):
        assert pending_of(other) is None, other


async def test_an_admin_attaches_a_bonus_step_by_step(db):
    env = _env(db)
    admin, _ = await db.touch_user(ADMIN, "Boss", "en", NOW)
    target = await bonus.ask_title(env, admin, "en", "lesson", "silos", "uk")
    assert target.lesson is not None and target.lesson.id == "silos"
    assert (target.kind, target.target_id) == ("lesson", "silos")
    admin = await db.get_user(ADMIN)
    assert admin.awaiting == "bt:l:silos:uk"
    assert await bonus.receive_material(env, ADMIN, "document", ADMIN, 9) is None  # no title yet
    refused = await bonus.typed_title(env, admin, "en", "x" * (bonus.TITLE_LIMIT + 1))
    assert refused is not None and not refused.accepted
    assert (await db.get_user(ADMIN)).awaiting == "bt:l:silos:uk"  # asked again
    step = await bonus.typed_title(env, admin, "en", "  The   checklist ")
    assert step is not None and step.accepted and step.title == "The checklist"
    admin = await db.get_user(ADMIN)
    assert admin.awaiting == "bm:l:silos:uk:The checklist"
    assert await bonus.typed_title(env, admin, "en", "Another") is None  # not a title now
    sticker = await bonus.receive_material(env, ADMIN, "sticker", ADMIN, 10)
    assert sticker is not None and sticker.saved is None  # refused, still awaited
    step = await bonus.receive_material(env, ADMIN, "document", ADMIN, 11)
    assert step is not None and step.saved is not None and step.lang == "en"
    saved = step.saved.bonus
    assert (saved.title, saved.lesson_id, saved.language) == ("The checklist", "silos", "uk")
    assert (saved.source_chat_id, saved.source_message_id) == (ADMIN, 11)
    assert (await db.get_user(ADMIN)).awaiting is None
    assert await bonus.receive_material(env, ADMIN, "document", ADMIN, 12) is None
    assert await bonus.receive_material(env, 999, "document", 999, 1) is None  # unknown user


async def test_a_series_bonus_for_every_language_listed_and_deleted(db):
    env = _env(db)
    admin, _ = await db.touch_user(ADMIN, "Boss", "ru", NOW)
    await bonus.ask_title(env, admin, "ru", "series", "series-1", None)
    await bonus.typed_title(env, await db.get_user(ADMIN), "ru", "Workbook")
    step = await bonus.receive_material(env, ADMIN, "text", ADMIN, 5)
    assert step is not None and step.lang == "ru" and step.saved is not None
    assert (step.saved.bonus.series_id, step.saved.bonus.language) == ("series-1", None)
    view = await bonus.overview(env, "ru")
    [listed] = view.bonuses
    assert listed.target is not None and listed.target.kind == "series"
    assert listed.target.series.id == "series-1"
    assert view.channels == {"en": "@cxcoach_news", "ru": "@cxcoach_news", "uk": "@cxcoach_news"}
    asked = await bonus.delete(env, "ru", listed.bonus.id, confirmed=False)
    assert asked == listed  # asked first
    assert await db.bonus(listed.bonus.id) is not None
    done = await bonus.delete(env, "ru", listed.bonus.id, confirmed=True)
    assert isinstance(done, bonus.Deleted) and done.deleted and done.overview.bonuses == []
    again = await bonus.delete(env, "ru", listed.bonus.id, confirmed=True)
    assert isinstance(again, bonus.Deleted) and not again.deleted  # a double press
    gone = await bonus.delete(env, "ru", listed.bonus.id, confirmed=False)
    assert isinstance(gone, bonus.Deleted) and not gone.deleted  # asked about a deleted one


async def test_targets_gone_from_the_lessons(db):
    env = _env(db)
    await db.touch_user(ADMIN, "Boss", "en", NOW)
    with pytest.raises(Gone):
        bonus.series_of(env, "en", "no-such-series")
    with pytest.raises(Gone):
        bonus.target(env, "en", "lesson", "no-such-lesson")
    assert bonus.series_of(env, "en", "series-0").id == "series-0"
    # a lesson removed by a deploy while its title was being typed
    await db.set_awaiting(ADMIN, "bt:l:retired-lesson:all")
    with pytest.raises(Gone):
        await bonus.typed_title(env, await db.get_user(ADMIN), "en", "Title")
    assert (await db.get_user(ADMIN)).awaiting is None
    orphan = await _bonus(db, "Orphan", lesson_id="retired-lesson")
    [listed] = (await bonus.overview(env, "en")).bonuses
    assert listed.bonus == orphan and listed.target is None  # still listed, to be deleted

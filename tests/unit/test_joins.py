"""Join requests: only configured channels, the greeting's language, the approval (or not),
and the join recorded with our invite link's code — on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.services import joins
from bot.services.env import Env
from bot.services.joins import JoinRequest, configured_channel, greeting_language
from domain.records import User
from tests import lessons as content
from tests.hermetic import Clock, HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)
CHANNEL_ID = -1001234567890


def _env(db, **settings) -> Env:
    settings = {"channel": "@cxcoach_news", **settings}
    every = [content.lesson("silos"), content.lesson("quick-wins")]
    catalog = content.catalog({"en": every, "ru": every, "uk": every})
    return Env(HermeticSettings(**settings), db, catalog, Clock(NOW))


def _request(language: str | None = "uk", link: str | None = None, **chat) -> JoinRequest:
    chat = {"chat_id": CHANNEL_ID, "username": "CXCoach_News", "title": "CX News", **chat}
    return JoinRequest(user_id=42, tg_language=language, invite_link=link, **chat)


class FakeDoor:
    def __init__(self, greets: bool = True, approves: bool = True) -> None:
        self.greets, self.approves = greets, approves
        self.calls: list[object] = []

    async def greet(self, greeting):
        self.calls.append(greeting)
        return self.greets

    async def approve(self):
        self.calls.append("approve")
        return self.approves


def test_only_configured_channels_are_handled():
    channels = ["@cxcoach_news", "-1009876543210"]
    assert configured_channel(channels, CHANNEL_ID, "CXCoach_News") == "@cxcoach_news"
    assert configured_channel(channels, -1009876543210, None) == "-1009876543210"
    assert configured_channel(channels, -1009876543210, "other") == "-1009876543210"
    assert configured_channel(channels, CHANNEL_ID, "other_channel") is None
    assert configured_channel(channels, CHANNEL_ID, None) is None
    assert configured_channel([], CHANNEL_ID, "cxcoach_news") is None


def _user(language: str | None, tg_language: str | None = "en") -> User:
    return User(42, language, tg_language, "Ann", "Europe/Kyiv", NOW, NOW, False)


@pytest.mark.parametrize(
    ("user", "tg_language", "default", "expected"),
    [
        (None, "uk", "en", "uk"),
        (None, "ru-RU", "en", "ru"),
        (None, "de", "en", "en"),  # not one of ours: the default
        (None, "de", "uk", "uk"),
        (None, None, "ru", "ru"),
        (_user("ru"), "uk", "en", "ru"),  # a learner's chosen language first
        (_user(None), "uk", "en", "uk"),
    ],
)
def test_the_greeting_is_in_the_persons_language(user, tg_language, default, expected):
    assert greeting_language(user, tg_language, default) == expected


async def test_a_request_is_greeted_then_approved_and_recorded(db):
    env = _env(db)
    door = FakeDoor()
    outcome = await joins.welcome(env, _request("uk"), door)
    assert (outcome.channel, outcome.greeted, outcome.approved, outcome.code) == (
        "@cxcoach_news", True, True, None
    )  # fmt: skip
    greeting, approve = door.calls
    assert approve == "approve"  # the greeting first: Telegram's window is 5 minutes
    assert greeting.lang == "uk" and greeting.approving and greeting.channel_title == "CX News"
    assert greeting.first_lesson is not None and greeting.first_lesson.id == "silos"
    row = await db.db.fetchrow("SELECT * FROM channel_joins WHERE user_id = 42")
    assert (row["channel"], row["code"], row["via"]) == ("@cxcoach_news", None, "request")


async def test_a_request_through_our_invite_link_records_its_code(db):
    env = _env(db)
    link = "https://t.me/+AbCdEf123"
    await db.create_tracked_link("inv1", "invite", "Partner", NOW, channel="@cxcoach_news",
                                 invite_link=link)  # fmt: skip
    outcome = await joins.welcome(env, _request("en", link), FakeDoor())
    assert outcome.code == "inv1"
    other = await joins.welcome(env, _request("en", "https://t.me/+unknown"), FakeDoor())
    assert other.approved and other.code is None
    row = await db.db.fetchrow("SELECT code FROM channel_joins WHERE user_id = 42")
    assert row["code"] == "inv1"  # a later join without our code keeps the code


async def test_a_failed_greeting_does_not_stop_the_approval(db):
    door = FakeDoor(greets=False)
    outcome = await joins.welcome(_env(db), _request(), door)
    assert not outcome.greeted and outcome.approved
    assert door.calls[-1] == "approve"


async def test_without_approving_the_admins_decide(db):
    door = FakeDoor()
    outcome = await joins.welcome(_env(db, approve_join_requests=False), _request("ru"), door)
    assert outcome.greeted and not outcome.approved
    [greeting] = door.calls  # no approval asked
    assert greeting.lang == "ru" and not greeting.approving
    assert await db.db.fetch("SELECT * FROM channel_joins") == []


async def test_a_refused_approval_is_not_recorded(db):
    outcome = await joins.welcome(_env(db), _request(), FakeDoor(approves=False))
    assert outcome.greeted and not outcome.approved
    assert await db.db.fetch("SELECT * FROM channel_joins") == []


async def test_other_chats_are_left_alone(db):
    door = FakeDoor()
    outcome = await joins.welcome(_env(db), _request(username="someone_else"), door)
    assert outcome.channel is None and door.calls == []
    by_id = await joins.welcome(
        _env(db, channel=None, channels=f"uk:{CHANNEL_ID}"), _request(username=None), door
    )
    assert by_id.channel == str(CHANNEL_ID) and by_id.approved


async def test_a_known_learner_is_greeted_in_their_chosen_language(db):
    env = _env(db)
    await db.touch_user(42, "Ann", "uk", NOW)
    await db.set_language(42, "ru")
    door = FakeDoor()
    await joins.welcome(env, _request("uk"), door)
    assert door.calls[0].lang == "ru"

"""Stand-in channels: invite links, joins and join requests, members, reactions, channel polls."""

from __future__ import annotations

import re
import time
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from telegram import Bot as PTBBot
from telegram import (
    ChatMemberAdministrator,
    ChatMemberLeft,
    ChatMemberMember,
    ChatMemberOwner,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest

from standin import BotAPIStandIn, SimChannel, SimUser
from tests.unit.standins import USER_ID

CHANNEL_ID = -1002001
OWNER_ID = 500
MEMBER_UPDATES = ["chat_member", "chat_join_request", "message_reaction_count", "poll"]


@pytest.fixture
def channel(standin: BotAPIStandIn) -> SimChannel:
    """A private channel the bot administers, owned by user 500."""
    standin.user(OWNER_ID, "Owner")
    return standin.channel(CHANNEL_ID, title="CX news", creator=OWNER_ID)


@pytest_asyncio.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """Plain HTTP client for the control API."""
    async with aiohttp.ClientSession() as session:
        yield session


def refusal(description: str) -> str:
    """A pattern for Telegram's error text (PTB capitalises its first letter)."""
    return "(?i)" + re.escape(description)


async def updates_of(bot: PTBBot, allowed: list[str] | None = None) -> list[Update]:
    """Every pending update (confirming them) of the ``allowed`` types (default: Telegram's
    default set)."""
    updates = await bot.get_updates(timeout=0, allowed_updates=allowed or [])
    if updates:
        await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0)
    return list(updates)


# ---------------------------------------------------------------- invite links


async def test_create_invite_link_returns_telegram_s_object(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel
) -> None:
    expire = int(time.time()) + 3600
    link = await bot.create_chat_invite_link(
        CHANNEL_ID, name="Spring campaign", expire_date=expire, member_limit=10
    )
    assert re.fullmatch(r"https://t\.me/\+[A-Za-z0-9_-]{16}", link.invite_link)
    assert link.creator.id == standin.bot_id and link.creator.is_bot
    assert (link.name, link.member_limit, int(link.expire_date.timestamp())) == (
        "Spring campaign",
        10,
        expire,
    )
    assert (link.is_primary, link.is_revoked, link.creates_join_request) == (False, False, False)
    assert link.pending_join_request_count is None
    requests = await bot.create_chat_invite_link(CHANNEL_ID, creates_join_request=True)
    assert requests.creates_join_request and requests.pending_join_request_count == 0
    assert requests.invite_link != link.invite_link
    assert [x["invite_link"] for x in standin.invite_links(channel)] == [
        link.invite_link,
        requests.invite_link,
    ]


async def test_a_long_link_name_is_cut_to_32_characters(bot: PTBBot, channel: SimChannel) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, name="x" * 40)
    assert link.name == "x" * 32


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        (
            {"member_limit": 5, "creates_join_request": True},
            "member limit can't be specified for links requiring administrator approval",
        ),
        ({"expire_date": 1_000_000}, "EXPIRE_DATE_INVALID"),
        ({"member_limit": 100_000}, "USAGE_LIMIT_INVALID"),
    ],
)
async def test_invalid_invite_links_are_refused(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, kwargs: dict, error: str
) -> None:
    with pytest.raises(BadRequest, match=refusal(error)):
        await bot.create_chat_invite_link(CHANNEL_ID, **kwargs)
    assert standin.invite_links(channel) == []


async def test_invite_links_need_an_administrator_bot_in_a_group_or_channel(
    standin: BotAPIStandIn, bot: PTBBot
) -> None:
    standin.channel(-1002002, username="other", bot_is_admin=False)
    with pytest.raises(BadRequest, match=refusal("not enough rights to manage chat invite link")):
        await bot.create_chat_invite_link(-1002002)
    with pytest.raises(BadRequest, match=refusal("can't invite members to a private chat")):
        await bot.create_chat_invite_link(USER_ID)


async def test_edit_sets_every_field_and_revoke_closes_the_link(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, name="A", member_limit=3)
    edited = await bot.edit_chat_invite_link(CHANNEL_ID, link.invite_link, name="B")
    assert (edited.name, edited.member_limit) == ("B", None)  # omitted: back to its default
    revoked = await bot.revoke_chat_invite_link(CHANNEL_ID, link.invite_link)
    assert revoked.is_revoked and revoked.invite_link == link.invite_link
    assert standin.invite_links(channel)[0]["is_revoked"] is True
    with pytest.raises(AssertionError, match="revoked"):
        await standin.user(7, "Ann").join_channel(channel, link.invite_link)
    with pytest.raises(BadRequest, match=refusal("INVITE_HASH_EXPIRED")):
        await bot.edit_chat_invite_link(CHANNEL_ID, link.invite_link, name="C")
    with pytest.raises(BadRequest, match=refusal("INVITE_HASH_EXPIRED")):
        await bot.revoke_chat_invite_link(CHANNEL_ID, "https://t.me/+unknownunknown00")


# ---------------------------------------------------------------- joining and leaving


async def test_joining_through_a_link_emits_chat_member_with_the_link(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, name="promo")
    assert await user.join_channel(channel, link.invite_link) == "joined"
    await user.leave_channel(CHANNEL_ID)
    join, leave = await updates_of(bot, MEMBER_UPDATES)
    change = join.chat_member
    assert change is not None and change.chat.id == CHANNEL_ID
    assert change.from_user.id == USER_ID
    assert isinstance(change.old_chat_member, ChatMemberLeft)
    assert isinstance(change.new_chat_member, ChatMemberMember)
    assert change.new_chat_member.user.id == USER_ID
    assert change.invite_link is not None and change.invite_link.invite_link == link.invite_link
    assert change.invite_link.name == "promo" and not change.via_join_request
    assert leave.chat_member is not None
    assert isinstance(leave.chat_member.new_chat_member, ChatMemberLeft)
    assert leave.chat_member.invite_link is None
    assert standin.channel_members(channel) == {OWNER_ID}


async def test_chat_member_needs_allowed_updates_and_an_administrator_bot(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID)
    await user.join_channel(channel, link.invite_link)
    assert await updates_of(bot) == []  # chat_member is not in Telegram's default set
    public = standin.channel(-1002003, username="cx_public", bot_is_admin=False)
    await user.join_channel(public)
    assert await updates_of(bot, MEMBER_UPDATES) == []
    assert USER_ID in standin.channel_members(public)


async def test_a_link_admits_up_to_its_member_limit_and_private_chats_need_a_link(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, member_limit=1)
    other = standin.user(7, "Ann")
    with pytest.raises(AssertionError, match="needs an invite link"):
        await other.join_channel(channel)
    await user.join_channel(channel, link.invite_link)
    with pytest.raises(AssertionError, match="full"):
        await other.join_channel(channel, link.invite_link)
    with pytest.raises(AssertionError, match="already a member"):
        await user.join_channel(channel, link.invite_link)
    await user.leave_channel(channel)
    await other.join_channel(channel, link.invite_link)  # the place is free again
    assert standin.channel_members(channel) == {OWNER_ID, 7}


async def test_an_expired_link_admits_nobody(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, expire_date=int(time.time()) + 60)
    channel.chat.invite_links[link.invite_link].expire_date = int(time.time()) - 1
    with pytest.raises(AssertionError, match="expired"):
        await user.join_channel(channel, link.invite_link)


# ---------------------------------------------------------------- join requests


async def test_a_join_request_through_a_link_is_approved(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, creates_join_request=True)
    assert await user.join_channel(channel, link.invite_link) == "requested"
    assert standin.channel_members(channel) == {OWNER_ID}
    assert standin.invite_links(channel)[0]["pending_join_request_count"] == 1
    [update] = await updates_of(bot)  # chat_join_request is in the default set
    request = update.chat_join_request
    assert request is not None and request.from_user.id == USER_ID
    assert (request.chat.id, request.user_chat_id, request.bio) == (CHANNEL_ID, USER_ID, None)
    assert request.invite_link is not None
    assert request.invite_link.invite_link == link.invite_link
    assert await bot.approve_chat_join_request(CHANNEL_ID, USER_ID)
    assert standin.channel_members(channel) == {OWNER_ID, USER_ID}
    [joined] = await updates_of(bot, MEMBER_UPDATES)
    change = joined.chat_member
    assert change is not None and isinstance(change.new_chat_member, ChatMemberMember)
    assert change.from_user.id == standin.bot_id  # the administrator who approved
    assert change.invite_link is not None and change.invite_link.invite_link == link.invite_link
    assert not change.via_join_request  # Telegram: only for requests made without a link
    with pytest.raises(BadRequest, match=refusal("USER_ALREADY_PARTICIPANT")):
        await bot.approve_chat_join_request(CHANNEL_ID, USER_ID)


async def test_a_direct_join_request_is_approved_via_join_request(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    public = standin.channel(-1002004, username="cx_club", join_by_request=True)
    await user.request_join(public, bio="CX lead")
    [update] = await updates_of(bot, MEMBER_UPDATES)
    assert update.chat_join_request is not None
    assert update.chat_join_request.bio == "CX lead"
    assert update.chat_join_request.invite_link is None
    await bot.approve_chat_join_request(-1002004, USER_ID)
    [joined] = await updates_of(bot, MEMBER_UPDATES)
    assert joined.chat_member is not None and joined.chat_member.via_join_request is True
    assert joined.chat_member.invite_link is None


async def test_a_declined_request_leaves_the_user_out(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    link = await bot.create_chat_invite_link(CHANNEL_ID, creates_join_request=True)
    await user.request_join(CHANNEL_ID, link.invite_link)
    assert standin.join_requests(channel) == [USER_ID]
    assert await bot.decline_chat_join_request(CHANNEL_ID, USER_ID)
    assert standin.join_requests(channel) == []
    assert standin.channel_members(channel) == {OWNER_ID}
    with pytest.raises(BadRequest, match=refusal("HIDE_REQUESTER_MISSING")):
        await bot.decline_chat_join_request(CHANNEL_ID, USER_ID)
    with pytest.raises(BadRequest, match=refusal("HIDE_REQUESTER_MISSING")):
        await bot.approve_chat_join_request(CHANNEL_ID, USER_ID)
    await updates_of(bot, MEMBER_UPDATES)
    assert await updates_of(bot, MEMBER_UPDATES) == []  # no chat_member for a decline
    with pytest.raises(AssertionError, match="admits without a request"):
        await user.request_join(
            channel, (await bot.create_chat_invite_link(CHANNEL_ID)).invite_link
        )


async def test_join_requests_need_an_administrator_bot(standin: BotAPIStandIn, bot: PTBBot) -> None:
    standin.channel(-1002005, username="cx_other", bot_is_admin=False, join_by_request=True)
    await standin.user(7, "Ann").join_channel(-1002005)  # a request the bot is not told of
    assert await updates_of(bot, MEMBER_UPDATES) == []
    with pytest.raises(BadRequest, match=refusal("not enough rights to manage chat join requests")):
        await bot.approve_chat_join_request(-1002005, 7)
    with pytest.raises(BadRequest, match=refusal("the chat can't have join requests")):
        await bot.decline_chat_join_request(USER_ID, 7)


# ---------------------------------------------------------------- getChatMember


async def test_get_chat_member_reports_each_status(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    assert (await bot.get_chat_member(CHANNEL_ID, USER_ID)).status == "left"  # never joined
    link = await bot.create_chat_invite_link(CHANNEL_ID)
    await user.join_channel(channel, link.invite_link)
    member = await bot.get_chat_member(CHANNEL_ID, USER_ID)
    assert isinstance(member, ChatMemberMember) and member.user.first_name == "Olena"
    assert isinstance(await bot.get_chat_member(CHANNEL_ID, OWNER_ID), ChatMemberOwner)
    me = await bot.get_chat_member(CHANNEL_ID, standin.bot_id)
    assert isinstance(me, ChatMemberAdministrator) and me.can_post_messages
    await user.leave_channel(channel)
    assert (await bot.get_chat_member(CHANNEL_ID, USER_ID)).status == "left"
    standin.ban(channel, USER_ID)
    assert (await bot.get_chat_member(CHANNEL_ID, USER_ID)).status == "kicked"
    with pytest.raises(AssertionError, match="banned"):
        await user.join_channel(channel, link.invite_link)
    with pytest.raises(BadRequest, match=refusal("user not found")):
        await bot.get_chat_member(CHANNEL_ID, 424242)


async def test_get_chat_member_in_groups_and_where_the_bot_is_no_admin(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    standin.group(-1002010, "Team", members=[USER_ID])
    assert (await bot.get_chat_member(-1002010, USER_ID)).status == "member"
    standin.channel(-1002011, username="cx_foreign", bot_is_admin=False)
    with pytest.raises(BadRequest, match=refusal("member list is inaccessible")):
        await bot.get_chat_member(-1002011, USER_ID)
    with pytest.raises(BadRequest, match=refusal("member list is inaccessible")):
        await bot.get_chat_member(-1002011, standin.bot_id)


async def test_a_user_joins_a_group_the_bot_administers(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    group = standin.group(-1002012, "Team", bot_is_admin=True, username="cx_team")
    await user.join_channel(group)
    [update] = await updates_of(bot, MEMBER_UPDATES)
    assert update.chat_member is not None and update.chat_member.chat.type == "supergroup"
    await user.send_in_group(group, "hi")


# ---------------------------------------------------------------- reactions


async def test_reaction_counts_of_a_channel_post(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel
) -> None:
    post = await bot.send_message(CHANNEL_ID, "Lesson 1 is out")
    standin.react(channel, post.message_id, {"👍": 3, "🔥": 5, "😢": 0})
    [update] = await updates_of(bot, MEMBER_UPDATES)
    counted = update.message_reaction_count
    assert counted is not None and counted.message_id == post.message_id
    assert counted.chat.id == CHANNEL_ID
    assert [(r.type.emoji, r.total_count) for r in counted.reactions] == [("🔥", 5), ("👍", 3)]
    standin.react(CHANNEL_ID, post.message_id, {"👍": 4})
    assert await updates_of(bot) == []  # not in Telegram's default set
    with pytest.raises(AssertionError, match="not found"):
        standin.react(channel, 999, {"👍": 1})


# ---------------------------------------------------------------- a quiz poll in the channel


async def test_channel_quiz_with_a_deep_link_button_is_voted_on_and_stopped(
    standin: BotAPIStandIn, bot: PTBBot, channel: SimChannel, user: SimUser
) -> None:
    deep_link = f"https://t.me/{standin.bot_username}?start=c_abc123"
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("Take the course", url=deep_link)]])
    sent = await bot.send_poll(
        CHANNEL_ID,
        "Which metric measures effort?",
        ["NPS", "CES", "CSAT"],
        type="quiz",
        correct_option_ids=[1],
        reply_markup=markup,
    )
    assert sent.poll.is_anonymous and sent.reply_markup == markup
    assert sent.sender_chat is not None and sent.sender_chat.id == CHANNEL_ID
    await user.answer_poll(sent.poll.id, [1])
    await standin.user(7, "Ann").answer_poll(sent.poll.id, [0])
    votes = await updates_of(bot)
    assert [u.poll.total_voter_count for u in votes] == [1, 2]
    assert not any(u.poll_answer for u in votes)  # anonymous: no poll_answer
    assert [o.voter_count for o in votes[-1].poll.options] == [1, 1, 0]
    stopped = await bot.stop_poll(CHANNEL_ID, sent.message_id)
    assert stopped.is_closed and stopped.total_voter_count == 2
    [closing] = await updates_of(bot)
    assert closing.poll is not None and closing.poll.is_closed
    started = await user.press_url(channel.last_bot_message() or 0, "Take the course")
    assert not isinstance(started, str) and started.text == "/start c_abc123"
    [start] = await updates_of(bot)
    assert start.message is not None and start.message.text == "/start c_abc123"


async def test_a_deep_link_with_an_invalid_payload_starts_the_bot_without_it(
    standin: BotAPIStandIn, user: SimUser
) -> None:
    for payload in ["bad payload", "x" * 65, "ü"]:
        message = await user.open_link(f"https://t.me/{standin.bot_username}?start={payload}")
        assert not isinstance(message, str) and message.text == "/start"
    with pytest.raises(AssertionError, match="does not lead to the bot"):
        await user.open_link("https://t.me/another_bot?start=x")


async def test_a_non_anonymous_poll_cannot_go_to_a_channel(
    bot: PTBBot, channel: SimChannel
) -> None:
    with pytest.raises(
        BadRequest, match=refusal("non-anonymous polls can't be sent to channel chats")
    ):
        await bot.send_poll(CHANNEL_ID, "Q?", ["a", "b"], is_anonymous=False)


# ---------------------------------------------------------------- the control API


async def test_control_api_drives_channels(
    standin: BotAPIStandIn, bot: PTBBot, http: aiohttp.ClientSession
) -> None:
    control = f"{standin.url}/_standin"
    async with http.post(f"{control}/channels", json={"chat_id": -1002020, "title": "C"}) as r:
        assert (await r.json())["type"] == "channel"
    link = await bot.create_chat_invite_link(-1002020, creates_join_request=True)
    join = {"chat_id": -1002020, "invite_link": link.invite_link}
    async with http.post(f"{control}/users/42/join_channel", json=join) as r:
        assert await r.json() == {"result": "requested"}
    async with http.get(f"{control}/chats/-1002020/join_requests") as r:
        assert await r.json() == [42]
    async with http.post(f"{control}/users/42/join_channel", json=join) as r:
        assert r.status == 400 and "already asked" in await r.text()
    await bot.approve_chat_join_request(-1002020, 42)
    async with http.get(f"{control}/chats/-1002020/members") as r:
        assert await r.json() == [42]
    async with http.get(f"{control}/chats/-1002020/invite_links") as r:
        assert [x["invite_link"] for x in await r.json()] == [link.invite_link]
    post = await bot.send_message(-1002020, "post")
    react = {"message_id": post.message_id, "counts": {"👍": 2}}
    async with http.post(f"{control}/chats/-1002020/react", json=react) as r:
        assert r.status == 200
    url = {"url": f"https://t.me/{standin.bot_username}?start=c_1"}
    async with http.post(f"{control}/users/42/open_link", json=url) as r:
        assert "message_id" in await r.json()
    async with http.post(f"{control}/users/42/leave_channel", json={"chat_id": -1002020}) as r:
        assert r.status == 200
    kinds = [u.to_dict().keys() - {"update_id"} for u in await updates_of(bot, MEMBER_UPDATES)]
    assert [next(iter(k)) for k in kinds] == [
        "chat_join_request",
        "chat_member",
        "message_reaction_count",
        "chat_member",
    ]  # the /start message is not in the allowed types

"""An in-process Telegram Bot API stand-in served over HTTP on loopback with aiohttp.

It implements the Bot API methods CX Coach uses, and no others (any other method answers
Telegram's 404 "Not Found: method not found", so a new call in the bot fails its tests until
the stand-in learns it):

- what PTB calls to start, poll and serve a webhook: getMe, getUpdates, deleteWebhook,
  setWebhook;
- what the bot calls: sendMessage, editMessageText, answerCallbackQuery, copyMessage
  (broadcasts, announcements, free channel posts, bonuses), sendPhoto (charts), sendDocument
  (/export, /plan, /templates), setMyCommands, sendPoll (channel quiz polls),
  createChatInviteLink (/links, bonuses), approveChatJoinRequest and getChatMember (bonuses),
  with the ``poll``, ``chat_member``, ``chat_join_request`` and ``message_reaction_count``
  updates (the last three sent only while the bot administers the chat);
- what the tests need: getFile and file downloads (the bot's aiohttp transport is tested
  downloading as well as uploading: tests/unit/test_transport.py), stopPoll,
  editChatInviteLink, revokeChatInviteLink, declineChatJoinRequest;
- the dashboard's Mini App: setChatMenuButton and getChatMenuButton, ``web_app`` buttons
  (https only, or loopback http with ``loopback_web_apps``), and launch links signed as
  Telegram signs them (``web_app_launch``, see webapp.py).

The user side is not a Bot API method and is simulated in full (users.py): users send text,
stickers, photos, documents and locations, press buttons, vote in polls, edit and block.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import secrets
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

from .control import add_control_routes
from .faults import FaultInjector
from .models import (
    BotEvent,
    CallbackRecord,
    CallRecord,
    ChatState,
    InviteLink,
    JoinRequest,
    PollState,
    StoredFile,
    StoredMessage,
    UpdateRecord,
    chat_member,
)
from .params import ApiError, Params, UploadedFile, bad_request, decode_params
from .users import ChatView, SimChannel, SimGroup, SimUser
from .validation import (
    command_entities,
    format_text,
    validate_commands,
    validate_poll,
    validate_reply_markup,
    validate_web_app,
)
from .webapp import init_data, launch_url

__all__ = ["ALL_UPDATE_TYPES", "DEFAULT_UPDATE_TYPES", "BotAPIStandIn"]

ALL_UPDATE_TYPES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "callback_query",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_member",
        "message_reaction",
        "message_reaction_count",
        "inline_query",
        "chosen_inline_result",
        "shipping_query",
        "pre_checkout_query",
        "chat_join_request",
    }
)
DEFAULT_UPDATE_TYPES = ALL_UPDATE_TYPES - {
    "chat_member",
    "message_reaction",
    "message_reaction_count",
}
_SCOPE_TYPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)
_TOKEN_SHAPE = re.compile(r"\d+:[\w-]+")
_CONFLICT_POLL = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
_QUERY_TOO_OLD = "query is too old and response timeout expired or query id is invalid"
# TDLib's and Telegram's texts for chat members, invite links and join requests
_LINK_RIGHTS = "not enough rights to manage chat invite link"
_REQUEST_RIGHTS = "not enough rights to manage chat join requests"
_LINK_LIMIT_WITH_REQUESTS = (
    "member limit can't be specified for links requiring administrator approval"
)
_MEMBERS_HIDDEN = "member list is inaccessible"
_USAGE_LIMIT_MAX = 99999
_LINK_NAME_MAX = 32

# ``from`` of a change made by an admin the test did not name
_ANONYMOUS_ADMIN = {
    "id": 1087968824,
    "is_bot": True,
    "first_name": "Group",
    "username": "GroupAnonymousBot",
}

ChatRef = ChatView | ChatState | int

Handler = Callable[[Params], Awaitable[Any]]


@dataclass
class WebhookConfig:
    """Webhook settings stored by setWebhook."""

    url: str = ""
    secret_token: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None


@dataclass
class _Ids:
    """Counters for generated identifiers."""

    files: itertools.count = field(default_factory=lambda: itertools.count(1))
    polls: itertools.count = field(default_factory=lambda: itertools.count(1))
    callbacks: itertools.count = field(default_factory=lambda: itertools.count(1))


class BotAPIStandIn:
    """A local Telegram Bot API server: the real PTB Bot talks to it through ``base_url``."""

    def __init__(
        self,
        token: str = "123456:TEST-TOKEN",
        bot_username: str = "cxcoach_test_bot",
        bot_name: str = "CX Coach (test)",
        *,
        record_calls: bool = True,
        loopback_web_apps: bool = False,
    ) -> None:
        """Create an empty stand-in; call ``start()`` to serve it. ``loopback_web_apps``: Mini
        App URLs may be ``http://127.0.0.1[:port]/...`` too (the sandbox and the tests serve
        the dashboard on loopback without TLS; Telegram accepts https only)."""
        self.loopback_web_apps = loopback_web_apps
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.bot_user: dict[str, Any] = {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": bot_name,
            "username": bot_username,
        }
        self.record_calls = record_calls
        self.faults = FaultInjector()
        self.calls: list[CallRecord] = []
        self.call_counts: Counter[str] = Counter()  # every call by method, even unrecorded
        self.finished_counts: Counter[str] = Counter()  # ... of those, answered
        self._call_signal = asyncio.Event()  # set at each arrival and each answer
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, StoredFile] = {}
        self.polls: dict[str, PollState] = {}
        self.callbacks: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.menu_buttons: dict[int | None, dict] = {}
        self.webhook = WebhookConfig()
        self.first_reply: dict[int, float] = {}
        self.url = ""
        self._users: dict[int, SimUser] = {}
        self._usernames: dict[str, int] = {}
        self._files_by_path: dict[str, StoredFile] = {}
        self._queue: deque[UpdateRecord] = deque()
        self._next_update_id = 1
        self._allowed: frozenset[str] = DEFAULT_UPDATE_TYPES
        self._wakeup = asyncio.Event()
        self._confirmed = asyncio.Event()  # set at each offset confirmation
        self._latest_poll = 0
        self._arrivals = itertools.count(1)
        self._closing = False
        self._ids = _Ids()
        self._runner: web.AppRunner | None = None
        self._session: ClientSession | None = None
        self._webhook_task: asyncio.Task[None] | None = None
        self._methods: dict[str, Handler] = {
            name[4:].lower(): getattr(self, name) for name in dir(self) if name.startswith("api_")
        }

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """Value for PTB's ``base_url``."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        """Value for PTB's ``base_file_url``."""
        return f"{self.url}/file/bot"

    def make_app(self) -> web.Application:
        """Build the aiohttp application (Bot API, file downloads and control API)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        add_control_routes(app, self)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0 picks a free port); return the base URL."""
        self._closing = False
        self._runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None and server.sockets
        bound_port = server.sockets[0].getsockname()[1]
        self.url = f"http://{host}:{bound_port}"
        return self.url

    async def stop(self) -> None:
        """Release long polls, stop webhook delivery and shut the server down."""
        self._closing = True
        self._wake()
        await self._stop_webhook()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> BotAPIStandIn:
        """Start on a free loopback port."""
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        """Stop the server."""
        await self.stop()

    # ------------------------------------------------------------------ world setup

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        *,
        language_code: str | None = "en",
        username: str | None = None,
        last_name: str | None = None,
    ) -> SimUser:
        """Get or create a simulated user; their private chat id equals ``user_id``."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        chat = ChatState(
            id=user_id,
            type="private",
            first_name=first_name,
            last_name=last_name,
            username=username,
            members={user_id},
        )
        self._add_chat(chat)
        sim = SimUser(self, chat, first_name, language_code, username, last_name)
        self._users[user_id] = sim
        return sim

    def users(self) -> list[SimUser]:
        """All simulated users."""
        return list(self._users.values())

    def group(
        self,
        chat_id: int,
        title: str = "Test group",
        members: Iterable[int] = (),
        *,
        bot_is_member: bool = True,
        bot_is_admin: bool = False,
        username: str | None = None,
        creator: int | None = None,
        admins: Iterable[int] = (),
        join_by_request: bool = False,
    ) -> SimGroup:
        """Create a group (or a supergroup when the id starts with -100); ``username`` makes
        it public, ``join_by_request`` makes joins wait for an admin's approval."""
        kind = "supergroup" if str(chat_id).startswith("-100") else "group"
        chat = self._shared_chat(
            chat_id,
            kind,
            title,
            username,
            bot_is_admin,
            bot_is_member,
            members,
            creator,
            admins,
            join_by_request,
        )
        return SimGroup(self, chat)

    def channel(
        self,
        chat_id: int,
        username: str | None = None,
        title: str = "Test channel",
        *,
        bot_is_admin: bool = True,
        bot_is_member: bool = True,
        members: Iterable[int] = (),
        creator: int | None = None,
        admins: Iterable[int] = (),
        join_by_request: bool = False,
    ) -> SimChannel:
        """Create a channel; the bot can post only when it is an administrator. ``username``
        makes it public (joinable without a link); ``join_by_request`` makes joins wait for
        an admin's approval; ``members``, ``creator`` and ``admins`` are user ids."""
        chat = self._shared_chat(
            chat_id,
            "channel",
            title,
            username,
            bot_is_admin,
            bot_is_member,
            members,
            creator,
            admins,
            join_by_request,
        )
        return SimChannel(self, chat)

    def _shared_chat(
        self,
        chat_id: int,
        kind: str,
        title: str,
        username: str | None,
        bot_is_admin: bool,
        bot_is_member: bool,
        members: Iterable[int],
        creator: int | None,
        admins: Iterable[int],
        join_by_request: bool,
    ) -> ChatState:
        """A group or channel: its members include its creator and admins."""
        chat = ChatState(
            id=chat_id,
            type=kind,
            title=title,
            username=username,
            members=set(members) | set(admins) | ({creator} if creator else set()),
            bot_is_member=bot_is_member or bot_is_admin,
            bot_is_admin=bot_is_admin,
            creator_id=creator,
            admins=set(admins),
            join_by_request=join_by_request,
        )
        self._add_chat(chat)
        return chat

    def channel_post(self, channel: SimChannel | int, text: str) -> StoredMessage:
        """Publish a post in a channel as its admins would; emits a ``channel_post`` update."""
        chat = self.chats[channel if isinstance(channel, int) else channel.chat_id]
        return self.inject_message(chat, None, "text", text=text, update_type="channel_post")

    # ------------------------------------------------------------------ channel members

    def channel_members(self, channel: ChatRef) -> set[int]:
        """Ids of the users who are members of a channel or group now (admins included)."""
        return set(self._chat_ref(channel).members)

    def invite_links(self, channel: ChatRef) -> list[dict[str, Any]]:
        """Every invite link the bot created in a chat (revoked ones too), as ChatInviteLink
        objects, oldest first."""
        chat = self._chat_ref(channel)
        return [link.to_api(chat) for link in chat.invite_links.values()]

    def join_requests(self, channel: ChatRef) -> list[int]:
        """Ids of the users whose join requests are pending, oldest first."""
        return list(self._chat_ref(channel).join_requests)

    def member_status(self, channel: ChatRef, user_id: int) -> str:
        """creator, administrator, member, left or kicked (what getChatMember reports)."""
        chat = self._chat_ref(channel)
        if user_id == self.bot_id:
            if chat.bot_is_admin:
                return "administrator"
            return "member" if chat.bot_is_member else "left"
        if chat.type == "private":
            return "member" if user_id == chat.id else "left"
        if user_id == chat.creator_id:
            return "creator"
        if user_id in chat.admins:
            return "administrator"
        if user_id in chat.kicked:
            return "kicked"
        return "member" if user_id in chat.members else "left"

    def ban(self, channel: ChatRef, user_id: int, by: int | None = None) -> None:
        """An admin (``by``, a user id; default the chat's creator) bans a user: kicked, out
        of the members, any pending request dropped; emits ``chat_member`` when the user was
        in the chat."""
        chat = self._chat_ref(channel)
        admin = by if by is not None else chat.creator_id
        old = self.member_status(chat, user_id)
        chat.members.discard(user_id)
        chat.admins.discard(user_id)
        chat.join_requests.pop(user_id, None)
        chat.joined_via.pop(user_id, None)
        chat.kicked.add(user_id)
        if old != "left":
            performer = self._user_dict(admin) if admin is not None else _ANONYMOUS_ADMIN
            self._member_changed(chat, user_id, old, "kicked", performer=performer)

    def react(self, channel: ChatRef, message_id: int, counts: dict[str, int]) -> None:
        """Set the anonymous reaction counts of a channel message (emoji -> count; 0 removes
        one) and emit ``message_reaction_count`` when the bot administers the chat."""
        chat = self._chat_ref(channel)
        if chat.type == "private":
            raise AssertionError("reaction counts are for channels and groups")
        message = chat.messages.get(message_id)
        if message is None:
            raise AssertionError(f"message {message_id} not found in chat {chat.id}")
        for emoji, count in counts.items():
            if not isinstance(emoji, str) or not emoji or not isinstance(count, int) or count < 0:
                raise AssertionError(f"invalid reaction {emoji!r}: {count!r}")
        message.reaction_counts = {emoji: n for emoji, n in counts.items() if n > 0}
        if not chat.bot_is_admin:
            return
        ranked = sorted(message.reaction_counts.items(), key=lambda item: -item[1])
        payload = {
            "chat": chat.to_api(),
            "message_id": message_id,
            "date": int(time.time()),
            "reactions": [
                {"type": {"type": "emoji", "emoji": emoji}, "total_count": count}
                for emoji, count in ranked
            ],
        }
        self.enqueue_update("message_reaction_count", payload, chat)

    # Joining and leaving: called by SimUser.join_channel / request_join / leave_channel.

    def join_chat(self, user: SimUser, channel: ChatRef, invite_link: str | None = None) -> str:
        """``user`` joins a channel or group, through ``invite_link`` or (public chats)
        directly; a link or chat that needs approval files a join request instead. Returns
        "joined" or "requested"; a refused join raises AssertionError."""
        chat = self._chat_ref(channel)
        link = self._usable_link(chat, user.user_id, invite_link)
        if link.creates_join_request if link else chat.join_by_request:
            self.request_join(user, chat, invite_link)
            return "requested"
        self._add_member(chat, user.user_id, link, performer=user.user_dict)
        return "joined"

    def request_join(
        self,
        user: SimUser,
        channel: ChatRef,
        invite_link: str | None = None,
        bio: str | None = None,
    ) -> None:
        """``user`` asks to join (emits ``chat_join_request`` when the bot administers the
        chat); the request stays pending until approved, declined or the user is banned."""
        chat = self._chat_ref(channel)
        link = self._usable_link(chat, user.user_id, invite_link)
        if link is not None and not link.creates_join_request:
            raise AssertionError(f"{invite_link} admits without a request: use join_channel")
        if user.user_id in chat.join_requests:
            raise AssertionError(f"user {user.user_id} already asked to join chat {chat.id}")
        request = JoinRequest(user.user_dict, int(time.time()), invite_link, bio)
        chat.join_requests[user.user_id] = request
        if not chat.bot_is_admin:
            return
        payload: dict[str, Any] = {
            "chat": chat.to_api(),
            "from": user.user_dict,
            "user_chat_id": user.user_id,
            "date": request.date,
        }
        if bio:
            payload["bio"] = bio
        if link is not None:
            payload["invite_link"] = link.to_api(chat)
        self.enqueue_update("chat_join_request", payload, chat)

    def leave_chat(self, user: SimUser, channel: ChatRef) -> None:
        """``user`` leaves a channel or group (emits ``chat_member``: member -> left)."""
        chat = self._chat_ref(channel)
        if user.user_id not in chat.members:
            raise AssertionError(f"user {user.user_id} is not a member of chat {chat.id}")
        old = self.member_status(chat, user.user_id)
        if old == "creator":
            raise AssertionError("the stand-in does not let the owner leave")
        chat.members.discard(user.user_id)
        chat.admins.discard(user.user_id)
        chat.joined_via.pop(user.user_id, None)
        self._member_changed(chat, user.user_id, old, "left", performer=user.user_dict)

    def _chat_ref(self, channel: ChatRef) -> ChatState:
        """The chat named by a view, a state or an id."""
        if isinstance(channel, ChatView):
            return channel.chat
        if isinstance(channel, ChatState):
            return channel
        chat = self.chats.get(channel)
        if chat is None:
            raise AssertionError(f"unknown chat {channel}")
        return chat

    def _usable_link(
        self, chat: ChatState, user_id: int, invite_link: str | None
    ) -> InviteLink | None:
        """Check that ``user_id`` may use ``invite_link`` (or no link) to enter ``chat``."""
        if chat.type == "private":
            raise AssertionError("a private chat cannot be joined")
        if user_id in chat.members:
            raise AssertionError(f"user {user_id} is already a member of chat {chat.id}")
        if user_id in chat.kicked:
            raise AssertionError(f"user {user_id} is banned from chat {chat.id}")
        if invite_link is None:
            if not chat.username:
                raise AssertionError(f"chat {chat.id} is private: joining needs an invite link")
            return None
        link = chat.invite_links.get(invite_link)
        if link is None:
            raise AssertionError(f"{invite_link} is not an invite link of chat {chat.id}")
        refusal = link.refusal(chat, int(time.time()))
        if refusal is not None:
            raise AssertionError(f"invite link {invite_link} is {refusal}")
        return link

    def _add_member(
        self,
        chat: ChatState,
        user_id: int,
        link: InviteLink | None,
        *,
        performer: dict[str, Any],
        via_join_request: bool = False,
    ) -> None:
        """Make ``user_id`` a member and emit ``chat_member`` (left -> member)."""
        chat.members.add(user_id)
        if link is not None:
            chat.joined_via[user_id] = link.invite_link
        self._member_changed(
            chat,
            user_id,
            "left",
            "member",
            performer=performer,
            link=link,
            via_join_request=via_join_request,
        )

    def _member_changed(
        self,
        chat: ChatState,
        user_id: int,
        old: str,
        new: str,
        *,
        performer: dict[str, Any],
        link: InviteLink | None = None,
        via_join_request: bool = False,
    ) -> None:
        """Emit ``chat_member`` (only while the bot administers the chat, as in Telegram);
        ``performer`` is its ``from``: who made the change."""
        if not chat.bot_is_admin:
            return
        user = self._user_dict(user_id)
        payload: dict[str, Any] = {
            "chat": chat.to_api(),
            "from": performer,
            "date": int(time.time()),
            "old_chat_member": chat_member(old, user, chat.type),
            "new_chat_member": chat_member(new, user, chat.type),
        }
        if link is not None:
            payload["invite_link"] = link.to_api(chat)
        if via_join_request:
            payload["via_join_request"] = True
        self.enqueue_update("chat_member", payload, chat)

    def _user_dict(self, user_id: int) -> dict[str, Any]:
        """The User object of a simulated user (a placeholder for a bare id)."""
        if user_id == self.bot_id:
            return self.bot_user
        sim = self._users.get(user_id)
        if sim is not None:
            return sim.user_dict
        return {"id": user_id, "is_bot": False, "first_name": f"User {user_id}"}

    def chat_transcript(self, chat_id: int) -> list[StoredMessage]:
        """Messages of any chat in order, with edits applied."""
        return self.chats[chat_id].transcript()

    def get_commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        """Commands stored by setMyCommands for a scope and language."""
        return list(self.commands.get((_scope_key(scope), language_code), []))

    def calls_of(self, method: str) -> list[CallRecord]:
        """Logged calls of one Bot API method (case-insensitive)."""
        wanted = method.lower()
        return [call for call in self.calls if call.method.lower() == wanted]

    def reply_latencies(self) -> list[float]:
        """Seconds from each answered update to the bot's first action in the same chat."""
        return list(self.first_reply.values())

    @property
    def methods(self) -> list[str]:
        """The Bot API methods served, lower-cased (any other answers 404)."""
        return sorted(self._methods)

    @property
    def pending_updates(self) -> int:
        """Updates not yet confirmed by the bot."""
        return len(self._queue)

    def _add_chat(self, chat: ChatState) -> None:
        """Register a chat (and its username)."""
        self.chats[chat.id] = chat
        if chat.username:
            self._usernames[chat.username.lower()] = chat.id

    # ------------------------------------------------------------------ updates (user side)

    def enqueue_update(
        self, update_type: str, payload: dict[str, Any], chat: ChatState | None
    ) -> UpdateRecord:
        """Queue an update for getUpdates/webhook; it becomes the chat's latest update."""
        record = UpdateRecord(self._next_update_id, update_type, payload, chat.id if chat else None)
        self._next_update_id += 1
        self._queue.append(record)
        if chat is not None:
            chat.last_update = record
        self._wake()
        return record

    def inject_message(
        self,
        chat: ChatState,
        sender: dict | None,
        kind: str,
        *,
        text: str | None = None,
        entities: list[dict] | None = None,
        caption: str | None = None,
        file: StoredFile | None = None,
        reply_to: StoredMessage | None = None,
        update_type: str = "message",
        location: dict | None = None,
    ) -> StoredMessage:
        """Store a message written by a user (or a channel admin) and queue its update."""
        message = StoredMessage(
            message_id=chat.take_message_id(),
            chat=chat,
            from_bot=False,
            kind=kind,
            sender=sender,
            text=text,
            caption=caption,
            entities=entities if entities is not None else command_entities(text or ""),
            raw=text if text is not None else caption,
            file=file,
            reply_to=reply_to,
            location=location,
        )
        chat.add_message(message)
        record = self.enqueue_update(update_type, message.to_api(), chat)
        message.update_id, message.created_at = record.update_id, record.created_at
        return message

    def new_file(
        self,
        kind: str,
        data: bytes | None = None,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        url: str | None = None,
    ) -> StoredFile:
        """Register a file and give it fresh identifiers."""
        number = next(self._ids.files)
        stored = StoredFile(
            file_id=f"{kind.upper()}-{number:06d}-{self.bot_id}",
            file_unique_id=f"u{kind[:2]}{number:06d}",
            kind=kind,
            data=data,
            file_name=file_name,
            mime_type=mime_type,
            url=url,
        )
        self.files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    def new_callback(self, message: StoredMessage, user_id: int, data: str | None) -> str:
        """Register a callback query id for a pressed button."""
        query_id = f"{self.bot_id}{next(self._ids.callbacks):08d}"
        self.callbacks[query_id] = CallbackRecord(
            query_id, message.chat_id, message.message_id, user_id, data
        )
        return query_id

    def _wake(self) -> None:
        """Wake long polls and the webhook sender."""
        self._wakeup.set()
        self._wakeup = asyncio.Event()

    def _push_event(
        self,
        chat: ChatState,
        kind: str,
        message: StoredMessage | None = None,
        callback: CallbackRecord | None = None,
    ) -> BotEvent:
        """Record a bot action in a chat, tagged with the chat's latest update for latency."""
        update = chat.last_update
        event = BotEvent(kind, chat.id, message, callback)
        if update is not None:
            event.in_reply_to_update = update.update_id
            event.update_created_at = update.created_at
            self.first_reply.setdefault(update.update_id, event.at - update.created_at)
        chat.push_event(event)
        return event

    # ------------------------------------------------------------------ HTTP plumbing

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Serve one Bot API call."""
        token, method = request.match_info["token"], request.match_info["method"]
        if token != self.token:
            status = 401 if _TOKEN_SHAPE.fullmatch(token) else 404
            description = "Unauthorized" if status == 401 else "Not Found"
            return _json_response(ApiError(status, description).to_json(), status)
        arrival = next(self._arrivals)
        self.call_counts[method.lower()] += 1
        self._signal_calls()
        record = CallRecord(method, {}, time.perf_counter())
        if self.record_calls:
            self.calls.append(record)
        try:
            record.params = decode_params(await _read_params(request))
            handler = self._methods.get(method.lower())
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            fault = self.faults.take(method, record.params.get("chat_id"))
            if fault is not None:
                if fault.kind != "delay":
                    retry = fault.retry_after if fault.kind == "retry_after" else None
                    raise ApiError(fault.http_status(), fault.error_description(), retry)
                await asyncio.sleep(fault.seconds)
            body: dict[str, Any] = {
                "ok": True,
                "result": await handler(Params(record.params, arrival)),
            }
            status = 200
        except ApiError as exc:
            body, status = exc.to_json(), exc.code
            record.ok, record.error_code, record.description = False, exc.code, exc.description
        record.duration = time.perf_counter() - record.at
        self.finished_counts[method.lower()] += 1
        self._signal_calls()
        return _json_response(body, status)

    def _signal_calls(self) -> None:
        self._call_signal.set()
        self._call_signal = asyncio.Event()

    async def calls_seen(self, method: str, n: int = 1, *, answered: bool = False) -> None:
        """Wait until ``n`` calls of ``method`` have arrived (``answered``: been answered)
        since the stand-in started: an event to wait on instead of a guessed sleep."""
        counts = self.finished_counts if answered else self.call_counts
        while counts[method.lower()] < n:
            await self._call_signal.wait()

    async def _handle_file(self, request: web.Request) -> web.StreamResponse:
        """Serve a file download (``base_file_url + token + '/' + file_path``)."""
        if request.match_info["token"] != self.token:
            return _json_response(ApiError(404, "Not Found").to_json(), 404)
        stored = self._files_by_path.get(request.match_info["path"])
        if stored is None or stored.data is None:
            return _json_response(ApiError(404, "Not Found: file not found").to_json(), 404)
        return web.Response(
            body=stored.data, content_type=stored.mime_type or "application/octet-stream"
        )

    # ------------------------------------------------------------------ helpers for methods

    def _chat(self, p: Params, key: str = "chat_id") -> ChatState:
        """Resolve a chat parameter (id or @username) or fail with 'chat not found'."""
        value = p.raw(key)
        if value is None or value == "":
            raise bad_request(f"{key} is empty")
        chat_id: int | None
        if isinstance(value, str) and value.startswith("@"):
            chat_id = self._usernames.get(value[1:].lower())
        else:
            try:
                chat_id = int(value)
            except (TypeError, ValueError):
                chat_id = None
        chat = self.chats.get(chat_id) if chat_id is not None else None
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def _writable_chat(self, p: Params) -> ChatState:
        """Resolve ``chat_id`` and check that the bot may post there."""
        chat = self._chat(p)
        if chat.type == "private" and chat.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if not chat.bot_is_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        if chat.type == "channel" and not chat.bot_is_admin:
            raise bad_request("need administrator rights in the channel chat")
        return chat

    def _message(self, chat: ChatState, message_id: int | None, missing: str) -> StoredMessage:
        """Look up a live message or fail with ``missing``."""
        message = chat.messages.get(message_id) if message_id is not None else None
        if message is None:
            raise bad_request(missing)
        return message

    def _editable(self, p: Params) -> StoredMessage:
        """The bot message targeted by an edit method."""
        if "inline_message_id" in p:
            raise bad_request("the stand-in does not support inline messages")
        chat = self._chat(p)
        message = self._message(chat, p.get_int("message_id"), "message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _reply_to(self, p: Params, chat: ChatState) -> StoredMessage | None:
        """The message referenced by reply_parameters / reply_to_message_id."""
        params = p.get_json("reply_parameters") or {}
        message_id = params.get("message_id") if params else p.get_int("reply_to_message_id")
        if message_id is None:
            return None
        message = chat.messages.get(int(message_id))
        if message is None:
            if params.get("allow_sending_without_reply") or p.get_bool(
                "allow_sending_without_reply"
            ):
                return None
            raise bad_request("message to be replied not found")
        return message

    def _send(self, chat: ChatState, kind: str, p: Params, **fields: Any) -> StoredMessage:
        """Store a new bot message in ``chat`` and record the event."""
        reply_markup = validate_reply_markup(
            p.get_json("reply_markup"), chat.type, loopback_web_apps=self.loopback_web_apps
        )
        reply_to = self._reply_to(p, chat)
        message = StoredMessage(
            message_id=chat.take_message_id(),
            chat=chat,
            from_bot=True,
            kind=kind,
            sender=None if chat.type == "channel" else self.bot_user,
            reply_markup=reply_markup,
            reply_to=reply_to,
            **fields,
        )
        if chat.last_update is not None:
            message.in_reply_to_update = chat.last_update.update_id
        chat.add_message(message)
        if reply_markup is not None and "keyboard" in reply_markup:
            chat.reply_keyboard = reply_markup  # what the user's client shows under the input
        elif reply_markup is not None and reply_markup.get("remove_keyboard"):
            chat.reply_keyboard = None
        self._push_event(chat, "message", message)
        return message

    def _edit(self, message: StoredMessage, **changes: Any) -> dict[str, Any]:
        """Apply an edit, keep the previous version and record the event."""
        message.history.append(message.snapshot())
        for name, value in changes.items():
            setattr(message, name, value)
        message.edits += 1
        message.edit_date = int(time.time())
        self._push_event(message.chat, "edit", message)
        return message.to_api()

    def _input_file(self, p: Params, key: str, kind: str) -> StoredFile:
        """Resolve an uploaded file, an existing file_id or a URL."""
        value = p.raw(key)
        if isinstance(value, UploadedFile):
            if not value.data:
                raise bad_request("file must be non-empty")
            return self.new_file(
                kind, value.data, file_name=value.filename, mime_type=value.content_type
            )
        if not isinstance(value, str) or not value:
            raise bad_request(f"there is no {key} in the request")
        if value in self.files:
            return self.files[value]
        if value.startswith(("http://", "https://")):
            return self.new_file(kind, url=value, file_name=value.rsplit("/", 1)[-1] or None)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _caption(self, p: Params) -> tuple[str | None, list[dict], str | None]:
        """Parsed caption, its entities and the raw caption."""
        raw = p.get_str("caption")
        parsed = format_text(
            raw, p.get_str("parse_mode"), p.get_json("caption_entities"), caption=True
        )
        return parsed.text or None, parsed.entities, raw

    async def _send_media(self, p: Params, kind: str) -> dict[str, Any]:
        """Shared body of sendPhoto and sendDocument."""
        chat = self._writable_chat(p)
        caption, entities, raw = self._caption(p)
        stored = self._input_file(p, kind, kind)
        message = self._send(
            chat,
            kind,
            p,
            file=stored,
            caption=caption,
            entities=entities,
            raw=raw,
            parse_mode=p.get_str("parse_mode"),
        )
        return message.to_api()

    # ---------------------------------------------------------------- Bot API: what PTB calls
    # getMe (Bot.initialize), getUpdates (polling), deleteWebhook (start of polling),
    # setWebhook (run_webhook).

    async def api_getMe(self, p: Params) -> dict[str, Any]:
        """getMe."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_getUpdates(self, p: Params) -> list[dict[str, Any]]:
        """getUpdates with offset confirmation, limit, allowed_updates and true long polling."""
        if self.webhook.url:
            raise ApiError(409, _CONFLICT_WEBHOOK)
        # A newer getUpdates (by arrival, even if delayed by a fault) terminates older ones.
        if p.arrival < self._latest_poll:
            raise ApiError(409, _CONFLICT_POLL)
        self._latest_poll = p.arrival
        self._wake()
        if "allowed_updates" in p:
            self._allowed = _allowed_set(p.get_json("allowed_updates"))
        self._confirm(p.get_int("offset", 0) or 0)
        limit = min(max(p.get_int("limit", 100) or 100, 1), 100)
        timeout = max(p.get_int("timeout", 0) or 0, 0)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if p.arrival != self._latest_poll:
                raise ApiError(409, _CONFLICT_POLL)
            updates = self._collect(limit)
            remaining = deadline - loop.time()
            if updates or remaining <= 0 or self._closing:
                return updates
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wakeup.wait(), remaining)

    def _confirm(self, offset: int) -> None:
        """Drop updates confirmed by ``offset`` (negative: keep only the last -offset)."""
        queue = self._queue
        if offset < 0:
            while len(queue) > -offset:
                queue.popleft()
        while offset >= 0 and queue and queue[0].update_id < offset:
            queue.popleft()
        self._confirmed.set()
        self._confirmed = asyncio.Event()

    async def updates_confirmed(self) -> None:
        """Wait until the bot has confirmed every update queued so far (the offset of its next
        getUpdates): it has them all, then, in its own queue."""
        while self._queue:
            await self._confirmed.wait()

    def _collect(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` pending updates of allowed types (others are discarded)."""
        allowed = self._allowed
        if any(record.type not in allowed for record in self._queue):
            self._queue = deque(r for r in self._queue if r.type in allowed)
        return [record.to_api() for record in itertools.islice(self._queue, limit)]

    async def api_setWebhook(self, p: Params) -> bool:
        """setWebhook: store it and deliver updates by POSTing them to the URL."""
        url = p.get_str("url", "") or ""
        if url and not url.startswith(("http://", "https://")):
            raise bad_request(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443"
            )
        if p.get_bool("drop_pending_updates"):
            self._queue.clear()
        if "allowed_updates" in p:
            self._allowed = _allowed_set(p.get_json("allowed_updates"))
        await self._stop_webhook()
        self.webhook = WebhookConfig(
            url=url,
            secret_token=p.get_str("secret_token"),
        )
        if url:
            self._webhook_task = asyncio.create_task(self._deliver_webhook())
        return True

    async def api_deleteWebhook(self, p: Params) -> bool:
        """deleteWebhook (optionally dropping pending updates)."""
        if p.get_bool("drop_pending_updates"):
            self._queue.clear()
        await self._stop_webhook()
        self.webhook = WebhookConfig()
        return True

    async def _stop_webhook(self) -> None:
        """Cancel webhook delivery and close its HTTP session."""
        task, self._webhook_task = self._webhook_task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def _deliver_webhook(self) -> None:
        """POST queued updates to the webhook URL one by one, retrying failures."""
        self._session = ClientSession(timeout=ClientTimeout(total=10))
        headers = {"Content-Type": "application/json"}
        if self.webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = self.webhook.secret_token
        while not self._closing:
            if not self._queue:
                await self._wakeup.wait()
                continue
            record = self._queue[0]
            if record.type not in self._allowed:
                self._queue.popleft()
                continue
            try:
                async with self._session.post(
                    self.webhook.url, data=json.dumps(record.to_api()), headers=headers
                ) as response:
                    delivered = response.status < 300
                    error = f"Wrong response from the webhook: {response.status}"
            except (ClientError, TimeoutError) as exc:
                delivered, error = False, f"Connection failed: {exc!r}"
            if delivered:
                if self._queue and self._queue[0] is record:
                    self._queue.popleft()
            else:
                self.webhook.last_error_date = int(time.time())
                self.webhook.last_error_message = error
                await asyncio.sleep(0.2)

    # -------------------------------------------------------------- Bot API: what the bot calls

    async def api_sendMessage(self, p: Params) -> dict[str, Any]:
        """sendMessage."""
        chat = self._writable_chat(p)
        raw = p.get_str("text")
        parsed = format_text(raw, p.get_str("parse_mode"), p.get_json("entities"))
        message = self._send(
            chat,
            "text",
            p,
            text=parsed.text,
            entities=parsed.entities,
            raw=raw,
            parse_mode=p.get_str("parse_mode"),
        )
        return message.to_api()

    async def api_sendPhoto(self, p: Params) -> dict[str, Any]:
        """sendPhoto (multipart upload, file_id or URL)."""
        return await self._send_media(p, "photo")

    async def api_sendDocument(self, p: Params) -> dict[str, Any]:
        """sendDocument (multipart upload, file_id or URL)."""
        return await self._send_media(p, "document")

    async def api_editMessageText(self, p: Params) -> dict[str, Any]:
        """editMessageText (omitting reply_markup removes the inline keyboard, as in Telegram)."""
        message = self._editable(p)
        if message.kind != "text":
            raise bad_request("there is no text in the message to edit")
        raw = p.get_str("text")
        parsed = format_text(raw, p.get_str("parse_mode"), p.get_json("entities"))
        markup = validate_reply_markup(
            p.get_json("reply_markup"), inline_only=True, loopback_web_apps=self.loopback_web_apps
        )
        if (parsed.text, parsed.entities, markup) == (
            message.text,
            message.entities,
            message.reply_markup,
        ):
            raise bad_request(_NOT_MODIFIED)
        return self._edit(
            message, text=parsed.text, entities=parsed.entities, raw=raw, reply_markup=markup
        )

    async def api_answerCallbackQuery(self, p: Params) -> bool:
        """answerCallbackQuery: each query can be answered once."""
        callback = self.callbacks.get(p.get_str("callback_query_id") or "")
        if callback is None or callback.answered:
            raise bad_request(_QUERY_TOO_OLD)
        callback.answered = True
        callback.answer = {
            "text": p.get_str("text"),
            "show_alert": p.get_bool("show_alert"),
            "url": p.get_str("url"),
            "cache_time": p.get_int("cache_time", 0),
        }
        self._push_event(self.chats[callback.chat_id], "callback_answer", callback=callback)
        return True

    async def api_copyMessage(self, p: Params) -> dict[str, int]:
        """copyMessage of any stored message (user or bot); returns the new MessageId."""
        source_chat = self._chat(p, "from_chat_id")
        source = self._message(source_chat, p.get_int("message_id"), "message to copy not found")
        chat = self._writable_chat(p)
        if "caption" in p and source.kind != "text":
            caption, entities, raw = self._caption(p)
        else:
            caption, entities, raw = source.caption, list(source.entities), source.raw
        poll = None
        if source.poll is not None:
            poll = PollState(**{**vars(source.poll), "votes": {}, "is_closed": False})
            poll.id = str(next(self._ids.polls))
        message = self._send(
            chat,
            source.kind,
            p,
            text=source.text,
            caption=caption,
            entities=entities,
            raw=raw,
            file=source.file,
            poll=poll,
        )
        if poll is not None:
            self._register_poll(poll, message)
        return {"message_id": message.message_id}

    # ------------------------------------------------------------------ Bot API: polls
    # Not called by the bot yet: kept for a planned feature that posts quiz polls to the
    # project's channel (and reads their results from ``poll`` updates).

    async def api_sendPoll(self, p: Params) -> dict[str, Any]:
        """sendPoll (regular and quiz)."""
        chat = self._writable_chat(p)
        poll_type = p.get_str("type", "regular") or "regular"
        correct = p.get_json("correct_option_ids")
        if correct is None and "correct_option_id" in p:
            correct = [p.get_int("correct_option_id")]
        correct = [int(index) for index in correct or []]
        multiple = p.get_bool("allows_multiple_answers")
        explanation = None
        explanation_entities: list[dict] = []
        if "explanation" in p:
            parsed = format_text(
                p.get_str("explanation"),
                p.get_str("explanation_parse_mode"),
                p.get_json("explanation_entities"),
                caption=True,
            )
            explanation, explanation_entities = parsed.text or None, parsed.entities
        question = format_text(
            p.get_str("question"),
            p.get_str("question_parse_mode"),
            p.get_json("question_entities"),
            caption=True,
        )
        options = validate_poll(
            question.text, p.get_json("options"), poll_type, correct, multiple, explanation
        )
        is_anonymous = p.get_bool("is_anonymous", True)
        if chat.type == "channel" and not is_anonymous:
            raise bad_request("non-anonymous polls can't be sent to channel chats")
        poll = PollState(
            id=str(next(self._ids.polls)),
            question=question.text,
            question_entities=question.entities,
            options=options,
            type=poll_type,
            is_anonymous=is_anonymous,
            allows_multiple_answers=multiple,
            allows_revoting=p.get_bool("allows_revoting", poll_type != "quiz"),
            correct_option_ids=correct,
            explanation=explanation,
            explanation_entities=explanation_entities,
            open_period=p.get_int("open_period"),
            close_date=p.get_int("close_date"),
            is_closed=p.get_bool("is_closed"),
        )
        message = self._send(chat, "poll", p, poll=poll)
        self._register_poll(poll, message)
        return message.to_api()

    def _register_poll(self, poll: PollState, message: StoredMessage) -> None:
        """Remember where a poll lives."""
        poll.chat_id, poll.message_id = message.chat_id, message.message_id
        self.polls[poll.id] = poll

    async def api_stopPoll(self, p: Params) -> dict[str, Any]:
        """stopPoll: close the poll, emit a ``poll`` update and return the final Poll."""
        chat = self._chat(p)
        message = self._message(
            chat, p.get_int("message_id"), "message with poll to stop not found"
        )
        poll = message.poll
        if poll is None or not message.from_bot:
            raise bad_request("message with poll to stop not found")
        if poll.is_closed:
            raise bad_request("poll has already been closed")
        poll.is_closed = True
        if "reply_markup" in p:
            message.reply_markup = validate_reply_markup(
                p.get_json("reply_markup"),
                inline_only=True,
                loopback_web_apps=self.loopback_web_apps,
            )
        self.enqueue_update("poll", poll.to_api(), None)
        return poll.to_api()

    # ------------------------------------------------------------ Bot API: members and links
    # Not called by the bot yet: kept for a planned feature that tracks who joins the
    # project's channel through which invite link.

    async def api_getChatMember(self, p: Params) -> dict[str, Any]:
        """getChatMember: creator, administrator, member, left (also never joined) or kicked."""
        chat = self._chat(p)
        user_id = p.get_int("user_id")
        if not user_id or user_id <= 0:
            raise bad_request("invalid user_id specified")
        if chat.type == "channel" and not chat.bot_is_admin:
            raise bad_request(_MEMBERS_HIDDEN)
        if chat.type != "private" and not chat.bot_is_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        known = {chat.creator_id, *chat.members, *chat.admins, *chat.kicked}
        if user_id not in self._users and user_id != self.bot_id and user_id not in known:
            raise bad_request("user not found")
        status = self.member_status(chat, user_id)
        return chat_member(status, self._user_dict(user_id), chat.type)

    def _link_chat(self, p: Params, rights: str = _LINK_RIGHTS) -> ChatState:
        """The chat of an invite-link or join-request method, once the bot's rights are
        checked (TDLib's order: access, private chat, rights)."""
        chat = self._chat(p)
        if chat.type != "private" and not chat.bot_is_member:
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        if chat.type == "private":
            raise bad_request(
                "can't invite members to a private chat"
                if rights == _LINK_RIGHTS
                else "the chat can't have join requests"
            )
        if not chat.bot_is_admin:
            raise bad_request(rights)
        return chat

    @staticmethod
    def _link_fields(p: Params) -> dict[str, Any]:
        """name, expire_date, member_limit and creates_join_request of a link as Telegram
        reads them: a longer name is cut to 32 characters, a negative date or limit is 0
        (none), a date in the past and a limit over 99999 are refused."""
        fields = {
            "name": (p.get_str("name") or "")[:_LINK_NAME_MAX],
            "expire_date": max(p.get_int("expire_date", 0) or 0, 0),
            "member_limit": min(max(p.get_int("member_limit", 0) or 0, 0), 100000),
            "creates_join_request": p.get_bool("creates_join_request"),
        }
        if fields["creates_join_request"] and fields["member_limit"]:
            raise bad_request(_LINK_LIMIT_WITH_REQUESTS)
        if fields["expire_date"] and fields["expire_date"] <= int(time.time()):
            raise bad_request("EXPIRE_DATE_INVALID")
        if fields["member_limit"] > _USAGE_LIMIT_MAX:
            raise bad_request("USAGE_LIMIT_INVALID")
        return fields

    def _known_link(self, chat: ChatState, p: Params) -> InviteLink:
        """The bot's invite link named by ``invite_link``."""
        value = p.get_str("invite_link") or ""
        if not value:
            raise bad_request("invite link must be non-empty")
        link = chat.invite_links.get(value)
        if link is None:
            raise bad_request("INVITE_HASH_EXPIRED")
        return link

    async def api_createChatInviteLink(self, p: Params) -> dict[str, Any]:
        """createChatInviteLink: an additional link ``https://t.me/+<16 characters>``."""
        chat = self._link_chat(p)
        fields = self._link_fields(p)
        url = f"https://t.me/+{secrets.token_urlsafe(12)}"
        link = InviteLink(url, self.bot_user, **fields)
        chat.invite_links[url] = link
        return link.to_api(chat)

    async def api_editChatInviteLink(self, p: Params) -> dict[str, Any]:
        """editChatInviteLink: every field is set again (an omitted one to its default)."""
        chat = self._link_chat(p)
        fields = self._link_fields(p)
        link = self._known_link(chat, p)
        if link.is_revoked:
            raise bad_request("INVITE_HASH_EXPIRED")
        for name, value in fields.items():
            setattr(link, name, value)
        return link.to_api(chat)

    async def api_revokeChatInviteLink(self, p: Params) -> dict[str, Any]:
        """revokeChatInviteLink: nobody can join through it any more; returns it revoked."""
        chat = self._link_chat(p)
        link = self._known_link(chat, p)
        link.is_revoked = True
        return link.to_api(chat)

    def _pending_request(self, p: Params) -> tuple[ChatState, int, JoinRequest]:
        """The chat, user id and pending request of approve/declineChatJoinRequest."""
        user_id = p.get_int("user_id")
        if not user_id or user_id <= 0:
            raise bad_request("invalid user_id specified")
        chat = self._link_chat(p, _REQUEST_RIGHTS)
        if user_id in chat.members:
            raise bad_request("USER_ALREADY_PARTICIPANT")
        request = chat.join_requests.get(user_id)
        if request is None:
            raise bad_request("HIDE_REQUESTER_MISSING")
        return chat, user_id, request

    async def api_approveChatJoinRequest(self, p: Params) -> bool:
        """approveChatJoinRequest: the user becomes a member (``chat_member`` with the link
        they asked through, or ``via_join_request`` for a direct request)."""
        chat, user_id, request = self._pending_request(p)
        del chat.join_requests[user_id]
        link = chat.invite_links.get(request.invite_link or "")
        self._add_member(
            chat, user_id, link, performer=self.bot_user, via_join_request=link is None
        )
        return True

    async def api_declineChatJoinRequest(self, p: Params) -> bool:
        """declineChatJoinRequest: the request is dropped; the user stays out."""
        chat, user_id, _request = self._pending_request(p)
        del chat.join_requests[user_id]
        return True

    # ------------------------------------------------------------------ Bot API: bot settings

    async def api_setMyCommands(self, p: Params) -> bool:
        """setMyCommands per scope and language_code."""
        commands = validate_commands(p.get_json("commands"))
        self.commands[(_scope_key(p.get_json("scope")), p.get_str("language_code", "") or "")] = (
            commands
        )
        return True

    # setChatMenuButton and getChatMenuButton: the dashboard's Mini App menu button.

    async def api_setChatMenuButton(self, p: Params) -> bool:
        """setChatMenuButton (default button when chat_id is omitted)."""
        chat_id = self._chat(p).id if "chat_id" in p else None
        button = p.get_json("menu_button") or {"type": "default"}
        if not isinstance(button, dict) or button.get("type") not in (
            "default",
            "commands",
            "web_app",
        ):
            raise bad_request("can't parse menu button")
        if button["type"] == "web_app":
            if not isinstance(button.get("text"), str) or not button["text"].strip():
                raise bad_request("can't parse menu button: text must be non-empty")
            validate_web_app(
                button.get("web_app"), "menu button", loopback_web_apps=self.loopback_web_apps
            )
        self.menu_buttons[chat_id] = button
        return True

    async def api_getChatMenuButton(self, p: Params) -> dict:
        """getChatMenuButton."""
        chat_id = self._chat(p).id if "chat_id" in p else None
        return self.menu_buttons.get(chat_id) or self.menu_buttons.get(None) or {"type": "default"}

    def web_app_launch(
        self,
        user_id: int,
        url: str,
        *,
        theme: dict[str, str] | None = None,
        auth_date: int | None = None,
    ) -> str:
        """The URL a Telegram client would open when this simulated user presses a Mini App
        button (``url``): initData signed with this bot's token, and the theme."""
        sim = self._users.get(user_id)
        user: dict[str, Any] = {"id": user_id, "first_name": sim.first_name if sim else "Test"}
        if sim is not None and sim.language_code:
            user["language_code"] = sim.language_code
        return launch_url(url, init_data(self.token, user, auth_date=auth_date),
                                 theme)  # fmt: skip

    # ------------------------------------------------------------------ Bot API: files

    async def api_getFile(self, p: Params) -> dict[str, Any]:
        """getFile: not called by the bot; tests/unit/test_transport.py downloads a file
        through the bot's own transport with it (and ``_handle_file``)."""
        stored = self.files.get(p.get_str("file_id") or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.file_api()


def _scope_key(scope: Any) -> str:
    """Canonical key for a BotCommandScope (default scope when missing)."""
    scope = scope or {"type": "default"}
    if not isinstance(scope, dict) or scope.get("type") not in _SCOPE_TYPES:
        raise bad_request("can't parse BotCommandScope")
    return json.dumps(scope, sort_keys=True)


def _allowed_set(value: Any) -> frozenset[str]:
    """Allowed update types from an allowed_updates parameter ([] means the default set)."""
    if not value:
        return DEFAULT_UPDATE_TYPES
    if not isinstance(value, list):
        raise bad_request("can't parse allowed_updates JSON object")
    return frozenset(value)


async def _read_params(request: web.Request) -> dict[str, Any]:
    """Collect query-string, JSON, urlencoded and multipart parameters."""
    params: dict[str, Any] = dict(request.query)
    if request.method != "POST" or not request.body_exists:
        return params
    if request.content_type == "application/json":
        try:
            body = await request.json()
        except ValueError:
            raise bad_request("can't parse JSON encoded request body") from None
        if not isinstance(body, dict):
            raise bad_request("request body must be a JSON object")
        params.update(body)
        return params
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            params[key] = UploadedFile(value.filename, value.content_type, value.file.read())
        else:
            params[key] = value
    return params


def _json_response(body: dict[str, Any], status: int) -> web.Response:
    """A JSON response with Telegram's content type."""
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )

"""Simulated Telegram clients: users, groups and channels driving the stand-in.

A client reaches the server only through :class:`Server`, a Protocol of what it needs;
server.py implements it and creates the clients, so this module never imports server.py
(no import cycle).
"""

from __future__ import annotations

import asyncio
import re
import time
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from .models import (
    BotEvent,
    ChatState,
    PollState,
    StoredFile,
    StoredMessage,
    UpdateRecord,
    present,
)
from .validation import command_entities

__all__ = ["ChatView", "NoBotResponse", "Server", "SimChannel", "SimGroup", "SimUser"]


class Server(Protocol):
    """What simulated clients need of the stand-in (``server.BotAPIStandIn``)."""

    bot_user: dict[str, Any]
    chats: dict[int, ChatState]
    polls: dict[str, PollState]

    def enqueue_update(
        self, update_type: str, payload: dict[str, Any], chat: ChatState | None
    ) -> UpdateRecord:
        """Queue an update for the bot."""

    def inject_message(
        self, chat: ChatState, sender: dict | None, kind: str, **content: Any
    ) -> StoredMessage:
        """Store a message written by a user and queue its update (``content``: text,
        entities, caption, file, reply_to, update_type, location)."""

    def new_file(self, kind: str, data: bytes | None = None, **details: Any) -> StoredFile:
        """Register a file a user sends (``details``: file_name, mime_type, url)."""

    def new_callback(self, message: StoredMessage, user_id: int, data: str | None) -> str:
        """Register a callback query id for a pressed button."""

    def join_chat(self, user: SimUser, channel: Any, invite_link: str | None = None) -> str:
        """``user`` joins a channel or group (or asks to); "joined" or "requested"."""

    def request_join(
        self, user: SimUser, channel: Any, invite_link: str | None = None, bio: str | None = None
    ) -> None:
        """``user`` asks to join a channel or group."""

    def leave_chat(self, user: SimUser, channel: Any) -> None:
        """``user`` leaves a channel or group."""


# What a Telegram client accepts as a deep link's start parameter (else it opens the bot
# without one): https://core.telegram.org/bots/features#deep-linking
_START_PARAMETER = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TME_HOSTS = ("t.me", "telegram.me", "telegram.dog")


_PNG_1PX = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000100e221bc330000000049454e44ae426082"
)


class NoBotResponse(AssertionError, TimeoutError):
    """The bot did not act in a chat in time (an AssertionError and a TimeoutError)."""


class ChatView:
    """Reader of one chat's bot events with its own cursor, plus transcript helpers."""

    def __init__(self, standin: Server, chat: ChatState) -> None:
        """Attach to ``chat``; the cursor starts at the chat's first event."""
        self.standin = standin
        self.chat = chat
        self.cursor = 0

    @property
    def chat_id(self) -> int:
        """Id of the chat."""
        return self.chat.id

    async def next_event(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 (a per-call deadline keeps test code short)
        kinds: tuple[str, ...] | None = None,
    ) -> BotEvent:
        """Next unconsumed bot action (message, edit, callback_answer) in this chat."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        events = self.chat.events
        while True:
            while self.cursor < len(events):
                event = events[self.cursor]
                self.cursor += 1
                if kinds is None or event.kind in kinds:
                    return event
            remaining = deadline - loop.time()
            if remaining <= 0:
                wanted = "/".join(kinds) if kinds else "event"
                raise NoBotResponse(
                    f"no bot {wanted} in chat {self.chat_id} within {timeout}s; transcript:\n"
                    + self.describe()
                )
            try:
                await asyncio.wait_for(self.chat.signal.wait(), remaining)
            except TimeoutError:
                continue

    async def next_message(self, timeout: float = 5.0) -> StoredMessage:  # noqa: ASYNC109
        """Next new bot message in this chat (skipping edits and callback answers)."""
        event = await self.next_event(timeout, kinds=("message",))
        assert event.message is not None
        return event.message

    async def next_edit(self, timeout: float = 5.0) -> StoredMessage:  # noqa: ASYNC109
        """Next edited bot message in this chat (skipping other events)."""
        event = await self.next_event(timeout, kinds=("edit",))
        assert event.message is not None
        return event.message

    async def expect_no_event(self, within: float = 0.3) -> None:
        """Assert the bot does nothing in this chat for ``within`` seconds."""
        try:
            event = await self.next_event(within)
        except NoBotResponse:
            return
        raise AssertionError(f"unexpected bot action in chat {self.chat_id}: {event.summary()}")

    def assert_no_event(self) -> None:
        """Assert the bot has done nothing in this chat that was not read yet (use after the
        harness has settled: nothing can be in flight then, so no waiting is needed)."""
        unread = self.chat.events[self.cursor :]
        if unread:
            self.cursor = len(self.chat.events)
            summary = "; ".join(event.summary() for event in unread)
            raise AssertionError(f"unexpected bot action in chat {self.chat_id}: {summary}")

    def skip_pending(self) -> None:
        """Mark all events so far as consumed."""
        self.cursor = len(self.chat.events)

    def transcript(self) -> list[StoredMessage]:
        """All messages in this chat in order (edits applied; ``history`` keeps old versions)."""
        return self.chat.transcript()

    def bot_messages(self) -> list[StoredMessage]:
        """The bot's messages in this chat."""
        return [m for m in self.chat.order if m.from_bot]

    def last_bot_message(self) -> StoredMessage | None:
        """The bot's most recent message."""
        for message in reversed(self.chat.order):
            if message.from_bot:
                return message
        return None

    def describe(self) -> str:
        """Human-readable transcript for assertion messages."""
        return "\n".join(m.summary() for m in self.chat.order) or "(empty)"

    def _resolve(self, message: StoredMessage | int) -> StoredMessage:
        """A message of this chat given itself or its id."""
        message_id = message if isinstance(message, int) else message.message_id
        found = self.chat.messages.get(message_id)
        if found is None:
            raise AssertionError(f"message {message_id} not found in chat {self.chat_id}")
        return found


class SimUser(ChatView):
    """A simulated user; the view reads their private chat with the bot."""

    def __init__(
        self,
        standin: Server,
        chat: ChatState,
        first_name: str,
        language_code: str | None,
        username: str | None,
        last_name: str | None,
    ) -> None:
        """Create the user (use ``BotAPIStandIn.user`` instead)."""
        super().__init__(standin, chat)
        self.user_id = chat.id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username
        self.last_name = last_name

    @property
    def user_dict(self) -> dict[str, Any]:
        """The Bot API ``User`` object."""
        user: dict[str, Any] = {"id": self.user_id, "is_bot": False, "first_name": self.first_name}
        optional = {"last_name": self.last_name, "username": self.username}
        return user | present(optional | {"language_code": self.language_code})

    @property
    def blocked(self) -> bool:
        """Whether the user has blocked the bot."""
        return self.chat.blocked

    async def send(
        self, text: str, *, entities: list[dict] | None = None, reply_to: int | None = None
    ) -> StoredMessage:
        """Send a text message to the bot (``/commands`` get bot_command entities)."""
        return self._inject(self.chat, "text", text=text, entities=entities, reply_to=reply_to)

    async def send_sticker(self) -> StoredMessage:
        """Send a sticker."""
        return self._inject(self.chat, "sticker", file=self.standin.new_file("sticker", b"sticker"))

    async def send_photo(self, data: bytes = _PNG_1PX, caption: str | None = None) -> StoredMessage:
        """Send a photo (bytes retrievable by the bot through getFile)."""
        stored = self.standin.new_file("photo", data, mime_type="image/png")
        return self._inject(self.chat, "photo", file=stored, caption=caption)

    async def send_document(
        self,
        data: bytes = b"hello",
        file_name: str = "file.txt",
        mime_type: str = "text/plain",
        caption: str | None = None,
    ) -> StoredMessage:
        """Send a document."""
        stored = self.standin.new_file("document", data, file_name=file_name, mime_type=mime_type)
        return self._inject(self.chat, "document", file=stored, caption=caption)

    async def send_location(
        self, latitude: float, longitude: float, horizontal_accuracy: float | None = None
    ) -> StoredMessage:
        """Send a location from the attachment menu (possible at any time, as in Telegram)."""
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise AssertionError(f"no such place: {latitude}, {longitude}")
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if horizontal_accuracy is not None:
            location["horizontal_accuracy"] = horizontal_accuracy
        return self._inject(self.chat, "location", location=location)

    @property
    def reply_keyboard(self) -> list[list[dict]]:
        """The reply keyboard the client shows under the input field (rows of buttons)."""
        rows = (self.chat.reply_keyboard or {}).get("keyboard") or []
        return [[b if isinstance(b, dict) else {"text": b} for b in row] for row in rows]

    async def tap_keyboard(
        self, button_text: str, *, latitude: float | None = None, longitude: float | None = None
    ) -> StoredMessage:
        """Tap a reply-keyboard button: a text button sends its text; a request_location
        button sends the location given (the user agrees to share it). A one-time keyboard
        hides after the tap, as Telegram clients do."""
        markup = self.chat.reply_keyboard or {}
        found = [b for row in self.reply_keyboard for b in row if b.get("text") == button_text]
        if len(found) != 1:
            raise AssertionError(
                f"no reply-keyboard button {button_text!r}; shown: {self.reply_keyboard}"
            )
        button = found[0]
        if button.get("request_location"):
            if latitude is None or longitude is None:
                raise AssertionError("a request_location button needs the location to share")
            message = await self.send_location(latitude, longitude)
        elif any(button.get(k) for k in ("request_contact", "request_poll", "web_app")):
            raise AssertionError(f"the stand-in does not simulate {button}")
        else:
            message = await self.send(button_text)
        if markup.get("one_time_keyboard"):
            self.chat.reply_keyboard = None
        return message

    async def send_in_group(self, group: SimGroup, text: str) -> StoredMessage:
        """Write ``text`` in a group chat."""
        if self.user_id not in group.chat.members:
            raise AssertionError(f"user {self.user_id} is not a member of group {group.chat_id}")
        return self._inject(group.chat, "text", text=text)

    async def edit(self, message_id: int, text: str) -> StoredMessage:
        """Edit one of the user's own text messages; emits ``edited_message``."""
        message = self._resolve(message_id)
        if message.from_bot or message.kind != "text":
            raise AssertionError(f"message {message_id} is not an own text message")
        message.history.append(message.snapshot())
        message.text = message.raw = text
        message.entities = command_entities(text)
        message.edits += 1
        message.edit_date = int(time.time())
        self.standin.enqueue_update("edited_message", message.to_api(), self.chat)
        return message

    async def press(
        self,
        message: StoredMessage | int,
        button_text: str | None = None,
        data: str | None = None,
    ) -> str:
        """Press an inline callback button (by text or callback_data); return the query id."""
        target = self._resolve(message)
        candidates = [
            button
            for row in target.inline_keyboard
            for button in row
            if "callback_data" in button
            and (button_text is None or button.get("text") == button_text)
            and (data is None or button["callback_data"] == data)
        ]
        if len(candidates) != 1 or (button_text is None and data is None):
            raise AssertionError(
                f"expected exactly one callback button matching text={button_text!r} "
                f"data={data!r} in message {target.message_id}; buttons: {target.buttons}"
            )
        return self._callback(target, candidates[0]["callback_data"])

    async def press_raw(self, message: StoredMessage | int, data: str) -> str:
        """Send a callback query with arbitrary (possibly forged) data for a message."""
        return self._callback(self._resolve(message), data)

    async def answer_poll(self, poll_id: str, option_ids: list[int]) -> None:
        """Vote in a poll; emits ``poll_answer`` (non-anonymous polls) and ``poll`` updates."""
        poll = self.standin.polls.get(poll_id)
        if poll is None:
            raise AssertionError(f"unknown poll {poll_id!r}")
        if poll.is_closed:
            raise AssertionError(f"poll {poll_id} is closed")
        if any(not 0 <= index < len(poll.options) for index in option_ids):
            raise AssertionError(f"invalid option ids {option_ids} for poll {poll_id}")
        if len(option_ids) > 1 and not poll.allows_multiple_answers:
            raise AssertionError(f"poll {poll_id} allows a single answer")
        if self.user_id in poll.votes and not poll.allows_revoting:
            raise AssertionError(f"poll {poll_id} does not allow changing the vote")
        if option_ids:
            poll.votes[self.user_id] = list(option_ids)
        else:
            poll.votes.pop(self.user_id, None)
        chat = self.standin.chats.get(poll.chat_id)
        if not poll.is_anonymous:
            answer = {
                "poll_id": poll.id,
                "user": self.user_dict,
                "option_ids": list(option_ids),
                "option_persistent_ids": [poll.option_id(i) for i in option_ids],
            }
            self.standin.enqueue_update("poll_answer", answer, chat)
            chat = None
        self.standin.enqueue_update("poll", poll.to_api(), chat)

    async def join_channel(
        self, channel: SimChannel | SimGroup | int, invite_link: str | None = None
    ) -> str:
        """Join a channel or group (a SimChannel/SimGroup or chat id): through one of the
        bot's ``invite_link``s, or directly when the chat is public (has a username). A link
        that ``creates_join_request`` (or a public chat with ``join_by_request``) files a join
        request instead, as ``request_join`` does. Returns "joined" or "requested". A revoked,
        expired or full link, a private chat without a link, a member or a banned user
        raises AssertionError. Emits ``chat_member`` (with ``invite_link``) when the bot
        administers the chat."""
        return self.standin.join_chat(self, channel, invite_link)

    async def request_join(
        self,
        channel: SimChannel | SimGroup | int,
        invite_link: str | None = None,
        bio: str | None = None,
    ) -> None:
        """Ask to join (through a link that ``creates_join_request``, or directly a public
        chat); emits ``chat_join_request`` when the bot administers the chat. The request
        stays pending until approved or declined (Telegram's requests do not expire)."""
        self.standin.request_join(self, channel, invite_link, bio)

    async def leave_channel(self, channel: SimChannel | SimGroup | int) -> None:
        """Leave a channel or group; emits ``chat_member`` (member -> left)."""
        self.standin.leave_chat(self, channel)

    async def open_link(self, url: str) -> StoredMessage | str:
        """Open a link as a Telegram client would: the bot's deep link
        (``https://t.me/<bot>?start=<payload>``) sends ``/start <payload>`` to the bot, or a
        bare ``/start`` when the payload is not 1-64 characters of A-Za-z0-9_- (clients drop
        it); an invite link (``https://t.me/+...``) joins as ``join_channel`` does and returns
        "joined" or "requested". Other links raise AssertionError."""
        parts = urlsplit(url)
        query = parse_qs(parts.query)
        path = parts.path.strip("/")
        if parts.scheme == "tg" and parts.netloc == "resolve":
            username = (query.get("domain") or [""])[0]
        elif parts.scheme in ("http", "https") and parts.netloc.lower() in _TME_HOSTS:
            username = path
            if path.startswith("+") or path.startswith("joinchat/"):
                for chat in self.standin.chats.values():
                    if url in chat.invite_links:
                        return self.standin.join_chat(self, chat, url)
                raise AssertionError(f"{url} is not an invite link of any chat")
        else:
            raise AssertionError(f"the stand-in does not follow {url}")
        if username.lower() != str(self.standin.bot_user.get("username", "")).lower():
            raise AssertionError(f"{url} does not lead to the bot")
        payload = (query.get("start") or [""])[0]
        if _START_PARAMETER.fullmatch(payload):
            return await self.send(f"/start {payload}")
        return await self.send("/start")

    async def press_url(
        self, message: StoredMessage | int, button_text: str
    ) -> StoredMessage | str:
        """Press an inline URL button (by its text) of a message in any chat, e.g. a channel
        post: ``open_link`` of its URL."""
        target = message if isinstance(message, StoredMessage) else self._resolve(message)
        urls = [
            button["url"]
            for row in target.inline_keyboard
            for button in row
            if "url" in button and button.get("text") == button_text
        ]
        if len(urls) != 1:
            raise AssertionError(
                f"expected one URL button {button_text!r} in message {target.message_id}; "
                f"buttons: {target.buttons}"
            )
        return await self.open_link(urls[0])

    async def block(self) -> None:
        """Block the bot (sends ``my_chat_member``: member -> kicked)."""
        self._set_blocked(True)

    async def unblock(self) -> None:
        """Unblock the bot (sends ``my_chat_member``: kicked -> member)."""
        self._set_blocked(False)

    def _set_blocked(self, blocked: bool) -> None:
        """Flip the blocked flag and emit the membership update."""
        if self.chat.blocked == blocked:
            return
        self.chat.blocked = blocked
        bot = self.standin.bot_user
        member = {"status": "member", "user": bot}
        kicked = {"status": "kicked", "user": bot, "until_date": 0}
        payload = {
            "chat": self.chat.to_api(),
            "from": self.user_dict,
            "date": int(time.time()),
            "old_chat_member": member if blocked else kicked,
            "new_chat_member": kicked if blocked else member,
        }
        self.standin.enqueue_update("my_chat_member", payload, self.chat)

    def _inject(self, chat: ChatState, kind: str, **fields: Any) -> StoredMessage:
        """Store a message from this user in ``chat`` and queue the update."""
        reply_to = fields.pop("reply_to", None)
        replied = self._resolve(reply_to) if reply_to is not None else None
        return self.standin.inject_message(chat, self.user_dict, kind, reply_to=replied, **fields)

    def _callback(self, message: StoredMessage, data: str) -> str:
        """Queue a ``callback_query`` update for ``message``."""
        query_id = self.standin.new_callback(message, self.user_id, data)
        payload = {
            "id": query_id,
            "from": self.user_dict,
            "message": message.to_api(),
            "chat_instance": f"ci{message.chat_id}",
            "data": data,
        }
        self.standin.enqueue_update("callback_query", payload, message.chat)
        return query_id


class SimGroup(ChatView):
    """A group or supergroup; users write here with ``SimUser.send_in_group``."""


class SimChannel(ChatView):
    """A channel; posts are made with ``BotAPIStandIn.channel_post``, users join and leave
    with ``SimUser.join_channel`` / ``request_join`` / ``leave_channel``."""

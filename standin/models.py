"""State kept by the stand-in: chats, messages, files, polls, updates, events and calls."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "BotEvent",
    "CallRecord",
    "CallbackRecord",
    "ChatState",
    "InviteLink",
    "JoinRequest",
    "MessageVersion",
    "PollState",
    "StoredFile",
    "StoredMessage",
    "UpdateRecord",
    "chat_member",
    "present",
]

_FILE_PATH_DIRS = {"photo": "photos", "document": "documents", "sticker": "stickers"}


def present(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields that have a value: the Bot API leaves empty optional fields out."""
    return {name: value for name, value in fields.items() if value}


@dataclass
class StoredFile:
    """A file known to the stand-in (uploaded bytes, a URL, or a user-side file)."""

    file_id: str
    file_unique_id: str
    kind: str
    data: bytes | None = None
    file_name: str | None = None
    mime_type: str | None = None
    url: str | None = None

    @property
    def file_path(self) -> str:
        """Relative path used by getFile and the download endpoint."""
        return f"{_FILE_PATH_DIRS.get(self.kind, 'files')}/{self.file_unique_id}"

    @property
    def file_size(self) -> int | None:
        """Size in bytes if the content is known."""
        return None if self.data is None else len(self.data)

    def to_api(self) -> dict[str, Any]:
        """The Bot API object (PhotoSize, Document or Sticker) describing this file."""
        out: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_size is not None:
            out["file_size"] = self.file_size
        if self.kind == "photo":
            out.update(width=800, height=600)
        elif self.kind == "sticker":
            out.update(width=512, height=512, is_animated=False, is_video=False, type="regular")
            out["emoji"] = "👍"
        else:
            if self.file_name:
                out["file_name"] = self.file_name
            if self.mime_type:
                out["mime_type"] = self.mime_type
        return out

    def file_api(self) -> dict[str, Any]:
        """The Bot API ``File`` object (getFile result)."""
        out = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_path": self.file_path,
        }
        if self.file_size is not None:
            out["file_size"] = self.file_size
        return out


@dataclass
class PollState:
    """A poll sent by the bot, with per-user votes."""

    id: str
    question: str
    options: list[str]
    type: str = "regular"
    is_anonymous: bool = True
    allows_multiple_answers: bool = False
    allows_revoting: bool = True
    correct_option_ids: list[int] = field(default_factory=list)
    explanation: str | None = None
    explanation_entities: list[dict] = field(default_factory=list)
    question_entities: list[dict] = field(default_factory=list)
    open_period: int | None = None
    close_date: int | None = None
    is_closed: bool = False
    votes: dict[int, list[int]] = field(default_factory=dict)
    chat_id: int = 0
    message_id: int = 0

    def option_id(self, index: int) -> str:
        """Stable ``persistent_id`` of an option."""
        return f"{self.id}-{index}"

    def counts(self) -> list[int]:
        """Voter count per option."""
        counts = [0] * len(self.options)
        for chosen in self.votes.values():
            for index in chosen:
                counts[index] += 1
        return counts

    def to_api(self) -> dict[str, Any]:
        """The Bot API ``Poll`` object (as the bot that sent it sees it)."""
        counts = self.counts()
        out: dict[str, Any] = {
            "id": self.id,
            "question": self.question,
            "options": [
                {"text": text, "voter_count": counts[i], "persistent_id": self.option_id(i)}
                for i, text in enumerate(self.options)
            ],
            "total_voter_count": sum(1 for chosen in self.votes.values() if chosen),
            "is_closed": self.is_closed,
            "is_anonymous": self.is_anonymous,
            "type": self.type,
            "allows_multiple_answers": self.allows_multiple_answers,
            "allows_revoting": self.allows_revoting,
            "members_only": False,
        }
        optional = {
            "question_entities": self.question_entities,
            "correct_option_ids": list(self.correct_option_ids),
            "explanation": self.explanation,
            "explanation_entities": self.explanation and self.explanation_entities,
            "open_period": self.open_period,
            "close_date": self.close_date,
        }
        return out | present(optional)


@dataclass(frozen=True)
class MessageVersion:
    """A message's content before an edit."""

    text: str | None
    caption: str | None
    entities: list[dict]
    raw: str | None
    reply_markup: dict | None
    edit_date: int | None


@dataclass(eq=False)
class StoredMessage:
    """A message in a chat, sent by the bot or by a simulated user; edits are applied in place."""

    message_id: int
    chat: ChatState = field(repr=False)
    from_bot: bool
    kind: str
    sender: dict | None = None
    text: str | None = None
    caption: str | None = None
    entities: list[dict] = field(default_factory=list)
    raw: str | None = None
    parse_mode: str | None = None
    reply_markup: dict | None = None
    file: StoredFile | None = None
    poll: PollState | None = None
    location: dict | None = None  # a shared location: latitude, longitude (and accuracy)
    reply_to: StoredMessage | None = field(default=None, repr=False)
    date: int = field(default_factory=lambda: int(time.time()))
    edit_date: int | None = None
    edits: int = 0
    history: list[MessageVersion] = field(default_factory=list)
    reaction_counts: dict[str, int] = field(default_factory=dict)  # emoji -> anonymous count
    sent_at: float = field(default_factory=time.monotonic)
    update_id: int | None = None
    created_at: float | None = None
    in_reply_to_update: int | None = None

    @property
    def chat_id(self) -> int:
        """Id of the chat the message lives in."""
        return self.chat.id

    @property
    def html(self) -> str | None:
        """Text or caption exactly as sent (HTML source when parse_mode was HTML)."""
        return self.raw

    @property
    def body(self) -> str:
        """Plain text or caption ('' if none)."""
        return self.text if self.text is not None else (self.caption or "")

    @property
    def inline_keyboard(self) -> list[list[dict]]:
        """Rows of inline keyboard buttons (empty if none)."""
        return list((self.reply_markup or {}).get("inline_keyboard") or [])

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Flat list of (text, callback_data, url or a Mini App's url) for inline buttons."""
        return [
            (
                button.get("text", ""),
                button.get(
                    "callback_data", button.get("url", (button.get("web_app") or {}).get("url"))
                ),
            )
            for row in self.inline_keyboard
            for button in row
        ]

    @property
    def file_bytes(self) -> bytes | None:
        """Content of the attached photo/document if known."""
        return None if self.file is None else self.file.data

    def snapshot(self) -> MessageVersion:
        """Current content, for the edit history."""
        return MessageVersion(
            self.text,
            self.caption,
            list(self.entities),
            self.raw,
            self.reply_markup,
            self.edit_date,
        )

    def to_api(self, *, with_reply: bool = True) -> dict[str, Any]:
        """The Bot API ``Message`` object."""
        out: dict[str, Any] = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": self.chat.to_api(),
        }
        if self.sender is not None:
            out["from"] = self.sender
        elif self.chat.type == "channel":
            out["sender_chat"] = self.chat.to_api()
        if self.edit_date is not None:
            out["edit_date"] = self.edit_date
        if self.reply_to is not None and with_reply:
            out["reply_to_message"] = self.reply_to.to_api(with_reply=False)
        if self.kind == "text":
            out["text"] = self.text or ""
            if self.entities:
                out["entities"] = self.entities
        elif self.kind == "poll" and self.poll is not None:
            out["poll"] = self.poll.to_api()
        elif self.kind == "location" and self.location is not None:
            out["location"] = dict(self.location)
        elif self.file is not None:
            out[self.kind] = [self.file.to_api()] if self.kind == "photo" else self.file.to_api()
        if self.caption:
            out["caption"] = self.caption
            if self.entities:
                out["caption_entities"] = self.entities
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            out["reply_markup"] = self.reply_markup
        return out

    def summary(self) -> str:
        """One-line description for assertion messages."""
        who = "bot" if self.from_bot else f"user {(self.sender or {}).get('id', '?')}"
        content = self.body if self.kind in ("text", "photo", "document") else self.kind
        if self.poll is not None:
            content = f"poll {self.poll.question!r} {self.poll.options}"
        extra = f" buttons={self.buttons}" if self.buttons else ""
        edited = f" (edited x{self.edits})" if self.edits else ""
        return f"#{self.message_id} {who} [{self.kind}]: {content!r}{extra}{edited}"


@dataclass(eq=False)
class ChatState:
    """A chat (private, group, supergroup or channel) and its message log."""

    id: int
    type: str
    title: str | None = None
    username: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    members: set[int] = field(default_factory=set)
    bot_is_member: bool = True
    bot_is_admin: bool = False
    blocked: bool = False
    messages: dict[int, StoredMessage] = field(default_factory=dict, repr=False)
    order: list[StoredMessage] = field(default_factory=list, repr=False)
    events: list[BotEvent] = field(default_factory=list, repr=False)
    last_update: UpdateRecord | None = field(default=None, repr=False)
    reply_keyboard: dict | None = field(default=None, repr=False)  # shown under the input
    creator_id: int | None = None  # the owner (ChatMemberOwner), a user id
    admins: set[int] = field(default_factory=set)  # users who are administrators
    kicked: set[int] = field(default_factory=set)  # banned users
    join_by_request: bool = False  # a public chat whose joins need an admin's approval
    invite_links: dict[str, InviteLink] = field(default_factory=dict, repr=False)
    joined_via: dict[int, str] = field(default_factory=dict, repr=False)  # member -> link
    join_requests: dict[int, JoinRequest] = field(default_factory=dict, repr=False)
    next_message_id: int = 1
    _signal: asyncio.Event = field(default_factory=asyncio.Event, repr=False)

    def to_api(self) -> dict[str, Any]:
        """The Bot API ``Chat`` object."""
        out: dict[str, Any] = {"id": self.id, "type": self.type}
        if self.type == "private":
            out["first_name"] = self.first_name or ""
            if self.last_name:
                out["last_name"] = self.last_name
        else:
            out["title"] = self.title or ""
        if self.username:
            out["username"] = self.username
        return out

    def add_message(self, message: StoredMessage) -> StoredMessage:
        """Store a message (its id must come from ``take_message_id``)."""
        self.messages[message.message_id] = message
        self.order.append(message)
        return message

    def take_message_id(self) -> int:
        """Allocate the next message id in this chat."""
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def push_event(self, event: BotEvent) -> None:
        """Append a bot event and wake readers."""
        self.events.append(event)
        self._signal.set()
        self._signal = asyncio.Event()

    @property
    def signal(self) -> asyncio.Event:
        """Event set at the next ``push_event``."""
        return self._signal

    def transcript(self) -> list[StoredMessage]:
        """Messages in order, with edits applied."""
        return list(self.order)


def chat_member(status: str, user: dict[str, Any], chat_type: str) -> dict[str, Any]:
    """The Bot API ``ChatMember`` object of ``user`` with ``status`` (creator, administrator,
    member, left or kicked) in a chat of ``chat_type``; administrators hold every right."""
    out: dict[str, Any] = {"status": status, "user": user}
    if status == "creator":
        out["is_anonymous"] = False
    elif status == "kicked":
        out["until_date"] = 0
    elif status == "administrator":
        rights = [
            "can_manage_chat",
            "can_delete_messages",
            "can_manage_video_chats",
            "can_restrict_members",
            "can_change_info",
            "can_invite_users",
            "can_post_stories",
            "can_edit_stories",
            "can_delete_stories",
        ]
        if chat_type == "channel":
            rights += ["can_post_messages", "can_edit_messages"]
        else:
            rights += ["can_pin_messages"]
        out.update(can_be_edited=False, is_anonymous=False)
        out.update(dict.fromkeys(rights, True), can_promote_members=False)
    return out


@dataclass
class InviteLink:
    """An additional invite link the bot created (createChatInviteLink)."""

    invite_link: str
    creator: dict[str, Any]
    name: str = ""
    expire_date: int = 0  # 0: never
    member_limit: int = 0  # 0: unlimited
    creates_join_request: bool = False
    is_revoked: bool = False

    def to_api(self, chat: ChatState) -> dict[str, Any]:
        """The Bot API ``ChatInviteLink`` object (as its creator, the bot, sees it)."""
        out: dict[str, Any] = {
            "invite_link": self.invite_link,
            "creator": self.creator,
            "creates_join_request": self.creates_join_request,
            "is_primary": False,
            "is_revoked": self.is_revoked,
        }
        out |= present(
            {"name": self.name, "expire_date": self.expire_date, "member_limit": self.member_limit}
        )
        if self.creates_join_request:
            out["pending_join_request_count"] = sum(
                1 for r in chat.join_requests.values() if r.invite_link == self.invite_link
            )
        return out

    def refusal(self, chat: ChatState, now: int) -> str | None:
        """Why the link admits nobody now (revoked, expired, full), or None."""
        if self.is_revoked:
            return "revoked"
        if self.expire_date and self.expire_date <= now:
            return "expired"
        joined = sum(
            1
            for user_id, link in chat.joined_via.items()
            if link == self.invite_link and user_id in chat.members
        )
        if self.member_limit and joined >= self.member_limit:
            return f"full ({joined} of {self.member_limit} members joined through it)"
        return None


@dataclass
class JoinRequest:
    """A pending request of a user to join a chat."""

    user: dict[str, Any]
    date: int
    invite_link: str | None = None
    bio: str | None = None


@dataclass
class BotEvent:
    """Something the bot did in a chat: message, edit or callback_answer."""

    kind: str
    chat_id: int
    message: StoredMessage | None = None
    callback: CallbackRecord | None = None
    at: float = field(default_factory=time.perf_counter)
    in_reply_to_update: int | None = None
    update_created_at: float | None = None

    @property
    def latency(self) -> float | None:
        """Seconds from the chat's latest update to this event."""
        if self.update_created_at is None:
            return None
        return self.at - self.update_created_at

    def summary(self) -> str:
        """One-line description for assertion messages."""
        if self.message is not None:
            return f"{self.kind}: {self.message.summary()}"
        if self.callback is not None:
            return f"{self.kind}: {self.callback.answer}"
        return self.kind


@dataclass
class CallbackRecord:
    """A callback query sent by a user and the bot's answer to it."""

    id: str
    chat_id: int
    message_id: int
    user_id: int
    data: str | None
    answered: bool = False
    answer: dict[str, Any] = field(default_factory=dict)


@dataclass
class UpdateRecord:
    """An update waiting for (or already delivered to) the bot."""

    update_id: int
    type: str
    payload: dict[str, Any]
    chat_id: int | None
    created_at: float = field(default_factory=time.perf_counter)

    def to_api(self) -> dict[str, Any]:
        """The Bot API ``Update`` object."""
        return {"update_id": self.update_id, self.type: self.payload}


@dataclass
class CallRecord:
    """One Bot API call made by the bot."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    error_code: int | None = None
    description: str | None = None
    duration: float = 0.0

    @property
    def chat_id(self) -> Any:
        """The call's ``chat_id`` parameter, if any."""
        return self.params.get("chat_id")

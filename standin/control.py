"""HTTP control API under ``/_standin/`` for driving the stand-in from another process.

It reaches the server only through :class:`Controlled`, a Protocol of what it needs;
server.py implements it and registers these routes, so this module never imports server.py
(no import cycle).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any, Protocol

from aiohttp import web

from .faults import FaultInjector
from .models import BotEvent, CallRecord, ChatState, StoredMessage
from .users import SimChannel, SimUser

__all__ = ["Controlled", "add_control_routes", "event_json", "message_json"]


class Controlled(Protocol):
    """What the control API needs of the stand-in (``server.BotAPIStandIn``)."""

    chats: dict[int, ChatState]
    faults: FaultInjector
    calls: list[CallRecord]
    commands: dict[tuple[str, str], list[dict]]

    def user(self, user_id: int, first_name: str = "Test", **profile: Any) -> SimUser:
        """Get or create a simulated user (``profile``: language_code, username, last_name)."""

    def calls_of(self, method: str) -> list[CallRecord]:
        """Logged calls of one Bot API method."""

    def channel(self, chat_id: int, username: str | None = None, **options: Any) -> SimChannel:
        """Create a channel (``options``: title, bot_is_admin, members, join_by_request ...)."""

    def channel_members(self, channel: int) -> set[int]:
        """Ids of a chat's members."""

    def invite_links(self, channel: int) -> list[dict]:
        """The bot's invite links of a chat (ChatInviteLink objects)."""

    def join_requests(self, channel: int) -> list[int]:
        """Ids of the users with a pending join request."""

    def react(self, channel: int, message_id: int, counts: dict[str, int]) -> None:
        """Set a message's reaction counts (emits ``message_reaction_count``)."""


def message_json(message: StoredMessage) -> dict[str, Any]:
    """A transcript entry: the Bot API message plus stand-in bookkeeping."""
    return {
        **message.to_api(),
        "from_bot": message.from_bot,
        "kind": message.kind,
        "raw": message.raw,
        "buttons": [list(button) for button in message.buttons],
        "edits": message.edits,
    }


def event_json(index: int, event: BotEvent) -> dict[str, Any]:
    """A bot event as JSON."""
    out: dict[str, Any] = {
        "index": index,
        "kind": event.kind,
        "chat_id": event.chat_id,
        "in_reply_to_update": event.in_reply_to_update,
        "latency": event.latency,
    }
    if event.message is not None:
        out["message"] = message_json(event.message)
    if event.callback is not None:
        out["callback"] = {"id": event.callback.id, **event.callback.answer}
    return out


def add_control_routes(app: web.Application, standin: Controlled) -> None:
    """Register the control endpoints on ``app``."""

    async def body(request: web.Request) -> dict[str, Any]:
        """JSON body of a request ({} when empty)."""
        if not request.body_exists:
            return {}
        data = await request.json()
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="JSON object expected")
        return data

    def user_for(request: web.Request, data: dict[str, Any]) -> SimUser:
        """The simulated user named in the path (created on first use)."""
        user_id = int(request.match_info["user_id"])
        return standin.user(
            user_id,
            data.get("first_name", f"User {user_id}"),
            language_code=data.get("language_code", "en"),
            username=data.get("username"),
        )

    async def send(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/send {"text": ...}."""
        data = await body(request)
        message = await user_for(request, data).send(data["text"])
        return web.json_response({"message_id": message.message_id, "update_id": message.update_id})

    async def press(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/press {"message_id", "data" | "button_text"}."""
        data = await body(request)
        user = user_for(request, data)
        try:
            if "button_text" in data:
                query_id = await user.press(data["message_id"], button_text=data["button_text"])
            else:
                query_id = await user.press_raw(data["message_id"], data["data"])
        except AssertionError as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response({"callback_query_id": query_id})

    async def block(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/block."""
        await user_for(request, await body(request)).block()
        return web.json_response({"ok": True})

    async def unblock(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/unblock."""
        await user_for(request, await body(request)).unblock()
        return web.json_response({"ok": True})

    async def answer_poll(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/answer_poll {"poll_id", "option_ids"}."""
        data = await body(request)
        try:
            await user_for(request, data).answer_poll(str(data["poll_id"]), data["option_ids"])
        except AssertionError as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response({"ok": True})

    async def join_channel(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/join_channel {"chat_id", "invite_link"?}
        -> {"result": "joined" | "requested"}."""
        data = await body(request)
        user = user_for(request, data)
        result = await refused_as_400(
            user.join_channel(int(data["chat_id"]), data.get("invite_link"))
        )
        return web.json_response({"result": result})

    async def request_join(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/request_join {"chat_id", "invite_link"?, "bio"?}."""
        data = await body(request)
        user = user_for(request, data)
        await refused_as_400(
            user.request_join(int(data["chat_id"]), data.get("invite_link"), data.get("bio"))
        )
        return web.json_response({"ok": True})

    async def leave_channel(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/leave_channel {"chat_id"}."""
        data = await body(request)
        await refused_as_400(user_for(request, data).leave_channel(int(data["chat_id"])))
        return web.json_response({"ok": True})

    async def open_link(request: web.Request) -> web.Response:
        """POST /_standin/users/{id}/open_link {"url"} -> {"message_id"} (a deep link to the
        bot) or {"result": "joined" | "requested"} (an invite link)."""
        data = await body(request)
        result = await refused_as_400(user_for(request, data).open_link(data["url"]))
        if isinstance(result, str):
            return web.json_response({"result": result})
        return web.json_response({"message_id": result.message_id, "update_id": result.update_id})

    async def refused_as_400(action: Any) -> Any:
        """Await a simulated user's action; a refusal (AssertionError) answers 400."""
        try:
            return await action
        except AssertionError as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None

    async def new_channel(request: web.Request) -> web.Response:
        """POST /_standin/channels {"chat_id", "username"?, "title"?, "bot_is_admin"?,
        "bot_is_member"?, "members"?, "creator"?, "admins"?, "join_by_request"?}."""
        data = await body(request)
        options = {
            key: data[key]
            for key in ("title", "bot_is_admin", "bot_is_member", "members", "creator", "admins")
            if key in data
        }
        options["join_by_request"] = bool(data.get("join_by_request"))
        channel = standin.channel(int(data["chat_id"]), data.get("username"), **options)
        return web.json_response(channel.chat.to_api())

    def chat_of(request: web.Request) -> ChatState:
        """The chat named in the path, or 404."""
        chat = standin.chats.get(int(request.match_info["chat_id"]))
        if chat is None:
            raise web.HTTPNotFound(text="unknown chat")
        return chat

    async def transcript(request: web.Request) -> web.Response:
        """GET /_standin/chats/{id}/transcript."""
        messages = chat_of(request).transcript()
        return web.json_response([message_json(m) for m in messages])

    async def events(request: web.Request) -> web.Response:
        """GET /_standin/chats/{id}/events?after=N&timeout=S (long polls for new bot events)."""
        chat = chat_of(request)
        after = int(request.query.get("after", "-1"))
        timeout = float(request.query.get("timeout", "0"))
        if len(chat.events) <= after + 1 and timeout > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(chat.signal.wait(), timeout)
        start = after + 1
        return web.json_response(
            [event_json(start + i, e) for i, e in enumerate(chat.events[start:])]
        )

    async def members(request: web.Request) -> web.Response:
        """GET /_standin/chats/{id}/members -> sorted member ids."""
        return web.json_response(sorted(standin.channel_members(chat_of(request).id)))

    async def invite_links(request: web.Request) -> web.Response:
        """GET /_standin/chats/{id}/invite_links -> the bot's ChatInviteLink objects."""
        return web.json_response(standin.invite_links(chat_of(request).id))

    async def join_requests(request: web.Request) -> web.Response:
        """GET /_standin/chats/{id}/join_requests -> ids of users with a pending request."""
        return web.json_response(standin.join_requests(chat_of(request).id))

    async def react(request: web.Request) -> web.Response:
        """POST /_standin/chats/{id}/react {"message_id", "counts": {emoji: count}}."""
        chat, data = chat_of(request), await body(request)
        try:
            standin.react(chat.id, int(data["message_id"]), dict(data["counts"]))
        except AssertionError as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response({"ok": True})

    async def add_fault(request: web.Request) -> web.Response:
        """POST /_standin/faults {method, kind, ...Fault options}."""
        try:
            fault = standin.faults.add(**await body(request))
        except (TypeError, ValueError) as exc:
            raise web.HTTPBadRequest(text=str(exc)) from None
        return web.json_response(fault.to_dict())

    async def list_faults(request: web.Request) -> web.Response:
        """GET /_standin/faults."""
        return web.json_response([fault.to_dict() for fault in standin.faults.rules])

    async def clear_faults(request: web.Request) -> web.Response:
        """DELETE /_standin/faults."""
        standin.faults.clear()
        return web.json_response({"ok": True})

    async def calls(request: web.Request) -> web.Response:
        """GET /_standin/calls?method=sendMessage."""
        method = request.query.get("method")
        records = standin.calls_of(method) if method else standin.calls
        return web.json_response(
            [
                {
                    "method": c.method,
                    "params": {k: v if _jsonable(v) else repr(v) for k, v in c.params.items()},
                    "ok": c.ok,
                    "error_code": c.error_code,
                    "description": c.description,
                    "at": c.at,
                    "duration": c.duration,
                }
                for c in records
            ]
        )

    async def commands(request: web.Request) -> web.Response:
        """GET /_standin/commands -> every stored (scope, language) command list."""
        return web.json_response(
            [
                {"scope": json.loads(scope), "language_code": lang, "commands": cmds}
                for (scope, lang), cmds in standin.commands.items()
            ]
        )

    prefix = "/_standin"
    user_actions = {"send": send, "press": press, "block": block, "unblock": unblock}
    user_actions["answer_poll"] = answer_poll
    # channels and groups: join (or ask to), leave, follow a link
    user_actions |= {"join_channel": join_channel, "request_join": request_join}
    user_actions |= {"leave_channel": leave_channel, "open_link": open_link}
    for action, handler in user_actions.items():
        app.router.add_post(f"{prefix}/users/{{user_id}}/{action}", handler)
    app.router.add_get(prefix + "/chats/{chat_id}/transcript", transcript)
    app.router.add_get(prefix + "/chats/{chat_id}/events", events)
    app.router.add_post(prefix + "/channels", new_channel)
    app.router.add_get(prefix + "/chats/{chat_id}/members", members)
    app.router.add_get(prefix + "/chats/{chat_id}/invite_links", invite_links)
    app.router.add_get(prefix + "/chats/{chat_id}/join_requests", join_requests)
    app.router.add_post(prefix + "/chats/{chat_id}/react", react)
    # faults: add one, list them, clear them
    app.router.add_post(prefix + "/faults", add_fault)
    app.router.add_get(prefix + "/faults", list_faults)
    app.router.add_delete(prefix + "/faults", clear_faults)
    # what the bot did: its calls, its command menus
    app.router.add_get(prefix + "/calls", calls)
    app.router.add_get(prefix + "/commands", commands)


def _jsonable(value: Any) -> bool:
    """Whether ``value`` is a plain JSON value."""
    return value is None or isinstance(value, str | int | float | bool | list | dict)

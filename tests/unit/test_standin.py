"""Bot API stand-in driven by PTB's real ``telegram.Bot``: messages, edits, polls, files, faults.

The stand-in implements the methods the bot calls (and PTB's own start-up and polling calls),
getFile for the transport's download test, and sendPoll/stopPoll/setChatMenuButton/
getChatMenuButton for planned features; ``test_standin_updates.py`` checks that list.
"""

from __future__ import annotations

import time

import pytest
from telegram import Bot as PTBBot
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    ChatMemberBanned,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    MenuButtonCommands,
    MenuButtonDefault,
    MenuButtonWebApp,
    MessageId,
    Poll,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    WebAppInfo,
)
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TimedOut

from standin import BotAPIStandIn, NoBotResponse, SimUser
from tests.unit.standins import USER_ID

GROUP_ID = -1001234


def keyboard(*pairs: tuple[str, str]) -> InlineKeyboardMarkup:
    """One-row inline keyboard of (text, callback_data) buttons."""
    return InlineKeyboardMarkup([[InlineKeyboardButton(t, callback_data=d) for t, d in pairs]])


async def fetch_updates(bot: PTBBot, offset: int | None = None) -> tuple[Update, ...]:
    """Pending updates without waiting."""
    return await bot.get_updates(offset=offset, timeout=0)


# ---------------------------------------------------------------- basics


async def test_get_me_and_urls(standin: BotAPIStandIn, bot: PTBBot) -> None:
    me = await bot.get_me()
    assert (me.id, me.username, me.is_bot) == (123456, "cxcoach_test_bot", True)
    assert standin.base_url == f"{standin.url}/bot"
    assert standin.url.startswith("http://127.0.0.1:")


async def test_wrong_token_is_rejected(standin: BotAPIStandIn) -> None:
    with pytest.raises(InvalidToken):
        async with PTBBot("999:WRONG", base_url=standin.base_url):
            pass


async def test_send_html_message_is_stored_as_text_plus_entities(
    bot: PTBBot, user: SimUser
) -> None:
    sent = await bot.send_message(
        USER_ID,
        "  <b>Hello</b>, <i>Olena</i> 👋 ",
        parse_mode="HTML",
        reply_markup=keyboard(("Go", "go")),
    )
    assert sent.text == "Hello, Olena 👋"
    assert [(e.type, e.offset, e.length) for e in sent.entities] == [
        ("bold", 0, 5),
        ("italic", 7, 5),
    ]
    message = await user.next_message()
    assert message.message_id == sent.message_id
    assert (message.kind, message.text, message.chat_id) == ("text", "Hello, Olena 👋", USER_ID)
    assert message.html == "  <b>Hello</b>, <i>Olena</i> 👋 "
    assert message.buttons == [("Go", "go")]
    assert message.inline_keyboard == [[{"text": "Go", "callback_data": "go"}]]
    assert message.sent_at <= time.monotonic()
    assert user.last_bot_message() is message


async def test_bad_html_is_rejected_like_telegram(bot: PTBBot, user: SimUser) -> None:
    with pytest.raises(BadRequest, match=r'(?i)can\'t parse entities: unsupported start tag "foo"'):
        await bot.send_message(USER_ID, "hi <foo>", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)can't find end tag"):
        await bot.send_message(USER_ID, "<b>hi", parse_mode="HTML")
    assert user.transcript() == []


@pytest.mark.parametrize(
    ("text", "error"),
    [("", "Message text is empty"), ("  \n ", "Message text is empty"), ("x" * 4097, "too long")],
)
async def test_text_limits(bot: PTBBot, text: str, error: str) -> None:
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await bot.send_message(USER_ID, text)


async def test_limit_counts_text_after_entity_parsing(bot: PTBBot) -> None:
    sent = await bot.send_message(USER_ID, "<b>" + "x" * 4096 + "</b>", parse_mode="HTML")
    assert len(sent.text) == 4096


async def test_unknown_chat_and_blocked_user_and_groups(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)Chat not found"):
        await bot.send_message(424242, "hi")
    await user.block()
    with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
        await bot.send_message(USER_ID, "hi")
    await user.unblock()
    await bot.send_message(USER_ID, "welcome back")
    updates = await fetch_updates(bot)
    statuses = [
        (u.my_chat_member.old_chat_member.status, u.my_chat_member.new_chat_member.status)
        for u in updates
    ]
    assert statuses == [("member", "kicked"), ("kicked", "member")]
    assert isinstance(updates[0].my_chat_member.new_chat_member, ChatMemberBanned)
    standin.group(-5001, "Not joined", members=[USER_ID], bot_is_member=False)
    with pytest.raises(Forbidden, match=r"(?i)bot is not a member of the group chat"):
        await bot.send_message(-5001, "hi")


async def test_group_and_channel_chats(standin: BotAPIStandIn, bot: PTBBot, user: SimUser) -> None:
    group = standin.group(-1001234, "Team", members=[USER_ID])
    written = await user.send_in_group(group, "/help@cxcoach_test_bot please")
    update = (await fetch_updates(bot))[0]
    assert update.message.chat.type == "supergroup"
    assert update.message.from_user.id == USER_ID
    assert update.message.entities[0].type == "bot_command"
    assert update.message.entities[0].length == len("/help@cxcoach_test_bot")
    await bot.send_message(-1001234, "reply", reply_to_message_id=written.message_id)
    reply = await group.next_message()
    assert reply.reply_to is written
    assert [m.text for m in standin.chat_transcript(-1001234)] == [written.text, "reply"]

    channel = standin.channel(-1009999, username="cx_news")
    standin.channel(-1008888, username="other", bot_is_admin=False)
    post = await bot.send_message("@cx_news", "<b>news</b>", parse_mode="HTML")
    assert post.sender_chat.id == -1009999 and post.from_user is None
    assert (await channel.next_message()).text == "news"
    with pytest.raises(BadRequest, match=r"(?i)need administrator rights"):
        await bot.send_message("@other", "x")
    standin.channel_post(channel, "from admin")
    updates = await fetch_updates(bot, offset=update.update_id + 1)
    assert updates[0].channel_post.text == "from admin"
    assert updates[0].channel_post.chat.title == "Test channel"


# ---------------------------------------------------------------- reply markup


async def test_callback_data_limit_is_64_utf8_bytes(bot: PTBBot, user: SimUser) -> None:
    await bot.send_message(USER_ID, "ok", reply_markup=keyboard(("a", "é" * 32)))
    with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
        await bot.send_message(USER_ID, "bad", reply_markup=keyboard(("a", "x" * 65)))
    with pytest.raises(BadRequest, match=r"(?i)Button_data_invalid"):
        await bot.send_message(USER_ID, "bad", reply_markup=keyboard(("a", "é" * 33)))
    assert [m.text for m in user.transcript()] == ["ok"]


async def test_inline_buttons_need_exactly_one_action(bot: PTBBot) -> None:
    no_action = InlineKeyboardMarkup([[InlineKeyboardButton("plain")]])
    with pytest.raises(BadRequest, match=r"(?i)text buttons are unallowed"):
        await bot.send_message(USER_ID, "x", reply_markup=no_action)
    two = InlineKeyboardMarkup(
        [[InlineKeyboardButton("t", callback_data="d", url="https://example.com")]]
    )
    with pytest.raises(BadRequest, match=r"(?i)exactly one of the optional fields"):
        await bot.send_message(USER_ID, "x", reply_markup=two)
    bad_url = InlineKeyboardMarkup([[InlineKeyboardButton("t", url="ftp://x")]])
    with pytest.raises(BadRequest, match=r"(?i)Button_url_invalid"):
        await bot.send_message(USER_ID, "x", reply_markup=bad_url)


# ---------------------------------------------------------------- edits, callbacks


async def test_edits_are_applied_with_history(bot: PTBBot, user: SimUser) -> None:
    sent = await bot.send_message(USER_ID, "v1", reply_markup=keyboard(("A", "a")))
    edited = await bot.edit_message_text(
        "<i>v2</i>", USER_ID, sent.message_id, parse_mode="HTML", reply_markup=keyboard(("B", "b"))
    )
    assert edited.text == "v2" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)Message is not modified"):
        await bot.edit_message_text(
            "<i>v2</i>",
            USER_ID,
            sent.message_id,
            parse_mode="HTML",
            reply_markup=keyboard(("B", "b")),
        )
    await bot.edit_message_text("v2", USER_ID, sent.message_id, reply_markup=keyboard(("C", "c")))
    with pytest.raises(BadRequest, match=r"(?i)Message to edit not found"):
        await bot.edit_message_text("x", USER_ID, 999)
    events = [await user.next_event() for _ in range(3)]
    assert [e.kind for e in events] == ["message", "edit", "edit"]
    message = user.transcript()[0]
    assert (message.text, message.edits, message.buttons) == ("v2", 2, [("C", "c")])
    assert [v.text for v in message.history] == ["v1", "v2"]
    assert message.history[0].reply_markup == {
        "inline_keyboard": [[{"text": "A", "callback_data": "a"}]]
    }
    await bot.edit_message_text("v3", USER_ID, sent.message_id)
    assert message.reply_markup is None  # omitting reply_markup removes the keyboard


async def test_cannot_edit_user_messages_or_text_of_media(bot: PTBBot, user: SimUser) -> None:
    own = await user.send("hello")
    with pytest.raises(BadRequest, match=r"(?i)can't be edited"):
        await bot.edit_message_text("x", USER_ID, own.message_id)
    photo = await bot.send_photo(USER_ID, b"img", caption="c")
    with pytest.raises(BadRequest, match=r"(?i)no text in the message"):
        await bot.edit_message_text("x", USER_ID, photo.message_id)


async def test_press_button_and_answer_callback_once(bot: PTBBot, user: SimUser) -> None:
    sent = await bot.send_message(USER_ID, "pick", reply_markup=keyboard(("Yes", "y"), ("No", "n")))
    query_id = await user.press(sent.message_id, button_text="No")
    forged = await user.press_raw(sent.message_id, "admin:drop")
    first, second = await fetch_updates(bot)
    assert (first.callback_query.id, first.callback_query.data) == (query_id, "n")
    assert first.callback_query.message.message_id == sent.message_id
    assert second.callback_query.data == "admin:drop" and second.callback_query.id == forged
    assert await bot.answer_callback_query(query_id, text="Noted")
    with pytest.raises(BadRequest, match=r"(?i)Query is too old"):
        await bot.answer_callback_query(query_id)
    with pytest.raises(BadRequest, match=r"(?i)Query is too old"):
        await bot.answer_callback_query("nonexistent")
    await user.next_message()
    answer = await user.next_event()
    assert answer.kind == "callback_answer" and answer.callback.answer["text"] == "Noted"
    with pytest.raises(AssertionError, match="buttons"):
        await user.press(sent.message_id, button_text="Maybe")
    with pytest.raises(AssertionError, match="buttons"):
        await user.press(sent.message_id, data="zzz")


async def test_next_event_timeout_lists_transcript(user: SimUser) -> None:
    await user.send("anyone?")
    with pytest.raises(NoBotResponse, match="anyone") as info:
        await user.next_event(timeout=0.05)
    assert isinstance(info.value, TimeoutError)
    await user.expect_no_event(within=0.01)


async def test_user_edit_emits_edited_message(bot: PTBBot, user: SimUser) -> None:
    sent = await user.send("typo")
    await user.edit(sent.message_id, "fixed")
    updates = await fetch_updates(bot)
    assert updates[1].edited_message.text == "fixed"
    assert updates[1].edited_message.message_id == sent.message_id
    assert user.transcript()[0].history[0].text == "typo"


# ---------------------------------------------------------------- polls


async def test_regular_and_quiz_polls_round_trip_through_ptb(bot: PTBBot, user: SimUser) -> None:
    regular = await bot.send_poll(USER_ID, "Best?", ["A", "B", "C"], is_anonymous=False)
    assert regular.poll.type == Poll.REGULAR and not regular.poll.is_anonymous
    assert [o.persistent_id for o in regular.poll.options] == ["1-0", "1-1", "1-2"]
    quiz = await bot.send_poll(
        USER_ID,
        "2+2?",
        ["3", "4"],
        type=Poll.QUIZ,
        correct_option_ids=[1],
        explanation="<b>Four</b>",
        explanation_parse_mode="HTML",
    )
    assert quiz.poll.correct_option_ids == (1,)
    assert quiz.poll.explanation == "Four"
    await user.answer_poll(regular.poll.id, [2])
    updates = await fetch_updates(bot)
    answer = updates[0].poll_answer
    assert (answer.poll_id, answer.option_ids, answer.user.id) == (regular.poll.id, (2,), USER_ID)
    assert answer.option_persistent_ids == ("1-2",)
    assert updates[1].poll.options[2].voter_count == 1
    stopped = await bot.stop_poll(USER_ID, regular.message_id)
    assert stopped.is_closed and stopped.total_voter_count == 1
    with pytest.raises(BadRequest, match=r"(?i)already been closed"):
        await bot.stop_poll(USER_ID, regular.message_id)
    with pytest.raises(AssertionError, match="closed"):
        await user.answer_poll(regular.poll.id, [0])
    message = user.transcript()[0]
    assert message.kind == "poll" and message.poll.options == ["A", "B", "C"]


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"question": "q", "options": ["only"]}, "at least 2 option"),
        ({"question": "q", "options": [str(i) for i in range(13)]}, "more than 12 options"),
        ({"question": "x" * 301, "options": ["a", "b"]}, "question length"),
        ({"question": "q", "options": ["a", "x" * 101]}, "options length"),
        ({"question": "q", "options": ["a", "b"], "type": "quiz"}, "correct_option_ids"),
        (
            {"question": "q", "options": ["a", "b"], "type": "quiz", "correct_option_ids": [5]},
            "wrong correct option",
        ),
        (
            {
                "question": "q",
                "options": ["a", "b"],
                "type": "quiz",
                "correct_option_ids": [0],
                "explanation": "x" * 201,
            },
            "explanation length",
        ),
        (
            {
                "question": "q",
                "options": ["a", "b"],
                "type": "quiz",
                "correct_option_ids": [0],
                "explanation": "a\nb\nc\nd",
            },
            "line feeds",
        ),
    ],
)
async def test_poll_validation(bot: PTBBot, kwargs: dict, error: str) -> None:
    with pytest.raises(BadRequest, match=f"(?i){error}"):
        await bot.send_poll(USER_ID, **kwargs)


# ---------------------------------------------------------------- files, copies


async def test_send_photo_multipart_bytes_are_stored_and_downloadable(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    payload = bytes(range(256)) * 40
    sent = await bot.send_photo(USER_ID, payload, caption="<i>chart</i>", parse_mode="HTML")
    assert sent.caption == "chart" and sent.caption_entities[0].type == "italic"
    message = await user.next_message()
    assert message.kind == "photo" and message.file_bytes == payload and message.caption == "chart"
    file = await bot.get_file(sent.photo[-1].file_id)
    assert file.file_size == len(payload)
    assert bytes(await file.download_as_bytearray()) == payload
    again = await bot.send_photo(USER_ID, sent.photo[-1].file_id)
    assert again.photo[-1].file_id == sent.photo[-1].file_id
    by_url = await bot.send_photo(USER_ID, "https://example.com/pic.png")
    assert by_url.photo[-1].file_id != sent.photo[-1].file_id
    with pytest.raises(BadRequest, match=r"(?i)wrong file identifier"):
        await bot.send_photo(USER_ID, "no-such-file-id")
    with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
        await bot.send_photo(USER_ID, payload, caption="c" * 1025)
    assert standin.calls_of("sendPhoto")[0].params["photo"].data == payload


async def test_send_document_keeps_name_and_type(bot: PTBBot, user: SimUser) -> None:
    sent = await bot.send_document(USER_ID, b"a,b\n1,2\n", filename="report.csv")
    assert sent.document.file_name == "report.csv"
    message = await user.next_message()
    assert message.file is not None and message.file.file_name == "report.csv"
    assert message.file_bytes == b"a,b\n1,2\n"


async def test_copy_user_photo(bot: PTBBot, user: SimUser) -> None:
    photo = await user.send_photo(b"user-photo", caption="mine")
    copied = await bot.copy_message(USER_ID, USER_ID, photo.message_id)
    assert isinstance(copied, MessageId)
    copy = await user.next_message()
    assert copy.message_id == copied.message_id and copy.from_bot
    assert (copy.kind, copy.caption, copy.file_bytes) == ("photo", "mine", b"user-photo")
    recaptioned = await bot.copy_message(USER_ID, USER_ID, photo.message_id, caption="theirs")
    assert user.chat.messages[recaptioned.message_id].caption == "theirs"
    with pytest.raises(BadRequest, match=r"(?i)Message to copy not found"):
        await bot.copy_message(USER_ID, USER_ID, 999)


async def test_user_media_reaches_bot_and_file_is_downloadable(bot: PTBBot, user: SimUser) -> None:
    await user.send_sticker()
    await user.send_document(b"doc", file_name="a.txt")
    sticker, document = (u.message for u in await fetch_updates(bot))
    assert sticker.sticker.type == "regular"
    assert document.document.file_name == "a.txt"
    file = await bot.get_file(document.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"doc"


# ---------------------------------------------------------------- bot settings


async def test_commands_per_scope_and_language(standin: BotAPIStandIn, bot: PTBBot) -> None:
    await bot.set_my_commands([BotCommand("start", "Start"), BotCommand("help", "Help")])
    await bot.set_my_commands([BotCommand("start", "Почати")], language_code="uk")
    await bot.set_my_commands(
        [BotCommand("menu", "Menu")], scope=BotCommandScopeAllPrivateChats(), language_code="uk"
    )
    assert [c["command"] for c in standin.get_commands()] == ["start", "help"]
    assert [c["description"] for c in standin.get_commands(language_code="uk")] == ["Почати"]
    assert standin.get_commands({"type": "all_private_chats"}, "uk") == [
        {"command": "menu", "description": "Menu"}
    ]
    assert standin.get_commands(language_code="de") == []  # exact scope and language
    languages = [c.params.get("language_code", "") for c in standin.calls_of("setMyCommands")]
    assert languages == ["", "uk", "uk"]
    with pytest.raises(BadRequest, match=r"(?i)Bot_command_invalid"):
        await bot.set_my_commands([BotCommand("Bad-Name", "x")])


async def test_menu_button(standin: BotAPIStandIn, bot: PTBBot) -> None:
    assert isinstance(await bot.get_chat_menu_button(USER_ID), MenuButtonDefault)
    assert await bot.set_chat_menu_button(USER_ID, MenuButtonCommands())
    assert isinstance(await bot.get_chat_menu_button(USER_ID), MenuButtonCommands)
    assert standin.menu_buttons[USER_ID] == {"type": "commands"}
    app = MenuButtonWebApp("Coach", WebAppInfo("https://example.com/app"))
    assert await bot.set_chat_menu_button(menu_button=app)  # every chat's default
    assert isinstance(await bot.get_chat_menu_button(USER_ID), MenuButtonCommands)
    default = standin.user(2002, "Other")
    assert await bot.get_chat_menu_button(default.chat_id) == app


# ---------------------------------------------------------------- faults


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_retry_after_fault_maps_to_ptb_retry_after(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    standin.faults.add(method="sendMessage", kind="retry_after", retry_after=3, times=1)
    with pytest.raises(RetryAfter) as info:
        await bot.send_message(USER_ID, "x")
    retry_after = info.value.retry_after
    assert (retry_after if isinstance(retry_after, int) else retry_after.total_seconds()) == 3
    assert user.transcript() == []  # a fault does not perform the action
    await bot.send_message(USER_ID, "y")
    assert [c.error_code for c in standin.calls_of("sendMessage")] == [429, None]


async def test_server_error_forbidden_and_bad_request_faults(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    standin.faults.add(method="*", kind="server_error", status=502, times=2)
    for _ in range(2):
        with pytest.raises(NetworkError, match="Bad Gateway"):
            await bot.get_me()
    await bot.get_me()
    standin.faults.add(method="sendMessage", kind="forbidden", chat_id=USER_ID)
    other = standin.user(2002, "Other")
    await bot.send_message(2002, "not affected by the chat-specific fault")
    standin.faults.add(method="sendMessage", kind="bad_request", description="Bad Request: boom")
    with pytest.raises(Forbidden):
        await bot.send_message(USER_ID, "x")
    with pytest.raises(BadRequest, match=r"(?i)Boom"):
        await bot.send_message(USER_ID, "x")
    await bot.send_message(USER_ID, "fine")
    assert [m.text for m in user.transcript()] == ["fine"]
    assert len(other.transcript()) == 1
    standin.faults.add(method="sendMessage", kind="forbidden", times=None)
    standin.faults.clear()
    await bot.send_message(USER_ID, "cleared")


async def test_delay_fault_lets_client_time_out_then_performs(
    standin: BotAPIStandIn, bot: PTBBot, user: SimUser
) -> None:
    standin.faults.add(method="sendMessage", kind="delay", seconds=0.5)
    with pytest.raises(TimedOut):
        await bot.send_message(USER_ID, "late", read_timeout=0.1)
    assert (await user.next_message(timeout=3)).text == "late"


async def test_probabilistic_faults_are_deterministic_given_a_seed(standin: BotAPIStandIn) -> None:
    def pattern() -> list[bool]:
        standin.faults.clear()
        standin.faults.add(method="getMe", kind="server_error", times=None, probability=0.3, seed=7)
        return [standin.faults.take("getMe", None) is not None for _ in range(50)]

    first = pattern()
    assert first == pattern()
    assert 0 < sum(first) < 50
    with pytest.raises(ValueError, match="unknown fault kind"):
        standin.faults.add(kind="explode")


# Reply keyboards and shared locations ------------------------------------------------
def location_keyboard(one_time: bool = True) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        [[KeyboardButton("📍 Send my location", request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=one_time,
    )


async def test_a_location_button_shows_and_a_shared_location_reaches_the_bot(
    bot: PTBBot, user: SimUser
) -> None:
    await bot.send_message(USER_ID, "Where are you?", reply_markup=location_keyboard())
    assert user.reply_keyboard == [[{"text": "📍 Send my location", "request_location": True}]]
    await bot.get_updates()  # nothing pending yet
    sent = await user.tap_keyboard("📍 Send my location", latitude=49.84, longitude=24.03)
    assert sent.kind == "location" and sent.location == {"latitude": 49.84, "longitude": 24.03}
    assert user.reply_keyboard == []  # one_time_keyboard: hidden after the tap
    updates = await bot.get_updates()
    message = updates[-1].message
    assert message.location.latitude == pytest.approx(49.84)
    assert message.location.longitude == pytest.approx(24.03)
    assert message.text is None and message.chat.id == USER_ID
    assert sent in user.transcript()  # recorded in the chat like any message


async def test_a_kept_keyboard_stays_until_removed(bot: PTBBot, user: SimUser) -> None:
    await bot.send_message(USER_ID, "Where?", reply_markup=location_keyboard(one_time=False))
    await user.tap_keyboard("📍 Send my location", latitude=1.0, longitude=2.0)
    assert user.reply_keyboard != []
    await bot.send_message(USER_ID, "Thanks", reply_markup=ReplyKeyboardRemove())
    assert user.reply_keyboard == []


async def test_a_location_can_be_sent_at_any_time_but_not_from_nowhere(user: SimUser) -> None:
    sent = await user.send_location(50.45, 30.52, horizontal_accuracy=20.0)
    assert sent.location["horizontal_accuracy"] == 20.0
    with pytest.raises(AssertionError, match="no such place"):
        await user.send_location(91.0, 0.0)
    with pytest.raises(AssertionError, match="no reply-keyboard button"):
        await user.tap_keyboard("📍 Send my location", latitude=1.0, longitude=2.0)


async def test_request_location_is_for_private_chats_only(
    bot: PTBBot, standin: BotAPIStandIn
) -> None:
    standin.group(GROUP_ID, "Team", members=[USER_ID])
    with pytest.raises(BadRequest, match=r"(?i)location can be requested in a private chats only"):
        await bot.send_message(GROUP_ID, "Where?", reply_markup=location_keyboard())
    await bot.send_message(GROUP_ID, "Pick", reply_markup=ReplyKeyboardMarkup([["A", "B"]]))


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ({"keyboard": [[{"text": ""}]]}, "Text must be non-empty"),
        ({"keyboard": [[{"request_location": True}]]}, "Text must be non-empty"),
        ({"keyboard": [[42]]}, "KeyboardButton must be an Object"),
        (
            {"keyboard": [[{"text": "x", "request_location": True, "request_contact": True}]]},
            "only one request field",
        ),
        ({"keyboard": [[{"text": "x", "request_location": "yes"}]]}, "must be of type Boolean"),
        ({"keyboard": [["x"]], "one_time_keyboard": "true"}, "must be of type Boolean"),
        ({"keyboard": "x"}, "must be an Array"),
    ],
)
@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_reply_keyboards_are_validated_like_telegram(
    standin: BotAPIStandIn, bot: PTBBot, markup: dict, error: str
) -> None:
    with pytest.raises(BadRequest, match="(?i)" + error):
        await bot.do_api_request(
            "sendMessage", api_kwargs={"chat_id": USER_ID, "text": "x", "reply_markup": markup}
        )


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBUserWarning")
async def test_an_edit_takes_an_inline_keyboard_only(bot: PTBBot) -> None:
    inline = InlineKeyboardMarkup([[InlineKeyboardButton("Go", callback_data="go")]])
    sent = await bot.send_message(USER_ID, "v1", reply_markup=inline)
    with pytest.raises(BadRequest, match=r"(?i)inline keyboard expected"):
        await bot.do_api_request(
            "editMessageText",
            api_kwargs={
                "chat_id": USER_ID,
                "message_id": sent.message_id,
                "text": "v2",
                "reply_markup": {"keyboard": [["A"]]},
            },
        )

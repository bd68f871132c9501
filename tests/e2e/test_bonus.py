"""Bonus materials end to end: an admin attaches a document to a lesson; a learner outside
the channel is invited to join first and, once in, gets the document; a bonus for another
language is not shown; a failed check is said politely; the admin side is the admins' only."""

from __future__ import annotations

from tests.e2e import admins
from tests.e2e.admins import CHANNEL_ID, admin, learners, make
from tests.e2e.steps import labels, next_toast

START, HARNESS = admins.START, admins.HARNESS  # the clock and settings of the fixture h

PDF = b"%PDF-1.4 the CX checklist"
BONUS = "🎁 Bonus: CX checklist"
JOINED = "✅ I’m in the channel"


def _first(h, lang: str = "en"):
    series = h.catalog.series_list(lang)[0]
    return series, series.lessons[0]


async def attach(h, boss, language: str = "🌐 All languages", title: str = "CX checklist"):
    """The admin attaches a PDF to the first lesson, step by step: the saved screen."""
    series, lesson = _first(h)
    await boss.send("/bonus")
    listing = await boss.next_message()
    assert "Bonuses for channel members" in listing.text
    await boss.press(listing, data=f"bns:{series.id}")
    targets = await boss.next_edit()
    assert "📚 The whole series" in labels(targets)
    await boss.press(targets, data=f"bnt:l:{lesson.id}")
    languages = await boss.next_edit()
    await boss.press(languages, language)
    asked = await boss.next_edit()
    assert "Type a short title" in asked.text
    await boss.send("x" * 41)  # too long: asked again
    assert "too long" in (await boss.next_message()).text
    await boss.send(title)
    assert "send the material" in (await boss.next_message()).text
    await boss.send_sticker()  # not something to keep: still awaited
    assert "cannot be kept as a bonus" in (await boss.next_message()).text
    await boss.send_document(PDF, "checklist.pdf", "application/pdf")
    saved = await boss.next_message()
    assert f"Bonus saved: {title}" in saved.text and lesson.title in saved.text
    return saved


async def lesson_by_link(user, lesson):
    """The lesson's message, opened by its deep link (after a greeting, if one comes)."""
    await user.send(f"/start l_{lesson.id}")
    while not (message := await user.next_message()).text.startswith(lesson.title):
        pass
    return message


def _url_of(message, label: str) -> str:
    [url] = [b["url"] for row in message.inline_keyboard for b in row if b.get("text") == label]
    return url


async def test_a_learner_joins_the_channel_and_gets_the_bonus(h, standin):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news", title="CX News")
    boss = await admin(h)
    await attach(h, boss)
    _, lesson = _first(h)
    [learner] = await learners(h, ["en"])
    shown = await lesson_by_link(learner, lesson)
    assert BONUS in labels(shown)
    assert labels(shown)[-2:] == ["⬅️ Back to the series", "🏠 Menu"]  # the way out stays last
    await learner.press(shown, BONUS)
    invitation = await learner.next_message()
    assert "a bonus for members of our channel" in invitation.text
    assert _url_of(invitation, "📢 Join the channel") == "https://t.me/cxcoach_news"
    assert not [m for m in learner.bot_messages() if m.kind == "document"]
    await learner.press(invitation, JOINED)  # too early
    assert "don’t see you in the channel yet" in (await next_toast(learner) or "")
    await learner.join_channel(channel)
    await learner.press(invitation, JOINED)
    given = await learner.next_edit()
    assert "Thank you for joining the channel" in given.text and given.buttons == []
    copy = await learner.next_message()
    assert copy.kind == "document" and copy.file_bytes == PDF
    assert len(standin.calls_of("getChatMember")) == 3  # asked at each press
    # a member pressing the lesson's button again gets it at once
    await learner.press(shown, BONUS)
    assert "Your bonus: CX checklist" in (await learner.next_message()).text
    assert (await learner.next_message()).kind == "document"
    # the admin's next message is an ordinary one again
    await h.settle()
    boss.skip_pending()
    await boss.send("hello")
    assert "Bonus saved" not in (await boss.next_message()).text


async def test_a_channel_configured_by_its_id_is_joined_through_an_invite_link(
    standin, tmp_path, clock
):
    h = make(standin, tmp_path, clock, channel=str(CHANNEL_ID))
    await h.start()
    try:
        channel = standin.channel(CHANNEL_ID, title="CX News (private)")
        boss = await admin(h)
        await attach(h, boss)
        _, lesson = _first(h)
        first, second = await learners(h, ["en", "en"])
        shown = await lesson_by_link(first, lesson)
        await first.press(shown, BONUS)
        invitation = await first.next_message()
        link = _url_of(invitation, "📢 Join the channel")
        assert link.startswith("https://t.me/+")
        assert await first.press_url(invitation, "📢 Join the channel") == "joined"
        await first.press(invitation, JOINED)
        await first.next_edit()
        assert (await first.next_message()).kind == "document"
        assert 1001 in standin.channel_members(channel)
        shown = await lesson_by_link(second, lesson)
        await second.press(shown, BONUS)
        assert _url_of(await second.next_message(), "📢 Join the channel") == link  # made once
        assert len(standin.invite_links(channel)) == 1
    finally:
        await h.stop()


async def test_a_bonus_for_another_language_is_not_shown(h, standin):
    channel = standin.channel(CHANNEL_ID, username="cxcoach_news", title="CX News")
    boss = await admin(h)
    await attach(h, boss, language="Русский", title="Чек-лист")
    _, lesson = _first(h)
    english, russian = await learners(h, ["en", "ru"])
    shown = await lesson_by_link(english, lesson)
    assert not [label for label in labels(shown) if label.startswith("🎁")]
    await english.press_raw(shown, "bg:1")  # forged: not for English
    await h.settle()
    assert not [m for m in english.bot_messages() if m.kind == "document"]
    await russian.join_channel(channel)
    _, russian_lesson = _first(h, "ru")
    shown = await lesson_by_link(russian, russian_lesson)
    assert "🎁 Бонус: Чек-лист" in labels(shown)
    await russian.press(shown, "🎁 Бонус: Чек-лист")
    assert "Ваш бонус: Чек-лист" in (await russian.next_message()).text
    assert (await russian.next_message()).kind == "document"


async def test_a_check_that_fails_is_said_politely(h, standin):
    standin.channel(CHANNEL_ID, username="cxcoach_news", bot_is_admin=False)
    boss = await admin(h)
    await attach(h, boss)
    _, lesson = _first(h)
    [learner] = await learners(h, ["en"])
    shown = await lesson_by_link(learner, lesson)
    await learner.press(shown, BONUS)
    sorry = await learner.next_message()
    assert sorry.text == "Sorry, the bonus is unavailable right now. Please try again later."
    await h.settle()
    learner.assert_no_event()


async def test_an_admin_deletes_a_bonus_after_confirming(h, standin):
    standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    await attach(h, boss)
    await boss.send("/bonus")
    listing = await boss.next_message()
    assert "1. CX checklist" in listing.text and "English @cxcoach_news" in listing.text
    await boss.press(listing, "🗑 1")
    asked = await boss.next_edit()
    assert "Delete the bonus CX checklist?" in asked.text
    await boss.press(asked, "🗑 Yes, delete")
    done = await boss.next_edit()
    assert "The bonus is deleted." in done.text and "No bonuses yet." in done.text
    _, lesson = _first(h)
    [learner] = await learners(h, ["en"])
    shown = await lesson_by_link(learner, lesson)
    assert BONUS not in labels(shown)


async def test_non_admins_get_nothing_of_the_bonus_admin_side(h, standin):
    standin.channel(CHANNEL_ID, username="cxcoach_news")
    boss = await admin(h)
    await attach(h, boss)
    series, lesson = _first(h)
    [learner] = await learners(h, ["en"])
    await learner.send("/bonus")
    reply = await learner.next_message()  # exactly what any unknown command gets
    assert reply.text == "I don’t know the command /bonus. /help lists all my commands."
    menu = learner.bot_messages()[-1]
    for data in (
        "bn:0",
        f"bns:{series.id}",
        f"bnt:l:{lesson.id}",
        f"bnl:l:{lesson.id}:all",
        "bnd:1",
        "bnx:1",
    ):
        await learner.press_raw(menu, data)
        answer = await learner.next_event(kinds=("callback_answer",))
        assert not answer.callback.answer.get("text"), data  # silence
    await h.settle()
    learner.assert_no_event()
    assert (await h.storage.get_user(learner.user_id)).awaiting is None
    assert await h.storage.bonus(1) is not None  # not deleted

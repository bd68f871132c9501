"""Time zone and delivery settings as a careful Telegram user meets them, end to end.

The clock is fixed at Monday 23 November 2026, 10:00 UTC: 12:00 in Kyiv, 13:00 in Moscow,
05:00 in New York, 02:00 in San Francisco and Portland (Oregon).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import pytest_asyncio

from standin import BotAPIStandIn
from tests.e2e.conftest import FakeClock, Harness

START = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
LVIV = (49.8397, 24.0297)
SAN_FRANCISCO = (37.7749, -122.4194)
LOCATION_BUTTON = {"en": "📍 Send my location", "uk": "📍 Надіслати моє місцезнаходження"}


@pytest_asyncio.fixture
async def h(standin: BotAPIStandIn, tmp_path: Path) -> AsyncIterator[Harness]:
    harness = Harness(standin, tmp_path / "cx.sqlite3", clock=FakeClock(START), bulk_rate=0)
    await harness.start()
    try:
        yield harness
    finally:
        await harness.stop()


async def learner(h: Harness, user_id: int, language: str):
    user = h.user(user_id, language=language)
    await user.send("/start")
    await user.next_message()
    return user


async def zone_prompt(user):
    """/settings -> time zone -> type it: the prompt, and the location keyboard under it."""
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, data="set:z")
    picker = await user.next_edit()
    await user.press(picker, data="ask:z")
    prompt = await user.next_edit()
    offer = await user.next_message()
    return picker, prompt, offer


async def stored_zone(h: Harness, user_id: int) -> tuple[str, bool]:
    user = await h.storage.get_user(user_id)
    assert user is not None
    return user.timezone, user.tz_chosen


async def toast(user) -> str:
    answer = await user.next_event(kinds=("callback_answer",))
    return answer.callback.answer.get("text") or ""


@pytest.mark.parametrize(
    ("language", "typed", "zone", "shown"),
    [
        ("ru", "Киев", "Europe/Kyiv", "🌍 Киев, сейчас 12:00. Сохранено."),
        ("ru", "Москва", "Europe/Moscow", "🌍 Москва, сейчас 13:00. Сохранено."),
        ("ru", "Нью-Йорк", "America/New_York", "🌍 Нью-Йорк, сейчас 05:00. Сохранено."),
        ("uk", "Київ", "Europe/Kyiv", "🌍 Київ, зараз 12:00. Збережено."),
        ("uk", "Львів", "Europe/Kyiv", "🌍 Львів, зараз 12:00 (часовий пояс: Київ). Збережено."),
        ("uk", "київ", "Europe/Kyiv", "🌍 Київ, зараз 12:00. Збережено."),
        ("en", "Lviv", "Europe/Kyiv", "🌍 Lviv, now 12:00 (time zone: Kyiv). Saved."),
        ("en", "Kiev", "Europe/Kyiv", "🌍 Kiev, now 12:00 (time zone: Kyiv). Saved."),
        ("en", "Odessa", "Europe/Kyiv", "🌍 Odessa, now 12:00 (time zone: Kyiv). Saved."),
        (
            "en",
            "San Francisco",
            "America/Los_Angeles",
            "🌍 San Francisco, now 02:00 (time zone: Los Angeles). Saved.",
        ),
        ("en", "new york", "America/New_York", "🌍 New York, now 05:00. Saved."),
        ("en", "Berlin", "Europe/Berlin", "🌍 Berlin, now 11:00. Saved."),
        ("en", "America/New_York", "America/New_York", "🌍 New York, now 05:00. Saved."),
        ("en", "UTC+3", "UTC+03:00", "🌍 UTC+03:00, now 13:00. Saved."),
    ],
)
async def test_a_typed_city_sets_its_zone_and_shows_the_local_time(h, language, typed, zone, shown):
    user = await learner(h, 2001, language)
    _, prompt, _offer = await zone_prompt(user)
    assert "UTC+3" in prompt.text and "America/" not in prompt.text  # no IANA ids to read
    assert user.reply_keyboard == [
        [
            {
                "text": LOCATION_BUTTON.get(language, "📍 Отправить моё местоположение"),
                "request_location": True,
            }
        ]
    ]
    await user.send(typed)
    confirmation = await user.next_message()
    assert confirmation.text.startswith(shown), confirmation.text
    assert user.reply_keyboard == []  # the location keyboard is gone with the answer
    overview = await user.next_message()
    zone_line = next(line for line in overview.text.split("\n") if line.startswith("🌍"))
    assert "/" not in zone_line and ", " in zone_line  # a name and its time, not an IANA id
    assert await stored_zone(h, 2001) == (zone, True)
    if zone.startswith("UTC+"):
        assert "does not follow summer time" in confirmation.text


async def test_a_name_in_several_zones_offers_a_choice_largest_first(h):
    user = await learner(h, 2002, "en")
    await zone_prompt(user)
    await user.send("Portland")
    choice = await user.next_message()
    assert "“Portland” is in several time zones" in choice.text
    labels = [label for label, _ in choice.buttons]
    assert labels[:2] == ["Portland, Oregon · 02:00", "Portland, Maine · 05:00"]
    assert await stored_zone(h, 2002) == ("UTC", False)  # nothing stored before the choice
    await user.press(choice, "Portland, Maine · 05:00")
    assert (await toast(user)) == "Saved."
    confirmation = await user.next_message()
    assert confirmation.text.startswith("🌍 New York, now 05:00. Saved.")
    assert user.reply_keyboard == []
    assert "Time zone: New York, now 05:00" in (await user.next_message()).text
    assert await stored_zone(h, 2002) == ("America/New_York", True)


@pytest.mark.parametrize("typed", ["EST", "est", "PST", "MSK", "CET"])
async def test_an_abbreviation_that_hides_summer_time_is_never_stored(h, typed):
    user = await learner(h, 2003, "en")
    await zone_prompt(user)
    await user.send(typed)
    choice = await user.next_message()
    assert f"“{typed.upper()}” names a fixed offset without summer time" in choice.text
    assert await stored_zone(h, 2003) == ("UTC", False)
    zones = [data for _, data in choice.buttons if data.startswith("szn:")]
    assert zones and all(data.count("/") >= 1 for data in zones)  # region zones only
    if typed.upper() == "EST":
        assert zones[0] == "szn:America/New_York"
        await user.press(choice, data=zones[0])
        assert (await user.next_message()).text.startswith("🌍 New York, now 05:00.")
        assert await stored_zone(h, 2003) == ("America/New_York", True)


@pytest.mark.parametrize(
    ("language", "where", "zone", "shown"),
    [
        ("uk", LVIV, "Europe/Kyiv", "🌍 Київ, зараз 12:00. Збережено."),
        ("en", SAN_FRANCISCO, "America/Los_Angeles", "🌍 Los Angeles, now 02:00. Saved."),
    ],
)
async def test_a_shared_location_sets_the_zone(h, language, where, zone, shown):
    user = await learner(h, 2004, language)
    _, _, offer = await zone_prompt(user)
    assert LOCATION_BUTTON[language] in offer.text
    latitude, longitude = where
    await user.tap_keyboard(LOCATION_BUTTON[language], latitude=latitude, longitude=longitude)
    confirmation = await user.next_message()
    assert confirmation.text.startswith(shown)
    assert confirmation.reply_markup == {"remove_keyboard": True}
    await user.next_message()  # the overview
    assert await stored_zone(h, 2004) == (zone, True)


async def test_a_location_sent_unasked_is_offered_not_stored(h):
    user = await learner(h, 2005, "uk")
    await user.send_location(*LVIV)
    offer = await user.next_message()
    assert "часовому поясі «Київ» (там зараз 12:00)" in offer.text
    assert await stored_zone(h, 2005) == ("UTC", False)  # still only the guess
    await user.press(offer, "✅ Так, використати")
    assert "Часовий пояс: Київ, зараз 12:00" in (await user.next_edit()).text
    assert await stored_zone(h, 2005) == ("Europe/Kyiv", True)
    await user.send_location(0.0, -30.0)  # the middle of the Atlantic
    assert "не знайшов часового поясу" in (await user.next_message()).text


async def test_the_guessed_zone_is_shown_as_a_guess_with_a_way_to_fix_it(h):
    user = await learner(h, 2006, "ru")
    await user.send("/settings")
    overview = await user.next_message()
    assert "🌍 Часовой пояс: Киев? (моё предположение; там сейчас 12:00)" in overview.text
    assert "Europe/" not in overview.text and "((" not in overview.text
    await user.press(overview, "🌍 Это не моё время")
    picker = await user.next_edit()
    labels = [label for label, _ in picker.buttons]
    assert labels[:2] == ["Киев · 12:00", "Москва · 13:00"]
    await user.send("/lessons")
    listing = await user.next_message()
    await user.press_raw(listing, "s:prejudices:0")
    series = await user.next_edit()
    subscribe = next(label for label, data in series.buttons if data == "sub:prejudices")
    await user.press(series, subscribe)
    confirmation = await user.next_message()
    assert "Часовой пояс: Киев? (моё предположение; там сейчас " in confirmation.text
    assert "Europe/" not in confirmation.text
    assert any(data == "set:z" for _, data in confirmation.buttons)  # one tap to the picker


async def test_quick_picks_follow_the_language(h):
    for user_id, language in ((2007, "uk"), (2008, "en")):
        user = await learner(h, user_id, language)
        await user.send("/settings")
        overview = await user.next_message()
        await user.press(overview, data="set:z")
        labels = [label for label, _ in (await user.next_edit()).buttons]
        if language == "uk":
            assert labels[0] == "Київ · 12:00" and "Варшава · 11:00" in labels
            assert not any("Моск" in label for label in labels)  # never Moscow for uk
        else:
            assert labels[:2] == ["London · 10:00", "New York · 05:00"]
        assert not any("/" in label for label in labels)


async def test_switching_off_the_last_day_is_refused_with_the_reason(h):
    user = await learner(h, 2009, "en")
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, "📅 Days")
    days = await user.next_edit()
    for day in ("✅ Tue", "✅ Wed", "✅ Thu", "✅ Fri"):  # down to Monday alone
        await user.press(days, day)
        assert await toast(user) == "Saved."
        days = await user.next_edit()
    await user.press(days, "✅ Mon")  # the last day on
    assert (await toast(user)).startswith("Keep at least one day — or pause the subscription")
    assert (await h.storage.get_user(2009)).delivery_days == 1


async def test_a_time_in_quiet_hours_is_refused_with_the_nearest_allowed_time(h):
    user = await learner(h, 2010, "ru")
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, data="set:t")
    picker = await user.next_edit()
    hours = [label for label, data in picker.buttons if data.startswith("st:")]
    assert "07:00" not in hours and "22:00" not in hours and hours[0] == "08:00"
    await user.press(picker, data="ask:t")
    await user.next_edit()
    await user.send("7.30")
    refusal = await user.next_message()
    assert "07:30 попадает в ваши тихие часы (22:00–08:00)" in refusal.text
    assert "Ближайшее подходящее время — 08:00" in refusal.text
    assert "Следующая рассылка" not in refusal.text  # nothing confirmed
    assert (await h.storage.get_user(2010)).delivery_time == 9 * 60
    await user.press(refusal, "✅ 08:00")
    assert "Время: 08:00" in (await user.next_edit()).text
    await user.press_raw(refusal, "st:420")  # an old 07:00 button: refused the same way
    assert await toast(user) == "Это время попадает в тихие часы."
    assert (await h.storage.get_user(2010)).delivery_time == 8 * 60


async def test_quiet_hours_that_would_swallow_the_delivery_time_are_refused(h):
    user = await learner(h, 2011, "uk")
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, data="set:q")
    picker = await user.next_edit()
    presets = [
        label for label, data in picker.buttons if data.startswith("sq:") and data != "sq:off"
    ]
    assert presets and "21:00–09:00" in presets  # 09:00 itself is free: the hours end then
    await user.press(picker, data="ask:q")
    prompt = await user.next_edit()
    assert "<code>вимк</code>" in prompt.html and "off" not in prompt.text
    await user.send("22-10")
    refusal = await user.next_message()
    assert "Тихі години 22:00–10:00 закрили б час уроків 09:00" in refusal.text
    stored = await h.storage.get_user(2011)
    assert (stored.quiet_start, stored.quiet_end) == (22 * 60, 8 * 60)
    await user.send("ні")  # the localised word switches them off
    overview = await user.next_message()
    assert "🌙 Тихі години: вимкнено" in overview.text
    stored = await h.storage.get_user(2011)
    assert (stored.quiet_start, stored.quiet_end) == (None, None)


@pytest.mark.parametrize("word", ["выкл", "нет"])
async def test_russian_words_switch_quiet_hours_off(h, word):
    user = await learner(h, 2012, "ru")
    await user.send("/settings")
    overview = await user.next_message()
    await user.press(overview, data="set:q")
    await user.next_edit()
    await user.press(overview, data="ask:q")
    prompt = await user.next_edit()
    assert "<code>выкл</code>" in prompt.html and "off" not in prompt.text
    await user.send(word)
    await user.next_message()
    stored = await h.storage.get_user(2012)
    assert (stored.quiet_start, stored.quiet_end) == (None, None)

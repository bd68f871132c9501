"""Self-assessment, team diagnostics and /mydata, end to end through the stand-in."""

from __future__ import annotations

import re

from bot.render.kit import WIDE_LABEL
from tests.e2e.assessing import (
    TOTAL,
    greeted,
    rate_until_done,
    start_assessment,
    strong_first_three,
)
from tests.e2e.steps import labels, live


async def test_one_intro_then_obstacles_in_place_and_continue_later_is_no_dead_end(harness):
    user = await greeted(harness, 1001)
    await user.send("/assess")
    intro = await user.next_message()
    assert f"You will see {TOTAL} statements" in intro.text
    assert labels(intro) == ["▶️ Start", "🏠 Menu"]
    await harness.settle()
    user.assert_no_event()
    await user.press(intro, "▶️ Start")
    question = await user.next_edit()  # the intro becomes obstacle 1
    assert question.message_id == intro.message_id
    assert "Obstacle 1 of" in question.text and "Everything is fine as it is" in question.text
    assert "How true is this of your company?" in question.text
    await user.press(question, "3")
    question = await user.next_edit()
    assert "Obstacle 2 of" in question.text
    await user.press(question, "⬅️ Back")  # the way back shows the earlier rating
    back = await user.next_edit()
    assert "Obstacle 1 of" in back.text and ("✅3", back.buttons[2][1]) in back.buttons
    await user.press(back, "5")
    await user.next_edit()
    await user.press(live(user, question), "⏸ Continue later")
    later = await user.next_edit()
    assert f"Saved: 1 of {TOTAL} rated" in later.text
    assert labels(later) == [f"▶️ Continue (1/{TOTAL})", "🏠 Menu"]
    await user.press(later, f"▶️ Continue (1/{TOTAL})")
    assert "Obstacle 2 of" in (await user.next_edit()).text

    await user.send("/assess")  # later still: the intro offers Continue
    intro = await user.next_message()
    assert f"In progress: 1 of {TOTAL} rated" in intro.text
    await user.press(intro, f"▶️ Continue (1/{TOTAL})")
    question = await user.next_edit()
    assert "Obstacle 2 of" in question.text
    chart, result = await rate_until_done(user, question, strong_first_three)

    # the chart first, captioned; the result with the plan's buttons last, in view
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG\r\n\x1a\n")
    assert "Your self-assessment by group of obstacles" in chart.caption
    assert "previous" not in chart.caption  # nothing overlaid on a first result
    assert user.last_bot_message().message_id == result.message_id
    assert "What holds you back most" in result.text
    for title in ("Everything is fine as it is", "A leader in name only", "We know better"):
        assert title in result.text
    assert "Why customer-centricity fails: 3.3/5" in result.text  # (5+5+5+2+2+2+2)/7
    assert all(len(label) <= WIDE_LABEL for label in labels(result))
    assert "🔔 Subscribe: Why CX fails" in labels(result)  # the short title, whole
    assert labels(result)[-1] == "🏠 Menu"
    await user.press(result, "🔔 Subscribe: Why CX fails")
    assert "You are subscribed to" in (await user.next_message()).text


async def test_a_retake_in_russian_shows_the_change_with_a_decimal_comma(harness):
    user = await greeted(harness, 1002, "Олена", language="ru")
    chart, result = await rate_until_done(
        user, await start_assessment(harness, user, "▶️ Начать"), lambda i: 4
    )
    assert "4,0/5" in result.text and "4.0" not in result.text
    assert "Серым" not in chart.caption
    chart, result = await rate_until_done(
        user, await start_assessment(harness, user, "▶️ Начать"), lambda i: 2
    )
    assert "Почему клиентоцентричность не приживается: 2,0/5 (-2,0)" in result.text
    assert "Серым — ваш предыдущий результат" in chart.caption
    assert re.search(r"\d{1,2} [а-я]{3,4}\. \d{4}", chart.caption)  # its date, in Russian
    assert chart.kind == "photo" and chart.file_bytes.startswith(b"\x89PNG")


async def test_start_over_asks_first_and_cancel_keeps_the_answers(harness):
    user = await greeted(harness, 1003)
    question = await start_assessment(harness, user)
    for rating in (4, 4):
        await user.press(live(user, question), str(rating))
        await user.next_edit()
    await user.send("/assess")
    intro = await user.next_message()
    assert labels(intro) == [f"▶️ Continue (2/{TOTAL})", "🔄 Start over", "🏠 Menu"]
    await user.press(intro, "🔄 Start over")
    confirm = await user.next_edit()
    assert "The 2 ratings you have given so far will be discarded" in confirm.text
    await user.press(confirm, "✖️ Cancel")
    back = await user.next_edit()
    assert f"In progress: 2 of {TOTAL} rated" in back.text
    await user.press(back, "🔄 Start over")
    await user.press(await user.next_edit(), "🔄 Yes, start over")
    fresh = await user.next_edit()
    assert "Obstacle 1 of" in fresh.text and not any("✅" in label for label in labels(fresh))
    data = await harness.storage.personal_data(1003)
    assert data["counts"]["assessments"] == 1  # the discarded one is gone, not orphaned
    # the first message still shows obstacle 3 of the discarded assessment: out of date
    old = live(user, question)
    assert "Obstacle 3 of" in old.text
    await user.press(old, "4")
    answer = await user.next_event(kinds=("callback_answer",))
    assert "out of date" in answer.callback.answer["text"]
    assert (await harness.storage.current_assessment(1003)).ratings == {}
    await user.press(old, "⏸ Continue later")
    answer = await user.next_event(kinds=("callback_answer",))
    assert "out of date" in answer.callback.answer["text"]
    intro = await user.next_edit()  # the intro in its place: Continue (0/27)
    assert intro.message_id == old.message_id and f"▶️ Continue (0/{TOTAL})" in labels(intro)

"""The confidence lift and the re-take, end to end on an injected clock: a finished series'
obstacles re-rated against the learner's self-assessment, and the self-assessment offered
again in the daily slot 30 days after it. Kyiv is UTC+2 in November."""

from __future__ import annotations

from datetime import timedelta

from bot.services.assessment import obstacles
from tests.e2e import clocked
from tests.e2e.assessing import rate_until_done, start_assessment
from tests.e2e.clocked import labels, newcomer, quiz_then_rating

START, HARNESS = clocked.START, clocked.HARNESS  # Monday 23 November, 12:00 in Kyiv


async def test_a_finished_series_is_re_rated_and_the_change_shown(h, clock):
    user = await newcomer(h)
    first = await start_assessment(h, user)
    await rate_until_done(user, first, lambda index: 4)  # every obstacle: 4 of 5
    prejudices = h.catalog.series("en", "prejudices")
    for lesson in prejudices.lessons:
        result, _ = await quiz_then_rating(h, user, lesson.id, right=True)
    assert "Series complete" in result.text
    assert labels(result)[0] == ("📊 Re-rate these obstacles", "ls:prejudices")
    await user.press(result, "📊 Re-rate these obstacles")
    question = await user.next_message()
    for n, lesson in enumerate(prejudices.lessons):
        assert f"Obstacle {n + 1} of 3" in question.text and lesson.symptom in question.text
        await user.press(question, str(2 + n % 2))  # 2, 3, 2
        question = await user.next_edit()
    assert question.text.startswith("📊 Prejudices about customer processes: before and now")
    assert f"{prejudices.lessons[0].title}: 4 → 2 (-2.0)" in question.text
    assert f"{prejudices.lessons[1].title}: 4 → 3 (-1.0)" in question.text
    assert "On average: 4.0 → 2.3." in question.text
    # a re-rating is not a self-assessment: /assess still shows the full one
    assert len(await h.storage.finished_assessments(user.user_id, 5)) == 1


async def test_the_self_assessment_is_offered_again_in_the_slot_thirty_days_on(h, clock):
    user = await newcomer(h)  # no lessons, no subscription: the assessment alone
    first = await start_assessment(h, user)
    await rate_until_done(user, first, lambda index: 3)
    clock.set(START + timedelta(days=29, hours=1))  # 29 days on, the slot: nothing yet
    await h.settle()
    user.assert_no_event()
    clock.set(START + timedelta(days=30, hours=1))  # 30 days on: that day's slot offers it
    offer = await user.next_message()
    assert offer.text.startswith("📊 A month since your self-assessment")
    assert ("📊 Take it again", "asn") in labels(offer)
    clock.set(START + timedelta(days=45))
    await h.settle()
    user.assert_no_event()  # offered once
    await user.press(offer, "📊 Take it again")
    again = await user.next_edit()
    assert f"Obstacle 1 of {len(obstacles(h.catalog, 'en'))}" in again.text

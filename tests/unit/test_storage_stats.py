"""The admin's numbers and the rest of the storage contract, on both backends.

/stats, the hardest questions, the 30-day chart and /export read the whole database with SQL
that differs between SQLite and PostgreSQL (``FILTER`` against ``SUM(cond)``, date
extraction); the same seeded learners must give the same figures on both, down to the text
of a timestamp in the CSV.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from domain.records import Audience, QuestionStats

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
TODAY = NOW.date()


async def _seed(db) -> None:
    """Six learners: active, Russian by Telegram, German (the default applies), blocked,
    seen 20 days ago, seen 40 days ago; two subscriptions active and one paused; quiz
    answers, a finished lesson, activity on two days, a review card."""
    await db.touch_user(1, "Active", "en", NOW - timedelta(days=1))
    await db.set_language(1, "uk")
    await db.touch_user(2, "Russian", "ru-RU", NOW - timedelta(days=2))
    await db.touch_user(3, "German", "de", NOW - timedelta(days=3))
    await db.touch_user(4, "Blocked", "en", NOW - timedelta(days=4))
    await db.set_blocked(4, True, NOW)
    await db.touch_user(5, "Twenty", "en", NOW - timedelta(days=20))
    await db.touch_user(6, "Forty", None, NOW - timedelta(days=40))
    await db.set_subscription(1, "why-cx-fails", "active", NOW)
    await db.set_subscription(2, "why-cx-fails", "paused", NOW)
    await db.set_subscription(3, "outside-in", "active", NOW)
    attempt = await db.start_attempt(1, "silos", 2, NOW - timedelta(hours=2))
    await db.record_answer(attempt.id, 1, 0, 0, True, NOW - timedelta(hours=2))
    await db.record_answer(attempt.id, 1, 1, 3, False, NOW - timedelta(hours=1))  # finished
    other = await db.start_attempt(2, "silos", 2, NOW)
    await db.record_answer(other.id, 2, 0, 1, False, NOW)  # one of two: not finished
    await db.add_activity(1, TODAY - timedelta(days=1))
    await db.add_activity(1, TODAY)
    await db.add_activity(2, TODAY)
    await db.save_review(
        1, "silos", 0, "{}", NOW + timedelta(days=1),
        expected_reviews=None, rating=3, correct=True, source="quiz", seconds=4.0, now=NOW,
    )  # fmt: skip


async def test_stats_count_learners_activity_languages_subscriptions_and_answers(db):
    await _seed(db)
    stats = await db.stats(NOW, "en")
    assert (stats.learners, stats.active_7, stats.active_30, stats.blocked) == (6, 4, 5, 1)
    # chosen language first, else Telegram's when we speak it, else the default
    assert stats.by_language == {"uk": 1, "ru": 1, "en": 4}
    assert stats.subscriptions == {"why-cx-fails": 1, "outside-in": 1}  # active ones only
    assert (stats.lessons_completed, stats.answers, stats.correct) == (1, 3, 1)
    assert (await db.stats(NOW, "ru")).by_language == {"uk": 1, "ru": 3, "en": 2}


async def test_question_stats_and_the_daily_chart(db):
    await _seed(db)
    assert sorted(await db.question_stats(), key=lambda q: (q.lesson_id, q.question)) == [
        QuestionStats("silos", 0, 2, 1),
        QuestionStats("silos", 1, 1, 0),
    ]
    # per day: learners active, lessons completed (by the UTC date of completion)
    assert await db.daily_activity(TODAY - timedelta(days=1)) == [
        (TODAY - timedelta(days=1), 1, 0),
        (TODAY, 2, 1),
    ]
    assert await db.daily_activity(TODAY + timedelta(days=1)) == []


async def test_export_has_one_row_per_learner_with_the_same_text_on_both_backends(db):
    await _seed(db)
    rows = await db.export_progress()
    assert [row["user_id"] for row in rows] == [1, 2, 3, 4, 5, 6]
    first = rows[0]
    assert first == {
        "user_id": 1,
        "language": "uk",
        "tg_language": "en",
        "first_seen": "2026-11-22T12:00:00.000000+00:00",
        "last_seen": "2026-11-22T12:00:00.000000+00:00",
        "blocked": 0,
        "opened": 1,
        "completed": 1,
        "answers": 2,
        "correct": 1,
        "subscriptions": 1,
        "cards": 1,
    }
    assert rows[3]["blocked"] == 1 and rows[5]["tg_language"] is None
    assert rows[1]["subscriptions"] == 0  # paused ones are not counted
    profile = (await db.personal_data(1))["profile"]  # /mydata reads the same text
    assert profile["first_seen"] == "2026-11-22T12:00:00.000000+00:00"


async def test_lessons_subscriptions_cards_and_drafts_the_other_paths(db):
    await db.touch_user(7, "Seven", "en", NOW)
    await db.mark_opened(7, "culture", NOW)
    await db.mark_completed(7, "culture", NOW)
    assert await db.completed_lessons(7) == {"culture"}
    await db.set_subscription(7, "prejudices", "active", NOW)
    await db.set_subscription(7, "prejudices", None, NOW)  # unsubscribe
    assert await db.subscriptions(7) == []
    assert await db.get_card(7, "silos", 0) is None
    saved = await db.save_review(
        7, "silos", 0, "{}", NOW + timedelta(days=2),
        expected_reviews=None, rating=3, correct=True, source="quiz", seconds=1.0, now=NOW,
        option_order=(2, 0, 1, 3),
    )  # fmt: skip
    card = await db.get_card(7, "silos", 0)
    assert card == saved and card.option_order == (2, 0, 1, 3)
    assert await db.personal_data(987654) == {}  # nobody: nothing stored
    draft = await db.create_broadcast(7, "users", 7, 1, NOW)
    with pytest.raises(ValueError, match="not a broadcast field"):
        await db.update_broadcast(draft.id, status="done")
    await db.record_results(draft.id, [], NOW)  # nothing to record: nothing changes
    assert await db.recipient_counts(draft.id) == {}


@pytest.mark.parametrize("channel", [-1001234567890, "@cx_news"])
async def test_a_channel_announcement_has_the_channel_as_its_one_recipient(db, channel):
    await db.touch_user(8, "Admin", "en", NOW)
    draft = await db.create_broadcast(8, "channel", 8, 5, NOW)
    confirmed = await db.confirm_broadcast(draft.id, None, NOW, "en", channel_id=channel)
    assert confirmed is not None and confirmed.total == 1
    # a @username is kept as 0 and resolved from the setting at send time
    expected = channel if isinstance(channel, int) else 0
    assert await db.pending_recipients(draft.id, 10) == [expected]
    assert await db.audience_size(Audience(), NOW, "en") == 1  # learners: the admin alone


async def test_assessments_and_teams_are_found_by_their_handles(db):
    await db.touch_user(9, "Manager", "en", NOW)
    await db.touch_user(10, "Member", "en", NOW)
    assert await db.current_assessment(9) is None
    opened = await db.start_assessment(9, NOW)
    assert (await db.current_assessment(9)).id == opened.id
    await db.rate_obstacle(opened.id, 9, "silos", 4, NOW)
    assert await db.finish_assessment(opened.id, 9, NOW)
    assert await db.current_assessment(9) is None
    assert (await db.get_assessment(opened.id)).ratings == {"silos": 4}
    team = await db.create_team(9, "Support", "code123456", NOW)
    assert (await db.team_by_code("code123456")).id == team.id
    assert await db.team_by_code("nosuchcode") is None
    assert await db.is_member(team.id, 9) and not await db.is_member(team.id, 10)
    assert await db.join_team(team.id, 10, NOW)
    assert await db.is_member(team.id, 10)


async def test_a_naive_time_is_a_value_error_on_both_backends(db):
    """Not asyncpg's DataError: callers catch one kind of mistake, whatever the backend."""
    await db.touch_user(11, "Eleven", "en", NOW)
    with pytest.raises(ValueError):
        await db.mark_opened(11, "silos", datetime(2026, 1, 1))
    with pytest.raises(ValueError):
        await db.count_due(datetime(2026, 1, 1))


async def test_cards_of_questions_no_longer_in_the_content_are_retired(db):
    await db.touch_user(12, "Twelve", "en", NOW)
    for lesson_id, question in (("silos", 0), ("silos", 1), ("culture", 2), ("gone", 0)):
        await db.save_review(
            12, lesson_id, question, "{}", NOW,
            expected_reviews=None, rating=1, correct=False, source="quiz", seconds=1.0, now=NOW,
        )  # fmt: skip
    # silos keeps one question, culture two (its third is gone), "gone" was withdrawn
    assert await db.retire_cards({"silos": 1, "culture": 2, "other": 3}) == 3
    assert [(c.lesson_id, c.question) for c in await db.due_cards(12, NOW, 10)] == [("silos", 0)]
    assert (await db.personal_data(12))["counts"]["review_history"] == 1  # theirs went too
    assert await db.retire_cards({"silos": 1}) == 0

"""The confidence lift: a finished series' obstacles re-rated and compared with the earlier
ratings; re-ratings never count as a full self-assessment (/assess, teams, the re-take)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.services import lift
from bot.services.env import Env, Gone
from content.model import Catalog, SeriesContent
from tests import lessons
from tests.hermetic import Clock, HermeticSettings

NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _catalog() -> Catalog:
    trio = lessons.series("org", 1, [lessons.lesson(f"{x}{x}", i + 1) for i, x in enumerate("abc")])
    closing = lessons.series("closing", 2, [lessons.lesson("plan")])
    practice = SeriesContent(closing.series.model_copy(update={"practice": True}), closing.lessons)
    return Catalog(languages={"en": (trio, practice)})


async def _setup(db):
    clock = Clock(NOW)
    env = Env(HermeticSettings(), db, _catalog(), clock)
    user, _ = await db.touch_user(1, "Ann", "en", NOW)
    full = await db.start_assessment(1, NOW)
    for lesson_id, rating in (("aa", 4), ("bb", 5)):  # "cc" never rated
        await db.rate_obstacle(full.id, 1, lesson_id, rating, NOW)
    await db.finish_assessment(full.id, 1, NOW)
    clock.now += timedelta(days=20)
    return env, user, clock, full


async def _rate_all(env, user, ratings):
    step = await lift.start(env, user, "en", "org")
    for rating in ratings:
        assert step.lift is None and step.assessment is not None
        step = await lift.rate(env, user, "en", step.assessment.id, step.index, rating)
    return step


async def test_a_rerating_shows_each_change_against_the_earlier_rating(db):
    env, user, clock, full = await _setup(db)
    step = await _rate_all(env, user, [2, 3, 4])
    changes = {c.lesson.id: (c.before, c.now) for c in step.lift.changes}
    assert changes == {"aa": (4, 2), "bb": (5, 3), "cc": (None, 4)}
    assert (step.lift.mean_before, step.lift.mean_now) == (4.5, 2.5)  # only those compared
    # a re-rating is no self-assessment: /assess, the teams and the re-take see the full one
    assert [a.id for a in await db.finished_assessments(1, 5)] == [full.id]
    assert await db.current_assessment(1) is None
    clock.now += timedelta(days=1)
    again = await _rate_all(env, user, [1, 3, 4])
    assert {c.lesson.id: c.before for c in again.lift.changes} == {"aa": 2, "bb": 3, "cc": 4}


async def test_old_and_forged_buttons_change_nothing(db):
    env, user, _, full = await _setup(db)
    done = await _rate_all(env, user, [2, 3, 4])
    stale = await lift.rate(env, user, "en", done.assessment.id, 0, 5)
    assert stale.assessment is None  # finished: the old buttons store nothing
    other, _ = await db.touch_user(2, "Bob", "en", NOW)
    with pytest.raises(Gone):
        await lift.rate(env, other, "en", done.assessment.id, 0, 5)
    with pytest.raises(Gone):  # a full assessment is not re-rated through these buttons
        await lift.rate(env, user, "en", full.id, 0, 5)
    with pytest.raises(Gone):  # the closing series teaches no obstacle of its own
        await lift.start(env, user, "en", "closing")
    assert (await db.get_assessment(done.assessment.id)).ratings == {"aa": 2, "bb": 3, "cc": 4}

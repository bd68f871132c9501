"""Assessment rules: groups, the strongest obstacles, team aggregates and their threshold."""

from __future__ import annotations

from bot.app import load_catalog
from bot.services.assessment import (
    MIN_TEAM,
    aggregate,
    clean_team_name,
    group_scores,
    next_unrated,
    obstacles,
    plan_series,
    strongest,
    team_code,
)

ITEMS = obstacles(load_catalog(), "en")


def test_obstacles_are_every_lesson_grouped_by_series():
    assert len(ITEMS) == 27 and [o.index for o in ITEMS] == list(range(27))
    assert ITEMS[0].lesson.id == "all-is-fine" and ITEMS[-1].series.id == "prejudices"


def test_scores_strongest_and_plan():
    ratings = {o.lesson.id: 2 for o in ITEMS}
    ratings.update({"silos": 5, "too-big": 5, "culture": 4, "distrust": 3})
    groups = {g.series.id: round(g.mean, 2) for g in group_scores(ITEMS, ratings)}
    assert groups["prejudices"] == round((5 + 2 + 2) / 3, 2)
    top = strongest(ITEMS, ratings)
    assert [o.lesson.id for o in top] == ["silos", "too-big", "culture"]  # ties: content order
    assert [s.id for s in plan_series(top)] == ["why-cx-fails", "prejudices", "org-blockers"]
    assert strongest(ITEMS, {o.lesson.id: 2 for o in ITEMS}) == []
    assert next_unrated(ITEMS, {"all-is-fine": 3}) == 1 and next_unrated(ITEMS, ratings) is None


def test_team_aggregate_hides_until_three_answers():
    two = aggregate([{"silos": 5}, {"silos": 1}])
    assert not two.visible and MIN_TEAM == 3
    three = aggregate([{"silos": 5}, {"silos": 3}, {"silos": 1}])
    assert (
        three.visible and three.means["silos"] == 3.0 and round(three.spreads["silos"], 2) == 1.63
    )


def test_team_codes_and_names():
    codes = {team_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 10 and c.isalnum() for c in codes)
    assert clean_team_name("  Front   office ") == "Front office"
    assert clean_team_name("   ") is None and len(clean_team_name("x" * 100)) == 60

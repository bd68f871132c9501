"""Assessment rules: groups, the strongest obstacles, team aggregates and their threshold."""

from __future__ import annotations

import statistics
from collections import defaultdict
from itertools import combinations_with_replacement

from bot.app import load_catalog
from bot.i18n import translator
from bot.render.assessment import result_screen
from bot.render.chart import LABEL_WIDTH, label_lines
from bot.render.kit import WIDE_LABEL, change, score
from bot.render.mydata import language_name
from bot.render.teams import team_result_screen
from bot.services.assessment import (
    RATINGS,
    group_scores,
    next_unrated,
    obstacles,
    plan_series,
    strongest,
)
from bot.services.teams import MIN_SPREAD, MIN_TEAM, aggregate, clean_team_name, team_code
from domain.records import Team, team_name_key

CATALOG = load_catalog()
ITEMS = obstacles(CATALOG, "en")


def test_obstacles_are_every_lesson_grouped_by_series():
    taught = [s for s in CATALOG.series_list("en") if not s.series.practice]
    total = sum(len(s.lessons) for s in taught)
    assert total >= 27 and len(ITEMS) == total and [o.index for o in ITEMS] == list(range(total))
    assert [(o.series.id, o.lesson.id) for o in ITEMS] == [
        (s.id, lesson.id) for s in taught for lesson in s.lessons
    ]
    assert ITEMS[0].lesson.id == "all-is-fine" and ITEMS[-1].series.id == "prejudices"


def test_a_practice_series_is_read_but_not_rated():
    """The closing practice series teaches no obstacle of its own: its lessons are lessons
    (readable, in every language) but never obstacles to rate in /assess."""
    for language in ("en", "ru", "uk"):
        practice = [s for s in CATALOG.series_list(language) if s.series.practice]
        assert [s.id for s in practice] == ["putting-it-together"], language
        lessons = [lesson.id for lesson in practice[0].lessons]
        assert lessons == [
            "diagnose-obstacle",
            "diagnose-mixed",
            "ninety-day-plan",
            "tools-and-business-case",
        ]
        rated = {o.lesson.id for o in obstacles(CATALOG, language)}
        assert rated and not rated & set(lessons), language
        assert all(o.series.id != "putting-it-together" for o in obstacles(CATALOG, language))
        for lesson_id in lessons:  # readable lessons: found by id, and in the lesson order
            found = CATALOG.lesson(language, lesson_id)
            assert found is not None and found[0].id == "putting-it-together"
            assert lesson_id in CATALOG.lesson_ids(language)


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


def test_team_figures_are_per_obstacle_and_only_from_three_others():
    # the viewer's answers never arrive here (storage leaves them out): these are the others
    two = aggregate([{"silos": 5}, {"silos": 1}])
    assert not two.visible and two.means == {} and MIN_TEAM == 3
    mixed = aggregate([{"silos": 5, "new": 2}, {"silos": 3}, {"silos": 1}])
    assert mixed.visible and mixed.means == {"silos": 3.0}  # "new": one member, never shown
    assert mixed.agree == {}  # 3 others: a mean, but no spread
    assert [o.lesson.id for o in mixed.too_few(ITEMS)] == [
        o.lesson.id for o in ITEMS if o.lesson.id != "silos"
    ]
    five = aggregate(
        [{"silos": r, "culture": c} for r, c in zip([3, 3, 3, 3, 4], [1, 1, 5, 5, 5], strict=True)]
    )
    assert five.agree == {"silos": True, "culture": False} and MIN_SPREAD == 5


# Reconstruction: what the manager can work out from what the screens show ----------------
EN = translator("en")


def shown(own: int, others: tuple[int, ...]) -> tuple:
    """What the manager reads about one obstacle, formatted as the screens format it.

    ``own`` is the manager's own rating: the manager knows it, the figures leave it out."""
    view = aggregate([{"x": rating} for rating in others])
    mean = score(EN, view.means["x"]) if "x" in view.means else None
    return mean, view.agree.get("x")


def shown_before(own: int, others: tuple[int, ...]) -> tuple:
    """The old screens: the manager counted, mean ± population spread to one decimal."""
    values = [own, *others]
    if len(values) < 3:
        return None, None
    return score(EN, statistics.fmean(values)), score(EN, statistics.pstdev(values))


def shown_numeric_spread(own: int, others: tuple[int, ...]) -> tuple:
    """A tempting variant: the viewer left out, but the spread as a number from 5 others."""
    mean, _ = shown(own, others)
    spread = score(EN, statistics.pstdev(others)) if len(others) >= MIN_SPREAD else None
    return mean, spread


def worlds(display, own: int, n: int) -> dict[tuple, set[tuple[int, ...]]]:
    """Every multiset of the n others' ratings the manager cannot tell apart, by display."""
    seen: dict[tuple, set[tuple[int, ...]]] = defaultdict(set)
    for others in combinations_with_replacement(RATINGS, n):
        seen[display(own, others)].add(others)
    return seen


def determined(candidates: set[tuple[int, ...]]) -> bool:
    """Whether some member's rating is certain: figures are anonymous, so any member may
    hold any place of any candidate, and a rating is certain only if it is the one value
    left in all of them."""
    return len({rating for others in candidates for rating in others}) == 1


def test_no_figure_shown_to_a_manager_determines_a_members_rating():
    """Every team size around the thresholds (the manager plus 0..12 members who answered),
    every rating of the manager's own, every combination of the others' ratings."""
    words = set()
    for own in RATINGS:
        for n in range(13):
            shown_worlds = worlds(shown, own, n)
            for display, candidates in shown_worlds.items():
                mean, agree = display
                if n < 3:  # the project’s rule: 3 people other than the viewer
                    assert display == (None, None), (n, candidates)  # nothing at all
                    continue
                assert mean is not None and (agree is None or n >= MIN_SPREAD)
                if mean in ("1.0", "5.0"):
                    # the one thing no mean can hide: all of at least 3 others said the same
                    assert candidates == {(int(mean[0]),) * n}
                    continue
                assert not determined(candidates), (own, n, display, candidates)
                if agree is not None:  # the word never pins the ratings the mean leaves open
                    words.add((n, agree))
                    mean_only = [c for d, c in shown_worlds.items() if d[0] == mean]
                    assert len(candidates) > 1 or len(set().union(*mean_only)) == 1, display
    assert {(n, w) for n in range(MIN_SPREAD, 13) for w in (True, False)} <= words


def test_the_reconstruction_finds_the_leaks_the_rule_closes():
    # before: manager + 2 members, mean ± spread: the two members' ratings, exactly
    for own in RATINGS:
        assert all(len(c) == 1 for c in worlds(shown_before, own, 2).values())
    assert worlds(shown_before, 5, 2)[("4.0", "0.8")] == {(3, 4)}
    # a spread as a number, even from 5 others: 3.0 ± 0.0 gives everyone's 3 away
    unanimous = worlds(shown_numeric_spread, 1, 5)[("3.0", "0.0")]
    assert determined(unanimous) and unanimous == {(3, 3, 3, 3, 3)}
    # the rule's words at the same place: ratings that differ are still possible
    assert not determined(worlds(shown, 1, 5)[("3.0", True)])


def test_the_team_screen_says_not_enough_answers_instead_of_a_number():
    team = Team(id=1, name="North", manager_id=1, code="c" * 10, created_at=None, members=4)
    others = [{"silos": 5, "culture": 4}, {"silos": 4, "culture": 4}, {"silos": 5}]
    data = aggregate(others)
    top = strongest(ITEMS, data.means)
    screen = team_result_screen(
        EN, team, data, group_scores(ITEMS, data.means), top, data.too_few(ITEMS)
    )
    assert "<b>North</b>: 3 members answered, not counting you" in screen.text
    assert "• Why customer-centricity fails: 4.7/5" in screen.text
    assert "• Organisational blockers: not enough answers yet" in screen.text  # culture: 2
    assert "<b>Departments at war</b>: 4.7\n" in screen.text  # 3 others: no spread, no word
    assert "Whether the answers agree is shown once 5 people other than you" in screen.text
    missing = screen.text.split("<b>Not enough answers yet</b> for:")[1]
    assert "• Culture eats CX too" in missing and "Departments at war" not in missing
    assert "Each obstacle shows once 3 people other than you have rated it." in screen.text
    assert "4.0" not in screen.text  # culture's mean of two never appears


def test_team_codes_and_names():
    codes = {team_code() for _ in range(200)}
    assert len(codes) == 200 and all(len(c) == 10 and c.isalnum() for c in codes)
    assert clean_team_name("  Front   office ") == "Front office"
    assert clean_team_name("   ") is None and len(clean_team_name("x" * 100)) == 60


# Screens' plain rules: chart labels, numbers, names ----------------------------------------
def test_chart_labels_wrap_at_spaces_and_never_split_a_word():
    catalog = load_catalog()
    long_words = 0
    for language in ("en", "ru", "uk"):
        for series in catalog.series_list(language):
            title = series.series.title
            lines = label_lines(title)
            assert " ".join(lines).split() == title.split(), (language, title, lines)
            for line in lines:
                assert all(word in title.split() for word in line.split()), (title, line)
            for line in lines[:-1]:  # no line ends on a one-letter word ("Погляд ззовні, а")
                assert len(line.split()[-1]) > 1, (title, lines)
            long_words += any(len(word) > LABEL_WIDTH for word in title.split())
    assert long_words  # "клієнтоцентричність" (19): the case that used to break mid-word


def test_scores_use_the_learners_decimal_separator():
    en, ru, uk = (translator(lang) for lang in ("en", "ru", "uk"))
    assert score(en, 3.0) == "3.0" and score(ru, 3.0) == "3,0" and score(uk, 23 / 7) == "3,3"
    assert change(en, -2.0) == "-2.0" and change(ru, 0.46) == "+0,5"


def test_language_names_and_team_names():
    assert language_name("uk") == "Українська" and language_name("ru") == "Русский"
    assert language_name("en") == "English" and language_name("pt-br") == "Português (Brasil)"
    assert language_name("xx-nonsense") == "xx-nonsense"
    assert team_name_key("  Тест   Команда ") == team_name_key("тест команда")
    assert team_name_key("Front office") != team_name_key("Front office 2")


def test_result_buttons_are_short_and_end_with_the_menu():
    en = translator("en")
    ratings = {o.lesson.id: 5 for o in ITEMS}
    top = strongest(ITEMS, ratings)
    screen = result_screen(en, group_scores(ITEMS, ratings), top, ratings, None, set())
    labels = [button.text for row in screen.keyboard.inline_keyboard for button in row]
    assert all(len(label) <= WIDE_LABEL for label in labels)
    assert "🔔 Subscribe: Why CX fails" in labels and labels[-1] == "🏠 Menu"
    assert "5.0/5" in screen.text

"""Assessment rules: groups, the strongest obstacles, team aggregates and their threshold."""

from __future__ import annotations

from bot.app import load_catalog
from bot.i18n import translator
from bot.render.assessment import change, language_name, result_screen, score
from bot.render.chart import LABEL_WIDTH, label_lines
from bot.render.screens import WIDE_LABEL
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
from storage.base import team_name_key

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

"""The quiz guard: a bank a test-wise learner can pass without reading fails the check."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.app import load_catalog
from content import quizcheck
from content.model import LANGUAGES, Catalog, Lesson, QuizQuestion
from tests.lessons import catalog, lesson, question

BEFORE = Path(__file__).parent / "data" / "quizzes-before-rewrite.json"
BODY = "Nothing about gates here."


def _before() -> Catalog:
    data = json.loads(BEFORE.read_text())["languages"]
    lessons = {}
    for lang, items in data.items():
        lessons[lang] = [
            Lesson(
                order=1,
                source="demo",
                symptom="-",
                quiz=[QuizQuestion(**q) for q in item["quiz"]],
                **{k: v for k, v in item.items() if k != "quiz"},
            )
            for item in items
        ]
    return catalog(lessons)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_quizzes_shipped_before_the_rewrite_fail_in_every_language(lang):
    report = quizcheck.bank_report(_before(), lang)
    assert report.questions == 62
    assert 0.25 < report.chance < 0.27 and 0.36 < report.limit < 0.38
    scores = {s.name: s.score for s in report.strategies}
    assert scores["longest option"] > 0.85  # the review measured about 90%
    assert scores["most words shared with the lesson"] > 0.75
    assert {s.name for s in report.beaten()} == {
        "longest option",
        "most words shared with the lesson",
    }


def test_the_shipped_quizzes_pass_in_every_language():
    shipped = load_catalog()
    for lang in LANGUAGES:
        report = quizcheck.bank_report(shipped, lang)
        assert report.beaten() == [], (lang, report)
        for item in quizcheck.items(shipped, lang):
            assert quizcheck.question_problems(item, lang) == [], (lang, item.lesson_id)


def _bank(key_longest: bool, n: int = 40) -> Catalog:
    """n four-option questions; the key is the longest option, or one of four equal ones."""
    lessons = []
    for i in range(n):
        options = ["north gate", "south gate", "east gate", "west gate"]
        if key_longest:
            options[i % 4] = "the old western gate"
        asked = question(options, correct=i % 4, text="Which?")
        lessons.append(lesson(f"l{i:02d}", body=BODY, quiz=[asked, asked]))
    return catalog({"en": lessons})


def test_always_the_longest_option_is_caught_and_ties_count_as_guesses():
    tricked = quizcheck.bank_report(_bank(key_longest=True), "en")
    assert [s.name for s in tricked.beaten()] == ["longest option"]
    fair = quizcheck.bank_report(_bank(key_longest=False), "en")
    longest = next(s for s in fair.strategies if s.name == "longest option")
    # "north gate" and "south gate" tie for longest: the learner guesses between them
    assert longest.score == pytest.approx(0.25) and fair.beaten() == []


def test_a_key_that_is_never_an_extreme_is_caught_too():
    """The over-correction: the key is never the longest nor the shortest option."""
    bank = []
    for i in range(40):
        options = [
            "a short one",
            "a middling option",
            "a middling choice",
            "the longest option here",
        ]
        key = 1 + i % 2
        asked = question(options, correct=key, text="Which?")
        bank.append(lesson(f"m{i:02d}", body=BODY, quiz=[asked, asked]))
    report = quizcheck.bank_report(catalog({"en": bank}), "en")
    assert "option neither longest nor shortest" in [s.name for s in report.beaten()]


def test_an_option_echoing_the_lesson_is_caught():
    body = "Customers judge the whole journey, from the first call to the final invoice."
    options = ["Judge the whole journey", "Count the calls", "Trim the budget", "Hire more staff"]
    lessons = []
    for i in range(30):
        turned = options[i % 4 :] + options[: i % 4]  # the echoing key moves around
        asked = question(turned, correct=turned.index(options[0]), text="What matters?")
        lessons.append(lesson(f"e{i:02d}", body=body, quiz=[asked, asked]))
    report = quizcheck.bank_report(catalog({"en": lessons}), "en")
    assert "most words shared with the lesson" in [s.name for s in report.beaten()]


def test_a_key_much_longer_than_its_distractors_fails_by_itself():
    item = quizcheck.Item(
        "x",
        0,
        QuizQuestion(
            question="What next?",
            options=["Wait", "Escalate", "Ask the team what the old way does well for them"],
            correct=2,
            explanation="So.",
        ),
        frozenset(),
    )
    [problem] = quizcheck.question_problems(item, "en")
    assert "mean length of the others" in problem


@pytest.mark.parametrize(
    ("lang", "stem"),
    [
        ("en", "What does this lesson suggest?"),
        ("ru", "Что советует этот урок?"),
        ("uk", "Що радить цей урок?"),
    ],
)
def test_a_stem_that_leans_on_the_lesson_fails(lang, stem):
    asked = QuizQuestion(question=stem, options=["Aaa", "Bbb"], correct=0, explanation="So.")
    problems = quizcheck.question_problems(quizcheck.Item("x", 0, asked, frozenset()), lang)
    assert any("refers to the lesson itself" in p for p in problems)


def test_stems_fold_inflection_and_skip_function_words():
    assert quizcheck.stems("Клиенты клиентам, клиентов", "ru") == {"клиен"}
    assert quizcheck.stems("which customers", "en") == {"custo"}
    assert quizcheck.has_absolute("Він ніколи не погодиться", "uk")
    assert not quizcheck.has_absolute("Ask one of them", "en")

"""The content loader and checker: what `cxcoach content check` accepts and refuses."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main as cxcoach
from content.check import check
from content.copycheck import SourceIndex, words
from content.loader import DATA_DIR

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"

LESSON = """\
id: {id}
order: {order}
title: {title}
body: |
  A clinic measured waiting time only at the reception desk. Patients <b>still</b> waited.
key_idea: Measure what the customer lives through.
symptom: We measure only the part of the wait we own.
action: Walk the customer's path once this week.
reflection: Where does your customer wait?
source: demo
quiz:
  - question: What should the clinic measure?
    options:
      - Time at the reception desk
      - The whole wait, door to doctor
      - The length of each visit
    correct: {correct}
    explanation: The customer's experience is the whole path, not the part we own.
  - question: Who owns the patient's wait?
    options: [The receptionist alone, Everyone on the path]
    correct: 1
    explanation: Every step the patient passes through adds to the wait.
"""

DEMO_SOURCE = """\
demo:
  language: en
  publisher: {en: Demo, ru: Демо, uk: Демо}
  title: {en: A demo, ru: Пример, uk: Приклад}
"""

SERIES = """\
id: basics
order: 1
title: Basics
short_title: Basics
summary: The basics in one line.
intro: What this series covers.
recap: What we learned.
"""


def write_content(root: Path, langs=("en", "ru", "uk"), lessons=(("waiting", 1),)) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "sources.yaml").write_text(DEMO_SOURCE)
    for lang in langs:
        folder = root / lang / "basics"
        folder.mkdir(parents=True)
        (folder / "series.yaml").write_text(SERIES)
        for lesson_id, order in lessons:
            (folder / f"{order:02d}-{lesson_id}.yaml").write_text(
                LESSON.format(id=lesson_id, order=order, title=f"Lesson {order}", correct=1)
            )
    return root


def messages(root: Path, seeds: Path | None = None) -> list[str]:
    return [str(p) for p in check(root, seeds=seeds)[1]]


def test_valid_content_has_no_problems(tmp_path):
    root = write_content(tmp_path, lessons=(("waiting", 1), ("path", 2)))
    result, problems = check(root)
    assert problems == []
    series = result.catalog.series("ru", "basics")
    assert [lesson.id for lesson in series.lessons] == ["waiting", "path"]


def test_missing_field_is_reported_with_file_and_line(tmp_path):
    root = write_content(tmp_path)
    path = root / "en" / "basics" / "01-waiting.yaml"
    path.write_text(
        path.read_text().replace("key_idea: Measure what the customer lives through.\n", "")
    )
    found = messages(root)
    assert any(
        m.endswith("/en/basics/01-waiting.yaml:1: key_idea: required field is missing")
        for m in found
    ), found


def test_wrong_correct_index_points_at_its_line(tmp_path):
    root = write_content(tmp_path)
    path = root / "uk" / "basics" / "01-waiting.yaml"
    path.write_text(path.read_text().replace("correct: 1\n", "correct: 5\n", 1))
    found = messages(root)
    assert any(
        "uk/basics/01-waiting.yaml:12: quiz.0: " in m and "correct is 5" in m for m in found
    ), found


def test_lesson_missing_in_one_language(tmp_path):
    root = write_content(tmp_path)
    (root / "uk" / "basics" / "01-waiting.yaml").unlink()
    found = messages(root)
    assert any("lesson waiting is missing in: uk" in m for m in found), found


def test_duplicate_ids_and_orders(tmp_path):
    root = write_content(tmp_path, lessons=(("waiting", 1), ("path", 2)))
    for lang in ("en", "ru", "uk"):
        path = root / lang / "basics" / "02-path.yaml"
        path.write_text(path.read_text().replace("id: path", "id: waiting"))
    found = messages(root)
    assert any("duplicate lesson id 'waiting'" in m for m in found), found
    assert any("should be named 02-waiting.yaml" in m for m in found), found


def test_texts_over_telegram_limits(tmp_path):
    root = write_content(tmp_path)
    path = root / "en" / "basics" / "01-waiting.yaml"
    text = path.read_text()
    path.write_text(
        text.replace("What should the clinic measure?", "Q" * 301).replace(
            "The length of each visit", "N" * 101
        )
    )
    found = "\n".join(messages(root))
    assert "quiz.0.question: String should have at most 300 characters" in found
    assert "a quiz poll allows 100" in found
    # a lesson that is valid field by field but too long for one message
    path.write_text(text.replace("  A clinic measured", "  " + "x" * 3700 + " A clinic measured"))
    found = "\n".join(messages(root))
    assert "01-waiting.yaml:4: lesson is 3" in found
    assert "Telegram's 4096-character message limit" in found


def test_explanation_over_200_or_three_line_feeds(tmp_path):
    root = write_content(tmp_path)
    path = root / "ru" / "basics" / "01-waiting.yaml"
    text = path.read_text().replace(
        "explanation: Every step the patient passes through adds to the wait.",
        'explanation: "a\\nb\\nc\\nd"',
    )
    path.write_text(text)
    assert any("more than 2 line feeds" in m for m in messages(root))


def test_markup_telegram_would_reject(tmp_path):
    root = write_content(tmp_path)
    path = root / "en" / "basics" / "01-waiting.yaml"
    path.write_text(path.read_text().replace("<b>still</b>", "<b>still</i>"))
    found = messages(root)
    assert any("01-waiting.yaml:4: body: Telegram would reject the markup" in m for m in found), (
        found
    )


def test_markup_telegram_would_show_literally(tmp_path):
    root = write_content(tmp_path)
    path = root / "uk" / "basics" / "01-waiting.yaml"
    path.write_text(path.read_text().replace("Patients", "Patients&nbsp;"))
    found = messages(root)
    assert any("01-waiting.yaml:4: body: &nbsp; at byte offset" in m for m in found), found


def test_quiz_answers_must_match_across_languages(tmp_path):
    root = write_content(tmp_path)
    path = root / "ru" / "basics" / "01-waiting.yaml"
    path.write_text(path.read_text().replace("correct: 1\n", "correct: 0\n", 1))
    assert any("lesson waiting differs from en" in m for m in messages(root))


def test_practice_flag_must_match_across_languages(tmp_path):
    root = write_content(tmp_path)
    for lang in ("en", "ru", "uk"):
        path = root / lang / "basics" / "series.yaml"
        path.write_text(path.read_text() + "practice: true\n")
    result, problems = check(root)
    assert problems == [] and result.catalog.series("uk", "basics").series.practice
    path = root / "ru" / "basics" / "series.yaml"
    path.write_text(path.read_text().replace("practice: true", "practice: false"))
    assert any("series basics differs from en" in m for m in messages(root))


def test_broken_yaml_is_a_problem_not_a_crash(tmp_path):
    root = write_content(tmp_path)
    (root / "en" / "basics" / "01-waiting.yaml").write_text("id: [unclosed\n")
    found = messages(root)
    assert any("en/basics/01-waiting.yaml:2: YAML: " in m for m in found), found


def test_copy_check_finds_an_eight_word_run(tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "000_demo.txt").write_text(
        "Клиенты уходят, когда компания годами не слышит их жалоб и не меняет процессы."
    )
    root = write_content(tmp_path / "content")
    path = root / "ru" / "basics" / "01-waiting.yaml"
    copied = "когда компания ГОДАМИ не слышит их жалоб и не меняет"  # 10 words, case changed
    path.write_text(path.read_text().replace("Patients <b>still</b> waited.", copied))
    found = messages(root, seeds)
    assert any("body copies 000_demo.txt" in m for m in found), found
    # seven words in a row are allowed
    path.write_text(path.read_text().replace(copied, "компания годами не слышит их жалоб и"))
    assert messages(root, seeds) == []


def test_words_normalise_case_apostrophes_and_yo():
    assert words("З’їдає ВСЁ <b>інше</b>") == ["зїдає", "все", "інше"]
    index = SourceIndex(runs={("a", "b"): "s.txt"}, n=2)
    assert index.copied_runs("x A b y") == [("a b", "s.txt")]


def test_cli_exit_codes(tmp_path, capsys):
    root = write_content(tmp_path)
    assert cxcoach(["content", "check", str(root)]) == 0
    assert "content check: OK" in capsys.readouterr().out
    (root / "uk" / "basics" / "01-waiting.yaml").write_text("title: only\n")
    assert cxcoach(["content", "check", str(root)]) == 1
    err = capsys.readouterr().err
    assert "/uk/basics/01-waiting.yaml:1: id: required field is missing" in err


def test_shipped_content_is_valid():
    """The lessons we ship pass every check (copying included, when the seeds are present)."""
    seeds = SEEDS if SEEDS.is_dir() else None
    result, problems = check(DATA_DIR, seeds=seeds)
    assert [str(p) for p in problems] == []
    for lang in ("en", "ru", "uk"):
        assert result.catalog.series_list(lang), f"no series shipped in {lang}"


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the source articles (../shared/seeds) are absent")
def test_seeds_are_read():
    index = SourceIndex.from_folder(SEEDS)
    assert len({source for source in index.runs.values()}) == 4


def test_readme_maps_every_shipped_lesson_to_its_article():
    """content/README.md's table names each lesson that teaches an obstacle or idea of an
    article once, with its series and article (a practice series teaches none of its own)."""
    result, _ = check(DATA_DIR)
    sources = result.catalog.sources
    shipped = {
        lesson.id: (series.id, sources[lesson.source].seed)
        for series in result.catalog.series_list("en")
        if not series.series.practice
        for lesson in series.lessons
    }
    readme = (DATA_DIR.parent / "README.md").read_text(encoding="utf-8")
    rows = re.findall(
        r"^\|[^|]*\((\d{3})[^|]*\|[^|]*\| ([a-z0-9-]+) \| `([a-z0-9-]+)` \|$", readme, re.M
    )
    mapped = {lesson_id: (series_id, seed) for seed, series_id, lesson_id in rows}
    assert len(rows) == len(mapped), "a lesson appears twice in the table"
    assert mapped == shipped

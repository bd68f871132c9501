"""Cross-file content rules: what ``cxcoach content check`` and the bot's start-up enforce."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from content import quizcheck
from content.copycheck import SourceIndex
from content.loader import LoadResult, Problem, load
from content.model import LANGUAGES, MESSAGE_LIMIT, Lesson, Series
from content.telegram_html import TelegramHTMLError, parse_html

# Fields written in Telegram's HTML subset (the rest are plain text and escaped when sent).
LESSON_HTML_FIELDS = ("body", "key_idea", "action", "reflection")
SERIES_HTML_FIELDS = ("intro", "recap")
# Room the bot's lesson layout adds around the fields (labels, title, source line, spacing).
LESSON_LAYOUT_OVERHEAD = 400


def lesson_texts(lesson: Lesson) -> list[tuple[str, str]]:
    """(field, text) for every piece of text in a lesson, quiz included."""
    texts = [
        ("title", lesson.title),
        ("body", lesson.body),
        ("key_idea", lesson.key_idea),
        ("action", lesson.action),
        ("reflection", lesson.reflection),
    ]
    for i, q in enumerate(lesson.quiz):
        texts.append((f"quiz.{i}.question", q.question))
        texts.extend((f"quiz.{i}.options.{j}", option) for j, option in enumerate(q.options))
        texts.append((f"quiz.{i}.explanation", q.explanation))
    return texts


def series_texts(series: Series) -> list[tuple[str, str]]:
    return [
        ("title", series.title),
        ("summary", series.summary),
        ("intro", series.intro),
        ("recap", series.recap),
    ]


def check(
    root: Path | None = None, seeds: Path | None = None, *, quiz_guard: bool = True
) -> tuple[LoadResult, list[Problem]]:
    """Load and check all content; returns the load result and every problem, sorted.

    ``quiz_guard`` adds the editorial rules on quiz design (:mod:`content.quizcheck`): they
    gate `make test` and CI, not the bot's start-up, which needs only content it can show.
    """
    result = load(root)
    problems = list(result.problems)
    catalog = result.catalog

    def where(lang: str, kind: str, item_id: str, field: str | None = None) -> tuple[str, int]:
        path, line = result.locations.get((lang, kind, item_id), ("content", 1))
        if field:
            line = result.field_lines.get((lang, kind, item_id, field), line)
        return path, line

    def flag(lang: str, kind: str, item_id: str, field: str, message: str) -> None:
        path, line = where(lang, kind, item_id, field)
        problems.append(Problem(path, line, message))

    # Ids unique across series and lessons, per language.
    for lang in LANGUAGES:
        seen: dict[str, str] = {}
        for sc in catalog.series_list(lang):
            for lesson in sc.lessons:
                if lesson.id in seen:
                    also = f"duplicate lesson id {lesson.id!r} (also in {seen[lesson.id]})"
                    flag(lang, "lesson", lesson.id, "id", also)
                seen[lesson.id] = sc.id
            orders: dict[int, str] = {}
            for lesson in sc.lessons:
                if lesson.order in orders:
                    also = f"order {lesson.order} also used by {orders[lesson.order]!r}"
                    flag(lang, "lesson", lesson.id, "order", also)
                orders[lesson.order] = lesson.id
            for lesson in sc.lessons:
                if lesson.source not in catalog.sources:
                    flag(lang, "lesson", lesson.id, "source", f"unknown source {lesson.source!r}")
            problems.extend(_markup_and_size(lang, sc.series, sc.lessons, where))

    problems.extend(_structure_matches(result, where))
    if quiz_guard:
        problems.extend(_quiz_guard(result, where))

    if seeds is not None:
        index = SourceIndex.from_folder(seeds)
        for lang in LANGUAGES:
            for sc in catalog.series_list(lang):
                for field, text in series_texts(sc.series):
                    for run, src in index.copied_runs(text):
                        flag(lang, "series", sc.id, field, f"{field} copies {src}: “{run}”")
                for lesson in sc.lessons:
                    for field, text in lesson_texts(lesson):
                        for run, src in index.copied_runs(text):
                            copied = f"{field} copies {src}: “{run}”"
                            flag(lang, "lesson", lesson.id, field.split(".options")[0], copied)

    return result, sorted(set(problems))


def _quiz_guard(result: LoadResult, where) -> list[Problem]:
    """Quizzes must not be passable by test-wise strategies (see :mod:`content.quizcheck`)."""
    problems: list[Problem] = []
    catalog = result.catalog
    for lang in LANGUAGES:
        for item in quizcheck.items(catalog, lang):
            for message in quizcheck.question_problems(item, lang):
                path, line = where(lang, "lesson", item.lesson_id, "quiz")
                problems.append(Problem(path, line, f"quiz question {item.index + 1}: {message}"))
        report = quizcheck.bank_report(catalog, lang)
        for strategy in report.beaten():
            problems.append(
                Problem(
                    f"content/data/{lang}",
                    1,
                    f"a learner who picks the {strategy.name} scores {strategy.score:.0%} of "
                    f"the {report.questions} {lang} questions; blind guessing scores "
                    f"{report.chance:.0%} and the limit is {report.limit:.0%}",
                )
            )
    return problems


def _markup_and_size(lang, series, lessons, where) -> list[Problem]:
    problems: list[Problem] = []
    for field in SERIES_HTML_FIELDS:
        path, line = where(lang, "series", series.id, field)
        _parse(getattr(series, field), field, path, line, problems)
    for lesson in lessons:
        plain_total = len(lesson.title)
        for field in LESSON_HTML_FIELDS:
            text = getattr(lesson, field)
            path, line = where(lang, "lesson", lesson.id, field)
            plain = _parse(text, field, path, line, problems)
            plain_total += len(plain if plain is not None else text)
        if plain_total + LESSON_LAYOUT_OVERHEAD > MESSAGE_LIMIT:
            path, line = where(lang, "lesson", lesson.id, "body")
            problems.append(
                Problem(
                    path,
                    line,
                    f"lesson is {plain_total} characters; with the layout it would exceed "
                    f"Telegram's {MESSAGE_LIMIT}-character message limit",
                )
            )
    return problems


def _parse(text: str, field: str, path: str, line: int, problems: list[Problem]) -> str | None:
    """The plain text Telegram would show; markup errors and oddities become problems."""
    try:
        parsed = parse_html(text)
    except TelegramHTMLError as exc:
        problems.append(Problem(path, line, f"{field}: Telegram would reject the markup: {exc}"))
        return None
    for warning in parsed.warnings:  # accepted by Telegram, but not shown as the author meant
        problems.append(Problem(path, line, f"{field}: {warning} (write &amp; for a literal &)"))
    return parsed.text


def _structure_matches(result: LoadResult, where) -> list[Problem]:
    """Every language has the same series and lessons, in the same order, with equal quizzes."""
    problems: list[Problem] = []
    catalog = result.catalog
    shape: dict[str, dict[str, tuple]] = defaultdict(dict)
    for lang in LANGUAGES:
        for sc in catalog.series_list(lang):
            series = sc.series
            shape[lang][f"series {sc.id}"] = ("series", sc.id, series.order, series.practice)
            for lesson in sc.lessons:
                quiz_shape = tuple((len(q.options), q.correct) for q in lesson.quiz)
                shape[lang][f"lesson {lesson.id}"] = (
                    "lesson",
                    lesson.id,
                    sc.id,
                    lesson.order,
                    lesson.source,
                    quiz_shape,
                )
    all_keys = sorted(set().union(*(shape[lang].keys() for lang in LANGUAGES)))
    for key in all_keys:
        present = [lang for lang in LANGUAGES if key in shape[lang]]
        missing = [lang for lang in LANGUAGES if key not in shape[lang]]
        ref_lang = present[0]
        kind, item_id = shape[ref_lang][key][0], shape[ref_lang][key][1]
        if missing:
            path, line = where(ref_lang, kind, item_id)
            problems.append(Problem(path, line, f"{key} is missing in: {', '.join(missing)}"))
            continue
        reference = shape[ref_lang][key]
        for lang in present[1:]:
            if shape[lang][key] != reference:
                path, line = where(lang, kind, item_id)
                problems.append(
                    Problem(
                        path,
                        line,
                        f"{key} differs from {ref_lang} (series, order, practice flag, source, "
                        "or quiz options/correct answers must match across languages)",
                    )
                )
    return problems

"""/stats and /export: the admins' numbers (counts only, never who answered what), and each
lesson's figures with the rules that flag an underperforming lesson.

The "unclear" comments are the one free text shown: as written, without who wrote them or
when beyond the month (storage reads no more than that)."""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.services.env import Env, Gone
from content.model import Catalog, Lesson, SeriesContent
from domain.records import Broadcast, LessonComment, LessonTally, QuestionStats, Stats

CHART_DAYS = 30

# An underperforming lesson: each rule needs enough learners to mean something, so a lesson
# is never flagged on the word of two or three people.
LOW_USEFULNESS = 3.0  # mean usefulness (1-5) below this ...
MIN_RATINGS = 5  # ... from at least this many ratings
HARD_QUESTION = 0.40  # a question whose first answers are right for under 40% ...
MIN_FIRST_ANSWERS = 10  # ... of at least this many learners
FEW_FINISHERS = 0.30  # under 30% of the learners who opened it completed it ...
MIN_READERS = 10  # ... of at least this many


def hardest_questions(stats: list[QuestionStats], minimum: int = 5, top: int = 5):
    """Questions most learners get wrong (with at least ``minimum`` answers), worst first."""
    rated = [q for q in stats if q.answers >= minimum]
    rated.sort(key=lambda q: (q.correct / q.answers, -q.answers))
    return [q for q in rated[:top] if q.correct / q.answers < 0.5]


@dataclass(frozen=True)
class Report:
    stats: Stats
    hardest: list[QuestionStats]
    recent: list[tuple[Broadcast, dict[str, int]]]  # the latest broadcasts
    days: list[tuple[date, int, int]]  # per day: active learners, lessons completed
    today: date


async def report(env: Env) -> Report:
    """The numbers, the hardest questions, recent broadcasts and the 30 days for the chart."""
    now = env.now()
    storage = env.storage
    today = now.date()
    return Report(
        await storage.stats(now, env.settings.default_language),
        hardest_questions(await storage.question_stats()),
        await storage.broadcasts(3),
        await storage.daily_activity(today - timedelta(days=CHART_DAYS - 1)),
        today,
    )


@dataclass(frozen=True)
class Export:
    filename: str
    data: bytes  # CSV, UTF-8
    rows: int  # learners (lessons, comments)
    kind: str = "progress"  # progress, lessons, comments, funnel


async def export(env: Env) -> Export:
    """Per-learner progress as CSV: Telegram ids and counts, no message contents."""
    rows = await env.storage.export_progress()
    data = csv_bytes(list(rows[0]) if rows else ["user_id"], rows)
    return Export(f"cxcoach-progress-{env.now():%Y%m%d}.csv", data, len(rows))


# Lessons: figures and flags ------------------------------------------------------------------
class Flag(enum.Enum):
    """Why a lesson is flagged as underperforming (see the thresholds above)."""

    USEFULNESS = "usefulness"  # rated of little use
    QUESTION = "question"  # a question most learners get wrong at first
    FINISHERS = "finishers"  # few of its readers complete it


def low_usefulness(raters: int | None, mean: float | None) -> bool:
    """Mean usefulness under ``LOW_USEFULNESS`` from at least ``MIN_RATINGS`` ratings."""
    return (
        raters is not None
        and mean is not None
        and raters >= MIN_RATINGS
        and (mean < LOW_USEFULNESS)
    )


def hard_question(answered: int, right: int) -> bool:
    """First answers right for under ``HARD_QUESTION`` of at least ``MIN_FIRST_ANSWERS``."""
    return answered >= MIN_FIRST_ANSWERS and right < HARD_QUESTION * answered


def few_finishers(readers: int | None, finishers: int | None) -> bool:
    """Under ``FEW_FINISHERS`` of at least ``MIN_READERS`` readers completed the lesson."""
    return (
        readers is not None
        and finishers is not None
        and readers >= MIN_READERS
        and finishers < FEW_FINISHERS * readers
    )


@dataclass(frozen=True)
class Accuracy:
    """One quiz question: learners' first answers to it and how many were right."""

    question: int  # 0-based, in the quiz as it is now
    answered: int  # learners (each counted once: their first answer)
    right: int

    @property
    def share(self) -> float | None:
        return self.right / self.answered if self.answered else None

    @property
    def hard(self) -> bool:
        return hard_question(self.answered, self.right)


@dataclass(frozen=True)
class Commitments:
    """The lesson's week's action, one commitment per learner (their latest taken one, else
    a declined one)."""

    learners: int  # who took it on or declined it
    declined: int
    done: int
    failed: int
    not_yet: int
    still_open: int  # open or asked again later: no outcome yet

    @property
    def taken(self) -> int:
        return self.learners - self.declined


@dataclass(frozen=True)
class Comment:
    """A "what was unclear?" as written: no author, no time finer than the month."""

    text: str
    month: date | None  # the month's first day; None where even the month is not shown


@dataclass(frozen=True)
class LessonFigures:
    """One lesson's figures as a viewer may see them. ``None`` is a figure held back (fewer
    contributors than the view's minimum: a team's "not enough answers yet")."""

    series: SeriesContent
    lesson: Lesson
    readers: int | None  # learners who opened it
    finishers: int | None  # ... and completed it (shown with the readers, or not at all)
    questions: tuple[Accuracy | None, ...]  # per question of the quiz
    raters: int | None  # learners who rated its usefulness
    usefulness: float | None  # their mean (1-5); None: no rating, or held back
    commitments: Commitments | None
    comments: tuple[Comment, ...] | None  # latest first (a team's: in text order)
    commenters: int = 0  # learners who wrote one (the screen may show fewer comments)
    flags: tuple[Flag, ...] = ()

    @property
    def first_try(self) -> float | None:
        """The share of first answers that were right, over the questions shown."""
        shown = [q for q in self.questions if q is not None]
        answered = sum(q.answered for q in shown)
        return sum(q.right for q in shown) / answered if answered else None


def flags_of(figures: LessonFigures) -> tuple[Flag, ...]:
    """The lesson's flags, from the figures shown only (a held-back figure flags nothing)."""
    found = []
    if low_usefulness(figures.raters, figures.usefulness):
        found.append(Flag.USEFULNESS)
    if any(q is not None and q.hard for q in figures.questions):
        found.append(Flag.QUESTION)
    if few_finishers(figures.readers, figures.finishers):
        found.append(Flag.FINISHERS)
    return tuple(found)


def month_of(comment: LessonComment) -> date:
    year, month = comment.month.split("-")
    return date(int(year), int(month), 1)


def lesson_figures(
    catalog: Catalog,
    lang: str,
    tallies: Iterable[LessonTally],
    comments: Mapping[str, Sequence[Comment]] | None = None,
    minimum: int = 0,
    only: str | None = None,
) -> list[LessonFigures]:
    """Every lesson of the catalog in ``lang``, in catalog order (``only``: that one), with
    its figures from ``tallies``; each figure only where at least ``minimum`` learners
    contributed to it (0: every figure), and its flags. ``comments``: lesson id -> its
    comments (None: not asked for; the lesson shows none)."""
    by_id = {tally.lesson_id: tally for tally in tallies}

    def enough(contributors: int) -> bool:
        return contributors >= minimum

    found = []
    for series in catalog.series_list(lang):
        for lesson in series.lessons:
            if only is not None and lesson.id != only:
                continue
            tally = by_id.get(lesson.id, LessonTally(lesson.id))
            answers = {q.question: q for q in tally.first_answers}
            questions = []
            for index in range(len(lesson.quiz)):  # answers to questions since removed: not
                q = answers.get(index, QuestionStats(lesson.id, index, 0, 0))
                questions.append(
                    Accuracy(index, q.answers, q.correct) if enough(q.answers) else None
                )
            rated = enough(tally.raters)
            read = enough(tally.readers)
            figures = LessonFigures(
                series,
                lesson,
                readers=tally.readers if read else None,
                finishers=tally.finishers if read else None,
                questions=tuple(questions),
                raters=tally.raters if rated else None,
                usefulness=tally.usefulness_sum / tally.raters if rated and tally.raters else None,
                commitments=_commitments(tally) if enough(tally.committers) else None,
                comments=_comments(comments, lesson.id, enough(tally.commenters)),
                commenters=tally.commenters if enough(tally.commenters) else 0,
            )
            found.append(_flagged(figures))
    return found


def _commitments(tally: LessonTally) -> Commitments:
    return Commitments(
        tally.committers, tally.declined, tally.done, tally.failed, tally.not_yet, tally.still_open
    )


def _comments(
    comments: Mapping[str, Sequence[Comment]] | None, lesson_id: str, enough: bool
) -> tuple[Comment, ...] | None:
    if comments is None:  # not read (the lessons' list): none to show, none held back
        return ()
    return tuple(comments.get(lesson_id, ())) if enough else None


def _flagged(figures: LessonFigures) -> LessonFigures:
    return LessonFigures(**{**vars(figures), "flags": flags_of(figures)})


def underperformers_first(figures: Sequence[LessonFigures]) -> list[LessonFigures]:
    """The flagged lessons first, each part in catalog order."""
    return [f for f in figures if f.flags] + [f for f in figures if not f.flags]


def grouped(comments: Iterable[LessonComment], *, months: bool = True) -> dict[str, list[Comment]]:
    """Comments by lesson, in the order given (``months=False``: the month left out too)."""
    found: dict[str, list[Comment]] = {}
    for c in comments:
        found.setdefault(c.lesson_id, []).append(Comment(c.text, month_of(c) if months else None))
    return found


async def lessons(env: Env, lang: str) -> list[LessonFigures]:
    """Every lesson's figures over all learners, in catalog order (the screen puts the
    flagged ones first; the chart keeps this order)."""
    return lesson_figures(env.catalog, lang, await env.storage.lesson_tallies())


COMMENTS_SHOWN = 15  # the latest "unclear" comments a lesson's screen reads (all: /export)


async def lesson(env: Env, lang: str, lesson_id: str) -> LessonFigures:
    """One lesson's figures with its latest comments; Gone when the catalog has no such
    lesson any more."""
    if env.catalog.lesson(lang, lesson_id) is None:
        raise Gone("lesson")
    storage = env.storage
    comments = grouped(await storage.lesson_comments(lesson_id, COMMENTS_SHOWN))
    tallies = await storage.lesson_tallies(lesson_id)
    return lesson_figures(env.catalog, lang, tallies, comments, only=lesson_id)[0]


# /export: three CSV files -----------------------------------------------------------------
CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")  # a spreadsheet would run a cell starting so


def cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text: free text (titles, comments) starting like a
    formula gets an apostrophe (CSV injection); numbers are left as they are."""
    if isinstance(value, str) and value.startswith(CSV_FORMULA):
        return "'" + value
    return value


def csv_bytes(fieldnames: Sequence[str], rows: Sequence[Mapping[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(fieldnames))
    writer.writeheader()
    writer.writerows({k: cell(v) for k, v in row.items()} for row in rows)
    return buffer.getvalue().encode("utf-8")


MAX_QUESTIONS = 3  # a quiz has 2-3 questions (content/model.py): a column set for each

LESSON_COLUMNS = (
    "series_id", "lesson_id", "series_title", "lesson_title", "readers", "finishers",
    *(f"q{n}_{x}" for n in range(1, MAX_QUESTIONS + 1)
      for x in ("first_answers", "first_right", "first_accuracy")),
    "first_try_accuracy", "ratings", "usefulness_mean", "commitments_taken",
    "commitments_declined", "commitments_done", "commitments_failed", "commitments_not_yet",
    "commitments_open", "comments", "flags",
)  # fmt: skip


def _share(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def lesson_rows(figures: Sequence[LessonFigures]) -> list[dict[str, object]]:
    """/export's lessons.csv: one row per lesson, every figure and its flags (empty: none)."""
    rows = []
    for f in figures:
        c = f.commitments
        row: dict[str, object] = {
            "series_id": f.series.id,
            "lesson_id": f.lesson.id,
            "series_title": f.series.series.title,
            "lesson_title": f.lesson.title,
            "readers": f.readers,
            "finishers": f.finishers,
            "first_try_accuracy": _share(f.first_try),
            "ratings": f.raters,
            "usefulness_mean": "" if f.usefulness is None else f"{f.usefulness:.2f}",
            "commitments_taken": c.taken if c else 0,
            "commitments_declined": c.declined if c else 0,
            "commitments_done": c.done if c else 0,
            "commitments_failed": c.failed if c else 0,
            "commitments_not_yet": c.not_yet if c else 0,
            "commitments_open": c.still_open if c else 0,
            "comments": f.commenters,
            "flags": " ".join(flag.value for flag in f.flags),
        }
        for q in f.questions:
            if q is not None:
                n = q.question + 1
                row |= {f"q{n}_first_answers": q.answered, f"q{n}_first_right": q.right,
                        f"q{n}_first_accuracy": _share(q.share)}  # fmt: skip
        rows.append(row)
    return rows


async def exports(env: Env, lang: str) -> list[Export]:
    """/export: per-learner progress (ids and counts), then per-lesson figures
    (``lessons.csv``, titles in ``lang``), the "unclear" comments (``comments.csv``:
    lesson, month, text; never who wrote it) and the funnel per source (``funnel.csv``:
    counts only)."""
    progress = await export(env)
    storage = env.storage
    comments = await storage.lesson_comments()
    figures = lesson_figures(env.catalog, lang, await storage.lesson_tallies(), grouped(comments))
    titles = {f.lesson.id: f.lesson.title for f in figures}
    # imported here: attribution reads deep links (services/start.py), whose teams use this
    # module's lesson figures
    from bot.services import attribution

    sources = await attribution.funnel(env, lang)
    comment_rows = [
        {"lesson_id": c.lesson_id, "lesson_title": titles.get(c.lesson_id, ""),
         "month": c.month, "comment": c.text}
        for c in comments
    ]  # fmt: skip
    return [
        progress,
        Export("lessons.csv", csv_bytes(LESSON_COLUMNS, lesson_rows(figures)), len(figures),
               "lessons"),
        Export("comments.csv", csv_bytes(("lesson_id", "lesson_title", "month", "comment"),
                                         comment_rows), len(comment_rows), "comments"),
        Export("funnel.csv", csv_bytes(attribution.FUNNEL_COLUMNS, attribution.funnel_rows(
            sources)), len(sources.sources), "funnel"),
    ]  # fmt: skip

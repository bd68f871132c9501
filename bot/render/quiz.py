"""Screens of a quiz: a question with its options in full and letter buttons, the judged
answer, the score (and the recap when it finishes a series)."""

from __future__ import annotations

from collections.abc import Sequence

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.kit import Screen, button, markup
from bot.render.lessons import page_of_lesson
from bot.services.quiz import QuizInProgress
from content.model import Lesson, QuizQuestion, SeriesContent
from domain.records import Attempt

# Option labels as tests in each language letter them (ЗНО/ЕГЭ use А Б В Г).
OPTION_LETTERS = {"en": "ABCDEF", "ru": "АБВГДЕ", "uk": "АБВГДЕ"}


def option_letter(t: Translator, position: int) -> str:
    return OPTION_LETTERS.get(t.lang, OPTION_LETTERS["en"])[position]


def option_lines(t: Translator, question: QuizQuestion, order: Sequence[int]) -> list[str]:
    """The options in full, in the order shown, one line each: "A. text"."""
    return [
        f"{option_letter(t, position)}. {escape(question.options[option])}"
        for position, option in enumerate(order)
    ]


def shown_answer(t: Translator, question: QuizQuestion, order: Sequence[int], option: int) -> str:
    """An option as the learner saw it: its letter and its full text."""
    return f"{option_letter(t, list(order).index(option))}. {question.options[option]}"


def _question_header(t: Translator, lesson: Lesson, index: int) -> str:
    return t._(
        "📝 <b>{title}</b> · question {number} of {total}",
        title=lesson.title,
        number=index + 1,
        total=len(lesson.quiz),
    )


def question_screen(
    t: Translator, lesson: Lesson, attempt: Attempt, index: int, order: Sequence[int]
) -> Screen:
    """The question with every option in full (A–D, in this attempt's order), letter buttons."""
    question = lesson.quiz[index]
    lines = [_question_header(t, lesson, index), "", escape(question.question), ""]
    lines += option_lines(t, question, order)
    buttons = [
        button(option_letter(t, position), cb.Answer(attempt.id, index, position))
        for position in range(len(order))
    ]
    return Screen("\n".join(lines), markup([buttons]))


def judged_screen(
    t: Translator,
    lesson: Lesson,
    index: int,
    question: QuizQuestion,
    chosen: int,
    correct: bool,
    order: Sequence[int],
) -> Screen:
    lines = [_question_header(t, lesson, index), "", escape(question.question), ""]
    right = shown_answer(t, question, order, question.correct)
    if correct:
        lines.append(t._("✅ Right: {answer}", answer=right))
    else:
        lines.append(
            t._("❌ Your answer: {answer}", answer=shown_answer(t, question, order, chosen))
        )
        lines.append(t._("✅ Right answer: {answer}", answer=right))
    lines += ["", f"💬 <i>{escape(question.explanation)}</i>"]
    return Screen("\n".join(lines), None)


def result_screen(
    t: Translator,
    series: SeriesContent,
    lesson: Lesson,
    attempt: Attempt,
    next_lesson: Lesson | None,
    series_finished: bool,
) -> Screen:
    score = t.n_(
        "🏁 Quiz done: {correct} of {n} answer right.",
        "🏁 Quiz done: {correct} of {n} answers right.",
        attempt.total,
        correct=attempt.correct,
    )
    if attempt.correct == attempt.total:
        verdict = t._("Excellent, you have this one.")
    elif attempt.correct * 2 > attempt.total:  # more than half: 1 of 2 is not "good"
        verdict = t._("Good. Re-read the explanations above to close the gap.")
    else:
        verdict = t._("Worth another look: re-read the lesson and try again.")
    lines = [score, verdict]
    if series_finished:
        lines += [
            "",
            t._("🎓 <b>Series complete: {title}</b>", title=series.series.title),
            "",
            Safe(series.series.recap),
        ]
    rows = [[button(t._("🔁 Retake the quiz"), cb.StartQuiz(lesson.id))]]
    if series_finished:  # every series, practice ones too, earns a certificate
        rows.insert(0, [button(t._("🎓 Get your certificate"), cb.CertGet(series.id))])
    if series_finished and not series.series.practice:
        rows.insert(0, [button(t._("📊 Re-rate these obstacles"), cb.LiftStart(series.id))])
        lines += ["", t._("How much do these obstacles hold your company back now? Re-rate "
                         "them and see the change.")]  # fmt: skip
    if next_lesson is not None:
        rows.append([button(t._("Next lesson ➡️"), cb.OpenLesson(next_lesson.id))])
    rows.append(
        [
            button(
                t._("⬅️ Back to the series"),
                cb.SeriesPage(series.id, page_of_lesson(series, lesson)),
            ),
            button(t._("🏠 Menu"), cb.Menu()),
        ]
    )
    return Screen("\n".join(lines), markup(rows))


def quiz_waiting_screen(t: Translator, quiz: QuizInProgress) -> Screen:
    """Text typed while a quiz question waits: answer with its buttons (shown again here)."""
    letters = f"{option_letter(t, 0)}–{option_letter(t, len(quiz.order) - 1)}"
    text = t._(
        "📝 A quiz in progress: <b>{title}</b>\nTo answer, tap one of the letter buttons "
        "({letters}) under the question.",
        title=quiz.lesson.title,
        letters=letters,
    )
    rows = [
        [button(t._("🔁 Show the question again"), cb.ResumeQuiz(quiz.attempt.id))],
        [button(t._("🏠 Menu"), cb.Menu())],
    ]
    return Screen(text, markup(rows))

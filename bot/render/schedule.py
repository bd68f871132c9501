"""The daily slot's one message: a drip (one lesson or a digest), a recap, a review nudge
or an idle reminder."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.commitments import follow_up_screen
from bot.render.kit import WIDE_LABEL, Screen, button, markup, menu_row, shorten
from bot.render.lessons import lesson_screen
from bot.render.subscriptions import recap_screen
from bot.services.lessons import LessonCounts
from bot.services.schedule import SlotPlan
from content.model import Catalog


def review_line(t: Translator, due: int) -> str:
    return t.n_(
        "🔁 {n} review card is due: /review",
        "🔁 {n} review cards are due: /review",
        due,
    )


def _drip_row(t: Translator, series_id: str) -> list:
    """Under a drip: stop this series' lessons for a while, or manage every subscription."""
    return [
        button(t._("⏸ Pause this series"), cb.PauseFromDrip(series_id)),
        button(t._("🔔 Subscriptions"), cb.Subscriptions(fresh=True)),
    ]


def retake_screen(t: Translator) -> Screen:
    """A month after a self-assessment: take it again and see what changed."""
    text = "\n".join(
        [
            t._("📊 <b>A month since your self-assessment</b>"),
            t._(
                "Take it again to see what has changed: the same statements, a few minutes, "
                "and the chart shows both results side by side."
            ),
        ]
    )
    rows = [[button(t._("📊 Take it again"), cb.AssessStart(True))], menu_row(t)]
    return Screen(text, markup(rows))


def slot_screen(
    t: Translator, catalog: Catalog, language: str, plan: SlotPlan, completed: set[str]
) -> Screen | None:
    """The one message a slot sends, or None if the plan sends nothing."""
    if plan.follow_up is not None:
        commitment_id, lesson_id = plan.follow_up
        found = catalog.lesson(language, lesson_id)
        return follow_up_screen(t, commitment_id, found[1]) if found else None
    if plan.retake is not None:
        return retake_screen(t)
    lessons = [
        (series, lesson)
        for series_id, lesson_id in plan.lessons
        if (found := catalog.lesson(language, lesson_id)) is not None
        for series, lesson in [found]
    ]
    finished = [s for s in (catalog.series(language, sid) for sid in plan.finished) if s]
    suggestions = [s for s in (catalog.series(language, sid) for sid in plan.suggestions) if s]
    if len(lessons) == 1 and not finished:
        series, lesson = lessons[0]
        screen = lesson_screen(
            t,
            series,
            lesson,
            catalog.sources.get(lesson.source),
            lesson.id in completed,
            None,
        )
        head = t._("📬 <b>Your lesson for today</b>")
        tail = ["", review_line(t, plan.reviews_due)] if plan.reviews_due else []
        rows = [list(row) for row in screen.keyboard.inline_keyboard] if screen.keyboard else []
        rows.append(_drip_row(t, series.id))
        return Screen("\n".join([head, "", screen.text, *tail]), markup(rows))
    if len(finished) == 1 and not lessons:
        done = finished[0]
        counts = LessonCounts(
            len(done.lessons),
            sum(1 for x in done.lessons if x.id in completed),
            len(done.lessons),
        )
        screen = recap_screen(t, done, suggestions, counts)
        tail = ["", review_line(t, plan.reviews_due)] if plan.reviews_due else []
        return Screen("\n".join([screen.text, *tail]), screen.keyboard)
    if lessons or finished:
        lines = [t._("📬 <b>Your lessons for today</b>"), ""]
        rows = []
        for series, lesson in lessons:
            lines.append(f"📖 <b>{escape(lesson.title)}</b> <i>({escape(series.series.title)})</i>")
            lines.append(Safe(lesson.key_idea))
            lines.append("")
            rows.append(
                [button("📖 " + shorten(lesson.title, WIDE_LABEL - 2), cb.OpenLesson(lesson.id))]
            )
        for series in finished:
            lines.append(
                t._(
                    "📬 You have received every lesson of <b>{title}</b>.",
                    title=series.series.title,
                )
            )
            rows.append(
                [
                    button(
                        shorten(t._("🎓 Recap: {title}", title=series.series.title), WIDE_LABEL),
                        cb.Recap(series.id),
                    )
                ]
            )
        if plan.reviews_due:
            lines += ["", review_line(t, plan.reviews_due)]
        rows.append([button(t._("🔔 Subscriptions"), cb.Subscriptions(fresh=True))])
        return Screen("\n".join(lines).strip(), markup(rows))
    if plan.reviews_due:
        text = "\n".join(
            [
                t.n_(
                    "🔁 {n} review card is due today. Two minutes now keep what you learned.",
                    "🔁 {n} review cards are due today. Two minutes now keep what you learned.",
                    plan.reviews_due,
                ),
            ]
        )
        return Screen(text, markup([[button(t._("🔁 Review now"), cb.StartReview())]]))
    if plan.reminder:
        found = catalog.lesson(language, plan.reminder)
        if found is None:
            return None
        series, lesson = found
        text = "\n".join(
            [
                t._("👋 It has been a few days. Five minutes today keep the habit alive."),
                t._(
                    "Next up: <b>{title}</b> ({series}).",
                    title=lesson.title,
                    series=series.series.title,
                ),
            ]
        )
        rows = [
            [button(t._("📖 Read it now"), cb.OpenLesson(lesson.id))],
            [button(t._("⚙️ Lesson schedule"), cb.Settings())],
        ]
        return Screen(text, markup(rows))
    return None

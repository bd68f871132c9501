"""The daily slot's one message: a drip (one lesson or a digest), a recap, a review nudge
or an idle reminder."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.commitments import follow_up_screen
from bot.render.kit import WIDE_LABEL, Screen, button, markup, menu_row, short_day, shorten
from bot.render.lessons import lesson_screen
from bot.render.subscriptions import recap_screen
from bot.services.lessons import LessonCounts
from bot.services.schedule import Deadline, SlotPlan
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


def assigned_line(t: Translator, plan: SlotPlan, series_id: str) -> str | None:
    """Under an assigned series' lesson: who assigned it and when it is due."""
    for assigned_id, due_on, team in plan.assigned:
        if assigned_id == series_id:
            return t._(
                "📌 Assigned by your team <b>{team}</b> · due <b>{day}</b>",
                team=team,
                day=short_day(t, due_on),
            )
    return None


def deadline_line(t: Translator, catalog: Catalog, language: str, deadline: Deadline) -> str:
    series = catalog.series(language, deadline.series_id)
    title = series.series.title if series is not None else deadline.series_id
    return t.n_(
        "⏰ <b>{title}</b> is due on <b>{day}</b> (team {team}): {done} of {n} lesson completed.",
        "⏰ <b>{title}</b> is due on <b>{day}</b> (team {team}): {done} of {n} lessons completed.",
        deadline.total,
        title=title,
        day=short_day(t, deadline.due_on),
        team=deadline.team_name,
        done=deadline.completed,
    )


def deadline_screen(
    t: Translator, catalog: Catalog, language: str, deadline: Deadline, completed: set[str]
) -> Screen | None:
    """An assignment's one reminder, alone in the slot: how far along, and the next lesson."""
    series = catalog.series(language, deadline.series_id)
    if series is None:
        return None
    lines = [
        deadline_line(t, catalog, language, deadline),
        t._(
            "A lesson and its quiz take about five minutes; one a day gets you there. "
            "This is the only reminder."
        ),
    ]
    rows = []
    lesson = next((x for x in series.lessons if x.id not in completed), None)
    if lesson is not None:
        label = shorten(t._("📖 Continue: {title}", title=lesson.title), WIDE_LABEL)
        rows.append([button(label, cb.OpenLesson(lesson.id))])
    rows.append([button(t._("🔔 Subscriptions"), cb.Subscriptions(fresh=True))])
    return Screen("\n".join(lines), markup(rows))


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
    if plan.kind == "deadline" and plan.deadline is not None:
        return deadline_screen(t, catalog, language, plan.deadline, completed)
    reminder = [deadline_line(t, catalog, language, plan.deadline)] if plan.deadline else []
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
        if note := assigned_line(t, plan, series.id):
            head += "\n" + note
        tail = ["", review_line(t, plan.reviews_due)] if plan.reviews_due else []
        tail += ["", *reminder] if reminder else []
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
        tail += ["", *reminder] if reminder else []
        return Screen("\n".join([screen.text, *tail]), screen.keyboard)
    if lessons or finished:
        lines = [t._("📬 <b>Your lessons for today</b>"), ""]
        rows = []
        for series, lesson in lessons:
            lines.append(f"📖 <b>{escape(lesson.title)}</b> <i>({escape(series.series.title)})</i>")
            lines.append(Safe(lesson.key_idea))
            if note := assigned_line(t, plan, series.id):
                lines.append(note)
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
        lines += ["", *reminder] if reminder else []
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

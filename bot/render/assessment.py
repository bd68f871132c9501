"""Screens of /assess: the intro, one obstacle at a time, "continue later", the result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, tzinfo

from bot import callbacks as cb
from bot.i18n import Safe, Translator, escape
from bot.render.kit import (
    WIDE_LABEL,
    Screen,
    button,
    change,
    local_date,
    markup,
    menu_row,
    score,
    shorten,
)
from bot.services.assessment import RATINGS, GroupScore, Obstacle
from domain.records import Assessment


def continue_button(t: Translator, done: int, total: int):
    return button(t._("▶️ Continue ({done}/{n})", done=done, n=total), cb.AssessStart(False))


def intro_screen(t: Translator, unfinished: Assessment | None, total: int) -> Screen:
    """One screen: what the assessment is, and Start (or Continue / Start over)."""
    lines = [
        t._("📋 <b>Self-assessment</b>"),
        t.n_(
            "You will see {n} statement, one for each obstacle to customer-centricity. "
            "Rate how true each is of your company: 1 — not at all, 5 — very much. "
            "About three minutes; you can stop and go on later.",
            "You will see {n} statements, one for each obstacle to customer-centricity. "
            "Rate how true each is of your company: 1 — not at all, 5 — very much. "
            "About three minutes; you can stop and go on later.",
            total,
        ),
    ]
    if unfinished is None:
        rows = [[button(t._("▶️ Start"), cb.AssessStart(True))], menu_row(t)]
        return Screen("\n".join(lines), markup(rows))
    done = len(unfinished.ratings)
    lines += [
        "",
        t._("In progress: {done} of {n} rated.", done=done, n=total),
    ]
    rows = [[continue_button(t, done, total)]]
    if done:
        rows.append([button(t._("🔄 Start over"), cb.AssessRestart(unfinished.id))])
    rows.append(menu_row(t))
    return Screen("\n".join(lines), markup(rows))


def restart_confirm_screen(t: Translator, unfinished: Assessment) -> Screen:
    done = len(unfinished.ratings)
    return Screen(
        t.n_(
            "Start over? The {n} rating you have given so far will be discarded.",
            "Start over? The {n} ratings you have given so far will be discarded.",
            done,
        ),
        markup(
            [
                [button(t._("🔄 Yes, start over"), cb.AssessRestart(unfinished.id, True))],
                [button(t._("✖️ Cancel"), cb.AssessIntro())],
            ]
        ),
    )


def obstacle_screen(
    t: Translator, assessment: Assessment, obstacle: Obstacle, total: int
) -> Screen:
    current = assessment.ratings.get(obstacle.lesson.id)
    lines = [
        t._(
            "📋 Obstacle {i} of {n} · <i>{series}</i>",
            i=obstacle.index + 1,
            n=total,
            series=obstacle.series.series.title,
        ),
        "",
        f"<b>{escape(obstacle.lesson.title)}</b>",
        f"<i>{escape(obstacle.lesson.symptom)}</i>",
        "",
        t._("How true is this of your company? 1 — not at all, 5 — very much."),
    ]
    ratings = [
        button(f"{'✅' if current == r else ''}{r}", cb.Rate(assessment.id, obstacle.index, r))
        for r in RATINGS
    ]
    nav = []
    if obstacle.index > 0:
        nav.append(button(t._("⬅️ Back"), cb.RateBack(assessment.id, obstacle.index - 1)))
    nav.append(button(t._("⏸ Continue later"), cb.AssessLater(assessment.id)))
    return Screen("\n".join(lines), markup([ratings, nav]))


def later_screen(t: Translator, done: int, total: int) -> Screen:
    """After "Continue later": what is kept, and the way back in (or out to the menu)."""
    return Screen(
        t._(
            "⏸ Saved: {done} of {n} rated. Go on whenever you like: the button below or "
            "/assess continues where you stopped.",
            done=done,
            n=total,
        ),
        markup([[continue_button(t, done, total)], menu_row(t)]),
    )


def chart_title(t: Translator) -> str:
    return t._("How true each group of obstacles is of your company (1–5)")


def result_caption(t: Translator, previous_at: datetime | None, tz: tzinfo) -> str:
    """The radar chart's caption: what it shows (and the earlier result, if overlaid)."""
    lines = [
        t._(
            "📊 Your self-assessment by group of obstacles: 1 — not true of your company at "
            "all, 5 — very true. Your plan follows below."
        )
    ]
    if previous_at is not None:
        lines.append(
            t._("Grey: your previous result, {date}.", date=local_date(t, previous_at, tz))
        )
    return "\n".join(lines)


def result_screen(
    t: Translator,
    groups: Sequence[GroupScore],
    strongest: Sequence[Obstacle],
    ratings: dict[str, int],
    previous: Sequence[GroupScore] | None,
    subscribed: set[str],
) -> Screen:
    lines = [t._("📋 <b>Your assessment</b>"), ""]
    for index, group in enumerate(groups):
        delta = ""
        if previous is not None and previous[index].mean:
            delta = f" ({change(t, group.mean - previous[index].mean)})"
        lines.append(f"• {escape(group.series.series.title)}: {score(t, group.mean)}/5{delta}")
    rows = []
    if strongest:
        lines += ["", t._("<b>What holds you back most</b>")]
        for number, o in enumerate(strongest, start=1):
            lines.append(
                f"{number}. <b>{escape(o.lesson.title)}</b> ({ratings[o.lesson.id]}/5) — "
                + Safe(o.lesson.key_idea)
            )
            label = shorten(t._("📖 {title}", title=o.lesson.title), WIDE_LABEL)
            rows.append([button(label, cb.OpenLesson(o.lesson.id))])
        lines += ["", t._("<b>Your plan:</b> read these lessons first, then take their series:")]
        seen = []
        for o in strongest:
            if o.series.id in seen or o.series.id in subscribed:
                continue
            seen.append(o.series.id)
            label = shorten(
                t._("🔔 Subscribe: {title}", title=o.series.series.short_title), WIDE_LABEL
            )
            rows.append([button(label, cb.SubscriptionAction("subscribe", o.series.id))])
    else:
        lines += ["", t._("No obstacle rated 3 or more: a strong position. Keep it with reviews.")]
    if previous is not None:
        lines += ["", t._("In brackets: the change since your previous result.")]
    rows.append(menu_row(t))
    return Screen("\n".join(lines), markup(rows))

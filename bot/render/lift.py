"""The confidence lift: a finished series' obstacles re-rated, and the change shown."""

from __future__ import annotations

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import Screen, button, change, markup, menu_row, score
from bot.services.assessment import RATINGS
from bot.services.lift import LiftStep


def rerate_screen(t: Translator, step: LiftStep) -> Screen:
    assert step.assessment is not None
    lesson = step.lesson
    lines = [
        t._(
            "📊 Obstacle {i} of {n} · <i>{series}</i>",
            i=step.index + 1,
            n=len(step.series.lessons),
            series=step.series.series.title,
        ),
        "",
        f"<b>{escape(lesson.title)}</b>",
        f"<i>{escape(lesson.symptom)}</i>",
        "",
        t._("How true is this of your company now? 1 — not at all, 5 — very much."),
    ]
    row = [button(str(r), cb.LiftRate(step.assessment.id, step.index, r)) for r in RATINGS]
    return Screen("\n".join(lines), markup([row]))


def lift_screen(t: Translator, step: LiftStep) -> Screen:
    """Each obstacle before → now; lower means it holds the company back less."""
    assert step.lift is not None
    lift = step.lift
    lines = [t._("📊 <b>{series}: before and now</b>", series=step.series.series.title), ""]
    for c in lift.changes:
        if c.before is None:
            lines.append(t._("{title}: {now} (not rated before)", title=c.lesson.title, now=c.now))
        else:
            lines.append(
                t._(
                    "{title}: {before} → {now} ({change})",
                    title=c.lesson.title,
                    before=c.before,
                    now=c.now,
                    change=change(t, c.now - c.before),
                )
            )
    lines.append("")
    if lift.mean_before is not None and lift.mean_now is not None:
        lines.append(
            t._(
                "On average: {before} → {now}. Lower means the obstacle holds you back less.",
                before=score(t, lift.mean_before),
                now=score(t, lift.mean_now),
            )
        )
    else:
        lines.append(
            t._(
                "Nothing to compare with yet: /assess rates every obstacle, and the next "
                "re-rating will show the change."
            )
        )
    return Screen("\n".join(lines), markup([menu_row(t)]))


def lift_gone_screen(t: Translator) -> Screen:
    return Screen(t._("These ratings are saved already."), markup([menu_row(t)]))

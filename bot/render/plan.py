"""/plan: the 90-day plan as a screen (Telegram HTML) and as a PDF (fpdf2).

The service decides the plan (lesson and series ids, ratings, statuses); this module words
it, once for both: each sentence is one translated message whose placeholders are escaped
for the screen and left as they are for the PDF. Steps about a lesson or series that is no
longer in the content (removed by a deploy) are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from bot import callbacks as cb
from bot.i18n import Translator, escape
from bot.render.kit import (
    WIDE_LABEL,
    Screen,
    button,
    local_date,
    markup,
    menu_row,
    score,
    shorten,
)
from bot.services.plan import Measure, MeasureKind, Phase, PlanOutcome, Step
from bot.services.plan import StepKind as K
from content.model import Catalog
from content.telegram_html import TelegramHTMLError, parse_html

# The screen stays well inside Telegram's 4096 characters: titles, never whole actions (the
# PDF has those), and at most this many of the learner's commitments per phase.
SCREEN_COMMITMENTS = 3
SCREEN_NOTE = 80  # characters of a learner's note on the screen

COMMITMENT_STEPS = (K.FINISH, K.KEEP, K.REREAD, K.RETRY)
STEP_ICONS = {
    K.FOCUS: "🎯",
    K.SERIES: "🔔",
    K.EXPLORE: "🧭",
    K.FINISH: "▶️",
    K.KEEP: "♻️",
    K.REREAD: "🔁",
    K.RETRY: "⏳",
    K.REVIEW: "🧠",
    K.REASSESS: "📋",
}

Say = Callable[..., str]  # a translation with its {placeholders} filled


def _sayer(html: bool) -> Say:
    """``say(t._("... {x} ..."), x=value)``: values escaped for the screen (``html``), left
    as they are for the PDF. ``t._`` without values returns the translation unfilled."""

    def say(template: str, /, **values: object) -> str:
        return template.format(**{k: escape(v) if html else v for k, v in values.items()})

    return say


QUOTES = ("“”", "«»", "„“", '""')


def bare(title: str) -> str:
    """A title without the quotes it is written in (“We know better”), which the sentences
    that name it add themselves."""
    if len(title) > 2 and any(title[0] == a and title[-1] == b for a, b in QUOTES):
        return title[1:-1]
    return title


def plain(html: str) -> str:
    """A content field written in Telegram HTML (a key idea, an action) as plain text."""
    try:
        return parse_html(html).text
    except TelegramHTMLError:  # validated at start-up; never fail a PDF over it
        return html


# One wording for the screen and the PDF --------------------------------------------------
def phase_title(t: Translator, say: Say, index: int, phase: Phase) -> str:
    days = {"first": phase.first_day, "last": phase.last_day}
    if index == 0:
        return say(t._("Days {first}–{last}: start with what holds you back most"), **days)
    if index == 1:
        return say(t._("Days {first}–{last}: widen and try again"), **days)
    return say(t._("Days {first}–{last}: make it stick and measure"), **days)


def status_text(t: Translator, status: str | None) -> str | None:
    """Where a commitment stands, as a phrase (None for a status we do not know)."""
    return {
        "open": t._("taken on, not reported yet"),
        "later": t._("taken on, to be tried soon"),
        "done": t._("done, and it worked"),
        "not_yet": t._("put off twice"),
        "failed": t._("tried, and it did not work"),
    }.get(status or "")


def focus_advice(t: Translator, status: str | None) -> str | None:
    """What a focus obstacle's own commitment, if any, changes in what to do about it."""
    return {
        "open": t._("You have taken on its action already: carry it out."),
        "later": t._("You have taken on its action already: carry it out."),
        "done": t._("Its action worked for you: keep it as a routine."),
        "not_yet": t._("You put its action off: give it a date this month."),
        "failed": t._("Its action did not work last time: try it another way."),
    }.get(status or "")


def step_text(t: Translator, catalog: Catalog, say: Say, step: Step) -> str | None:
    """One step as a sentence; None when what it names is no longer in the content."""
    lang = t.lang
    if step.kind is K.EXPLORE:
        return t._("No obstacle is rated 3 or more: choose one series in /lessons to go deeper.")
    if step.kind is K.REVIEW:
        return t._("Every week, review what you have learned: /review.")
    if step.kind is K.REASSESS:
        return t._("On day 90, take the self-assessment again and compare: /assess.")
    if step.kind is K.SERIES:
        series = catalog.series(lang, step.series_id or "")
        if series is None:
            return None
        return say(
            t._("Follow the series “{title}”: a lesson on each of your days."),
            title=bare(series.series.title),
        )
    found = catalog.lesson(lang, step.lesson_id or "")
    if found is None:
        return None
    title = bare(found[1].title)
    if step.kind is K.FOCUS:
        return say(
            t._("Read “{title}” ({rating}/5) and take on its action."),
            title=title,
            rating=step.rating,
        )
    if step.kind is K.FINISH:
        return say(t._("Carry out what you took on: “{title}”."), title=title)
    if step.kind is K.KEEP:
        return say(t._("It worked: keep “{title}” as a weekly routine."), title=title)
    if step.kind is K.REREAD:
        return say(t._("Re-read “{title}” and try its action another way."), title=title)
    if step.kind is K.RETRY:
        return say(t._("Give a date to what you put off: “{title}”."), title=title)
    return None


def measure_text(t: Translator, catalog: Catalog, say: Say, measure: Measure, day: int) -> str:
    if measure.kind is MeasureKind.RATING:
        found = catalog.lesson(t.lang, measure.lesson_id or "")
        if found is None:
            return ""
        return say(
            t._(
                "Measure: on day {day}, rate “{title}” again: from {current} to {target} or lower."
            ),
            day=day,
            title=bare(found[1].title),
            current=round(measure.current),
            target=round(measure.target),
        )
    if measure.kind is MeasureKind.ASSESSMENT:
        return say(
            t._(
                "Measure: the mean of your strongest obstacles at the re-take, from {current} "
                "to {target} or lower."
            ),
            current=score(t, measure.current),
            target=score(t, measure.target),
        )
    n = round(measure.target)
    return say(
        t.n_(
            "Measure: {n} action carried out and noted by day {day}.",
            "Measure: {n} actions carried out and noted by day {day}.",
            n,
        ),
        day=day,
    )


def _note(t: Translator, say: Say, note: str | None, limit: int | None = None) -> str | None:
    if not note:
        return None
    return say(t._("Your note: {note}"), note=shorten(note, limit) if limit else note)


# The screen ------------------------------------------------------------------------------
def plan_screen(t: Translator, catalog: Catalog, outcome: PlanOutcome) -> Screen:
    """The plan in one message, with the PDF and the strongest obstacles' lessons; without a
    finished self-assessment, a pointer to it."""
    plan = outcome.plan
    if plan is None:
        return no_assessment_screen(t)
    say = _sayer(html=True)
    lines = [
        t._("🗺 <b>Your 90-day plan</b>"),
        t._("From your self-assessment of {date}.",
            date=local_date(t, plan.assessed_at, outcome.tz)),
    ]  # fmt: skip
    rows = []
    if plan.strongest:
        lines += ["", t._("<b>What holds you back most</b>")]
        for number, o in enumerate(plan.strongest, start=1):
            rating = plan.ratings.get(o.lesson.id, 0)
            lines.append(f"{number}. {escape(o.lesson.title)} — {rating}/5")
            label = shorten(t._("📖 {title}", title=o.lesson.title), WIDE_LABEL)
            rows.append([button(label, cb.OpenLesson(o.lesson.id))])
    for index, phase in enumerate(plan.phases):
        lines += ["", f"<b>{phase_title(t, say, index, phase)}</b>"]
        lines += _screen_steps(t, catalog, say, phase.steps)
        measure = measure_text(t, catalog, say, phase.measure, phase.last_day)
        if measure:
            lines.append(f"📏 {measure}")
    lines += ["", t._("The PDF has each lesson’s action in full: print it or share it.")]
    rows.append([button(t._("📄 PDF"), cb.PlanPdf()), *menu_row(t)])
    return Screen("\n".join(lines), markup(rows))


def _screen_steps(t: Translator, catalog: Catalog, say: Say, steps: Sequence[Step]) -> list[str]:
    """A phase's steps, one line each; past the first few commitments, how many more the PDF
    lists (said where they would have been)."""
    lines: list[str] = []
    shown = hidden = 0
    after_commitments = 0
    for step in steps:
        text = step_text(t, catalog, say, step)
        if text is None:
            continue
        extra = focus_advice(t, step.status) if step.kind is K.FOCUS else None
        if step.kind in COMMITMENT_STEPS:
            if shown >= SCREEN_COMMITMENTS:
                hidden += 1
                continue
            shown += 1
            extra = _note(t, say, step.note, SCREEN_NOTE)
        line = f"{STEP_ICONS[step.kind]} {text}"
        lines.append(f"{line} <i>{extra}</i>" if extra else line)
        if step.kind in COMMITMENT_STEPS:
            after_commitments = len(lines)
    if hidden:
        more = t.n_("… and {n} more in the PDF.", "… and {n} more in the PDF.", hidden)
        lines.insert(after_commitments, more)
    return lines


def no_assessment_screen(t: Translator) -> Screen:
    """No finished self-assessment yet: what the plan needs, and the way to it."""
    return Screen(
        "\n".join(
            [
                t._("🗺 <b>Your 90-day plan</b>"),
                t._(
                    "The plan is built from your self-assessment: which obstacles hold your "
                    "company back most. Take it first: about three minutes, then come back "
                    "to /plan."
                ),
            ]
        ),
        markup([[button(t._("📋 Self-assessment"), cb.AssessIntro())], menu_row(t)]),
    )


def pdf_caption(t: Translator) -> str:
    return t._("📄 Your 90-day plan: print it, or share it with your team.")


def pdf_filename(t: Translator) -> str:
    """A file name in the learner's language (Telegram shows it on the document)."""
    return str(t._("cx-90-day-plan.pdf"))


# The PDF ---------------------------------------------------------------------------------
FONT = "DejaVu"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
ACCENT = (13, 110, 153)
RULE = (206, 212, 218)


@cache
def font_files() -> dict[str, Path]:
    """DejaVu Sans (regular, bold, oblique) as matplotlib ships it: Cyrillic included, no
    system font package needed."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {
        "": folder / "DejaVuSans.ttf",
        "B": folder / "DejaVuSans-Bold.ttf",
        "I": folder / "DejaVuSans-Oblique.ttf",
    }


@cache
def _glyphs() -> frozenset[int]:
    """The characters DejaVu Sans draws (the regular face; bold and oblique draw the same)."""
    from fontTools.ttLib import TTFont  # fpdf2's own dependency

    with TTFont(font_files()[""], lazy=True) as font:
        return frozenset(font.getBestCmap())


def drawable(text: str) -> str:
    """``text`` without what the font cannot draw (emoji in a name or a note), which fpdf2
    would leave out anyway, with a warning in the log each time."""
    glyphs = _glyphs()
    return "".join(c for c in text if ord(c) in glyphs or c == "\n")


class _PlanPDF(FPDF):
    """A4 with the credit line and the page number in every footer."""

    credit = "CX Coach"

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, self.credit, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="R")


def plan_pdf(t: Translator, catalog: Catalog, outcome: PlanOutcome, name: str) -> bytes:
    """The plan as an A4 PDF: title, the learner's name and the date, the strongest
    obstacles with their ratings, the three phases with every action in full, the learner's
    commitments with where they stand, and the credit line."""
    plan = outcome.plan
    if plan is None:
        raise ValueError("no plan without a finished self-assessment")
    say = _sayer(html=False)
    pdf = _PlanPDF(format="A4", unit="mm")
    for style, path in font_files().items():
        pdf.add_font(FONT, style, str(path))
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=20)
    title = str(t._("Your 90-day CX plan"))
    pdf.set_title(title)
    pdf.set_author(name or "CX Coach")
    pdf.set_creator("CX Coach")
    pdf.set_lang(t.lang)
    pdf.set_creation_date(outcome.made_at)
    pdf.add_page()
    writer = _Writer(pdf)

    writer.title(title)
    today = local_date(t, outcome.made_at, outcome.tz)
    if name.strip():
        writer.muted(say(t._("Prepared for {name} on {date}"), name=name.strip(), date=today))
    else:
        writer.muted(say(t._("Prepared on {date}"), date=today))
    assessed = local_date(t, plan.assessed_at, outcome.tz)
    writer.muted(say(t._("From your self-assessment of {date}."), date=assessed))

    writer.heading(str(t._("What holds you back most")))
    if plan.strongest:
        for number, o in enumerate(plan.strongest, start=1):
            rating = plan.ratings.get(o.lesson.id, 0)
            writer.item(f"{o.lesson.title} — {rating}/5", bold=True, bullet=f"{number}.")
            writer.detail(f"{o.series.series.title}. {plain(o.lesson.key_idea)}")
    else:
        writer.text(str(t._("No obstacle rated 3 or more: a strong position. Keep it with "
                            "reviews.")))  # fmt: skip

    for index, phase in enumerate(plan.phases):
        writer.heading(phase_title(t, say, index, phase))
        _pdf_steps(t, catalog, say, writer, phase.steps)
        measure = measure_text(t, catalog, say, phase.measure, phase.last_day)
        if measure:
            writer.measure(measure)

    shown = [(c, catalog.lesson(t.lang, c.lesson_id)) for c in plan.commitments]
    listed = [(c, found[1]) for c, found in shown if found and status_text(t, c.status)]
    if listed:
        writer.heading(str(t._("Your commitments")))
        for c, lesson in listed:
            when = local_date(t, c.made_at, outcome.tz)
            writer.item(f"{lesson.title} — {status_text(t, c.status)} ({when})", bullet="•")
    return bytes(pdf.output())


def _pdf_steps(
    t: Translator, catalog: Catalog, say: Say, writer: _Writer, steps: Sequence[Step]
) -> None:
    for step in steps:
        text = step_text(t, catalog, say, step)
        if text is None:
            continue
        writer.item(text, bullet="•")
        found = catalog.lesson(t.lang, step.lesson_id or "") if step.lesson_id else None
        if step.kind is K.FOCUS and found is not None:
            if advice := focus_advice(t, step.status):
                writer.detail(str(advice))
            writer.detail(say(t._("Action: {text}"), text=plain(found[1].action)))
        elif step.kind in COMMITMENT_STEPS and found is not None:
            writer.detail(say(t._("Action: {text}"), text=plain(found[1].action)))
            if note := _note(t, say, step.note):
                writer.detail(note)


class _Writer:
    """The few kinds of line the plan uses, each styled once."""

    def __init__(self, pdf: FPDF) -> None:
        self.pdf = pdf

    def _line(self, text: str, size: float, style: str = "", color=INK, indent: float = 0,
              height: float = 5.2, after: float = 0.8, bullet: str = "") -> None:  # fmt: skip
        """A paragraph; with a ``bullet``, the bullet in the indent and the lines hanging."""
        pdf = self.pdf
        pdf.set_font(FONT, style, size)
        pdf.set_text_color(*color)
        pdf.set_x(pdf.l_margin)
        if bullet:
            pdf.cell(indent, height, bullet)
        else:
            pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(0, height, drawable(text), align="L", new_x=XPos.LMARGIN,
                       new_y=YPos.NEXT)  # fmt: skip
        pdf.ln(after)

    def title(self, text: str) -> None:
        self._line(text, 20, "B", ACCENT, height=9, after=1.5)

    def muted(self, text: str) -> None:
        self._line(text, 10, "", MUTED)

    def heading(self, text: str) -> None:
        pdf = self.pdf
        pdf.ln(4)
        if pdf.will_page_break(22):  # a heading never ends a page alone
            pdf.add_page()
        self._line(text, 13, "B", ACCENT, height=6.5, after=0.5)
        y = pdf.get_y()
        pdf.set_draw_color(*RULE)
        pdf.set_line_width(0.3)
        pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
        pdf.ln(2)

    def text(self, text: str) -> None:
        self._line(text, 10.5)

    def item(self, text: str, bold: bool = False, bullet: str = "") -> None:
        self._line(text, 10.5, "B" if bold else "", indent=5 if bullet else 0, after=0.6,
                   bullet=bullet)  # fmt: skip

    def detail(self, text: str) -> None:
        self._line(text, 9.5, "", MUTED, indent=5, height=4.8, after=0.6)

    def measure(self, text: str) -> None:
        self._line(text, 10, "I", ACCENT, height=5, after=1)

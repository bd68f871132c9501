"""Screens of bonus materials: /bonus (an admin's list, attaching one step by step, deleting)
and a learner's (the invitation to join the channel first, the bonus given, unavailable)."""

from __future__ import annotations

from telegram import InlineKeyboardButton

from bot import callbacks as cb
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Safe, Translator, escape
from bot.render.kit import WIDE_LABEL, Screen, button, label_limit, markup, pager, shorten
from bot.services.bonus import TITLE_LIMIT, Attached, Target
from bot.services.lessons import paginate
from content.model import SeriesContent
from domain.records import Bonus

BONUSES_PER_PAGE = 8
DELETES_PER_ROW = 4  # "🗑 12" fits a quarter of a row


def target_text(t: Translator, target: Target | None) -> str:
    """What a bonus is attached to, as an admin reads it: 📖 a lesson / 📚 a series."""
    if target is None:
        return t._("no longer in the lessons")
    if target.lesson is not None:
        return f"📖 {escape(target.lesson.title)}"
    return f"📚 {escape(target.series.series.title)}"


def language_text(t: Translator, language: str | None) -> str:
    return t._("all languages") if language is None else LANGUAGE_NAMES.get(language, language)


def _about(t: Translator, target: Target | None, language: str | None) -> str:
    """Where a bonus is shown, and to whom: 📖 a lesson · English."""
    return f"{target_text(t, target)} · {language_text(t, language)}"


def bonus_list_screen(
    t: Translator,
    bonuses: list[Attached],
    all_series: tuple[SeriesContent, ...],
    channels: dict[str, str],
    page: int,
    notice: str | None = None,
) -> Screen:
    """/bonus: every bonus (a delete button each, by its number), then the series to attach
    a new one to."""
    shown = paginate(bonuses, page, BONUSES_PER_PAGE)
    lines = [t._("🎁 <b>Bonuses for channel members</b>")]
    if notice:
        lines += ["", escape(notice)]
    lines.append("")
    if not bonuses:
        lines.append(t._("No bonuses yet."))
    for number, item in enumerate(shown.items, start=shown.offset + 1):
        about = _about(t, item.target, item.bonus.language)
        lines.append(f"{number}. <b>{escape(item.bonus.title)}</b>\n    {about}")
    lines += [
        "",
        t._(
            "Learners see a bonus under its lesson (or series) and get it once they are "
            "members of their language’s channel."
        ),
    ]
    if channels:
        listed = ", ".join(
            f"{LANGUAGE_NAMES[lang]} {escape(channels[lang])}"
            for lang in LANGUAGES
            if lang in channels
        )
        lines.append(t._("Channels: {channels}", channels=Safe(listed)))
    else:
        lines.append(
            t._(
                "⚠️ No channel is configured (CXCOACH_CHANNEL or CXCOACH_CHANNELS): learners "
                "see no bonus."
            )
        )
    lines += ["", t._("To attach a new bonus, choose a series:")]
    rows: list[list[InlineKeyboardButton]] = []
    deletes = [
        button(f"🗑 {number}", cb.BonusDelete(item.bonus.id))
        for number, item in enumerate(shown.items, start=shown.offset + 1)
    ]
    for start in range(0, len(deletes), DELETES_PER_ROW):
        rows.append(deletes[start : start + DELETES_PER_ROW])
    rows.append(pager(t, shown, lambda p: cb.BonusList(p)))
    for number, series in enumerate(all_series, start=1):
        label = f"📚 {number}. {series.series.title}"
        if len(label) > WIDE_LABEL:  # the whole short title rather than a cut long one
            label = shorten(f"📚 {number}. {series.series.short_title}", WIDE_LABEL)
        rows.append([button(label, cb.BonusSeries(series.id))])
    return Screen("\n".join(lines), markup(rows))


def bonus_series_screen(t: Translator, series: SeriesContent) -> Screen:
    """The series itself, or one of its lessons."""
    lines = [
        f"🎁 <b>{escape(series.series.title)}</b>",
        "",
        t._("Attach the bonus to the whole series or to one of its lessons:"),
    ]
    rows = [[button(t._("📚 The whole series"), cb.BonusTarget("series", series.id))]]
    for number, lesson in enumerate(series.lessons, start=1):
        label = shorten(f"{number}. {lesson.title}", WIDE_LABEL)
        rows.append([button(label, cb.BonusTarget("lesson", lesson.id))])
    rows.append([button(t._("⬅️ Back"), cb.BonusList(0))])
    return Screen("\n".join(lines), markup(rows))


def bonus_language_screen(t: Translator, target: Target) -> Screen:
    """Which learners get it: one language, or all."""
    lines = [
        t._("🎁 <b>New bonus</b>"),
        target_text(t, target),
        "",
        t._("Learners of which language get it?"),
    ]
    kind, target_id = target.kind, target.target_id
    rows = [
        [
            button(LANGUAGE_NAMES[lang], cb.BonusLanguage(kind, target_id, lang))
            for lang in LANGUAGES
        ],
        [button(t._("🌐 All languages"), cb.BonusLanguage(kind, target_id, None))],
        [button(t._("⬅️ Back"), cb.BonusSeries(target.series.id))],
    ]
    return Screen("\n".join(lines), markup(rows))


def bonus_title_screen(
    t: Translator, target: Target, language: str | None, refused: bool = False
) -> Screen:
    """The title is asked for (typed); again when the one typed was empty or too long."""
    lines = []
    if refused:
        lines += [t._("That title is empty or too long."), ""]
    lines += [
        t._("🎁 <b>New bonus</b>"),
        _about(t, target, language),
        "",
        t._(
            "Type a short title (up to {n} characters): learners see it on the button "
            "“🎁 Bonus: …”.",
            n=TITLE_LIMIT,
        ),
        t._("/cancel to stop."),
    ]
    return Screen("\n".join(lines))


def bonus_material_screen(
    t: Translator, target: Target, language: str | None, title: str
) -> Screen:
    """The title is kept: now the material itself."""
    lines = [
        f"🎁 <b>{escape(title)}</b>",
        _about(t, target, language),
        "",
        t._(
            "Now send the material itself: a file, a photo, a video or a text. I keep your "
            "message as it is and copy it to each member who asks, so please do not delete it."
        ),
        t._("/cancel to stop."),
    ]
    return Screen("\n".join(lines))


def material_refused_screen(t: Translator) -> Screen:
    return Screen(
        t._(
            "This kind of message cannot be kept as a bonus: send a file, a photo, a video or "
            "a text (or /cancel)."
        )
    )


def bonus_saved_screen(t: Translator, saved: Attached) -> Screen:
    lines = [
        t._("✅ Bonus saved: <b>{title}</b>", title=saved.bonus.title),
        _about(t, saved.target, saved.bonus.language),
        "",
        t._("Members of the channel get it from the lesson’s (or series’) screen."),
    ]
    return Screen("\n".join(lines), markup([[button(t._("🎁 All bonuses"), cb.BonusList(0))]]))


def bonus_delete_screen(t: Translator, item: Attached) -> Screen:
    """Asked before deleting."""
    text = "\n".join(
        [
            t._("Delete the bonus <b>{title}</b>?", title=item.bonus.title),
            _about(t, item.target, item.bonus.language),
            "",
            t._("Learners will no longer see it."),
        ]
    )
    rows = [
        [
            button(t._("🗑 Yes, delete"), cb.BonusDelete(item.bonus.id, confirmed=True)),
            button(t._("⬅️ Back"), cb.BonusList(0)),
        ]
    ]
    return Screen(text, markup(rows))


def deleted_notice(t: Translator, deleted: bool) -> str:
    return t._("🗑 The bonus is deleted.") if deleted else t._("That bonus was already deleted.")


# A learner's -------------------------------------------------------------------------------
def bonus_invitation_screen(t: Translator, bonus: Bonus, link: str) -> Screen:
    """Not a member (yet): join the channel first, then check again."""
    text = "\n".join(
        [
            t._("🎁 <b>{title}</b> is a bonus for members of our channel.", title=bonus.title),
            "",
            t._("Join the channel, then press “✅ I’m in the channel” to get it."),
        ]
    )
    join = InlineKeyboardButton(shorten(t._("📢 Join the channel"), label_limit(1)), url=link)
    rows = [[join], [button(t._("✅ I’m in the channel"), cb.GetBonus(bonus.id, joined=True))]]
    return Screen(text, markup(rows))


def bonus_given_screen(t: Translator, bonus: Bonus, joined: bool = False) -> Screen:
    """Said with the material (copied right after)."""
    if joined:
        return Screen(t._("✅ Thank you for joining the channel! Your bonus: <b>{title}</b>.",
                          title=bonus.title))  # fmt: skip
    return Screen(t._("🎁 Your bonus: <b>{title}</b>.", title=bonus.title))


def bonus_unavailable_screen(t: Translator) -> Screen:
    """The membership check (or the copy) failed: never a traceback."""
    return Screen(t._("Sorry, the bonus is unavailable right now. Please try again later."))


def not_joined_toast(t: Translator) -> str:
    return t._("I don’t see you in the channel yet. Join it, then press the button again.")

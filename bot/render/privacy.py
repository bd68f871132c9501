"""The /privacy screen: what the bot stores, who sees what, how to delete it (Telegram asks
every bot for a /privacy command)."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot import callbacks as cb
from bot.i18n import Translator
from bot.render.kit import Screen
from bot.services.teams import MIN_TEAM


def privacy_screen(t: Translator) -> Screen:
    text = "\n".join(
        [
            t._("<b>Privacy</b>"),
            "",
            t._("<b>What I store</b>"),
            t._("• Your Telegram id, first name, language and time zone, and when you first "
                "and last used the bot."),
            t._("• What you do in the bot: lessons opened, quiz and review answers, how useful "
                "you found each lesson, the actions you took on and how they went, "
                "subscriptions and your lesson schedule, self-assessments, the teams you are "
                "in or manage, and which announcements reached you."),
            t._("• Message texts only when I ask for them: what was unclear in a lesson, and "
                "what happened when you tried an action. They are kept as you wrote them "
                "(length-limited) and never sent to anyone else, except that the bot’s admins "
                "read “what was unclear” without your name. Nothing else you type is kept, "
                "and I never see your other chats."),
            "",
            t._("<b>Who sees what</b>"),
            t._("• Your answers, progress and /journal (actions and notes): only you."),
            t.n_("• Teams: the manager sees only team figures — averages per obstacle, the "
                 "share of members done, on track and behind with an assigned series, the "
                 "week’s quiz accuracy and lesson ratings — each only once at least {n} other "
                 "member is behind it; never one person’s answers.",
                 "• Teams: the manager sees only team figures — averages per obstacle, the "
                 "share of members done, on track and behind with an assigned series, the "
                 "week’s quiz accuracy and lesson ratings — each only once at least {n} other "
                 "members are behind it; never one person’s answers.",
                 MIN_TEAM),
            t._("• A team’s co-managers see what its manager sees. Only if you choose to share "
                "your progress with a team (on its screen in /team) do its managers see your "
                "first name, how many lessons you completed and whether you are on track with "
                "an assigned series; you can stop at any time."),
            t._("• The bot’s admins: overall figures, per-lesson figures (usefulness, quiz "
                "accuracy, actions tried), the “what was unclear” texts without names, and a "
                "table of each learner’s progress (Telegram id, language, dates and counts: "
                "lessons, answers, subscriptions). No names, no one person’s answers."),
            "",
            t._("<b>Deleting</b>"),
            t._("/mydata shows everything I store about you, with a button that deletes all "
                "of it at once, for good."),
        ]
    )  # fmt: skip
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t._("➕ More"), callback_data=cb.More().encode()),
                InlineKeyboardButton(t._("🏠 Menu"), callback_data=cb.Menu().encode()),
            ]
        ]
    )
    return Screen(text, keyboard)

"""/settings: delivery time, days, time zone and quiet hours (buttons, or typed by hand)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, learner, pressed, show
from bot.render import screens as main_screens
from bot.render import training as screens
from bot.services import training

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
TYPED = PRIVATE & filters.TEXT & ~filters.COMMAND
MAX_TYPED = 100  # characters of typed input we try to read


def _overview(me: Learner) -> screens.Screen:
    user = me.user
    return screens.settings_screen(
        me.t, training.prefs_of(user, me.lang), user.tz_chosen, user.next_slot_at
    )


async def settings_command(update: Update, context: CxContext) -> None:
    """The delivery settings."""
    me = await learner(update, context)
    if me is not None:
        await show(update, context, _overview(me))


async def settings_button(update: Update, context: CxContext) -> None:
    """set (overview, also cancels typing) and set:<t|d|z|q> (one setting's choices)."""
    if (got := await pressed(update, context, cb.Settings)) is None:
        return
    me, data = got
    await answer_query(update)
    if me.user.awaiting:
        await context.storage.set_awaiting(me.user.id, None)
    prefs = training.prefs_of(me.user, me.lang)
    screen = {
        None: lambda: _overview(me),
        "t": lambda: screens.time_picker(me.t, prefs),
        "d": lambda: screens.days_picker(me.t, prefs),
        "z": lambda: screens.zone_picker(me.t, prefs, me.user.tz_chosen),
        "q": lambda: screens.quiet_picker(me.t, prefs),
    }[data.page]()
    await show(update, context, screen, edit=True)


async def _apply(update: Update, context: CxContext, me: Learner, **prefs: object) -> None:
    user = await training.update_prefs(context.storage, me.user, me.lang, context.now(), **prefs)
    changed = Learner(user, me.lang, me.t, me.is_new)
    await show(update, context, _overview(changed), edit=update.callback_query is not None)


async def choice_button(update: Update, context: CxContext) -> None:
    """st:/sd:/sz:/sq: — a choice from the pickers."""
    data = cb.parse(update.callback_query.data)
    if not isinstance(data, cb.SetTime | cb.SetDays | cb.SetZone | cb.SetQuiet):
        await answer_query(update)
        return
    me = await learner(update, context)
    if me is None:
        await answer_query(update)
        return
    if isinstance(data, cb.SetTime):
        fields: dict[str, object] = {"delivery_time": data.minutes}
    elif isinstance(data, cb.SetDays):
        fields = {"delivery_days": data.mask}
    elif isinstance(data, cb.SetZone):
        zone = training.quick_zone(data.index)
        if zone is None:
            await answer_query(update, me.t._("That button is out of date."))
            return
        fields = {"timezone": zone}
    else:
        fields = {"quiet_start": data.start, "quiet_end": data.end}
    await answer_query(update, me.t._("Saved."))
    if isinstance(data, cb.SetDays):  # stay on the days picker to toggle more
        user = await training.update_prefs(
            context.storage, me.user, me.lang, context.now(), **fields
        )
        prefs = training.prefs_of(user, me.lang)
        await show(update, context, screens.days_picker(me.t, prefs), edit=True)
        return
    await _apply(update, context, me, **fields)


async def ask_button(update: Update, context: CxContext) -> None:
    """ask:<t|z|q> — the next text message is read as that setting."""
    if (got := await pressed(update, context, cb.AskInput)) is None:
        return
    me, data = got
    await answer_query(update)
    await context.storage.set_awaiting(me.user.id, data.what)
    await show(update, context, screens.ask_screen(me.t, data.what), edit=True)


async def typed_input(update: Update, context: CxContext) -> None:
    """Text while a setting is awaited; any other text falls through to the fallback."""
    me = await learner(update, context)
    if me is None:
        return
    if not me.user.awaiting:  # the fallback's hint, without recording the visit twice
        await show(update, context, main_screens.unknown_screen(me.t))
        return
    what = me.user.awaiting
    text = (update.effective_message.text or "")[:MAX_TYPED]
    fields = training.parse_setting(what, text)
    if fields is None:
        await show(update, context, screens.bad_input_screen(me.t, what))
        return
    await context.storage.set_awaiting(me.user.id, None)
    await _apply(update, context, me, **fields)


def register(app: Application) -> None:
    app.add_handler(CommandHandler("settings", settings_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(settings_button, pattern=r"^set(:|$)"))
    app.add_handler(CallbackQueryHandler(choice_button, pattern=r"^(st|sd|sz|sq):"))
    app.add_handler(CallbackQueryHandler(ask_button, pattern=r"^ask:"))
    app.add_handler(MessageHandler(TYPED, typed_input))

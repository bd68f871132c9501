"""/settings: delivery time, days, time zone and quiet hours (buttons, typed, or a location)."""

from __future__ import annotations

from telegram import Update
from telegram.ext import Application, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import PRIVATE, add, on_button, on_command, on_message, on_typed
from bot.render import settings as screens
from bot.services import settings
from bot.services.settings import Refusal, SettingChange

TYPED = PRIVATE & filters.TEXT & ~filters.COMMAND
LOCATION = PRIVATE & filters.LOCATION
MAX_TYPED = 100  # characters of typed input we try to read


def overview(me: Learner, change: SettingChange) -> screens.Screen:
    return screens.settings_screen(
        me.t, change.prefs, change.user.tz_chosen, change.user.next_slot_at, change.now
    )


@on_command("settings")
async def settings_command(update: Update, context: CxContext, me: Learner) -> None:
    """The delivery settings."""
    await show(update, context, overview(me, settings.current(context.env, me.user, me.lang)))


@on_button(cb.Settings)
async def settings_button(
    update: Update, context: CxContext, me: Learner, data: cb.Settings
) -> None:
    """set (overview, also cancels typing) and set:<t|d|z|q> (one setting's choices)."""
    page = await settings.open_page(context.env, me.user, me.lang)
    prefs, t = page.prefs, me.t
    screen = {
        None: lambda: overview(me, page),
        "t": lambda: screens.time_picker(t, prefs),
        "d": lambda: screens.days_picker(t, prefs),
        "z": lambda: screens.zone_picker(t, prefs, me.user.tz_chosen, page.now),
        "q": lambda: screens.quiet_picker(t, prefs),
    }[data.page]()
    await reply(update, context, screen, edit=True)
    if page.zone_awaited:  # the location keyboard goes with the prompt
        await _drop_keyboard(update, context, t._("Time zone unchanged."))


@on_button(cb.SetTime | cb.SetDays | cb.SetQuiet)
async def choice_button(
    update: Update, context: CxContext, me: Learner, data: cb.SetTime | cb.SetDays | cb.SetQuiet
) -> None:
    """st:/sd:/sq: — a choice from the pickers (refused when it cannot be kept)."""
    if isinstance(data, cb.SetTime):
        fields: dict[str, object] = {"delivery_time": data.minutes}
    elif isinstance(data, cb.SetDays):
        fields = {"delivery_days": data.mask}
    else:
        fields = {"quiet_start": data.start, "quiet_end": data.end}
    change = await settings.choose(context.env, me.user, me.lang, **fields)
    if change.refused is Refusal.LAST_DAY:
        await answer_query(update, screens.last_day_refusal(me.t))
    elif change.refused is not None:
        await answer_query(update, _refusal_toast(me, change))
        await show(update, context, _refusal_screen(me, change), edit=True)
    elif isinstance(data, cb.SetDays):  # stay on the days picker to toggle more
        await answer_query(update, me.t._("Saved."))
        await show(update, context, screens.days_picker(me.t, change.prefs), edit=True)
    else:
        await _saved(update, context, me, change)


@on_button(cb.SetZone | cb.SetZoneName)
async def zone_button(
    update: Update, context: CxContext, me: Learner, data: cb.SetZone | cb.SetZoneName
) -> None:
    """sz:<n> / szn:<Area/Place> — a zone from the quick picks or among places of one name."""
    if isinstance(data, cb.SetZone):
        change = await settings.choose_zone(context.env, me.user, me.lang, index=data.index)
    else:
        change = await settings.choose_zone(context.env, me.user, me.lang, name=data.zone)
    if change.refused is not None:
        await answer_query(update, me.t._("That button is out of date."))
        return
    await _saved(update, context, me, change)


async def _saved(update: Update, context: CxContext, me: Learner, change: SettingChange) -> None:
    """A change stored: the overview, in place of the pressed message (a new message for
    typed text). A zone typed or shared when asked for is confirmed first, in a message that
    takes the location keyboard away."""
    t = me.t
    await answer_query(update, t._("Saved."))
    zone = change.asked.get("timezone")
    if change.zone_awaited and isinstance(zone, str):
        await _drop_keyboard(
            update, context, screens.zone_saved_text(t, zone, change.place, change.now)
        )
        await show(update, context, overview(me, change))
        return
    if change.zone_awaited:
        await _drop_keyboard(update, context, t._("Time zone unchanged."))
    await show(update, context, overview(me, change), edit=update.callback_query is not None)


async def _drop_keyboard(update: Update, context: CxContext, text: str) -> None:
    if update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id, text, reply_markup=screens.remove_keyboard()
        )


def _refusal_toast(me: Learner, change: SettingChange) -> str:
    if change.refused is Refusal.IN_QUIET:
        return me.t._("That time is within your quiet hours.")
    return me.t._("Those quiet hours would cover your delivery time.")


def _refusal_screen(me: Learner, change: SettingChange) -> screens.Screen:
    asked = change.asked
    if change.refused is Refusal.IN_QUIET:
        minutes = int(asked["delivery_time"])  # type: ignore[call-overload]
        return screens.time_refused_screen(me.t, change.prefs, minutes, change.nearest or 0)
    start, end = asked["quiet_start"], asked["quiet_end"]
    return screens.quiet_refused_screen(me.t, change.prefs, start or 0, end or 0)  # type: ignore[arg-type]


@on_button(cb.AskInput)
async def ask_button(update: Update, context: CxContext, me: Learner, data: cb.AskInput) -> None:
    """ask:<t|z|q> — the next text message is read as that setting (a zone: or a location)."""
    await settings.ask(context.env, me.user, data.what)
    await reply(update, context, screens.ask_screen(me.t, data.what), edit=True)
    if data.what == "z" and update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            screens.location_request_text(me.t),
            reply_markup=screens.location_keyboard(me.t),
        )


@on_typed("t", "z", "q")
async def typed_input(update: Update, context: CxContext, me: Learner) -> None:
    """Text while a setting is awaited: a time, a zone or a place, quiet hours."""
    what = me.user.awaiting or ""
    text = (update.effective_message.text or "")[:MAX_TYPED]
    if what == "z" and text == screens.send_location_label(me.t):
        # a client that cannot share a location sends the button's text instead
        await show(update, context, screens.bad_input_screen(me.t, "z"))
        return
    change = await settings.typed(context.env, me.user, me.lang, text)
    if change.choices is not None:
        screen = screens.zone_choice_screen(me.t, change.choices, text, change.now)
        await show(update, context, screen)
    elif change.refused is Refusal.UNREADABLE:
        await show(update, context, screens.bad_input_screen(me.t, what))
    elif change.refused is not None:
        await show(update, context, _refusal_screen(me, change))
    else:
        await _saved(update, context, me, change)


@on_message(LOCATION)
async def location_message(update: Update, context: CxContext, me: Learner) -> None:
    """A shared location: its time zone, found offline; asked for or not, nothing is kept but
    the zone (and that only once the learner agrees)."""
    location = update.effective_message.location if update.effective_message else None
    if location is None:
        return
    change = await settings.located(
        context.env, me.user, me.lang, location.latitude, location.longitude
    )
    if change.refused is not None:
        await show(update, context, screens.Screen(screens.location_unknown_text(me.t)))
    elif change.offered is not None:
        await show(update, context, screens.location_offer_screen(me.t, change.offered, change.now))
    else:
        await _saved(update, context, me, change)


def register(app: Application) -> None:
    add(app, settings_command, settings_button, choice_button, zone_button, ask_button, typed_input)
    add(app, location_message)

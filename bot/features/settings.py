"""/settings: delivery time, days, time zone and quiet hours (buttons, typed, or a location)."""

from __future__ import annotations

import asyncio
from datetime import datetime

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks as cb
from bot.context import CxContext
from bot.features import fallback
from bot.features.common import Learner, answer_query, learner, pressed, show
from bot.render import screens as main_screens
from bot.render import training as screens
from bot.services import places, training
from bot.services.schedule import nearest_allowed, quiet_contains

PRIVATE = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
TYPED = PRIVATE & filters.TEXT & ~filters.COMMAND
LOCATION = PRIVATE & filters.LOCATION
MAX_TYPED = 100  # characters of typed input we try to read


def _overview(me: Learner, now: datetime) -> screens.Screen:
    user = me.user
    return screens.settings_screen(
        me.t, training.prefs_of(user, me.lang), user.tz_chosen, user.next_slot_at, now
    )


async def settings_command(update: Update, context: CxContext) -> None:
    """The delivery settings."""
    me = await learner(update, context)
    if me is not None:
        await show(update, context, _overview(me, context.now()))


async def _stop_awaiting(update: Update, context: CxContext, me: Learner) -> None:
    """Forget a pending typed setting; a zone prompt also takes its location keyboard away."""
    if not me.user.awaiting:
        return
    await context.storage.set_awaiting(me.user.id, None)
    if me.user.awaiting == "z" and update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            me.t._("Time zone unchanged."),
            reply_markup=screens.remove_keyboard(),
        )


async def settings_button(update: Update, context: CxContext) -> None:
    """set (overview, also cancels typing) and set:<t|d|z|q> (one setting's choices)."""
    if (got := await pressed(update, context, cb.Settings)) is None:
        return
    me, data = got
    await answer_query(update)
    prefs = training.prefs_of(me.user, me.lang)
    now = context.now()
    screen = {
        None: lambda: _overview(me, now),
        "t": lambda: screens.time_picker(me.t, prefs),
        "d": lambda: screens.days_picker(me.t, prefs),
        "z": lambda: screens.zone_picker(me.t, prefs, me.user.tz_chosen, now),
        "q": lambda: screens.quiet_picker(me.t, prefs),
    }[data.page]()
    await show(update, context, screen, edit=True)
    await _stop_awaiting(update, context, me)


async def _apply(update: Update, context: CxContext, me: Learner, **prefs: object) -> Learner:
    user = await training.update_prefs(context.storage, me.user, me.lang, context.now(), **prefs)
    changed = Learner(user, me.lang, me.t, me.is_new)
    await show(
        update, context, _overview(changed, context.now()), edit=update.callback_query is not None
    )
    return changed


async def _zone_chosen(
    update: Update, context: CxContext, me: Learner, zone: str, place: str | None
) -> None:
    """Store a zone found from typed text or a location: confirm it, then the overview."""
    now = context.now()
    if me.user.awaiting:
        await context.storage.set_awaiting(me.user.id, None)
    user = await training.update_prefs(context.storage, me.user, me.lang, now, timezone=zone)
    chat = update.effective_chat
    if chat is not None:  # the confirmation also takes the location keyboard away
        await context.bot.send_message(
            chat.id,
            screens.zone_saved_text(me.t, zone, place, now),
            reply_markup=screens.remove_keyboard(),
        )
    await show(update, context, _overview(Learner(user, me.lang, me.t, me.is_new), now))


async def choice_button(update: Update, context: CxContext) -> None:
    """st:/sd:/sz:/szn:/sq: — a choice from the pickers (refused when it cannot be kept)."""
    data = cb.parse(update.callback_query.data)
    if not isinstance(data, cb.SetTime | cb.SetDays | cb.SetZone | cb.SetZoneName | cb.SetQuiet):
        await answer_query(update)
        return
    me = await learner(update, context)
    if me is None:
        await answer_query(update)
        return
    t, prefs = me.t, training.prefs_of(me.user, me.lang)
    if isinstance(data, cb.SetTime):
        if prefs.in_quiet(data.minutes):
            await answer_query(update, t._("That time is within your quiet hours."))
            nearest = nearest_allowed(prefs, data.minutes)
            screen = screens.time_refused_screen(t, prefs, data.minutes, nearest)
            await show(update, context, screen, edit=True)
            return
        fields: dict[str, object] = {"delivery_time": data.minutes}
    elif isinstance(data, cb.SetDays):
        if data.mask == prefs.days and data.mask.bit_count() == 1:
            await answer_query(update, screens.last_day_refusal(t))
            return
        fields = {"delivery_days": data.mask}
    elif isinstance(data, cb.SetZone | cb.SetZoneName):
        zone = (
            training.quick_zone(data.index)
            if isinstance(data, cb.SetZone)
            else await asyncio.to_thread(_known_zone, data.zone)  # may build the index
        )
        if zone is None:
            await answer_query(update, t._("That button is out of date."))
            return
        if me.user.awaiting == "z":  # chosen among typed places: confirm, drop the keyboard
            await answer_query(update, t._("Saved."))
            await _zone_chosen(update, context, me, zone, None)
            return
        fields = {"timezone": zone}
    else:
        if data.start is not None and quiet_contains(data.start, data.end, prefs.time):
            await answer_query(update, t._("Those quiet hours would cover your delivery time."))
            screen = screens.quiet_refused_screen(t, prefs, data.start, data.end or 0)
            await show(update, context, screen, edit=True)
            return
        fields = {"quiet_start": data.start, "quiet_end": data.end}
    await answer_query(update, t._("Saved."))
    if isinstance(data, cb.SetDays):  # stay on the days picker to toggle more
        user = await training.update_prefs(
            context.storage, me.user, me.lang, context.now(), **fields
        )
        prefs = training.prefs_of(user, me.lang)
        await show(update, context, screens.days_picker(t, prefs), edit=True)
        return
    await _apply(update, context, me, **fields)


def _known_zone(name: str) -> str | None:
    found = places.find(name).found
    return found.zone if found is not None and found.name is None else None


async def ask_button(update: Update, context: CxContext) -> None:
    """ask:<t|z|q> — the next text message is read as that setting (a zone: or a location)."""
    if (got := await pressed(update, context, cb.AskInput)) is None:
        return
    me, data = got
    await answer_query(update)
    await context.storage.set_awaiting(me.user.id, data.what)
    await show(update, context, screens.ask_screen(me.t, data.what), edit=True)
    if data.what == "z" and update.effective_chat is not None:
        await context.bot.send_message(
            update.effective_chat.id,
            screens.location_request_text(me.t),
            reply_markup=screens.location_keyboard(me.t),
        )


async def typed_input(update: Update, context: CxContext) -> None:
    """Text while a setting is awaited; any other text falls through to the fallback."""
    me = await learner(update, context)
    if me is None:
        return
    if not me.user.awaiting:  # the fallback's hint, without recording the visit twice
        await fallback.reply_to_text(update, context, me)  # did-you-mean, a quiz waiting...
        return
    what = me.user.awaiting
    text = (update.effective_message.text or "")[:MAX_TYPED]
    if what == "z" and text == screens.send_location_label(me.t):
        # a client that cannot share a location sends the button's text instead
        await show(update, context, screens.bad_input_screen(me.t, "z"))
        return
    if what == "z":
        await _typed_zone(update, context, me, text)
        return
    fields = training.parse_setting(what, text)
    if fields is None:
        await show(update, context, screens.bad_input_screen(me.t, what))
        return
    prefs = training.prefs_of(me.user, me.lang)
    minutes = fields.get("delivery_time")
    if isinstance(minutes, int) and prefs.in_quiet(minutes):
        nearest = nearest_allowed(prefs, minutes)
        await show(update, context, screens.time_refused_screen(me.t, prefs, minutes, nearest))
        return
    start, end = fields.get("quiet_start"), fields.get("quiet_end")
    if isinstance(start, int) and isinstance(end, int) and quiet_contains(start, end, prefs.time):
        await show(update, context, screens.quiet_refused_screen(me.t, prefs, start, end))
        return
    await context.storage.set_awaiting(me.user.id, None)
    await _apply(update, context, me, **fields)


async def _typed_zone(update: Update, context: CxContext, me: Learner, text: str) -> None:
    # The first lookup builds the places index (about a second): off the event loop.
    lookup = await asyncio.to_thread(places.find, text)
    if (found := lookup.found) is not None:
        await _zone_chosen(update, context, me, found.zone, found.name)
    elif lookup.places:
        screen = screens.zone_choice_screen(me.t, lookup, text, context.now())
        await show(update, context, screen)
    else:
        await show(update, context, screens.bad_input_screen(me.t, "z"))


async def location_message(update: Update, context: CxContext) -> None:
    """A shared location: its time zone, found offline; asked for or not, nothing is kept but
    the zone (and that only once the learner agrees)."""
    me = await learner(update, context)
    location = update.effective_message.location if update.effective_message else None
    if me is None or location is None:
        return
    zone = await asyncio.to_thread(places.zone_at, location.latitude, location.longitude)
    if zone is None:
        await show(update, context, main_screens.Screen(screens.location_unknown_text(me.t)))
    elif me.user.awaiting == "z":
        await _zone_chosen(update, context, me, zone, None)
    else:
        await show(update, context, screens.location_offer_screen(me.t, zone, context.now()))


def register(app: Application) -> None:
    app.add_handler(CommandHandler("settings", settings_command, filters=PRIVATE))
    app.add_handler(CallbackQueryHandler(settings_button, pattern=r"^set(:|$)"))
    app.add_handler(CallbackQueryHandler(choice_button, pattern=r"^(st|sd|sz|szn|sq):"))
    app.add_handler(CallbackQueryHandler(ask_button, pattern=r"^ask:"))
    app.add_handler(MessageHandler(TYPED, typed_input))
    app.add_handler(MessageHandler(LOCATION, location_message))

"""Certificates: the button after a finished series (the name to print, then a PNG and a
PDF), /certificates, and /verify <code> for anyone (the deep link v_<code> is /start's)."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, reply, show
from bot.features.handlers import add, on_button, on_command, on_typed
from bot.render import certificates as screens
from bot.services import certificates
from bot.services.certificates import AWAIT_NAME, Issued


def _first_name(update: Update) -> str:
    return update.effective_user.first_name if update.effective_user else ""


async def _send(update: Update, context: CxContext, me: Learner, issued: Issued) -> None:
    """The certificate's PNG and PDF (drawn off the event loop), then what to do next."""
    username = context.bot.username
    png, pdf = await asyncio.gather(
        asyncio.to_thread(screens.certificate_png, me.t, issued, username),
        asyncio.to_thread(screens.certificate_pdf, me.t, issued, username),
    )
    stem = screens.file_stem(me.t, issued)
    caption = screens.file_caption(me.t, issued)
    await context.bot.send_document(me.user.id, png, filename=f"{stem}.png", caption=caption)
    await context.bot.send_document(me.user.id, pdf, filename=f"{stem}.pdf")
    await show(update, context, screens.issued_screen(me.t, issued, username))


@on_button(cb.CertGet)
async def get_button(update: Update, context: CxContext, me: Learner, data: cb.CertGet) -> None:
    """ctg:<series> — the certificate again, or the name to print on a new one."""
    request = await certificates.request(context.env, me.user, me.lang, data.series_id)
    await answer_query(update)
    if request.issued is not None:
        await _send(update, context, me, request.issued)
        return
    await show(update, context, screens.request_screen(me.t, request, _first_name(update)))


@on_button(cb.CertRename)
async def rename_button(
    update: Update, context: CxContext, me: Learner, data: cb.CertRename
) -> None:
    """ctr:<series> — ask for a new name (the code stays)."""
    request = await certificates.ask_rename(context.env, me.user, me.lang, data.series_id)
    await answer_query(update)
    await show(update, context, screens.request_screen(me.t, request, _first_name(update)))


@on_button(cb.CertFirstName)
async def first_name_button(
    update: Update, context: CxContext, me: Learner, data: cb.CertFirstName
) -> None:
    """ctn:<series> — print the Telegram first name."""
    named = await certificates.choose_name(
        context.env, me.user, me.lang, data.series_id, _first_name(update)
    )
    await answer_query(update)
    if named.issued is None:
        await show(update, context, screens.invalid_name_screen(me.t))
        return
    await _send(update, context, me, named.issued)


@on_typed(AWAIT_NAME)
async def name_text(update: Update, context: CxContext, me: Learner) -> None:
    """The name to print, typed."""
    text = update.effective_message.text if update.effective_message else ""
    named = await certificates.name_typed(context.env, me.user, me.lang, text or "")
    if named.gone:
        await show(update, context, screens.name_gone_screen(me.t))
    elif named.issued is None:
        await show(update, context, screens.invalid_name_screen(me.t))
    else:
        await _send(update, context, me, named.issued)


@on_command("certificates")
async def certificates_command(update: Update, context: CxContext, me: Learner) -> None:
    """/certificates: the learner's certificates, each with its files on a button."""
    issued = await certificates.mine(context.env, me.user, me.lang)
    await show(update, context, screens.certificates_screen(me.t, issued))


@on_button(cb.CertList)
async def list_button(update: Update, context: CxContext, me: Learner, _: cb.CertList) -> None:
    """cts — /certificates as a new message."""
    issued = await certificates.mine(context.env, me.user, me.lang)
    await reply(update, context, screens.certificates_screen(me.t, issued))


@on_command("verify")
async def verify_command(update: Update, context: CxContext, me: Learner) -> None:
    """/verify <code> (anyone): name, series and date, or no such certificate."""
    code = "".join(context.args or [])
    if not code:
        await show(update, context, screens.verify_usage_screen(me.t))
        return
    verification = await certificates.verify(context.env, me.user, me.lang, code)
    await show(update, context, screens.verification_screen(me.t, verification))


def register(app: Application) -> None:
    add(app, get_button, rename_button, first_name_button, name_text, certificates_command,
        list_button, verify_command)  # fmt: skip

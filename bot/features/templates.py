"""/templates: practical templates (journey map, internal customer agreement, communication
plan, business case) as editable XLSX and DOCX files in the learner's language."""

from __future__ import annotations

import asyncio

from telegram import Update
from telegram.ext import Application

from bot import callbacks as cb
from bot.context import CxContext
from bot.features.common import Learner, answer_query, show
from bot.features.handlers import add, on_button, on_command
from bot.render import templates as screens
from bot.services import templates


@on_command("templates")
async def templates_command(update: Update, context: CxContext, me: Learner) -> None:
    """/templates: the list, a button for each file."""
    entries = await templates.list_templates(context.env, me.user, me.lang)
    await show(update, context, screens.templates_screen(me.t, entries))


@on_button(cb.TemplateFile)
async def template_button(
    update: Update, context: CxContext, me: Learner, data: cb.TemplateFile
) -> None:
    """tpl:<id> — the template's file in the learner's language, with a caption; a forged
    or retired id gets the "no longer available" toast and the menu (Gone("template"))."""
    template = await templates.get_template(context.env, me.user, me.lang, data.template_id)
    await answer_query(update)
    filename, content = await asyncio.to_thread(screens.template_file, template, me.lang)
    await context.bot.send_document(
        me.user.id,
        content,
        filename=filename,
        caption=screens.template_caption(template, me.lang),
    )


def register(app: Application) -> None:
    templates.available()  # load and check the template files now: a bad one stops start-up
    add(app, templates_command, template_button)

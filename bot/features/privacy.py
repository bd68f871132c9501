"""/privacy (and the ➕ More screen's 🔒 Privacy button): what is stored and who sees it."""

from __future__ import annotations

from telegram.ext import Application

from bot import callbacks as cb
from bot.features.handlers import add, screen_button, screen_command
from bot.render.privacy import privacy_screen

privacy_command = screen_command("privacy", privacy_screen)  # /privacy, in the learner's language
privacy_button = screen_button(cb.Privacy, privacy_screen)  # the same, in place of ➕ More


def register(app: Application) -> None:
    add(app, privacy_command, privacy_button)

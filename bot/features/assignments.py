"""(issue 18: being built)"""

from __future__ import annotations

from telegram.ext import Application


def register(app: Application) -> None:
    return None

"""Typed text no feature took: the command meant, and commands for other bots."""

from __future__ import annotations

from bot.services import fallback


def test_did_you_mean_a_command():
    known = ("lessons", "progress", "review", "subscriptions", "settings", "assess", "team",
             "mydata", "language", "help", "start", "menu")  # fmt: skip
    suggest = fallback.suggest_command
    assert suggest("lesson", known) == "lessons"
    assert suggest("setings", known) == "settings"
    assert suggest("reveiw", known) == "review"
    assert suggest("ыуеештпы", known) == "settings"  # the Russian keyboard layout
    assert suggest("дфтпгфпу", known) == "language"
    assert suggest("іуеештпі", known) == "settings"  # the Ukrainian one (і for s)
    assert suggest("старт", known) == "start"  # a Cyrillic name
    assert suggest("помошь", known) == "help"  # a misspelt one
    assert suggest("subs", known) == "subscriptions"  # a unique beginning
    assert suggest("foobar", known) is None
    assert suggest("stats", known, hidden={"stats"}) is None  # admins' commands stay hidden
    assert fallback.command_word("/Lesson@cx_bot tomorrow") == "lesson"
    assert fallback.command_word("hello") is None and fallback.command_word("/") is None


def test_a_command_for_another_bot_is_not_ours():
    assert fallback.addressed_elsewhere("/start@other_bot", "cx_bot")
    assert fallback.addressed_elsewhere("/lessons@Someone_Else_bot now", "cx_bot")
    assert not fallback.addressed_elsewhere("/start@CX_Bot", "cx_bot")  # ours, any case
    assert not fallback.addressed_elsewhere("/start", "cx_bot")
    assert not fallback.addressed_elsewhere("write to me@home", "cx_bot")
    assert not fallback.addressed_elsewhere("/", "cx_bot")

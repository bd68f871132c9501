"""Taking the self-assessment as a learner: starting, rating until done."""

from __future__ import annotations

import re

from bot.app import load_catalog
from bot.services.assessment import obstacles
from tests.e2e.steps import live

ITEMS = obstacles(load_catalog(), "en")


TOTAL = len(ITEMS)


ALL_RATED = ("All obstacles rated", "Все препятствия оценены", "Усі перешкоди оцінено")


def rating_data(message) -> tuple[int, int]:
    """(assessment id, obstacle index) of an obstacle screen."""
    data = next(d for _, d in message.buttons if d.startswith("as:"))
    _, aid, index, _ = data.split(":")
    return int(aid), int(index)


async def rate_until_done(user, question, rate) -> tuple:
    """Press ratings until the result arrives; returns (chart message, result message)."""
    while True:
        aid, index = rating_data(question)
        await user.press_raw(question, f"as:{aid}:{index}:{rate(index)}")
        edit = await user.next_edit()
        if any(done in edit.text for done in ALL_RATED):
            return await user.next_message(), await user.next_message()
        question = live(user, question)


async def start_assessment(harness, user, button: str = "▶️ Start"):
    """/assess: one message (the intro); its Start turns it into the first obstacle."""
    await user.send("/assess")
    intro = await user.next_message()
    await harness.settle()
    user.assert_no_event()  # not the intro and obstacle 1 at once
    await user.press(intro, button)
    return await user.next_edit()


async def greeted(harness, user_id: int, name: str = "Olena", language: str = "en"):
    user = harness.user(user_id, name, language=language)
    await user.send("/start")
    await user.next_message()
    return user


def strong_first_three(index: int) -> int:
    return 5 if index < 3 else 2


async def team_of(manager, name: str) -> tuple[str, object]:
    await manager.send(f"/team new {name}")
    created = await manager.next_message()
    return re.search(r"start=(t_[a-z0-9]{10})", created.text).group(1), created

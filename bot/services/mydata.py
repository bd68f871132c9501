"""/mydata: everything stored about a learner, and deleting it."""

from __future__ import annotations

from dataclasses import dataclass

from bot.services.env import Env
from bot.services.schedule import Prefs, prefs_of
from domain.records import User


@dataclass(frozen=True)
class MyData:
    data: dict[str, object]  # what storage holds, by kind (profile, counts, dates)
    prefs: Prefs  # the zone as /settings shows it
    tz_chosen: bool


async def my_data(env: Env, user: User, lang: str) -> MyData:
    """What is stored about the learner."""
    data = await env.storage.personal_data(user.id)
    return MyData(data, prefs_of(user, lang), user.tz_chosen)


async def delete(env: Env, user: User) -> bool:
    """Delete everything stored about the learner (their teams, assessments, answers...)."""
    return await env.storage.delete_personal_data(user.id)

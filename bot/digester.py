"""Sends the managers' weekly digests when they are due (see :mod:`bot.services.digest`).

A JobQueue tick (``DigestRunner.tick``, every ``CXCOACH_TICK_SECONDS``) starts a run when
none is going; a run takes each due digest (moved on to next week first: at most once) and
sends it through the shared :class:`~bot.sender.Sender` as bulk, after replies to learners.
"""

from __future__ import annotations

import logging

from bot.background import SingleRun
from bot.i18n import translator
from bot.render.digest import digest_screen
from bot.sender import Sender, SendStatus
from bot.services import digest
from bot.services.env import Env

log = logging.getLogger(__name__)


class DigestRunner(SingleRun):
    task_name = "digests"

    def __init__(self, env: Env, sender: Sender) -> None:
        self.env, self.sender = env, sender
        self.sent = 0
        super().__init__()

    async def run_once(self) -> int:
        sent = 0
        try:
            while not self._stopping:
                managers = await digest.due(self.env)
                if not managers:
                    break
                for manager in managers:
                    taken = await digest.take(self.env, manager)
                    if taken is None:
                        continue
                    screen = digest_screen(translator(taken.lang), taken)
                    result = await self.sender.send_message(
                        manager.id, screen.text, reply_markup=screen.keyboard, path="digest"
                    )
                    if result.status is SendStatus.SENT:
                        sent += 1
                    else:
                        log.warning("the weekly digest to %s was not sent: %s", manager.id,
                                    result.status.value)  # fmt: skip
        except Exception:
            log.exception("the weekly digests stopped by an error; the next tick resumes")
        self.sent += sent
        return sent

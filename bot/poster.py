"""Posts the channel's planned posts at their time: once each, across restarts and replicas.

A JobQueue tick (``ChannelPoster.tick``, every ``CXCOACH_TICK_SECONDS``) starts a run when
none is going. A run claims the due planned posts (a lease: ``owner``, ``claimed_at``; on
PostgreSQL ``FOR UPDATE SKIP LOCKED``, so two replicas never take the same post) and posts
them one by one through the shared :class:`~bot.sender.Sender` (paced as bulk, after the
replies to learners). Each post is written ``sending`` just before its request goes on the
wire (:func:`bot.transport.before_write`), and only while it is still this process's, still
planned and due: a post moved or cancelled meanwhile is not sent. Then its outcome is stored:
``sent`` with the message id (and the poll's id: its votes come later as ``poll`` updates),
or ``failed`` with Telegram's refusal — reported to the admin who planned it and never
retried on its own. A post found ``sending`` by a process that died (at a SQLite start-up:
all of them; between replicas: once the lease has expired) becomes ``unconfirmed``: it may be
in the channel, so it is not posted again; its admin is told and may post it again by hand.

Quiz polls are left open: Telegram closes a poll only after ``open_period``/``close_date``
(at most 600 seconds) or on ``stopPoll``, and a channel's readers come over hours and days;
every vote brings a ``poll`` update with the counts, so nothing is lost by leaving it open.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import timedelta

from telegram import InputPollOption, Message, MessageId, Poll
from telegram.ext import ExtBot

from bot.background import SingleRun
from bot.i18n import Translator, translator
from bot.render.channel import (
    digest_post,
    failed_report_screen,
    post_link,
    quiz_poll,
    teaser_post,
    unconfirmed_report_screen,
)
from bot.sender import Sender, SendStatus
from bot.services import channel
from bot.services.channel import CONTENT_GONE, STOPPED, PostContent, PostKind, chat_of
from bot.services.env import Env, Gone
from domain.records import ChannelPost

log = logging.getLogger(__name__)

CLAIM = 10  # posts claimed at a time


async def publish(
    bot: ExtBot, chat_id: int | str, content: PostContent, t: Translator
) -> Message | MessageId:
    """Send a post to ``chat_id`` — the channel, or an admin's chat for the preview — exactly
    as it will look: the same text, poll and button."""
    link = post_link(bot.username, content.payload)
    if content.kind is PostKind.FREE:
        assert content.source_chat_id is not None and content.source_message_id is not None
        return await bot.copy_message(chat_id, content.source_chat_id, content.source_message_id)
    if content.kind is PostKind.QUIZ:
        assert content.question is not None
        poll = quiz_poll(t, content.question, link)
        return await bot.send_poll(
            chat_id,
            poll.question,
            [InputPollOption(option, text_parse_mode=None) for option in poll.options],
            is_anonymous=True,  # a channel takes anonymous polls only
            type=Poll.QUIZ,
            correct_option_ids=[poll.correct],
            explanation=poll.explanation,
            explanation_parse_mode=None,  # the content's questions are plain text
            question_parse_mode=None,
            shuffle_options=True,  # each voter sees the options in their own order
            reply_markup=poll.keyboard,
        )
    if content.kind is PostKind.DIGEST:
        assert content.series is not None
        screen = digest_post(t, content.series, link)
    else:
        assert content.lesson is not None and content.series is not None
        screen = teaser_post(t, content.lesson, content.series, link)
    return await bot.send_message(chat_id, screen.text, reply_markup=screen.keyboard)


class ChannelPoster(SingleRun):
    task_name = "channel-posts"

    def __init__(
        self,
        bot: ExtBot,
        env: Env,
        sender: Sender,
        *,
        lease: timedelta = timedelta(minutes=2),
    ) -> None:
        self.bot, self.env, self.sender, self.lease = bot, env, sender, lease
        self.storage, self.clock = env.storage, env.clock
        # one SQLite process knows that a post left "sending" is a dead process's; replicas
        # on PostgreSQL wait for the lease to expire
        self.single_process = not env.settings.uses_postgres
        self.owner = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self._recovered = False
        super().__init__()

    async def run_once(self) -> int:
        try:
            return await self._run()
        except Exception:
            log.exception("channel posting stopped by an error; the next tick resumes it")
            return 0

    async def _run(self) -> int:
        """Post everything due now; how many were posted."""
        await self._unconfirm()
        posted, seen = 0, set()
        try:
            while not self._stopping:
                now = self.clock()
                stale = now if self.single_process else now - self.lease
                claimed = await self.storage.claim_channel_posts(self.owner, now, stale, CLAIM)
                fresh = [post for post in claimed if post.id not in seen]
                if not fresh:
                    break
                for post in fresh:
                    if self._stopping:
                        break
                    seen.add(post.id)
                    posted += await self._post(post)
        finally:
            await self.storage.release_channel_posts(self.owner)  # claimed, not sent
        return posted

    async def _unconfirm(self) -> None:
        """Posts a dead process left "sending" become "unconfirmed" (never resent); their
        admins are told."""
        now = self.clock()
        first = self.single_process and not self._recovered
        doubtful = await self.storage.unconfirm_channel_posts(
            None if first else now - self.lease, STOPPED
        )
        self._recovered = True
        for post in doubtful:
            log.warning(
                "channel post %s was being sent when a process stopped: not resent", post.id
            )
            await self._report(post)

    async def _post(self, post: ChannelPost) -> int:
        """Post one claimed post; 1 if it went out."""
        try:
            content = await channel.content_of(self.env, post)
        except Gone as gone:
            log.error("channel post %s cannot be made: its %s is gone", post.id, gone.what)
            if await self.storage.fail_channel_post(post.id, self.owner, CONTENT_GONE):
                await self._report(post)
            return 0
        chat = chat_of(post.channel)
        t = translator(post.language)
        made: list[Message | MessageId] = []

        async def send() -> Message | MessageId:
            result = await publish(self.bot, chat, content, t)
            made.append(result)
            return result

        result = await self.sender.call(
            chat,
            send,
            # written ahead, when the request holds a connection; False: moved, cancelled
            # or taken over meanwhile, and it is not sent
            on_dispatch=lambda: self.storage.mark_channel_post_sending(
                post.id, self.owner, self.clock()
            ),
            path="channel",
        )
        if result.status is SendStatus.SKIPPED:
            return 0
        now = self.clock()
        if result.ok:
            message = made[-1] if made else None
            poll = getattr(message, "poll", None)
            await self.storage.finish_channel_post(
                post.id,
                "sent",
                now,
                message_id=getattr(message, "message_id", None),
                poll_id=poll.id if poll is not None else None,
            )
            log.info("channel post %s is in %s", post.id, post.channel)
            return 1
        # a timeout after the request went out may have posted it: in doubt, never resent
        doubt = (result.error or "").startswith("timed out")
        status = "unconfirmed" if doubt else "failed"
        log.error("channel post %s %s: %s", post.id, status, result.error)
        await self.storage.finish_channel_post(post.id, status, now, error=result.error)
        await self._report(post)
        return 0

    async def _report(self, post: ChannelPost) -> None:
        """Tell the admin who planned the post that it failed, or may not have gone out."""
        current = await self.storage.channel_post(post.id) or post
        report = await channel.report_of(self.env, current)
        t = translator(report.lang)
        make = failed_report_screen if current.status == "failed" else unconfirmed_report_screen
        screen = make(t, report.view, report.tz)
        await self.sender.send_message(
            report.admin_id, screen.text, reply_markup=screen.keyboard, path="channel"
        )

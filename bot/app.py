"""build_application(): the one place that wires the bot — handlers, defaults, start-up.

Handler order matters: features first, then ``fallback`` (which catches whatever no feature
claimed), each in its own group-0 slot in the order below.
"""

from __future__ import annotations

import logging
import math
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from telegram import LinkPreviewOptions, MenuButtonWebApp, WebAppInfo
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults

from bot.broadcaster import BroadcastRunner
from bot.commands import commands_for
from bot.config import Settings
from bot.context import BotData, CxContext
from bot.delivery import DeliveryEngine
from bot.digester import DigestRunner
from bot.features import (
    assessment,
    assignments,
    attribution,
    bonus,
    broadcast,
    certificates,
    channel,
    commitments,
    dashboard,
    digest,
    errors,
    fallback,
    feedback,
    joins,
    journal,
    lessons,
    lift,
    membership,
    mydata,
    plan,
    privacy,
    progress,
    quiz,
    review,
    start,
    stats,
    subscriptions,
    teams,
    templates,
)
from bot.features import settings as settings_feature
from bot.i18n import LANGUAGES, translator
from bot.metrics import HealthServer, Metrics
from bot.poster import ChannelPoster
from bot.ratelimit import ReplyFirstRateLimiter
from bot.render.dashboard import dashboard_label
from bot.sender import Sender
from bot.services.broadcast import forget_stale_drafts
from bot.services.env import Env
from bot.transport import make_request
from bot.updates import PerChatUpdateProcessor
from bot.web.dashboard import DashboardServer
from content.check import check
from content.model import Catalog
from storage.sqlite import SQLiteStorage
from storage.store import Storage

log = logging.getLogger(__name__)

FEATURES = (
    broadcast,  # its draft-message handler runs first (group -1), for admins only
    stats,
    channel,
    attribution,
    start,
    lessons,
    quiz,
    feedback,
    commitments,
    journal,
    progress,
    subscriptions,
    review,
    assessment,
    plan,  # /plan: from the latest self-assessment
    lift,
    teams,
    assignments,
    digest,
    certificates,
    dashboard,  # /dashboard: the Mini App
    templates,
    bonus,
    joins,
    mydata,
    privacy,
    membership,
    settings_feature,
    fallback,  # text no feature took; typed input the bot asked for goes to its feature
    errors,
)


def question_counts(catalog: Catalog) -> dict[str, int]:
    """Lesson id -> its number of quiz questions (the fewest in any language: the content
    check keeps them equal)."""
    counts: dict[str, int] = {}
    for lang in catalog.languages:
        for series in catalog.series_list(lang):
            for lesson in series.lessons:
                counts[lesson.id] = min(counts.get(lesson.id, len(lesson.quiz)), len(lesson.quiz))
    return counts


def pool_size(bulk_rate: float) -> int:
    """Bot API connections per process: 8 for replies to learners, plus what paced sends at
    ``bulk_rate`` keep busy (a Bot API call takes up to ~100 ms). A send is written ahead
    ("sending") only once it holds a connection, so a hard kill leaves at most this many
    sends in doubt — in practice the few on the wire at that instant."""
    return 8 + math.ceil(max(bulk_rate, 0) / 10)


# chat_member, chat_join_request and message_reaction_count come only when asked for (and
# the bot is an admin of the channel); poll: the state of the bot's own channel quiz polls
ALLOWED_UPDATES = [
    "message",
    "edited_message",
    "callback_query",
    "my_chat_member",
    "poll_answer",
    "poll",
    "chat_member",
    "chat_join_request",
    "message_reaction_count",
]


class ContentError(Exception):
    """The lesson files are invalid; the message lists every problem, one per line."""


def load_catalog(root: Path | None = None) -> Catalog:
    """Load and check the content; refuse to continue on any problem."""
    result, problems = check(root, quiz_guard=False)
    if problems:
        lines = "\n".join(str(p) for p in problems)
        raise ContentError(f"content is invalid ({len(problems)} problem(s)):\n{lines}")
    return result.catalog


def open_storage(settings: Settings) -> Storage:
    """The backend named by CXCOACH_DATABASE: a postgresql:// URL, else a SQLite file."""
    if settings.uses_postgres:
        from storage.postgres import PostgresStorage  # asyncpg only when it is used

        return PostgresStorage(settings.database)
    return SQLiteStorage(settings.database)


def build_application(env: Env, *, request_timeout: float = 10.0) -> Application:
    """The PTB Application with every handler registered; storage is opened in post_init."""
    settings = env.settings
    if not settings.token:
        raise ValueError("a bot token is needed to build the application")
    client = settings.http_client
    metrics = Metrics()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .base_url(f"{settings.bot_api_url}/bot")
        .base_file_url(f"{settings.bot_api_url}/file/bot")
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
            )
        )
        .context_types(ContextTypes(context=CxContext, bot_data=BotData))
        .concurrent_updates(PerChatUpdateProcessor(256, metrics))
        .request(
            make_request(
                client,
                pool_size=pool_size(settings.bulk_rate),
                timeout=request_timeout,
                for_updates=False,
            )
        )
        .get_updates_request(
            make_request(client, pool_size=1, timeout=request_timeout, for_updates=True)
        )
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.rate_limit > 0:
        builder = builder.rate_limiter(ReplyFirstRateLimiter(settings.rate_limit))
    app = builder.build()
    app.bot_data.env = env
    for feature in FEATURES:
        feature.register(app)
    sender = Sender(app.bot, env.storage, env.clock, rate=settings.bulk_rate, metrics=metrics)
    app.bot_data.metrics = metrics
    lease = timedelta(seconds=settings.lease_seconds)
    engine = DeliveryEngine(env, sender, lease=lease)
    broadcasts = BroadcastRunner(app.bot, env, sender, lease=lease)
    app.bot_data.sender, app.bot_data.engine = sender, engine
    app.bot_data.broadcasts = broadcasts
    poster = ChannelPoster(app.bot, env, sender, lease=lease)  # the channel's planned posts
    app.bot_data.poster = poster
    digests = DigestRunner(env, sender)  # the managers' weekly digests
    app.bot_data.digests = digests
    assert app.job_queue is not None
    every = settings.tick_seconds
    app.job_queue.run_repeating(engine.tick, interval=every, first=every, name="slots")
    app.job_queue.run_repeating(broadcasts.tick, interval=every, first=every, name="broadcasts")
    app.job_queue.run_repeating(poster.tick, interval=every, first=every, name="channel-posts")
    app.job_queue.run_repeating(digests.tick, interval=every, first=every, name="digests")
    return app


async def _post_init(app: Application) -> None:
    env: Env = app.bot_data.env
    await env.storage.open()
    # One SQLite process knows that claims left over are a dead process's; replicas on
    # PostgreSQL only take over claims whose lease expired.
    single = not env.settings.uses_postgres
    now = env.clock()
    stale = None if single else now - timedelta(seconds=env.settings.lease_seconds)
    recovered = await env.storage.recover_pending(now, stale)
    if recovered:
        log.warning(
            "%d delivery(ies) interrupted by a crash are due again (those that were being "
            "sent are not resent: their next slot is planned)",
            recovered,
        )
    unconfirmed = await app.bot_data.broadcasts.recover(single_process=single)
    if unconfirmed:
        log.warning("%d broadcast send(s) were in flight at a crash: not resent", unconfirmed)
    await forget_stale_drafts(env)
    retired = await env.storage.retire_cards(question_counts(env.catalog))
    if retired:
        log.warning("%d review card(s) retired: their questions are no longer in the lessons",
                    retired)  # fmt: skip
    await set_command_menus(app)
    if env.settings.metrics_port is not None:
        app.bot_data.health = HealthServer(
            app.bot_data.metrics,
            lambda: _ready(app),
            env.settings.metrics_host,
            env.settings.metrics_port,
        )
        await app.bot_data.health.start()
    await start_dashboard(app)


async def start_dashboard(app: Application) -> None:
    """The Mini App's server (CXCOACH_DASHBOARD_PORT); with a public URL every chat's menu
    button opens it (/dashboard sets it per chat otherwise)."""
    env: Env = app.bot_data.env
    settings = env.settings
    if settings.dashboard_port is None:
        return
    server = DashboardServer(
        env, settings.dashboard_host, settings.dashboard_port, settings.dashboard_url
    )
    await server.start()
    app.bot_data.dashboard = server
    if settings.dashboard_url:
        button = MenuButtonWebApp(dashboard_label(translator("en")), WebAppInfo(server.url))
        try:
            await app.bot.set_chat_menu_button(menu_button=button)
        except TelegramError as exc:  # cosmetic: /dashboard still opens it
            log.warning("could not set the menu button: %s", exc)


async def _ready(app: Application) -> bool:
    """Ready: the application runs and the database answers."""
    env: Env = app.bot_data.env
    await env.storage.count_due(env.clock())
    return app.running


async def _post_stop(app: Application) -> None:
    """Let the slot drain and the broadcast finish what is in flight before storage closes."""
    await app.bot_data.engine.stop()
    await app.bot_data.broadcasts.stop()
    await app.bot_data.poster.stop()
    await app.bot_data.digests.stop()


async def set_command_menus(app: Application) -> None:
    """The command menu in each language (Telegram picks by the client's language)."""
    try:
        await app.bot.set_my_commands(commands_for(translator("en")))
        for lang in LANGUAGES:
            await app.bot.set_my_commands(commands_for(translator(lang)), language_code=lang)
    except TelegramError as exc:  # cosmetic: never stop the bot for it
        log.warning("could not set the command menus: %s", exc)


async def _post_shutdown(app: Application) -> None:
    env: Env = app.bot_data.env
    health = getattr(app.bot_data, "health", None)
    if health is not None:
        await health.stop()
    if app.bot_data.dashboard is not None:
        await app.bot_data.dashboard.stop()
        app.bot_data.dashboard = None
    await env.storage.close()


@asynccontextmanager
async def running(app: Application, *, poll_timeout: int = 10) -> AsyncIterator[Application]:
    """Run the application inside an existing event loop (sandbox, tests, benchmarks).

    ``run_polling`` owns the loop and calls ``post_init``/``post_shutdown`` itself; this is
    the same life cycle for callers that already have a loop.
    """
    await app.initialize()
    try:
        if app.post_init:
            await app.post_init(app)
        assert app.updater is not None
        await app.updater.start_polling(
            allowed_updates=ALLOWED_UPDATES, timeout=poll_timeout, poll_interval=0
        )
        await app.start()
        try:
            yield app
        finally:
            if app.updater.running:
                await app.updater.stop()
            if app.running:
                await app.stop()
            if app.post_stop:
                await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown:
            await app.post_shutdown(app)

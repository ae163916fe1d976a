"""The composition root: builds the application and registers handlers in a visible order."""

from __future__ import annotations

import gc
import logging
import warnings
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    MessageHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.delivery import MAX_IN_FLIGHT, OutboxSender
from bot.logs import UPDATE_LOG_GROUP, log_update
from bot.menus import set_default_menus
from bot.persistence import DatabasePersistence, PersistentApplication, restore_timeouts
from bot.ratelimit import RateLimiter
from bot.services import DeepLink, Services
from bot.settings import Settings
from capabilities import announcements, digest, inbox, privacy, recruitment, understanding
from capabilities.communication import metrics as com_metrics
from capabilities.communication import planning as com_planning
from capabilities.communication import publishing as com_publishing
from capabilities.communication import requests as com_requests
from capabilities.communication import suggestions as com_suggestions
from capabilities.donations import helloasso as helloasso_sync
from capabilities.donations import memberships, sheets
from capabilities.events import agenda, calendar_sync
from capabilities.recruitment import reminders
from handlers import agenda as agenda_handlers
from handlers import alerts as alerts_handlers
from handlers import announcements as announcements_handlers
from handlers import com_planning as com_planning_handlers
from handlers import com_publishing as com_publishing_handlers
from handlers import com_requests as com_requests_handlers
from handlers import communication as communication_handlers
from handlers import corrections as corrections_handlers
from handlers import digest as digest_handlers
from handlers import donations as donations_handlers
from handlers import (
    errors,
    events,
    fallback,
    help,
    onboarding,
    people,
    profile,
    rsvp,
)
from handlers import expenses as expenses_handlers
from handlers import inbox as inbox_handlers
from handlers import privacy as privacy_handlers
from handlers import (
    recruitment as recruitment_handlers,
)
from handlers.common import Context, Group, Handlers
from scheduler.jobs import Job, schedule_all
from storage.db import Database
from webapp.buttons import webapp_menu_button

log = logging.getLogger(__name__)

# Handler modules, in the order their handlers are tried within each group (handlers.common.Group).
HANDLERS: tuple[Callable[[], Handlers], ...] = (
    onboarding.handlers,
    profile.handlers,
    events.handlers,
    announcements_handlers.handlers,
    help.handlers,
    people.handlers,
    rsvp.handlers,
    corrections_handlers.handlers,  # « Ce n'est pas ça » under a reply read as an answer
    agenda_handlers.handlers,
    recruitment_handlers.handlers,
    digest_handlers.handlers,
    privacy_handlers.handlers,
    inbox_handlers.handlers,
    alerts_handlers.handlers,  # the buttons of the summaries (late emails)
    donations_handlers.handlers,
    com_requests_handlers.handlers,
    communication_handlers.handlers,
    com_planning_handlers.handlers,
    com_publishing_handlers.handlers,
    expenses_handlers.handlers,
    fallback.handlers,  # last: whatever nobody else took
)

# `/start <prefix>_…` links: what runs once the person is registered.
DEEP_LINKS: dict[str, DeepLink] = {
    "inv": onboarding.accept_invite,  # invitation with a role
    "ev": rsvp.apply_pending,  # an answer given in a group before /start
    "ros": events.roster_link,  # « Voir les inscrits » on a group post: the roster, organisers only
}

# Time-driven work: name (DISABLED_JOBS matches its prefix), interval in seconds, what runs.
JOBS: tuple[Job, ...] = (
    Job("announcements.refresh", 1.0, agenda.refresh_due),
    Job("broadcast.progress", 2.0, announcements.progress_due),
    Job("calendar.sync", 60.0, calendar_sync.run),
    Job("digests", 60.0, digest.run),
    Job("inbox.sync", inbox.TICK_SECONDS, inbox.tick),
    Job("memberships.remind", 3600, memberships.remind_due),
    Job("donations.sheet", 300, sheets.push_sheet_due),
    Job("helloasso.sync", 900, helloasso_sync.run),
    Job("recruitment", 60, recruitment.run),
    Job("reminders", 60, reminders.run),
    Job("retention", 3600, privacy.run_retention),
    Job("com.requests", 300, com_requests.run),
    Job("com.suggestions", 300, com_suggestions.run),
    Job("com.planning", 60, com_planning.run),
    Job("com.publish", 5.0, com_publishing.run),
    Job("com.metrics", 3600, com_metrics.run),
    Job("understanding.retrain", 3600, understanding.retrain_due),  # once a day: the reply model
)

# `python -m bot <name>` subcommands beyond run and migrate: the modules that add them (bot/cli/).
CLI_COMMANDS: tuple[str, ...] = (
    "bot.cli.backup",
    "bot.cli.com",
    "bot.cli.donations",
    "bot.cli.google",
    "bot.cli.helloasso",
    "bot.cli.triage",
)

# Our conversations run in private chats, one per user: per_message tracking is not wanted.
warnings.filterwarnings("ignore", message="If 'per_message=False'", category=PTBUserWarning)


async def _ignore(update: Update, context: Context) -> None:
    """Edits and channel posts carry no new intent for this bot: stop them here."""
    raise ApplicationHandlerStop


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
) -> Application:  # type: ignore[type-arg]
    db = Database(settings.database_url, settings.database_schema)
    builder = (
        ApplicationBuilder()
        .token(settings.token())
        # Forms and drafts survive restarts, written right after each update (bot/persistence.py).
        .application_class(PersistentApplication)
        .persistence(DatabasePersistence(db))
        .rate_limiter(
            RateLimiter(
                overall_max_rate=settings.send_global_per_second,
                group_max_rate=settings.send_per_group_per_minute,
                group_time_period=60,
                max_retries=2,
            )
        )
        .post_init(_post_init)
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    if settings.telegram_api_base_file_url:
        builder = builder.base_file_url(settings.telegram_api_base_file_url)
    if request is not None:
        builder = builder.request(request).get_updates_request(get_updates_request or request)
    else:
        # The outbox sender overlaps its calls: PTB's default pool of one connection would serialise them.
        builder = builder.connection_pool_size(MAX_IN_FLIGHT).pool_timeout(10.0)
    app = builder.build()
    app.bot_data["services"] = Services(settings=settings, db=db, deep_links=DEEP_LINKS)

    # Order matters: the first matching handler of a group wins.
    # One INFO line per update (bot/logs.py), in its own early group: it never stops propagation.
    app.add_handler(TypeHandler(Update, log_update), group=UPDATE_LOG_GROUP)
    app.add_handler(
        MessageHandler(filters.UpdateType.EDITED | filters.UpdateType.CHANNEL_POSTS, _ignore),
        group=Group.IGNORED,
    )
    declared = [module() for module in HANDLERS]
    for group in Group:
        for handlers in declared:
            app.add_handlers(handlers.get(group, []), group=group)
    app.add_error_handler(errors.on_error)
    return app


def services_of(app: Application) -> Services:  # type: ignore[type-arg]
    return app.bot_data["services"]  # type: ignore[no-any-return]


async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    svc = services_of(app)
    await svc.db.migrate()
    me = await app.bot.get_me()
    svc.bot_username = me.username or ""
    await set_default_menus(app.bot)
    if svc.settings.webapp_url:  # the menu button opens the Mini App (webapp/)
        await app.bot.set_chat_menu_button(menu_button=webapp_menu_button(svc.settings))
    svc.sender = OutboxSender(svc.db, app.bot, svc.settings)
    await svc.sender.start()
    schedule_all(app, JOBS, svc.settings.disabled_jobs)
    restore_timeouts(app)  # forms restored from the database still close after TIMEOUT
    # Everything loaded so far (libraries, mappers, handlers) lives as long as the process: keep it out
    # of the collector's full passes, which otherwise pause the loop for ~0.1 s and bunch up sends.
    gc.freeze()
    log.info("coordo is running as @%s", svc.bot_username)


async def _post_stop(app: Application) -> None:  # type: ignore[type-arg]
    svc = services_of(app)
    if svc.sender is not None:
        await svc.sender.stop()


async def _post_shutdown(app: Application) -> None:  # type: ignore[type-arg]
    await services_of(app).db.dispose()


@asynccontextmanager
async def running(app: Application, poll_timeout: float = 1.0) -> AsyncIterator[Application]:  # type: ignore[type-arg]
    """What run_polling does, as a context manager (tests, benchmarks, embedding)."""
    await app.initialize()
    await _post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=int(poll_timeout) or 1)
    await app.start()
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await _post_stop(app)
        await app.shutdown()
        await _post_shutdown(app)

"""The composition root: builds the application and registers handlers in a visible order."""

from __future__ import annotations

import gc
import logging
import warnings
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from telegram import Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest
from telegram.warnings import PTBUserWarning

from bot.delivery import MAX_IN_FLIGHT, OutboxSender
from bot.menus import set_default_menus
from bot.ratelimit import RateLimiter
from bot.services import Services
from bot.settings import Settings
from handlers import (
    admin,
    agenda,
    broadcast,
    digest,
    donations,
    errors,
    events,
    fallback,
    help,
    inbox,
    onboarding,
    privacy,
    profile,
    recruitment,
    rsvp,
)
from handlers.common import Context
from scheduler.jobs import schedule_all
from storage.db import Database

log = logging.getLogger(__name__)
# Time-driven work, in scheduler/: importing a module registers its jobs.
JOB_MODULES = (
    "announcements", "broadcast", "calendar_sync", "digests", "inbox", "memberships", "recruitment", "reminders",
    "retention",
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
    builder = (
        ApplicationBuilder()
        .token(settings.token())
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
    app.bot_data["services"] = Services(settings=settings, db=Database(settings.database_url, settings.database_schema))

    # Order matters: the first matching handler of a group wins.
    app.add_handler(MessageHandler(filters.UpdateType.EDITED | filters.UpdateType.CHANNEL_POSTS, _ignore), group=-1)
    app.add_handler(onboarding.conversation())
    app.add_handler(profile.conversation())
    app.add_handlers(events.conversations())  # type: ignore[arg-type]
    app.add_handlers(broadcast.handlers())  # type: ignore[arg-type]
    app.add_handlers(help.handlers())
    app.add_handlers(admin.handlers())
    app.add_handlers(rsvp.handlers())  # type: ignore[arg-type]
    app.add_handlers(agenda.handlers())  # type: ignore[arg-type]
    app.add_handlers(recruitment.handlers())  # type: ignore[arg-type]
    app.add_handlers(digest.handlers())  # type: ignore[arg-type]
    app.add_handlers(privacy.handlers())  # type: ignore[arg-type]
    app.add_handlers(inbox.handlers())  # type: ignore[arg-type]
    app.add_handlers(donations.handlers())  # type: ignore[arg-type]
    app.add_handlers(fallback.handlers())  # type: ignore[arg-type]
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
    svc.sender = OutboxSender(svc.db, app.bot, svc.settings)
    await svc.sender.start()
    schedule_all(app, JOB_MODULES, svc.settings.disabled_jobs)
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

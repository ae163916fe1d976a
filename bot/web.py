"""The bot's one web server (tornado, installed with python-telegram-bot): Telegram's webhook and
HelloAsso's notification URL, and the Mini App (webapp/routes.py: /app/ and /app/api/…).

* Webhook mode (WEBHOOK_URL): Telegram POSTs updates to the URL's path; a request without the
  right X-Telegram-Bot-Api-Secret-Token is refused (403); updates go on the application's
  update_queue, as PTB's own webhook server does.
* POST /helloasso/notify: anyone can call it, so the body is only a trigger. With
  HELLOASSO_SIGNATURE_KEY set, a body without the right x-ha-signature is refused (403). The
  payments it names are fetched again from the API and recorded by the sync's own function
  (capabilities/donations/helloasso.py), after the answer: HelloAsso gets its 200 at once.
* Polling mode with WEB_PORT: the same server, for the notification route only.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import json
import logging
import re
import signal
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bot.services import Services
from bot.settings import Settings

if TYPE_CHECKING:
    import tornado.httpserver
    import tornado.web
    from telegram.ext import Application

log = logging.getLogger(__name__)

HELLOASSO_PATH = "/helloasso/notify"
MAX_BODY = 1024 * 1024
_tasks: set[asyncio.Task[Any]] = set()


def make_app(
    services: Services,
    *,
    telegram: Application | None = None,  # type: ignore[type-arg]
    telegram_path: str = "",
    telegram_secret: str = "",
) -> tornado.web.Application:
    import tornado.web

    updates, notify = _handlers()
    from webapp.routes import routes as webapp_routes

    routes: list[Any] = [(re.escape(HELLOASSO_PATH), notify, {"services": services})]
    if telegram is not None:
        path = "/" + telegram_path.strip("/")
        routes.append((re.escape(path), updates, {"app": telegram, "secret": telegram_secret}))
    routes += webapp_routes(services)  # the Mini App: /app/ and /app/api/…
    return tornado.web.Application(routes, log_function=_log_request)


def _log_request(handler: Any) -> None:
    # Paths only: no query strings, bodies or headers (secrets) in the logs.
    log.debug("%s %s %d", handler.request.method, handler.request.path, handler.get_status())


@functools.cache
def _handlers() -> tuple[type, type]:
    import tornado.web

    class _TelegramUpdates(tornado.web.RequestHandler):
        def initialize(self, app: Application, secret: str) -> None:  # type: ignore[type-arg]
            self.app = app
            self.secret = secret

        async def post(self) -> None:
            from telegram import Update

            given = self.request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
            if not self.secret or not hmac.compare_digest(given.encode(), self.secret.encode()):
                self.set_status(403)
                return
            try:
                data = json.loads(self.request.body)
                update = Update.de_json(data, self.app.bot)
            except (ValueError, TypeError, KeyError):
                self.set_status(400)
                return
            if update is not None:
                await self.app.update_queue.put(update)
            self.set_status(200)

    class _HelloAssoNotify(tornado.web.RequestHandler):
        def initialize(self, services: Services) -> None:
            self.services = services

        async def post(self) -> None:
            from capabilities.donations import helloasso
            from integrations.helloasso import verify_signature

            settings = self.services.settings
            if not helloasso.configured(settings):
                self.set_status(404)
                return
            body = self.request.body
            key = settings.helloasso_signature_key.get_secret_value()
            if len(body) > MAX_BODY or (
                key and not verify_signature(body, self.request.headers.get("x-ha-signature"), key)
            ):
                self.set_status(403)
                return
            # The answer first: the payments are fetched and recorded after it.
            task = asyncio.get_running_loop().create_task(_notified(self.services, body))
            _tasks.add(task)
            task.add_done_callback(_tasks.discard)
            self.set_status(200)

    return _TelegramUpdates, _HelloAssoNotify


async def _notified(services: Services, body: bytes) -> None:
    from capabilities.donations import helloasso
    from integrations.helloasso import HelloAssoError

    try:
        await helloasso.notified(services, body)
    except HelloAssoError as exc:
        # The periodic sync catches it later: a notification is only a shortcut.
        log.warning("HelloAsso notification not processed: %s", exc)
    except Exception:
        log.exception("HelloAsso notification failed")
    if services.sender is not None:
        services.sender.kick()


async def drain(timeout: float = 10.0) -> None:
    """Let notifications being recorded finish (at shutdown, and in tests)."""
    if _tasks:
        await asyncio.wait(list(_tasks), timeout=timeout)


def listen(app: tornado.web.Application, host: str, port: int) -> tornado.httpserver.HTTPServer:
    import tornado.httpserver

    server = tornado.httpserver.HTTPServer(app, max_body_size=MAX_BODY, xheaders=True)
    server.listen(port, address=host)
    return server


def run(application: Application, settings: Settings) -> None:  # type: ignore[type-arg]
    """Run the bot with this server: webhook mode, or polling plus the notification route."""
    asyncio.run(_run(application, settings))


async def _run(
    application: Application,  # type: ignore[type-arg]
    settings: Settings,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until SIGINT/SIGTERM, or until `stop` is set when one is given (tests, embedding)."""
    services: Services = application.bot_data["services"]
    loop = asyncio.get_running_loop()
    signals: tuple[signal.Signals, ...] = ()
    if stop is None:
        stop = asyncio.Event()
        signals = (signal.SIGINT, signal.SIGTERM)
    for sig in signals:
        loop.add_signal_handler(sig, stop.set)
    webhook = bool(settings.webhook_url)
    await application.initialize()
    server = None
    try:
        if application.post_init is not None:
            await application.post_init(application)
        if webhook:
            assert settings.webhook_url is not None
            web = make_app(
                services,
                telegram=application,
                telegram_path=urlsplit(settings.webhook_url).path,
                telegram_secret=settings.webhook_secret_value(),
            )
            server = listen(web, settings.webhook_listen, settings.webhook_port)
            await application.bot.set_webhook(
                url=settings.webhook_url,
                secret_token=settings.webhook_secret_value(),
                allowed_updates=None,
                drop_pending_updates=False,
            )
        else:
            assert application.updater is not None and settings.web_port is not None
            server = listen(make_app(services), settings.webhook_listen, settings.web_port)
            await application.updater.start_polling(allowed_updates=None, drop_pending_updates=False)
        await application.start()
        await stop.wait()
    finally:
        for sig in signals:
            loop.remove_signal_handler(sig)
        if server is not None:
            server.stop()
        await drain()
        if application.updater is not None and application.updater.running:
            await application.updater.stop()
        if application.running:
            await application.stop()
            if application.post_stop is not None:
                await application.post_stop(application)
        await application.shutdown()
        if application.post_shutdown is not None:
            await application.post_shutdown(application)

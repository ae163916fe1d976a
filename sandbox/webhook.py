"""Webhook delivery: POST each pending update to the URL given to setWebhook, like Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import logging

import httpx

from sandbox.core import TelegramSandbox

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookDelivery:
    """Sends updates one at a time, in order; an update counts as delivered on a 2xx answer.

    On failure it records last_error_* (getWebhookInfo) and retries with a backoff that is
    much shorter than Telegram's, so tests recover quickly. serve_http() runs one; run
    your own with start()/stop() when the bot talks to the sandbox in-process.
    """

    def __init__(self, sandbox: TelegramSandbox, *, timeout: float = 10.0, max_backoff: float = 2.0) -> None:
        self.sandbox = sandbox
        self.timeout = timeout
        self.max_backoff = max_backoff
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="sandbox-webhook-delivery")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        backoff = 0.05
        # trust_env=False: a proxy from the environment must never see loopback traffic.
        async with httpx.AsyncClient(timeout=self.timeout, trust_env=False) as client:
            while True:
                update = self.sandbox.next_webhook_update()
                if update is None:
                    await self.sandbox._changed.wait(1.0)
                    continue
                hook = self.sandbox.webhook
                headers = {SECRET_HEADER: hook.secret_token} if hook.secret_token else {}
                try:
                    response = await client.post(hook.url, json=update, headers=headers)
                except httpx.HTTPError as exc:
                    error = f"Connection failed: {type(exc).__name__}: {exc}"
                except Exception as exc:  # keep delivering whatever one request did
                    log.exception("webhook delivery crashed")
                    error = f"Connection failed: {exc!r}"
                else:
                    if 200 <= response.status_code < 300:
                        self.sandbox.webhook_delivered(update["update_id"])
                        await self._answer_in_response(response)
                        backoff = 0.05
                        continue
                    error = (
                        f"Wrong response from the webhook: {response.status_code} {response.reason_phrase}"
                    )
                self.sandbox.webhook_failed(error)
                log.debug("webhook delivery failed: %s", error)
                await asyncio.sleep(backoff)
                backoff = min(self.max_backoff, backoff * 2)

    async def _answer_in_response(self, response: httpx.Response) -> None:
        """Telegram runs a Bot API method put in the webhook's response body."""
        if "json" not in response.headers.get("content-type", ""):
            return
        try:
            body = response.json()
        except ValueError:
            return
        if isinstance(body, dict) and isinstance(body.get("method"), str):
            params = {k: v for k, v in body.items() if k != "method"}
            try:
                await self.sandbox.call(body["method"], params)
            except Exception:  # an injected fault on that call must not stop delivery
                log.debug("method in webhook response failed", exc_info=True)

"""Logging that never shows a bot token, in messages, arguments or tracebacks."""

from __future__ import annotations

import logging
import re

TOKEN_PATTERN = re.compile(r"\d{5,12}:[A-Za-z0-9_-]{30,}")
REDACTED = "<jeton masqué>"


class RedactingFormatter(logging.Formatter):
    def __init__(self, secrets: list[str], fmt: str | None = None) -> None:
        super().__init__(fmt or "%(asctime)s %(levelname)s %(name)s: %(message)s")
        self.secrets = [s for s in secrets if s]

    def redact(self, text: str) -> str:
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return TOKEN_PATTERN.sub(REDACTED, text)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))

    def formatException(self, ei: object) -> str:  # noqa: N802 (logging's API name)
        return self.redact(super().formatException(ei))  # type: ignore[arg-type]


def setup_logging(level: str, secrets: list[str]) -> None:
    root = logging.getLogger()
    root.setLevel(level.upper())
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    formatter = RedactingFormatter(secrets)
    for handler in root.handlers:
        handler.setFormatter(formatter)
    # httpx logs every URL at INFO, and Telegram URLs hold the token.
    for noisy in ("httpx", "httpcore", "apscheduler", "alembic.runtime.migration"):
        logging.getLogger(noisy).setLevel(logging.WARNING)

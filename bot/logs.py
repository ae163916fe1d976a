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


# ---------------------------------------------------------------------------------------------
# One line per update at INFO (issue 13, item 9): what kind of update, which command or button,
# which kind of chat. Never a name, a text, an id or a token: the console is often shared.

UPDATE_LOG_GROUP = -20  # before every handler group of handlers.common.Group; never answers
update_logger = logging.getLogger("coordo.updates")


def _command_name(text: str) -> str:
    from bot.commands import COMMANDS

    word = text.split(maxsplit=1)[0][1:].split("@", 1)[0].lower()
    # An unknown "/word" may be anything the person typed: it is not logged.
    return f"/{word}" if any(word in spec.names for spec in COMMANDS) else "?"


def _button_name(data: str | None) -> str:
    from bot.callbacks import FORMATS

    for fmt in FORMATS:
        if fmt.parse(data) is not None:
            return fmt.__name__
    return "?"


def update_summary(update: object) -> str:
    """`command /export, private chat`: the update's kind and name, without any personal data."""
    from telegram import Update

    if not isinstance(update, Update):
        return "other update"
    chat = update.effective_chat
    where = f"{chat.type} chat" if chat is not None else "no chat"
    if update.callback_query is not None:
        what = f"button {_button_name(update.callback_query.data)}"
    elif (message := update.message) is not None:
        text = message.text or ""
        if text.startswith("/"):
            what = f"command {_command_name(text)}"
        elif message.new_chat_members or message.left_chat_member:
            what = "member change"
        elif message.reply_to_message is not None and text:
            what = "reply"
        elif text:
            what = "text message"
        else:
            what = "message"
    elif update.my_chat_member is not None:
        what = "bot membership"
    elif update.edited_message is not None:
        what = "edited message"
    else:
        what = "update"
    return f"{what}, {where}"


async def log_update(update: object, context: object) -> None:
    """TypeHandler callback: logs and returns, so the update goes on to the handlers."""
    if update_logger.isEnabledFor(logging.INFO):
        update_logger.info("update: %s", update_summary(update))

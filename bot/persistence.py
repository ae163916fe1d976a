"""Conversations survive restarts: PTB's persistence, backed by our database (issue 12).

What is kept: each form's state per (chat, person) and each person's drafts (user_data), as JSON
in the conversation_state table (storage/conversations.py), never pickled. They are written right
after every update is handled, in one transaction (`PersistentApplication.process_update`), so a
kill -9 just after the bot answered loses nothing; a form left in the middle is restored at start,
and still closes after handlers.conversation.TIMEOUT counted from its last answer
(`restore_timeouts`). Chat data, bot data and callback data are not used by this bot: not kept.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from telegram import Update
from telegram.ext import Application, BasePersistence, CallbackContext, ConversationHandler, PersistenceInput
from telegram.ext._handlers.conversationhandler import _ConversationTimeoutContext
from telegram.ext._utils.types import ConversationDict, ConversationKey

from storage import conversations as q
from storage.db import Database

log = logging.getLogger(__name__)

USER_DATA = q.USER_DATA
Data = dict[Any, Any]
# Staged writes, committed together: (name, key) -> (state, data), or None to delete the row.
Pending = dict[tuple[str, str], tuple[int | None, dict[str, Any]] | None]


# --- JSON with dates: drafts hold days and times; tuples come back as lists ---------------------


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, set | frozenset):
        return {"__set__": sorted(value, key=repr)}
    raise TypeError(f"not kept across restarts: {type(value).__name__}")


_UNTAG: dict[str, Callable[[Any], Any]] = {
    "__datetime__": datetime.fromisoformat,
    "__date__": date.fromisoformat,
    "__decimal__": Decimal,
    "__set__": set,
}


def _untag(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        ((tag, value),) = obj.items()
        if tag in _UNTAG:
            return _UNTAG[tag](value)
    return obj


def encode(data: Data) -> dict[str, Any]:
    """The JSON-able part of a person's user_data. A value JSON cannot hold (an in-memory object)
    is left out: it lives until the next restart, like before."""
    kept: dict[str, Any] = {}
    for key, value in data.items():
        try:
            kept[str(key)] = json.loads(json.dumps(value, default=_tag))
        except (TypeError, ValueError):
            log.debug("user_data %r not persisted", key)
    return kept


def decode(data: dict[str, Any]) -> Data:
    return cast(Data, json.loads(json.dumps(data), object_hook=_untag))


def _key_text(key: ConversationKey) -> str:
    return json.dumps(list(key))


# --- The persistence ----------------------------------------------------------------------------


class DatabasePersistence(BasePersistence[Data, Data, Data]):
    """PTB's persistence over our tables; writes are staged, then `commit()`ed in one transaction."""

    def __init__(self, db: Database) -> None:
        # The background interval is a safety net only: every update is committed right after it.
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=10,
        )
        self.db = db
        self._migrated = False
        self._pending: Pending = {}
        self._stored_users: dict[int, str] = {}  # what the table holds, to skip unchanged writes
        # (form name, key) -> time of its last answer, for the forms restored at start.
        self.restored: dict[tuple[str, ConversationKey], datetime] = {}

    async def _ready(self) -> None:
        # PTB loads the persistence before post_init (where the bot migrates): migrate first here.
        if not self._migrated:
            await self.db.migrate()
            self._migrated = True

    async def get_user_data(self) -> dict[int, Data]:
        await self._ready()
        async with self.db.session() as s:
            rows = await q.rows_named(s, USER_DATA)
        out: dict[int, Data] = {}
        for row in rows:
            out[int(row.key)] = decode(row.data)
            self._stored_users[int(row.key)] = json.dumps(row.data, sort_keys=True)
        return out

    async def get_chat_data(self) -> dict[int, Data]:
        return {}

    async def get_bot_data(self) -> Data:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def get_conversations(self, name: str) -> ConversationDict:
        await self._ready()
        async with self.db.session() as s:
            rows = await q.rows_named(s, name)
        found: ConversationDict = {}
        for row in rows:
            if row.state is None:
                continue
            key = tuple(json.loads(row.key))
            found[key] = row.state
            self.restored[(name, key)] = row.updated_at
        return found

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        if isinstance(new_state, int) and new_state != ConversationHandler.END:
            self._pending[(name, _key_text(key))] = (new_state, {})
        else:
            self._pending[(name, _key_text(key))] = None

    async def update_user_data(self, user_id: int, data: Data) -> None:
        kept = encode(data)
        text = json.dumps(kept, sort_keys=True)
        if text == self._stored_users.get(user_id, "{}"):
            return
        self._stored_users[user_id] = text
        self._pending[(USER_DATA, str(user_id))] = (None, kept) if kept else None

    async def drop_user_data(self, user_id: int) -> None:
        self._stored_users.pop(user_id, None)
        self._pending[(USER_DATA, str(user_id))] = None

    async def update_chat_data(self, chat_id: int, data: Data) -> None:
        return None

    async def update_bot_data(self, data: Data) -> None:
        return None

    async def update_callback_data(self, data: Any) -> None:
        return None

    async def drop_chat_data(self, chat_id: int) -> None:
        return None

    async def refresh_user_data(self, user_id: int, user_data: Data) -> None:
        return None  # this process is the only writer: memory is never behind the table

    async def refresh_chat_data(self, chat_id: int, chat_data: Data) -> None:
        return None

    async def refresh_bot_data(self, bot_data: Data) -> None:
        return None

    async def commit(self) -> None:
        """Write what was staged since the last commit, in one transaction (all or nothing)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        try:
            async with self.db.session() as s:
                for (name, key), value in pending.items():
                    if value is None:
                        await q.remove(s, name, key)
                    else:
                        await q.put(s, name, key, *value)
        except Exception:
            # Kept for the next commit (newer writes of the same row win), and the cache forgotten.
            self._pending = {**pending, **self._pending}
            self._stored_users.clear()
            raise

    async def flush(self) -> None:
        await self.commit()


class PersistentApplication(Application):  # type: ignore[type-arg]
    """Commits the persistence right after each update, and after each periodic or final update."""

    async def process_update(self, update: object) -> None:
        await super().process_update(update)
        if self.persistence is not None:
            await self.update_persistence()

    async def update_persistence(self) -> None:
        await super().update_persistence()
        if isinstance(self.persistence, DatabasePersistence):
            await self.persistence.commit()


def mark_changed(context: CallbackContext[Any, Any, Any, Any], user_id: int) -> None:
    """Out of an update (a timeout job), have the person's drafts written soon."""
    application = context.application
    application.mark_data_for_update_persistence(user_ids=user_id)
    if application.persistence is not None:
        application.create_task(application.update_persistence())


def restore_timeouts(app: Application) -> int:  # type: ignore[type-arg]
    """Start again the timeout of every form restored from the table, counted from its last
    answer (PTB keeps timeouts in memory only). Returns how many were scheduled."""
    persistence = app.persistence
    if not isinstance(persistence, DatabasePersistence) or app.job_queue is None:
        return 0
    now = datetime.now(UTC)
    scheduled = 0
    for handlers in app.handlers.values():
        for handler in handlers:
            if not (isinstance(handler, ConversationHandler) and handler.persistent and handler.name):
                continue
            timeout = handler.conversation_timeout
            if timeout is None:
                continue
            limit = timeout.total_seconds() if not isinstance(timeout, float) else timeout
            for key in list(handler._conversations):  # noqa: SLF001 (PTB has no public way)
                since = persistence.restored.get((handler.name, key))
                if since is None or key in handler.timeout_jobs or len(key) != 2:
                    continue
                chat_id, user_id = key
                update = _update_for(app, int(chat_id), int(user_id))
                context = CallbackContext.from_update(update, app)
                delay = max(0.0, limit - (now - since).total_seconds())
                handler.timeout_jobs[key] = app.job_queue.run_once(
                    handler._trigger_timeout,  # noqa: SLF001
                    delay,
                    data=_ConversationTimeoutContext(key, update, app, context),
                )
                scheduled += 1
    return scheduled


def _update_for(app: Application, chat_id: int, user_id: int) -> Update:  # type: ignore[type-arg]
    """A stand-in update for the timeout word of a restored form: its chat and its person."""
    chat_type = "private" if chat_id == user_id else "group"
    payload = {
        "update_id": 0,
        "message": {
            "message_id": 0,
            "date": int(datetime.now(UTC).timestamp()),
            "chat": {"id": chat_id, "type": chat_type},
            "from": {"id": user_id, "is_bot": False, "first_name": "?"},
        },
    }
    return Update.de_json(payload, app.bot)

"""The live triage model: the trained file (`coordo triage train`) plus every correction made in
Telegram, kept in the database so that it survives restarts and retraining."""

from __future__ import annotations

import asyncio
import logging
import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from storage import inbox as q
from storage.models import EmailMessage

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from domain.triage import Triage

# The classifier's rules compile at import (~0.1 s): loaded by the first email, not at start.

MODEL_KEY = "inbox.triage_model"
MAX_CORRECTIONS_KEPT = 1000


@dataclass
class _ModelCache:
    stamp: tuple[Any, ...]
    model: Triage
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


def _file_stamp(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _cache(services: Services) -> _ModelCache:
    cache = services.extras.get("inbox.model")
    if not isinstance(cache, _ModelCache):
        from domain.triage import Triage

        cache = _ModelCache((), Triage(threshold=services.settings.triage_threshold))
        services.extras["inbox.model"] = cache
    return cache


async def live_model(services: Services, session: AsyncSession) -> Triage:
    """The trained model (`triage train` file) plus every correction made in Telegram.

    The corrected model is kept in the database; when the file is retrained, the kept
    corrections are replayed on top of the new file.
    """
    from domain.triage import Email, Triage

    settings = services.settings
    cache = _cache(services)
    file_stamp = _file_stamp(settings.triage_model_path)
    stamp = (await q.kv_stamp(session, MODEL_KEY), file_stamp)
    if cache.stamp == stamp:
        return cache.model
    row = await q.kv_get(session, MODEL_KEY)
    value = row.value if row is not None else {}
    model: Triage | None = None
    if value.get("model") and value.get("base") == file_stamp:
        try:
            model = Triage.from_json(value["model"])
        except (ValueError, KeyError, TypeError):
            log.warning("stored triage model unreadable; rebuilding it")
    if model is None:
        model = Triage(threshold=settings.triage_threshold)
        if file_stamp is not None:
            try:
                model = Triage.load(settings.triage_model_path)
            except (OSError, ValueError, KeyError, TypeError):
                log.exception("cannot read %s; using the untrained model", settings.triage_model_path)
        for item in value.get("corrections", []):
            try:
                email = Email("", item["from"], item["subject"], item["body"])
                model.learn(email, item["label"], item.get("city"))
            except (KeyError, ValueError, TypeError):
                continue
    model.threshold = settings.triage_threshold
    cache.stamp, cache.model = stamp, model
    return model


async def learn(
    services: Services, session: AsyncSession, email: EmailMessage, label: str, city: str | None
) -> None:
    """Teach the live model one correction and keep it (same transaction as the re-routing)."""
    from domain.triage import Email

    cache = _cache(services)
    async with cache.lock:
        model = await live_model(services, session)
        sample = {
            "from": email.sender,
            "subject": email.subject,
            "body": email.excerpt,
            "label": label,
            "city": city,
        }
        model.learn(Email(str(email.id), email.sender, email.subject, email.excerpt), label, city)
        row = await q.kv_get(session, MODEL_KEY)
        corrections = list((row.value if row is not None else {}).get("corrections", []))
        corrections = [*corrections[-(MAX_CORRECTIONS_KEPT - 1) :], sample]
        base = _file_stamp(services.settings.triage_model_path)
        await q.kv_put(
            session, MODEL_KEY, {"model": model.to_json(), "base": base, "corrections": corrections}
        )
        cache.stamp = ()  # re-read at the next use (the stored stamp changed)

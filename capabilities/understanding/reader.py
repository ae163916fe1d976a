"""Reading a reply to an announcement: the rules (domain.replies), an exact correction of the same
text, and the learned model where cross-validation said it helps (domain.learned.combine).

The model is kept in the key_value table (MODEL_KEY), written by the daily job (training.py), and
cached in memory until the stored one changes."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.services import Services
from domain.learned import Model, Reading, combine
from domain.replies import classify_reply
from storage import inbox as kv

log = logging.getLogger(__name__)

MODEL_KEY = "understanding.reply_model"
_CACHE = "understanding.model"


@dataclass
class _Cached:
    stamp: object
    model: Model | None


def parse_model(value: dict[str, object] | None) -> Model | None:
    if not value:
        return None
    try:
        return Model.from_json(value)
    except ValueError:
        log.warning("stored reply model unreadable: the rules read alone until the next training")
        return None


async def live_model(services: Services) -> Model | None:
    """The stored model (None: not trained yet), re-read only when the stored one changed."""
    cached = services.extras.get(_CACHE)
    async with services.db.session() as s:
        stamp = await kv.kv_stamp(s, MODEL_KEY)
        if isinstance(cached, _Cached) and cached.stamp == stamp:
            return cached.model
        row = await kv.kv_get(s, MODEL_KEY)
        model = parse_model(row.value if row is not None else None)
    services.extras[_CACHE] = _Cached(stamp, model)
    return model


def forget_cache(services: Services) -> None:
    services.extras.pop(_CACHE, None)


def read_with(model: Model | None, text: str) -> Reading:
    """The reading of `text` with this model (None: the rules alone). Pure: the bench uses it."""
    rules = classify_reply(text)
    return combine(text, rules.intent, rules.role, model)


async def read_reply(services: Services, text: str, announcement: str = "") -> Reading:
    """What a reply means (intent, role): docs/reply-conventions.md. `announcement`, the post it
    answers, is not read yet: it is stored with a correction, as context for later readers."""
    return read_with(await live_model(services), text)

"""Raw Bot API payloads for the outbox (plain dicts: stored as JSON, sent with do_api_request)."""

from __future__ import annotations

from typing import Any

Button = tuple[str, str]  # (text, callback_data)


def keyboard(rows: list[list[Button]]) -> dict[str, Any]:
    return {
        "inline_keyboard": [[{"text": text, "callback_data": data} for text, data in row] for row in rows]
    }


def text_message(text: str, rows: list[list[Button]] | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "text": text,
        "parse_mode": "HTML",
        "link_preview_options": {"is_disabled": True},
    }
    if rows:
        payload["reply_markup"] = keyboard(rows)
    return payload

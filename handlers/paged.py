"""Paged lists in one message: the first page answers the command, the page buttons edit it.

The lists themselves are built by their capability and bot.paging; this only shows them. Each has
its typed page button in bot/callbacks.py: /agenda, /besoins, /mes_evenements, /courriels, /dons,
/adherents, /villes, /modeles, /donnees_personne, and an event's roster and attendance sheet.
"""

from __future__ import annotations

import contextlib

from telegram import Update
from telegram.error import BadRequest

from handlers.common import NO_PREVIEW, Rows, answer, buttons


async def show(update: Update, text: str, rows: Rows) -> None:
    """A command's answer, or the pressed message edited in place (a page button)."""
    query = update.callback_query
    if query is None or query.message is None:
        await answer(update, text, rows or None)
        return
    with contextlib.suppress(BadRequest):  # "message is not modified": the same page pressed again
        await query.edit_message_text(
            text,
            parse_mode="HTML",
            reply_markup=buttons(rows) if rows else None,
            link_preview_options=NO_PREVIEW,
        )

"""A tiny PTB bot exercising what coordo relies on; used by the sandbox's own tests and demos.

/menu answers with an inline keyboard, a press edits that message, /export sends a CSV,
/whoami replies in groups, any other private text is echoed back.
"""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

MENU = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("Oui", callback_data="vote:yes"),
            InlineKeyboardButton("Non", callback_data="vote:no"),
        ]
    ]
)
CSV = "nom;présence\nAlice;oui\nBob;non\n"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    await message.reply_html(f"Vous avez dit : <i>{html.escape(message.text)}</i>")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    payload = " ".join(context.args or [])
    await update.effective_message.reply_text(f"Bienvenue ! {payload}".strip())


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_html("<b>Venez-vous ?</b>", reply_markup=MENU)


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    choice = "oui" if query.data == "vote:yes" else "non"
    await query.answer(f"Noté : {choice}", show_alert=choice == "non")
    await query.edit_message_text(f"Réponse : <b>{choice}</b>", parse_mode="HTML")


async def export(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_document(
        CSV.encode("utf-8"), filename="presences.csv", caption="Export"
    )


async def whoami(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    await update.effective_message.reply_text(f"Vous êtes {update.effective_user.first_name}")


def build_demo_app(
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any],
) -> Application[Any, Any, Any, Any, Any, Any]:
    """Add the demo handlers to an Application built from ``builder`` (see sandbox_builder)."""
    app = builder.build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("menu", menu))
    app.add_handler(CommandHandler("export", export))
    app.add_handler(CommandHandler("whoami", whoami))
    app.add_handler(CallbackQueryHandler(vote, pattern=r"^vote:"))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE, echo))
    return app

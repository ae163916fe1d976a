"""/aide: exactly the commands the person's roles allow."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import commands
from bot.commands import visible_commands
from handlers.common import Actor, Context, Group, Handlers, answer, command, is_private


@command(commands.AIDE)
async def help_command(update: Update, context: Context, actor: Actor) -> None:
    if not is_private(update):
        await answer(update, actor.t("aide.group"))
        return
    if not actor.onboarded:
        await answer(update, actor.t("aide.not_onboarded"))
        return
    lines = [actor.t("aide.header")]
    lines += [f"/{c.name} — {actor.t(c.help_key)}" for c in visible_commands(actor.roles, True, "private")]
    await answer(update, "\n".join(lines))


@command(commands.CANCEL)
async def nothing_to_cancel(update: Update, context: Context, actor: Actor) -> None:
    """/cancel outside any conversation (inside one, the conversation's own fallback answers)."""
    await answer(update, actor.t("cancel.nothing"))


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.AIDE.names, help_command),
            CommandHandler(commands.CANCEL.name, nothing_to_cancel),
        ]
    }

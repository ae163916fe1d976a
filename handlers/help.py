"""/aide: exactly the commands the person's roles allow, under headings ("Pour commencer", then by
task, in the order of bot.commands.HELP_GROUPS); commands sent in a group (/lier_ville) say so."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CommandHandler

from bot import commands
from bot.commands import HELP_GROUPS, visible_commands
from handlers.common import Actor, Context, Group, Handlers, answer, command, is_private


@command(commands.AIDE)
async def help_command(update: Update, context: Context, actor: Actor) -> None:
    if not is_private(update):
        await answer(update, actor.t("aide.group"))
        return
    if not actor.onboarded:
        await answer(update, actor.t("aide.not_onboarded"))
        return
    visible = visible_commands(actor.roles, True, "any")
    lines = [actor.t("aide.header")]
    for group in HELP_GROUPS:
        specs = [c for c in visible if c.group == group]
        if not specs:
            continue
        lines += ["", actor.t(f"aide.group.{group}")]
        for c in specs:
            where = actor.t("aide.in_group") if c.where == "group" else ""
            lines.append(f"/{c.name} — {actor.t(c.help_key)}{where}")
    await answer(update, "\n".join(lines))


@command(commands.CANCEL)
async def nothing_to_cancel(update: Update, context: Context, actor: Actor) -> None:
    """/cancel outside any conversation (inside one, the conversation's own fallback answers)."""
    await answer(update, actor.t("cancel.nothing"))


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.AIDE.names, help_command),
            CommandHandler(commands.CANCEL.names, nothing_to_cancel),
        ]
    }

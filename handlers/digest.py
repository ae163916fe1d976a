"""/digest shows my digest now; /digest_heure sets its hour; /digest_pause stops or resumes it."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CommandHandler

from bot import commands
from capabilities import digest
from domain.digest import parse_hour
from domain.people import Role
from handlers.common import Actor, Context, Group, Handlers, answer, command, services


@command(commands.DIGEST)
async def show(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    coordinator = actor.has(Role.COORDINATOR)
    composed = await digest.digests_of(
        services(context), actor.person, actor.lang, coordinator, datetime.now(UTC)
    )
    if not composed:
        await answer(update, actor.t("digest.nothing"))
    for one in composed:
        await answer(update, one.text, one.rows or None)


@command(commands.DIGEST_HEURE)
async def set_hour(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    args = context.args or []
    hour = parse_hour(args[0]) if args else None
    if hour is None:
        await answer(update, actor.t("digest.hour_usage"))
        return
    await digest.set_hour(services(context), actor.person.id, hour)
    await answer(update, actor.t("digest.hour_set", hour=hour))


@command(commands.DIGEST_PAUSE)
async def toggle(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    paused = not actor.person.digest_paused
    await digest.set_paused(services(context), actor.person.id, paused)
    if paused:
        await answer(update, actor.t("digest.paused"))
    else:
        await answer(update, actor.t("digest.resumed", hour=actor.person.digest_hour))


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.DIGEST.name, show),
            CommandHandler(commands.DIGEST_HEURE.name, set_hour),
            CommandHandler(commands.DIGEST_PAUSE.name, toggle),
        ]
    }

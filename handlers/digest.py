"""/digest shows my digest now; /digest_heure sets its hour (7, 7h, 7h30, 07:30, 19 h); /digest_pause
stops or resumes it."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CommandHandler

from bot import commands
from capabilities import digest
from domain.digest import format_hour, parse_digest_time
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
    # "19 h" arrives as two words: read them together.
    typed = "".join(context.args or [])
    parsed = parse_digest_time(typed) if typed else None
    if parsed is None:
        await answer(update, actor.t("digest.hour_usage"))
        return
    hour, minute = parsed
    await digest.set_hour(services(context), actor.person.id, hour)
    time = format_hour(hour, actor.lang)
    if minute:  # the digest goes out on the hour: say which one, and how to get it later
        asked = f"{hour:02d}h{minute:02d}" if actor.lang == "fr" else f"{hour:02d}:{minute:02d}"
        later = format_hour((hour + 1) % 24, actor.lang)
        await answer(update, actor.t("digest.hour_set_on_the_hour", time=time, asked=asked, later=later))
        return
    await answer(update, actor.t("digest.hour_set", time=time))


@command(commands.DIGEST_PAUSE)
async def toggle(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    paused = not actor.person.digest_paused
    await digest.set_paused(services(context), actor.person.id, paused)
    if paused:
        await answer(update, actor.t("digest.paused"))
    else:
        await answer(
            update, actor.t("digest.resumed", time=format_hour(actor.person.digest_hour, actor.lang))
        )


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.DIGEST.name, show),
            CommandHandler(commands.DIGEST_HEURE.name, set_hour),
            CommandHandler(commands.DIGEST_PAUSE.name, toggle),
        ]
    }

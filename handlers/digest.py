"""/digest shows my digest now; /digest_heure sets its hour; /digest_pause stops or resumes it."""

from __future__ import annotations

from datetime import UTC, datetime

from telegram import Update
from telegram.ext import CommandHandler

from bot import commands
from capabilities.digest import compose
from domain.people import Role
from handlers.common import Actor, Context, Group, Handlers, answer, command, services
from storage import digest as q
from storage.models import Person


@command(commands.DIGEST)
async def show(update: Update, context: Context, actor: Actor) -> None:
    svc = services(context)
    assert actor.person is not None
    async with svc.db.session() as s:
        mine = [r for r in await q.recipients(s, svc.settings.coordinator_ids) if r.person_id == actor.person.id]
        if not mine:  # paused or unreachable: show it anyway, on demand
            person = actor.person
            mine = [q.Recipient(person.id, person.telegram_id, actor.lang, person.digest_hour, kind, scope)
                    for kind, scope in _kinds(actor)]
        composed = await compose(s, svc.settings, datetime.now(UTC), mine)
    texts = [c for c in composed.values() if c is not None]
    if not texts:
        await answer(update, actor.t("digest.nothing"))
    for digest in texts:
        await answer(update, digest.text, digest.rows or None)


def _kinds(actor: Actor) -> list[tuple[str, str]]:
    """The digests a person gets: one per candidate city, per led domain, and the national one."""
    assert actor.person is not None
    out = [(g.role, g.scope) for g in actor.person.grants if g.role in ("candidate", "lead")]
    if actor.has(Role.COORDINATOR):
        out.append(("coordinator", ""))
    return out


@command(commands.DIGEST_HEURE)
async def set_hour(update: Update, context: Context, actor: Actor) -> None:
    args = context.args or []
    text = args[0].lower().removesuffix("h") if args else ""
    if not text.isdigit() or not 0 <= int(text) <= 23:
        await answer(update, actor.t("digest.hour_usage"))
        return
    await _save(context, actor, digest_hour=int(text), digest_paused=False)
    await answer(update, actor.t("digest.hour_set", hour=int(text)))


@command(commands.DIGEST_PAUSE)
async def toggle(update: Update, context: Context, actor: Actor) -> None:
    assert actor.person is not None
    paused = not actor.person.digest_paused
    await _save(context, actor, digest_paused=paused)
    if paused:
        await answer(update, actor.t("digest.paused"))
    else:
        await answer(update, actor.t("digest.resumed", hour=actor.person.digest_hour))


async def _save(context: Context, actor: Actor, **values: object) -> None:
    assert actor.person is not None
    async with services(context).transaction() as s:
        person = await s.get(Person, actor.person.id)
        assert person is not None
        for name, value in values.items():
            setattr(person, name, value)


def handlers() -> Handlers:
    return {Group.MAIN: [
        CommandHandler(commands.DIGEST.name, show),
        CommandHandler(commands.DIGEST_HEURE.name, set_hour),
        CommandHandler(commands.DIGEST_PAUSE.name, toggle),
    ]}

"""Coordinators: roles, invitations, cities and city groups."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta

from telegram import Update
from telegram.ext import CommandHandler

from bot import commands
from bot.menus import refresh_menu
from bot.messages import text_message
from bot.texts import t
from domain.people import Grant, RoleSpecError, effective_roles, match_city, parse_role_spec
from handlers.common import Actor, Context, Group, Handlers, answer, command, services
from handlers.onboarding import grant_label
from storage import outbox
from storage import people as q
from storage.models import Person

CITY_NAME_MAX = 80


async def _city_names(context: Context) -> list[str]:
    async with services(context).db.session() as s:
        return [c.name for c in await q.cities(s)]


async def _parse_spec(update: Update, context: Context, actor: Actor, words: list[str]) -> Grant | None:
    names = await _city_names(context)
    spec = parse_role_spec(words, names)
    if isinstance(spec, RoleSpecError):
        await answer(update, actor.t(spec.code, cities=", ".join(names)))
        return None
    return spec


@command(commands.INVITER)
async def invite(update: Update, context: Context, actor: Actor) -> None:
    if not context.args:
        await answer(update, actor.t("invite.usage"))
        return
    grant = await _parse_spec(update, context, actor, list(context.args))
    if grant is None:
        return
    svc = services(context)
    token = secrets.token_urlsafe(12)
    hours = svc.settings.invite_ttl_hours
    async with svc.transaction() as s:
        await q.create_invite(s, token, grant, actor.person, datetime.now(UTC) + timedelta(hours=hours))
        await q.audit(s, actor.person, "invite.created", grant.role.value, scope=grant.scope)
    await answer(update, actor.t("invite.created", role=grant_label(actor.lang, grant), hours=hours,
                                 link=svc.deep_link(f"inv_{token}")))


async def _target_and_grant(
    update: Update, context: Context, actor: Actor, usage_key: str
) -> tuple[Person, Grant] | None:
    args = list(context.args or [])
    if len(args) < 2:
        await answer(update, actor.t(usage_key))
        return None
    grant = await _parse_spec(update, context, actor, args[1:])
    if grant is None:
        return None
    async with services(context).db.session() as s:
        person = await q.person_by_handle(s, args[0])
    if person is None:
        await answer(update, actor.t("role.person_unknown", who=args[0]))
        return None
    return person, grant


async def _after_role_change(context: Context, person_id: int) -> None:
    svc = services(context)
    async with svc.db.session() as s:
        person = await s.get(Person, person_id)
        assert person is not None
        roles = effective_roles(
            q.grants_of(person), person.telegram_id in svc.settings.coordinator_ids, onboarded=True
        )
    await refresh_menu(context.bot, person.telegram_id, roles, person.language)


@command(commands.ROLE)
async def grant(update: Update, context: Context, actor: Actor) -> None:
    found = await _target_and_grant(update, context, actor, "role.usage")
    if found is None:
        return
    target, spec = found
    label_for_them = grant_label(target.language, spec)
    async with services(context).transaction() as s:
        person = await s.get(Person, target.id)
        assert person is not None
        added = await q.grant_role(s, person, spec, actor.person)
        if added:
            await q.audit(s, actor.person, "role.granted", str(person.id), role=spec.role.value, scope=spec.scope)
            await outbox.enqueue(
                s, person.telegram_id, text_message(t(person.language, "role.you_got", role=label_for_them)),
                person_id=person.id,
            )
    key = "role.granted" if added else "role.already"
    await answer(update, actor.t(key, name=target.first_name, role=grant_label(actor.lang, spec)))
    if added:
        await _after_role_change(context, target.id)


@command(commands.RETIRER_ROLE)
async def revoke(update: Update, context: Context, actor: Actor) -> None:
    found = await _target_and_grant(update, context, actor, "role.unrevoke_usage")
    if found is None:
        return
    target, spec = found
    async with services(context).transaction() as s:
        person = await s.get(Person, target.id)
        assert person is not None
        removed = await q.revoke_role(s, person, spec)
        if removed:
            await q.audit(s, actor.person, "role.revoked", str(person.id), role=spec.role.value, scope=spec.scope)
            await outbox.enqueue(
                s, person.telegram_id,
                text_message(t(person.language, "role.you_lost", role=grant_label(person.language, spec))),
                person_id=person.id,
            )
    key = "role.revoked" if removed else "role.not_held"
    await answer(update, actor.t(key, name=target.first_name, role=grant_label(actor.lang, spec)))
    if removed:
        await _after_role_change(context, target.id)


@command(commands.VILLES)
async def list_cities(update: Update, context: Context, actor: Actor) -> None:
    async with services(context).db.session() as s:
        cities = await q.cities(s)
        groups = await q.group_counts(s)
    lines = [actor.t("city.list_header")]
    lines += [actor.t("city.line", name=c.name, groups=groups.get(c.id, 0)) for c in cities]
    await answer(update, "\n".join(lines))


@command(commands.NOUVELLE_VILLE)
async def new_city(update: Update, context: Context, actor: Actor) -> None:
    name = " ".join(context.args or []).strip()
    if not context.args:
        await answer(update, actor.t("city.usage_new"))
        return
    if not name or len(name) > CITY_NAME_MAX or name.startswith("/"):
        await answer(update, actor.t("city.name_invalid"))
        return
    async with services(context).transaction() as s:
        city = await q.create_city(s, name)
        if city is not None:
            await q.audit(s, actor.person, "city.created", name)
    await answer(update, actor.t("city.created" if city else "city.exists", name=name))


@command(commands.LIER_VILLE)
async def link_group(update: Update, context: Context, actor: Actor) -> None:
    chat = update.effective_chat
    assert chat is not None
    names = await _city_names(context)
    wanted = " ".join(context.args or [])
    if not wanted:
        await answer(update, actor.t("group.usage", cities=", ".join(names)))
        return
    city_name = match_city(wanted, names)
    if city_name is None:
        await answer(update, actor.t("group.unknown_city", city=wanted, cities=", ".join(names)))
        return
    async with services(context).transaction() as s:
        city = next(c for c in await q.cities(s) if c.name == city_name)
        await q.upsert_group(s, chat.id, chat.type, chat.title or "", city, actor.person)
        await q.audit(s, actor.person, "group.linked", str(chat.id), city=city_name)
    await answer(update, actor.t("group.linked", city=city_name))


def handlers() -> Handlers:
    return {Group.MAIN: [
        CommandHandler(commands.INVITER.name, invite),
        CommandHandler(commands.ROLE.name, grant),
        CommandHandler(commands.RETIRER_ROLE.name, revoke),
        CommandHandler(commands.VILLES.name, list_cities),
        CommandHandler(commands.NOUVELLE_VILLE.name, new_city),
        CommandHandler(commands.LIER_VILLE.name, link_group),
    ]}

"""/start: a newcomer's first name, city, skills, then consent. Nothing is stored before consent."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from bot import commands
from bot.menus import refresh_menu
from bot.texts import PRIVACY_VERSION, t
from domain.people import Grant, Role, clean_first_name
from domain.roles import ROLES
from handlers.common import Actor, Context, Group, Handlers, answer, buttons, load_actor, services
from handlers.conversation import cancel_handler, hint_handler
from storage import people as q
from storage.models import Person

log = logging.getLogger(__name__)

NAME, CITY, SKILLS, CONSENT = range(4)
KEY = "onboarding"



def city_rows(lang: str, cities: list[tuple[int, str]], prefix: str) -> list[list[tuple[str, str]]]:
    rows: list[list[tuple[str, str]]] = []
    for i in range(0, len(cities), 2):
        rows.append([(name, f"{prefix}:{cid}") for cid, name in cities[i : i + 2]])
    rows.append([(t(lang, "btn.no_city"), f"{prefix}:none")])
    return rows


def skill_rows(lang: str, chosen: list[str], prefix: str) -> list[list[tuple[str, str]]]:
    rows: list[list[tuple[str, str]]] = []
    labels = [(("✅ " if s in chosen else "") + t(lang, f"skill.{s}"), f"{prefix}:{i}") for i, s in enumerate(ROLES)]
    for i in range(0, len(labels), 2):
        rows.append(labels[i : i + 2])
    rows.append([(t(lang, "btn.validate"), f"{prefix}:ok")])
    return rows


def toggle_skill(chosen: list[str], index_text: str) -> list[str] | None:
    """The new skill list after a tap, or None for a bad index."""
    if not index_text.isdigit() or int(index_text) >= len(ROLES):
        return None
    skill = ROLES[int(index_text)]
    return [s for s in chosen if s != skill] if skill in chosen else [s for s in ROLES if s in chosen or s == skill]


async def city_choices(context: Context) -> list[tuple[int, str]]:
    async with services(context).db.session() as s:
        return [(c.id, c.name) for c in await q.cities(s)]


async def start(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    payload = context.args[0] if context.args else ""
    if actor.person is not None:
        await run_payload(update, context, actor, payload, greet=True)
        return ConversationHandler.END
    context.user_data[KEY] = {"payload": payload, "skills": []}  # type: ignore[index]
    await answer(update, actor.t("start.welcome"))
    return NAME


async def run_payload(update: Update, context: Context, actor: Actor, payload: str, greet: bool) -> None:
    prefix = payload.split("_", 1)[0]
    handler = services(context).deep_links.get(prefix) if payload else None
    if handler is not None:
        await handler(update, context, actor, payload)
    elif greet:
        assert actor.person is not None
        await answer(update, actor.t("start.already", name=actor.person.first_name))


async def got_name(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    state = context.user_data.get(KEY)  # type: ignore[union-attr]
    if state is None:
        return ConversationHandler.END
    name = clean_first_name(update.effective_message.text or "")  # type: ignore[union-attr]
    if name is None:
        await answer(update, actor.t("start.name_invalid"))
        return NAME
    state["name"] = name
    await answer(update, actor.t("start.ask_city", name=name), city_rows(actor.lang, await city_choices(context), "ob:city"))
    return CITY


async def got_city(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    state = context.user_data.get(KEY)  # type: ignore[union-attr]
    if state is None:
        await query.answer(actor.t("start.expired"), show_alert=True)
        return ConversationHandler.END
    choice = (query.data or "").rsplit(":", 1)[-1]
    known = dict(await city_choices(context))
    if choice != "none" and (not choice.isdigit() or int(choice) not in known):
        await query.answer(actor.t("start.city_invalid"), show_alert=True)
        return CITY
    state["city_id"] = int(choice) if choice != "none" else None
    await query.answer()
    await query.edit_message_reply_markup(None)
    await answer(update, actor.t("start.ask_skills"), skill_rows(actor.lang, state["skills"], "ob:sk"))
    return SKILLS


async def got_skill(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    state = context.user_data.get(KEY)  # type: ignore[union-attr]
    if state is None:
        await query.answer(actor.t("start.expired"), show_alert=True)
        return ConversationHandler.END
    choice = (query.data or "").rsplit(":", 1)[-1]
    if choice == "ok":
        await query.answer()
        await query.edit_message_reply_markup(None)
        await answer(update, actor.t("start.privacy"), [[(actor.t("btn.accept"), "ob:consent:yes"),
                                                          (actor.t("btn.refuse"), "ob:consent:no")]])
        return CONSENT
    chosen = toggle_skill(state["skills"], choice)
    if chosen is None:
        await query.answer(actor.t("fallback.button_stale"))
        return SKILLS
    state["skills"] = chosen
    await query.answer()
    await query.edit_message_reply_markup(
        reply_markup=buttons(skill_rows(actor.lang, chosen, "ob:sk"))
    )
    return SKILLS


async def got_consent(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    state = context.user_data.pop(KEY, None)  # type: ignore[union-attr]
    if state is None:
        await query.answer(actor.t("start.expired"), show_alert=True)
        return ConversationHandler.END
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not (query.data or "").endswith(":yes"):
        await answer(update, actor.t("start.refused"))
        return ConversationHandler.END
    if actor.person is not None:  # a replayed or double-tapped consent: already done
        await answer(update, actor.t("start.already", name=actor.person.first_name))
        return ConversationHandler.END
    svc = services(context)
    user = update.effective_user
    async with svc.transaction() as s:
        person = await q.create_person(
            s,
            telegram_id=user.id,
            first_name=state["name"],
            username=user.username,
            language=actor.lang,
            city_id=state.get("city_id"),
            skills=state["skills"],
            consent_version=PRIVACY_VERSION,
            consent_at=datetime.now(UTC),
        )
        await q.audit(s, person, "person.onboarded", str(person.id), consent_version=PRIVACY_VERSION)
    actor = await load_actor(update, context)
    await refresh_menu(context.bot, user.id, actor.roles, actor.lang)
    await answer(update, actor.t("start.done", name=state["name"]))
    await run_payload(update, context, actor, state.get("payload", ""), greet=False)
    return ConversationHandler.END


use_buttons = hint_handler("start.use_buttons")
cancel = cancel_handler(KEY)


async def accept_invite(update: Update, context: Context, actor: Actor, payload: str) -> None:
    """`inv_<token>`: single use, expiring; the role is granted in one transaction."""
    assert actor.person is not None
    svc = services(context)
    token = payload.removeprefix("inv_")
    async with svc.transaction() as s:
        invite = await q.invite_by_token(s, token)
        now = datetime.now(UTC)
        if invite is None:
            error = "invite.invalid"
        elif invite.used_at is not None:
            error = "invite.used"
        elif invite.expires_at <= now:
            error = "invite.expired"
        else:
            error = ""
            person = await s.get(Person, actor.person.id)
            assert person is not None
            grant = Grant(Role(invite.role), invite.scope)
            await q.grant_role(s, person, grant, None)
            invite.used_by = person.id
            invite.used_at = now
            await q.audit(s, person, "role.granted_by_invite", str(person.id), role=invite.role, scope=invite.scope)
    if error:
        await answer(update, actor.t(error))
        return
    actor = await load_actor(update, context)
    await refresh_menu(context.bot, actor.telegram_id, actor.roles, actor.lang)
    await answer(update, actor.t("invite.granted", role=grant_label(actor.lang, grant)))


def grant_label(lang: str, grant: Grant) -> str:
    label = t(lang, f"role.{grant.role.value}")
    if grant.role is Role.LEAD and grant.scope:
        return f"{label} {t(lang, f'domain.{grant.scope}')}"
    return f"{label} {grant.scope}".strip()


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    return {Group.MAIN: [ConversationHandler(
        entry_points=[CommandHandler(commands.START.name, start, filters=private)],
        states={
            NAME: [MessageHandler(private & filters.TEXT & ~filters.COMMAND, got_name)],
            CITY: [CallbackQueryHandler(got_city, pattern=r"^ob:city:")],
            SKILLS: [CallbackQueryHandler(got_skill, pattern=r"^ob:sk:")],
            CONSENT: [CallbackQueryHandler(got_consent, pattern=r"^ob:consent:")],
        },
        fallbacks=[
            CommandHandler(commands.CANCEL.name, cancel),
            CommandHandler(commands.START.name, start, filters=private),
            MessageHandler(private & ~filters.COMMAND, use_buttons),
        ],
        name="onboarding",
        allow_reentry=True,
    )]}

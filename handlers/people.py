"""Coordinators: roles, invitations, cities and city groups."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot import commands, paging
from bot.callbacks import CitiesPage, RolePick
from bot.menus import refresh_menu
from capabilities.people import Refused, cities, roles
from capabilities.people.roles import Namesakes, RoleChange, grant_label
from domain.people import Role, clean_city_name
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    button,
    command,
    services,
    user_data,
)
from handlers.conversation import clear_keyboard
from handlers.paged import show as show_page


async def _refused(update: Update, actor: Actor, refused: Refused) -> None:
    await answer(update, actor.t(refused.key, **refused.values))


@command(commands.INVITER)
async def invite(update: Update, context: Context, actor: Actor) -> None:
    if not context.args:
        await answer(update, actor.t("invite.usage"))
        return
    made = await roles.invite(services(context), actor.person, list(context.args))
    if isinstance(made, Refused):
        await _refused(update, actor, made)
        return
    role = grant_label(actor.lang, made.grant)
    await answer(update, actor.t("invite.created", role=role, hours=made.hours, link=made.link))


# The role waiting while the coordinator picks among namesakes: {"give": bool, "words": [...]}.
PENDING = "role.pending"


async def _change_role(update: Update, context: Context, actor: Actor, *, give: bool, usage: str) -> None:
    args = list(context.args or [])
    if len(args) < 2:
        await answer(update, actor.t(usage))
        return
    change = await roles.change_role_for(services(context), actor.person, args[0], args[1:], give=give)
    if isinstance(change, Namesakes):
        # The buttons carry a person id only; the role waits in the coordinator's own memory.
        user_data(context)[PENDING] = {"give": give, "words": args[1:]}
        rows: Rows = [[(label, RolePick("g" if give else "r", pid).pack())] for pid, label in change.people]
        await answer(update, actor.t("role.pick", who=change.who), rows)
        return
    await _told(update, context, actor, change, give=give)


async def _told(
    update: Update, context: Context, actor: Actor, change: RoleChange | Refused, *, give: bool
) -> None:
    if isinstance(change, Refused):
        await _refused(update, actor, change)
        return
    if give:
        key = "role.granted" if change.changed else "role.already"
    else:
        key = "role.revoked" if change.changed else "role.not_held"
    await answer(update, actor.t(key, name=change.name, role=grant_label(actor.lang, change.grant)))
    if change.changed:
        await refresh_menu(context.bot, change.telegram_id, change.roles, change.language)


@button(Role.COORDINATOR)
async def picked(update: Update, context: Context, actor: Actor) -> None:
    """The namesake meant: the role kept aside is given (or taken) now, the choice buttons removed."""
    query = update.callback_query
    assert query is not None
    pressed = RolePick.parse(query.data)
    pending = user_data(context).get(PENDING)
    if pressed is None or not isinstance(pending, dict) or pending.get("give") != (pressed.give == "g"):
        await query.answer(actor.t("role.pick_stale"), show_alert=True)
        await clear_keyboard(update)
        return
    await query.answer()
    await clear_keyboard(update)
    user_data(context).pop(PENDING, None)
    give = pressed.give == "g"
    change = await roles.change_role_of(
        services(context), actor.person, pressed.person_id, list(pending["words"]), give=give
    )
    await _told(update, context, actor, change, give=give)


@command(commands.ROLE)
async def grant(update: Update, context: Context, actor: Actor) -> None:
    await _change_role(update, context, actor, give=True, usage="role.usage")


@command(commands.RETIRER_ROLE)
async def revoke(update: Update, context: Context, actor: Actor) -> None:
    await _change_role(update, context, actor, give=False, usage="role.unrevoke_usage")


@command(commands.VILLES)
async def list_cities(update: Update, context: Context, actor: Actor) -> None:
    await _cities_page(update, context, actor, 0)


@button(Role.COORDINATOR)
async def cities_page(update: Update, context: Context, actor: Actor) -> None:
    """/villes: another page, edited in place (a forged page number is clamped)."""
    query = update.callback_query
    assert query is not None
    pressed = CitiesPage.parse(query.data)
    assert pressed is not None  # the handler's pattern
    await query.answer()
    await _cities_page(update, context, actor, pressed.page)


CITIES_PAGE = 20


async def _cities_page(update: Update, context: Context, actor: Actor, number: int) -> None:
    """One message: a page of the cities and how many groups each has, what is not shown counted."""
    found = await cities.with_groups(services(context))
    win = paging.window(len(found), number, CITIES_PAGE)
    lines = [actor.t("city.line", name=name, groups=n) for name, n in win.slice(found)]
    nav = paging.nav_row(actor.lang, win, lambda n: CitiesPage(n).pack())
    text = paging.page_message(actor.t("city.list_header"), lines, paging.footer(actor.lang, win))
    await show_page(update, text, [nav] if nav else [])


@command(commands.NOUVELLE_VILLE)
async def new_city(update: Update, context: Context, actor: Actor) -> None:
    if not context.args:
        await answer(update, actor.t("city.usage_new"))
        return
    name = clean_city_name(" ".join(context.args))
    if name is None:
        await answer(update, actor.t("city.name_invalid"))
        return
    created = await cities.create(services(context), actor.person, name)
    await answer(update, actor.t("city.created" if created else "city.exists", name=name))


@command(commands.LIER_VILLE)
async def link_group(update: Update, context: Context, actor: Actor) -> None:
    chat = update.effective_chat
    assert chat is not None
    wanted = " ".join(context.args or [])
    linked = await cities.link_group(
        services(context), actor.person, chat.id, chat.type, chat.title or "", wanted
    )
    if isinstance(linked, Refused):
        await _refused(update, actor, linked)
        return
    await answer(update, actor.t("group.linked", city=linked))


def handlers() -> Handlers:
    return {
        Group.MAIN: [
            CommandHandler(commands.INVITER.name, invite),
            CommandHandler(commands.ROLE.name, grant),
            CommandHandler(commands.RETIRER_ROLE.name, revoke),
            CommandHandler(commands.VILLES.name, list_cities),
            CommandHandler(commands.NOUVELLE_VILLE.name, new_city),
            CommandHandler(commands.LIER_VILLE.name, link_group),
            CallbackQueryHandler(picked, pattern=RolePick.pattern()),
            CallbackQueryHandler(cities_page, pattern=CitiesPage.pattern()),
        ]
    }

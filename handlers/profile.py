"""/profil: see and edit one's own profile. Each change is saved on its own, whole."""

from __future__ import annotations

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot import commands
from bot.menus import refresh_menu
from domain.people import clean_first_name
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    answer,
    buttons,
    command,
    load_actor,
    role_names,
    services,
)
from handlers.conversation import cancel_handler, hint_handler
from handlers.onboarding import city_choices, city_rows, skill_rows, toggle_skill
from storage import people as q
from storage.models import Person

MENU, NAME, CITY, SKILLS = range(10, 14)
KEY = "profile_skills"


def summary(actor: Actor) -> tuple[str, list[list[tuple[str, str]]]]:
    person = actor.person
    assert person is not None
    none = actor.t("profile.none")
    skills = ", ".join(actor.t(f"skill.{s}") for s in person.skills) or none
    text = actor.t(
        "profile.summary",
        name=person.first_name,
        city=person.city.name if person.city else none,
        skills=skills,
        language=actor.t(f"lang.{person.language}"),
        roles=role_names(actor.lang, actor.roles),
    )
    rows = [
        [(actor.t("btn.edit_name"), "pf:name"), (actor.t("btn.edit_city"), "pf:city")],
        [(actor.t("btn.edit_skills"), "pf:skills"), (actor.t("btn.edit_language"), "pf:lang")],
        [(actor.t("btn.done"), "pf:done")],
    ]
    return text, rows


async def show(update: Update, actor: Actor) -> int:
    text, rows = summary(actor)
    await answer(update, text, rows)
    return MENU


@command(commands.PROFIL)
async def open_profile(update: Update, context: Context, actor: Actor) -> int:
    return await show(update, actor)


async def menu_choice(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    if actor.person is None:
        await query.answer(actor.t("perm.need_start"), show_alert=True)
        return ConversationHandler.END
    choice = (query.data or "").split(":", 1)[1]
    await query.answer()
    await query.edit_message_reply_markup(None)
    if choice == "name":
        await answer(update, actor.t("profile.ask_name"))
        return NAME
    if choice == "city":
        await answer(update, actor.t("start.ask_city", name=actor.person.first_name),
                     city_rows(actor.lang, await city_choices(context), "pf:c"))
        return CITY
    if choice == "skills":
        context.user_data[KEY] = list(actor.person.skills)  # type: ignore[index]
        await answer(update, actor.t("start.ask_skills"), skill_rows(actor.lang, actor.person.skills, "pf:s"))
        return SKILLS
    if choice == "lang":
        await save(context, actor, language="en" if actor.person.language == "fr" else "fr")
        actor = await load_actor(update, context)
        await refresh_menu(context.bot, actor.telegram_id, actor.roles, actor.lang)
        return await show(update, actor)
    await answer(update, actor.t("profile.closed"))
    return ConversationHandler.END


async def save(context: Context, actor: Actor, **changes: object) -> None:
    assert actor.person is not None
    async with services(context).transaction() as s:
        person = await s.get(Person, actor.person.id)
        assert person is not None
        for field, value in changes.items():
            setattr(person, field, value)
        await q.audit(s, person, "person.profile_edited", str(person.id), fields=sorted(changes))


async def got_name(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    name = clean_first_name(update.effective_message.text or "")  # type: ignore[union-attr]
    if name is None:
        await answer(update, actor.t("start.name_invalid"))
        return NAME
    await save(context, actor, first_name=name)
    return await show(update, await load_actor(update, context))


async def got_city(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    choice = (query.data or "").rsplit(":", 1)[-1]
    known = dict(await city_choices(context))
    if choice != "none" and (not choice.isdigit() or int(choice) not in known):
        await query.answer(actor.t("start.city_invalid"), show_alert=True)
        return CITY
    await query.answer()
    await query.edit_message_reply_markup(None)
    await save(context, actor, city_id=int(choice) if choice != "none" else None)
    return await show(update, await load_actor(update, context))


async def got_skill(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    query = update.callback_query
    assert query is not None
    chosen: list[str] = context.user_data.get(KEY, [])  # type: ignore[union-attr]
    choice = (query.data or "").rsplit(":", 1)[-1]
    if choice == "ok":
        await query.answer()
        await query.edit_message_reply_markup(None)
        await save(context, actor, skills=chosen)
        context.user_data.pop(KEY, None)  # type: ignore[union-attr]
        return await show(update, await load_actor(update, context))
    new = toggle_skill(chosen, choice)
    if new is None:
        await query.answer(actor.t("fallback.button_stale"))
        return SKILLS
    context.user_data[KEY] = new  # type: ignore[index]
    await query.answer()
    await query.edit_message_reply_markup(buttons(skill_rows(actor.lang, new, "pf:s")))
    return SKILLS


cancel = cancel_handler(KEY)
use_buttons = hint_handler("start.use_buttons")


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    return {Group.MAIN: [ConversationHandler(
        entry_points=[CommandHandler(commands.PROFIL.name, open_profile, filters=private)],
        states={
            MENU: [CallbackQueryHandler(menu_choice, pattern=r"^pf:(name|city|skills|lang|done)$")],
            NAME: [MessageHandler(private & filters.TEXT & ~filters.COMMAND, got_name)],
            CITY: [CallbackQueryHandler(got_city, pattern=r"^pf:c:")],
            SKILLS: [CallbackQueryHandler(got_skill, pattern=r"^pf:s:")],
        },
        fallbacks=[
            CommandHandler(commands.CANCEL.name, cancel),
            CommandHandler(commands.PROFIL.name, open_profile, filters=private),
            MessageHandler(private & ~filters.COMMAND, use_buttons),
        ],
        name="profile",
        allow_reentry=True,
    )]}

"""/profil: see and edit one's own profile. Each change is saved on its own, whole.

A form (handlers/conversation.py): the draft says which field is being changed (none: the summary
and its menu); `next_step` derives the question from it.
"""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import ProfileCity, ProfileMenu, ProfileSkill, pattern_of
from bot.menus import refresh_menu
from bot.texts import Html
from capabilities.people import cities, profile
from domain.people import SKILLS_DONE, chosen_city, clean_first_name, toggle_skill
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    buttons,
    command,
    load_actor,
    message_text,
    role_names,
    services,
    user_data,
)
from handlers.conversation import END, FORM, Turn, clear_keyboard, drop, form, step
from handlers.onboarding import city_rows, skill_rows

KEY = "profile"
Draft = dict[str, Any]


def next_step(d: Draft) -> str:
    """The field being changed, or "menu" (the summary, and what to change)."""
    return str(d.get("editing", "menu"))


def summary(actor: Actor) -> tuple[str, Rows]:
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
    # Anyone can read their own id here: the first coordinator puts it in COORDINATOR_IDS (README).
    text = Html(f"{text}\n\n{actor.t('first.your_id', id=actor.telegram_id)}")
    rows = [
        [
            (actor.t("btn.edit_name"), ProfileMenu("name").pack()),
            (actor.t("btn.edit_city"), ProfileMenu("city").pack()),
        ],
        [
            (actor.t("btn.edit_skills"), ProfileMenu("skills").pack()),
            (actor.t("btn.edit_language"), ProfileMenu("lang").pack()),
        ],
        [(actor.t("btn.done"), ProfileMenu("done").pack())],
    ]
    return text, rows


async def _ask(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    assert actor.person is not None
    step_now = next_step(d)
    if step_now == "name":
        await answer(update, actor.t("profile.ask_name"))
    elif step_now == "city":
        choices = await cities.choices(services(context))
        text = actor.t("start.ask_city", name=actor.person.first_name)
        await answer(update, text, city_rows(actor.lang, choices, ProfileCity))
    elif step_now == "skills":
        await answer(update, actor.t("start.ask_skills"), skill_rows(actor.lang, d["skills"], ProfileSkill))
    else:
        await answer(update, *summary(actor))
    return FORM


async def _saved(update: Update, context: Context, d: Draft) -> int:
    """A change is stored: back to the summary, as it is now."""
    d.clear()
    return await _ask(update, context, await load_actor(update, context), d)


@command(commands.PROFIL)
async def open_profile(update: Update, context: Context, actor: Actor) -> int:
    draft: Draft = {}
    user_data(context)[KEY] = draft
    return await _ask(update, context, actor, draft)


@step(KEY)
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    if next_step(d) != "name":
        await answer(update, actor.t("start.use_buttons"))
        return FORM
    if actor.person is None:
        drop(context, KEY)
        await answer(update, actor.t("perm.need_start"))
        return END
    name = clean_first_name(message_text(update))
    if name is None:
        await answer(update, actor.t("start.name_invalid"))
        return FORM
    await profile.rename(services(context), actor.person.id, name)
    return await _saved(update, context, d)


@step(KEY)
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    if actor.person is None:  # a button is not a permission: the person may be gone since
        drop(context, KEY)
        await query.answer(actor.t("perm.need_start"), show_alert=True)
        return END
    step_now = next_step(d)
    menu, city, skill = (
        ProfileMenu.parse(query.data),
        ProfileCity.parse(query.data),
        ProfileSkill.parse(query.data),
    )
    if menu is not None and step_now == "menu":
        return await _menu(update, context, actor, d, menu.choice)
    if city is not None and step_now == "city":
        try:
            city_id = chosen_city(city.city, dict(await cities.choices(services(context))))
        except ValueError:
            await query.answer(actor.t("start.city_invalid"), show_alert=True)
            return FORM
        await query.answer()
        await clear_keyboard(update)
        await profile.move(services(context), actor.person.id, city_id)
        return await _saved(update, context, d)
    if skill is not None and step_now == "skills":
        if skill.choice == SKILLS_DONE:
            await query.answer()
            await clear_keyboard(update)
            await profile.set_skills(services(context), actor.person.id, d["skills"])
            return await _saved(update, context, d)
        chosen = toggle_skill(d["skills"], skill.choice)
        if chosen is not None:
            d["skills"] = chosen
            await query.answer()
            await query.edit_message_reply_markup(buttons(skill_rows(actor.lang, chosen, ProfileSkill)))
            return FORM
    await query.answer(actor.t("fallback.button_stale"))
    return FORM


async def _menu(update: Update, context: Context, actor: Actor, d: Draft, choice: str) -> int:
    query, person = update.callback_query, actor.person
    assert query is not None and person is not None
    await query.answer()
    await clear_keyboard(update)
    if choice == "done":
        drop(context, KEY)
        await answer(update, actor.t("profile.closed"))
        return END
    if choice == "lang":
        await profile.switch_language(services(context), person)
        actor = await load_actor(update, context)
        await refresh_menu(context.bot, actor.telegram_id, actor.roles, actor.lang)
        return await _ask(update, context, actor, d)
    d["editing"] = choice
    if choice == "skills":
        d["skills"] = list(person.skills)
    return await _ask(update, context, actor, d)


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    conversation = form(
        "profile",
        entry_points=[CommandHandler(commands.PROFIL.name, open_profile, filters=private)],
        steps=[
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
            CallbackQueryHandler(on_button, pattern=pattern_of(ProfileMenu, ProfileCity, ProfileSkill)),
        ],
        drafts=(KEY,),
        hint="start.use_buttons",
        restart=commands.PROFIL,
        fallbacks=[CommandHandler(commands.PROFIL.name, open_profile, filters=private)],
    )
    return {Group.MAIN: [conversation]}

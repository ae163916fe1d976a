"""/start: a newcomer's first name, city, skills, then consent. Nothing is stored before consent.

A form (handlers/conversation.py): the answers fill a draft, and `next_step` says what to ask next.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import CallbackData, OnboardingCity, OnboardingConsent, OnboardingSkill, pattern_of
from bot.menus import refresh_menu
from bot.texts import t
from capabilities.people import Refused, cities, onboarding, profile
from capabilities.people.roles import grant_label
from domain.people import NO_CITY, SKILLS_DONE, chosen_city, clean_first_name, toggle_skill
from domain.roles import ROLES
from handlers.common import (
    Actor,
    Context,
    Group,
    Handlers,
    Rows,
    answer,
    buttons,
    load_actor,
    message_text,
    services,
    user_data,
)
from handlers.conversation import END, FORM, Turn, clear_keyboard, drop, form, step

KEY = "onboarding"
Draft = dict[str, Any]


def next_step(d: Draft) -> str:
    """The first question not answered yet: the whole order of /start."""
    if "name" not in d:
        return "name"
    if "city_id" not in d:
        return "city"
    if not d.get("skills_done"):
        return "skills"
    return "consent"


def city_rows(lang: str, choices: list[tuple[int, str]], fmt: Callable[[str], CallbackData]) -> Rows:
    """The cities, two a row, then « none of these »."""
    rows: Rows = [
        [(name, fmt(str(cid)).pack()) for cid, name in choices[i : i + 2]] for i in range(0, len(choices), 2)
    ]
    rows.append([(t(lang, "btn.no_city"), fmt(NO_CITY).pack())])
    return rows


def skill_rows(lang: str, chosen: list[str], fmt: Callable[[str], CallbackData]) -> Rows:
    """Every skill, two a row, ✅ on the chosen ones, then Valider."""
    labels = [
        (("✅ " if s in chosen else "") + t(lang, f"skill.{s}"), fmt(str(i)).pack())
        for i, s in enumerate(ROLES)
    ]
    rows: Rows = [labels[i : i + 2] for i in range(0, len(labels), 2)]
    rows.append([(t(lang, "btn.validate"), fmt(SKILLS_DONE).pack())])
    return rows


async def _ask(update: Update, context: Context, actor: Actor, d: Draft) -> int:
    step_now = next_step(d)
    if step_now == "name":
        await answer(update, actor.t("start.welcome"))
    elif step_now == "city":
        choices = await cities.choices(services(context))
        await answer(
            update, actor.t("start.ask_city", name=d["name"]), city_rows(actor.lang, choices, OnboardingCity)
        )
    elif step_now == "skills":
        await answer(
            update, actor.t("start.ask_skills"), skill_rows(actor.lang, d["skills"], OnboardingSkill)
        )
    else:
        yes, no = OnboardingConsent("yes").pack(), OnboardingConsent("no").pack()
        await answer(
            update, actor.t("start.privacy"), [[(actor.t("btn.accept"), yes), (actor.t("btn.refuse"), no)]]
        )
    return FORM


async def start(update: Update, context: Context) -> int:
    actor = await load_actor(update, context)
    payload = context.args[0] if context.args else ""
    if actor.person is not None:
        await run_payload(update, context, actor, payload, greet=True)
        return END
    draft: Draft = {"payload": payload, "skills": []}
    user_data(context)[KEY] = draft
    return await _ask(update, context, actor, draft)


async def run_payload(update: Update, context: Context, actor: Actor, payload: str, greet: bool) -> None:
    prefix = payload.split("_", 1)[0]
    handler = services(context).deep_links.get(prefix) if payload else None
    if handler is not None:
        await handler(update, context, actor, payload)
    elif greet:
        assert actor.person is not None
        if profile.stopped(actor.person):  # /start is the way back after /stop (told by /stop)
            await profile.resume_all(services(context), actor.person.id)
            await answer(update, actor.t("start.resumed", name=actor.person.first_name))
            return
        await answer(update, actor.t("start.already", name=actor.person.first_name))


@step(KEY, stale_key="start.expired")
async def on_text(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    if next_step(d) != "name":
        await answer(update, actor.t("start.use_buttons"))
        return FORM
    name = clean_first_name(message_text(update))
    if name is None:
        await answer(update, actor.t("start.name_invalid"))
        return FORM
    d["name"] = name
    return await _ask(update, context, actor, d)


@step(KEY, stale_key="start.expired")
async def on_button(update: Update, context: Context, turn: Turn) -> int:
    actor, d = turn.actor, turn.draft
    query = update.callback_query
    assert query is not None
    step_now = next_step(d)
    city, skill = OnboardingCity.parse(query.data), OnboardingSkill.parse(query.data)
    consent = OnboardingConsent.parse(query.data)
    if city is not None and step_now == "city":
        try:
            d["city_id"] = chosen_city(city.city, dict(await cities.choices(services(context))))
        except ValueError:
            await query.answer(actor.t("start.city_invalid"), show_alert=True)
            return FORM
    elif skill is not None and step_now == "skills":
        if skill.choice != SKILLS_DONE:
            return await _toggle(update, actor, d, skill.choice)
        d["skills_done"] = True
    elif consent is not None and step_now == "consent":
        return await _consent(update, context, actor, d, consent.answer == "yes")
    else:  # a button of a step already answered
        await query.answer(actor.t("start.expired"), show_alert=True)
        return FORM
    await query.answer()
    await clear_keyboard(update)
    return await _ask(update, context, actor, d)


async def _toggle(update: Update, actor: Actor, d: Draft, choice: str) -> int:
    query = update.callback_query
    assert query is not None
    chosen = toggle_skill(d["skills"], choice)
    if chosen is None:
        await query.answer(actor.t("fallback.button_stale"))
        return FORM
    d["skills"] = chosen
    await query.answer()
    await query.edit_message_reply_markup(
        reply_markup=buttons(skill_rows(actor.lang, chosen, OnboardingSkill))
    )
    return FORM


async def _consent(update: Update, context: Context, actor: Actor, d: Draft, accepted: bool) -> int:
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    drop(context, KEY)
    await query.answer()
    await clear_keyboard(update)
    if not accepted:
        await answer(update, actor.t("start.refused"))
        return END
    if actor.person is not None:  # a replayed or double-tapped consent: already done
        await answer(update, actor.t("start.already", name=actor.person.first_name))
        return END
    await onboarding.register(
        services(context),
        telegram_id=user.id,
        username=user.username,
        language=actor.lang,
        first_name=d["name"],
        city_id=d["city_id"],
        skills=d["skills"],
    )
    actor = await load_actor(update, context)
    await refresh_menu(context.bot, user.id, actor.roles, actor.lang)
    await answer(update, actor.t("start.done", name=d["name"]))
    await run_payload(update, context, actor, d["payload"], greet=False)
    return END


async def accept_invite(update: Update, context: Context, actor: Actor, payload: str) -> None:
    """`/start inv_<token>` once registered: the invitation's role, if the link is still good."""
    assert actor.person is not None
    granted = await onboarding.accept_invite(services(context), actor.person.id, payload)
    if isinstance(granted, Refused):
        await answer(update, actor.t(granted.key, **granted.values))
        return
    actor = await load_actor(update, context)
    await refresh_menu(context.bot, actor.telegram_id, actor.roles, actor.lang)
    await answer(update, actor.t("invite.granted", role=grant_label(actor.lang, granted)))


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    conversation = form(
        "onboarding",
        entry_points=[CommandHandler(commands.START.name, start, filters=private)],
        steps=[
            MessageHandler(private & filters.TEXT & ~filters.COMMAND, on_text),
            CallbackQueryHandler(
                on_button, pattern=pattern_of(OnboardingCity, OnboardingSkill, OnboardingConsent)
            ),
        ],
        drafts=(KEY,),
        hint="start.use_buttons",
        restart=commands.START,
        fallbacks=[CommandHandler(commands.START.name, start, filters=private)],
    )
    return {Group.MAIN: [conversation]}

"""Shared by handlers: who is acting, in which language, may they, and how to answer."""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, cast

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ChatType, ParseMode
from telegram.ext import BaseHandler, ContextTypes

from bot.commands import CommandSpec
from bot.services import Services
from bot.texts import Html, language_of, plain, t
from capabilities.people import roles as people_roles
from capabilities.people.actors import identify
from domain.people import Role
from domain.ratelimit import RateLimit, Verdict
from storage.models import Person

Context = ContextTypes.DEFAULT_TYPE
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)
# Coroutine functions, as PTB's handlers take them.
ActorHandler = Callable[[Update, Context, "Actor"], Coroutine[Any, Any, Any]]
Handler = Callable[[Update, Context], Coroutine[Any, Any, Any]]
Rows = list[list[tuple[str, str]]]  # buttons: rows of (label, callback_data)


class Group(IntEnum):
    """PTB handler groups, run in this order; in each, the first handler that matches wins."""

    ACTIVITY = -10  # stamps each person's last activity; never answers
    IGNORED = -3  # edits and channel posts stop here
    CONVERSATION = -2  # multi-step conversations: they let an update through when not in one
    INBOX_DRAFT = -1  # an answer being written to an email takes the person's next message
    MAIN = 0  # commands, buttons, replies, then the fallbacks


Handlers = dict[Group, list[BaseHandler[Any, Any, Any]]]


def services(context: Context) -> Services:
    return cast(Services, context.application.bot_data["services"])  # bot_data is untyped


@dataclass
class Actor:
    telegram_id: int
    person: Person | None
    roles: frozenset[Role]
    lang: str

    @property
    def onboarded(self) -> bool:
        return self.person is not None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles & set(roles))

    def t(self, key: str, **values: Any) -> str:
        return t(self.lang, key, **values)

    def toast(self, key: str, **values: Any) -> str:
        """A button's answer: plain text (no HTML), 200 characters at most."""
        return plain(t(self.lang, key, **values))[:200]


async def load_actor(update: Update, context: Context) -> Actor:
    user = update.effective_user
    assert user is not None
    person, roles = await identify(services(context), user.id, username=user.username)
    lang = person.language if person else language_of(user.language_code)
    return Actor(user.id, person, roles, lang)


def user_data(context: Context) -> dict[Any, Any]:
    """The person's own memory between updates (PTB gives one to every update that has a user)."""
    data = context.user_data
    assert data is not None
    return data


def message_text(update: Update) -> str:
    message = update.effective_message
    return (message.text or "") if message is not None else ""


def is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def role_names(lang: str, roles: frozenset[Role] | set[Role]) -> str:
    order = [r for r in Role if r in roles]
    return ", ".join(t(lang, f"role.{r.value}") for r in order)


async def answer(
    update: Update,
    text: str,
    rows: list[list[tuple[str, str]]] | None = None,
    *,
    markup: InlineKeyboardMarkup | None = None,
) -> Message | None:
    """Reply in the chat of the update (a direct answer, not an outbox message). `rows` are
    callback buttons; `markup` a keyboard built otherwise (a URL button)."""
    markup = buttons(rows) if rows else markup
    chat = update.effective_chat
    if chat is None:
        return None
    return await chat.send_message(
        text, parse_mode=ParseMode.HTML, reply_markup=markup, link_preview_options=NO_PREVIEW
    )


def buttons(rows: list[list[tuple[str, str]]]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(text, callback_data=data) for text, data in row] for row in rows]
    )


RATE_LIMIT = "commands.rate_limit"  # Services.extras: the per-person limit on commands


def rate_verdict(context: Context, telegram_id: int) -> Verdict:
    """One person's commands, counted in this process (nothing is stored for them)."""
    extras = services(context).extras
    limit = extras.get(RATE_LIMIT)
    if not isinstance(limit, RateLimit):
        limit = extras[RATE_LIMIT] = RateLimit()
    return limit.check(telegram_id, time.monotonic())


def _one_of(lang: str, words: list[str]) -> str:
    """`a`, `a ou b`, `a, b ou c`."""
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])}{t(lang, 'perm.or')}{words[-1]}"


async def refusal(context: Context, actor: Actor, spec: CommandSpec) -> str:
    """Why `spec` is refused to `actor`, what to do and whom to ask (docs/french-style.md: "A refusal
    says why, what to do instead, and whom to ask"). Roles are given by coordinators: a real
    coordinator's first name is given when one is known."""
    if not actor.onboarded:
        return actor.t("perm.need_start")
    allowed = spec.access if isinstance(spec.access, frozenset) else frozenset()
    order = [r for r in Role if r in allowed]
    who = _one_of(actor.lang, [actor.t(f"perm.to.{r.value}") for r in order])
    count = len(order)
    if actor.has(Role.COORDINATOR):
        return actor.t("perm.reserved_self", who=Html(who), count=count)
    names = await people_roles.coordinators_to_ask(services(context))
    if not names:
        return actor.t("perm.reserved_nobody", who=Html(who), count=count)
    return actor.t("perm.reserved", who=Html(who), names=_one_of(actor.lang, names[:2]), count=count)


def private_chat_button(context: Context, lang: str) -> InlineKeyboardMarkup | None:
    """A button that opens the private chat with the bot (plain t.me link: Telegram shows Start to a
    newcomer). None when the bot's username is not known yet."""
    username = services(context).bot_username
    if not username:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(t(lang, "btn.open_private"), url=f"https://t.me/{username}")]]
    )


async def private_only(update: Update, context: Context, actor: Actor) -> None:
    """A private-only command sent in a group: say so, with the button that opens the private chat."""
    key = "perm.private_only" if actor.onboarded else "perm.private_start"
    await answer(update, actor.t(key), markup=private_chat_button(context, actor.lang))


def command(spec: CommandSpec) -> Callable[[ActorHandler], Handler]:
    """Check the registry's access rule for `spec` before running the handler; refuse politely.
    Too many commands from one person in a short time: a polite answer, nothing done or stored."""

    def decorate(func: ActorHandler) -> Handler:
        @functools.wraps(func)
        async def wrapper(update: Update, context: Context) -> Any:
            user = update.effective_user
            verdict = rate_verdict(context, user.id) if user is not None else Verdict.ALLOW
            if user is not None and verdict != Verdict.ALLOW:
                if verdict == Verdict.REFUSE:
                    await answer(update, t(language_of(user.language_code), "limit.too_fast"))
                return None
            actor = await load_actor(update, context)
            private = is_private(update)
            if spec.where == "private" and not private:
                await private_only(update, context, actor)
                return None
            if spec.where == "group" and private:
                await answer(update, actor.t("perm.group_only"))
                return None
            if not spec.allows(actor.roles, actor.onboarded):
                await answer(update, await refusal(context, actor, spec))
                return None
            return await func(update, context, actor)

        return wrapper

    return decorate


def button(*roles: Role, member: bool = True) -> Callable[[ActorHandler], Handler]:
    """Same server-side check for a button press: the keyboard is not a permission."""

    def decorate(func: ActorHandler) -> Handler:
        @functools.wraps(func)
        async def wrapper(update: Update, context: Context) -> Any:
            actor = await load_actor(update, context)
            query = update.callback_query
            assert query is not None
            if member and not actor.onboarded:
                await query.answer(actor.t("perm.need_start"), show_alert=True)
                return None
            if roles and not actor.has(*roles):
                await query.answer(
                    actor.t("perm.denied", who=role_names(actor.lang, set(roles))), show_alert=True
                )
                return None
            return await func(update, context, actor)

        return wrapper

    return decorate


NO_CITY = -1  # typed_city: a city was typed but none matched (the person was told)


async def typed_city(update: Update, context: Context, actor: Actor) -> int:
    """The city typed after a command (`/agenda Lyon`, `/besoins grenoble`): its id, 0 when none
    was typed, NO_CITY when the word matches no city (the person is told which exist)."""
    from capabilities.people import cities
    from domain.people import match_city

    typed = " ".join(context.args or []).strip()
    if not typed:
        return 0
    known = await cities.choices(services(context))
    name = match_city(typed, [n for _, n in known])
    if name is None:
        await answer(
            update, actor.t("agenda.city_unknown", city=typed, cities=", ".join(n for _, n in known))
        )
        return NO_CITY
    return next(cid for cid, n in known if n == name)

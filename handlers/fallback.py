"""Whatever no other handler took: answered politely in private, ignored in groups."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatMemberStatus, ChatType
from telegram.ext import CallbackQueryHandler, ChatMemberHandler, MessageHandler, filters

from bot.callbacks import OnboardingCity, OnboardingConsent, OnboardingSkill
from bot.commands import BY_NAME
from capabilities.people import cities
from handlers.common import (
    Context,
    Group,
    Handlers,
    answer,
    is_private,
    load_actor,
    message_text,
    private_only,
    services,
)
from handlers.conversation import CANCEL_WORD


async def unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    name = message.text.split()[0][1:].split("@")[0].lower()
    actor = await load_actor(update, context)
    if is_private(update):
        await answer(update, actor.t("fallback.unknown_command"))
    elif name in BY_NAME and BY_NAME[name].where == "private":
        # A private-only command whose handler only listens in private (a form's entry point).
        await private_only(update, context, actor)


async def private_text(update: Update, context: Context) -> None:
    actor = await load_actor(update, context)
    if CANCEL_WORD.match(message_text(update)):  # "annuler" with no form open
        await answer(update, actor.t("cancel.nothing"))
        return
    await answer(update, actor.t("fallback.text" if actor.onboarded else "aide.not_onboarded"))


async def private_media(update: Update, context: Context) -> None:
    actor = await load_actor(update, context)
    await answer(update, actor.t("fallback.media"))


async def stale_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    onboarding = any(f.parse(query.data) for f in (OnboardingCity, OnboardingSkill, OnboardingConsent))
    key = "start.expired" if onboarding else "fallback.button_stale"
    await query.answer(actor.t(key), show_alert=key == "start.expired")


async def bot_membership(update: Update, context: Context) -> None:
    """Added to a group: greet and remember it; removed: forget it for sending.

    In private chat, the same update says someone blocked or unblocked the bot: an unblocked person
    is reachable again (announcements and reminders reach them), without having to write first.
    """
    change = update.my_chat_member
    assert change is not None
    chat = change.chat
    status = change.new_chat_member.status
    svc = services(context)
    if chat.type == ChatType.PRIVATE:
        await cities.set_reachable(svc, chat.id, status == ChatMemberStatus.MEMBER)
        return
    joined = status in (ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR)
    await cities.group_membership(svc, chat.id, chat.type, chat.title or "", joined=joined)
    if joined:
        actor = await load_actor(update, context)
        await context.bot.send_message(chat.id, actor.t("group.hello"))


async def group_migrated(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None
    if message.migrate_to_chat_id:
        await cities.group_migrated(services(context), message.chat.id, message.migrate_to_chat_id)


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    return {
        Group.MAIN: [
            ChatMemberHandler(bot_membership, ChatMemberHandler.MY_CHAT_MEMBER),
            MessageHandler(filters.StatusUpdate.MIGRATE, group_migrated),
            MessageHandler(filters.COMMAND & filters.UpdateType.MESSAGE, unknown_command),
            MessageHandler(private & filters.TEXT & filters.UpdateType.MESSAGE, private_text),
            MessageHandler(
                private & ~filters.TEXT & filters.UpdateType.MESSAGE & ~filters.StatusUpdate.ALL,
                private_media,
            ),
            CallbackQueryHandler(stale_button),
        ]
    }

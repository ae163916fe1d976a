"""/calendrier_com: the week's planned posts (capabilities.communication.planning); photos that
volunteers send in private for an event's recap (capabilities.communication.suggestions)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from telegram import Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import commands
from bot.callbacks import ComCalendarWeek, ComPhotoEvent
from capabilities.communication import planning, suggestions
from capabilities.communication.suggestions import PhotoResult
from domain.dates import format_day
from handlers.common import (
    NO_PREVIEW,
    Actor,
    Context,
    Group,
    Handlers,
    answer,
    buttons,
    command,
    load_actor,
    services,
    user_data,
)

PHOTOS_KEY = "complan_photos"  # photos waiting for the sender to say which event they are from
PHOTOS_PENDING_MAX = 10


@command(commands.CALENDRIER_COM)
async def show(update: Update, context: Context, actor: Actor) -> None:
    if not planning.may_see_calendar(services(context).settings, actor.person):
        await answer(update, actor.t("complan.cal_not_team"))
        return
    text, rows = await planning.calendar(services(context), actor.lang, 0, datetime.now(UTC))
    await answer(update, text, rows)


async def switch_week(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    pressed = ComCalendarWeek.parse(query.data)
    if pressed is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    # The role is checked again at every press: a revoked role sees nothing more.
    if not commands.CALENDRIER_COM.allows(actor.roles, actor.onboarded) or not planning.may_see_calendar(
        services(context).settings, actor.person
    ):
        await query.answer(actor.t("perm.revoked"), show_alert=True)
        return
    await query.answer()
    text, rows = await planning.calendar(services(context), actor.lang, pressed.offset, datetime.now(UTC))
    await query.edit_message_text(
        text, parse_mode="HTML", reply_markup=buttons(rows) if rows else None, link_preview_options=NO_PREVIEW
    )


def _photo_of(update: Update) -> dict[str, str] | None:
    message = update.effective_message
    if message is None:
        return None
    caption = (message.caption or "").strip()[:300]
    if message.photo:
        biggest = message.photo[-1]
        name = f"photo-{biggest.file_unique_id}.jpg"
        return {"file_id": biggest.file_id, "name": name, "mime": "image/jpeg", "alt": caption}
    document = message.document
    if document is not None and (document.mime_type or "").startswith("image/"):
        name = document.file_name or f"photo-{document.file_unique_id}"
        return {"file_id": document.file_id, "name": name, "mime": document.mime_type or "", "alt": caption}
    return None


async def photo(update: Update, context: Context) -> None:
    """A photo in private: for an event's recap when the sender took part with the photo task."""
    actor = await load_actor(update, context)
    photo = _photo_of(update)
    now = datetime.now(UTC)
    events = await suggestions.photo_events(services(context), actor.telegram_id, now) if photo else []
    if photo is None or not events:
        await answer(update, actor.t("fallback.media"))
        return
    pending: list[dict[str, Any]] = user_data(context).setdefault(PHOTOS_KEY, [])
    pending.append(photo)
    del pending[:-PHOTOS_PENDING_MAX]
    # Asked even for one event: a photo sent by mistake is not attached to anything.
    rows = [
        [
            (
                actor.t("btn.complan_photo_event", title=e.title, day=format_day(e.day, actor.lang, now=now))[
                    :60
                ],
                ComPhotoEvent(e.event_id).pack(),
            )
        ]
        for e in events
    ]
    await answer(update, actor.t("complan.photo_which"), rows)


async def photo_event(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    actor = await load_actor(update, context)
    pressed = ComPhotoEvent.parse(query.data)
    if pressed is None:
        await query.answer(actor.t("fallback.button_stale"))
        return
    pending: list[dict[str, Any]] = user_data(context).pop(PHOTOS_KEY, [])
    await query.answer()
    await query.edit_message_reply_markup(None)
    if not pending:
        await answer(update, actor.t("complan.photo_expired"))
        return
    svc, now = services(context), datetime.now(UTC)
    result = PhotoResult.NOT_ALLOWED
    for item in pending:
        result = await suggestions.add_photo(svc, actor.telegram_id, pressed.event_id, item, now)
        if result is not PhotoResult.ADDED:
            break
    if result is PhotoResult.NOT_ALLOWED:
        await answer(update, actor.t("complan.photo_not_allowed"))
        return
    post = await suggestions.recap_post(svc, pressed.event_id)
    title = post.title if post is not None else ""
    key = {
        PhotoResult.ADDED: "complan.photo_thanks",
        PhotoResult.CLOSED: "complan.photo_closed",
        PhotoResult.FULL: "complan.photo_full",
    }[result]
    await answer(update, actor.t(key, title=title))


def handlers() -> Handlers:
    private = filters.ChatType.PRIVATE
    images = filters.PHOTO | filters.Document.IMAGE
    return {
        Group.MAIN: [
            CommandHandler(commands.CALENDRIER_COM.name, show),
            CallbackQueryHandler(switch_week, pattern=ComCalendarWeek.pattern()),
            MessageHandler(private & images & filters.UpdateType.MESSAGE, photo),
            CallbackQueryHandler(photo_event, pattern=ComPhotoEvent.pattern()),
        ]
    }

"""The chat's ways into the Mini App (Telegram types): the bot's menu button, and a button under
the answers that have a fuller view in the app (/agenda, /bilan). Nothing when WEBAPP_URL is unset."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, MenuButtonWebApp, WebAppInfo

from bot.settings import Settings
from bot.texts import t


def webapp_menu_button(settings: Settings) -> MenuButtonWebApp:
    assert settings.webapp_url
    return MenuButtonWebApp(t(settings.default_language, "btn.webapp_menu"), WebAppInfo(settings.webapp_url))


def webapp_keyboard(settings: Settings, lang: str, screen: str = "") -> InlineKeyboardMarkup | None:
    """One web_app button (private chats only: Telegram refuses it in groups), opening `screen`."""
    if not settings.webapp_url:
        return None
    # A query, not a fragment: Telegram appends its own fragment (#tgWebAppData=…) to the URL.
    sep = "&" if "?" in settings.webapp_url else "?"
    url = settings.webapp_url + (f"{sep}screen={screen}" if screen else "")
    return InlineKeyboardMarkup([[InlineKeyboardButton(t(lang, "btn.webapp_open"), web_app=WebAppInfo(url))]])

"""Texts of group chats: how a reply is acknowledged quietly (merged into bot.texts)."""

FR: dict[str, str] = {}

EN: dict[str, str] = {}

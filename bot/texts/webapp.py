"""Texts of the Mini App's entry points in the chat: the menu button and the button under /agenda
and /bilan (merged into bot.texts). The app's own texts live in webapp/static/i18n.js."""

FR: dict[str, str] = {
    "btn.webapp_menu": "Tableau de bord",
    "btn.webapp_open": "📋 Ouvrir le tableau de bord",
}

EN: dict[str, str] = {
    "btn.webapp_menu": "Dashboard",
    "btn.webapp_open": "📋 Open the dashboard",
}

"""Texts of recruitment asks, reminders and attendance (merged into bot.texts)."""

FR: dict[str, str] = {
    "cmd.besoins": "Les actions où il manque du monde",
    "cmd.pause": "Ne plus recevoir de sollicitations",
    "cmd.reprendre": "Recevoir à nouveau les sollicitations",
}
EN: dict[str, str] = {
    "cmd.besoins": "Actions still missing people",
    "cmd.pause": "Stop receiving requests",
    "cmd.reprendre": "Receive requests again",
}

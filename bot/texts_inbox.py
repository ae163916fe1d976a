"""Texts of the inbox capability (merged into bot.texts)."""

FR: dict[str, str] = {
    "cmd.courriels": "Les courriels en attente",
    "cmd.absent": "Me déclarer absent·e jusqu'à une date",
    "cmd.modeles": "Réponses enregistrées",
    "cmd.routage": "Qui reçoit quels courriels",
}
EN: dict[str, str] = {
    "cmd.courriels": "Pending emails",
    "cmd.absent": "Mark me absent until a date",
    "cmd.modeles": "Saved answers",
    "cmd.routage": "Who gets which emails",
}

"""Texts of personal-data rights and retention (merged into bot.texts)."""

FR: dict[str, str] = {
    "cmd.mes_donnees": "Recevoir toutes mes données",
    "cmd.supprimer_mes_donnees": "Effacer mes données",
    "cmd.stop": "Ne plus rien recevoir du bot",
    "cmd.donnees_personne": "Droits d'une personne qui a écrit (accès, effacement)",
    "cmd.purge": "Purger les pièces financières de plus de 10 ans",
}
EN: dict[str, str] = {
    "cmd.mes_donnees": "Get all my data",
    "cmd.supprimer_mes_donnees": "Erase my data",
    "cmd.stop": "Stop receiving anything from the bot",
    "cmd.donnees_personne": "Rights of someone who wrote in (access, erasure)",
    "cmd.purge": "Purge financial records older than 10 years",
}

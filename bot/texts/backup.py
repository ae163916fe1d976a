"""Texts of `coordo backup` and `coordo restore` (bot/cli/backup.py), merged into bot.texts.

Printed in a terminal: bot/cli/backup.py decodes the HTML entities of the values. French typography
(docs/french-style.md): U+00A0 before ":" and inside « », U+202F before ; ! ?.
"""

FR: dict[str, str] = {
    "backup.help": "sauvegarder la base de données (SQLite ou PostgreSQL)",
    "backup.help_out": (
        "fichier ou dossier de la sauvegarde (par défaut\u00a0: backups/ à côté de la base, "
        "ou ./backups pour PostgreSQL)"
    ),
    "backup.help_restore": "remplacer la base de données par une sauvegarde (bot arrêté)",
    "backup.help_file": "une sauvegarde faite par «\u00a0backup\u00a0»",
    "backup.pg_missing": (
        "Erreur\u00a0: {tool} est introuvable. Installez le client PostgreSQL de la même version que "
        "le serveur (paquet «\u00a0postgresql-client\u00a0» sous Debian ou Ubuntu), puis relancez."
    ),
    "backup.no_file": "Erreur\u00a0: {path} n'existe pas.",
    "backup.carried": (
        "Réappliquées depuis la sauvegarde\u00a0: {count} {count:plural:demande:demandes} "
        "d'effacement ou d'arrêt des envois."
    ),
    "backup.restored": "Base de données restaurée et mise à jour. Vous pouvez relancer le bot.",
    "backup.register_unreadable": (
        "Attention\u00a0: le registre des demandes de la base actuelle est illisible ({error})\u202f; "
        "les effacements demandés depuis la sauvegarde devront être refaits à la main."
    ),
    "backup.not_sqlite": "{path} n'est pas une base SQLite lisible ({error}).",
    "backup.damaged": "{path} est endommagée\u00a0: {error}.",
    "backup.not_coordo": "{path} n'est pas une base de coordo (tables attendues absentes).",
    "backup.no_database": "Erreur\u00a0: la base {path} n'existe pas (voir DATABASE_URL).",
    "backup.onto_itself": "Erreur\u00a0: la sauvegarde ne peut pas remplacer la base elle-même.",
    "backup.unsound": "Erreur\u00a0: la copie n'est pas saine. {problem}",
    "backup.written": (
        "Sauvegarde écrite\u00a0: {path} ({size} {size:plural:octet:octets}). "
        "Gardez-la chiffrée, hors du serveur."
    ),
    "backup.refused": "Erreur\u00a0: {problem} Rien n'a été modifié.",
    "backup.kept": "La base actuelle est gardée dans {path}.",
    "backup.tool_failed": "Erreur\u00a0: {tool} a échoué ({error}).",
    "backup.not_pg_backup": (
        "Erreur\u00a0: {path} n'est pas une sauvegarde PostgreSQL de coordo. Rien n'a été modifié."
    ),
    "backup.nothing_changed": "Rien n'a été modifié.",
}

EN: dict[str, str] = {
    "backup.help": "back up the database (SQLite or PostgreSQL)",
    "backup.help_out": (
        "file or folder of the backup (default: backups/ next to the database, or ./backups for PostgreSQL)"
    ),
    "backup.help_restore": "replace the database with a backup (bot stopped)",
    "backup.help_file": "a backup made by “backup”",
    "backup.pg_missing": (
        "Error: {tool} was not found. Install the PostgreSQL client of the same version as the server "
        "(package “postgresql-client” on Debian or Ubuntu), then run again."
    ),
    "backup.no_file": "Error: {path} does not exist.",
    "backup.carried": (
        "Applied again from the backup: {count} {count:plural:request:requests} to erase or stop messages."
    ),
    "backup.restored": "Database restored and brought up to date. You can start the bot again.",
    "backup.register_unreadable": (
        "Warning: the register of requests of the current database cannot be read ({error}); "
        "the erasures requested since the backup will have to be made again by hand."
    ),
    "backup.not_sqlite": "{path} is not a readable SQLite database ({error}).",
    "backup.damaged": "{path} is damaged: {error}.",
    "backup.not_coordo": "{path} is not a coordo database (expected tables missing).",
    "backup.no_database": "Error: the database {path} does not exist (see DATABASE_URL).",
    "backup.onto_itself": "Error: the backup cannot replace the database itself.",
    "backup.unsound": "Error: the copy is not sound. {problem}",
    "backup.written": (
        "Backup written: {path} ({size} {size:plural:byte:bytes}). Keep it encrypted, off the server."
    ),
    "backup.refused": "Error: {problem} Nothing was changed.",
    "backup.kept": "The current database is kept in {path}.",
    "backup.tool_failed": "Error: {tool} failed ({error}).",
    "backup.not_pg_backup": "Error: {path} is not a PostgreSQL backup of coordo. Nothing was changed.",
    "backup.nothing_changed": "Nothing was changed.",
}

"""Texts of the money capability (merged into bot.texts)."""

FR: dict[str, str] = {
    "cmd.don": "Enregistrer un don ou une cotisation",
    "cmd.dons": "Dons récents, corrections",
    "cmd.adherents": "Adhésions actives, à renouveler, échues",
    "cmd.bilan": "Bilan des dons et cotisations",
    "cmd.export": "Exports CSV et liste CNCCFP",
}
EN: dict[str, str] = {
    "cmd.don": "Record a donation or a membership fee",
    "cmd.dons": "Recent donations, corrections",
    "cmd.adherents": "Active, expiring and lapsed memberships",
    "cmd.bilan": "Donations and fees summary",
    "cmd.export": "CSV exports and CNCCFP list",
}

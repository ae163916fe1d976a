"""The command registry: one line per command, the single source for menus, /aide and permissions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.people import Role

ANYONE: Literal["anyone"] = "anyone"
MEMBER: Literal["member"] = "member"

Access = Literal["anyone", "member"] | frozenset[Role]
Where = Literal["private", "group", "any"]
# The headings of /aide, in their order ("Pour commencer", then by task): text keys `aide.group.<name>`.
HelpGroup = Literal[
    "start", "actions", "recruitment", "emails", "communication", "money", "coordination", "data"
]
HELP_GROUPS: tuple[HelpGroup, ...] = (
    "start",
    "actions",
    "recruitment",
    "emails",
    "communication",
    "money",
    "coordination",
    "data",
)


@dataclass(frozen=True)
class CommandSpec:
    name: str
    access: Access
    where: Where = "private"
    aliases: tuple[str, ...] = ()  # other names that run it, not shown in menus
    group: HelpGroup = "start"  # its heading in /aide

    @property
    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    @property
    def help_key(self) -> str:
        return f"cmd.{self.name}"

    def allows(self, roles: frozenset[Role], onboarded: bool) -> bool:
        if self.access == ANYONE:
            return True
        if not onboarded:
            return False
        if self.access == MEMBER:
            return True
        assert isinstance(self.access, frozenset)
        return bool(self.access & roles)


COORD = frozenset({Role.COORDINATOR})
ORGANISERS = frozenset({Role.COORDINATOR, Role.CANDIDATE, Role.LEAD})
INBOX = frozenset({Role.COORDINATOR, Role.LEAD})
MONEY_ENTRY = frozenset({Role.TREASURER, Role.COORDINATOR, Role.COLLECTOR})
TREASURY = frozenset({Role.TREASURER})
DIGEST_READERS = frozenset({Role.CANDIDATE, Role.COORDINATOR, Role.LEAD})
MONEY_VIEW = frozenset({Role.TREASURER, Role.COORDINATOR})
# The communication team: coordinators and leads (capabilities.communication checks the lead's domain).
COMM = frozenset({Role.COORDINATOR, Role.LEAD})

# One constant per command: handlers use its .name, so each command's name is written once.
START = CommandSpec("start", ANYONE)
AIDE = CommandSpec("aide", ANYONE, "any", aliases=("help",))
PROFIL = CommandSpec("profil", MEMBER)
AGENDA = CommandSpec("agenda", MEMBER, group="actions")
AGENDA_ICS = CommandSpec("agenda_ics", MEMBER, group="actions")
EVENEMENT = CommandSpec("evenement", ORGANISERS, group="actions")
MES_EVENEMENTS = CommandSpec("mes_evenements", ORGANISERS, group="actions")
BESOINS = CommandSpec("besoins", ORGANISERS, group="recruitment")
PAUSE = CommandSpec("pause", MEMBER, group="recruitment")
REPRENDRE = CommandSpec("reprendre", MEMBER, group="recruitment")
DIGEST = CommandSpec("digest", DIGEST_READERS, group="coordination")
DIGEST_HEURE = CommandSpec("digest_heure", DIGEST_READERS, group="coordination")
DIGEST_PAUSE = CommandSpec("digest_pause", DIGEST_READERS, group="coordination")
ANNONCE = CommandSpec("annonce", COORD, group="communication")
STOP_ANNONCES = CommandSpec("stop_annonces", MEMBER, group="communication")
COURRIELS = CommandSpec("courriels", INBOX, group="emails")
ABSENT = CommandSpec("absent", INBOX, group="emails")
MODELES = CommandSpec("modeles", INBOX, group="emails")
ROUTAGE = CommandSpec("routage", COORD, group="emails")
DON = CommandSpec("don", MONEY_ENTRY, group="money")
DONS = CommandSpec("dons", TREASURY, group="money")
ADHERENTS = CommandSpec("adherents", MONEY_VIEW, group="money")
BILAN = CommandSpec("bilan", MONEY_VIEW, group="money")
EXPORT = CommandSpec("export", TREASURY, group="money")
# Any member claims; treasurers review (capabilities.expenses).
FRAIS = CommandSpec("frais", MEMBER, group="money")
EXPORT_FRAIS = CommandSpec("export_frais", TREASURY, group="money")
INVITER = CommandSpec("inviter", COORD, group="coordination")
ROLE = CommandSpec("role", COORD, group="coordination")
RETIRER_ROLE = CommandSpec("retirer_role", COORD, group="coordination")
VILLES = CommandSpec("villes", COORD, group="coordination")
NOUVELLE_VILLE = CommandSpec("nouvelle_ville", COORD, group="coordination")
LIER_VILLE = CommandSpec("lier_ville", COORD, "group", group="coordination")
MES_DONNEES = CommandSpec("mes_donnees", ANYONE, group="data")
SUPPRIMER_MES_DONNEES = CommandSpec("supprimer_mes_donnees", ANYONE, group="data")
STOP = CommandSpec("stop", ANYONE, group="data")
DONNEES_PERSONNE = CommandSpec("donnees_personne", COORD, group="coordination")
PURGE = CommandSpec("purge", TREASURY, group="money")
COM = CommandSpec("com", MEMBER, group="communication")  # volunteers may propose; organisers and leads ask
DEMANDES_COM = CommandSpec("demandes_com", COMM, group="communication")
BROUILLON = CommandSpec("brouillon", ORGANISERS, group="communication")
CALENDRIER_COM = CommandSpec("calendrier_com", COMM, group="communication")
CANCEL = CommandSpec("annuler", ANYONE, aliases=("cancel",))

# Order here is the order of menus and of /aide.
COMMANDS: tuple[CommandSpec, ...] = (
    START,
    AIDE,
    PROFIL,
    AGENDA,
    AGENDA_ICS,
    EVENEMENT,
    MES_EVENEMENTS,
    BESOINS,
    COM,
    DEMANDES_COM,
    BROUILLON,
    CALENDRIER_COM,
    PAUSE,
    REPRENDRE,
    DIGEST,
    DIGEST_HEURE,
    DIGEST_PAUSE,
    ANNONCE,
    STOP_ANNONCES,
    COURRIELS,
    ABSENT,
    MODELES,
    ROUTAGE,
    DON,
    DONS,
    ADHERENTS,
    BILAN,
    EXPORT,
    FRAIS,
    EXPORT_FRAIS,
    INVITER,
    ROLE,
    RETIRER_ROLE,
    VILLES,
    NOUVELLE_VILLE,
    LIER_VILLE,
    MES_DONNEES,
    SUPPRIMER_MES_DONNEES,
    STOP,
    DONNEES_PERSONNE,
    PURGE,
    CANCEL,
)

BY_NAME: dict[str, CommandSpec] = {c.name: c for c in COMMANDS}


def visible_commands(roles: frozenset[Role], onboarded: bool, where: Where) -> list[CommandSpec]:
    """What a person may run in that kind of chat (for /aide and the command menu)."""
    out = []
    for spec in COMMANDS:
        if not spec.allows(roles, onboarded):
            continue
        if where != "any" and spec.where not in (where, "any"):
            continue
        if onboarded and spec.name == "start":
            continue
        out.append(spec)
    return out

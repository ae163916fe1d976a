"""The command registry: one line per command, the single source for menus, /aide and permissions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from domain.people import Role

ANYONE: Literal["anyone"] = "anyone"
MEMBER: Literal["member"] = "member"

Access = Literal["anyone", "member"] | frozenset[Role]
Where = Literal["private", "group", "any"]


@dataclass(frozen=True)
class CommandSpec:
    name: str
    access: Access
    where: Where = "private"
    aliases: tuple[str, ...] = ()  # other names that run it, not shown in menus

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

# One constant per command: handlers use its .name, so each command's name is written once.
START = CommandSpec("start", ANYONE)
AIDE = CommandSpec("aide", ANYONE, "any", aliases=("help",))
PROFIL = CommandSpec("profil", MEMBER)
AGENDA = CommandSpec("agenda", MEMBER)
AGENDA_ICS = CommandSpec("agenda_ics", MEMBER)
EVENEMENT = CommandSpec("evenement", ORGANISERS)
MES_EVENEMENTS = CommandSpec("mes_evenements", ORGANISERS)
BESOINS = CommandSpec("besoins", ORGANISERS)
PAUSE = CommandSpec("pause", MEMBER)
REPRENDRE = CommandSpec("reprendre", MEMBER)
DIGEST = CommandSpec("digest", DIGEST_READERS)
DIGEST_HEURE = CommandSpec("digest_heure", DIGEST_READERS)
DIGEST_PAUSE = CommandSpec("digest_pause", DIGEST_READERS)
ANNONCE = CommandSpec("annonce", COORD)
STOP_ANNONCES = CommandSpec("stop_annonces", MEMBER)
COURRIELS = CommandSpec("courriels", INBOX)
ABSENT = CommandSpec("absent", INBOX)
MODELES = CommandSpec("modeles", INBOX)
ROUTAGE = CommandSpec("routage", COORD)
DON = CommandSpec("don", MONEY_ENTRY)
DONS = CommandSpec("dons", TREASURY)
ADHERENTS = CommandSpec("adherents", MONEY_VIEW)
BILAN = CommandSpec("bilan", MONEY_VIEW)
EXPORT = CommandSpec("export", TREASURY)
INVITER = CommandSpec("inviter", COORD)
ROLE = CommandSpec("role", COORD)
RETIRER_ROLE = CommandSpec("retirer_role", COORD)
VILLES = CommandSpec("villes", COORD)
NOUVELLE_VILLE = CommandSpec("nouvelle_ville", COORD)
LIER_VILLE = CommandSpec("lier_ville", COORD, "group")
MES_DONNEES = CommandSpec("mes_donnees", ANYONE)
SUPPRIMER_MES_DONNEES = CommandSpec("supprimer_mes_donnees", ANYONE)
STOP = CommandSpec("stop", ANYONE)
DONNEES_PERSONNE = CommandSpec("donnees_personne", COORD)
PURGE = CommandSpec("purge", TREASURY)
CANCEL = CommandSpec("cancel", ANYONE)

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

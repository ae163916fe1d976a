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
DIGEST = frozenset({Role.CANDIDATE, Role.COORDINATOR, Role.LEAD})
MONEY_VIEW = frozenset({Role.TREASURER, Role.COORDINATOR})

# Order here is the order of menus and of /aide.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", ANYONE),
    CommandSpec("aide", ANYONE, "any"),
    CommandSpec("profil", MEMBER),
    CommandSpec("agenda", MEMBER),
    CommandSpec("agenda_ics", MEMBER),
    CommandSpec("evenement", ORGANISERS),
    CommandSpec("mes_evenements", ORGANISERS),
    CommandSpec("besoins", ORGANISERS),
    CommandSpec("pause", MEMBER),
    CommandSpec("reprendre", MEMBER),
    CommandSpec("digest", DIGEST),
    CommandSpec("digest_heure", DIGEST),
    CommandSpec("digest_pause", DIGEST),
    CommandSpec("annonce", COORD),
    CommandSpec("stop_annonces", MEMBER),
    CommandSpec("courriels", INBOX),
    CommandSpec("absent", INBOX),
    CommandSpec("modeles", INBOX),
    CommandSpec("routage", COORD),
    CommandSpec("don", MONEY_ENTRY),
    CommandSpec("dons", TREASURY),
    CommandSpec("adherents", MONEY_VIEW),
    CommandSpec("bilan", MONEY_VIEW),
    CommandSpec("export", TREASURY),
    CommandSpec("inviter", COORD),
    CommandSpec("role", COORD),
    CommandSpec("retirer_role", COORD),
    CommandSpec("villes", COORD),
    CommandSpec("nouvelle_ville", COORD),
    CommandSpec("lier_ville", COORD, "group"),
    CommandSpec("mes_donnees", ANYONE),
    CommandSpec("supprimer_mes_donnees", ANYONE),
    CommandSpec("stop", ANYONE),
    CommandSpec("donnees_personne", COORD),
    CommandSpec("purge", TREASURY),
    CommandSpec("cancel", ANYONE),
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

"""What every part of the inbox shares: the domains, the sizes shown, who acts, what an action answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from email.utils import getaddresses
from typing import Any, Literal

from bot.messages import Button
from bot.texts import t
from domain.people import Domain, Role
from storage.models import EmailMessage, Person

# Domains people route to, in the order buttons and tables show them (spam is a state).
DOMAINS: tuple[str, ...] = (
    Domain.FINANCE,
    Domain.COMMUNICATION,
    Domain.WEBSITE,
    Domain.CAMPAIGN,
    Domain.SECRETARIAT,
)
SPAM = "spam"  # the triage's label for spam, kept as the domain of an email classed as spam

EXCERPT_SHOWN = 1200  # what a card shows (Telegram caps a message at 4,096 characters)
SUBJECT_SHOWN = 300
MAX_ATTACHMENTS_SHOWN = 10


ReplyChoice = Literal["from", "reply"]  # who an answer goes to, chosen when Reply-To is elsewhere


@dataclass
class Outcome:
    """What a person's action on an email gives: a text key (a button's pop-up) and what to show."""

    ok: bool
    key: str
    values: dict[str, Any] = field(default_factory=dict)
    email: EmailMessage | None = None
    card: tuple[str, list[list[Button]]] | None = None  # the pressed card, re-rendered
    rows: list[list[Button]] = field(default_factory=list)  # extra buttons for the answer


@dataclass(frozen=True)
class Who:
    """The person acting, as loaded for this update (their roles as they are now)."""

    person: Person
    coordinator: bool

    @property
    def lead_scopes(self) -> set[str]:
        return {g.scope for g in self.person.grants if g.role == Role.LEAD}


def clip(text: str, limit: int) -> str:
    text = text or ""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def number(value: float, lang: str) -> str:
    text = f"{value:g}"
    return text.replace(".", ",") if lang == "fr" else text


def fit(lines: Sequence[str], limit: int = 4000) -> str:
    """Lines joined, cut at a line boundary under Telegram's 4,096 characters (each line is
    whole HTML, so cutting between lines keeps the markup valid)."""
    text = "\n".join(lines)
    if len(text) <= limit:
        return text
    return text[: text.rfind("\n", 0, limit - 2)] + "\n…"


def domain_label(lang: str, domain: str, city: str | None = None) -> str:
    name = t(lang, "inbox.domain.spam") if domain == SPAM else t(lang, f"domain.{domain}")
    name = name[:1].upper() + name[1:]
    return f"{name} · {city}" if domain == Domain.CAMPAIGN and city else name


def gmail_link(thread_id: str) -> str:
    """The email's conversation in Gmail's web interface."""
    # Google's libraries load on first use, not with the bot.
    from integrations.gmail import thread_link

    return thread_link(thread_id)


def is_unsure(email: EmailMessage, threshold: float) -> bool:
    """Not routed automatically and not yet sorted by a person (a person's choice sets 1.0)."""
    return not email.auto_routed and email.confidence < threshold


def _addresses(value: str) -> list[str]:
    return [addr for _, addr in getaddresses([value or ""]) if "@" in addr]


def _domains(value: str) -> set[str]:
    return {addr.rpartition("@")[2].strip().rstrip(".").casefold() for addr in _addresses(value)}


def bare_addresses(value: str) -> str:
    """The addresses alone (`a@x.fr, b@y.fr`), for a button where a display name could hide them."""
    return ", ".join(_addresses(value)) or value


def answers_elsewhere(sender: str, reply_to: str) -> bool:
    """Reply-To names a domain that From does not: an answer would reach someone other than the
    sender shown (a forged "From: CNCCFP" with an attacker's Reply-To). The person must choose."""
    reply = _domains(reply_to)
    return bool(reply) and reply != _domains(sender)


def recipient(sender: str, reply_to: str, choice: ReplyChoice | None = None) -> str:
    """Where an answer goes: the sender when chosen, else Reply-To when it holds an address, else
    the sender. What the card, the prompt, the preview and the confirmation show is this, and it
    is what is sent."""
    if choice == "from" or not _addresses(reply_to):
        return sender
    return reply_to

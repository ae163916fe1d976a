"""What every part of the inbox shares: the domains, the sizes shown, who acts, what an action answers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

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

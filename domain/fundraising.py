"""Fundraising events (« levée de fonds »): the progress towards a goal, as the group post shows
it. Pure: counts and amounts only, never a name (the post is read by the whole group)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

LEVEE_KIND = "levée de fonds"
BAR_WIDTH = 10
FULL, EMPTY = "▓", "░"
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@dataclass(frozen=True)
class Progress:
    raised_cents: int
    count: int  # recorded payments linked to the event
    goal_cents: int | None

    @property
    def percent(self) -> int | None:
        """Whole percent reached, rounded down (62 % until 62,99 %); None without a goal."""
        if not self.goal_cents:
            return None
        return max(self.raised_cents, 0) * 100 // self.goal_cents


def bar(raised_cents: int, goal_cents: int, width: int = BAR_WIDTH) -> str:
    """A text progress bar: `width` cells, full ones rounded down, capped at full."""
    if goal_cents <= 0:
        return EMPTY * width
    full = min(width, max(raised_cents, 0) * width // goal_cents)
    return FULL * full + EMPTY * (width - full)


def format_eur_round(cents: int, lang: str = "fr") -> str:
    """Euros as babel writes them, without ",00" for whole euros ("1 250 €"); cents kept
    otherwise ("12,50 €")."""
    from babel.numbers import format_currency  # lazily, like domain.money.format_eur

    locale = _LOCALES.get(lang, lang)
    if cents % 100:
        return format_currency(Decimal(cents).scaleb(-2), "EUR", locale=locale)
    pattern = "¤#,##0" if locale.startswith("en") else "#,##0\u00a0¤"
    return format_currency(Decimal(cents // 100), "EUR", format=pattern, locale=locale, currency_digits=False)


# HelloAsso's public form pages: /associations/<org>/<form type>/<slug>[/…]
_HA_FORM_TYPES = frozenset(
    {"evenements", "formulaires", "collectes", "adhesions", "boutiques", "paiements", "dons"}
)
_SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,198}[a-z0-9])?")
_HA_HOSTS = frozenset({"helloasso.com", "helloasso-sandbox.com"})
_NONE_WORDS = frozenset({"aucun", "aucune", "rien", "none", "-"})


def ha_form_slug(text: str) -> tuple[bool, str | None]:
    """(understood, slug) of a HelloAsso form's URL or bare slug; « aucun » is (True, None).

    https://www.helloasso.com/associations/mon-asso/evenements/diner-de-soutien → diner-de-soutien.
    """
    value = text.strip()
    if value.lower() in _NONE_WORDS:
        return True, None
    if "/" in value or "." in value:
        from urllib.parse import urlsplit

        url = urlsplit(value if "//" in value else f"https://{value}")
        host = (url.hostname or "").lower()
        if host.removeprefix("www.") not in _HA_HOSTS:
            return False, None
        parts = [p for p in url.path.split("/") if p]
        if len(parts) < 4 or parts[0] != "associations" or parts[2].lower() not in _HA_FORM_TYPES:
            return False, None
        value = parts[3]
    slug = value.lower()
    return (True, slug) if _SLUG.fullmatch(slug) else (False, None)

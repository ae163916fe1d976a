"""Finding a known donor by name or email (/don and /dons).

Privacy (rules 33, 41): treasurers search the donor file by any word; coordinators and collectors
find a donor only by the exact full name or email, so that /don cannot be used to browse it.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.services import Services
from domain.text import fold
from storage import donations as q
from storage.models import Donor

SEARCH_LIMIT = 8


def search_donors(donors: Sequence[Donor], query: str, exact: bool) -> list[Donor]:
    """Treasurers: every word in the name, organisation or email. Others: the exact full name or
    email only."""
    words = fold(query).split()
    found = []
    for donor in donors:
        names = fold(" ".join(p for p in (donor.first_name, donor.last_name) if p))
        reversed_names = fold(" ".join(p for p in (donor.last_name, donor.first_name) if p))
        email, org = fold(donor.email or ""), fold(donor.organisation or "")
        if exact:
            target = " ".join(words)
            hit = target in {names, reversed_names, email, org} - {""}
        else:
            hay = f"{names} {org} {email}"
            hit = all(w in hay for w in words)
        if hit:
            found.append(donor)
    return found[:SEARCH_LIMIT]


async def find_donors(services: Services, query: str, *, exact: bool) -> list[Donor]:
    async with services.db.session() as s:
        return search_donors(await q.all_donors(s), query, exact)

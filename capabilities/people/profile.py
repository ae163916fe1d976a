"""/profil: each change a person makes to their profile is saved on its own, whole, and audited."""

from __future__ import annotations

from bot.services import Services
from storage import people as q
from storage.models import Person


async def _edit(svc: Services, person_id: int, **changes: object) -> None:
    async with svc.transaction() as s:
        person = await q.person_by_id(s, person_id)
        assert person is not None
        for name, value in changes.items():
            setattr(person, name, value)
        await q.audit(s, person, "person.profile_edited", f"person:{person.id}", fields=sorted(changes))


async def rename(svc: Services, person_id: int, first_name: str) -> None:
    await _edit(svc, person_id, first_name=first_name)


async def move(svc: Services, person_id: int, city_id: int | None) -> None:
    await _edit(svc, person_id, city_id=city_id)


async def set_skills(svc: Services, person_id: int, skills: list[str]) -> None:
    await _edit(svc, person_id, skills=skills)


def stopped(person: Person) -> bool:
    """Everything stopped (/stop, or each paused in turn): no asks, no digest, no announcements."""
    return person.asks_paused and person.digest_paused and person.announcements_stopped


async def resume_all(svc: Services, person_id: int) -> None:
    """/start after /stop: asks, digest and announcements come back at once (each may be paused
    again on its own: /pause, /digest_pause, /stop_annonces)."""
    await _edit(svc, person_id, asks_paused=False, digest_paused=False, announcements_stopped=False)


async def switch_language(svc: Services, person: Person) -> None:
    """French ↔ English."""
    await _edit(svc, person.id, language="en" if person.language == "fr" else "fr")

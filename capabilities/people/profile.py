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


async def switch_language(svc: Services, person: Person) -> None:
    """French ↔ English."""
    await _edit(svc, person.id, language="en" if person.language == "fr" else "fr")

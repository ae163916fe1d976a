"""People: who they are, what they may do, where they act.

- actors: who is writing (their profile and roles), for every update;
- onboarding: /start's registration once consent is given, and invitation links;
- profile: a person's own changes to their profile;
- roles: invitations, roles given and taken away (audited, the person told);
- cities: cities, the groups attached to them, and what the bot learns of its chats.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Refused:
    """Why a use case did nothing: a text-catalog key and its values."""

    key: str
    values: dict[str, str] = field(default_factory=dict)

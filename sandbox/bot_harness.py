"""Drive the coordo application through the sandbox as people would (tests, benchmarks, demos)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from telegram.ext import Application

from bot.services import Services
from storage import outbox
from storage.models import Outbox, Person

# A made-up token in the shape of a real one, so that redaction is tested for real.
TOKEN = "424242:sandbox-token-for-tests-only-0123456789"
COORDINATOR_ID = 9001


class BotHarness:
    def __init__(self, sandbox: Any, app: Application) -> None:  # type: ignore[type-arg]
        self.sb = sandbox
        self.app = app

    @property
    def services(self) -> Services:
        return self.app.bot_data["services"]  # type: ignore[no-any-return]

    def user(self, user_id: int, first_name: str = "Léa", **kwargs: Any) -> Any:
        return self.sb.user(user_id, first_name, **kwargs)

    async def reply(self, user: Any, text: str, **kwargs: Any) -> Any:
        """Send `text` and wait for the bot's next message in that chat."""
        user.send(text, **kwargs)
        return await user.next_message()

    async def forge(self, user: Any, message: Any, data: str, timeout: float = 15.0) -> Any:
        """A forged press (callback data no button of theirs carries); returns the bot's answer to it."""
        before = len(user.answers)
        user.forge_press(message, data)
        await self.sb.wait_for(lambda: len(user.answers) > before, timeout)
        return user.answers[-1]

    async def onboard(
        self,
        user: Any,
        name: str | None = None,
        city: str | None = "Lyon",
        skills: Iterable[str] = ("Tractage",),
        start: str = "/start",
    ) -> Person:
        """The whole /start conversation, tapping buttons as a person would."""
        await self.reply(user, start)
        ask_city = await self.reply(user, name or user.first_name)
        user.press(ask_city, text=city) if city else user.press(ask_city, data="ob:city:none")
        ask_skills = await user.next_message()
        for label in skills:
            user.press(ask_skills, text=label)
            await self.sb.wait_for(lambda label=label: f"✅ {label}" in ask_skills.button_texts, 5)
        user.press(ask_skills, text="Valider" if user.language_code != "en" else "Confirm")
        privacy = await user.next_message()
        user.press(privacy, text="J'accepte" if user.language_code != "en" else "I agree")
        await user.next_message()
        person = await self.person(user.id)
        assert person is not None, "onboarding did not store the person"
        return person

    async def person(self, telegram_id: int) -> Person | None:
        async with self.services.db.session() as s:
            return await s.scalar(select(Person).where(Person.telegram_id == telegram_id))

    async def count(self, model: Any) -> int:
        async with self.services.db.session() as s:
            return int(await s.scalar(select(func.count()).select_from(model)) or 0)

    async def outbox_idle(self, timeout: float = 10.0, poll: float = 0.02) -> dict[str, int]:
        """Wait until the outbox has nothing left to send now; return the counts by status."""
        deadline = time.monotonic() + timeout
        while True:
            async with self.services.db.session() as s:
                # An indexed probe while busy; the counts only once, at the end.
                busy = await s.scalar(
                    select(Outbox.id).where(Outbox.status.in_([outbox.PENDING, outbox.SENDING])).limit(1)
                )
                if busy is None:
                    return await outbox.counts(s)
            if time.monotonic() > deadline:
                async with self.services.db.session() as s:
                    counts = await outbox.counts(s)
                raise AssertionError(f"outbox still busy after {timeout}s: {counts}")
            await asyncio.sleep(poll)

"""A small movement for the Mini App's tests, arranged through the sandbox-driven bot (onboarding,
/lier_ville, /evenement, /role, RSVP buttons) and, for what arrives from outside Telegram (emails,
donations), through the storage functions the sync and the /don form use. Then the bot's own web
server on 127.0.0.1, and initData signed as Telegram signs it."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select

from bot import web
from bot.services import Services
from domain.communication import planning as plan
from domain.statuses import DonationKind, DonationStatus, EmailStatus, PaymentMethod
from sandbox.bot_harness import COORDINATOR_ID, TOKEN
from storage import donations as dq
from storage import inbox as iq
from storage.models import Event
from tests.handlers.test_events import create_via_conversation
from webapp import auth

# Who opens the app: telegram id, first name, username.
PEOPLE: dict[str, tuple[int, str, str]] = {
    "coordinator": (COORDINATOR_ID, "Claire", "claire"),
    "volunteer": (701, "Alice", "alice"),
    "lead": (702, "Bruno", "bruno"),  # communication
    "lead_fin": (703, "Zoé", "zoe"),  # finance
    "treasurer": (704, "Nora", "nora"),
    "unknown": (799, "Inconnu", "inconnu"),  # signed by Telegram, never pressed /start
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def init_data(who: str, *, token: str = TOKEN, age: float = 0.0, lang: str = "fr") -> str:
    uid, name, username = PEOPLE[who]
    user = {"id": uid, "first_name": name, "username": username, "language_code": lang}
    return auth.sign(token, user, int(time.time() - age))


def headers(who: str, **kwargs: Any) -> dict[str, str]:
    return {"Authorization": "tma " + init_data(who, **kwargs)}


@dataclass
class Scene:
    bot: Any
    url: str  # http://127.0.0.1:PORT
    users: dict[str, Any] = field(default_factory=dict)
    group: Any = None
    event_id: int = 0
    email_com: int = 0
    email_fin: int = 0
    year: int = 0

    @property
    def services(self) -> Services:
        services: Services = self.bot.services
        return services

    async def event(self) -> Event:
        async with self.services.db.session() as s:
            found: Event | None = await s.get(Event, self.event_id)
        assert found is not None
        return found

    async def week_offset(self) -> int:
        """The agenda board's week offset of the scene's event."""
        tz = self.services.settings.tz
        event = await self.event()
        this = plan.week_of(datetime.now(UTC).astimezone(tz).date())
        return (plan.week_of(event.starts_at.astimezone(tz).date()) - this).days // 7

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.url, trust_env=False, timeout=20)

    async def call(
        self, who: str | None, name: str, body: dict[str, Any] | None = None, **params: Any
    ) -> httpx.Response:
        hdrs = headers(who) if who else {}
        async with self.client() as c:
            if body is not None:
                return await c.post(f"/app/api/{name}", json=body, headers=hdrs)
            return await c.get(f"/app/api/{name}", params=params, headers=hdrs)


async def rsvp(bot: Any, user: Any, post: Any, label: str = "Je viens") -> None:
    before = len(user.answers)
    user.press(post, text=label)
    await bot.sb.wait_for(lambda: len(user.answers) > before, 5)


async def build(bot: Any) -> Scene:
    """Claire coordinates Lyon and creates a tractage (tractage 2, photo 1); Alice comes; Bruno
    leads communication, Zoé finance, Nora is the treasurer; an email for each lead's domain;
    donations over two years, one donor near the legal cap."""
    scene = Scene(bot, "")
    uid, name, username = PEOPLE["coordinator"]
    coord = bot.user(uid, name, username=username)
    await bot.onboard(coord)
    group = bot.sb.group(-5001, "Militants Lyon")
    group.add_member(coord)
    coord.send("/lier_ville Lyon", chat=group)
    await group.next_message()
    await create_via_conversation(bot, coord)
    post = await group.next_message()
    scene.users["coordinator"], scene.group = coord, group
    roles = {
        "lead": "responsable communication",
        "lead_fin": "responsable finances",
        "treasurer": "trésorière",
    }
    for key in ("volunteer", "lead", "lead_fin", "treasurer"):
        uid, name, username = PEOPLE[key]
        user = bot.user(uid, name, username=username)
        await bot.onboard(user)
        group.add_member(user)
        scene.users[key] = user
        if key in roles:
            await bot.reply(coord, f"/role @{username} {roles[key]}")
    await rsvp(bot, scene.users["volunteer"], post)
    await bot.outbox_idle()
    async with bot.services.db.session() as s:
        event = await s.scalar(select(Event).order_by(Event.id.desc()))
        assert event is not None
        scene.event_id = event.id
    now = datetime.now(UTC)
    scene.year = now.year
    async with bot.services.transaction() as s:
        ids = []
        for i, (domain, subject, age) in enumerate(
            (("communication", "Demande d'interview", 7), ("finance", "Question sur mon reçu fiscal", 0))
        ):
            ids.append(
                await iq.insert_email(
                    s,
                    {
                        "gmail_id": f"g{i}",
                        "thread_id": f"t{i}",
                        "sender": f"Journaliste {i} <presse{i}@example.org>",
                        "subject": subject,
                        "received_at": now - timedelta(days=age),
                        "created_at": now - timedelta(days=age),
                        "domain": domain,
                        "confidence": 0.95,
                        "auto_routed": True,
                        "status": EmailStatus.NEW,
                    },
                )
            )
        scene.email_com, scene.email_fin = ids[0] or 0, ids[1] or 0
        donor = await dq.add_donor(
            s,
            first_name="Camille",
            last_name="Martin",
            address="12 rue de la République",
            postcode="69002",
            city="Lyon",
            nationality="FR",
            sworn_declaration_at=now,
        )
        other = await dq.add_donor(
            s,
            first_name="Jean",
            last_name="Petit",
            address="1 place Bellecour",
            postcode="69002",
            city="Lyon",
        )
        for d, cents, day, kind, status in (
            (donor, 650_000, date(scene.year, 2, 3), DonationKind.DON, DonationStatus.RECORDED),
            (other, 5_000, date(scene.year, 3, 4), DonationKind.COTISATION, DonationStatus.RECORDED),
            (other, 2_000, date(scene.year - 1, 6, 1), DonationKind.DON, DonationStatus.RECORDED),
            (other, 20_000, date(scene.year, 4, 1), DonationKind.DON, DonationStatus.TO_REFUND),
        ):
            await dq.add_donation(
                s,
                d,
                amount_cents=cents,
                method=PaymentMethod.VIREMENT,
                received_on=day,
                ledger="party",
                kind=kind,
                status=status,
            )
    return scene


async def serve(scene: Scene) -> Any:
    port = free_port()
    server = web.listen(web.make_app(scene.services), "127.0.0.1", port)
    scene.url = f"http://127.0.0.1:{port}"
    return server

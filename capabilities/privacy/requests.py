"""The requests people make about their data, one transaction each, every one logged in the register.

A person's own: /mes_donnees (access), /supprimer_mes_donnees (erasure, once confirmed), /stop. A
coordinator's, for a request received by email or by mail: /donnees_personne (access, erasure, stop),
closing a reminded request; a treasurer's: the donor records of an access request.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot import paging
from bot.callbacks import DataRequestsPage
from bot.services import Services
from bot.texts import Html, t
from capabilities.privacy.access import collect
from capabilities.privacy.erasure import Erasure, erase, inventory, stop
from capabilities.privacy.register import notify_treasurers_financial, open_lines
from capabilities.privacy.subjects import (
    Subject,
    find_subject,
    subject_of,
    subject_of_request,
    subject_of_user,
)
from domain.statuses import RequestKind, RequestNote
from storage import people as people_q
from storage import privacy as q
from storage.models import Person

STALE = "fallback.button_stale"  # the answer to a button that no longer matches a request


@dataclass
class Access:
    request_id: int
    export: dict[str, Any]
    hidden: int = 0  # donor records left out of the export: a treasurer sends them


@dataclass
class Settled:
    """How a confirmation ended: `erased` when it was, otherwise `key` says why not (a text key)."""

    key: str = ""
    erased: Erasure | None = None
    who: str = ""


@dataclass(frozen=True)
class Target:
    """Whom a coordinator looked up, kept until they choose what the person asked for."""

    telegram_id: int | None
    emails: tuple[str, ...]


@dataclass
class Outcome:
    """What a coordinator's choice did, for the answer."""

    request_id: int
    who: str
    access: Access | None = None
    found: Erasure = field(default_factory=Erasure)
    had_profile: bool = False


def now() -> datetime:
    return datetime.now(UTC)


async def close(svc: Services, request_id: int) -> None:
    """The answer went out: the request is done (until then the day-20 reminder keeps it in sight)."""
    async with svc.transaction() as s:
        await q.close_request(s, request_id, now())


# --- Anyone, about themselves ---------------------------------------------------------------------------


async def access_mine(svc: Services, telegram_id: int) -> Access:
    at = now()
    async with svc.transaction() as s:
        # Logged first, so that the export shows this request too.
        request = await q.add_request(s, RequestKind.ACCESS, telegram_id=telegram_id, now=at)
        subject = await subject_of_user(s, telegram_id)
        export = await collect(s, subject, financial=True, now=at)
        await people_q.audit(s, subject.person, "privacy.access", f"request:{request.id}")
    return Access(request.id, export)


async def ask_erasure(svc: Services, telegram_id: int) -> tuple[int, Erasure]:
    """Logged at once; when nothing is stored it is already answered."""
    async with svc.transaction() as s:
        found = await inventory(s, await subject_of_user(s, telegram_id))
        # One open request per person and kind: asking again shows the same confirmation.
        pending = await q.open_request(s, RequestKind.ERASURE, telegram_id=telegram_id, by_coordination=False)
        if pending is not None and found.anything:
            return pending.id, found
        request = await q.add_request(
            s,
            RequestKind.ERASURE,
            telegram_id=telegram_id,
            now=now(),
            done=not found.anything,
            note="" if found.anything else RequestNote.NOTHING_TO_ERASE,
        )
    return request.id, found


async def confirm_erasure(
    svc: Services,
    request_id: int,
    confirmed: bool,
    *,
    telegram_id: int | None = None,
    coordinator: Person | None = None,
) -> Settled:
    """The answer to an erasure's confirmation: the person's own (`telegram_id`: theirs only), or a
    coordinator's for a request made outside Telegram. A double tap erases once."""
    own = telegram_id is not None
    at = now()
    async with svc.transaction() as s:
        request = await q.request_by_id(s, request_id, lock=True)
        if (
            request is None
            or request.kind != RequestKind.ERASURE
            or (request.requested_by is None) != own
            or (own and request.telegram_id != telegram_id)
        ):
            return Settled(STALE)
        if request.done_at is not None:
            return Settled("pv.already_done")
        if not confirmed:
            note = RequestNote.CANCELLED_BY_PERSON if own else RequestNote.CANCELLED_BY_COORDINATION
            await q.close_request(s, request.id, at, note=note)
            return Settled("pv.erase_cancelled" if own else "cancel.done")
        subject = await subject_of_request(s, request)
        done = await erase(s, subject, request=request, actor=coordinator, now=at)
        return Settled(erased=done, who=subject.label())


async def stop_mine(svc: Services, telegram_id: int) -> int | None:
    """Logged even for someone unknown (None); otherwise how many waiting messages were cancelled."""
    at = now()
    cancelled = None
    async with svc.transaction() as s:
        person = await people_q.person_by_telegram_id(s, telegram_id)
        if person is not None:
            cancelled = await stop(s, person, at)
        await q.add_request(s, RequestKind.STOP, telegram_id=telegram_id, now=at, done=True)
    return cancelled


# --- Coordinators: a request made outside Telegram ----------------------------------------------------


OPEN_PAGE = 10  # open requests on one page of /donnees_personne


async def open_page(svc: Services, lang: str, page: int) -> tuple[str, list[list[tuple[str, str]]]]:
    """/donnees_personne alone: how to use it, then one page of the requests still open (oldest
    first, bot.paging), « et N autres » and the page buttons. A page out of range is clamped."""
    async with svc.db.session() as s:
        win = paging.window(await q.count_open_requests(s), page, OPEN_PAGE)
        lines = await open_lines(s, lang, OPEN_PAGE, win.start) if win.total else []
    if not lines:
        return t(lang, "pv.pp_usage", open=t(lang, "pv.open_none")), []
    usage = t(lang, "pv.pp_usage", open="")
    listing = paging.page_message(
        t(lang, "pv.open_header"),
        lines,
        paging.footer(lang, win),
        paging.LIMIT - paging.shown_length(usage) - 2,
    )
    nav = paging.nav_row(lang, win, lambda n: DataRequestsPage(n).pack())
    return t(lang, "pv.pp_usage", open=Html(listing)), [nav] if nav else []


async def look_up(svc: Services, ident: str) -> tuple[Subject, Erasure] | None:
    async with svc.db.session() as s:
        subject = await find_subject(s, ident)
        if subject is None:
            return None
        return subject, await inventory(s, subject)


async def act_for(
    svc: Services, coordinator: Person, target: Target, kind: RequestKind, *, treasurer: bool
) -> Outcome:
    """Log the request; access: the export (donor records only for a treasurer, else they are told);
    erasure: what it would erase (confirmed apart); stop: done at once."""
    at = now()
    async with svc.transaction() as s:
        subject = await subject_of(s, target.telegram_id, target.emails)
        email = subject.emails[0] if subject.emails else ""
        # One open request per person and kind: a second look-up continues the first one.
        request = await q.open_request(
            s, kind, telegram_id=subject.telegram_id, email=email, by_coordination=True
        )
        if request is None:
            request = await q.add_request(
                s,
                kind,
                telegram_id=subject.telegram_id,
                email=email,
                requested_by=coordinator.id,
                note=RequestNote.RECEIVED_OUTSIDE_TELEGRAM,
                now=at,
            )
            await people_q.audit(s, coordinator, f"privacy.{kind}_for", f"request:{request.id}")
        out = Outcome(request.id, subject.label(), had_profile=subject.person is not None)
        if kind == RequestKind.ACCESS:
            export = await collect(s, subject, financial=treasurer, now=at)
            out.access = Access(
                request.id, export, int((export.get("finances") or {}).get("fiches_donateur") or 0)
            )
            if out.access.hidden:
                await notify_treasurers_financial(s, request, out.who, out.access.hidden)
        elif kind == RequestKind.ERASURE:
            out.found = await inventory(s, subject)
        elif subject.person is not None:
            await stop(s, subject.person, at)
    return out


async def mark_done(svc: Services, coordinator: Person | None, request_id: int) -> bool:
    """False when it was closed already."""
    async with svc.transaction() as s:
        closed = await q.close_request(s, request_id, now(), note=RequestNote.CLOSED_BY_COORDINATION)
        if closed:
            await people_q.audit(s, coordinator, "privacy.closed", f"request:{request_id}")
    return closed


async def financial_records(
    svc: Services, treasurer: Person | None, request_id: int
) -> dict[str, Any] | None:
    """The donor records of an access request, for a treasurer to send on; None for no such request."""
    async with svc.transaction() as s:
        request = await q.request_by_id(s, request_id)
        if request is None:
            return None
        subject = await subject_of_request(s, request)
        export = await collect(s, subject, financial=True, now=now())
        await people_q.audit(s, treasurer, "privacy.financial_sent", f"request:{request_id}")
    return {"demande": request_id, **{k: export[k] for k in ("donateur", "dons", "adhesions")}}

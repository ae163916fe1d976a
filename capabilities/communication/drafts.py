"""/brouillon: a post written or edited in chat, its per-channel preview, the law's questions,
approval and scheduling (docs/communication-rules.md).

Who may do what, checked again at every press (a button is not a permission):
- open and edit a post: the communication team (coordinators and the leads of the communication
  domain), or its author while they still hold a role that writes posts (a revoked lead no longer
  edits their drafts); opening a suggested post makes it a draft with the presser as author, and
  whoever changes a post's words or photos becomes its author (so someone else approves it);
- approve (confirm, publish now, schedule, ask for changes, decide on a paused post): the team, but
  not the post's author unless `com_author_may_approve` (another person must look at it).

Confirmations are stored as {"rule", "by", "at"} records (who confirmed what, when) and every
confirmation, approval and scheduling writes an audit row. The approvers receive the photos (with
their captions, published as alt text) before the approval card, so image rights are confirmed on
what they saw. Every edit bumps `ComPost.version` and clears the confirmations; every approval button carries the
version it was drawn for, and a stale one is refused with the new version shown.
The law (domain.communication.law.check_post) is checked at approval for the planned time: a
"block" finding (rule 5, a donation appeal without the mandataire) cannot be approved; each
"confirm" finding (rules 2, 6, 7) and each "pause" (rules 1 and 4) needs its own confirmation by
the approver first; a PAUSED post offers: publish anyway once confirmed, after the window, or cancel.
"""

from __future__ import annotations

import contextlib
import importlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.callbacks import (
    CpChanges,
    CpChannel,
    CpConfirm,
    CpDelete,
    CpEdit,
    CpPaused,
    CpPublish,
    CpSchedule,
    CpSubmit,
    PostOpen,
)
from bot.commands import ORGANISERS
from bot.messages import Button, text_message
from bot.paging import LIMIT, fit, shorten
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from domain.communication import law
from domain.communication.law import Finding, PostContext, check_post
from domain.communication.limits import CHANNELS
from domain.communication.preview import channel_versions
from domain.dates import format_when, parse_when_detailed
from domain.statuses import PostPurpose, PostStatus, PublicationStatus
from storage import com_posts as q
from storage import outbox
from storage import people as pq
from storage.models import ComPost, Person, Publication

MAX_IMAGES = 4  # X, Bluesky and Mastodon take 4 (docs/communication-rules.md, the platforms' table)
MAX_TEXT = 20_000  # far above any channel but Facebook's ~63 000: a pasted book is a mistake
# No setting holds the mandataire's or the financing association's name: a donation appeal must
# say « mandataire financier » or « association de financement » followed by a name
# (domain.communication.law.names_financing; legal-rules.md rules 13 and 25).
FINANCING_NAMES: tuple[str, ...] = ()
# The ledgers do not store a list's name: a city list is called by the movement's name and the
# city's (« À nous la démocratie Lyon »), the name a list's appeal must carry.
LIST_NAME = "À nous la démocratie {city}"
SECOND_ROUND = law.SECOND_ROUND  # L56: the second round, the Sunday after the first
EDITABLE = (PostStatus.DRAFT, PostStatus.SUBMITTED, PostStatus.SCHEDULED, PostStatus.PAUSED)
HOLDING = ("confirm", "pause")
# A submitted post's publish_at is the time an approver chose when "Programmer" hit a question of
# the law: its card shows the findings for that time, so the confirmations asked are the right ones.
PLANNED = (PostStatus.SCHEDULED, PostStatus.SUBMITTED)  # findings the approver confirms before approving
ICONS = {"block": "⛔", "pause": "⏸", "confirm": "✋", "warn": "⚠️"}

Rows = list[list[Button]]


@dataclass(frozen=True)
class Card:
    text: str
    rows: Rows = field(default_factory=list)


@dataclass(frozen=True)
class Result:
    """What to show the presser: a note (already a text) and, when there is one, the post's card.
    `retry`: the typed answer was not usable, ask again."""

    note: str = ""
    card: Card | None = None
    retry: bool = False

    def message(self) -> str:
        parts = [p for p in (self.note, self.card.text if self.card else "") if p]
        return shorten("\n\n".join(parts), LIMIT)


# --- Channels and the law's context -----------------------------------------------------------


def configured_channels(settings: Settings) -> list[str]:
    """The channels usable now (capabilities.communication.channels when written, else the settings)."""
    with contextlib.suppress(ImportError, AttributeError):
        module = importlib.import_module("capabilities.communication.channels")
        return list(module.configured(settings))
    s = settings
    usable = {
        "telegram": bool(s.telegram_channel_id),
        "facebook": bool(s.facebook_page_id and s.facebook_page_token.get_secret_value()),
        "mastodon": bool(s.mastodon_base_url and s.mastodon_access_token.get_secret_value()),
        "bluesky": bool(s.bluesky_handle and s.bluesky_app_password.get_secret_value()),
        "x": True,  # without credentials: a share link a person taps
        "wordpress": bool(
            s.wordpress_url and s.wordpress_user and s.wordpress_app_password.get_secret_value()
        ),
    }
    return [c for c in CHANNELS if usable[c]]


def _record(rule: str, person: Person, now: datetime) -> dict[str, Any]:
    """Who confirmed what, when (the command line's --confirm records "via": "cli", by nobody)."""
    return {"rule": rule, "by": person.id, "at": now.astimezone(UTC).isoformat()}


def _confirmed(post: ComPost) -> frozenset[str]:
    # Rule keys as plain strings (the command line's --confirm), or {"rule": ...} records.
    keys = {c if isinstance(c, str) else str(c.get("rule", "")) for c in post.confirmations or []}
    return frozenset(k for k in keys if k)


def _full_names(names: Sequence[str]) -> list[str]:
    """Rule 7 wants full names: the profile has one name field, so only a name of two words or
    more (a first and a last name typed together) is one; a lone first name identifies nobody."""
    return sorted({" ".join(n.split()) for n in names if len(n.split()) >= 2})


async def law_context(
    session: AsyncSession, settings: Settings, post: ComPost, when: datetime
) -> PostContext:
    """The facts check_post needs for `post` published at `when` (publishing calls it too)."""
    days = law.polling_days(settings.election_days, await q.ledger_election_days(session))
    return PostContext(
        when=when,
        tz=settings.tz,
        election_days=days,
        financing_names=FINANCING_NAMES,
        list_names=[LIST_NAME.format(city=city) for city in await q.ledger_cities(session)],
        member_names=_full_names(await q.member_first_names(session)),
        has_images=bool(post.images),
        confirmed=_confirmed(post),
    )


def law_text(post: ComPost) -> str:
    # What is published (as publishing checks it): a donation page's address is an appeal too, and
    # each photo's caption goes out as its alt text.
    alts = [str(image.get("alt") or "") for image in post.images or [] if isinstance(image, dict)]
    return "\n".join(part for part in (post.title, post.text, post.link, *alts) if part)


async def findings_of(
    session: AsyncSession, settings: Settings, post: ComPost, when: datetime
) -> list[Finding]:
    return check_post(law_text(post), await law_context(session, settings, post, when))


# --- Who may do what ---------------------------------------------------------------------------


def _team(settings: Settings, person: Person) -> bool:
    return q.is_communication_team(person, settings.coordinator_ids)


def _may_write(settings: Settings, person: Person) -> bool:
    """Holds now a role that may write posts (/brouillon: coordinators, candidates, leads)."""
    return person.telegram_id in settings.coordinator_ids or any(g.role in ORGANISERS for g in person.grants)


def _may_open(settings: Settings, post: ComPost, person: Person) -> bool:
    # Authorship alone is not enough: a revoked lead no longer edits or deletes their drafts.
    if _team(settings, person):
        return True
    return post.author_id == person.id and _may_write(settings, person)


def _may_approve(settings: Settings, post: ComPost, person: Person) -> bool:
    own = post.author_id == person.id
    return _team(settings, person) and (not own or settings.com_author_may_approve)


# --- The card ------------------------------------------------------------------------------------


def _plural(key: str, count: int) -> str:
    # French: 0 and 1 take the singular (no count of 0 is shown here).
    return f"{key}_one" if count <= 1 else f"{key}_many"


def _finding_line(lang: str, f: Finding, settings: Settings) -> str:
    until = format_when(f.until.astimezone(settings.tz), lang) if f.until else ""
    label = t(lang, f"compost.rule.{f.rule}", detail=f.detail, until=until)
    return t(lang, "compost.finding", icon=ICONS.get(f.action, "•"), label=label, article=f.article)


def _channel_label(lang: str, channel: str) -> str:
    return t(lang, f"btn.compost_channel_{channel}")


def _preview_lines(lang: str, settings: Settings, post: ComPost) -> list[str]:
    channels = [c for c in post.channels if c in CHANNELS]
    if not channels:
        return [t(lang, "compost.no_channel")]
    lines = []
    versions = channel_versions(
        post.text,
        post.link,
        channels,
        images=len(post.images or []),
        mastodon_max=settings.mastodon_max_characters,
    )
    for v in versions:
        name = _channel_label(lang, v.channel)
        if v.limit is None:
            lines.append(t(lang, "compost.preview_nolimit", channel=name, length=v.length))
        elif v.text_fits:
            lines.append(t(lang, "compost.preview_fits", channel=name, length=v.length, limit=v.limit))
        else:
            cut = v.cut if len(v.cut) <= 160 else "…" + v.cut[-160:]
            lines.append(
                t(lang, "compost.preview_cut", channel=name, length=v.length, limit=v.limit, cut=cut)
            )
        if v.images_left:
            lines.append(
                t(
                    lang,
                    "compub.preview_images",
                    channel=name,
                    sent=v.images,
                    attached=v.images + v.images_left,
                )
            )
    return lines


async def render(
    session: AsyncSession,
    settings: Settings,
    post: ComPost,
    viewer: Person,
    lang: str,
    now: datetime,
    *,
    approval: bool = False,
    at: datetime | None = None,
) -> Card:
    """The post's card for `viewer`: the text, the per-channel preview, the law's findings and the
    buttons `viewer` may use. `approval`: the approver's card (no editing buttons). The law is
    checked for `at`, else the planned time (scheduled, or the time an approver chose), else now."""
    author = await session.get(Person, post.author_id) if post.author_id else None
    when = at or (post.publish_at if post.status in PLANNED and post.publish_at else now)
    findings = await findings_of(session, settings, post, when)
    head = t(
        lang,
        "compost.card_head",
        id=post.id,
        version=post.version,
        status=t(lang, f"compost.status.{post.status}"),
        author=author.first_name if author else "—",
    )
    lines = [head]
    if post.publish_at and post.status == PostStatus.SCHEDULED:
        lines.append(
            t(lang, "compost.card_at", when=format_when(post.publish_at.astimezone(settings.tz), lang))
        )
    elif post.publish_at and post.status == PostStatus.SUBMITTED and when == post.publish_at:
        lines.append(
            t(lang, "compost.card_planned", when=format_when(post.publish_at.astimezone(settings.tz), lang))
        )
    if post.link:
        lines.append(t(lang, "compost.card_link", link=post.link))
    if post.images:
        lines.append(t(lang, _plural("compost.card_images", len(post.images)), count=len(post.images)))
        # Each caption is published as the photo's alt text: the approver reads it.
        for number, image in enumerate(post.images, 1):
            alt = str(image.get("alt") or "") if isinstance(image, dict) else ""
            if alt:
                lines.append(t(lang, "compost.card_alt", number=number, alt=alt[:300]))
    body = post.text if len(post.text) <= 1500 else post.text[:1500] + "…"
    lines.append(t(lang, "compost.card_text", text=body or "—"))
    lines.append(t(lang, "compost.preview_head"))
    lines.extend(_preview_lines(lang, settings, post))
    if findings:
        lines.append(t(lang, "compost.law_head"))
        lines.extend(_finding_line(lang, f, settings) for f in findings)
    rows: Rows = []
    editable = post.status in EDITABLE and _may_open(settings, post, viewer)
    if editable and not approval:
        rows += _editor_rows(settings, post, lang)
    if post.status == PostStatus.SUBMITTED and _may_approve(settings, post, viewer):
        lines.append(_approval_hint(lang, findings))
        rows += _approval_rows(post, lang, findings)
    elif post.status == PostStatus.SUBMITTED and post.author_id == viewer.id:
        lines.append(t(lang, "compost.waiting_other"))
    if post.status == PostStatus.PAUSED and _may_approve(settings, post, viewer):
        rows += _paused_rows(settings, post, lang, findings)
    more = lambda n: t(lang, _plural("compost.more", n), count=n)  # noqa: E731
    return Card(fit(lines, more), rows)


def _editor_rows(settings: Settings, post: ComPost, lang: str) -> Rows:
    rows: Rows = [
        [
            (t(lang, "btn.compost_text"), CpEdit(post.id, "t").pack()),
            (t(lang, "btn.compost_link"), CpEdit(post.id, "l").pack()),
            (t(lang, "btn.compost_photo"), CpEdit(post.id, "p").pack()),
        ]
    ]
    if post.images:
        rows.append([(t(lang, "btn.compost_photos_remove"), CpEdit(post.id, "x").pack())])
    shown = [c for c in CHANNELS if c in configured_channels(settings) or c in post.channels]
    toggles = [
        (("✅ " if c in post.channels else "▫️ ") + _channel_label(lang, c), CpChannel(post.id, c).pack())  # type: ignore[arg-type]
        for c in shown
    ]
    rows += [toggles[i : i + 3] for i in range(0, len(toggles), 3)]
    last: list[Button] = []
    if post.status == PostStatus.DRAFT:
        last.append((t(lang, "btn.compost_submit"), CpSubmit(post.id, post.version).pack()))
    last.append((t(lang, "btn.compost_delete"), CpDelete(post.id).pack()))
    rows.append(last)
    return rows


def _approval_hint(lang: str, findings: list[Finding]) -> str:
    if any(f.action == "block" for f in findings):
        return t(lang, "compost.blocked")
    if any(f.action in HOLDING for f in findings):
        return t(lang, "compost.confirm_first")
    return t(lang, "compost.ready")


def _approval_rows(post: ComPost, lang: str, findings: list[Finding]) -> Rows:
    rows: Rows = []
    holding = [f for f in findings if f.action in HOLDING]
    if not any(f.action == "block" for f in findings):
        if holding:
            for rule in dict.fromkeys(f.rule for f in holding):
                label = t(lang, f"btn.compost_confirm_{rule}")
                rows.append([(label, CpConfirm(post.id, post.version, rule).pack())])  # type: ignore[arg-type]
        else:
            rows.append(
                [
                    (t(lang, "btn.compost_publish"), CpPublish(post.id, post.version).pack()),
                    (t(lang, "btn.compost_schedule"), CpSchedule(post.id, post.version).pack()),
                ]
            )
    rows.append([(t(lang, "btn.compost_changes"), CpChanges(post.id, post.version).pack())])
    return rows


def _paused_rows(settings: Settings, post: ComPost, lang: str, findings: list[Finding]) -> Rows:
    until = max((f.until for f in findings if f.action == "pause" and f.until), default=None)
    rows: Rows = [[(t(lang, "btn.compost_paused_go"), CpPaused(post.id, post.version, "go").pack())]]
    if until is not None:
        label = t(lang, "btn.compost_paused_later", when=format_when(until.astimezone(settings.tz), lang))
        rows.append([(label, CpPaused(post.id, post.version, "later").pack())])
    rows.append([(t(lang, "btn.compost_paused_stop"), CpPaused(post.id, post.version, "stop").pack())])
    return rows


# --- Use cases -----------------------------------------------------------------------------------


async def new_draft(
    svc: Services, person: Person, text: str, image: dict[str, Any] | None, lang: str, now: datetime
) -> Result:
    """/brouillon's first message: a free post, on every usable channel, written by `person`."""
    text = text.strip()
    if len(text) > MAX_TEXT:
        return Result(t(lang, "compost.too_long", max=MAX_TEXT), retry=True)
    async with svc.transaction() as s:
        post = await q.create_post(
            s,
            purpose=PostPurpose.FREE,
            status=PostStatus.DRAFT,
            text=text,
            images=[image] if image else [],
            channels=configured_channels(svc.settings),
            author_id=person.id,
        )
        card = await render(s, svc.settings, post, person, lang, now)
    return Result(t(lang, "compost.created"), card)


async def _load(
    s: AsyncSession, svc: Services, person: Person, post_id: int, lang: str
) -> tuple[ComPost | None, Result]:
    """The post when `person` may open it; otherwise a polite refusal (an unknown id says the same)."""
    post = await q.post_by_id(s, post_id, lock=True)
    if post is None or not _may_open(svc.settings, post, person):
        return None, Result(t(lang, "compost.not_yours"))
    return post, Result()


async def open_post(svc: Services, person: Person, post_id: int, lang: str, now: datetime) -> Result:
    async with svc.transaction() as s:
        post, refusal = await _load(s, svc, person, post_id, lang)
        if post is None:
            return refusal
        if post.status == PostStatus.SUGGESTED:
            post.status, post.author_id = PostStatus.DRAFT, person.id
            await s.flush()
        approval = post.status == PostStatus.SUBMITTED and _may_approve(svc.settings, post, person)
        return Result(card=await render(s, svc.settings, post, person, lang, now, approval=approval))


async def may_edit(svc: Services, person: Person, post_id: int, lang: str) -> Result | None:
    """None when `person` may edit the post now; else the refusal to show."""
    async with svc.db.session() as s:
        post, refusal = await _load(s, svc, person, post_id, lang)
        if post is None:
            return refusal
        if post.status not in EDITABLE:
            return Result(t(lang, "compost.not_editable"))
    return None


def _written_by(post: ComPost, person: Person) -> None:
    """The last person who changed the words or photos is the post's author: another person
    approves it (four eyes), so a team member cannot rewrite a submitted post and approve it alone."""
    post.author_id = person.id


def _edited(post: ComPost) -> None:
    """Any change: a new version, confirmations dropped, an approval withdrawn."""
    post.version += 1
    post.confirmations = []
    if post.status in (PostStatus.SCHEDULED, PostStatus.PAUSED):
        post.status = PostStatus.DRAFT
        post.publish_at = post.approved_by = post.approved_at = None
        post.paused_reason = ""


async def edit(
    svc: Services, person: Person, post_id: int, what: str, value: Any, lang: str, now: datetime
) -> Result:
    """Change the text ("t"), the link ("l", "-" removes it) or add a photo ("p": an image dict)."""
    async with svc.transaction() as s:
        post, refusal = await _load(s, svc, person, post_id, lang)
        if post is None:
            return refusal
        if post.status not in EDITABLE:
            return Result(t(lang, "compost.not_editable"))
        if what == "t":
            text = str(value).strip()
            if not text or len(text) > MAX_TEXT:
                return Result(t(lang, "compost.too_long", max=MAX_TEXT), retry=True)
            post.text = text
        elif what == "l":
            link = str(value).strip()
            if link in ("-", "—"):
                link = ""
            elif not link.startswith(("https://", "http://")) or " " in link or len(link) > 1000:
                return Result(t(lang, "compost.bad_link"), retry=True)
            post.link = link
        elif what == "x":
            post.images = []  # "Retirer les photos"
        else:
            if len(post.images or []) >= MAX_IMAGES:
                return Result(t(lang, "compost.too_many_photos", max=MAX_IMAGES))
            post.images = [*(post.images or []), value]
        _edited(post)
        _written_by(post, person)
        await s.flush()
        return Result(t(lang, "compost.saved"), await render(s, svc.settings, post, person, lang, now))


async def toggle_channel(
    svc: Services, person: Person, post_id: int, channel: str, lang: str, now: datetime
) -> Result:
    async with svc.transaction() as s:
        post, refusal = await _load(s, svc, person, post_id, lang)
        if post is None:
            return refusal
        if post.status not in EDITABLE:
            return Result(t(lang, "compost.not_editable"))
        chosen = set(post.channels)
        chosen ^= {channel}
        post.channels = [c for c in CHANNELS if c in chosen]
        _edited(post)
        await s.flush()
        return Result(card=await render(s, svc.settings, post, person, lang, now))


async def delete(svc: Services, person: Person, post_id: int, lang: str) -> Result:
    async with svc.transaction() as s:
        post, refusal = await _load(s, svc, person, post_id, lang)
        if post is None:
            return refusal
        if post.status not in (PostStatus.SUGGESTED, *EDITABLE):
            return Result(t(lang, "compost.not_editable"))
        post.status = PostStatus.CANCELLED
        post.version += 1
    return Result(t(lang, "compost.deleted"))


async def _stale(
    s: AsyncSession, svc: Services, post: ComPost, version: int, person: Person, lang: str, now: datetime
) -> Result | None:
    if post.version == version:
        return None
    approval = post.status == PostStatus.SUBMITTED and _may_approve(svc.settings, post, person)
    return Result(
        t(lang, "compost.stale"), await render(s, svc.settings, post, person, lang, now, approval=approval)
    )


async def submit(
    svc: Services, person: Person, post_id: int, version: int, lang: str, now: datetime
) -> Result:
    """Ask the communication team (but the author, unless allowed) to approve the post."""
    async with svc.transaction() as s:
        post, refusal = await _load(s, svc, person, post_id, lang)
        if post is None:
            return refusal
        stale = await _stale(s, svc, post, version, person, lang, now)
        if stale is not None:
            return stale
        if post.status != PostStatus.DRAFT:
            return Result(t(lang, "compost.already"))
        if not post.text.strip() or not post.channels:
            return Result(
                t(lang, "compost.incomplete"), await render(s, svc.settings, post, person, lang, now)
            )
        team = await q.communication_team(s, svc.settings.coordinator_ids)
        approvers = [p for p in team if _may_approve(svc.settings, post, p)]
        if not approvers:
            return Result(t(lang, "compost.no_approver"))
        post.status = PostStatus.SUBMITTED
        await s.flush()
        for approver in approvers:
            await _send_photos(s, post, approver)  # the approver confirms image rights on what they saw
            card = await render(s, svc.settings, post, approver, approver.language, now, approval=True)
            intro = t(approver.language, "compost.to_approve", author=person.first_name)
            await outbox.enqueue(
                s,
                approver.telegram_id,
                text_message(shorten(f"{intro}\n\n{card.text}", LIMIT), card.rows),
                person_id=approver.id,
            )
        return Result(t(lang, _plural("compost.submitted", len(approvers)), count=len(approvers)))


async def _send_photos(s: AsyncSession, post: ComPost, approver: Person) -> None:
    """The post's photos, each with its caption, queued before the approval card."""
    for image in post.images or []:
        file_id = str(image.get("file_id") or "") if isinstance(image, dict) else ""
        if not file_id:
            continue
        photo = str(image.get("mime") or "") == "image/jpeg"
        payload: dict[str, Any] = {"photo" if photo else "document": file_id}
        if image.get("alt"):
            payload["caption"] = str(image["alt"])[:1000]
        method = "sendPhoto" if photo else "sendDocument"
        await outbox.enqueue(s, approver.telegram_id, payload, method=method, person_id=approver.id)


async def _approvable(
    s: AsyncSession,
    svc: Services,
    person: Person,
    post_id: int,
    version: int,
    lang: str,
    now: datetime,
    statuses: tuple[str, ...] = (PostStatus.SUBMITTED,),
) -> tuple[ComPost | None, Result]:
    """The post when `person` may approve this version of it now; else what to show instead."""
    post = await q.post_by_id(s, post_id, lock=True)
    if post is None or not _team(svc.settings, person):
        return None, Result(t(lang, "compost.not_team"))
    if not _may_approve(svc.settings, post, person):
        return None, Result(t(lang, "compost.own_post"))
    stale = await _stale(s, svc, post, version, person, lang, now)
    if stale is not None:
        return None, stale
    if post.status not in statuses:
        return None, Result(t(lang, "compost.already"))
    return post, Result()


async def may_approve(
    svc: Services, person: Person, post_id: int, version: int, lang: str, now: datetime
) -> Result | None:
    """None when `person` may approve this version now (before asking a time or a note)."""
    async with svc.db.session() as s:
        post, refusal = await _approvable(s, svc, person, post_id, version, lang, now)
    return None if post is not None else refusal


async def confirm(
    svc: Services, person: Person, post_id: int, version: int, rule: str, lang: str, now: datetime
) -> Result:
    """The approver confirms one of the law's questions (image rights, consent, not propaganda...)."""
    async with svc.transaction() as s:
        post, refusal = await _approvable(
            s, svc, person, post_id, version, lang, now, (PostStatus.SUBMITTED, PostStatus.PAUSED)
        )
        if post is None:
            return refusal
        moments = [now, *([post.publish_at] if post.publish_at else [])]
        holding = {
            f.rule
            for when in moments
            for f in await findings_of(s, svc.settings, post, when)
            if f.action in HOLDING
        }
        if rule in holding:
            post.confirmations = [*(post.confirmations or []), _record(rule, person, now)]
            await pq.audit(s, person, "compost.confirmed", f"post:{post.id}", rule=rule, version=post.version)
            await s.flush()
        return Result(card=await render(s, svc.settings, post, person, lang, now, approval=True))


# Why a channel was skipped (publication.error_kind): not configured, to share by hand (X without
# credentials), or unticked before the send.
_SKIPPED = {
    "not_configured": "compub.row_not_configured",
    "share": "compub.row_share",
    "removed": "compub.row_removed",
}


def _publication_status(lang: str, p: Publication) -> str:
    if p.status == PublicationStatus.SKIPPED and p.error_kind in _SKIPPED:
        return t(lang, _SKIPPED[p.error_kind])
    return t(lang, f"compost.pub.{p.status}")


async def _publish_now(svc: Services, post_id: int, now: datetime, lang: str) -> str:
    """Hand the approved post to the publishing path (capabilities.communication.publishing)."""
    from capabilities.communication import publishing

    done = await publishing.publish_now(svc, post_id, now)
    lines = [
        t(
            lang,
            "compost.publication_line",
            channel=_channel_label(lang, p.channel),
            status=_publication_status(lang, p),
            url=p.url,
        )
        for p in done
    ]
    return "\n".join([t(lang, "compost.published_head"), *lines])


async def publish(
    svc: Services, person: Person, post_id: int, version: int, lang: str, now: datetime
) -> Result:
    async with svc.transaction() as s:
        post, refusal = await _approvable(s, svc, person, post_id, version, lang, now)
        if post is None:
            return refusal
        findings = await findings_of(s, svc.settings, post, now)
        if any(f.action == "block" or f.action in HOLDING for f in findings):
            card = await render(s, svc.settings, post, person, lang, now, approval=True, at=now)
            return Result(card=card)
        post.status = PostStatus.APPROVED
        post.approved_by, post.approved_at = person.id, now
        await pq.audit(s, person, "compost.approved", f"post:{post.id}", version=post.version)
    return Result(await _publish_now(svc, post_id, now, lang))


async def schedule(
    svc: Services, person: Person, post_id: int, version: int, typed: str, lang: str, now: datetime
) -> Result:
    """ "Programmer": a time in free French (docs/date-conventions.md), the law checked for it."""
    parsed = parse_when_detailed(typed, now)
    if parsed is None:
        return Result(t(lang, "compost.when_unreadable"), retry=True)
    if not parsed.has_time:
        return Result(t(lang, "compost.when_no_time"), retry=True)
    when = parsed.start
    shown = format_when(when.astimezone(svc.settings.tz), lang)
    async with svc.transaction() as s:
        post, refusal = await _approvable(s, svc, person, post_id, version, lang, now)
        if post is None:
            return refusal
        findings = await findings_of(s, svc.settings, post, when)
        paused = [f for f in findings if f.action == "pause"]
        if paused:
            until = max((f.until for f in paused if f.until), default=when)
            lines = [_finding_line(lang, f, svc.settings) for f in paused]
            after = format_when(until.astimezone(svc.settings.tz), lang)
            return Result(
                t(lang, "compost.when_paused", when=shown, after=after) + "\n" + "\n".join(lines), retry=True
            )
        if any(f.action == "block" or f.action in HOLDING for f in findings):
            # Remembered (the post stays SUBMITTED): the card and the confirmations are for this time.
            post.publish_at = when.astimezone(UTC)
            await s.flush()
            lines = [_finding_line(lang, f, svc.settings) for f in findings if f.action != "warn"]
            return Result(
                t(lang, "compost.when_needs_confirm", when=shown) + "\n" + "\n".join(lines),
                await render(s, svc.settings, post, person, lang, now, approval=True),
            )
        post.status = PostStatus.SCHEDULED
        post.publish_at = when.astimezone(UTC)
        post.approved_by, post.approved_at = person.id, now
        await pq.audit(
            s,
            person,
            "compost.scheduled",
            f"post:{post.id}",
            version=post.version,
            at=post.publish_at.isoformat(),
        )
    return Result(t(lang, "compost.scheduled", when=shown))


async def request_changes(
    svc: Services, person: Person, post_id: int, version: int, note: str, lang: str, now: datetime
) -> Result:
    """Back to its author as a draft, with a short note and a button to open it."""
    note = " ".join(note.split())[:1000]
    if not note:
        return Result(t(lang, "compost.ask_note"), retry=True)
    async with svc.transaction() as s:
        post, refusal = await _approvable(s, svc, person, post_id, version, lang, now)
        if post is None:
            return refusal
        post.status = PostStatus.DRAFT
        author = await s.get(Person, post.author_id) if post.author_id else None
        if author is not None:
            text = t(author.language, "compost.changes_asked", who=person.first_name, id=post.id, note=note)
            button = [[(t(author.language, "btn.compost_open"), PostOpen(post.id).pack())]]
            await outbox.enqueue(s, author.telegram_id, text_message(text, button), person_id=author.id)
    return Result(t(lang, "compost.changes_sent"))


async def paused_choice(
    svc: Services, person: Person, post_id: int, version: int, choice: str, lang: str, now: datetime
) -> Result:
    """A post the law paused: publish anyway (the approver confirms it is not propaganda / holds no
    result), after the window (Finding.until), or cancel it."""
    async with svc.transaction() as s:
        post, refusal = await _approvable(s, svc, person, post_id, version, lang, now, (PostStatus.PAUSED,))
        if post is None:
            return refusal
        if choice == "stop":
            post.status = PostStatus.CANCELLED
            return Result(t(lang, "compost.paused_cancelled"))
        findings = await findings_of(s, svc.settings, post, now)
        paused = [f for f in findings if f.action == "pause"]
        if choice == "later":
            until = max((f.until for f in paused if f.until), default=now)
            post.status, post.publish_at, post.paused_reason = PostStatus.SCHEDULED, until.astimezone(UTC), ""
            post.approved_by, post.approved_at = person.id, now
            await pq.audit(s, person, "compost.scheduled", f"post:{post.id}", version=post.version)
            return Result(
                t(lang, "compost.scheduled", when=format_when(until.astimezone(svc.settings.tz), lang))
            )
        # "go": the approver's press is the confirmation of the paused rules (not propaganda, no result).
        rules = {f.rule for f in paused} | ({post.paused_reason} if post.paused_reason else set())
        new = sorted(rules - _confirmed(post))
        post.confirmations = [*(post.confirmations or []), *(_record(r, person, now) for r in new)]
        for rule in new:
            await pq.audit(s, person, "compost.confirmed", f"post:{post.id}", rule=rule, version=post.version)
        remaining = await findings_of(s, svc.settings, post, now)
        if any(f.action == "block" or f.action in HOLDING for f in remaining):
            post.status = PostStatus.SUBMITTED  # other questions first (image rights...)
            await s.flush()
            return Result(card=await render(s, svc.settings, post, person, lang, now, approval=True))
        post.status, post.paused_reason = PostStatus.APPROVED, ""
        post.approved_by, post.approved_at = person.id, now
        await pq.audit(s, person, "compost.approved", f"post:{post.id}", version=post.version)
    return Result(await _publish_now(svc, post_id, now, lang))

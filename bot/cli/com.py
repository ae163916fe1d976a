"""`python -m bot com post ...`: publish through the same path and law checks as the bot.

    python -m bot com post --channels mastodon,facebook,wordpress,bluesky,telegram --text TEXT \\
        [--title T] [--image FILE]... [--key KEY] [--at WHEN] [--confirm RULE,...] [--format json]

The post is stored as an approved free post (or scheduled with --at, free French read in the
bot's time zone) and published by capabilities.communication.publishing: the ledger makes it
exactly once, and the same --key twice returns the first run's results without posting again.
Exit codes: 0 every channel published, scheduled or skipped; 1 a channel failed; 2 bad input
(nothing stored).
"""

from __future__ import annotations

import argparse
import asyncio
import html
import json
import mimetypes
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.settings import Settings, describe_error
from bot.texts import t

FORMATS = ("text", "json")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("com", help="communication : publier un message sur les canaux")
    parser.set_defaults(func=lambda args: _usage(parser))
    commands = parser.add_subparsers(dest="com_command", metavar="{post}")
    post = commands.add_parser("post", help="publier un message (une seule fois par --key)")
    post.add_argument("--channels", required=True, help="canaux séparés par des virgules")
    post.add_argument("--text", required=True, help="le texte du message")
    post.add_argument("--title", default="", help="titre (article du site)")
    post.add_argument("--link", default="", help="lien à joindre")
    post.add_argument("--image", action="append", default=[], metavar="FICHIER", help="image (répétable)")
    post.add_argument("--key", help="clé d'idempotence : la même clé ne publie jamais deux fois")
    post.add_argument("--at", metavar="QUAND", help="programmer (« demain 18h », « 12/03 9h30 »)")
    post.add_argument("--confirm", default="", help="règles confirmées (ex. image_rights,consent)")
    post.add_argument("--format", choices=FORMATS, default="text")
    post.set_defaults(func=run_post)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _plain(text: object) -> str:
    return html.unescape(str(text))


def _error(key: str, **values: Any) -> int:
    print(_plain(t("fr", key, **values)), file=sys.stderr)
    return 2


@dataclass
class Request:
    channels: list[str]
    text: str
    title: str = ""
    link: str = ""
    images: list[dict[str, str]] = field(default_factory=list)
    key: str | None = None
    at: datetime | None = None
    confirm: list[str] = field(default_factory=list)


def read_request(args: argparse.Namespace, settings: Settings, now: datetime) -> Request | int:
    """The command's input checked; an int is the exit code after a French error on stderr."""
    from domain.communication.law import RULES
    from domain.communication.limits import CHANNELS
    from domain.dates import parse_when

    wanted = [c.strip().lower() for c in args.channels.split(",") if c.strip()]
    if not wanted:
        return _error("compub.cli_no_channel")
    for channel in wanted:
        if channel not in CHANNELS:
            return _error("compub.cli_unknown_channel", channel=channel, known=", ".join(CHANNELS))
    if not args.text.strip():
        return _error("compub.cli_no_text")
    images: list[dict[str, str]] = []
    for name in args.image:
        path = Path(name).expanduser()
        try:
            with path.open("rb") as handle:
                if not handle.read(1):
                    return _error("compub.cli_image", path=name, reason=t("fr", "compub.cli_empty"))
        except OSError as exc:
            return _error("compub.cli_image", path=name, reason=exc.strerror or type(exc).__name__)
        mime = mimetypes.guess_type(path.name)[0] or "image/jpeg"
        images.append({"path": str(path.resolve()), "name": path.name, "mime": mime, "alt": ""})
    at = None
    if args.at:
        at = parse_when(args.at, now.astimezone(settings.tz))
        if at is None or at <= now:
            return _error("compub.cli_when", when=args.at)
    confirm = [r.strip() for r in args.confirm.split(",") if r.strip()]
    for rule in confirm:
        if rule not in RULES:
            return _error("compub.cli_rule", rule=rule, known=", ".join(RULES))
    return Request(
        channels=list(dict.fromkeys(wanted)),
        text=args.text.strip(),
        title=args.title.strip(),
        link=args.link.strip(),
        images=images,
        key=args.key or None,
        at=at,
        confirm=confirm,
    )


class KeyConflict(Exception):
    """The --key already names another post: nothing is posted, and it is said (never "published")."""

    def __init__(self, post_id: int) -> None:
        super().__init__(post_id)
        self.post_id = post_id


def _same(stored: Any, request: Request) -> bool:
    """The stored post is what this request asks for (a retry), not a corrected text."""
    images = [str(i.get("path") or "") for i in stored.images or []]
    return (
        stored.text == request.text
        and (stored.title or "") == request.title
        and (stored.link or "") == request.link
        and list(stored.channels) == request.channels
        and images == [str(i.get("path") or "") for i in request.images]
    )


async def post(settings: Settings, request: Request, now: datetime) -> tuple[list[dict[str, Any]], bool]:
    """Store (or find by key) the post and publish it; the per-channel report and whether any failed."""
    from sqlalchemy.exc import IntegrityError

    from bot.services import Services
    from capabilities.communication.publishing import publish_now
    from domain.statuses import PostPurpose, PostStatus
    from storage import publications as q
    from storage.db import Database
    from storage.models import ComPost

    db = Database(settings.database_url, settings.database_schema)
    bot: Any = None
    try:
        await db.migrate()
        existing = None
        if request.key:
            async with db.session() as s:
                existing = await q.post_by_key(s, request.key)
        if existing is None:
            row = ComPost(
                purpose=PostPurpose.FREE,
                status=PostStatus.SCHEDULED if request.at else PostStatus.APPROVED,
                external_key=request.key,
                title=request.title,
                text=request.text,
                link=request.link,
                images=request.images,
                channels=request.channels,
                # Who confirmed: the script's operator, known only as the command line (the audit says when).
                confirmations=[
                    {"rule": rule, "by": None, "via": "cli", "at": now.isoformat()}
                    for rule in request.confirm
                ],
                publish_at=request.at,
                approved_at=now,
            )
            try:
                async with db.session() as s:
                    s.add(row)
            except IntegrityError:  # the same --key ran at the same moment: that run publishes
                async with db.session() as s:
                    existing = await q.post_by_key(s, request.key or "")
                if existing is None:
                    raise
            else:
                if "telegram" in request.channels and settings.token():
                    from telegram import Bot

                    bot = Bot(
                        settings.token(),
                        base_url=settings.telegram_api_base_url or "https://api.telegram.org/bot",
                    )
                    await bot.initialize()
                services = Services(settings=settings, db=db, extras={"telegram_bot": bot} if bot else {})
                await publish_now(services, row.id, now)
                existing = row
        async with db.session() as s:
            stored = await q.post(s, existing.id)
            rows = {r.channel: r for r in await q.of_post(s, existing.id)}
        assert stored is not None
        if not _same(stored, request):
            raise KeyConflict(stored.id)
        return report(stored, rows)
    finally:
        if bot is not None:
            await bot.shutdown()
        await db.dispose()


def report(stored: Any, rows: dict[str, Any]) -> tuple[list[dict[str, Any]], bool]:
    from domain.statuses import PostStatus, PublicationStatus

    posts: list[dict[str, Any]] = []
    failed = False
    for channel in stored.channels:
        row = rows.get(channel)
        entry: dict[str, Any] = {"channel": channel, "status": "failed", "url": None, "error": None}
        if row is None:
            if stored.status == PostStatus.SCHEDULED:
                entry["status"] = "scheduled"
            elif stored.status == PostStatus.PAUSED:
                entry["error"] = _plain(t("fr", "compub.cli_paused", rule=stored.paused_reason))
        elif row.status == PublicationStatus.PUBLISHED:
            entry.update(status="published", url=row.url or None)
        elif row.status == PublicationStatus.SKIPPED:
            entry["status"] = "skipped"
            entry["url"] = row.url or None  # X without credentials: the share link, never "published"
            if row.error_kind == "not_configured":
                name = t("fr", f"compub.channel.{channel}") if channel in CHANNEL_NAMES else channel
                entry["error"] = _plain(t("fr", "compub.not_configured", channel=name))
        else:
            entry["error"] = f"{row.error_kind}: {row.error_detail}".strip(": ") or row.status
        failed = failed or entry["status"] == "failed"
        posts.append(entry)
    return posts, failed


CHANNEL_NAMES = ("telegram", "facebook", "mastodon", "bluesky", "x", "wordpress")


def run_post(args: argparse.Namespace) -> int:
    try:
        settings = Settings()
    except ValidationError as exc:
        print(describe_error(exc), file=sys.stderr)
        return 2
    return execute(args, settings)


def execute(args: argparse.Namespace, settings: Settings, now: datetime | None = None) -> int:
    """The command with given settings (tests pass theirs)."""
    now = now or datetime.now(UTC)
    request = read_request(args, settings, now)
    if isinstance(request, int):
        return request
    try:
        posts, failed = asyncio.run(post(settings, request, now))
    except KeyConflict as conflict:
        return _error("compub.cli_key_conflict", name=request.key or "", post=conflict.post_id)
    if args.format == "json":
        print(json.dumps({"posts": posts}, ensure_ascii=False))
    else:
        for entry in posts:
            error = f" ({entry['error']})" if entry["error"] else ""
            line = t(
                "fr",
                "compub.cli_line",
                channel=entry["channel"],
                status=entry["status"],
                url=entry["url"] or "",
                error=error,
            )
            print(_plain(line))
    return 1 if failed else 0

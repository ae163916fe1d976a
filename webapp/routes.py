"""The Mini App's routes, mounted on the bot's web server (bot/web.py): the page under /app/ and
its API under /app/api/. Thin: check Telegram's signature, load the person, check the same access
rule as the matching command (bot/commands.py), call webapp/views.py, answer JSON.

* Every API call carries `Authorization: tma <initData>` (a header, never a cookie: a page of
  another site cannot make the browser send it, so no CSRF). Missing, forged or older than
  WEBAPP_AUTH_MAX_AGE_HOURS: 401. The person is the signed user's id, nothing else.
* Reads are GET with no personal data in the URL (a week offset, a year, filter codes); every
  change is a POST with a JSON body (ids only).
* A role the person lacks: 403; an object they may not see (another domain's email, an event they
  do not organise): 404, as if it did not exist."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot import commands
from bot.commands import CommandSpec
from bot.services import Services
from bot.texts import language_of
from capabilities import recruitment
from capabilities.people import profile
from capabilities.people.actors import identify
from domain.roles import ROLES
from webapp import auth, views
from webapp.views import Viewer

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
PREFIX = "/app"
API = f"{PREFIX}/api"
HEADER = "Authorization"
SCHEME = "tma "

Args = dict[str, Any]
View = Callable[[Services, Viewer, Args, datetime], Awaitable[Any]]


class BadRequest(Exception):
    """A missing or malformed argument: 400."""


class NotFound(Exception):
    """No such object, or not the person's: 404."""


def _int(args: Args, name: str, default: int | None = None, lo: int = -(2**31), hi: int = 2**31 - 1) -> int:
    value = args.get(name, default)
    if isinstance(value, str) and re.fullmatch(r"-?\d{1,10}", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise BadRequest(name)
    return value


def _code(args: Args, name: str) -> str | None:
    """A filter code (ledger id, kind, status): short, no personal data."""
    value = args.get(name) or None
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 120:
        raise BadRequest(name)
    return value


# --- What each route does --------------------------------------------------------------------------------


async def _me(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return views.me(v, available(svc, v))


async def _agenda(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.agenda(svc, v, _int(args, "week", 0), now)


async def _roster(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    found = await views.roster(svc, v, _int(args, "event_id", lo=1), now)
    if found is None:
        raise NotFound
    return found


async def _recruit(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.recruit(svc, v, _int(args, "event_id", lo=1), _int(args, "need_id", lo=1), now)


async def _recruitment(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.recruitment_status(svc, v, now)


async def _inbox(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.inbox(svc, v, now)


async def _inbox_action(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    action = args.get("action")
    if action not in ("claim", "done", "route"):
        raise BadRequest("action")
    domain = _code(args, "domain") or ""
    if action == "route" and not domain:
        raise BadRequest("domain")
    return await views.inbox_action(svc, v, action, _int(args, "email_id", lo=1), domain, now)


async def _com(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.com_calendar(svc, v, _int(args, "week", 0), now)


async def _ledger(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    year = _int(args, "year", now.astimezone(svc.settings.tz).year, lo=2000, hi=2100)
    return await views.ledger(
        svc, v, year, _code(args, "ledger"), _code(args, "kind"), _code(args, "status"), now
    )


async def _bilan(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    year = _int(args, "year", now.astimezone(svc.settings.tz).year, lo=2000, hi=2100)
    return await views.bilan_png(svc, v, year)


async def _memberships(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.memberships(svc, v, now)


async def _mine(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.mine(svc, v, now)


async def _pause(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    paused = args.get("paused")
    if not isinstance(paused, bool):
        raise BadRequest("paused")
    assert v.person is not None
    await recruitment.set_paused(svc, v.person.id, paused)
    return await views.mine(svc, v, now)


async def _skills(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    skills = args.get("skills")
    if not isinstance(skills, list) or not all(isinstance(x, str) and x in ROLES for x in skills):
        raise BadRequest("skills")
    assert v.person is not None
    await profile.set_skills(svc, v.person.id, [r for r in ROLES if r in skills])
    return await views.mine(svc, v, now)


async def _export(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.export(svc, v)


async def _erase(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    return await views.erase_ask(svc, v)


async def _erase_confirm(svc: Services, v: Viewer, args: Args, now: datetime) -> Any:
    yes = args.get("confirm")
    if not isinstance(yes, bool):
        raise BadRequest("confirm")
    return await views.erase_confirm(svc, v, _int(args, "request_id", lo=1), yes)


def _com_team(svc: Services, v: Viewer) -> bool:
    return views.may_see_com(svc, v)


@dataclass(frozen=True)
class Route:
    name: str  # the view's name in the app, and the path under /app/api/
    method: str  # GET (reads) or POST (changes, or a request that is logged)
    spec: CommandSpec  # the command whose access rule applies
    view: View
    extra: Callable[[Services, Viewer], bool] | None = None  # a rule beyond the role, as the command's

    @property
    def path(self) -> str:
        return f"{API}/{self.name}"


# The app's menu shows the GET views a person may open, in this order.
ROUTES: tuple[Route, ...] = (
    Route("me", "GET", commands.START, _me),
    Route("agenda", "GET", commands.MES_EVENEMENTS, _agenda),
    Route("roster", "POST", commands.MES_EVENEMENTS, _roster),
    Route("recruitment", "GET", commands.BESOINS, _recruitment),
    Route("recruit", "POST", commands.BESOINS, _recruit),
    Route("inbox", "GET", commands.COURRIELS, _inbox),
    Route("inbox/action", "POST", commands.COURRIELS, _inbox_action),
    Route("com", "GET", commands.CALENDRIER_COM, _com, _com_team),
    Route("ledger", "GET", commands.DONS, _ledger),
    Route("bilan.png", "GET", commands.BILAN, _bilan),
    Route("memberships", "GET", commands.ADHERENTS, _memberships),
    Route("mine", "GET", commands.PROFIL, _mine),
    Route("mine/pause", "POST", commands.PAUSE, _pause),
    Route("mine/skills", "POST", commands.PROFIL, _skills),
    Route("data/export", "POST", commands.MES_DONNEES, _export),
    Route("data/erase", "POST", commands.SUPPRIMER_MES_DONNEES, _erase),
    Route("data/erase/confirm", "POST", commands.SUPPRIMER_MES_DONNEES, _erase_confirm),
)
BY_NAME = {r.name: r for r in ROUTES}
# The screens of the app and the route that feeds each.
SCREENS = ("agenda", "recruitment", "inbox", "com", "ledger", "memberships", "mine", "data")
_SCREEN_ROUTE = {"data": "data/export"}


def allowed(route: Route, svc: Services, viewer: Viewer) -> bool:
    if not route.spec.allows(viewer.roles, viewer.person is not None):
        return False
    return route.extra is None or route.extra(svc, viewer)


def available(svc: Services, viewer: Viewer) -> list[str]:
    return [s for s in SCREENS if allowed(BY_NAME[_SCREEN_ROUTE.get(s, s)], svc, viewer)]


async def viewer_of(svc: Services, init_data: str | None, now: float | None = None) -> Viewer | auth.Refusal:
    settings = svc.settings
    user = auth.validate(
        init_data, settings.token(), max_age_seconds=settings.webapp_auth_max_age_hours * 3600, now=now
    )
    if isinstance(user, auth.Refusal):
        return user
    person, roles = await identify(svc, user.id)
    lang = person.language if person else language_of(user.language_code)
    return Viewer(user.id, person, roles, lang)


# --- Tornado ---------------------------------------------------------------------------------------------


def routes(services: Services) -> list[Any]:
    """The (pattern, handler, kwargs) rules to add to the bot's tornado application."""
    import tornado.web

    api, page = _handlers()
    out: list[Any] = [(re.escape(r.path), api, {"services": services, "route": r}) for r in ROUTES]
    out.append((re.escape(API) + r"/.*", api, {"services": services, "route": None}))
    out.append((re.escape(PREFIX), tornado.web.RedirectHandler, {"url": f"{PREFIX}/"}))
    out.append((re.escape(PREFIX) + r"/(.*)", page, {"path": str(STATIC), "default_filename": "index.html"}))
    return out


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Everything from this server; the chart arrives as a blob; no inline script.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' blob: data:; style-src 'self'; "
    "script-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'",
}


def _handlers() -> tuple[type, type]:
    import tornado.web

    class _Api(tornado.web.RequestHandler):
        def initialize(self, services: Services, route: Route | None) -> None:
            self.services = services
            self.route = route

        def set_default_headers(self) -> None:
            for k, v in SECURITY_HEADERS.items():
                self.set_header(k, v)
            self.set_header("Cache-Control", "no-store")

        def _error(self, status: int, code: str) -> None:
            self.set_status(status)
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps({"error": code}))

        async def get(self) -> None:
            await self._serve("GET")

        async def post(self) -> None:
            await self._serve("POST")

        async def _serve(self, method: str) -> None:
            header = self.request.headers.get(HEADER, "")
            init_data = header[len(SCHEME) :] if header.startswith(SCHEME) else None
            viewer = await viewer_of(self.services, init_data)
            # Signature first: nothing about the routes is told to an unsigned caller.
            if isinstance(viewer, auth.Refusal):
                self._error(401, "auth")
                return
            route = self.route
            if route is None:
                self._error(404, "not_found")
                return
            if route.method != method:
                self._error(405, "method")
                return
            if not allowed(route, self.services, viewer):
                self._error(403, "forbidden")
                return
            if method == "POST":
                if not self.request.headers.get("Content-Type", "").startswith("application/json"):
                    self._error(415, "json")
                    return
                try:
                    args = json.loads(self.request.body or b"{}")
                except ValueError:
                    self._error(400, "bad_request")
                    return
                if not isinstance(args, dict):
                    self._error(400, "bad_request")
                    return
            else:
                args = {k: self.get_query_argument(k) for k in self.request.query_arguments}
            try:
                result = await route.view(self.services, viewer, args, datetime.now(UTC))
            except BadRequest:
                self._error(400, "bad_request")
                return
            except NotFound:
                self._error(404, "not_found")
                return
            if isinstance(result, bytes):
                self.set_header("Content-Type", "image/png")
                self.finish(result)
                return
            self.set_header("Content-Type", "application/json; charset=utf-8")
            self.finish(json.dumps(result, ensure_ascii=False, default=str))
            if self.services.sender is not None:
                self.services.sender.kick()

    class _Page(tornado.web.StaticFileHandler):
        def set_default_headers(self) -> None:
            for k, v in SECURITY_HEADERS.items():
                self.set_header(k, v)

        def set_extra_headers(self, path: str) -> None:
            self.set_header("Cache-Control", "no-cache")

    return _Api, _Page

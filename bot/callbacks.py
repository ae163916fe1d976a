"""Every button's callback_data, typed: the code that builds a button and the handler that reads it
share one class, its `pack()`, its `pattern()` and its `parse()`.

A format is a frozen dataclass: a PREFIX, then its fields in order, joined by ':'. Field types are
int, str (no ':') and Literal[...] choices; a field may carry a fixed tag written before its value
(`tagged("r")`: `r12`). Telegram allows 64 bytes: `pack()` refuses more. `parse()` returns None for
anything that is not exactly this format (a forged, stale or foreign button), so handlers refuse it.

The wire formats are those of buttons already posted in chats: changing one makes old buttons stale.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Literal, Self, get_args, get_origin, get_type_hints

MAX_BYTES = 64
FORMATS: list[type[CallbackData]] = []


def tagged(tag: str) -> Any:
    """A field written with a fixed tag before its value (`rsvp:12:r34`)."""
    return field(metadata={"tag": tag})


class CallbackData:
    PREFIX: ClassVar[str]

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        FORMATS.append(cls)

    def pack(self) -> str:
        parts = [self.PREFIX]
        for f in fields(self):  # type: ignore[arg-type]  # every subclass is a dataclass
            value = getattr(self, f.name)
            text = str(value)
            if ":" in text:
                raise ValueError(f"{type(self).__name__}.{f.name} may not contain ':'")
            parts.append(f.metadata.get("tag", "") + text)
        data = ":".join(parts)
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback_data over {MAX_BYTES} bytes: {data!r}")
        return data

    @classmethod
    def pattern(cls) -> re.Pattern[str]:
        return _compiled(cls)

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        match = _compiled(cls).match(data or "")
        if match is None:
            return None
        ints = _int_fields(cls)
        values = {}
        for f, raw in zip(fields(cls), match.groups(), strict=True):  # type: ignore[arg-type]
            values[f.name] = int(raw) if f.name in ints else raw
        return cls(**values)


def pattern_of(*formats: type[CallbackData]) -> re.Pattern[str]:
    """One pattern for a handler that reads several formats."""
    return re.compile("|".join(f"(?:{f.pattern().pattern})" for f in formats))


_PATTERNS: dict[type[CallbackData], re.Pattern[str]] = {}
_INTS: dict[type[CallbackData], frozenset[str]] = {}


def _int_fields(cls: type[CallbackData]) -> frozenset[str]:
    # get_type_hints costs ~0.3 ms: once per format, not once per press of a crowd.
    if cls not in _INTS:
        hints = get_type_hints(cls)
        _INTS[cls] = frozenset(f.name for f in fields(cls) if hints[f.name] is int)  # type: ignore[arg-type]
    return _INTS[cls]


def _compiled(cls: type[CallbackData]) -> re.Pattern[str]:
    if cls in _PATTERNS:
        return _PATTERNS[cls]
    hints = get_type_hints(cls)
    parts = [re.escape(cls.PREFIX)]
    for f in fields(cls):  # type: ignore[arg-type]
        kind = hints[f.name]
        if kind is int:
            value = r"(\d{1,18})"
        elif get_origin(kind) is Literal:
            value = "(" + "|".join(re.escape(str(a)) for a in get_args(kind)) + ")"
        elif kind is str:
            value = r"([^:]{1,60})"
        else:
            raise TypeError(f"{cls.__name__}.{f.name}: unsupported type {kind!r}")
        parts.append(re.escape(f.metadata.get("tag", "")) + value)
    _PATTERNS[cls] = re.compile("^" + ":".join(parts) + "$")
    return _PATTERNS[cls]


# --- Events and answers ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RsvpAnswer(CallbackData):
    """An announcement's Je viens / Peut-être / Je ne viens pas."""

    PREFIX = "rsvp"
    event_id: int
    answer: Literal["y", "m", "n"]


@dataclass(frozen=True)
class RsvpRole(CallbackData):
    """An announcement's button for one task (need)."""

    PREFIX = "rsvp"
    event_id: int
    need_id: int = tagged("r")


@dataclass(frozen=True)
class RsvpSwitch(CallbackData):
    """Sent in private to someone who holds a task and offered another: take that one instead."""

    PREFIX = "rsvp"
    event_id: int
    need_id: int = tagged("s")


@dataclass(frozen=True)
class EventKind(CallbackData):
    """/evenement: the kind of action, by its index in domain.events.KINDS (`evk:1`)."""

    PREFIX = "evk"
    index: int


@dataclass(frozen=True)
class EventCity(CallbackData):
    """/evenement: the city, by id (`evc:3`)."""

    PREFIX = "evc"
    city_id: int


@dataclass(frozen=True)
class EventNational(CallbackData):
    """/evenement: a national event, announced in every group (`evc:national`)."""

    PREFIX = "evc:national"


@dataclass(frozen=True)
class EventWhenOk(CallbackData):
    """/evenement: « C'est bien … ? » Oui / Non (`evw:y`)."""

    PREFIX = "evw"
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class EventConfirm(CallbackData):
    """/evenement: Confirmer / Annuler under the summary (`evok:y`)."""

    PREFIX = "evok"
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class EventManage(CallbackData):
    """/mes_evenements: one of my events (`evm:12`)."""

    PREFIX = "evm"
    event_id: int


@dataclass(frozen=True)
class EventEdit(CallbackData):
    """What to change in an event (`eve:place:12`)."""

    PREFIX = "eve"
    change: Literal["when", "place", "title", "cancel", "goal", "ha_form"]
    event_id: int


@dataclass(frozen=True)
class EventDonors(CallbackData):
    """A fundraiser's donors (`evd:12`): treasury and coordination only, checked at the press."""

    PREFIX = "evd"
    event_id: int


@dataclass(frozen=True)
class EventCancelOk(CallbackData):
    """« Annuler l'action » confirmed, or Retour (`evx:y`)."""

    PREFIX = "evx"
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class AgendaView(CallbackData):
    """/agenda: switch view (`ag:city`)."""

    PREFIX = "ag"
    view: Literal["mine", "city", "all"]


@dataclass(frozen=True)
class RosterOpen(CallbackData):
    """« Voir les inscrits » (`evr:12`): organisers only, checked at the press (group or private)."""

    PREFIX = "evr"
    event_id: int


@dataclass(frozen=True)
class RosterAct(CallbackData):
    """From a roster: write to the registered, export, take attendance (`evra:xlsx:12`)."""

    PREFIX = "evra"
    action: Literal["msg", "xlsx", "csv", "att"]
    event_id: int


@dataclass(frozen=True)
class RosterMark(CallbackData):
    """Présent / absent for one participation, by an organiser (`evrp:78:y`)."""

    PREFIX = "evrp"
    participation_id: int
    came: Literal["y", "n"]


@dataclass(frozen=True)
class RosterSend(CallbackData):
    """Send the message to the registered, or not (`evrs:y`)."""

    PREFIX = "evrs"
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class EventWhenSet(CallbackData):
    """/mes_evenements: the new date read back in words, confirmed or not (`evwc:y`)."""

    PREFIX = "evwc"
    answer: Literal["y", "n"]


# --- Recruitment, reminders and attendance ---------------------------------------------------------


@dataclass(frozen=True)
class Recruit(CallbackData):
    """« Relancer » one need of an event (`rec:12:34`), from /besoins and the digests."""

    PREFIX = "rec"
    event_id: int
    need_id: int


@dataclass(frozen=True)
class WhoWasAsked(CallbackData):
    """« Qui a été sollicité ? » for an event (`recw:12`)."""

    PREFIX = "recw"
    event_id: int


@dataclass(frozen=True)
class AskReply(CallbackData):
    """A volunteer's Oui / Non to an ask (`ask:56:y`)."""

    PREFIX = "ask"
    ask_id: int
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class ReminderReply(CallbackData):
    """« Je viens toujours » / « Je ne peux plus » under a reminder (`rem:78:ok`), by participation id."""

    PREFIX = "rem"
    participation_id: int
    answer: Literal["ok", "no"]


@dataclass(frozen=True)
class AttendanceReply(CallbackData):
    """« Étiez-vous là ? » Oui / Non after an event (`att:78:y`), by participation id."""

    PREFIX = "att"
    participation_id: int
    answer: Literal["y", "n"]


# --- Announcements to members (/annonce) -----------------------------------------------------------


@dataclass(frozen=True)
class AnnounceAudience(CallbackData):
    """/annonce: who to write to (`bc:a:city`)."""

    PREFIX = "bc:a"
    audience: Literal["all", "city", "role", "event"]


@dataclass(frozen=True)
class AnnouncePick(CallbackData):
    """/annonce: which city (id), role (name), skill (index in domain.roles.ROLES) or event (id)
    (`bc:p:city:3`)."""

    PREFIX = "bc:p"
    kind: Literal["city", "role", "skill", "event"]
    value: str


@dataclass(frozen=True)
class AnnounceConfirm(CallbackData):
    """/annonce: Confirmer / Annuler under the preview (`bc:ok:y`)."""

    PREFIX = "bc:ok"
    answer: Literal["y", "n"]


# --- People: onboarding, profile, roles ------------------------------------------------------------


@dataclass(frozen=True)
class OnboardingCity(CallbackData):
    """/start: the city tapped (`ob:city:3`), or « none of these » (`ob:city:none`)."""

    PREFIX = "ob:city"
    city: str  # a city id or domain.people.NO_CITY; checked against the cities when read


@dataclass(frozen=True)
class OnboardingSkill(CallbackData):
    """/start: a skill toggled (its index in domain.roles.ROLES, `ob:sk:4`), or Valider (`ob:sk:ok`)."""

    PREFIX = "ob:sk"
    choice: str  # an index or domain.people.SKILLS_DONE; checked when read


@dataclass(frozen=True)
class OnboardingConsent(CallbackData):
    """/start: J'accepte (`ob:consent:yes`) or Je refuse (`ob:consent:no`)."""

    PREFIX = "ob:consent"
    answer: Literal["yes", "no"]


@dataclass(frozen=True)
class ProfileMenu(CallbackData):
    """/profil: what to change (`pf:city`), or Terminé (`pf:done`)."""

    PREFIX = "pf"
    choice: Literal["name", "city", "skills", "lang", "done"]


@dataclass(frozen=True)
class ProfileCity(CallbackData):
    """/profil: the new city (`pf:c:3`, `pf:c:none`), read as OnboardingCity."""

    PREFIX = "pf:c"
    city: str


@dataclass(frozen=True)
class ProfileSkill(CallbackData):
    """/profil: a skill toggled (`pf:s:4`) or Valider (`pf:s:ok`), read as OnboardingSkill."""

    PREFIX = "pf:s"
    choice: str


@dataclass(frozen=True)
class RolePick(CallbackData):
    """/role (`g`) or /retirer_role (`r`) with a first name several people share: the one meant
    (`rl:g:12`, a person id). The role itself waits in the coordinator's own draft."""

    PREFIX = "rl"
    give: Literal["g", "r"]
    person_id: int


# --- Personal data ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErasureAnswer(CallbackData):
    """/supprimer_mes_donnees: Oui, tout effacer (`pv:er:12:y`) or Annuler (`pv:er:12:n`)."""

    PREFIX = "pv:er"
    request_id: int
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class PersonAction(CallbackData):
    """/donnees_personne: access (a), erasure (e), stop (s) or cancel (x) for the person looked up."""

    PREFIX = "pv:pa"
    action: Literal["a", "e", "s", "x"]


@dataclass(frozen=True)
class PersonErasureAnswer(CallbackData):
    """/donnees_personne: the erasure confirmed (`pv:pe:12:y`) or cancelled (`pv:pe:12:n`)."""

    PREFIX = "pv:pe"
    request_id: int
    answer: Literal["y", "n"]


@dataclass(frozen=True)
class RequestDone(CallbackData):
    """The day-20 reminder: Marquer comme traitée (`pv:done:12`)."""

    PREFIX = "pv:done"
    request_id: int


@dataclass(frozen=True)
class FinancialRecords(CallbackData):
    """The treasurers' notice: Recevoir ces fiches (`pv:fin:12`)."""

    PREFIX = "pv:fin"
    request_id: int


@dataclass(frozen=True)
class PurgeAnswer(CallbackData):
    """/purge: delete what was shown, up to that day (`pv:pu:2015-03-31`), or Annuler (`pv:pu:no`)."""

    PREFIX = "pv:pu"
    cutoff: str  # YYYY-MM-DD or "no"; checked when read


# --- Inbox --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InboxCard(CallbackData):
    """A card's button on one email (`ib:c:12`): c claim, r Réaffecter (the domains), p Répondre,
    d Répondu, s spam, v Voir (from /courriels), ns not spam (from /courriels), b Retour, and the
    cities of a campaign email being sorted (kc) or moved (mc)."""

    PREFIX = "ib"
    action: Literal["c", "r", "p", "d", "s", "v", "ns", "b", "kc", "mc"]
    email_id: int


InboxSort = Literal["k", "m"]  # an unsure email sorted (k), an email moved (m)
InboxDomain = Literal["finance", "communication", "website", "secretariat", "spam"]


@dataclass(frozen=True)
class InboxRoute(CallbackData):
    """One-tap domain: an unsure email sorted (k) or an email moved (m) there (`ib:k:12:finance`)."""

    PREFIX = "ib"
    mode: InboxSort
    email_id: int
    domain: InboxDomain


@dataclass(frozen=True)
class InboxRouteCity(CallbackData):
    """A campaign email sorted (k) or moved (m) to a city: its index in domain.triage.CITIES
    (`ib:m:12:campaign:3`)."""

    PREFIX = "ib"
    mode: InboxSort
    email_id: int
    domain: Literal["campaign"]
    city: int


@dataclass(frozen=True)
class InboxAway(CallbackData):
    """/absent: give my unclaimed emails to others (`ib:away`)."""

    PREFIX = "ib:away"


@dataclass(frozen=True)
class InboxTemplate(CallbackData):
    """A saved answer offered while answering an email (`ib:t:<saved answer id>`)."""

    PREFIX = "ib:t"
    reply_id: int


@dataclass(frozen=True)
class InboxSend(CallbackData):
    """Envoyer: send the previewed answer to the email (`ib:ok:<email id>`)."""

    PREFIX = "ib:ok"
    email_id: int


@dataclass(frozen=True)
class InboxSendTo(CallbackData):
    """Envoyer, when Reply-To names another domain than From: the recipient chosen explicitly,
    `from` (the sender) or `reply` (the Reply-To address) (`ib:to:<email id>:from`)."""

    PREFIX = "ib:to"
    email_id: int
    to: Literal["from", "reply"]


@dataclass(frozen=True)
class InboxEdit(CallbackData):
    """Modifier: write the previewed answer again (`ib:ed`)."""

    PREFIX = "ib:ed"


@dataclass(frozen=True)
class InboxCancel(CallbackData):
    """Annuler la réponse: the answer being written is dropped (`ib:x`)."""

    PREFIX = "ib:x"


# --- Donations and memberships ----------------------------------------------------------------------


@dataclass(frozen=True)
class DonStep(CallbackData):
    """A button of the /don form: the step it answers and the value chosen (`dn:method:2`,
    `dn:search:12` for a known donor, `dn:search:new`, `dn:summary:ok`)."""

    PREFIX = "dn"
    step: str
    value: str


@dataclass(frozen=True)
class DonationEdit(CallbackData):
    """A correction button on a payment's card (/dons): `de:amount:12`."""

    PREFIX = "de"
    change: Literal["amount", "date", "method", "cancel", "refunded"]
    donation_id: int


@dataclass(frozen=True)
class DonationMethod(CallbackData):
    """The new payment method of a correction, by its index in domain.law.METHODS: `dv:2`."""

    PREFIX = "dv"
    index: int


@dataclass(frozen=True)
class DonationCard(CallbackData):
    """A payment of the /dons list: opens its card (`dl:12`)."""

    PREFIX = "dl"
    donation_id: int


@dataclass(frozen=True)
class DonorMatchChoice(CallbackData):
    """Two donor records with the same name and another address: one person or two
    (`dm:merge:12`, `dm:apart:12`, the donor_match row)."""

    PREFIX = "dm"
    choice: Literal["merge", "apart"]
    match_id: int


# --- Communication --------------------------------------------------------------------------------
# Prefixes: "cr…" requests (capabilities.communication.requests), "cp…" posts (drafts and approval),
# "cq…" publishing, "cc…" planning. Each part adds its formats under its own heading below.


@dataclass(frozen=True)
class PostOpen(CallbackData):
    """Open a post (a suggestion, a draft) to write, edit or approve it (`cp:o:12`): shared by the
    suggestion cards, the digest and the calendar."""

    PREFIX = "cp:o"
    post_id: int


# --- Communication: requests ----------------------------------------------------------------------


ComKind = Literal["post", "visual", "video", "website", "press_release"]  # domain.statuses.ComRequestKind


@dataclass(frozen=True)
class ComReqKind(CallbackData):
    """/com: what is asked (`cr:k:post`)."""

    PREFIX = "cr:k"
    kind: ComKind


@dataclass(frozen=True)
class ComReqChannel(CallbackData):
    """/com: a channel toggled on or off (`cr:t:mastodon`); `ok` ends the choice."""

    PREFIX = "cr:t"
    channel: Literal["telegram", "facebook", "mastodon", "bluesky", "x", "wordpress", "ok"]


@dataclass(frozen=True)
class ComReqStep(CallbackData):
    """/com: f files done, y confirm, n cancel."""

    PREFIX = "cr:s"
    action: Literal["f", "y", "n"]


@dataclass(frozen=True)
class ComReqCard(CallbackData):
    """A request card's button (`cr:c:c:12`): c claim, a assign (the team), d done, w write the post."""

    PREFIX = "cr:c"
    action: Literal["c", "a", "d", "w"]
    request_id: int


@dataclass(frozen=True)
class ComReqAssign(CallbackData):
    """Give a request to a member of the team (`cr:a:12:p34`)."""

    PREFIX = "cr:a"
    request_id: int
    person_id: int = tagged("p")


@dataclass(frozen=True)
class ComReqRefuse(CallbackData):
    """Refuse a request (`cr:r:12`): asks the reason; `cr:rn:12` refuses without one."""

    PREFIX = "cr:r"
    request_id: int


@dataclass(frozen=True)
class ComReqNoReason(CallbackData):
    PREFIX = "cr:rn"
    request_id: int


@dataclass(frozen=True)
class ComReqFromEmail(CallbackData):
    """An inbox card of a communication or website email: turn it into a request (`cr:e:12`)."""

    PREFIX = "cr:e"
    email_id: int


# --- Communication: posts -------------------------------------------------------------------------
# Approval buttons carry the post's version: a press on an older version is refused.

PostChannel = Literal["x", "bluesky", "mastodon", "telegram", "facebook", "wordpress"]
PostRule = Literal["silence", "polemic", "paid", "results", "appeal", "consent", "image_rights"]


@dataclass(frozen=True)
class CpEdit(CallbackData):
    """A draft's Modifier le texte / Lien / Ajouter une photo (`cp:e:12:t`)."""

    PREFIX = "cp:e"
    post_id: int
    what: Literal["t", "l", "p", "x"]  # x: remove the photos


@dataclass(frozen=True)
class CpChannel(CallbackData):
    """Toggle one channel of a draft (`cp:c:12:x`)."""

    PREFIX = "cp:c"
    post_id: int
    channel: PostChannel


@dataclass(frozen=True)
class CpSubmit(CallbackData):
    PREFIX = "cp:s"
    post_id: int
    version: int = tagged("v")


@dataclass(frozen=True)
class CpDelete(CallbackData):
    PREFIX = "cp:d"
    post_id: int


@dataclass(frozen=True)
class CpConfirm(CallbackData):
    """The approver confirms one of the law's questions (`cp:k:12:v3:image_rights`)."""

    PREFIX = "cp:k"
    post_id: int
    version: int = tagged("v")
    rule: PostRule = "image_rights"


@dataclass(frozen=True)
class CpPublish(CallbackData):
    PREFIX = "cp:p"
    post_id: int
    version: int = tagged("v")


@dataclass(frozen=True)
class CpSchedule(CallbackData):
    """Programmer: then a time in free French."""

    PREFIX = "cp:w"
    post_id: int
    version: int = tagged("v")


@dataclass(frozen=True)
class CpChanges(CallbackData):
    """Demander des modifications: then a short note to the author."""

    PREFIX = "cp:n"
    post_id: int
    version: int = tagged("v")


@dataclass(frozen=True)
class CpPaused(CallbackData):
    """A paused post: publish anyway (confirmed), after the window, or cancel."""

    PREFIX = "cp:z"
    post_id: int
    version: int = tagged("v")
    choice: Literal["go", "later", "stop"] = "go"


# --- Communication: publishing --------------------------------------------------------------------


@dataclass(frozen=True)
class PostRepublish(CallbackData):
    """Retry a post's failed channels (`cq:r:12`), on the failure messages sent to the team."""

    PREFIX = "cq:r"
    post_id: int


# --- Communication: planning ----------------------------------------------------------------------


@dataclass(frozen=True)
class ComCalendarWeek(CallbackData):
    """/calendrier_com: show the week `offset` weeks after the current one (`cc:w:1`)."""

    PREFIX = "cc:w"
    offset: int


@dataclass(frozen=True)
class ComPhotoEvent(CallbackData):
    """A volunteer's photo sent in private: the event it is from (`cc:p:12`)."""

    PREFIX = "cc:p"
    event_id: int


# --- Expenses ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FrStep(CallbackData):
    """A button of the /frais form: the step it answers and the value (`fr:s:ledger:2`, `fr:s:confirm:ok`)."""

    PREFIX = "fr:s"
    step: Literal["ledger", "event", "category", "confirm"]
    value: str


@dataclass(frozen=True)
class FrDecide(CallbackData):
    """A treasurer's button on a claim's card (`fr:d:ok:12`); the role and the status are re-read."""

    PREFIX = "fr:d"
    action: Literal["ok", "no", "ask", "paid"]
    expense_id: int


@dataclass(frozen=True)
class FrReply(CallbackData):
    """Répondre: the member answers the treasurer's question about their claim (`fr:r:12`)."""

    PREFIX = "fr:r"
    expense_id: int


# --- Paged lists (issue 18): the page and the filters travel in the button -------------------------
# The page is clamped when read (bot.paging.window); a filter naming a row (a city, a person) is
# checked against the database and the reader's rights when read.


@dataclass(frozen=True)
class AgendaPage(CallbackData):
    """/agenda: one page of a view; `city_id` the city shown by the city view (0: the person's
    own) (`agp:city:3:1`)."""

    PREFIX = "agp"
    view: Literal["mine", "city", "all"]
    city_id: int
    page: int


@dataclass(frozen=True)
class NeedsPage(CallbackData):
    """/besoins: one page of the events short of people, in one city (0: every city the organiser
    sees) (`ndp:3:1`)."""

    PREFIX = "ndp"
    city_id: int
    page: int


@dataclass(frozen=True)
class NeedsOpen(CallbackData):
    """/besoins: open one event's needs (its « Relancer » buttons) in the same message; Retour
    leads back to the page it came from (`ndo:12:3:1`)."""

    PREFIX = "ndo"
    event_id: int
    city_id: int
    page: int


@dataclass(frozen=True)
class MyEventsPage(CallbackData):
    """/mes_evenements: one page of the events the organiser manages (`evmp:1`)."""

    PREFIX = "evmp"
    page: int


InboxFilter = Literal["all", "late", "mine", "dom", "who", "spam"]


@dataclass(frozen=True)
class InboxPage(CallbackData):
    """/courriels: one page of a filter: all, late, mine, a domain (`value`: its name), a person
    (`value`: their id) or the recent spam; `value` is "0" when the filter takes none
    (`ibp:dom:finance:1`)."""

    PREFIX = "ibp"
    MAX_TEXT: ClassVar[dict[str, int]] = {"value": 18}
    filter: InboxFilter
    value: str
    page: int


@dataclass(frozen=True)
class InboxFilterMenu(CallbackData):
    """/courriels: choose a domain (`dom`) or a person (`who`) to filter by (`ibf:who`)."""

    PREFIX = "ibf"
    kind: Literal["dom", "who"]


QUERY_BYTES = 30  # a /dons search carried in its page buttons: cut to this many bytes


def carried_query(query: str) -> str:
    """A typed search as a page button carries it: no ':', at most QUERY_BYTES bytes, "_" for none."""
    text = " ".join(query.replace(":", " ").split())
    text = text.encode()[:QUERY_BYTES].decode(errors="ignore").strip()
    return text or "_"


@dataclass(frozen=True)
class DonsPage(CallbackData):
    """/dons: one page of the payments, all or only those with the law's remarks (`warn`), of the
    donors matching `query` ("_": no search) (`dlp:warn:1:_`)."""

    PREFIX = "dlp"
    MAX_TEXT: ClassVar[dict[str, int]] = {"query": QUERY_BYTES}
    only: Literal["all", "warn"]
    page: int
    query: str


@dataclass(frozen=True)
class DonationFix(CallbackData):
    """/dons: record what a payment's remark says is missing; `sworn`: the donor's sworn
    declaration, received today (`dfx:sworn:12`)."""

    PREFIX = "dfx"
    what: Literal["sworn"]
    donation_id: int


@dataclass(frozen=True)
class MembersPage(CallbackData):
    """/adherents: one page of the members to renew (`due`: ending within 30 days, `lapsed`:
    ended) (`adp:due:1`)."""

    PREFIX = "adp"
    group: Literal["due", "lapsed"]
    page: int


@dataclass(frozen=True)
class MembershipRenew(CallbackData):
    """/adherents: record a member's renewal (opens the /don form on that donor's cotisation)
    (`adr:12`, a donor id)."""

    PREFIX = "adr"
    donor_id: int


@dataclass(frozen=True)
class CitiesPage(CallbackData):
    """/villes: one page of the cities and their groups (`vlp:1`)."""

    PREFIX = "vlp"
    page: int


@dataclass(frozen=True)
class RosterPage(CallbackData):
    """An event's roster (`list`) or its attendance sheet (`att`), one page, organisers only, in
    private (`evrl:list:12:1`)."""

    PREFIX = "evrl"
    view: Literal["list", "att"]
    event_id: int
    page: int


@dataclass(frozen=True)
class TemplatesPage(CallbackData):
    """/modeles: one page of the saved answers (`tplp:1`)."""

    PREFIX = "tplp"
    page: int


@dataclass(frozen=True)
class DataRequestsPage(CallbackData):
    """/donnees_personne: one page of the personal-data requests still open (`pvrp:1`)."""

    PREFIX = "pvrp"
    page: int


# --- Summaries instead of floods (issue 18) ------------------------------------------------------------


@dataclass(frozen=True)
class InboxLate(CallbackData):
    """The coordinators' daily summary of late emails: o Ouvrir (that person's late emails), r Réaffecter
    them to the next available person (`ibl:o:12`, a person id; 0: the emails nobody holds)."""

    PREFIX = "ibl"
    action: Literal["o", "r"]
    person_id: int


@dataclass(frozen=True)
class ComLate(CallbackData):
    """The coordinators' daily summary of communication requests nobody took: Ouvrir shows that
    request's card (`crl:12`, a request id)."""

    PREFIX = "crl"
    request_id: int


# --- Corrections (issue 17) ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyFix(CallbackData):
    """« Ce n'est pas ça » under a reply the bot read as an answer (`rx:o:12`: the reading's id)."""

    PREFIX = "rx:o"
    correction_id: int


@dataclass(frozen=True)
class ReplyFixSet(CallbackData):
    """What the reply meant: Je viens / Peut-être / Je ne viens pas / Rien à noter (`rx:s:12:y`)."""

    PREFIX = "rx:s"
    correction_id: int
    choice: Literal["y", "m", "n", "x"]

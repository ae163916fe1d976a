"""Personal-data rights and retention (docs/legal-rules.md, sections E and F).

Operations behind /mes_donnees (export), /supprimer_mes_donnees (erasure), /stop, the coordinators'
/donnees_personne, the treasurers' /purge, and the daily retention job. Each takes the caller's
session: the change and the messages it causes are one transaction.

Choices:
- Erasure deletes the person's row and everything hanging from it (roles, participations, asks),
  blanks the messages addressed to them, and keeps only the financial core the law requires
  (Donor + Donation + Membership), unlinked from the profile: an archive for treasurers.
- Retention anonymises rather than deletes an inactive volunteer: the row stays as « Ancien·ne
  bénévole » with an unreachable Telegram id, so past actions keep their attendance figures while
  nothing identifies the person any more.
- Financial records are never deleted by a job: treasurers are told, and /purge deletes on their
  confirmation.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.messages import text_message
from bot.services import Services
from bot.settings import Settings
from bot.texts import t
from domain.dates import PARIS
from domain.money import format_eur
from storage import outbox
from storage import people as people_q
from storage import privacy as q
from storage.digest import claim_period
from storage.models import DataRequest, Donation, Donor, Membership, Person

log = logging.getLogger(__name__)

ANONYMOUS_NAME = "Ancien·ne bénévole"
EMAIL_RE = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")
# Messages /stop cancels when still waiting: announcements, asks for help, digests.
STOPPED_PREFIXES = ("bc:", "ask:", "digest:")
MAX_LISTED = 5


# =============================================================================================
# Whose data
# =============================================================================================


@dataclass
class Subject:
    """The person a request is about: a Telegram profile, email addresses (donors, senders), or both."""

    telegram_id: int | None
    person: Person | None
    emails: tuple[str, ...] = ()

    def label(self) -> str:
        if self.person is not None:
            handle = f"@{self.person.username}" if self.person.username else f"id {self.person.telegram_id}"
            return f"{self.person.first_name} ({handle})"
        if self.emails:
            return ", ".join(self.emails)
        return f"id {self.telegram_id}"


async def subject_of_user(session: AsyncSession, telegram_id: int) -> Subject:
    return Subject(telegram_id, await people_q.person_by_telegram_id(session, telegram_id))


async def find_subject(session: AsyncSession, ident: str) -> Subject | None:
    """`@pseudo`, a Telegram id or an email address (a donor's, or an inbox sender's) → Subject."""
    ident = ident.strip()
    if EMAIL_RE.match(ident):
        email = ident.lower()
        donors = await q.donors_by_email(session, [email])
        linked = {d.person_id for d in donors if d.person_id is not None}
        person = await q.person_by_id(session, linked.pop()) if len(linked) == 1 else None
        # Even with nothing stored, the request is logged and answered ("we hold nothing").
        return Subject(person.telegram_id if person else None, person, (email,))
    person = await people_q.person_by_handle(session, ident)
    if person is None or person.telegram_id < 0:
        if ident.lstrip("-").isdigit():
            return Subject(int(ident), None)  # never onboarded: their requests and pending answers
        return None
    return Subject(person.telegram_id, person)


async def _donors(session: AsyncSession, subject: Subject) -> list[Donor]:
    found = {d.id: d for d in await q.donors_by_email(session, subject.emails)}
    if subject.person is not None:
        found.update({d.id: d for d in await q.donors_linked(session, subject.person.id)})
    return [found[i] for i in sorted(found)]


# =============================================================================================
# Access: everything stored about someone
# =============================================================================================


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


async def collect(session: AsyncSession, subject: Subject, *, financial: bool, now: datetime) -> dict[str, Any]:
    """The export: every row about the subject, as JSON-ready values (French keys, for the reader).

    `financial` False leaves out the donor records' contents (treasurers only), keeping their count.
    Emails handled as an activist show no sender or content: those are the senders' data.
    """
    person = subject.person
    out: dict[str, Any] = {
        "genere_le": now.isoformat(),
        "responsable_du_traitement": "À nous la démocratie ! — 22 cour des Petites Écuries, 75010 Paris",
        "identifiant_telegram": subject.telegram_id,
        "adresses_email": list(subject.emails),
        "profil": None,
    }
    if person is not None:
        out["profil"] = {
            "prenom": person.first_name, "pseudo": person.username, "langue": person.language,
            "ville": person.city.name if person.city else None, "actions_souhaitees": list(person.skills or []),
            "accord_version": person.consent_version, "accord_le": _iso(person.consent_at),
            "joignable": person.reachable, "demandes_d_aide_en_pause": person.asks_paused,
            "absent_jusqu_au": _iso(person.absent_until), "heure_du_point_du_jour": person.digest_hour,
            "point_du_jour_en_pause": person.digest_paused, "annonces_arretees": person.announcements_stopped,
            "derniere_activite": _iso(person.last_active_at), "cree_le": _iso(person.created_at),
            "modifie_le": _iso(person.updated_at),
        }  # fmt: skip
        out["roles"] = [{"role": g.role, "perimetre": g.scope, "depuis": _iso(g.granted_at)} for g in person.grants]
        out["participations"] = [
            {"action": e.title, "date": _iso(e.starts_at), "statut": p.status, "role": p.role, "source": p.source,
             "inscrit_le": _iso(p.created_at), "modifie_le": _iso(p.updated_at), "present": p.attended}
            for p, e in await q.participations_of(session, person.id)
        ]  # fmt: skip
        out["demandes_d_aide"] = [
            {"action": e.title, "date": _iso(e.starts_at), "role": a.role, "demandee_le": _iso(a.asked_at),
             "reponse": a.answer, "repondue_le": _iso(a.answered_at)}
            for a, e in await q.asks_of(session, person.id)
        ]  # fmt: skip
        out["courriels_confies"] = [
            {"numero": m.id, "recu_le": _iso(m.received_at), "domaine": m.domain, "ville": m.city, "statut": m.status,
             "attribue": m.assignee_id == person.id, "pris_en_charge": m.claimed_by == person.id}
            for m in await q.emails_handled_by(session, person.id)
        ]  # fmt: skip
        out["regles_de_routage"] = [
            {"domaine": r.domain, "ville": r.city} for r in await q.routing_rules_of(session, person.id)
        ]
        out["actions_creees"] = [
            {"titre": e.title, "date": _iso(e.starts_at)} for e in await q.events_created_by(session, person.id)
        ]
        out["annonces_ecrites"] = [
            {"le": _iso(b.created_at), "texte": b.text, "destinataires": b.total}
            for b in await q.broadcasts_by(session, person.id)
        ]
        out["modeles_de_reponse"] = [
            {"nom": r.name, "le": _iso(r.created_at)} for r in await q.saved_replies_by(session, person.id)
        ]
        out["journal"] = [_audit_entry(row, person.id) for row in await q.audit_about(session, person.id)]
    if subject.telegram_id is not None:
        out["reponses_en_attente"] = [
            {"action": e.title, "reponse": r.answer, "role": r.role, "le": _iso(r.created_at)}
            for r, e in await q.pending_rsvps_of(session, subject.telegram_id)
        ]
        messages = await q.messages_to(session, subject.telegram_id)
        out["messages_du_bot"] = {
            "nombre": await q.count_messages_to(session, subject.telegram_id),
            # The kind of each message, not its text: a forwarded email card holds a sender's words.
            "derniers": [{"le": _iso(m.created_at), "statut": m.status, "type": _kind_of(m.dedupe_key, m.method)}
                         for m in messages[:100]],
        }  # fmt: skip
    if subject.emails:
        out["courriels_envoyes"] = [
            {"numero": m.id, "recu_le": _iso(m.received_at), "expediteur": m.sender, "objet": m.subject,
             "extrait": m.excerpt, "statut": m.status}
            for m in await q.emails_from(session, subject.emails)
        ]  # fmt: skip
    donors = await _donors(session, subject)
    donations = await q.donations_of(session, [d.id for d in donors])
    memberships = await q.memberships_of(session, [d.id for d in donors], person.id if person else None)
    if financial:
        out["donateur"] = [_donor_entry(d) for d in donors]
        out["dons"] = [_donation_entry(d) for d in donations]
        out["adhesions"] = [_membership_entry(m) for m in memberships]
    else:
        out["finances"] = {
            "fiches_donateur": len(donors), "dons": len(donations), "adhesions": len(memberships),
            "note": "Réservé à la trésorerie, qui les transmet à part.",
        }  # fmt: skip
    out["demandes_sur_vos_donnees"] = [
        {"numero": r.id, "type": r.kind, "le": _iso(r.requested_at), "traitee_le": _iso(r.done_at)}
        for r in await q.data_requests_for(session, subject.telegram_id, subject.emails)
    ]
    return out


def _kind_of(key: str | None, method: str) -> str:
    if method != "sendMessage":
        return "modification"
    prefix = (key or "").split(":", 1)[0]
    return {
        "bc": "annonce", "ask": "demande d'aide", "digest": "point du jour", "rem": "rappel", "att": "présence",
        "inbox": "courriel", "mship": "adhésion", "don": "don", "promo": "liste d'attente", "privacy": "données",
    }.get(prefix, "message")  # fmt: skip


def _audit_entry(row: Any, person_id: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"le": _iso(row.at), "action": row.action, "objet": row.subject}
    # What the person did to others' records stays out: only entries about them carry details.
    if row.subject in (str(person_id), f"person:{person_id}") or row.details.get("person") == person_id:
        entry["details"] = row.details
    return entry


def _donor_entry(d: Donor) -> dict[str, Any]:
    return {
        "numero": d.id, "type": d.donor_type, "civilite": d.civility, "prenom": d.first_name, "nom": d.last_name,
        "organisation": d.organisation, "adresse": d.address, "code_postal": d.postcode, "ville": d.city,
        "pays": d.country, "email": d.email, "nationalite": d.nationality, "residence_fiscale": d.tax_residence,
        "mandat_electif": d.elected_mandate, "declaration_sur_l_honneur_le": _iso(d.sworn_declaration_at),
        "cree_le": _iso(d.created_at),
    }  # fmt: skip


def _donation_entry(d: Donation) -> dict[str, Any]:
    return {
        "numero": d.id, "montant_centimes": d.amount_cents, "moyen": d.method, "prestataire": d.provider,
        "reference_prestataire": d.provider_tx_id, "recu_le": _iso(d.received_on), "compte": d.ledger,
        "nature": d.kind, "statut": d.status, "numero_de_recu": d.receipt_number, "donateur": d.donor_id,
    }  # fmt: skip


def _membership_entry(m: Membership) -> dict[str, Any]:
    return {
        "numero": m.id, "type": m.kind, "debut": _iso(m.period_start), "fin": _iso(m.period_end),
        "cotisation_centimes": m.fee_cents, "donateur": m.donor_id,
    }  # fmt: skip


def export_bytes(export: dict[str, Any]) -> bytes:
    return json.dumps(export, ensure_ascii=False, indent=2, default=str).encode("utf-8")


def has_data(export: dict[str, Any]) -> bool:
    """Anything stored beyond the register of requests itself?"""
    if export.get("profil") or export.get("courriels_envoyes") or export.get("reponses_en_attente"):
        return True
    if export.get("donateur") or (export.get("finances") or {}).get("fiches_donateur"):
        return True
    return bool((export.get("messages_du_bot") or {}).get("nombre"))


def _day(value: str | None) -> str:
    if not value:
        return "—"
    moment = datetime.fromisoformat(value)
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        moment = moment.astimezone(PARIS)
    return moment.strftime("%d/%m/%Y")


def summary(lang: str, export: dict[str, Any]) -> str:
    """The export, readable in one Telegram message (counts and the first few items)."""
    lines = [t(lang, "pv.sum.title", day=_day(export["genere_le"]))]
    profile = export.get("profil")
    if profile:
        handle = f" (@{profile['pseudo']})" if profile.get("pseudo") else ""
        lines.append(t(lang, "pv.sum.profile", name=profile["prenom"] + handle, city=profile["ville"] or "—",
                       since=_day(profile["cree_le"]), consent=_day(profile["accord_le"]),
                       version=profile["accord_version"]))  # fmt: skip
        yes, no = t(lang, "pv.yes"), t(lang, "pv.no")
        lines.append(t(lang, "pv.sum.prefs", asks=no if profile["demandes_d_aide_en_pause"] else yes,
                       digest=no if profile["point_du_jour_en_pause"] else yes,
                       announcements=no if profile["annonces_arretees"] else yes))  # fmt: skip
        roles = ", ".join(t(lang, f"role.{r['role']}") + (f" {r['perimetre']}" if r["perimetre"] else "")
                          for r in export.get("roles", []))  # fmt: skip
        lines.append(t(lang, "pv.sum.roles", roles=roles or t(lang, "role.volunteer")))
    sections = [
        ("participations", "pv.sec.participations", lambda i: f"{i['action']} ({_day(i['date'])}) : {i['statut']}"),
        ("demandes_d_aide", "pv.sec.asks", lambda i: f"{i['action']} ({_day(i['date'])}) : {i['reponse'] or '…'}"),
        ("reponses_en_attente", "pv.sec.pending", lambda i: f"{i['action']} : {i['reponse']}"),
        ("courriels_confies", "pv.sec.emails", lambda i: f"n°{i['numero']} ({_day(i['recu_le'])}) : {i['statut']}"),
        ("courriels_envoyes", "pv.sec.sent", lambda i: f"{_day(i['recu_le'])} : {i['objet']}"),
        ("regles_de_routage", "pv.sec.rules", lambda i: f"{i['domaine']} {i['ville'] or ''}".strip()),
        ("actions_creees", "pv.sec.events", lambda i: f"{i['titre']} ({_day(i['date'])})"),
        ("annonces_ecrites", "pv.sec.broadcasts", lambda i: _day(i["le"])),
        ("journal", "pv.sec.audit", lambda i: f"{_day(i['le'])} : {i['action']}"),
        ("demandes_sur_vos_donnees", "pv.sec.requests",
         lambda i: f"n°{i['numero']} {t(lang, 'pv.kind.' + i['type'])} ({_day(i['le'])})"),
    ]  # fmt: skip
    for key, label, item in sections:
        values = export.get(key) or []
        if not values:
            continue
        lines.append(t(lang, "pv.sum.section", label=t(lang, label), count=len(values)))
        lines += [t(lang, "pv.sum.item", text=item(v)) for v in values[:MAX_LISTED]]
        if len(values) > MAX_LISTED:
            lines.append(t(lang, "pv.sum.more", count=len(values) - MAX_LISTED))
    messages = export.get("messages_du_bot") or {}
    if messages.get("nombre"):
        lines.append(t(lang, "pv.sum.section", label=t(lang, "pv.sec.messages"), count=messages["nombre"]))
    if "donateur" in export:
        if export["donateur"] or export["dons"] or export["adhesions"]:
            lines.append(t(lang, "pv.sum.money", donors=len(export["donateur"]), donations=len(export["dons"]),
                           memberships=len(export["adhesions"])))  # fmt: skip
            lines += [t(lang, "pv.sum.item", text=f"{format_eur(d['montant_centimes'], lang)} — {_day(d['recu_le'])}"
                        + (f" — {d['numero_de_recu']}" if d["numero_de_recu"] else ""))
                      for d in export["dons"][:MAX_LISTED]]  # fmt: skip
    elif (export.get("finances") or {}).get("fiches_donateur"):
        money = export["finances"]
        lines.append(t(lang, "pv.sum.money_hidden", donors=money["fiches_donateur"], donations=money["dons"],
                       memberships=money["adhesions"]))  # fmt: skip
    if not has_data(export):
        lines.append(t(lang, "pv.sum.nothing"))
    else:
        lines.append(t(lang, "pv.sum.file"))
    return _fit("\n".join(lines))


def _fit(text: str, limit: int = 4000) -> str:
    """Telegram takes 4,096 characters: cut at a line, the file holds the rest."""
    if len(text) <= limit:
        return text
    return text[: text.rfind("\n", 0, limit - 2)] + "\n…"


# =============================================================================================
# Erasure
# =============================================================================================


@dataclass
class Erasure:
    """What goes and what stays; filled by `inventory`, and by `erase` as it happens."""

    profile: bool = False
    roles: int = 0
    participations: int = 0
    asks: int = 0
    pending: int = 0
    messages: int = 0
    rules: int = 0
    emails_held: int = 0
    emails_sent: int = 0
    donors: int = 0
    donations: int = 0
    memberships: int = 0
    kept_ids: dict[str, list[int]] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return bool(self.profile or self.pending or self.messages or self.emails_sent or self.donors)

    @property
    def kept(self) -> bool:
        return bool(self.donations or self.memberships or self.donors)


async def inventory(session: AsyncSession, subject: Subject) -> Erasure:
    out = Erasure()
    person = subject.person
    if person is not None:
        out.profile = True
        out.roles = len([g for g in person.grants if g.role != "volunteer"])
        out.participations = len(await q.participations_of(session, person.id))
        out.asks = len(await q.asks_of(session, person.id))
        out.rules = len(await q.routing_rules_of(session, person.id))
        out.emails_held = len([m for m in await q.emails_handled_by(session, person.id) if m.status in q.OPEN_EMAIL])
    if subject.telegram_id is not None:
        out.pending = len(await q.pending_rsvps_of(session, subject.telegram_id))
        out.messages = await q.count_messages_to(session, subject.telegram_id)
    out.emails_sent = len(await q.emails_from(session, subject.emails))
    donors = await _donors(session, subject)
    donations = await q.donations_of(session, [d.id for d in donors])
    memberships = await q.memberships_of(session, [d.id for d in donors], person.id if person else None)
    out.donors, out.donations, out.memberships = len(donors), len(donations), len(memberships)
    out.kept_ids = {"donors": [d.id for d in donors], "donations": [d.id for d in donations],
                    "memberships": [m.id for m in memberships]}  # fmt: skip
    return out


async def erase(session: AsyncSession, subject: Subject, *, request: DataRequest, actor: Person | None,
                now: datetime) -> Erasure:  # fmt: skip
    """Erase everything but the financial core, in the caller's transaction; the request is closed."""
    done = await inventory(session, subject)
    person = subject.person
    if subject.telegram_id is not None:
        await q.blank_messages_to(session, subject.telegram_id, person.id if person else None)
        await q.delete_pending_rsvps(session, subject.telegram_id)
        await q.clear_broadcast_progress(session, subject.telegram_id)
    if person is not None:
        await _forget_links(session, person)
        await q.delete_person(session, person.id)
    # The email address is contact data: it leaves the donor records, which otherwise stay whole.
    await q.clear_donor_contact(session, done.kept_ids["donors"])
    sent = await q.emails_from(session, subject.emails)
    await q.delete_emails(session, [m.id for m in sent])
    await q.close_request(session, request.id, now)
    await people_q.audit(
        session, actor if actor is not None and (person is None or actor.id != person.id) else None,
        "privacy.erased", f"request:{request.id}",
        participations=done.participations, asks=done.asks, messages=done.messages, emails=done.emails_sent,
        kept_donors=done.donors, kept_donations=done.donations, kept_memberships=done.memberships,
    )  # fmt: skip
    return done


async def _forget_links(session: AsyncSession, person: Person) -> None:
    """What erasure and anonymisation share: the person's traces outside their own row."""
    await q.cancel_open_asks(session, person.id, datetime.now(UTC))
    await q.delete_routing_rules(session, person.id)
    await q.unlink_financial(session, person.id)
    await q.release_emails(session, person.id)
    await q.scrub_audit(session, person.id, [person.first_name, person.username or "", f"@{person.username or ''}"])


def erasure_parts(lang: str, e: Erasure) -> str:
    parts = []
    if e.profile:
        parts.append(t(lang, "pv.part.profile"))
    for attr in ("roles", "participations", "asks", "pending", "messages", "rules", "emails_held", "emails_sent"):
        count = getattr(e, attr)
        if count:
            parts.append(t(lang, f"pv.part.{attr}", count=count))
    return ", ".join(parts) if parts else t(lang, "pv.part.none")


def kept_text(lang: str, e: Erasure, settings: Settings) -> str:
    if not e.kept:
        return t(lang, "pv.kept_nothing")
    return t(lang, "pv.kept_money", donors=e.donors, donations=e.donations, memberships=e.memberships,
             years=settings.financial_retention_years)  # fmt: skip


# =============================================================================================
# /stop
# =============================================================================================


async def stop(session: AsyncSession, person: Person, now: datetime) -> int:
    """No more asks, digests or announcements; the ones still waiting are cancelled. Returns that count."""
    await q.stop_everything(session, person.id)
    await q.cancel_open_asks(session, person.id, now)
    cancelled = await q.cancel_pending(session, person.telegram_id, STOPPED_PREFIXES)
    await people_q.audit(session, person, "privacy.stopped", str(person.id), cancelled=cancelled)
    return cancelled


# =============================================================================================
# The register of requests: deadlines and the day-20 reminder
# =============================================================================================


def deadline(requested_at: datetime) -> date:
    """One month to answer (RGPD art. 12(3)): the same day next month, or its last day."""
    day = requested_at.astimezone(PARIS).date()
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


async def who_asked(session: AsyncSession, request: DataRequest) -> str:
    if request.email:
        return request.email
    if request.telegram_id is not None:
        subject = await subject_of_user(session, request.telegram_id)
        return subject.label()
    return "?"


def request_line(lang: str, request: DataRequest, who: str) -> str:
    return t(lang, "pv.open_line", id=request.id, kind=t(lang, f"pv.kind.{request.kind}"), who=who,
             day=request.requested_at.astimezone(PARIS).strftime("%d/%m/%Y"),
             deadline=deadline(request.requested_at).strftime("%d/%m/%Y"))  # fmt: skip


async def remind_open_requests(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Day 20 of an open request: every coordinator is told once (reminded_at, then dedupe keys)."""
    due = await q.requests_to_remind(session, now - timedelta(days=settings.data_request_reminder_days))
    if not due:
        return 0
    people = await q.coordinators(session, settings.coordinator_ids)
    queued = 0
    for request in due:
        request.reminded_at = now
        who = await who_asked(session, request)
        for person in people:
            if person.telegram_id < 0:
                continue
            lang = person.language
            text = t(lang, "pv.remind", line=request_line(lang, request, who))
            rows = [[(t(lang, "pv.btn_done"), f"pv:done:{request.id}")]]
            queued += await outbox.enqueue(
                session, person.telegram_id, text_message(text, rows),
                dedupe_key=f"privacy:remind:{request.id}:{person.id}", person_id=person.id,
            )  # fmt: skip
        await people_q.audit(session, None, "privacy.reminded", f"request:{request.id}", coordinators=len(people))
    return queued


async def notify_treasurers_financial(session: AsyncSession, request: DataRequest, who: str, count: int) -> int:
    """A coordinator answered an access request: the donor records are for a treasurer to send."""
    queued = 0
    for person in await q.treasurers(session):
        lang = person.language
        text = t(lang, "pv.fin_notice", id=request.id, who=who, count=count)
        queued += await outbox.enqueue(
            session, person.telegram_id, text_message(text, [[(t(lang, "pv.btn_fin"), f"pv:fin:{request.id}")]]),
            dedupe_key=f"privacy:fin:{request.id}:{person.id}", person_id=person.id,
        )  # fmt: skip
    return queued


async def subject_of_request(session: AsyncSession, request: DataRequest) -> Subject:
    person = await people_q.person_by_telegram_id(session, request.telegram_id) if request.telegram_id else None
    return Subject(request.telegram_id, person, (request.email,) if request.email else ())


# =============================================================================================
# Retention (daily)
# =============================================================================================


async def anonymise_inactive(session: AsyncSession, settings: Settings, now: datetime) -> int:
    before = now - timedelta(days=settings.volunteer_retention_days)
    members_until = (now - timedelta(days=settings.former_member_retention_days)).date()
    people = await q.inactive_volunteers(session, before, members_until, settings.coordinator_ids)
    for person in people:
        tid = person.telegram_id
        await q.blank_messages_to(session, tid, person.id)
        await q.delete_pending_rsvps(session, tid)
        await q.clear_broadcast_progress(session, tid)
        await _forget_links(session, person)
        await q.anonymise_person(session, person.id, ANONYMOUS_NAME)
        await people_q.audit(session, None, "privacy.anonymised", f"person:{person.id}",
                             inactive_days=settings.volunteer_retention_days)  # fmt: skip
    return len(people)


async def expire_emails(session: AsyncSession, settings: Settings, now: datetime) -> int:
    ids = await q.old_email_ids(session, now - timedelta(days=settings.email_retention_days))
    if ids:
        await q.delete_emails(session, ids)
        await people_q.audit(session, None, "privacy.emails_expired", "", count=len(ids),
                             days=settings.email_retention_days)  # fmt: skip
    return len(ids)


def purge_cutoff(today: date, years: int) -> date:
    """Records dated on or before this day are past `years` years + 1 day (rule 42)."""
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - timedelta(days=1)


@dataclass
class PurgePreview:
    cutoff: date
    donations: list[Donation]
    memberships: list[Membership]
    donors: list[Donor]

    @property
    def empty(self) -> bool:
        return not (self.donations or self.memberships or self.donors)


async def purge_preview(session: AsyncSession, settings: Settings, today: date, cutoff: date | None = None
                        ) -> PurgePreview:  # fmt: skip
    limit = purge_cutoff(today, settings.financial_retention_years)
    cutoff = min(cutoff, limit) if cutoff is not None else limit
    created_before = datetime.combine(cutoff + timedelta(days=1), datetime.min.time(), PARIS)
    return PurgePreview(
        cutoff, await q.purgeable_donations(session, cutoff), await q.purgeable_memberships(session, cutoff),
        await q.purgeable_donors(session, cutoff, created_before),
    )


async def purge(session: AsyncSession, settings: Settings, today: date, cutoff: date, actor: Person | None
                ) -> tuple[int, int, int]:  # fmt: skip
    """Delete what the treasurer saw (never newer than the legal limit of today)."""
    preview = await purge_preview(session, settings, today, cutoff)
    counts = await q.purge_financial(
        session, [d.id for d in preview.donations], [m.id for m in preview.memberships], [d.id for d in preview.donors]
    )
    await people_q.audit(session, actor, "privacy.purged", preview.cutoff.isoformat(), donations=counts[0],
                         memberships=counts[1], donors=counts[2],
                         donation_ids=[d.id for d in preview.donations])  # fmt: skip
    return counts


async def notify_purge(session: AsyncSession, settings: Settings, today: date) -> int:
    """Treasurers hear of records past their retention, once a month at most; nothing is deleted here."""
    preview = await purge_preview(session, settings, today)
    if preview.empty:
        return 0
    queued = 0
    for person in await q.treasurers(session):
        lang = person.language
        text = t(lang, "pv.purge_notice", donations=len(preview.donations), memberships=len(preview.memberships),
                 donors=len(preview.donors), years=settings.financial_retention_years)  # fmt: skip
        queued += await outbox.enqueue(session, person.telegram_id, text_message(text),
                                       dedupe_key=f"privacy:purge:{today:%Y-%m}:{person.id}", person_id=person.id)
    return queued


def donor_name(donor: Donor | None) -> str:
    if donor is None:
        return "—"
    return donor.organisation or " ".join(p for p in (donor.first_name, donor.last_name) if p) or f"n°{donor.id}"


async def daily(session: AsyncSession, settings: Settings, now: datetime) -> int:
    """Once per local day: anonymise, expire emails, tell treasurers what may be purged."""
    today = now.astimezone(settings.tz).date()
    if not await claim_period(session, "retention", today.isoformat()):
        return 0
    anonymised = await anonymise_inactive(session, settings, now)
    expired = await expire_emails(session, settings, now)
    queued = await notify_purge(session, settings, today)
    if anonymised or expired:
        log.info("retention: %d volunteer(s) anonymised, %d email(s) deleted", anonymised, expired)
    return queued


async def run_retention(services: Services, now: datetime) -> int:
    async with services.transaction() as s:
        queued = await remind_open_requests(s, services.settings, now)
    async with services.transaction() as s:
        queued += await daily(s, services.settings, now)
    return queued


# =============================================================================================
# After a restore: the register of requests made since the backup still applies
# =============================================================================================


async def register_rows(session: AsyncSession) -> list[dict[str, Any]]:
    return [
        {"kind": r.kind, "telegram_id": r.telegram_id, "email": r.email, "requested_at": r.requested_at,
         "done_at": r.done_at, "note": r.note}
        for r in await q.all_requests(session)
    ]  # fmt: skip


async def carry_over_register(session: AsyncSession, rows: list[dict[str, Any]], now: datetime) -> int:
    """Requests logged after the backup was taken are logged again, and erasures and stops made since
    are applied again: restoring an old backup must not bring back someone who asked to be erased."""
    known = {(r["kind"], r["telegram_id"], r["email"], r["requested_at"]) for r in await register_rows(session)}
    applied = 0
    for row in rows:
        if (row["kind"], row["telegram_id"], row["email"], row["requested_at"]) in known:
            continue
        note = (row["note"] + " — " if row["note"] else "") + "reprise après restauration d'une sauvegarde"
        request = await q.add_request(session, row["kind"], telegram_id=row["telegram_id"], email=row["email"],
                                      note=note, now=row["requested_at"])  # fmt: skip
        if row["done_at"] is None:
            continue  # still open: the day-20 reminder will bring it up
        subject = await subject_of_request(session, request)
        if row["kind"] == q.ERASURE and not row["note"].startswith("annulée"):
            await erase(session, subject, request=request, actor=None, now=now)
            applied += 1
        elif row["kind"] == q.STOP and subject.person is not None:
            await stop(session, subject.person, now)
            applied += 1
        await q.close_request(session, request.id, row["done_at"])
    return applied

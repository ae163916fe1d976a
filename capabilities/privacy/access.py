"""Access (RGPD art. 15): everything stored about someone, as a JSON file and a readable summary."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.texts import t
from bot.texts.privacy import (
    EXPORT_CONTROLLER,
    EXPORT_FINANCES_NOTE,
    EXPORT_MESSAGE_EDIT,
    EXPORT_MESSAGE_KINDS,
    EXPORT_MESSAGE_OTHER,
)
from capabilities.privacy.subjects import Subject, donors_of, names_of
from domain.dates import PARIS
from domain.money import format_eur
from storage import privacy as q
from storage.models import Donation, Donor, Membership

MAX_LISTED = 5


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


async def collect(
    session: AsyncSession, subject: Subject, *, financial: bool, now: datetime
) -> dict[str, Any]:
    """The export: every row about the subject, as JSON-ready values (French keys, for the reader).

    `financial` False leaves out the donor records' contents (treasurers only), keeping their count.
    Emails handled as an activist show no sender or content: those are the senders' data.
    """
    person = subject.person
    out: dict[str, Any] = {
        "genere_le": now.isoformat(),
        "responsable_du_traitement": EXPORT_CONTROLLER,
        "identifiant_telegram": subject.telegram_id,
        "adresses_email": list(subject.emails),
        "profil": None,
    }
    if person is not None:
        out["profil"] = {
            "prenom": person.first_name,
            "pseudo": person.username,
            "langue": person.language,
            "ville": person.city.name if person.city else None,
            "actions_souhaitees": list(person.skills or []),
            "accord_version": person.consent_version,
            "accord_le": _iso(person.consent_at),
            "joignable": person.reachable,
            "demandes_d_aide_en_pause": person.asks_paused,
            "absent_jusqu_au": _iso(person.absent_until),
            "heure_du_point_du_jour": person.digest_hour,
            "point_du_jour_en_pause": person.digest_paused,
            "annonces_arretees": person.announcements_stopped,
            "derniere_activite": _iso(person.last_active_at),
            "cree_le": _iso(person.created_at),
            "modifie_le": _iso(person.updated_at),
        }
        out["roles"] = [
            {"role": g.role, "perimetre": g.scope, "depuis": _iso(g.granted_at)} for g in person.grants
        ]
        out["participations"] = [
            {
                "action": e.title,
                "date": _iso(e.starts_at),
                "statut": p.status,
                "role": p.role,
                "source": p.source,
                "inscrit_le": _iso(p.created_at),
                "modifie_le": _iso(p.updated_at),
                "present": p.attended,
            }
            for p, e in await q.participations_of(session, person.id)
        ]
        out["demandes_d_aide"] = [
            {
                "action": e.title,
                "date": _iso(e.starts_at),
                "role": a.role,
                "demandee_le": _iso(a.asked_at),
                "reponse": a.answer,
                "repondue_le": _iso(a.answered_at),
            }
            for a, e in await q.asks_of(session, person.id)
        ]
        out["courriels_confies"] = [
            {
                "numero": m.id,
                "recu_le": _iso(m.received_at),
                "domaine": m.domain,
                "ville": m.city,
                "statut": m.status,
                "attribue": m.assignee_id == person.id,
                "pris_en_charge": m.claimed_by == person.id,
            }
            for m in await q.emails_handled_by(session, person.id)
        ]
        out["regles_de_routage"] = [
            {"domaine": r.domain, "ville": r.city} for r in await q.routing_rules_of(session, person.id)
        ]
        out["actions_creees"] = [
            {"titre": e.title, "date": _iso(e.starts_at)}
            for e in await q.events_created_by(session, person.id)
        ]
        out["annonces_ecrites"] = [
            {"le": _iso(b.created_at), "texte": b.text, "destinataires": b.total}
            for b in await q.broadcasts_by(session, person.id)
        ]
        out["demandes_de_communication"] = [
            {"le": _iso(r.created_at), "type": r.kind, "demande": r.brief, "statut": r.status}
            for r in await q.com_requests_by(session, person.id)
        ]
        out["publications_redigees"] = [
            {"le": _iso(p.created_at), "texte": p.text, "photos": len(p.images or []), "statut": p.status}
            for p in await q.com_posts_by(session, person.id)
        ]
        # Their own claims: the claimant's data, whatever their role (the receipt files stay with the treasury).
        out["notes_de_frais"] = [
            {
                "numero": e.id,
                "montant_centimes": e.amount_cents,
                "objet": e.purpose,
                "date": _iso(e.spent_on),
                "statut": e.status,
                "paye_le": _iso(e.paid_on),
            }
            for e in await q.expenses_of(session, person.id)
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
            # Messages to other people that name them (digests, cards, lists): an erasure scrubs these.
            "vous_nommant_envoyes_a_d_autres": (
                await q.count_messages_naming(session, names_of(person), subject.telegram_id)
                if person is not None
                else 0
            ),
            # The kind of each message, not its text: a forwarded email card holds a sender's words.
            "derniers": [
                {"le": _iso(m.created_at), "statut": m.status, "type": _kind_of(m.dedupe_key, m.method)}
                for m in messages[:100]
            ],
        }
    if subject.emails:
        out["courriels_envoyes"] = [
            {
                "numero": m.id,
                "recu_le": _iso(m.received_at),
                "expediteur": m.sender,
                "objet": m.subject,
                "extrait": m.excerpt,
                "statut": m.status,
            }
            for m in await q.emails_from(session, subject.emails)
        ]
    donors = await donors_of(session, subject)
    donations = await q.donations_of(session, [d.id for d in donors])
    memberships = await q.memberships_of(session, [d.id for d in donors], person.id if person else None)
    if financial:
        out["donateur"] = [_donor_entry(d) for d in donors]
        out["dons"] = [_donation_entry(d) for d in donations]
        out["adhesions"] = [_membership_entry(m) for m in memberships]
    else:
        out["finances"] = {
            "fiches_donateur": len(donors),
            "dons": len(donations),
            "adhesions": len(memberships),
            "note": EXPORT_FINANCES_NOTE,
        }
    out["demandes_sur_vos_donnees"] = [
        {"numero": r.id, "type": r.kind, "le": _iso(r.requested_at), "traitee_le": _iso(r.done_at)}
        for r in await q.data_requests_for(session, subject.telegram_id, subject.emails)
    ]
    return out


def _kind_of(key: str | None, method: str) -> str:
    if method != "sendMessage":
        return EXPORT_MESSAGE_EDIT
    prefix = (key or "").split(":", 1)[0]
    return EXPORT_MESSAGE_KINDS.get(prefix, EXPORT_MESSAGE_OTHER)


def _audit_entry(row: Any, person_id: int) -> dict[str, Any]:
    entry: dict[str, Any] = {"le": _iso(row.at), "action": row.action, "objet": row.subject}
    # What the person did to others' records stays out: only entries about them carry details.
    if q.is_about(row, person_id):
        entry["details"] = row.details
    return entry


def _donor_entry(d: Donor) -> dict[str, Any]:
    return {
        "numero": d.id,
        "type": d.donor_type,
        "civilite": d.civility,
        "prenom": d.first_name,
        "nom": d.last_name,
        "organisation": d.organisation,
        "adresse": d.address,
        "code_postal": d.postcode,
        "ville": d.city,
        "pays": d.country,
        "email": d.email,
        "nationalite": d.nationality,
        "residence_fiscale": d.tax_residence,
        "mandat_electif": d.elected_mandate,
        "declaration_sur_l_honneur_le": _iso(d.sworn_declaration_at),
        "cree_le": _iso(d.created_at),
    }


def _donation_entry(d: Donation) -> dict[str, Any]:
    return {
        "numero": d.id,
        "montant_centimes": d.amount_cents,
        "moyen": d.method,
        "prestataire": d.provider,
        "reference_prestataire": d.provider_tx_id,
        "recu_le": _iso(d.received_on),
        "compte": d.ledger,
        "nature": d.kind,
        "statut": d.status,
        "numero_de_recu": d.receipt_number,
        "donateur": d.donor_id,
    }


def _membership_entry(m: Membership) -> dict[str, Any]:
    return {
        "numero": m.id,
        "type": m.kind,
        "debut": _iso(m.period_start),
        "fin": _iso(m.period_end),
        "cotisation_centimes": m.fee_cents,
        "donateur": m.donor_id,
    }


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
        lines.append(
            t(
                lang,
                "pv.sum.profile",
                name=profile["prenom"] + handle,
                city=profile["ville"] or "—",
                since=_day(profile["cree_le"]),
                consent=_day(profile["accord_le"]),
                version=profile["accord_version"],
            )
        )
        yes, no = t(lang, "pv.yes"), t(lang, "pv.no")
        lines.append(
            t(
                lang,
                "pv.sum.prefs",
                asks=no if profile["demandes_d_aide_en_pause"] else yes,
                digest=no if profile["point_du_jour_en_pause"] else yes,
                announcements=no if profile["annonces_arretees"] else yes,
            )
        )
        roles = ", ".join(
            t(lang, f"role.{r['role']}") + (f" {r['perimetre']}" if r["perimetre"] else "")
            for r in export.get("roles", [])
        )
        lines.append(t(lang, "pv.sum.roles", roles=roles or t(lang, "role.volunteer")))
    sections: list[tuple[str, str, Callable[[dict[str, Any]], str]]] = [
        (
            "participations",
            "pv.sec.participations",
            lambda i: f"{i['action']} ({_day(i['date'])}) : {i['statut']}",
        ),
        (
            "demandes_d_aide",
            "pv.sec.asks",
            lambda i: f"{i['action']} ({_day(i['date'])}) : {i['reponse'] or '…'}",
        ),
        ("reponses_en_attente", "pv.sec.pending", lambda i: f"{i['action']} : {i['reponse']}"),
        (
            "courriels_confies",
            "pv.sec.emails",
            lambda i: f"n°\u00a0{i['numero']} ({_day(i['recu_le'])}) : {i['statut']}",
        ),
        ("courriels_envoyes", "pv.sec.sent", lambda i: f"{_day(i['recu_le'])} : {i['objet']}"),
        ("regles_de_routage", "pv.sec.rules", lambda i: f"{i['domaine']} {i['ville'] or ''}".strip()),
        ("actions_creees", "pv.sec.events", lambda i: f"{i['titre']} ({_day(i['date'])})"),
        ("annonces_ecrites", "pv.sec.broadcasts", lambda i: _day(i["le"])),
        ("demandes_de_communication", "pv.sec.com_requests", lambda i: _day(i["le"])),
        ("publications_redigees", "pv.sec.com_posts", lambda i: _day(i["le"])),
        (
            "notes_de_frais",
            "pv.sec.expenses",
            lambda i: (
                f"n°\u00a0{i['numero']} — {format_eur(i['montant_centimes'], lang)} ({_day(i['date'])})"
            ),
        ),
        ("journal", "pv.sec.audit", lambda i: f"{_day(i['le'])} : {i['action']}"),
        (
            "demandes_sur_vos_donnees",
            "pv.sec.requests",
            lambda i: f"n°\u00a0{i['numero']} {t(lang, 'pv.kind.' + i['type'])} ({_day(i['le'])})",
        ),
    ]
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
            lines.append(
                t(
                    lang,
                    "pv.sum.money",
                    donors=len(export["donateur"]),
                    donations=len(export["dons"]),
                    memberships=len(export["adhesions"]),
                )
            )
            lines += [
                t(
                    lang,
                    "pv.sum.item",
                    text=f"{format_eur(d['montant_centimes'], lang)} — {_day(d['recu_le'])}"
                    + (f" — {d['numero_de_recu']}" if d["numero_de_recu"] else ""),
                )
                for d in export["dons"][:MAX_LISTED]
            ]
    elif (export.get("finances") or {}).get("fiches_donateur"):
        money = export["finances"]
        lines.append(
            t(
                lang,
                "pv.sum.money_hidden",
                donors=money["fiches_donateur"],
                donations=money["dons"],
                memberships=money["adhesions"],
            )
        )
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

"""Property-based tests on every parser of user input: whatever comes in, nothing crashes, the result
is well-formed, and every refusal comes with a text the person can read (a catalog key in French and
English, whose placeholders are all given).

Complements the per-module property tests (test_dates_property, test_money, test_replies,
test_gmail_bodies, test_triage) with odder inputs: mixed scripts, control characters, huge sizes,
broken MIME and charsets, and whole CSV files.
"""

from __future__ import annotations

import asyncio
import base64
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.texts import EN, FR, placeholders, t
from domain.dates import format_when, parse_when_detailed
from domain.events import (
    DURATION_MAX_MINUTES,
    clean_description,
    parse_duration,
    parse_needs,
)
from domain.money import MAX_CENTS, format_eur, parse_amount
from domain.replies import classify_reply
from domain.roles import ROLES
from domain.text import TextError, clean_line
from domain.triage.cleaning import clean_body, split_body
from domain.triage.model import Email, Triage
from integrations.email_parse import decode_bytes, decode_header_value, html_to_text, parse_message

# Text people really paste: accents, emoji with modifiers, RTL, zero-width, NUL and other controls,
# surrogate-free astral characters, very long words.
ODD = st.sampled_from(
    [
        "é",
        "œ",
        "ß",
        "İ",
        "👍🏽",
        "🤷‍♀️",
        "\u200b",
        "\u200d",
        "\u202e",
        "\ufeff",
        "\x00",
        "\x1b",
        "\r\n",
        "\t",
        "ﷺ",
        "𝟏𝟒",
        "١٤",
        "€",
        "\u00a0",
        "\u202f",
        "<b>",
        "&amp;",
        "'",
        '"',
        ";",
        ",",
        "\\",
    ]
)
TEXT = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(ODD, st.text(max_size=5)), max_size=40).map("".join),
    st.text(min_size=3000, max_size=6000),
)
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def explained(error: TextError) -> None:
    """A refusal the bot can say: its key exists in both languages, with all its placeholders."""
    params = dict(error.params)
    for table in (FR, EN):
        assert error.code in table, error.code
        assert placeholders(table[error.code]) <= set(params), (error.code, params)
    assert t("fr", error.code, **params) and t("en", error.code, **params)


# --- Dates --------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT, st.integers(min_value=-400, max_value=400))
def test_dates_never_raise_and_are_in_the_future(text: str, days: int) -> None:
    now = NOW + timedelta(days=days)
    parsed = parse_when_detailed(text, now)
    if parsed is not None:
        assert parsed.start > now and parsed.start.tzinfo is not None
        assert parsed.end is None or parsed.end > parsed.start
        assert format_when(parsed.start, "fr", end=parsed.end) and format_when(parsed.start, "en")


@settings(max_examples=200, deadline=None)
@given(TEXT)
def test_durations_are_bounded_or_refused(text: str) -> None:
    minutes = parse_duration(text)
    assert minutes is None or 0 < minutes <= DURATION_MAX_MINUTES


# --- Event texts (the refusals are explained) -------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        TEXT,
        st.lists(st.tuples(st.sampled_from([*ROLES, "PAP", "x", ""]), st.integers(-5, 200)), max_size=8).map(
            lambda items: ", ".join(f"{r} {n}" for r, n in items)
        ),
    )
)
def test_needs_are_parsed_or_refused_with_a_reason(text: str) -> None:
    needs = parse_needs(text)
    if isinstance(needs, TextError):
        explained(needs)
        return
    assert all(isinstance(r, str) and r and n > 0 for r, n in needs)
    assert len({r for r, _ in needs}) == len(needs)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.integers(min_value=1, max_value=300))
def test_titles_and_descriptions_are_cleaned_or_refused_with_a_reason(text: str, limit: int) -> None:
    for value in (clean_line(text, limit), clean_description(text)):
        if isinstance(value, TextError):
            explained(value)
        else:
            assert isinstance(value, str)
    line = clean_line(text, limit)
    if isinstance(line, str):
        assert 0 < len(line) <= limit and "\n" not in line


# --- Amounts ------------------------------------------------------------------------------------


AMOUNTISH = st.lists(
    st.sampled_from(list("0123456789 ,.€") + ["EUR", "euros", "\u00a0", "\u202f", "-", "+", "e3"]),
    max_size=16,
).map("".join)


@settings(max_examples=250, deadline=None)
@given(st.one_of(TEXT, AMOUNTISH))
def test_amounts_are_exact_or_refused(text: str) -> None:
    cents = parse_amount(text)
    if cents is None:
        return  # the bot then says "don.amount_invalid" / "imp.bad_amount"
    assert isinstance(cents, int) and 0 < cents <= MAX_CENTS
    for lang in ("fr", "en"):
        assert parse_amount(format_eur(cents, lang)) == cents  # what it shows is what it read


# --- Group replies --------------------------------------------------------------------------------


REPLYISH = st.lists(
    st.one_of(
        ODD,
        st.sampled_from(
            [
                "je viens",
                "oui",
                "non",
                "peut-être",
                "pas sûr",
                "🙄",
                "👍",
                "👎",
                "?",
                "!",
                "avec plaisir",
                "je ne pourrai pas",
                "tractage",
                "PAP",
                "si",
                "sauf",
                "mais",
                "😂",
                "lol",
                "...",
            ]
        ),
        st.text(max_size=6),
    ),
    max_size=30,
).map(" ".join)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(TEXT, REPLYISH, st.builds(lambda piece, n: piece * n, REPLYISH, st.integers(500, 5000))))
def test_group_replies_are_always_classified(text: str) -> None:
    intent = classify_reply(text)
    assert intent.intent in ("yes", "no", "maybe", "other")
    assert intent.role is None or intent.role in ROLES


# --- Email bodies: odd encodings, huge sizes, broken MIME ------------------------------------------


CHARSETS = st.sampled_from(
    [
        None,
        "utf-8",
        "UTF8",
        "latin-1",
        "windows-1252",
        "iso-8859-15",
        "koi8-r",
        "utf-16",
        "utf-7",
        "iso-2022-jp",
        "gb18030",
        "x-unknown",
        "",
        '"utf-8"',
        "utf-8; format=flowed",
        "utf\u20138",
        "ütf-8",
    ]
)
# A NUL in the charset label is left out here: see test_a_nul_in_the_charset_does_not_crash below.
MIME_TYPES = st.sampled_from(
    [
        "text/plain",
        "text/html",
        "multipart/alternative",
        "multipart/mixed",
        "multipart/related",
        "message/rfc822",
        "application/pdf",
        "TEXT/PLAIN",
        "",
        "garbage",
    ]
)
ENCODINGS = st.sampled_from([None, "base64", "quoted-printable", "7bit", "8bit", "x-uuencode", "BASE64", ""])


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


@st.composite
def parts(draw: Any, depth: int = 0) -> dict[str, Any]:
    mime = draw(MIME_TYPES)
    charset = draw(CHARSETS)
    raw = draw(
        st.one_of(st.binary(max_size=300), st.text(max_size=300).map(lambda s: s.encode("utf-8", "replace")))
    )
    headers = [
        {"name": "Content-Type", "value": f"{mime}; charset={charset}" if charset is not None else mime}
    ]
    encoding = draw(ENCODINGS)
    if encoding is not None:
        headers.append({"name": "Content-Transfer-Encoding", "value": encoding})
    if draw(st.booleans()):
        headers.append(
            {
                "name": "Content-Disposition",
                "value": draw(
                    st.sampled_from(
                        [
                            "attachment",
                            'attachment; filename="=?utf-8?b?w6k=?="',
                            "inline",
                            "attachment; filename*=bad''%ZZ",
                        ]
                    )
                ),
            }
        )
    body: dict[str, Any] = {"size": len(raw)}
    data = _b64url(raw)
    body["data"] = draw(st.sampled_from([data, data + "!!", data[:-1], "%%%", ""])) if data else ""
    part: dict[str, Any] = {"mimeType": mime, "headers": headers, "body": body}
    if mime.startswith("multipart") and depth < 4:
        part["parts"] = draw(st.lists(parts(depth + 1), max_size=3))
    return part


HEADER_VALUES = st.one_of(
    TEXT,
    st.sampled_from(
        [
            "=?utf-8?q?=C3=A9t=C3=A9?=",
            "=?utf-8?b?!!!?=",
            "=?x-bogus?q?abc?=",
            "=?utf-8?q?",
            "=??=",
            "Léa <lea@example.org>",
            '"Dupont, Jean" <j@x.fr>',
            "=?iso-8859-1?q?caf=E9?= <c@x.fr>",
            "=?utf-8?b?" + base64.b64encode("Réunion 🗳".encode()).decode() + "?=",
        ]
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(parts(), HEADER_VALUES, HEADER_VALUES, st.one_of(st.none(), st.text(max_size=20), st.integers()))
def test_broken_mime_and_odd_charsets_never_crash_the_inbox(
    payload: dict[str, Any], sender: str, subject: str, history: Any
) -> None:
    payload["headers"] = [
        *payload["headers"],
        {"name": "From", "value": sender},
        {"name": "Subject", "value": subject},
        {"name": "Date", "value": subject},
    ]
    mail = parse_message({"id": "m", "threadId": "t", "historyId": history, "payload": payload})
    assert isinstance(mail.body_text, str) and isinstance(mail.sender, str) and mail.date.tzinfo is not None
    # What the inbox does next with it: clean and triage.
    assert isinstance(clean_body(mail.body_text, mail.subject), str)
    prediction = Triage().predict(Email(mail.id, mail.sender, mail.subject, mail.body_text))
    assert 0.0 <= prediction.confidence <= 1.0


def test_a_nul_in_the_charset_does_not_crash() -> None:
    payload = {
        "mimeType": "text/plain",
        "headers": [{"name": "Content-Type", "value": "text/plain; charset=\x00"}],
        "body": {"data": _b64url(b"Bonjour")},
    }
    assert parse_message({"id": "nul", "payload": payload}).body_text == "Bonjour"


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), CHARSETS, HEADER_VALUES, st.text(max_size=400))
def test_decoding_helpers_never_raise(data: bytes, charset: str | None, header: str, markup: str) -> None:
    assert isinstance(decode_bytes(data, charset), str)
    assert isinstance(decode_header_value(header), str)
    assert isinstance(html_to_text("<html><body><p>" + markup + "</p><script>x</script><table><tr><td>"), str)


@pytest.mark.parametrize("size_mb", [2, 8])
def test_huge_bodies_are_handled_in_bounded_time(size_mb: int) -> None:
    unit = ("Bonjour, je voudrais aider pour le porte-à-porte à Lyon. " * 20 + "\n> cité\n").encode()
    raw = (unit * (size_mb * 1024 * 1024 // len(unit) + 1))[: size_mb * 1024 * 1024]
    payload = {
        "mimeType": "multipart/alternative",
        "headers": [{"name": "Subject", "value": "Grosse pièce"}],
        "parts": [
            {
                "mimeType": "text/plain",
                "headers": [{"name": "Content-Type", "value": "text/plain; charset=utf-8"}],
                "body": {"data": _b64url(raw)},
            },
            {
                "mimeType": "text/html",
                "headers": [],
                "body": {"data": _b64url(b"<p>" + raw[:200_000] + b"</p>")},
            },
        ],
    }
    mail = parse_message({"id": "big", "payload": payload})
    assert len(mail.body_text) > 1_000_000
    cleaned = clean_body(mail.body_text, mail.subject)
    Triage().predict(Email("big", "a@b.fr", mail.subject, cleaned))
    split_body(mail.body_text[:100_000], mail.subject)
    assert len(cleaned) <= 4000


# --- The CSV import of payments ----------------------------------------------------------------------


def _import_api() -> Any:
    """The CSV import: reading the file (domain) and importing its rows (capability)."""
    from types import SimpleNamespace

    from capabilities.donations.importing import format_report, import_rows
    from domain.donation_import import IMPORT_COLUMNS, read_csv

    return SimpleNamespace(
        read_csv=read_csv, IMPORT_COLUMNS=IMPORT_COLUMNS, import_rows=import_rows, format_report=format_report
    )


COLUMNS = (
    "date",
    "last_name",
    "first_name",
    "address",
    "postcode",
    "city",
    "country",
    "nationality",
    "donor_type",
    "amount",
    "method",
    "ledger",
    "kind",
    "reference",
    "declaration",
    "email",
    "civility",
)
GOOD = {
    "date": ["12/11/2025", "2025-11-12", "12 novembre 2025", "hier", "31/02/2025", "2099-01-01", "", "n/a"],
    "amount": ["50", "12,50", "1 000,00 €", "0", "-5", "abc", "7 500,01", "99999999999999"],
    "method": ["chèque", "virement", "carte", "espèces", "plateforme", "bitcoin", ""],
    "kind": ["don", "cotisation", "cotisation_élu", "prêt", ""],
    "donor_type": ["physique", "morale", "robot", ""],
    "ledger": ["mouvement", "liste:Lyon", "liste:", "???", ""],
    "country": ["France", "FR", "Atlantide", ""],
    "nationality": ["Française", "française", "martienne", ""],
}
CELL = st.one_of(st.text(max_size=20), ODD)


@st.composite
def csv_files(draw: Any) -> str:
    delimiter = draw(st.sampled_from([",", ";", "\t"]))
    columns = draw(st.permutations(COLUMNS).map(list))
    if draw(st.integers(0, 9)) == 0:
        columns = columns[: draw(st.integers(0, len(columns)))]  # some columns missing
    lines = [delimiter.join(columns)]
    for _ in range(draw(st.integers(0, 8))):
        cells = []
        for name in columns:
            value = draw(
                st.one_of(st.sampled_from(GOOD.get(name, ["Dupont", "Jean", "1 rue", "69001", "Lyon"])), CELL)
            )
            if draw(st.booleans()):
                value = '"' + value.replace('"', '""') + '"'
            cells.append(value)
        if draw(st.booleans()):
            cells = cells[: draw(st.integers(0, len(cells)))]  # a short row
        lines.append(delimiter.join(cells))
    text: str = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines)
    start: str = draw(st.sampled_from(["", "\ufeff"]))
    end: str = draw(st.sampled_from(["", "\n", '"', "\x00"]))
    return start + text + end


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(csv_files(), TEXT))
def test_csv_files_are_read_or_refused_without_crashing(text: str) -> None:
    donations = _import_api()
    rows, missing = donations.read_csv(text)
    assert set(missing) <= set(donations.IMPORT_COLUMNS)
    assert all(isinstance(line, int) and isinstance(raw, dict) for line, raw in rows)


class _ImportDb:
    """One migrated SQLite file for every example (hypothesis forbids function-scoped fixtures)."""

    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        self.url = f"sqlite+aiosqlite:///{Path(self.dir.name) / 'import.sqlite3'}"
        self.ready = False

    async def run(self, rows: list[tuple[int, dict[str, str]]]) -> Any:
        from bot.settings import Settings
        from capabilities.donations.importing import import_rows
        from storage.db import Database

        db = Database(self.url)
        try:
            if not self.ready:
                await db.migrate()
                self.ready = True
            async with db.session() as s:
                return await import_rows(s, Settings(_env_file=None), rows, date(2026, 11, 26))
        finally:
            await db.dispose()


_IMPORT_DB = _ImportDb()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(csv_files())
def test_every_refused_csv_row_says_why(text: str) -> None:
    donations = _import_api()
    rows, missing = donations.read_csv(text)
    if missing:
        return  # the command stops there and names the missing columns
    report = asyncio.run(_IMPORT_DB.run(rows))
    assert sorted(r.line for r in report.rows) == sorted(line for line, _ in rows)
    for row in report.rows:
        assert row.status in ("ok", "warned", "refused")
        if row.status == "refused":
            assert row.reasons and all(isinstance(r, str) and r.strip() for r in row.reasons), row
    assert isinstance(donations.format_report(report), str)

"""Mail bodies as citizens send them: charsets, encodings, HTML, attachments, broken MIME."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations.email_parse import (
    Attachment,
    b64url_decode,
    decode_bytes,
    decode_header_value,
    html_to_text,
    parse_message,
)
from integrations.gmail import GmailClient
from sandbox.google import FakeGmail, build_raw_email


async def test_plain_utf8(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    sent_at = datetime(2025, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=1)))
    mid = gmail_fake.deliver(
        from_="Zoé Lefèvre <zoe@example.fr>",
        subject="Tractage à Montreuil ✊",
        body="Je suis dispo samedi.\n— Zoé",
        date=sent_at,
    )
    mail = await gmail.get_message(mid)
    assert mail.id == mid and mail.thread_id == mid and mail.history_id == gmail_fake.message(mid).history_id
    assert mail.sender == "Zoé Lefèvre <zoe@example.fr>"
    assert mail.sender_address == "zoe@example.fr" and mail.sender_name == "Zoé Lefèvre"
    assert mail.to == gmail_fake.email
    assert mail.subject == "Tractage à Montreuil ✊"
    assert mail.body_text == "Je suis dispo samedi.\n— Zoé"
    assert mail.date == sent_at and mail.date.tzinfo is not None
    assert mail.message_id_header == gmail_fake.message(mid).message_id
    assert mail.label_ids == ["INBOX", "UNREAD"]
    assert mail.snippet.startswith("Je suis dispo samedi.")
    assert mail.attachments == []


async def test_html_only(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    markup = (
        "<html><head><style>p{color:red}</style><title>x</title></head><body>"
        "<p>Bonjour&nbsp;l&#39;équipe,</p><p>Inscription <a href='https://framaforms.org/x'>ici</a>.</p>"
        "<ul><li>Samedi</li><li>Dimanche</li></ul><script>alert(1)</script></body></html>"
    )
    mail = await gmail.get_message(gmail_fake.deliver(body=None, html=markup))
    assert (
        mail.body_text
        == "Bonjour l'équipe,\n\nInscription ici (https://framaforms.org/x).\n\n- Samedi\n- Dimanche"
    )
    assert "color" not in mail.body_text and "alert" not in mail.body_text


async def test_latin1_quoted_printable(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    mid = gmail_fake.deliver(
        subject="Réunion", body="Ça marche, à jeudi ! Coût : 5 euros.", charset="iso-8859-1"
    )
    raw = gmail_fake.message(mid).raw
    assert b"quoted-printable" in raw and b"=E0 jeudi" in raw and b"iso-8859-1" in raw
    mail = await gmail.get_message(mid)
    assert mail.body_text == "Ça marche, à jeudi ! Coût : 5 euros."
    assert mail.subject == "Réunion"


async def test_windows_1252_labelled_latin1(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    # Outlook habit: cp1252 bytes (€ is 0x80, curly quote 0x92) declared as iso-8859-1.
    body = "Coût : 12 € l’affiche".encode("cp1252")
    raw = (
        b"From: a@b.fr\r\nTo: mouvement@gmail.com\r\nSubject: =?iso-8859-1?q?Re=E7u?=\r\n"
        b'Content-Type: text/plain; charset="iso-8859-1"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n' + body
    )
    mail = await gmail.get_message(gmail_fake.deliver(raw=raw))
    assert mail.body_text == "Coût : 12 € l’affiche"
    assert mail.subject == "Reçu"


async def test_utf8_quoted_printable_and_8bit(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    text = "Très bien, j'apporte les œufs.\nÀ bientôt"
    for encoding in ("quoted-printable", "8bit", "base64"):
        mid = gmail_fake.deliver(body=text, transfer_encoding=encoding)
        assert encoding.encode() in gmail_fake.message(mid).raw
        assert (await gmail.get_message(mid)).body_text == text


async def test_multipart_alternative_prefers_plain(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    mid = gmail_fake.deliver(body="Version texte", html="<p>Version <b>HTML</b></p>")
    payload = gmail_fake.resource(gmail_fake.message(mid))["payload"]
    assert payload["mimeType"] == "multipart/alternative"
    assert [p["partId"] for p in payload["parts"]] == ["0", "1"]
    assert (await gmail.get_message(mid)).body_text == "Version texte"

    empty_plain = gmail_fake.deliver(body="  \n", html="<p>Seulement en HTML</p>")
    assert (await gmail.get_message(empty_plain)).body_text == "Seulement en HTML"


async def test_attachments_listed(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    pdf = b"%PDF-1.4 " + bytes(range(256)) * 10
    mid = gmail_fake.deliver(
        subject="Facture",
        body="Ci-joint la facture.",
        html="<p>Ci-joint la facture.</p>",
        attachments=[
            ("facture-imprimeur.pdf", "application/pdf", pdf),
            ("reçu n°2.jpg", "image/jpeg", b"\xff\xd8jpeg"),
            ("notes.txt", "text/plain", b"pas le corps"),
        ],
    )
    mail = await gmail.get_message(mid)
    assert mail.body_text == "Ci-joint la facture."
    assert mail.attachments == [
        Attachment("facture-imprimeur.pdf", "application/pdf", len(pdf)),
        Attachment("reçu n°2.jpg", "image/jpeg", 6),
        Attachment("notes.txt", "text/plain", 12),
    ]
    name, mime, size = mail.attachments[0]  # plain tuples for callers
    assert (name, mime, size) == ("facture-imprimeur.pdf", "application/pdf", len(pdf))
    # Gmail hands out attachment ids, not data, in format=full.
    part = gmail_fake.resource(gmail_fake.message(mid))["payload"]["parts"][1]
    assert "data" not in part["body"] and part["body"]["attachmentId"]


async def test_forwarded_message_attachment(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    inner = build_raw_email("x@y.fr", "z@w.fr", "Original", body="Texte transféré")
    raw = (
        b"From: a@b.fr\r\nTo: m@gmail.com\r\nSubject: Fwd\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n--B\r\nContent-Type: message/rfc822\r\n\r\n'
        + inner
        + b"\r\n--B--\r\n"
    )
    mail = await gmail.get_message(gmail_fake.deliver(raw=raw))
    assert mail.attachments[0].mime_type == "message/rfc822"
    assert mail.body_text == "Texte transféré"  # nothing else to read: the forwarded text


async def test_broken_mime_does_not_raise(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    broken = [
        # multipart without boundary
        b"From: a@b.fr\r\nSubject: cass\xe9\r\nContent-Type: multipart/mixed\r\n\r\nJuste du texte\r\n",
        # boundary never closed, bad base64, unknown charset
        b'From: a@b.fr\r\nContent-Type: multipart/alternative; boundary="zz"\r\n\r\n--zz\r\n'
        b"Content-Type: text/plain; charset=x-inconnu\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"Qm9uam91ciDpcXVpcGU=!!!\r\n--zz\r\nContent-Type: text/html\r\n\r\n<p>unterminated",
        # no headers at all, garbage date, bad encoded-word
        b"Date: not a date\r\nSubject: =?utf-8?B?!!!?= ok\r\n\r\n\xff\xfe\x00 binary junk",
        b"",
    ]
    for raw in broken:
        mail = await gmail.get_message(gmail_fake.deliver(raw=raw))
        assert mail.date.tzinfo is not None
        assert isinstance(mail.body_text, str)
    first = await gmail.get_message(gmail_fake.deliver(raw=broken[0]))
    assert "Juste du texte" in first.body_text and first.subject == "cassé"
    second = await gmail.get_message(gmail_fake.deliver(raw=broken[1]))
    assert second.body_text.startswith("Bonjour")


# --- Pure helpers -------------------------------------------------------------------------


def test_decoding_helpers() -> None:
    assert b64url_decode(base64.urlsafe_b64encode(b"\xfa\xfb\xfc").rstrip(b"=")) == b"\xfa\xfb\xfc"
    assert b64url_decode("!!") == b""
    assert decode_bytes("é".encode("latin-1"), "utf-8") == "é"  # mislabelled: falls back
    assert decode_bytes(b"\x80", "latin-1") == "€"
    assert decode_bytes(b"ok", "no-such-charset") == "ok"
    assert decode_header_value("=?utf-8?q?caf=C3=A9?= =?bogus?q?x?=") in ("café x", "caféx")
    assert decode_header_value("line\r\n folded") == "line folded"
    assert html_to_text("a<br>b<div>c</div>") == "a\nb\nc"
    assert html_to_text("<p>unclosed <b>bold") == "unclosed bold"


def test_parse_message_survives_garbage_resources() -> None:
    for resource in (
        {},
        {"payload": None},
        {"payload": {"parts": "nope"}},
        {"payload": {"headers": [1, {"name": 2}]}},
        {"internalDate": "x", "historyId": "y", "labelIds": "z"},
    ):
        mail = parse_message(resource)
        assert mail.body_text == "" and mail.date == datetime.fromtimestamp(0, UTC)


# --- Property tests -----------------------------------------------------------------------

_json_scalar = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
_header = st.fixed_dictionaries(
    {
        "name": st.sampled_from(
            ["From", "To", "Subject", "Date", "Content-Type", "Message-ID", "References", "X"]
        ),
        "value": st.text(max_size=60)
        | st.sampled_from(["=?utf-8?b?w6k=?=", "text/html; charset=latin-1", "=?x?q?=ZZ?="]),
    }
)
_body = st.fixed_dictionaries(
    {},
    optional={
        "size": _json_scalar,
        "data": st.text(max_size=80)
        | st.binary(max_size=60).map(lambda b: base64.urlsafe_b64encode(b).decode()),
        "attachmentId": st.text(max_size=5),
    },
)
_part = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "mimeType": st.sampled_from(
                [
                    "text/plain",
                    "text/html",
                    "multipart/mixed",
                    "message/rfc822",
                    "application/pdf",
                    "",
                    "TEXT/PLAIN",
                ]
            )
            | _json_scalar,
            "filename": st.text(max_size=10) | _json_scalar,
            "headers": st.lists(_header, max_size=4) | _json_scalar,
            "body": _body | _json_scalar,
        },
    ),
    lambda children: st.fixed_dictionaries(
        {
            "mimeType": st.sampled_from(["multipart/mixed", "multipart/alternative", "message/rfc822"]),
            "parts": st.lists(children, max_size=3),
        }
    ),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    payload=_part,
    extra=st.dictionaries(st.sampled_from(["id", "historyId", "internalDate", "snippet"]), _json_scalar),
)
def test_parse_message_never_raises(payload: dict[str, Any], extra: dict[str, Any]) -> None:
    mail = parse_message({"payload": payload, **extra})
    assert isinstance(mail.body_text, str) and mail.date.tzinfo is not None


_charsets = st.sampled_from(
    ["utf-8", "iso-8859-1", "windows-1252", "iso-8859-15", "utf-16", "koi8-r", "x-bogus"]
)
_encodings = st.sampled_from([None, "base64", "quoted-printable", "8bit"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.text(max_size=300),
    html=st.none() | st.text(max_size=200),
    subject=st.text(max_size=60),
    charset=_charsets,
    encoding=_encodings,
)
async def test_random_bodies_round_trip_through_the_real_client(
    gmail: GmailClient,
    gmail_fake: FakeGmail,
    body: str,
    html: str | None,
    subject: str,
    charset: str,
    encoding: str | None,
) -> None:
    if charset == "x-bogus":
        raw = build_raw_email("a@b.fr", "m@gmail.com", "s", body=body).replace(
            b'charset="utf-8"', b"charset=x-bogus"
        )
        mid = gmail_fake.deliver(raw=raw)
    else:
        mid = gmail_fake.deliver(
            subject=subject,
            body=body,
            html=html,
            charset="utf-8" if charset == "utf-16" else charset,
            transfer_encoding=encoding,
        )
    mail = await gmail.get_message(mid)
    assert isinstance(mail.body_text, str)
    clean = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    if charset in ("utf-8", "utf-16") and encoding in (None, "base64") and clean and "\x00" not in clean:
        assert mail.body_text == clean


_mime_bits = st.sampled_from(
    [
        b'Content-Type: multipart/mixed; boundary="b"\r\n',
        b'Content-Type: multipart/alternative; boundary="b"\r\n',
        b"Content-Type: message/rfc822\r\n",
        b"Content-Type: text/html; charset=latin-1\r\n",
        b"Content-Type: text/plain; charset=utf-8\r\n",
        b"Content-Transfer-Encoding: base64\r\n",
        b"Content-Transfer-Encoding: quoted-printable\r\n",
        b"Content-Disposition: attachment; filename*=utf-8''%FF%C3\r\n",
        b"Subject: =?utf-8?q?=C3?= =?iso-8859-1?b?6Q==?=\r\n",
        b"From: =?bad?q?x?= <a@b>\r\n",
        b"Date: 31 Feb 2025 25:61:00 +9999\r\n",
        b"\r\n",
        b"--b\r\n",
        b"--b--\r\n",
        b"<p>caf\xe9 &eacute; <a href=x>lien</a>\r\n",
        b"=C3=A9=\r\n",
    ]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.lists(_mime_bits | st.binary(max_size=30), max_size=20).map(b"".join))
async def test_random_raw_mime_never_breaks_the_pipeline(
    gmail: GmailClient, gmail_fake: FakeGmail, raw: bytes
) -> None:
    mail = await gmail.get_message(gmail_fake.deliver(raw=raw))
    assert isinstance(mail.body_text, str) and mail.date.tzinfo is not None

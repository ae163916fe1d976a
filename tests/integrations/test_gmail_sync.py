"""Gmail sync, labels, replies and retries, through the real client against FakeGmail."""

from __future__ import annotations

from typing import Any

import pytest

from integrations.email_parse import ParsedEmail
from integrations.gmail import LABELS, GmailClient, HistoryExpired, build_reply, reply_subject, thread_link
from integrations.google_api import GoogleApiError
from sandbox.google import FakeGmail, static_credentials

FAST: dict[str, Any] = {"backoff_base": 0.001, "backoff_max": 0.005}


# --- Sync ---------------------------------------------------------------------------------


async def test_full_sync_then_incremental(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    first = gmail_fake.deliver(subject="Adhésion")
    second = gmail_fake.deliver(subject="Question tract")

    ids, history_id = await gmail.full_sync()
    assert set(ids) == {first, second}
    assert history_id == gmail_fake.history_id

    new, history_id2 = await gmail.history_since(history_id)
    assert new == [] and history_id2 == history_id

    third = gmail_fake.deliver(subject="Réunion jeudi")
    fourth = gmail_fake.deliver(subject="Dons")
    await gmail.modify_labels(third, remove=["UNREAD"])  # label changes are not "new mail"
    new, history_id3 = await gmail.history_since(history_id2)
    assert new == [third, fourth]
    assert history_id3 == gmail_fake.history_id

    # Every request went out with the bearer token.
    assert all(r.headers["authorization"] == "Bearer fake-access-token" for r in gmail_fake.requests)
    history_calls = gmail_fake.calls(r"/history$")
    assert history_calls[-1].query["historyTypes"] == ["messageAdded"]


async def test_full_sync_pages_and_caps(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    delivered = [gmail_fake.deliver(subject=f"Mail {i}") for i in range(7)]
    ids, _ = await gmail.full_sync(page_size=3)
    assert sorted(ids) == sorted(delivered)
    assert len(gmail_fake.calls(r"/messages$")) == 3  # 3 + 3 + 1, following nextPageToken
    capped, _ = await gmail.full_sync(max_messages=4, page_size=3)
    assert len(capped) == 4


async def test_full_sync_query_and_sent_excluded(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    inbox = gmail_fake.deliver(subject="Facture imprimeur", from_="compta@imprimerie.fr")
    gmail_fake.deliver(subject="Autre", from_="someone@example.org")
    original = await gmail.get_message(inbox)
    await gmail.send_reply(original, "Reçu, merci.")

    ids, _ = await gmail.full_sync(query="from:imprimerie.fr")
    assert ids == [inbox]
    assert gmail_fake.calls(r"/messages$")[0].param("q") == "(from:imprimerie.fr) -in:sent -in:drafts"
    all_ids, _ = await gmail.full_sync()
    assert len(all_ids) == 2  # our reply (SENT) is not incoming mail
    with_sent, _ = await gmail.full_sync(include_sent=True)
    assert len(with_sent) == 3


async def test_history_skips_our_own_sent_mail(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    mid = gmail_fake.deliver()
    history_id = await gmail.profile_history_id()
    await gmail.send_reply(await gmail.get_message(mid), "Bien reçu")
    assert (await gmail.history_since(history_id))[0] == []
    assert len((await gmail.history_since(history_id, include_sent=True))[0]) == 1


async def test_stale_history_id_raises_then_full_sync_recovers(
    gmail: GmailClient, gmail_fake: FakeGmail
) -> None:
    old = gmail_fake.deliver(subject="Ancien")
    _, history_id = await gmail.full_sync()
    newer = gmail_fake.deliver(subject="Pendant la panne")
    gmail_fake.expire_history()  # the bot was down for longer than Gmail keeps history

    with pytest.raises(HistoryExpired) as info:
        await gmail.history_since(history_id)
    assert info.value.status == 404
    assert len(gmail_fake.calls(r"/history$")) == 1  # a 404 is not retried

    ids, fresh = await gmail.full_sync()
    assert set(ids) == {old, newer}
    latest = gmail_fake.deliver(subject="Après")
    assert (await gmail.history_since(fresh))[0] == [latest]


# --- Retries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason"),
    [(429, None), (500, None), (503, None), (403, "rateLimitExceeded"), (403, "userRateLimitExceeded")],
)
async def test_transient_errors_are_retried(
    gmail: GmailClient, gmail_fake: FakeGmail, status: int, reason: str | None
) -> None:
    mid = gmail_fake.deliver(subject="Retry me")
    fault = gmail_fake.inject(status, times=2, path=r"/messages/", reason=reason)
    parsed = await gmail.get_message(mid)
    assert parsed.subject == "Retry me"
    assert fault.fired == 2
    assert [r.status for r in gmail_fake.calls(r"/messages/")] == [status, status, 200]


async def test_retries_give_up_after_the_limit(gmail_fake: FakeGmail) -> None:
    client = GmailClient(static_credentials, api_endpoint=gmail_fake.url, retries=2, **FAST)
    gmail_fake.inject(503, times=10)
    with pytest.raises(GoogleApiError) as info:
        await client.profile_history_id()
    assert info.value.status == 503 and info.value.retryable
    assert len(gmail_fake.requests) == 3


async def test_permanent_403_is_not_retried(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    gmail_fake.inject(403, reason="forbidden")
    with pytest.raises(GoogleApiError) as info:
        await gmail.profile_history_id()
    assert info.value.status == 403 and not info.value.retryable
    assert len(gmail_fake.requests) == 1


async def test_retry_after_header_is_honoured_within_the_cap(
    gmail: GmailClient, gmail_fake: FakeGmail
) -> None:
    gmail_fake.inject(429, retry_after=30)  # capped by backoff_max, so the test stays fast
    assert await gmail.profile_history_id() == gmail_fake.history_id


async def test_dropped_connection_is_retried_for_reads(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    gmail_fake.inject("disconnect", times=1, path=r"/profile$")
    assert await gmail.profile_history_id() == gmail_fake.history_id


async def test_send_retries_quota_but_not_server_errors(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    original = await gmail.get_message(gmail_fake.deliver(subject="Question"))
    gmail_fake.inject(429, path=r"/send$")
    await gmail.send_reply(original, "Réponse 1")  # 429: Google did nothing, safe to retry
    assert len(gmail_fake.sent) == 1

    gmail_fake.inject(500, path=r"/send$")
    with pytest.raises(GoogleApiError) as info:
        await gmail.send_reply(original, "Réponse 2")  # 500: maybe sent; no blind retry
    assert info.value.status == 500
    assert len(gmail_fake.calls(r"/send$")) == 3


# --- Labels -------------------------------------------------------------------------------


async def test_labels_created_once_and_applied(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    mapping = await gmail.ensure_labels(LABELS)
    assert set(mapping) == set(LABELS)
    created = [r.json["name"] for r in gmail_fake.calls(r"/labels$", "POST")]
    assert created == ["Coordo", "Coordo/À traiter", "Coordo/En cours", "Coordo/Traité", "Coordo/finance"]

    assert await gmail.ensure_labels(LABELS) == mapping
    other_process = GmailClient(static_credentials, api_endpoint=gmail_fake.url, **FAST)
    assert await other_process.ensure_labels(["coordo/à traiter"]) == {
        "coordo/à traiter": mapping["Coordo/À traiter"]
    }
    assert len(gmail_fake.calls(r"/labels$", "POST")) == 5  # nothing created twice

    mid = gmail_fake.deliver()
    labels = await gmail.modify_labels(mid, add=["Coordo/À traiter", "Coordo/finance"], remove=["UNREAD"])
    assert set(labels) == {"INBOX", mapping["Coordo/À traiter"], mapping["Coordo/finance"]}
    await gmail.modify_labels(mid, add=[mapping["Coordo/Traité"]], remove=["Coordo/À traiter"])
    assert sorted(gmail_fake.label_names(mid)) == ["Coordo/Traité", "Coordo/finance", "INBOX"]
    assert (await gmail.get_message(mid)).label_ids == gmail_fake.message(mid).label_ids


async def test_label_created_concurrently_elsewhere(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    await gmail.ensure_labels(["Coordo"])
    # Another bot instance creates the label between our list and our create: 409 is fine.
    other = GmailClient(static_credentials, api_endpoint=gmail_fake.url, **FAST)
    await other.ensure_labels(["Coordo/En cours"])
    gmail._labels.pop("coordo/en cours", None)  # our cache is stale
    gmail_fake.inject(409, path=r"/labels$", method="POST")
    mapping = await gmail.ensure_labels(["Coordo/En cours"])
    assert mapping["Coordo/En cours"] == gmail_fake.label_id("Coordo/En cours")


async def test_modify_labels_on_unknown_message(gmail: GmailClient) -> None:
    with pytest.raises(GoogleApiError) as info:
        await gmail.modify_labels("deadbeef", add=["STARRED"])
    assert info.value.status == 404


# --- Replies ------------------------------------------------------------------------------


async def test_reply_lands_in_thread_with_headers(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    first = gmail_fake.deliver(subject="Demande d'info sur la votation", from_="Léa <lea@example.fr>")
    follow_up = gmail_fake.deliver(subject="Re: Demande d'info sur la votation", in_reply_to=first)
    original = await gmail.get_message(follow_up)
    assert original.thread_id == gmail_fake.message(first).thread_id
    assert original.references == [gmail_fake.message(first).message_id]

    sent_id = await gmail.send_reply(
        original, "Bonjour Léa,\nLa votation a lieu dimanche.", "Coordo <mouvement@gmail.com>"
    )

    sent = gmail_fake.message(sent_id)
    assert sent.thread_id == original.thread_id
    assert sent.label_ids == ["SENT"]
    mail = sent.email
    assert mail["Subject"] == "Re: Demande d'info sur la votation"  # not "Re: Re: ..."
    assert mail["In-Reply-To"] == original.message_id_header
    assert mail["References"].split() == [gmail_fake.message(first).message_id, original.message_id_header]
    assert mail["To"].addresses[0].addr_spec == "lea.martin@example.fr"
    assert mail["From"].addresses[0].addr_spec == "mouvement@gmail.com"
    # Text is sent in canonical CRLF form, as RFC 2045 asks for text/* bodies.
    assert mail.get_content().replace("\r\n", "\n").strip() == "Bonjour Léa,\nLa votation a lieu dimanche."
    send = gmail_fake.calls(r"/send$")[0].json
    assert send["threadId"] == original.thread_id

    # Our reply, read back through the API, threads like any message.
    reread = await gmail.get_message(sent_id)
    assert reread.thread_id == original.thread_id and reread.in_reply_to == original.message_id_header
    assert len(gmail_fake.thread(original.thread_id)) == 3


async def test_reply_goes_to_reply_to(gmail: GmailClient, gmail_fake: FakeGmail) -> None:
    raw = (
        b"From: Formulaire <noreply@site.fr>\r\nReply-To: Paul <paul@example.fr>\r\nTo: mouvement@gmail.com\r\n"
        b"Subject: =?utf-8?q?Contact_=C3=A9lu?=\r\nMessage-ID: <form-1@site.fr>\r\n\r\nBonjour\r\n"
    )
    original = await gmail.get_message(gmail_fake.deliver(raw=raw))
    assert original.subject == "Contact élu" and original.reply_address == "Paul <paul@example.fr>"
    sent = gmail_fake.message(await gmail.send_reply(original, "Merci"))
    assert sent.email["To"].addresses[0].addr_spec == "paul@example.fr"
    assert sent.email["Subject"] == "Re: Contact élu"
    assert sent.thread_id == original.thread_id


def test_reply_subject_rules() -> None:
    assert reply_subject("Bonjour") == "Re: Bonjour"
    assert reply_subject("Re: Bonjour") == "Re: Bonjour"
    assert reply_subject("RE : Bonjour") == "RE : Bonjour"
    assert reply_subject("Ré: Bonjour") == "Ré: Bonjour"
    assert reply_subject("Fwd: Bonjour") == "Re: Fwd: Bonjour"
    assert reply_subject("Regards croisés") == "Re: Regards croisés"
    assert reply_subject("") == "Re:"


def test_build_reply_without_message_id_has_no_threading_headers() -> None:
    from datetime import UTC, datetime

    original = ParsedEmail("m1", "t1", 1, "a@b.fr", "c@d.fr", "Hello", datetime.now(UTC), "")
    msg = build_reply(original, "ok")
    assert msg["In-Reply-To"] is None and msg["References"] is None and msg["Subject"] == "Re: Hello"


def test_thread_link() -> None:
    assert thread_link("18f0abc") == "https://mail.google.com/mail/u/0/#all/18f0abc"
    assert GmailClient.thread_link("18f0abc") == "https://mail.google.com/mail/u/0/#all/18f0abc"

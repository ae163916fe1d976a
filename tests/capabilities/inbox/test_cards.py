"""Pure parts of the inbox: working hours, labels, the signature, the card's HTML and buttons."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.settings import Settings
from capabilities.inbox.answers import reply_body
from capabilities.inbox.cards import card_rows, card_text, city_named, city_rows, domain_rows, reminder_rows
from capabilities.inbox.followup import working_hours_between
from capabilities.inbox.sync import label_change
from domain.triage import CITIES
from sandbox import parse_html
from storage.models import EmailMessage, Person

PARIS = ZoneInfo("Europe/Paris")


def at(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """December 2026: Monday 7, Friday 11, Saturday 12, Monday 14."""
    return datetime(2026, month, day, hour, minute, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(7, 10), at(7, 14), 4.0),  # same morning → afternoon
        (at(7, 8), at(7, 10), 1.0),  # before opening counts from 9:00
        (at(7, 17), at(7, 20), 1.0),  # closes at 18:00
        (at(7, 19), at(8, 8), 0.0),  # a night
        (at(7, 10), at(8, 10), 9.0),  # one day later
        (at(11, 16), at(14, 11), 4.0),  # Friday 16:00 → Monday 11:00: the weekend does not count
        (at(12, 10), at(13, 18), 0.0),  # Saturday → Sunday
        (at(7, 9), at(12, 9), 45.0),  # a whole working week
        (at(7, 9), at(7, 9), 0.0),
        (at(7, 12), at(7, 10), 0.0),  # end before start
        (at(7, 9, 30), at(7, 9, 45), 0.25),
        (at(27, 10, month=3), at(30, 10, month=3), 9.0),  # Friday → Monday over the spring clock change
        (at(23, 17, month=10), at(26, 10, month=10), 2.0),  # Friday → Monday over the autumn clock change
        (at(7, 9), at(7, 9) + timedelta(weeks=10), 450.0),  # long spans use whole weeks
    ],
)
def test_working_hours_between(start: datetime, end: datetime, hours: float) -> None:
    assert working_hours_between(start, end, PARIS) == pytest.approx(hours)
    assert working_hours_between(start.astimezone(UTC), end.astimezone(UTC), PARIS) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("start", "hours", "deadline"),
    [
        (at(7, 10), 4, at(7, 14)),
        (at(7, 16), 4, at(8, 11)),
        (at(11, 16), 4, at(14, 11)),  # over the weekend
        (at(12, 15), 4, at(14, 13)),  # received on Saturday
        (at(7, 20), 8, at(8, 17)),  # received at night
        (at(7, 10), 0.5, at(7, 10, 30)),
    ],
)
def test_working_hours_until_a_deadline(start: datetime, hours: float, deadline: datetime) -> None:
    assert working_hours_between(start, deadline, PARIS) == pytest.approx(hours)


@pytest.mark.parametrize(
    ("domain", "status", "expected"),
    [
        ("finance", "assigned", ["Coordo/Finances", "Coordo/À traiter"]),
        ("finance", "new", ["Coordo/Finances", "Coordo/À traiter"]),
        ("communication", "claimed", ["Coordo/Communication", "Coordo/En cours"]),
        ("website", "answered", ["Coordo/Site", "Coordo/Traité"]),
        ("campaign", "sending", ["Coordo/Campagne", "Coordo/En cours"]),
        ("spam", "spam", ["Coordo/Spam"]),
    ],
)
def test_labels_mirror_domain_and_state(domain: str, status: str, expected: list[str]) -> None:
    add, remove = label_change(domain, status)
    assert add == expected
    assert not set(add) & set(remove)
    assert "Coordo/Traité" in add or "Coordo/Traité" in remove


def test_signature() -> None:
    person = Person(first_name="Léa")
    assert (
        reply_body(Settings(_env_file=None), person, " Bonjour \n")
        == "Bonjour\n\nLéa\nÀ nous la démocratie !"
    )
    assert reply_body(Settings(_env_file=None, inbox_signature=""), person, "Bonjour") == "Bonjour"
    from_env = Settings(_env_file=None, inbox_signature="-- \\n{prenom}, pour le mouvement")
    assert reply_body(from_env, person, "Ok") == "Ok\n\n-- \nLéa, pour le mouvement"


def _email(**values: object) -> EmailMessage:
    base = dict(
        id=42,
        gmail_id="g1",
        thread_id="18f0abc",
        sender="Jo <jo@x.fr> & <script>",
        subject="<b>Objet</b> & co",
        received_at=at(7, 10),
        excerpt="Ligne 1 < 2 & 3 > 1\n" * 200,
        attachments=["a<b>.pdf"] * 12,
        domain="campaign",
        city="Lyon",
        confidence=0.95,
        auto_routed=True,
        status="assigned",
        assignee_id=1,
        claimed_by=None,
    )
    base.update(values)
    return EmailMessage(**base)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    ("values", "tag"),
    [
        ({}, "f1"),
        ({"auto_routed": False, "confidence": 0.4}, "f1"),
        ({"status": "claimed", "claimed_by": 2}, "e1"),
        ({"status": "answered", "claimed_by": 1}, "t2"),
        ({"status": "spam", "domain": "spam", "city": None}, "f1"),
        ({"excerpt": "", "subject": "", "attachments": []}, "v1"),
    ],
)
def test_cards_are_valid_telegram_html_within_limits(values: dict[str, object], tag: str, lang: str) -> None:
    settings = Settings(_env_file=None)
    email = _email(**values)
    text = card_text(email, lang, 1, {1: "Léa", 2: "Paul <&>"}, settings, tag)
    parse_html(text)  # raises like Telegram on a bad tag or a raw < or &
    assert len(text) < 4096
    for rows in (
        card_rows(email, 1, 0.8, lang, tag),
        domain_rows(lang, 42, "k"),
        domain_rows(lang, 42, "m"),
        city_rows(lang, 42, "m"),
    ):
        for row in rows:
            for _, data in row:
                assert len(data.encode()) <= 64


def test_buttons_follow_the_state() -> None:
    assert len(card_rows(_email(), 1, 0.8, "fr")) == 2  # the assignee can act
    assert card_rows(_email(), 7, 0.8, "fr") == []  # passed on to someone else
    assert card_rows(_email(), 7, 0.8, "fr", "e1")  # escalated to a coordinator: may step in
    unsure = card_rows(_email(auto_routed=False, confidence=0.3), 1, 0.8, "fr")
    assert [b[1] for b in unsure[0]] == ["ib:k:42:finance", "ib:k:42:communication", "ib:k:42:website"]
    assert card_rows(_email(status="claimed", claimed_by=1), 1, 0.8, "fr")[0][0][1] == "ib:p:42"
    assert card_rows(_email(status="claimed", claimed_by=2), 1, 0.8, "fr") == []
    assert card_rows(_email(status="answered"), 1, 0.8, "fr") == []


def test_buttons_keep_their_wire_format() -> None:
    """Cards already posted in chats carry these strings: they must keep working."""

    def data(rows: list[list[tuple[str, str]]]) -> list[str]:
        return [d for row in rows for _, d in row]

    assert data(card_rows(_email(), 1, 0.8, "fr")) == ["ib:c:42", "ib:r:42", "ib:p:42", "ib:d:42", "ib:s:42"]
    claimed = card_rows(_email(status="claimed", claimed_by=1), 1, 0.8, "fr")
    assert data(claimed) == ["ib:p:42", "ib:d:42", "ib:r:42", "ib:s:42"]
    assert data(card_rows(_email(auto_routed=False, confidence=0.3), 1, 0.8, "fr"))[3:] == [
        "ib:kc:42",
        "ib:k:42:secretariat",
        "ib:k:42:spam",
        "ib:c:42",
        "ib:p:42",
    ]
    assert data(domain_rows("fr", 42, "m")) == [
        "ib:m:42:finance",
        "ib:m:42:communication",
        "ib:m:42:website",
        "ib:mc:42",
        "ib:m:42:secretariat",
        "ib:m:42:spam",
        "ib:b:42",
    ]
    cities = data(city_rows("fr", 42, "k"))
    assert cities[:2] == ["ib:k:42:campaign:0", "ib:k:42:campaign:1"] and cities[-1] == "ib:b:42"
    assert len(cities) == len(CITIES) + 1
    assert data(reminder_rows("fr", 42)) == ["ib:c:42", "ib:v:42"]


def test_city_buttons_name_their_city() -> None:
    assert [city_named(i) for i in range(len(CITIES))] == list(CITIES)
    assert city_named(len(CITIES)) is None and city_named(-1) is None

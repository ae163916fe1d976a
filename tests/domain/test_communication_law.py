"""The election law on a public post (docs/communication-rules.md rules 1–7): plain tables, then properties."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.communication.law import (
    RULES,
    SILENCE_EVENT_KINDS,
    Finding,
    PostContext,
    check_post,
    event_in_silence,
    results_hold_until,
    silence_day,
    silence_window,
)

PARIS = ZoneInfo("Europe/Paris")
ROUND1 = date(2026, 3, 15)  # municipal elections, Sundays
ROUND2 = date(2026, 3, 22)
ROUNDS = (ROUND1, ROUND2)
FINANCING = ("Association de financement électoral de Montreuil en commun",)
MANDATAIRE = ("Léa Dupré, mandataire financière",)
LISTS = ("Montreuil en commun",)
MEMBERS = ("Léa Dupré", "Jean Martin", "Zoé")


def paris(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def ctx(when: datetime, **kwargs: object) -> PostContext:
    return PostContext(when=when, tz=PARIS, election_days=ROUNDS, **kwargs)  # type: ignore[arg-type]


def rules(findings: list[Finding]) -> set[tuple[str, str]]:
    return {(f.rule, f.action) for f in findings}


QUIET = "Réunion publique jeudi à la Maison des associations."

# --- Time rules: silence (rule 1), polemic (rule 2), results (rule 4) -----------------------

TIME_CASES = [
    # (planned time, expected (rule, action) pairs)
    (paris(2026, 3, 12, 23, 59), set()),  # more than 48 h before polling day: nothing
    (paris(2026, 3, 13, 0, 0), {("polemic", "confirm")}),  # the last 48 h start
    (paris(2026, 3, 13, 23, 59), {("polemic", "confirm")}),  # eve minus one day, 23:59: no silence
    (paris(2026, 3, 14, 0, 0), {("silence", "pause"), ("polemic", "confirm")}),  # eve 00:00: silence
    (paris(2026, 3, 15, 8, 0), {("silence", "pause"), ("results", "pause"), ("polemic", "confirm")}),
    (paris(2026, 3, 15, 19, 59), {("silence", "pause"), ("results", "pause"), ("polemic", "confirm")}),
    (paris(2026, 3, 15, 20, 0), set()),  # polls closed
    (paris(2026, 3, 18, 12, 0), set()),  # between the rounds
    (paris(2026, 3, 20, 0, 0), {("polemic", "confirm")}),  # second round's last 48 h
    (paris(2026, 3, 21, 0, 0), {("silence", "pause"), ("polemic", "confirm")}),  # each round is its own day
    (paris(2026, 3, 22, 19, 59), {("silence", "pause"), ("results", "pause"), ("polemic", "confirm")}),
    (paris(2026, 3, 22, 20, 0), set()),
    (
        datetime(2026, 3, 13, 23, 0, tzinfo=UTC),
        {("silence", "pause"), ("polemic", "confirm")},
    ),  # = 14th 00:00 Paris
    (datetime(2026, 3, 13, 22, 59, tzinfo=UTC), {("polemic", "confirm")}),
]


@pytest.mark.parametrize(("when", "expected"), TIME_CASES)
def test_time_rules(when: datetime, expected: set[tuple[str, str]]) -> None:
    assert rules(check_post(QUIET, ctx(when))) == expected


def test_holds_end_at_20h_on_polling_day_with_its_date() -> None:
    findings = {f.rule: f for f in check_post(QUIET, ctx(paris(2026, 3, 22, 9, 30)))}
    assert findings["silence"].until == findings["results"].until == paris(2026, 3, 22, 20, 0)
    assert findings["silence"].detail == findings["polemic"].detail == "2026-03-22"
    assert "L49" in findings["silence"].article and "L52-2" in findings["results"].article
    assert "L48-2" in findings["polemic"].article


def test_no_election_days_no_time_rule() -> None:
    when = paris(2026, 3, 15, 12, 0)
    assert check_post(QUIET, PostContext(when=when, tz=PARIS)) == []


def test_naive_time_is_refused() -> None:
    with pytest.raises(ValueError):
        check_post(QUIET, ctx(datetime(2026, 3, 15, 12, 0)))


# Paris DST: 28 March 2027 (spring forward, UTC+1 -> +2) and 25 October 2026 (fall back, +2 -> +1).
DST_CASES = [
    (date(2027, 3, 28), datetime(2027, 3, 26, 22, 59, tzinfo=UTC), None),  # Fri 23:59 CET
    (date(2027, 3, 28), datetime(2027, 3, 26, 23, 0, tzinfo=UTC), date(2027, 3, 28)),  # Sat 00:00 CET
    (date(2027, 3, 28), datetime(2027, 3, 28, 17, 59, tzinfo=UTC), date(2027, 3, 28)),  # 19:59 CEST
    (date(2027, 3, 28), datetime(2027, 3, 28, 18, 0, tzinfo=UTC), None),  # 20:00 CEST
    (date(2026, 10, 25), datetime(2026, 10, 23, 21, 59, tzinfo=UTC), None),  # Fri 23:59 CEST
    (date(2026, 10, 25), datetime(2026, 10, 23, 22, 0, tzinfo=UTC), date(2026, 10, 25)),  # Sat 00:00 CEST
    (date(2026, 10, 25), datetime(2026, 10, 25, 18, 59, tzinfo=UTC), date(2026, 10, 25)),  # 19:59 CET
    (date(2026, 10, 25), datetime(2026, 10, 25, 19, 0, tzinfo=UTC), None),  # 20:00 CET
]


@pytest.mark.parametrize(("day", "when", "expected"), DST_CASES)
def test_silence_across_clock_changes(day: date, when: datetime, expected: date | None) -> None:
    assert silence_day(when, [day], PARIS) == expected
    held = results_hold_until(when, [day], PARIS)
    in_polling_day = when.astimezone(PARIS).date() == day and expected is not None
    assert held == (datetime.combine(day, time(20, 0), tzinfo=PARIS) if in_polling_day else None)


def test_silence_window_is_eve_midnight_to_20h() -> None:
    start, end = silence_window(ROUND1, PARIS)
    assert (start, end) == (paris(2026, 3, 14, 0, 0), paris(2026, 3, 15, 20, 0))
    start, end = silence_window(date(2027, 3, 28), PARIS)
    # One hour lost on the night of the vote (subtract in UTC: same-zone subtraction is wall-clock).
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=43)


EVENT_CASES = [
    ("tractage", paris(2026, 3, 14, 10, 0), ROUND1),
    ("boîtage", paris(2026, 3, 14, 10, 0), ROUND1),
    ("Boitage", paris(2026, 3, 14, 10, 0), ROUND1),
    ("porte-à-porte", paris(2026, 3, 15, 11, 0), ROUND1),
    ("stand", paris(2026, 3, 21, 9, 0), ROUND2),
    ("réunion", paris(2026, 3, 22, 18, 0), ROUND2),
    ("réunion", paris(2026, 3, 22, 20, 0), None),  # after the close of polls
    ("tractage", paris(2026, 3, 13, 18, 0), None),  # the day before the eve
    ("formation", paris(2026, 3, 14, 10, 0), None),  # not campaigning
    ("collage", paris(2026, 3, 14, 10, 0), None),
]


@pytest.mark.parametrize(("kind", "start", "expected"), EVENT_CASES)
def test_event_in_silence(kind: str, start: datetime, expected: date | None) -> None:
    assert event_in_silence(kind, start, ROUNDS, PARIS) == expected


def test_silence_event_kinds_are_the_spec_s() -> None:
    assert {"tractage", "boîtage", "porte-à-porte", "stand", "réunion"} == SILENCE_EVENT_KINDS


# --- Text rules: appeal (rule 5), paid (rule 3), consent (rule 7), images (rule 6) ----------

CALM = paris(2026, 1, 10, 12, 0)  # far from any vote: only text rules apply

APPEAL_CASES = [
    # (text, financing_names, list_names, blocked)
    ("Faites un don pour la campagne !", FINANCING, LISTS, True),
    (
        "Faites un don : association de financement electoral de MONTREUIL EN COMMUN.",
        FINANCING,
        LISTS,
        False,
    ),  # the association's name holds the list's: both named, case and accents folded
    ("Soutenez-nous financièrement ! Mandataire : Léa Dupré, mandataire financière.", MANDATAIRE, (), False),
    (  # a list's appeal (it speaks of the list) must name the list
        "Faites un don à la liste ! Mandataire : Léa Dupré, mandataire financière.",
        MANDATAIRE,
        LISTS,
        True,
    ),
    (  # the movement's own appeal names its financing body only
        "Soutenez-nous financièrement ! Mandataire : Léa Dupré, mandataire financière.",
        MANDATAIRE,
        LISTS,
        False,
    ),
    ("Faites un don ! Voir notre mandataire.", (), (), True),  # the bare word names nobody
    ("Faites un don ! Mandataire financier : Léa Dupré.", (), (), False),
    ("Faites un don ! Association de financement « AFC Montreuil ».", (), (), False),
    ("Faites un don à la liste ! Mandataire financier : Léa Dupré.", (), LISTS, True),
    (
        "Soutenez Montreuil en commun financièrement. Participez au financement : lea dupre, mandataire financiere",
        MANDATAIRE,
        LISTS,
        False,
    ),
    ("Faites un don !", (), (), True),  # no financing name configured: nothing can pass
    ("Participez au financement de la campagne", FINANCING, LISTS, True),
    ("Donnez ce que vous pouvez", FINANCING, LISTS, True),
    ("Notre cagnotte est ouverte", FINANCING, LISTS, True),
    ("https://www.helloasso.com/associations/montreuil/formulaires/1", FINANCING, LISTS, True),
    ("Don en ligne sur notre site", FINANCING, LISTS, True),
    ("Vos dons nous aident", FINANCING, LISTS, True),
    ("Chip in $5 today!", FINANCING, LISTS, True),
    ("Please donate to our campaign", FINANCING, LISTS, True),
    ("Donnez votre avis sur le projet de parc", FINANCING, LISTS, False),  # not money
    ("Venez nombreux, donnez de la voix !", FINANCING, LISTS, False),
    ("Lecture de Don Quichotte à la médiathèque", FINANCING, LISTS, False),
    ("Collecte : apportez vos dons alimentaires samedi", FINANCING, LISTS, False),  # not money
    ("Merci à Lydia pour les photos", FINANCING, LISTS, False),
    (QUIET, FINANCING, LISTS, False),
]


@pytest.mark.parametrize(("text", "financing", "lists", "blocked"), APPEAL_CASES)
def test_donation_appeal(
    text: str, financing: tuple[str, ...], lists: tuple[str, ...], blocked: bool
) -> None:
    findings = check_post(text, ctx(CALM, financing_names=financing, list_names=lists))
    appeal = [f for f in findings if f.rule == "appeal"]
    assert [f.action for f in appeal] == (["block"] if blocked else [])
    if blocked:
        assert "point 5" in appeal[0].article and ".md" not in appeal[0].article
        assert appeal[0].detail  # the words that ask for money


PAID_CASES = [
    ("On va booster ce post ce week-end", True),
    ("Post sponsorisé par la section", True),
    ("Faut-il sponsoriser la vidéo ?", True),
    ("Une publicité payante sur Facebook ?", True),
    ("Promouvoir la publication coûte 20 €", True),
    ("Let's run ads on this one", True),
    ("Boost this post", True),
    ("Notre adresse : 3 rue des Lilas", False),  # "ad" inside a word
    (QUIET, False),
]


@pytest.mark.parametrize(("text", "warned"), PAID_CASES)
def test_paid_advertising_words(text: str, warned: bool) -> None:
    findings = check_post(text, ctx(CALM))
    assert [(f.rule, f.action) for f in findings if f.rule == "paid"] == (
        [("paid", "warn")] if warned else []
    )


CONSENT_CASES = [
    ("Merci à Léa Dupré pour son aide", ["Léa Dupré"]),
    ("Merci à LEA DUPRE et à jean martin !", ["Léa Dupré", "Jean Martin"]),
    ("Merci à Léa pour son aide", []),  # a first name alone
    ("Jean Martinez était là", []),  # word boundaries
    ("Zoé a tracté", []),  # a one-word name is not a full name
    ("Léa Dupré, Léa Dupré", ["Léa Dupré"]),  # once per person
    ("Bravo à Jean-Martin !", ["Jean Martin"]),  # punctuation folded like the name
    ("Bravo (jean martin) !", ["Jean Martin"]),
]


@pytest.mark.parametrize(("text", "names"), CONSENT_CASES)
def test_member_full_names(text: str, names: list[str]) -> None:
    findings = check_post(text, ctx(CALM, member_names=MEMBERS))
    consent = [f for f in findings if f.rule == "consent"]
    assert [f.detail for f in consent] == names
    assert all(f.action == "confirm" and "point 7" in f.article for f in consent)


def test_images_ask_for_image_rights() -> None:
    assert rules(check_post(QUIET, ctx(CALM, has_images=True))) == {("image_rights", "confirm")}
    assert check_post(QUIET, ctx(CALM, has_images=False)) == []


# --- Confirmations ------------------------------------------------------------------------


CONFIRM_CASES = [
    # (confirmed, remaining rules) for a post with images and a member's name, on polling day 10:00
    (frozenset(), {"silence", "results", "polemic", "consent", "image_rights", "appeal", "paid"}),
    (frozenset({"silence"}), {"results", "polemic", "consent", "image_rights", "appeal", "paid"}),
    (frozenset({"silence", "results"}), {"polemic", "consent", "image_rights", "appeal", "paid"}),
    (frozenset(RULES), {"appeal", "paid"}),  # block and warn are never dropped
]


@pytest.mark.parametrize(("confirmed", "remaining"), CONFIRM_CASES)
def test_confirmed_rules_drop_but_block_never(confirmed: frozenset[str], remaining: set[str]) -> None:
    text = "Boostons ce post ! Faites un don. Merci à Jean Martin."
    context = ctx(
        paris(2026, 3, 15, 10, 0),
        financing_names=FINANCING,
        member_names=MEMBERS,
        has_images=True,
        confirmed=confirmed,
    )
    assert {f.rule for f in check_post(text, context)} == remaining


# --- Properties ---------------------------------------------------------------------------

instants = st.datetimes(
    min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC)
)
days = st.lists(st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), max_size=4)


@given(instants, days)
def test_silence_matches_the_wall_clock(when: datetime, election_days: list[date]) -> None:
    """In silence exactly when the Paris wall clock says the eve, or polling day before 20:00."""
    local = when.astimezone(PARIS)
    expected = [
        d
        for d in sorted(election_days)
        if local.date() == d - timedelta(days=1) or (local.date() == d and local.time() < time(20, 0))
    ]
    assert silence_day(when, election_days, PARIS) == (expected[0] if expected else None)
    held = results_hold_until(when, election_days, PARIS)
    on_day = local.date() in election_days and local.time() < time(20, 0)
    assert (held is not None) == on_day
    if held is not None:
        assert held > when and held.astimezone(PARIS).time() == time(20, 0)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)))
def test_silence_window_shape(day: date) -> None:
    start, end = silence_window(day, PARIS)
    assert start.astimezone(PARIS).replace(tzinfo=None) == datetime.combine(day - timedelta(days=1), time(0))
    assert end.astimezone(PARIS).replace(tzinfo=None) == datetime.combine(day, time(20))
    assert timedelta(hours=43) <= end.astimezone(UTC) - start.astimezone(UTC) <= timedelta(hours=45)


@given(instants, st.sets(st.sampled_from(RULES)), st.booleans())
def test_confirmation_only_drops_its_rule(when: datetime, confirmed: set[str], images: bool) -> None:
    text = "Faites un don ! Sponsorisons. Merci Léa Dupré."
    base = ctx(when, member_names=MEMBERS, has_images=images)
    everything = check_post(text, base)
    kept = check_post(
        text, ctx(when, member_names=MEMBERS, has_images=images, confirmed=frozenset(confirmed))
    )
    assert kept == [f for f in everything if f.action in ("block", "warn") or f.rule not in confirmed]
    assert [f for f in kept if f.action == "block"] == [f for f in everything if f.action == "block"]


filler = st.text(alphabet="abcdefghijkmopqrstuvwxyz ,.!", max_size=40)
APPEALS = ["Faites un don", "soutenez-nous financièrement", "Participez au financement", "cagnotte", "donate"]


@given(filler, st.sampled_from(APPEALS), filler, st.booleans())
def test_appeal_passes_only_with_the_names(before: str, appeal: str, after: str, upper: bool) -> None:
    named = f"{before} {appeal} {after} — {FINANCING[0]} ({LISTS[0]})"
    text = named.upper() if upper else named
    findings = check_post(text, ctx(CALM, financing_names=FINANCING, list_names=LISTS))
    assert not [f for f in findings if f.rule == "appeal"]
    bare = f"{before} {appeal} {after}"  # the filler has no "l", "n" can't spell the names
    blocked = check_post(bare, ctx(CALM, financing_names=FINANCING, list_names=LISTS))
    assert [f.action for f in blocked if f.rule == "appeal"] == ["block"]

"""Property tests for domain/dates.py: whatever is typed, parse_when answers None or a future moment."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.dates import format_when, parse_when, parse_when_detailed

PARIS = ZoneInfo("Europe/Paris")

NOWS = st.datetimes(
    min_value=datetime(2000, 1, 1),
    max_value=datetime(2090, 12, 31),
    timezones=st.sampled_from(
        [
            PARIS,
            UTC,
            ZoneInfo("America/New_York"),
            ZoneInfo("Pacific/Kiritimati"),
            timezone(timedelta(hours=-12)),
        ]
    ),
)

# Words the parser knows, so random combinations reach its deeper paths (contradictions, ranges,
# minuit, durations, DST) rather than stopping at "nothing recognised".
VOCAB = [
    "lundi",
    "vendredi",
    "sam",
    "dim.",
    "jeudi",
    "prochain",
    "en huit",
    "de la semaine prochaine",
    "demain",
    "après-demain",
    "aujourd'hui",
    "ce soir",
    "matin",
    "midi",
    "minuit",
    "après-midi",
    "soir",
    "et demi",
    "moins le quart",
    "du soir",
    "du matin",
    "14h",
    "14h30",
    "2h30",
    "9",
    "12",
    "31",
    "0",
    "le",
    "1er",
    "déc.",
    "décembre",
    "mars",
    "octobre",
    "avril",
    "29",
    "25",
    "2026",
    "2027",
    "26",
    "/",
    ".",
    "-",
    ":",
    "à",
    "de",
    "entre",
    "et",
    "dans",
    "jours",
    "heures",
    "semaines",
    "minutes",
    "quinze",
    "deux",
    "30",
    "8pm",
    "am",
    "next",
    "friday",
    "tomorrow",
    "in",
    "hours",
    "hier",
    "dernier",
    "prochainement",
    "week-end",
    "T",
    "Z",
    "+01:00",
    "2026-03-29",
    "2026-10-25",
    "04/12/2026",
    "4.12",
    "24h",
    "999999",
    "𝟏𝟒h",
    "١٤",
    "\u00a0",
    "ﬁn",
    "ǅ",
]
PHRASES = st.lists(st.sampled_from(VOCAB), max_size=12).map(" ".join)
TEXTS = st.one_of(
    st.text(max_size=60),
    st.text(min_size=150, max_size=260),
    st.text(min_size=4000, max_size=6000),
    PHRASES,
    st.builds(lambda a, b: a + b, PHRASES, st.text(max_size=20)),
)


def _check(text: str, now: datetime) -> None:
    result = parse_when(text, now)
    assert result is None or (result.tzinfo is PARIS and result > now)
    detailed = parse_when_detailed(text, now)
    assert (detailed is None) == (result is None)
    if detailed is not None:
        assert detailed.start == result
        assert detailed.end is None or detailed.end > detailed.start
        assert detailed.end is None or detailed.has_time
        if not detailed.has_time:
            assert (detailed.start.hour, detailed.start.minute) == (0, 0)
        # Whatever is parsed can be said back.
        assert format_when(detailed.start, "fr", detailed.has_time, now=now)
        assert format_when(detailed.start, "en", detailed.has_time, now=now)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXTS, now=NOWS)
def test_never_raises_and_is_future(text: str, now: datetime) -> None:
    _check(text, now)


@settings(max_examples=200, deadline=None)
@given(
    text=PHRASES,
    now=st.sampled_from(
        [
            datetime(2026, 3, 28, 23, 30, tzinfo=PARIS),
            datetime(2026, 10, 25, 2, 30, fold=0, tzinfo=PARIS),
            datetime(2026, 10, 25, 2, 30, fold=1, tzinfo=PARIS),
            datetime(2026, 12, 31, 23, 59, tzinfo=PARIS),
            datetime(2026, 11, 26, 10, 0, tzinfo=PARIS),
        ]
    ),
)
def test_never_raises_around_clock_changes_and_year_end(text: str, now: datetime) -> None:
    _check(text, now)

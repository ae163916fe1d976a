"""Length rules per channel and cutting to fit (pure functions)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.communication import limits
from domain.communication.limits import ELLIPSIS, fit, fits, length

FAMILY = "👩\u200d👩\u200d👧\u200d👦"  # 7 code points, one grapheme
THUMB = "👍🏽"  # skin tone modifier
FLAG = "🇫🇷"  # two regional indicators
KEYCAP = "1\ufe0f\u20e3"
E_COMBINING = "e\u0301"  # é as e + combining acute accent
LONG_URL = "https://anld.fr/evenements/2026/03/reunion-publique-montreuil?utm_source=bot&x=1"


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("", 0),
        ("abc", 3),
        (FAMILY, 1),
        (THUMB, 1),
        (FLAG, 1),
        (KEYCAP, 1),
        (E_COMBINING, 1),
        (FAMILY + THUMB + FLAG, 3),
        ("Réunion 👩\u200d💻 !", 11),
        ("日本語", 3),
    ],
)
def test_graphemes(text: str, count: int) -> None:
    assert limits.grapheme_count(text) == count
    assert length("bluesky", text) == count


@pytest.mark.parametrize(
    ("text", "weighted"),
    [
        ("Bonjour", 7),
        ("é à ç œ", 7),  # Latin-1 and Latin Extended: weight 1
        ("日本語", 6),  # CJK: 2 each
        (FAMILY, 2),  # one emoji, whatever its code points
        (THUMB + FLAG, 4),
        ("…", 2),  # U+2026 is outside twitter-text's light ranges
        ("“citation” – tiret", 18),  # U+2010-U+201F weigh 1
        (LONG_URL, 23),
        ("https://a.fr", 23),  # short URLs count 23 too
        (f"Voir {LONG_URL}.", 5 + 23 + 1),  # the final dot is not part of the URL
        ("site anld.fr et www.anld.fr/agenda", 5 + 23 + 4 + 23),  # bare domains are links on X
        ("(voir https://fr.wikipedia.org/wiki/Paris_(France))", 1 + 5 + 23 + 1),
    ],
)
def test_x_weighted_length(text: str, weighted: int) -> None:
    assert limits.x_length(text) == weighted


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Bonjour", 7),
        (LONG_URL, 23),
        (f"Lien : {LONG_URL} !", 7 + 23 + 2),
        ("anld.fr", 7),  # Mastodon only shortens URLs with a scheme
        ("merci @alice@mastodon.social", 12),  # a remote mention counts its local part
        (FAMILY + E_COMBINING, 2),
    ],
)
def test_mastodon_length(text: str, count: int) -> None:
    assert limits.mastodon_length(text) == count


def test_telegram_counts_utf16_and_caption_limit() -> None:
    assert length("telegram", "😀") == 2
    assert limits.limit("telegram") == 4096
    assert limits.limit("telegram", has_media=True) == 1024
    assert fits("telegram", "a" * 1024, has_media=True)
    assert not fits("telegram", "a" * 1025, has_media=True)


def test_limits_per_channel() -> None:
    assert limits.limit("x") == 280
    assert limits.limit("bluesky") == 300
    assert limits.limit("mastodon") == 500
    assert limits.limit("facebook") == 63206
    assert limits.limit("wordpress") is None
    assert fits("wordpress", "a" * 100_000)
    with pytest.raises(ValueError):
        limits.limit("myspace")


def test_bluesky_300_emoji_families_fit_301_do_not() -> None:
    assert fits("bluesky", FAMILY * 300) is False  # 300 graphemes, but 7500 bytes > 3000
    assert fits("bluesky", FLAG * 300)  # 2400 bytes
    assert not fits("bluesky", FLAG * 301)


def test_fit_leaves_a_fitting_text_alone() -> None:
    assert fit("x", "Court et clair.") == ("Court et clair.", False)


def test_fit_cuts_at_a_word_boundary_with_ellipsis() -> None:
    text = "Rendez-vous samedi devant la mairie pour distribuer les tracts de la campagne " * 5
    cut, was_cut = fit("bluesky", text)
    assert was_cut and cut.endswith(ELLIPSIS)
    assert limits.bluesky_length(cut) <= 300
    body = cut[: -len(ELLIPSIS)]
    assert text.startswith(body)
    assert text[len(body)] == " "  # the cut falls between two words
    assert not body.endswith(" ")


def test_fit_drops_trailing_punctuation_before_the_ellipsis() -> None:
    cut, was_cut = fit("mastodon", "Un, deux, trois, " + "mot " * 200, max_length=12)
    assert was_cut and cut == "Un, deux…"


def test_fit_never_splits_a_url() -> None:
    text = "Inscriptions ouvertes " + "x" * 240 + " " + LONG_URL + " merci"
    cut, was_cut = fit("x", text)
    assert was_cut
    assert LONG_URL not in cut and "https" not in cut  # the URL did not fit whole: cut before it
    assert limits.x_length(cut) <= 280


def test_fit_keeps_a_url_that_fits_whole() -> None:
    text = "Programme : " + LONG_URL + " " + "et encore des mots " * 30
    cut, was_cut = fit("x", text)
    assert was_cut and LONG_URL in cut and limits.x_length(cut) <= 280


def test_fit_cuts_one_long_word_between_graphemes() -> None:
    cut, was_cut = fit("bluesky", FLAG * 400)
    assert was_cut and cut.endswith(ELLIPSIS)
    assert limits.grapheme_count(cut) == 300
    assert cut[: -len(ELLIPSIS)] == FLAG * 299  # no flag split in two regional indicators


def test_fit_mastodon_instance_limit() -> None:
    text = "mot " * 200
    assert fit("mastodon", text)[1]
    assert not fit("mastodon", text, max_length=1000)[1]


@settings(max_examples=150, deadline=None)
@given(
    channel=st.sampled_from(["x", "bluesky", "mastodon", "telegram"]),
    words=st.lists(
        st.sampled_from(
            ["mot", "démocratie", FAMILY, THUMB, "日本", LONG_URL, "anld.fr", "\n", "—", "a" * 40]
        ),
        max_size=120,
    ),
    maximum=st.integers(min_value=5, max_value=300),
)
def test_fit_always_fits_and_keeps_a_prefix(channel: str, words: list[str], maximum: int) -> None:
    text = " ".join(words)
    cut, was_cut = fit(channel, text, max_length=maximum)
    assert fits(channel, cut, max_length=maximum)
    if was_cut:
        assert cut.endswith(ELLIPSIS)
        assert text.startswith(cut[: -len(ELLIPSIS)])
    else:
        assert cut == text

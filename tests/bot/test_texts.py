from __future__ import annotations

import pytest

from bot.commands import COMMANDS
from bot.texts import EN, FR, Html, placeholders, t


def test_every_key_exists_in_both_languages_with_the_same_placeholders() -> None:
    assert set(FR) == set(EN)
    for key in FR:
        assert placeholders(FR[key]) == placeholders(EN[key]), key


def test_every_command_has_a_description() -> None:
    for spec in COMMANDS:
        assert spec.help_key in FR
        # Telegram: 1-256 characters for a command description.
        assert 1 <= len(FR[spec.help_key]) <= 256


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_values_are_escaped_for_telegram_html(lang: str) -> None:
    out = t(lang, "start.done", name="<b>Léa</b> & co")
    assert "&lt;b&gt;Léa&lt;/b&gt; &amp; co" in out
    assert "<b>Léa</b>" not in out


def test_html_marked_values_are_kept() -> None:
    assert "<i>x</i>" in t("fr", "start.done", name=Html("<i>x</i>"))


def test_unknown_language_falls_back_to_french() -> None:
    assert t("de", "cancel.done") == FR["cancel.done"]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_text_is_valid_telegram_html(lang: str) -> None:
    from bot.texts import CATALOG, _Formatter, placeholders
    from sandbox import parse_html

    for _key, template in CATALOG[lang].items():
        # The catalog's own formatter: it reads the plural spec ({count:plural:one:other}).
        filled = _Formatter(lang).format(template, **{name: "2" for name in placeholders(template)})
        parse_html(filled)  # raises like Telegram on a bad tag or a raw < or &


@pytest.mark.parametrize(
    ("lang", "count", "expected"),
    [
        ("fr", 0, "0 personne"),
        ("fr", 1, "1 personne"),
        ("fr", 2, "2 personnes"),
        ("fr", "1 234", "1 234 personnes"),
    ]
    + [("en", 0, "0 people"), ("en", 1, "1 person"), ("en", 2, "2 people")],
)
def test_plural_picks_the_word_by_the_language_rule(
    monkeypatch: pytest.MonkeyPatch, lang: str, count: object, expected: str
) -> None:
    from bot import texts

    monkeypatch.setitem(texts.FR, "test.plural", "{n} {n:plural:personne:personnes}")
    monkeypatch.setitem(texts.EN, "test.plural", "{n} {n:plural:person:people}")
    assert texts.t(lang, "test.plural", n=count) == expected

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
    from bot.texts import CATALOG, placeholders
    from sandbox import parse_html

    for _key, template in CATALOG[lang].items():
        filled = template.format(**{name: "x" for name in placeholders(template)})
        parse_html(filled)  # raises like Telegram on a bad tag or a raw < or &

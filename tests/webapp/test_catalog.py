"""The Mini App's own texts (webapp/static/i18n.js) follow docs/french-style.md like the bot's
catalog: French and English with the same keys and placeholders, no plain space before « : ; ! ? »,
no "(s)", vouvoiement; every key app.js asks for exists, and the screens and states the API
returns all have a text."""

from __future__ import annotations

import json
import re
from pathlib import Path

from webapp.routes import SCREENS

STATIC = Path(__file__).parents[2] / "webapp" / "static"
_ENTRY = re.compile(r'^\s*"?([\w.]+)"?:\s*(?:\n\s*)?("(?:[^"\\]|\\.)*"),?$', re.M)


def catalog() -> dict[str, dict[str, str]]:
    source = (STATIC / "i18n.js").read_text(encoding="utf-8")
    fr_part, en_part = source.split("\n  en: {")
    return {
        lang: {k: json.loads(v) for k, v in _ENTRY.findall(part)}
        for lang, part in (("fr", fr_part), ("en", en_part))
    }


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)", text))


def test_both_languages_have_the_same_keys_and_placeholders() -> None:
    texts = catalog()
    assert len(texts["fr"]) > 80
    assert set(texts["fr"]) == set(texts["en"])
    for key, fr in texts["fr"].items():
        assert placeholders(fr) == placeholders(texts["en"][key]), key


def test_french_typography_and_tone() -> None:
    for key, text in catalog()["fr"].items():
        assert not re.search(r" [:;!?»]", text), key  # a no-break space there, never a plain one
        assert "« " not in text, key
        assert "(s)" not in text, key
        assert not re.search(r"\b(tu|ton|ta|tes|toi)\b", text, re.I), key  # vouvoiement


def test_every_key_the_app_uses_exists() -> None:
    texts = catalog()["fr"]
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    used = {k for k in re.findall(r'\btr\("([\w.]+)"', script) if not k.endswith(".")}
    assert used and used <= set(texts), used - set(texts)
    dynamic = (
        [f"nav.{s}" for s in SCREENS]
        + [f"staffing.{c}" for c in ("red", "amber", "green", "none")]
        + [f"cap.{c}" for c in ("ok", "near", "over")]
        + [f"mine.status.{c}" for c in ("yes", "maybe", "waitlist")]
        + [f"roster.{c}" for c in ("coming", "maybe", "waitlist", "not_coming", "silent")]
    )
    assert set(dynamic) <= set(texts), set(dynamic) - set(texts)

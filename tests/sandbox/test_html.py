"""Telegram-HTML parsing: accepted markup, entities, and Telegram's exact error wording."""

from __future__ import annotations

import pytest

from sandbox import HtmlParseError, parse_html


def test_plain_text_and_entities() -> None:
    plain, entities = parse_html(
        '<b>Gras</b> et <i>italique</i> &amp; <a href="https://ex.org/?a=1&b=2">lien</a>'
    )
    assert plain == "Gras et italique & lien"
    assert entities == [
        {"type": "bold", "offset": 0, "length": 4},
        {"type": "italic", "offset": 8, "length": 8},
        {"type": "text_link", "offset": 19, "length": 4, "url": "https://ex.org/?a=1&b=2"},
    ]


def test_every_supported_tag() -> None:
    markup = (
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>"
        '<span class="tg-spoiler">h</span><tg-spoiler>i</tg-spoiler><code>j</code>'
        '<pre><code class="language-python">k</code></pre><blockquote>l</blockquote>'
        '<blockquote expandable>m</blockquote><tg-emoji emoji-id="5368324170671202286">n</tg-emoji>'
    )
    plain, entities = parse_html(markup)
    assert plain == "abcdefghijklmn"
    assert [e["type"] for e in entities] == [
        "bold",
        "italic",
        "underline",
        "underline",
        "strikethrough",
        "strikethrough",
        "strikethrough",
        "spoiler",
        "spoiler",
        "code",
        "pre",
        "blockquote",
        "expandable_blockquote",
        "custom_emoji",
    ]
    pre = next(e for e in entities if e["type"] == "pre")
    assert pre["language"] == "python"


def test_offsets_are_utf16_and_references_decode() -> None:
    plain, entities = parse_html("😀 <b>x</b> &lt;&gt;&quot;&#233;&#x41;")
    assert plain == '😀 x <>"éA'
    assert entities == [{"type": "bold", "offset": 3, "length": 1}]


def test_nested_and_uppercase_tags() -> None:
    plain, entities = parse_html("<B>a<I>b</I></B>")
    assert plain == "ab"
    assert {"type": "italic", "offset": 1, "length": 1} in entities


@pytest.mark.parametrize(
    ("markup", "error"),
    [
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("ligne<br>suivante", 'Unsupported start tag "br" at byte offset 5'),
        ("<b>gras", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ("<span>s</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("é<div>", 'Unsupported start tag "div" at byte offset 2'),
    ],
)
def test_errors_use_telegram_wording(markup: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as caught:
        parse_html(markup)
    assert str(caught.value) == error


def test_bare_ampersand_is_strict_by_default() -> None:
    with pytest.raises(HtmlParseError, match=r'Character "&" at byte offset 4 is not escaped'):
        parse_html("Tom & Jerry")
    # What Telegram itself does: keep it literally.
    assert parse_html("Tom & Jerry", strict=False) == ("Tom & Jerry", [])

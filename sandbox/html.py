"""Telegram-HTML parsing: the subset of HTML that Bot API's parse_mode=HTML accepts.

It follows tdlib's parser (td/telegram/MessageEntity.cpp) closely enough that markup
Telegram rejects is rejected here with the same wording, and markup it accepts
yields the same plain text and entities (offsets and lengths in UTF-16 code units).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.text import utf16_len

SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)

_SIMPLE_ENTITY = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "code": "code",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class HtmlParseError(ValueError):
    """Markup that Telegram answers with "Bad Request: can't parse entities: <message>"."""


@dataclass
class _Open:
    tag: str
    argument: str
    offset: int  # UTF-16 offset in the plain text where the entity starts


def decode_entity(text: str, pos: int) -> tuple[str | None, int]:
    """Decode the character reference at ``text[pos] == "&"`` like tdlib does.

    Returns (character, position after it) or (None, pos) when it is no valid reference:
    Telegram then keeps the "&" literally. The trailing ";" is optional, as in tdlib.
    """
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        value = 0
        digits = 0
        if end < n and text[end] == "x":
            end += 1
            while end < n and text[end] in "0123456789abcdefABCDEF":
                value = value * 16 + int(text[end], 16)
                end += 1
                digits += 1
                if value >= 0x10FFFF:
                    return None, pos
        else:
            while end < n and text[end].isdigit() and text[end].isascii():
                value = value * 10 + int(text[end])
                end += 1
                digits += 1
                if value >= 0x10FFFF:
                    return None, pos
        if digits == 0 or value == 0 or 0xD800 <= value <= 0xDFFF:
            return None, pos
        char = chr(value)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        named = _NAMED_ENTITIES.get(text[pos + 1 : end])
        if named is None:
            return None, pos
        char = named
    if end < n and text[end] == ";":
        end += 1
    return char, end


def parse_html(text: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram HTML into (plain text, entities).

    With ``strict`` (the sandbox default) a bare "&" that starts no character reference is
    an error too. Telegram itself shows such an "&" literally, but in a bot it nearly always
    means user input was not passed through html.escape(), which breaks as soon as the
    input contains "<", so the sandbox reports it early.
    """
    out: list[str] = []
    pos16 = 0
    stack: list[_Open] = []
    entities: list[dict[str, Any]] = []
    n = len(text)
    i = 0

    def byte_offset(index: int) -> int:
        return len(text[:index].encode("utf-8"))

    while i < n:
        c = text[i]
        if c == "&":
            char, after = decode_entity(text, i)
            if char is not None:
                out.append(char)
                pos16 += utf16_len(char)
                i = after
                continue
            if strict:
                raise HtmlParseError(
                    f'Character "&" at byte offset {byte_offset(i)} is not escaped; use "&amp;" '
                    "(sandbox strict_html: Telegram would show it literally)"
                )
        if c != "<":
            out.append(c)
            pos16 += utf16_len(c)
            i += 1
            continue

        begin = i
        i += 1
        if i < n and text[i] == "/":
            # An end tag closes the innermost open tag.
            if not stack:
                raise HtmlParseError(f"Unexpected end tag at byte offset {byte_offset(begin)}")
            i += 1
            name_start = i
            while i < n and not text[i].isspace() and text[i] != ">":
                i += 1
            end_name = text[name_start:i].lower()
            while i < n and text[i].isspace():
                i += 1
            if i >= n or text[i] != ">":
                raise HtmlParseError(f"Unclosed end tag at byte offset {byte_offset(begin)}")
            i += 1
            top = stack.pop()
            if end_name and end_name != top.tag:
                raise HtmlParseError(
                    f"Unmatched end tag at byte offset {byte_offset(begin)}, "
                    f'expected "</{top.tag}>", found "</{end_name}>"'
                )
            entity = _make_entity(top, pos16 - top.offset)
            if entity is not None:
                entities.append(entity)
            continue

        name_start = i
        while i < n and not text[i].isspace() and text[i] != ">":
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        tag = text[name_start:i].lower()
        if tag not in SUPPORTED_TAGS:
            raise HtmlParseError(f'Unsupported start tag "{tag}" at byte offset {byte_offset(begin)}')
        argument, i = _parse_attributes(text, i, tag, begin, byte_offset)
        if tag == "span" and argument != "spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset(begin)}'
            )
        stack.append(_Open(tag, argument, pos16))

    if stack:
        raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1].tag}"')
    return "".join(out), _merge_pre_code(entities)


def _parse_attributes(text: str, i: int, tag: str, begin: int, byte_offset: Any) -> tuple[str, int]:
    """Read the attributes of a start tag from ``i``; return (argument, index after ">")."""
    n = len(text)
    argument = ""
    while True:
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        if text[i] == ">":
            return argument, i + 1
        attr_start = i
        while i < n and not text[i].isspace() and text[i] not in "=>":
            i += 1
        name = text[attr_start:i].lower()
        if not name:
            raise HtmlParseError(
                f'Empty attribute name in the tag "{tag}" at byte offset {byte_offset(begin)}'
            )
        while i < n and text[i].isspace():
            i += 1
        if i >= n or text[i] != "=":
            if tag == "blockquote" and name == "expandable":
                # The only attribute Telegram accepts without a value.
                argument = "1"
                continue
            raise HtmlParseError(
                f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                f"at byte offset {byte_offset(begin)}"
            )
        i += 1
        while i < n and text[i].isspace():
            i += 1
        if i >= n:
            raise HtmlParseError(f'Unclosed start tag "{tag}" at byte offset {byte_offset(begin)}')
        if text[i] in "'\"":
            quote = text[i]
            i += 1
            chars: list[str] = []
            while i < n and text[i] != quote:
                if text[i] == "&":
                    char, after = decode_entity(text, i)
                    if char is not None:
                        chars.append(char)
                        i = after
                        continue
                chars.append(text[i])
                i += 1
            if i < n:
                i += 1
            value = "".join(chars)
        else:
            token_start = i
            while i < n and (text[i].isalnum() or text[i] in ".-"):
                i += 1
            value = text[token_start:i].lower()
            if i < n and not text[i].isspace() and text[i] != ">":
                raise HtmlParseError(
                    f"Unexpected end of name token at byte offset {byte_offset(token_start)}"
                )
        if i >= n:
            raise HtmlParseError(f"Unclosed start tag at byte offset {byte_offset(begin)}")
        if tag == "a" and name == "href":
            argument = value
        elif tag == "code" and name == "class" and value.startswith("language-"):
            argument = value[len("language-") :]
        elif tag == "span" and name == "class" and value.startswith("tg-"):
            argument = value[len("tg-") :]
        elif tag == "tg-emoji" and name == "emoji-id":
            argument = value


def _make_entity(opened: _Open, length: int) -> dict[str, Any] | None:
    if length <= 0:
        return None  # Telegram drops empty entities
    base: dict[str, Any] = {"offset": opened.offset, "length": length}
    tag, arg = opened.tag, opened.argument
    if tag in _SIMPLE_ENTITY:
        entity = {"type": _SIMPLE_ENTITY[tag], **base}
        if tag == "code" and arg:
            entity["language"] = arg  # kept only if it merges into an enclosing <pre>
        return entity
    if tag == "a":
        return {"type": "text_link", **base, "url": arg} if arg else None
    if tag == "pre":
        return {"type": "pre", **base, **({"language": arg} if arg else {})}
    if tag == "blockquote":
        return {"type": "expandable_blockquote" if arg else "blockquote", **base}
    if tag == "tg-emoji":
        return {"type": "custom_emoji", **base, "custom_emoji_id": arg} if arg else None
    return None


def _merge_pre_code(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``<pre><code class="language-x">`` is one pre entity with a language, as in Telegram."""
    pres = {(e["offset"], e["length"]): e for e in entities if e["type"] == "pre"}
    merged: list[dict[str, Any]] = []
    for entity in entities:
        if entity["type"] == "code" and "language" in entity:
            language = entity.pop("language")
            pre = pres.get((entity["offset"], entity["length"]))
            if pre is not None:
                pre.setdefault("language", language)
                continue
        merged.append(entity)
    return sorted(merged, key=lambda e: (e["offset"], -e["length"]))

"""Cleaning of email bodies: quoted history, signatures and footers set aside, forwards marked.

`split_body` returns the parts; `clean_body` is the excerpt shown to the activist.
Every function accepts anything (None, bytes, HTML, 1 MB) and never raises.
"""

from __future__ import annotations

import html
import quopri
import re
from dataclasses import dataclass, field

from domain.text import fold_ascii, lazy_compile
from domain.triage.text import MAX_RAW_CHARS

FORWARD_MARK = "[transféré]"


@dataclass
class BodyParts:
    main: str = ""  # what the sender writes now
    forwarded: str = ""  # forwarded content (headers marked), kept
    forwarded_headers: str = ""  # De/Objet lines of the forwarded message(s)
    quoted: str = ""  # earlier messages of the thread, set aside
    signature: str = ""  # signature, phone lines, legal footers, set aside
    notes: list[str] = field(default_factory=list)


def to_text(value: object) -> str:
    """Any body value as text: bytes decoded, mojibake and quoted-printable repaired, HTML flattened."""
    if value is None:
        return ""
    if isinstance(value, bytes | bytearray):
        raw = bytes(value[: MAX_RAW_CHARS * 2])
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252", errors="replace")
    elif isinstance(value, str):
        text = value
    else:
        text = str(value)
    text = text[:MAX_RAW_CHARS]
    text = text.replace("\x00", " ")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _fix_quoted_printable(text)
    text = _fix_mojibake(text)
    if _HTML_HINT.search(text):
        text = html_to_text(text)
    elif "&" in text and _ENTITY.search(text):
        text = html.unescape(text)
    return text


_MOJIBAKE = lazy_compile("[ÃÂ][\u0080-\u00bf€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]")


def _fix_mojibake(text: str) -> str:
    if not _MOJIBAKE.search(text):
        return text
    for encoding in ("cp1252", "latin-1"):
        try:
            fixed = text.encode(encoding).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return fixed
    # Partial repair of the commonest pairs when the whole text does not round-trip.
    return _MOJIBAKE.sub(lambda m: _repair_pair(m.group()), text)


def _repair_pair(pair: str) -> str:
    try:
        return pair.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return pair


_QP = lazy_compile(r"=[0-9A-F]{2}")


def _fix_quoted_printable(text: str) -> str:
    if len(_QP.findall(text[:5000])) < 3:
        return text
    try:
        decoded = quopri.decodestring(text.encode("utf-8", errors="replace")).decode(
            "utf-8", errors="replace"
        )
    except (ValueError, UnicodeError):
        return text
    return decoded


_HTML_HINT = lazy_compile(
    r"<\s*(?:html|body|div|p|br|table|span|td|blockquote|a\s|font|meta|head|style)\b", re.I
)
_ENTITY = lazy_compile(r"&(?:[a-z]{2,8}|#\d{2,5});", re.I)
_HTML_DROP = lazy_compile(r"<(script|style|head|title)\b[^>]*>.*?</\1\s*>", re.I | re.S)
_HTML_QUOTE = lazy_compile(
    r"<blockquote\b[^>]*>.*?</blockquote\s*>|<div[^>]*class=\"?[^\">]*(?:gmail_quote|moz-cite-prefix|OutlookMessageHeader)[^>]*>.*",
    re.I | re.S,
)
_HTML_BREAK = lazy_compile(r"<\s*(?:br|/p|/div|/tr|/li|/h\d|p|li|tr|h\d)\b[^>]*>", re.I)
_HTML_TAG = lazy_compile(r"<[^>]{0,2000}>")


def html_to_text(markup: str) -> str:
    """Flatten HTML to text; blockquotes (quoted replies) become '>' lines."""
    text = _HTML_DROP.sub(" ", markup)
    text = _HTML_QUOTE.sub(lambda m: "\n" + _quote_lines(m.group()) + "\n", text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_TAG.sub("", text)
    text = html.unescape(text)
    text = re.sub(r"[ \t\u00a0]+", " ", text)
    text = re.sub(r"\n\s*\n\s*(\n\s*)+", "\n\n", text)
    return text.strip()


def _quote_lines(fragment: str) -> str:
    inner = _HTML_BREAK.sub("\n", fragment)
    inner = html.unescape(_HTML_TAG.sub("", inner))
    return "\n".join("> " + line for line in inner.split("\n") if line.strip())


# --- line patterns (matched on the folded line) ---------------------------------------------

_FORWARD_START = lazy_compile(
    r"^\s*(?:-{2,}\s*)?(?:forwarded message|message transfere|message d'origine transfere|debut du message reexpedie"
    r"|begin forwarded message|message reexpedie|original message forwarded|-+ ?transfere)\s*:?\s*(?:-{2,})?\s*$"
)
_ORIGINAL_START = lazy_compile(
    r"^\s*-{2,}\s*(?:original message|message d'origine|message original|reply message|mensaje original)\s*-{2,}\s*$"
)
_REPLY_HEADER = lazy_compile(r"^\s*(?:le|on|am|el)\s.{4,200}(?:a ecrit|wrote|schrieb|escribio)\s*:?\s*$")
_REPLY_HEADER_START = lazy_compile(r"^\s*(?:le|on)\s.*\d.*$")
_REPLY_HEADER_END = lazy_compile(r"(?:a ecrit|wrote)\s*:\s*$")
_HEADER_LINE = lazy_compile(
    r"^\s*\*?(?:de|from|envoye|sent|date|a|to|cc|objet|subject|pour|reply-to)\s*\*?\s*:\s*"
)
_OUTLOOK_FROM = lazy_compile(r"^\s*\*?(?:de|from)\s*\*?\s*:\s*\S")
_OUTLOOK_NEXT = lazy_compile(r"^\s*\*?(?:envoye|sent|date|a|to|objet|subject)\s*\*?\s*:")
_SIG_DASHES = lazy_compile(r"^(?:--\s*|_{5,}\s*|-{5,}\s*)$")
_CLOSING = lazy_compile(
    r"^\s*(?:(?:tres |bien |tres bien |bien tres |avec mes |mes |nos |sinceres |meilleures? |bonne |belle |"
    r"en vous remerciant,? )?"
    r"(?:cordialement|cordiales salutations|salutations(?: distinguees| militantes| citoyennes| republicaines)?"
    r"|cdlt|bien a vous|bien a toi|amicalement|amities|bises|bisous|a bientot|a tres vite|a plus|"
    r"best(?: regards| wishes)?|regards|kind regards|warm regards|sincerely|cheers|thanks|many thanks|"
    r"merci(?: beaucoup| d'avance| par avance| encore| a vous| bien| pour votre retour| de votre retour"
    r"| pour votre reponse| de votre reponse| d'avance pour votre retour| d'avance pour votre reponse)?|"
    r"journee|soiree|continuation|au plaisir|solidairement|fraternellement|militamment|bonne journee|"
    r"bonne soiree|sinceres salutations|respectueusement|veuillez agreer.*|je vous prie d'agreer.*"
    r"|recevez.*salutations.*)[ ,.!:)]*)$"
)
_PHONE = lazy_compile(
    r"^\s*(?:(?:tel|tel\.|telephone|tel portable|portable|port|mob|mobile|gsm|fixe|phone|fax|t|m)\s*[.:]?\s*)?"
    r"(?:\+|00)?[\d][\d .()/-]{7,}(?:x{2}[ .]?)*[\dx .]*$"
)
_PHONE_LABELLED = lazy_compile(r"^\s*(?:tel|telephone|portable|mobile|mob|gsm|phone|fax)\b\s*[.:]")
_CONTACT_LINE = lazy_compile(r"^\s*(?:https?://|www\.)\S+\s*$|^\s*[\w.+-]+@[\w-]+\.[\w.]+\s*$")
_FOOTER = lazy_compile(
    r"(?:ce (?:message|mail|courriel|e-mail)(?: et (?:toutes )?(?:les|ses) pieces jointes)? (?:est|sont|peut)"
    r"|this (?:e-?mail|message)(?: and any attachments?)? (?:is|are|may) (?:confidential|intended)"
    r"|pensez a l'environnement|please consider the environment|avant d'imprimer"
    r"|envoye (?:de|depuis) mon |sent from my |garanti sans virus|virus-free|www\.avast\.com"
    r"|obtenir outlook pour|get outlook for|envoye a partir de|vous recevez (?:cet|ce) (?:e-?mail|message|courriel)"
    r"|pour vous desinscrire|se desinscrire de (?:cette|notre)|ne plus recevoir nos|unsubscribe from"
    r"|conformement (?:au|a la) (?:rgpd|reglement general).{0,80}(?:disposez|droit)"
    r"|if you are not the intended recipient|si vous n'etes pas (?:le )?destinataire)"
)


def split_body(body: object, subject: str = "") -> BodyParts:
    """Split a body into what the sender writes, forwarded content, quoted history and signature."""
    text = to_text(body)
    parts = BodyParts()
    if not text.strip():
        return parts
    is_forward_subject = bool(re.match(r"^\s*(?:tr|fwd?|transf|fw)\s*:", fold_ascii(subject or "")))
    lines = text.split("\n")
    if len(lines) > 3000:
        lines = lines[:3000]
    main: list[str] = []
    forwarded: list[str] = []
    fwd_headers: list[str] = []
    quoted: list[str] = []
    signature: list[str] = []
    section = "main"  # main | forward_headers | forward | quoted | signature | footer
    sig_origin = "main"
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        line = raw.rstrip()
        low = fold_ascii(line)
        stripped = low.strip()
        i += 1
        # Forward marker: always opens a forwarded block, even after a signature.
        if _FORWARD_START.match(stripped) or re.match(r"^-{3,}.*(?:forwarded|transfere).*-{3,}$", stripped):
            section = "forward_headers"
            forwarded.append("")
            continue
        if section in ("quoted", "footer"):
            if section == "quoted":
                quoted.append(line)
            else:
                signature.append(line)
            continue
        if stripped.startswith(">"):
            if section in ("forward", "forward_headers") and _forward_body_is_quoted(forwarded):
                forwarded.append(line.lstrip("> ").rstrip())
            else:
                quoted.append(line)
            continue
        if _ORIGINAL_START.match(stripped):
            if is_forward_subject and section == "main":
                section = "forward_headers"
                forwarded.append("")
            else:
                section = "quoted"
            continue
        if section in ("main", "signature", "forward") and _is_reply_header(lines, i - 1):
            # "Le jeu. 26 nov. 2026 à 08:00, X <x@y> a écrit :" (possibly on two lines)
            header = line.strip()
            if not stripped.endswith(":") and i < n:
                header += " " + lines[i].strip()
                i += 1
            section = "quoted"
            quoted.append(header)
            continue
        if section in ("main", "signature") and _OUTLOOK_FROM.match(stripped) and _outlook_block(lines, i):
            section = "forward_headers" if is_forward_subject else "quoted"
            if section == "quoted":
                quoted.append(line)
            else:
                forwarded.append("")
                fwd_headers.append(line.strip())
                forwarded.append(f"{FORWARD_MARK} {line.strip()}")
            continue
        if section == "forward_headers":
            if _HEADER_LINE.match(stripped):
                fwd_headers.append(line.strip())
                forwarded.append(f"{FORWARD_MARK} {line.strip()}")
                continue
            if not stripped:
                continue
            section = "forward"
        if _FOOTER.search(stripped):
            section = "footer"
            signature.append(line)
            continue
        if _SIG_DASHES.match(line.strip() if line.strip() in ("--",) else line) or line == "-- ":
            sig_origin = section if section != "signature" else sig_origin
            section = "signature"
            continue
        if section in ("main", "forward"):
            if _CLOSING.match(stripped) and _rest_is_short(lines, i):
                sig_origin = section
                section = "signature"
                signature.append(line)
                continue
            if (_PHONE_LABELLED.match(stripped) or _PHONE.match(stripped)) and _rest_is_short(lines, i):
                sig_origin = section
                section = "signature"
                signature.append(line)
                continue
            (main if section == "main" else forwarded).append(line)
            continue
        if section == "signature":
            # A long paragraph or a P.S. after the closing: the sender is writing again.
            if re.match(r"^\s*p\.?\s?s\.?\b", stripped) or len(stripped) > 160:
                section = sig_origin
                (main if section == "main" else forwarded).append(line)
            else:
                signature.append(line)
            continue
    main_text = _trim_trailing_signature("\n".join(main), signature)
    parts.main = _squeeze(main_text)
    parts.forwarded = _squeeze("\n".join(forwarded))
    parts.forwarded_headers = "\n".join(fwd_headers)
    parts.quoted = _squeeze("\n".join(quoted))
    parts.signature = _squeeze("\n".join(signature))
    return parts


def _forward_body_is_quoted(forwarded: list[str]) -> bool:
    # Some clients quote the whole forwarded message with '>': keep it as forwarded content.
    return len([x for x in forwarded if x.strip()]) <= 12


def _is_reply_header(lines: list[str], index: int) -> bool:
    line = fold_ascii(lines[index]).strip()
    if _REPLY_HEADER.match(line):
        return True
    if _REPLY_HEADER_START.match(line) and index + 1 < len(lines):
        joined = line + " " + fold_ascii(lines[index + 1]).strip()
        return bool(_REPLY_HEADER.match(joined)) and len(joined) < 300
    return False


def _outlook_block(lines: list[str], index: int) -> bool:
    """After a 'De :' line, is there an Outlook-style header block (Envoyé/Date/Objet)?"""
    window = [fold_ascii(x).strip() for x in lines[index : index + 4]]
    return sum(1 for x in window if _OUTLOOK_NEXT.match(x)) >= 1


def _rest_is_short(lines: list[str], index: int) -> bool:
    """The remaining lines of the section look like a signature: few and short."""
    rest = []
    for line in lines[index : index + 14]:
        low = fold_ascii(line).strip()
        if _FORWARD_START.match(low) or _ORIGINAL_START.match(low) or low.startswith(">"):
            break
        if _REPLY_HEADER_START.match(low) and _REPLY_HEADER_END.search(low):
            break
        if re.match(r"^p\.?\s?s\b", low):
            break  # a post-scriptum: the sender writes again
        if low:
            rest.append(low)
    if len(rest) > 9:
        return False
    return all(len(x) <= 110 for x in rest)


_NAME_LINE = lazy_compile(r"^[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ýa-zà-ÿ][\w'’.-]*){0,3}[ ,.!]*$")


def _trim_trailing_signature(text: str, signature: list[str]) -> str:
    """Move a final short block (name, title, phone) after a blank line into the signature."""
    stripped = text.rstrip()
    if "\n\n" not in stripped:
        return stripped
    head, _, tail = stripped.rpartition("\n\n")
    tail_lines = [x for x in tail.split("\n") if x.strip()]
    if not tail_lines or len(tail_lines) > 5 or not head.strip():
        return stripped
    if not _NAME_LINE.match(tail_lines[0].strip()):
        return stripped
    if any(len(x) > 80 or x.rstrip().endswith("?") for x in tail_lines):
        return stripped
    signature[:0] = tail_lines
    return head


def _squeeze(text: str) -> str:
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_body(text: object, subject: str = "", max_chars: int = 4000) -> str:
    """The excerpt shown to the activist: no quoted history, no signature; forwards kept and marked."""
    try:
        parts = split_body(text, subject)
    except Exception:  # pragma: no cover - last line of defence, cleaning must never fail
        return to_text(text)[:max_chars] if isinstance(text, str | bytes) else ""
    out = parts.main
    if parts.forwarded:
        out = (out + "\n\n" if out else "") + "---- Message transféré ----\n" + parts.forwarded
    if not out.strip() and parts.quoted:
        out = ""  # nothing new was written
    if len(out) > max_chars:
        out = out[: max_chars - 1].rstrip() + "…"
    return out

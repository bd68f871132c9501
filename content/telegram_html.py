"""Parser for Telegram's HTML parse mode, following TDLib's ``parse_html`` behaviour.

The result is the plain text Telegram would store plus Bot API ``MessageEntity`` dicts whose
offsets and lengths are counted in UTF-16 code units. Errors mimic Telegram's wording, e.g.
``can't parse entities: Unsupported start tag "foo" at byte offset 12``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit, urlunsplit

__all__ = ["ParsedText", "TelegramHTMLError", "parse_html", "trim", "utf16_len"]

_SPACES = " \t\r\n\v\0"
_TRIM_CHARS = " \t\r\n\v\f"
_PLAIN_RUN = re.compile(r"[^<&]+")
_NAME_TOKEN = re.compile(r"[A-Za-z0-9.\-]*")
_ENTITY_LIKE = re.compile(r"&#?[A-Za-z0-9]+;")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_SUPPORTED_TAGS = frozenset(
    {
        "a",
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "tg-spoiler",
        "tg-emoji",
        "span",
        "pre",
        "code",
        "blockquote",
    }
)
_SIMPLE_TYPES = {
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
}
# TDLib's get_type_priority: lower sorts first among entities with equal offset and length.
_PRIORITY = {
    "blockquote": 0,
    "expandable_blockquote": 0,
    "pre": 11,
    "code": 20,
    "text_link": 49,
    "text_mention": 49,
    "bold": 90,
    "italic": 91,
    "underline": 92,
    "strikethrough": 93,
    "spoiler": 94,
    "custom_emoji": 99,
}
_LINK_SCHEMES = frozenset({"http", "https", "tg", "ton", "tonsite"})
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:(?!\d)")
_USER_LINK = re.compile(r"tg://user\?id=(\d{1,19})$", re.IGNORECASE)


class TelegramHTMLError(ValueError):
    """Telegram would reject the text with ``Bad Request: can't parse entities: ...``."""

    def __init__(self, detail: str) -> None:
        """Store the TDLib-style detail; ``str(exc)`` carries the full Telegram wording."""
        super().__init__(f"can't parse entities: {detail}")
        self.detail = detail


@dataclass(frozen=True)
class ParsedText:
    """Plain text plus Bot API entity dicts; ``warnings`` lists tolerated oddities."""

    text: str
    entities: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _OpenTag:
    """A start tag waiting for its end tag."""

    name: str
    argument: str
    utf16_offset: int
    text_index: int


def utf16_len(s: str) -> int:
    """Length of ``s`` in UTF-16 code units (how Telegram counts entity offsets)."""
    return len(s.encode("utf-16-le")) // 2


def _byte_offset(text: str, pos: int) -> int:
    """UTF-8 byte offset of character index ``pos`` in ``text``."""
    return len(text[:pos].encode("utf-8", "surrogatepass"))


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode an HTML entity starting at ``text[pos] == '&'``; None if TDLib keeps it literal."""
    n = len(text)
    end = pos + 1
    if end < n and text[end] == "#":
        end += 1
        hexadecimal = end < n and text[end] == "x"
        if hexadecimal:
            end += 1
        digits_start = end
        allowed = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        while end < n and text[end] in allowed:
            end += 1
        digits = text[digits_start:end]
        if not digits or end - pos >= 10:
            return None
        code = int(digits, 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF:
            return None
        if 0xD800 <= code <= 0xDFFF:
            raise TelegramHTMLError(
                "Text contains invalid Unicode characters after decoding HTML entities, "
                "check for unmatched surrogate code units"
            )
        char = chr(code)
    else:
        while end < n and text[end].isascii() and text[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(text[pos + 1 : end], "")
        if not char:
            return None
    if end < n and text[end] == ";":
        end += 1
    return char, end


def _normalize_link(url: str) -> str | None:
    """Mimic TDLib's check_link: add a default scheme, reject unknown schemes, add root path."""
    url = url.strip()
    if not url:
        return None
    if not _SCHEME.match(url):
        url = "http://" + url
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme in ("http", "https"):
        if not parts.netloc:
            return None
        return urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, parts.fragment))
    return url


class _Parser:
    """Single-pass HTML scanner; one instance per ``parse_html`` call."""

    def __init__(self, text: str) -> None:
        """Prepare the scanner state."""
        self.src = text
        self.n = len(text)
        self.out: list[str] = []
        self.out_len = 0  # characters appended to ``out`` (code points)
        self.utf16 = 0
        self.stack: list[_OpenTag] = []
        self.entities: list[dict] = []
        self.warnings: list[str] = []

    def error(self, message: str) -> TelegramHTMLError:
        """Build the exception for ``message``."""
        return TelegramHTMLError(message)

    def emit(self, chunk: str) -> None:
        """Append plain text to the output and advance the UTF-16 counter."""
        self.out.append(chunk)
        self.out_len += len(chunk)
        self.utf16 += utf16_len(chunk) if not chunk.isascii() else len(chunk)

    def run(self) -> ParsedText:
        """Parse the whole input."""
        src, n, i = self.src, self.n, 0
        while i < n:
            c = src[i]
            if c == "&":
                decoded = _decode_entity(src, i)
                if decoded is None:
                    self._warn_literal_ampersand(i)
                    self.emit("&")
                    i += 1
                else:
                    self.emit(decoded[0])
                    i = decoded[1]
            elif c == "<":
                i = self._end_tag(i) if i + 1 < n and src[i + 1] == "/" else self._start_tag(i)
            else:
                match = _PLAIN_RUN.match(src, i)
                assert match is not None
                self.emit(match.group())
                i = match.end()
        if self.stack:
            name = self.stack[-1].name
            raise self.error(f'Can\'t find end tag corresponding to start tag "{name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"], _PRIORITY.get(e["type"], 50)))
        return ParsedText("".join(self.out), self.entities, self.warnings)

    def _warn_literal_ampersand(self, i: int) -> None:
        """Record an ``&name;`` sequence that Telegram keeps as literal text."""
        match = _ENTITY_LIKE.match(self.src, i)
        if match:
            self.warnings.append(
                f"{match.group()} at byte offset {_byte_offset(self.src, i)} is not decoded"
            )

    def _skip_spaces(self, i: int) -> int:
        """Advance past TDLib whitespace."""
        while i < self.n and self.src[i] in _SPACES:
            i += 1
        return i

    def _start_tag(self, begin: int) -> int:
        """Parse ``<tag attr=...>`` at ``begin``; return the index after ``>``."""
        src, n = self.src, self.n
        i = begin + 1
        while i < n and src[i] not in _SPACES and src[i] != ">":
            i += 1
        offset = _byte_offset(src, begin)
        if i >= n:
            raise self.error(f"Unclosed start tag at byte offset {offset}")
        name = src[begin + 1 : i].lower()
        if name not in _SUPPORTED_TAGS:
            raise self.error(f'Unsupported start tag "{name}" at byte offset {offset}')
        argument = ""
        while True:
            i = self._skip_spaces(i)
            if i >= n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            if src[i] == ">":
                break
            attr_begin = i
            while i < n and src[i] not in _SPACES and src[i] not in "=>":
                i += 1
            attr = src[attr_begin:i].lower()
            if not attr:
                raise self.error(
                    f'Empty attribute name in the tag "{name}" at byte offset {offset}'
                )
            i = self._skip_spaces(i)
            if i >= n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            if src[i] != "=":
                if name == "blockquote" and attr == "expandable":
                    argument = "1"
                    continue
                raise self.error(
                    f'Expected equal sign in declaration of an attribute of the tag "{name}" '
                    f"at byte offset {offset}"
                )
            i = self._skip_spaces(i + 1)
            if i >= n:
                raise self.error(f'Unclosed start tag "{name}" at byte offset {offset}')
            value, i = self._attribute_value(i)
            if i >= n:
                raise self.error(f"Unclosed start tag at byte offset {offset}")
            argument = self._tag_argument(name, attr, value, argument)
        if name == "span" and argument != "spoiler":
            raise self.error(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        self.stack.append(_OpenTag(name, argument, self.utf16, self.out_len))
        return i + 1

    def _attribute_value(self, i: int) -> tuple[str, int]:
        """Read a quoted string or an unquoted name token starting at ``i``."""
        src, n = self.src, self.n
        quote = src[i]
        if quote not in "'\"":
            match = _NAME_TOKEN.match(src, i)
            assert match is not None
            end = match.end()
            if end < n and src[end] not in _SPACES and src[end] != ">":
                raise self.error(
                    f"Unexpected end of name token at byte offset {_byte_offset(src, i)}"
                )
            return match.group().lower(), end
        i += 1
        chars: list[str] = []
        while i < n and src[i] != quote:
            if src[i] == "&":
                decoded = _decode_entity(src, i)
                if decoded is not None:
                    chars.append(decoded[0])
                    i = decoded[1]
                    continue
            chars.append(src[i])
            i += 1
        if i < n:
            i += 1
        return "".join(chars), i

    @staticmethod
    def _tag_argument(name: str, attr: str, value: str, current: str) -> str:
        """Return the tag's argument after seeing attribute ``attr``."""
        if name == "a" and attr == "href":
            return value
        if name == "code" and attr == "class" and value.startswith("language-"):
            return value[len("language-") :]
        if name == "span" and attr == "class" and value.startswith("tg-"):
            return value[len("tg-") :]
        if name == "tg-emoji" and attr == "emoji-id":
            return value
        return current

    def _end_tag(self, begin: int) -> int:
        """Parse ``</tag>`` at ``begin``; return the index after ``>``."""
        src, n = self.src, self.n
        offset = _byte_offset(src, begin)
        if not self.stack:
            raise self.error(f"Unexpected end tag at byte offset {offset}")
        i = begin + 2
        while i < n and src[i] not in _SPACES and src[i] != ">":
            i += 1
        end_name = src[begin + 2 : i].lower()
        i = self._skip_spaces(i)
        if i >= n or src[i] != ">":
            raise self.error(f"Unclosed end tag at byte offset {offset}")
        tag = self.stack.pop()
        if end_name and end_name != tag.name:
            raise self.error(
                f'Unmatched end tag at byte offset {offset}, expected "</{tag.name}>", '
                f'found "</{end_name}>"'
            )
        if self.utf16 > tag.utf16_offset:
            self._add_entity(tag, self.utf16 - tag.utf16_offset)
        return i + 1

    def _add_entity(self, tag: _OpenTag, length: int) -> None:
        """Create the entity for a closed tag (TDLib's rules for pre/code/a/tg-emoji)."""
        offset = tag.utf16_offset
        entities = self.entities
        last = entities[-1] if entities else None
        same_span = last is not None and last["offset"] == offset and last["length"] == length
        entity: dict
        if tag.name in _SIMPLE_TYPES:
            entity = {"type": _SIMPLE_TYPES[tag.name]}
        elif tag.name == "blockquote":
            entity = {"type": "expandable_blockquote" if tag.argument else "blockquote"}
        elif tag.name == "tg-emoji":
            if not tag.argument.isdigit() or int(tag.argument) == 0:
                raise self.error("Invalid custom emoji identifier specified")
            entity = {"type": "custom_emoji", "custom_emoji_id": tag.argument}
        elif tag.name == "a":
            url = tag.argument or "".join(self.out)[tag.text_index :]
            user_link = _USER_LINK.match(url.strip())
            if user_link:
                user = {"id": int(user_link.group(1)), "is_bot": False, "first_name": ""}
                entity = {"type": "text_mention", "user": user}
            else:
                link = _normalize_link(url)
                if link is None:
                    self.warnings.append(f"link {url!r} is not a valid URL; Telegram drops it")
                    return
                entity = {"type": "text_link", "url": link}
        elif tag.name == "pre":
            if same_span and last is not None and last["type"] == "code" and last.get("language"):
                last["type"] = "pre"
                return
            entity = {"type": "pre"}
        else:  # code
            if same_span and last is not None and last["type"] == "pre" and tag.argument:
                last["language"] = tag.argument
                return
            entity = {"type": "code"}
            if tag.argument:
                entity["language"] = tag.argument
        entities.append({"offset": offset, "length": length, **entity})


def parse_html(text: str) -> ParsedText:
    """Parse ``text`` like Telegram's HTML parse mode; raise TelegramHTMLError when it would."""
    parsed = _Parser(text).run()
    for entity in parsed.entities:
        if entity["type"] == "code":
            entity.pop("language", None)
    return parsed


def trim(parsed: ParsedText) -> ParsedText:
    """Strip leading/trailing whitespace like Telegram does on send, fixing entity offsets."""
    text = parsed.text
    stripped = text.strip(_TRIM_CHARS)
    if stripped == text:
        return parsed
    lead = utf16_len(text[: len(text) - len(text.lstrip(_TRIM_CHARS))])
    total = utf16_len(stripped)
    entities = []
    for entity in parsed.entities:
        start = max(entity["offset"] - lead, 0)
        end = min(entity["offset"] + entity["length"] - lead, total)
        if end > start:
            entities.append({**entity, "offset": start, "length": end - start})
    return ParsedText(stripped, entities, parsed.warnings)

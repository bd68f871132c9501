"""Tests for the Telegram HTML parse-mode parser."""

from __future__ import annotations

import html

import pytest
from hypothesis import given
from hypothesis import strategies as st

from content.telegram_html import ParsedText, TelegramHTMLError, parse_html, trim, utf16_len

# Text without lone surrogates (Telegram rejects them) and without NUL.
_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\0"))


def entity(type_: str, offset: int, length: int, **extra: object) -> dict:
    """Build an expected entity dict."""
    return {"type": type_, "offset": offset, "length": length, **extra}


@pytest.mark.parametrize(
    ("tag", "kind"),
    [
        ("b", "bold"),
        ("strong", "bold"),
        ("i", "italic"),
        ("em", "italic"),
        ("u", "underline"),
        ("ins", "underline"),
        ("s", "strikethrough"),
        ("strike", "strikethrough"),
        ("del", "strikethrough"),
        ("tg-spoiler", "spoiler"),
        ("code", "code"),
        ("pre", "pre"),
        ("blockquote", "blockquote"),
    ],
)
def test_simple_tags_map_to_entity_types(tag: str, kind: str) -> None:
    parsed = parse_html(f"ab<{tag}>cd</{tag}>ef")
    assert parsed.text == "abcdef"
    assert parsed.entities == [entity(kind, 2, 2)]


def test_tags_are_case_insensitive_and_empty_end_tag_closes_innermost() -> None:
    assert parse_html("<B>x</B>").entities == [entity("bold", 0, 1)]
    assert parse_html("<b>x</>").entities == [entity("bold", 0, 1)]


def test_nested_entities_are_sorted_by_offset_then_longest_first() -> None:
    parsed = parse_html("<b>bold <i>both</i></b> <u>under</u>")
    assert parsed.text == "bold both under"
    assert parsed.entities == [
        entity("bold", 0, 9),
        entity("italic", 5, 4),
        entity("underline", 10, 5),
    ]


def test_same_span_entities_follow_telegram_type_priority() -> None:
    parsed = parse_html("<i><b>x</b></i>")
    assert [e["type"] for e in parsed.entities] == ["bold", "italic"]


def test_offsets_and_lengths_are_utf16_code_units() -> None:
    parsed = parse_html("😀 <b>é😀x</b>")
    assert parsed.text == "😀 é😀x"
    assert parsed.entities == [entity("bold", 3, 4)]
    assert utf16_len("😀") == 2
    assert utf16_len("é") == 1


def test_named_and_numeric_entities_are_decoded() -> None:
    parsed = parse_html("&lt;a&gt; &amp; &quot;q&quot; &#65;&#x42;&#128512; &lt")
    assert parsed.text == '<a> & "q" AB😀 <'
    assert parsed.warnings == []


def test_unknown_entities_and_bare_ampersands_are_kept_literally_with_a_warning() -> None:
    parsed = parse_html("AT&T &nbsp; x & y &#0;")
    assert parsed.text == "AT&T &nbsp; x & y &#0;"
    assert any("&nbsp;" in warning for warning in parsed.warnings)


def test_surrogate_numeric_entity_is_rejected() -> None:
    with pytest.raises(TelegramHTMLError, match="invalid Unicode characters"):
        parse_html("&#xD800;")


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("a <foo>x</foo>", 'Unsupported start tag "foo" at byte offset 2'),
        ("é <foo>", 'Unsupported start tag "foo" at byte offset 3'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("x <", "Unclosed start tag at byte offset 2"),
        ("<b", "Unclosed start tag at byte offset 0"),
        ('<a href="x', "Unclosed start tag at byte offset 0"),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x</b", "Unclosed end tag at byte offset 4"),
        ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
        ("<b =x>y</b>", 'Empty attribute name in the tag "b" at byte offset 0'),
        ("<a href>y</a>", 'Expected equal sign in declaration of an attribute of the tag "a"'),
        ("<code class=a'b>x</code>", "Unexpected end of name token at byte offset 12"),
        ('<tg-emoji emoji-id="abc">x</tg-emoji>', "Invalid custom emoji identifier specified"),
    ],
)
def test_errors_mimic_telegram(source: str, message: str) -> None:
    with pytest.raises(TelegramHTMLError) as info:
        parse_html(source)
    assert str(info.value).startswith("can't parse entities: ")
    assert message in str(info.value)
    assert isinstance(info.value, ValueError)


def test_pre_with_language_code_becomes_one_pre_entity() -> None:
    parsed = parse_html('<pre><code class="language-python">print(1)</code></pre>')
    assert parsed.text == "print(1)"
    assert parsed.entities == [entity("pre", 0, 8, language="python")]


def test_code_alone_drops_its_language() -> None:
    parsed = parse_html('<code class="language-python">x</code>')
    assert parsed.entities == [entity("code", 0, 1)]


def test_links_are_normalized_like_telegram() -> None:
    parsed = parse_html(
        "<a href=\"https://example.com\">a</a> <a href='example.org/p?q=1'>b</a> "
        '<a href="javascript:alert(1)">c</a> <a href="tg://user?id=42">d</a>'
    )
    assert parsed.text == "a b c d"
    assert parsed.entities == [
        entity("text_link", 0, 1, url="https://example.com/"),
        entity("text_link", 2, 1, url="http://example.org/p?q=1"),
        entity("text_mention", 6, 1, user={"id": 42, "is_bot": False, "first_name": ""}),
    ]
    assert any("javascript" in warning for warning in parsed.warnings)


def test_link_without_href_uses_its_text() -> None:
    assert parse_html("<a>t.me/x</a>").entities == [entity("text_link", 0, 6, url="http://t.me/x")]


def test_spoiler_span_blockquote_expandable_and_custom_emoji() -> None:
    parsed = parse_html(
        '<span class="tg-spoiler">s</span><blockquote expandable>q</blockquote>'
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>'
    )
    assert parsed.text == "sq👍"
    assert parsed.entities == [
        entity("spoiler", 0, 1),
        entity("expandable_blockquote", 1, 1),
        entity("custom_emoji", 2, 2, custom_emoji_id="5368324170671202286"),
    ]


def test_attribute_values_decode_entities_and_unknown_attributes_are_ignored() -> None:
    parsed = parse_html('<a title="x" href="https://e.com/?a=1&amp;b=2">l</a>')
    assert parsed.entities[0]["url"] == "https://e.com/?a=1&b=2"


def test_empty_tags_produce_no_entity() -> None:
    assert parse_html("<b></b>x").entities == []


def test_trim_strips_whitespace_and_shifts_entities() -> None:
    parsed = trim(parse_html("  \n<b> hi</b> there \n"))
    assert parsed == ParsedText("hi there", [entity("bold", 0, 2)], [])
    assert trim(ParsedText("x")) == ParsedText("x")


@given(_TEXT)
def test_escaped_text_round_trips(text: str) -> None:
    parsed = parse_html(html.escape(text))
    assert parsed.text == text
    assert parsed.entities == []


@given(_TEXT, _TEXT, _TEXT)
def test_entity_offsets_match_utf16_lengths(before: str, inside: str, after: str) -> None:
    source = f"{html.escape(before)}<b>{html.escape(inside)}</b>{html.escape(after)}"
    parsed = parse_html(source)
    assert parsed.text == before + inside + after
    expected = [entity("bold", utf16_len(before), utf16_len(inside))] if inside else []
    assert parsed.entities == expected


@given(st.text(alphabet="<>/&;abi #x1 \"'=", max_size=30))
def test_arbitrary_input_either_parses_or_raises_telegram_error(source: str) -> None:
    try:
        parsed = parse_html(source)
    except TelegramHTMLError as exc:
        assert str(exc).startswith("can't parse entities: ")
    else:
        total = utf16_len(parsed.text)
        assert all(0 <= e["offset"] and e["offset"] + e["length"] <= total for e in parsed.entities)

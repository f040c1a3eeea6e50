"""Text bound for a document or a spreadsheet: which characters it may not hold, and how a
cell is kept from running as a formula."""

from __future__ import annotations

import re

# Characters no text bound for a document may hold: C0 controls but tab and line feed, DEL and
# the C1 controls (XML 1.0, and so xlsx and pptx, refuses most of them; the rest are invisible),
# lone surrogates (not encodable as UTF-8), U+FFFE and U+FFFF (not XML characters), and the
# bidirectional embeddings, overrides and isolates, which reorder what a reader sees ("Trojan
# Source", CVE-2021-42574). Marks such as U+200F, which right-to-left names use, are allowed.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u202a-\u202e\u2066-\u2069]"
)
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


def text_problem(text: str, limit: int, multiline: bool = False) -> str | None:
    """Why ``text`` cannot go into a document (HTML, PDF, xlsx, pptx), or None when it can:
    longer than ``limit`` characters, a character from ``_NOT_TEXT`` or, unless ``multiline``,
    a line break. The message names the character and where it is, never the text."""
    if len(text) > limit:
        return f"must be at most {limit:,} characters (it has {len(text):,})"
    found = _NOT_TEXT.search(text)
    if found is None and not multiline:
        found = _LINE_BREAKS.search(text)
    if found is None:
        return None
    char = found.group()
    code = ord(char)
    if not multiline and _LINE_BREAKS.match(char):
        what = "a line break; this field is one line"
    elif 0x202A <= code <= 0x202E or 0x2066 <= code <= 0x2069:
        what = "a bidirectional override, which can make text read differently from what it is"
    elif 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        what = "a code point that is not a character"
    else:
        what = "a control character; only tab and line feed are allowed"
    return f"holds U+{code:04X} at character {found.start() + 1}: {what}"


# Cells a spreadsheet would run as a formula (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> object:
    """A text cell that Excel or LibreOffice shows as text, never runs; numbers as they are.

    Text starting with = + - @, a tab or a carriage return gets a leading apostrophe, as OWASP
    advises; the apostrophe is what a spreadsheet user types to force text.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value

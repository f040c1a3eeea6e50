"""Text a slide can hold: every string the deck writes passes ``xml_text`` on its way in."""

from __future__ import annotations

import re

# What XML 1.0 cannot hold (C0 controls but tab and line feed, lone surrogates, U+FFFE and
# U+FFFF), and C1 controls, which it can but no slide should show. python-pptx refuses some of
# these with a traceback and writes others as _x0001_; every text the deck writes goes through
# xml_text, so no input can do either.
_NOT_XML_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: object) -> str:
    """``text`` as text a slide can hold: characters XML cannot carry are dropped."""
    return _NOT_XML_TEXT.sub("", str(text))

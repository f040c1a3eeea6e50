"""The page's Content-Security-Policy: the browser's own copy of the sanitiser's rule, so that
should anything active or loading reach the page some other way, the browser refuses it too."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable


def content_security_policy(scripts: Iterable[str] = ()) -> str:
    """The page's Content-Security-Policy: nothing from the network or any other file, and no
    script but the kit's own, each allowed by the SHA-256 of its text (none today; a live brief
    adds its script here and the policy follows)."""
    hashes = [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() + "'"
        for s in scripts
    ]
    return "; ".join(
        [
            "default-src 'none'",
            "img-src data:",
            "media-src data:",
            "font-src data:",
            "style-src 'unsafe-inline'",
            f"script-src {' '.join(hashes) or chr(39) + 'none' + chr(39)}",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )

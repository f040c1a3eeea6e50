"""Text contrast by WCAG 2: every colour the kit writes text in, checked on its background."""

from __future__ import annotations

from pilotfunnel.core.errors import Problem

# Every colour the brief, the present mode and the charts use for text, on its background, and
# the WCAG 2 AA contrast it needs: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
TEXT_ON_BACKGROUND = (
    ("foreground", "background", "body text", 4.5),
    ("heading", "background", "headings", 4.5),
    ("secondary_text", "background", "links and the cover's kicker", 4.5),
    ("secondary_text", "light", "links on light panels", 4.5),
    ("muted", "background", "captions, notes and labels", 4.5),
    ("muted", "light", "ranges on the key-number panels", 4.5),
    ("primary", "light", "key numbers on their panels", 3.0),
    ("background", "danger", "warning flags", 4.5),
    ("background", "muted", "soft flags", 4.5),
)


def contrast_ratio(one: str, other: str) -> float:
    """WCAG 2's contrast ratio of two #RRGGBB colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)


def contrast_problems(name: str, colors: dict[str, str]) -> list[Problem]:
    """A problem for each text colour too faint on its background for WCAG AA."""
    problems = []
    for text, ground, used_for, needed in TEXT_ON_BACKGROUND:
        ratio = contrast_ratio(colors[text], colors[ground])
        if ratio < needed:
            role = "typography.headings.color" if text == "heading" else f"color.{text}"
            hint = (
                "; set color.secondary_text to a darker variant" if text == "secondary_text" else ""
            )
            problems.append(
                Problem(
                    name,
                    f"field '{role}'",
                    f"{text} {colors[text]} on {ground} {colors[ground]} ({used_for}) has a "
                    f"contrast of {ratio:.2f}:1; WCAG AA needs {needed:g}:1{hint}",
                )
            )
    return problems

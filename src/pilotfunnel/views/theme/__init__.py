"""The brand rendered: as CSS for the HTML and PDF briefs and pages, as matplotlib settings."""

"""The brand as data: its file, its fonts, its colours' contrast."""

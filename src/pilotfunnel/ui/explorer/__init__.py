"""The client explorer: its widgets (form) and their behaviour (explorer)."""

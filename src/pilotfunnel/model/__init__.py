"""The funnel model: pure numbers, no rendering."""

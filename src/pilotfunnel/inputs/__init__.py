"""What a project holds: sources, assumptions, scenarios, the brand; each loaded and checked."""

"""What a reader sees: the view model, the catalogue, the formatter, charts, brief, deck."""

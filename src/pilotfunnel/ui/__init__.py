"""The faces: command line, explorer, present mode, analyst's loop."""

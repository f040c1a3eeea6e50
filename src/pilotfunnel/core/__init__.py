"""The kit's ground floor: where things are, one error type per input, safe files."""

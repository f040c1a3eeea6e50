"""The two ways to run the brief notebook: a fresh kernel, or this process's warm shell."""

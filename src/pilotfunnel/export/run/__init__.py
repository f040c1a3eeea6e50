"""The two ways to run the brief notebook: a fresh kernel (``kernel``), or this process's warm
shell (``inprocess``); for both, parameters are injected and sections named by ``cells``."""

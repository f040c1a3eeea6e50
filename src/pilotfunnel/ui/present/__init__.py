"""Present mode: the server (Voila on 127.0.0.1) and the one screen it shows."""

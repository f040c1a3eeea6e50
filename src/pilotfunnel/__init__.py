"""pilotfunnel: why AI pilots stall before production, in a client's own numbers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pilotfunnel")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

"""studio: run-of-show control for live broadcasts."""

__version__ = "0.1.0"

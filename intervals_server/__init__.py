"""Intervals: the Intervals Partner API server."""

__version__ = "0.1.0"

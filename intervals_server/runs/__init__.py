"""Runs: an event's distances and dated occurrences."""

"""Recurrences: the schedules that keep an event's future runs published."""

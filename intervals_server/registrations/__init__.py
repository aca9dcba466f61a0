"""Registrations: participants on a run, confirmed or waitlisted by the server."""

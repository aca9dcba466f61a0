"""API versions, oldest first; a request without ``Intervals-Version`` gets the last."""

VERSIONS: tuple[str, ...] = ("2026-03-01",)
LATEST = VERSIONS[-1]

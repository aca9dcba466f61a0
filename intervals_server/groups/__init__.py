"""Groups: a club's collections of events (Friday Night Lights, the winter series)."""

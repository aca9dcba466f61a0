"""Events: races, run clubs, time trials."""

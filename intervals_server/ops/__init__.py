"""What the operator sees: logs, metrics, health probes."""

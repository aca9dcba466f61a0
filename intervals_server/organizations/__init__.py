"""Organizations: the tenants. Every other object belongs to exactly one."""

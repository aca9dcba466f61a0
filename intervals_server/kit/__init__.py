"""Building blocks that know no domain: errors, validation, ids, pagination, endpoints."""

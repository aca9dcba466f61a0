"""Building blocks that know no domain: errors, validation, schemas, ids, times,
pagination, idempotency, rate limits, ASGI middleware and responses.

They are to import nothing else of the application, so that a schema imports without the
database drivers; ``tests/test_architecture.py`` lists the imports that still do.
"""

"""Building blocks that know no domain: errors, schemas, ids, times, pagination, rate
limits and the repositories' helpers. The request pipeline (validation, middleware,
responses) is ``intervals_server.http``.

They are to import nothing else of the application, so that a schema imports without the
database drivers; ``tests/test_architecture.py`` lists the imports that still do.
"""

"""The request pipeline: how an HTTP request becomes a service call and its answer.

- ``asgi``: the plain ASGI types the middleware and answers are written against.
- ``middleware``: ``Request-Id``, ``Intervals-Version`` and the security headers, around
  every request (unknown routes, 405s and errors included).
- ``routing``: ``Endpoint`` declarations and ``endpoint()``, which turns a typed handler
  into a Litestar route: authenticate, count against the rate limit, check the scope,
  parse the query and body, run the handler in its transaction, encode the answer.
- ``validation``: untrusted JSON bodies and query strings into msgspec Structs, every
  invalid field named at once.
- ``responses``: the JSON error body and ``JSONAnswer``, the encoded answer sent as it is.
- ``openapi`` and ``openapi_schemas``: the OpenAPI 3.1 document, built from the same
  ``Endpoint`` declarations the router uses.
- ``versions``: the API versions ``Intervals-Version`` accepts.

Litestar routes the requests and runs the ASGI plumbing; its own validation and OpenAPI
generation are not used (``openapi_config=None``, handlers take the raw request):

- The contract fixes the wire. A bad body or query is a 422 ``VALIDATION_ERROR`` in the
  reference's error envelope, listing every invalid field (dotted, in words a partner can
  act on); Litestar answers 400 in its own shape, with msgspec's first error only.
- The cost is ours to bound: valid input costs one msgspec conversion, invalid input what
  its schema allows rather than what the body holds (a list's bounds before its items, at
  most 50 fields listed), and an answer goes out as encoded bytes, without the
  ``Response`` Litestar would build around it. The README's hot-path list and
  ``bench/validation.py`` have the measurements.
- The document is written from the declarations that drive the behaviour (scope, query,
  body, errors, examples), which Litestar's generator never sees, as the routes it
  registers take the raw request; and it carries what generated clients and readers
  need: named enums, the validation messages as an extension, curl samples on the
  server's own URL, each error's example body.

Only the routes modules and the application's outer layer (``app``, ``cli``, ``docs``,
``ops``, ``demo``) import this package; ``tests/test_architecture.py`` checks it.
"""

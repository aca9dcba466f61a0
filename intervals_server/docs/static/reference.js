// Renders the API reference from this server's OpenAPI document (a file, not inline, so
// the page's Content-Security-Policy can forbid inline scripts).
Redoc.init(
  "/openapi.json",
  { scrollYOffset: "nav.docs-nav", expandResponses: "200,201", hideDownloadButton: false },
  document.getElementById("reference"),
);

"""The partner docs: the API reference rendered from the OpenAPI document, and the guides."""

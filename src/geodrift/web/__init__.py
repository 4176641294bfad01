"""The REST API (/api/v1) and the web dashboard, served by one FastAPI process over the store."""

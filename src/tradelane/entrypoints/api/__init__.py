"""HTTP API (FastAPI) and the operations dashboard."""

"""Server-rendered operations dashboard (Jinja2, no JavaScript build)."""

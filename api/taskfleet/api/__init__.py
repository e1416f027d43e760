"""taskfleet's REST API (FastAPI): health, task status and run history for other pods."""

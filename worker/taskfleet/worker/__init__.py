"""The shared core of taskfleet: Celery app and tasks, schedule store, run history and beat.

The API and the operator build on this package and never on each other (an import-linter
contract in pyproject.toml keeps it so).
"""

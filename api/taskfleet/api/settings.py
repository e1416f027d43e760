"""The API's settings: the shared core settings plus where it listens."""

from __future__ import annotations

from pydantic import Field

from taskfleet.worker import settings


class ApiSettings(settings.Settings):
    """Read once when the app is built, and injected into routes through :mod:`deps`."""

    host: str = Field(default="0.0.0.0", description="Address to listen on (all, in a pod).")  # noqa: S104
    port: int = Field(default=8000, description="TCP port to listen on.")

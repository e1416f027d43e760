"""FastAPI dependencies: the settings, run history and Celery app built once per process."""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

import redis
from fastapi import Depends

from taskfleet.api import settings as settings_module
from taskfleet.worker import app as app_module
from taskfleet.worker import runs


@lru_cache(maxsize=1)
def get_settings() -> settings_module.ApiSettings:
    """The API's settings (read from the environment once)."""
    return settings_module.ApiSettings()


@lru_cache(maxsize=1)
def _history(url: str) -> runs.RunHistory:
    return runs.RunHistory(url)


@lru_cache(maxsize=1)
def _redis(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)


SettingsDep = Annotated[settings_module.ApiSettings, Depends(get_settings)]


def get_history(config: SettingsDep) -> runs.RunHistory:
    """The run history of this installation."""
    return _history(config.database_url)


def get_redis(config: SettingsDep) -> redis.Redis:
    """A client of the broker's Redis."""
    return _redis(config.redis_url)


def get_celery() -> Any:
    """The Celery app, for result look-ups."""
    return app_module.app


HistoryDep = Annotated[runs.RunHistory, Depends(get_history)]
RedisDep = Annotated[redis.Redis, Depends(get_redis)]
CeleryDep = Annotated[Any, Depends(get_celery)]

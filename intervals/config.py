"""Settings, read once from the environment (prefix ``INTERVALS_``)."""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from intervals.db import Database

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./intervals.db"

# Plain URLs as operators write them, mapped to the async driver the server uses.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+psycopg": "postgresql+asyncpg",
    "postgresql+psycopg2": "postgresql+asyncpg",
}


def async_database_url(url: str) -> str:
    """Return ``url`` with the async driver this server uses for its database."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ValueError(f"not a database URL: {url!r}") from exc
    driver = _ASYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    if driver not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ValueError(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql")
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="INTERVALS_", extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    database_pool_size: int = Field(default=10, ge=1, le=100)
    database_max_overflow: int = Field(default=0, ge=0, le=100)
    log_level: str = "INFO"
    # The publisher inside `intervals serve`; 0 leaves publishing to `intervals publish`.
    publish_interval_seconds: float = Field(default=60, ge=0)
    # bench/api.py only: mounts the in-memory ceiling route (intervals/ceiling.py).
    bench_ceiling: bool = False

    @field_validator("database_url")
    @classmethod
    def _normalize_database_url(cls, value: str) -> str:
        return async_database_url(value)

    def database(self) -> Database:
        return Database(
            self.database_url,
            pool_size=self.database_pool_size,
            max_overflow=self.database_max_overflow,
        )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()

"""Settings, read once from the environment (prefix ``INTERVALS_``) and, when
``INTERVALS_CONFIG`` names one, a TOML file (the environment wins)."""

from __future__ import annotations

import difflib
import ipaddress
import logging
import os
import tomllib
import urllib.parse
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

if TYPE_CHECKING:
    from intervals_server.db import Database

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./intervals.db"
ENV_PREFIX = "INTERVALS_"
CONFIG_FILE_ENV = "INTERVALS_CONFIG"
METRICS_TOKEN_MIN_LENGTH = 32


class SettingsError(Exception):
    """The settings cannot be used; the message names the variable and what is wrong."""


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
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError) as exc:
        # Not echoed: a malformed URL may still hold a password.
        raise ValueError(
            "not a database URL; expected e.g. postgresql://user:password@host:5432/name"
        ) from exc
    driver = _ASYNC_DRIVERS.get(parsed.drivername, parsed.drivername)
    if driver not in ("sqlite+aiosqlite", "postgresql+asyncpg"):
        raise ValueError(f"unsupported database {parsed.drivername!r}: use sqlite or postgresql")
    return parsed.set(drivername=driver).render_as_string(hide_password=False)


def without_password(url: str) -> str:
    """``url`` fit for a log line: its password, if it has one, shown as ``***``."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    credentials, _, host = parts.netloc.rpartition("@")
    user = credentials.partition(":")[0]
    return urllib.parse.urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    database_url: str = DEFAULT_DATABASE_URL
    database_pool_size: int = Field(default=10, ge=1, le=100)
    database_max_overflow: int = Field(default=0, ge=0, le=100)
    log_level: str = "INFO"
    # The publisher inside `intervals serve`; 0 leaves publishing to `intervals publish`.
    publish_interval_seconds: float = Field(default=60, ge=0)
    # Rate limits are shared through Redis when a URL is given, else kept in each process;
    # /readyz checks Redis when it is set.
    redis_url: str | None = None
    redis_prefix: str = "intervals"
    rate_limits: bool = True
    # When set, GET /metrics asks for `Authorization: Bearer <token>` (else it is open).
    metrics_token: SecretStr | None = None
    # Proxies whose X-Forwarded-For names the client (comma-separated addresses or networks);
    # none by default: the client address is the TCP peer's.
    trusted_proxies: str = ""
    # This host's worker processes (`intervals serve --workers` sets it for its workers):
    # while Redis is away, each worker's memory limiter allows its share, limit ÷ workers.
    workers: int = Field(default=1, ge=1)
    # A request body must arrive within this many seconds of the app asking for it (408).
    body_timeout_seconds: float = Field(default=30, gt=0, le=3600)
    # A connection closes when no complete request head arrives within this many seconds:
    # a new one that sends nothing, one that stalls mid-headers, one kept alive but idle.
    header_timeout_seconds: float = Field(default=30, gt=0, le=3600)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        config_file = os.environ.get(CONFIG_FILE_ENV)
        if not config_file:
            return init_settings, env_settings
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, config_file)

    @field_validator("log_level")
    @classmethod
    def _known_log_level(cls, value: str) -> str:
        level = value.upper()
        if not isinstance(logging.getLevelNamesMapping().get(level), int):
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @field_validator("metrics_token")
    @classmethod
    def _long_metrics_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and len(value.get_secret_value()) < METRICS_TOKEN_MIN_LENGTH:
            raise ValueError(
                f"must be at least {METRICS_TOKEN_MIN_LENGTH} characters "
                "(e.g. the output of `openssl rand -hex 32`)"
            )
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _addresses_or_networks(cls, value: str) -> str:
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError:
                raise ValueError(
                    f"{entry!r} is not an IP address or network (e.g. 10.0.0.0/8)"
                ) from None
        return ",".join(entries)

    # `intervals serve` refuses SQLite with several workers or on a non-loopback address
    # (a newcomer's accident, not a production setup) unless this is true.
    allow_sqlite: bool = False

    @field_validator("database_url")
    @classmethod
    def _normalize_database_url(cls, value: str) -> str:
        return async_database_url(value)

    def database(self) -> Database:
        from intervals_server.db import Database

        return Database(
            self.database_url,
            pool_size=self.database_pool_size,
            max_overflow=self.database_max_overflow,
        )


def load_settings() -> Settings:
    """The settings, or a ``SettingsError`` saying which variable is wrong and how."""
    config_file = os.environ.get(CONFIG_FILE_ENV)
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise SettingsError(f"{CONFIG_FILE_ENV}: no such file: {config_file}")
        try:
            keys = tomllib.loads(path.read_text())
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise SettingsError(f"{CONFIG_FILE_ENV}: cannot read {config_file}: {exc}") from exc
        _refuse_unknown_keys(keys, config_file)
    try:
        return Settings()
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = "_".join(str(part) for part in error["loc"])
            name = ENV_PREFIX + field.upper()
            if config_file:
                name += f" (or {field} in {config_file})"
            problems.append(f"{name}: {error['msg'].removeprefix('Value error, ')}")
        raise SettingsError("; ".join(problems)) from None


def _refuse_unknown_keys(keys: dict[str, object], config_file: str) -> None:
    """A misspelt key would otherwise be ignored and its setting silently left at its default."""
    known = list(Settings.model_fields)
    problems = []
    for key in keys:
        if key not in known:
            close = difflib.get_close_matches(key, known, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            problems.append(f"{key}: unknown setting{hint}")
    if problems:
        raise SettingsError(f"{CONFIG_FILE_ENV} ({config_file}): " + "; ".join(problems))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()

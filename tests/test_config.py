"""Settings: environment over an optional TOML file, checked at start with clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from intervals_server.config import Settings, SettingsError, load_settings

START_TIMEOUT_S = 60
EXAMPLE_CONFIG = Path(__file__).parents[1] / "examples" / "intervals.toml"


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("INTERVALS_") and name != "INTERVALS_TEST_BACKENDS":
            monkeypatch.delenv(name)


def test_a_malformed_database_url_stops_the_server_with_one_line_naming_it() -> None:
    environment = {**os.environ, "INTERVALS_DATABASE_URL": "postgresql://db:notaport/x"}
    executable = Path(sys.executable).with_name("intervals")

    result = subprocess.run(
        [str(executable), "serve", "--port", "1"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT_S,
        check=False,
    )

    assert result.returncode != 0
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: invalid settings: INTERVALS_DATABASE_URL: not a database URL")
    assert "Traceback" not in result.stderr


def test_every_invalid_setting_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTERVALS_LOG_LEVEL", "loud")
    monkeypatch.setenv("INTERVALS_DATABASE_POOL_SIZE", "0")

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert "INTERVALS_LOG_LEVEL: must be one of DEBUG" in str(raised.value)
    assert "INTERVALS_DATABASE_POOL_SIZE: " in str(raised.value)


def test_settings_come_from_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "intervals.toml"
    config.write_text('database_url = "postgresql://db.internal/intervals"\nlog_level = "debug"\n')
    monkeypatch.setenv("INTERVALS_CONFIG", str(config))

    settings = load_settings()

    assert settings.database_url == "postgresql+asyncpg://db.internal/intervals"
    assert settings.log_level == "DEBUG"


def test_the_environment_overrides_the_config_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "intervals.toml"
    config.write_text('log_level = "debug"\npublish_interval_seconds = 5\n')
    monkeypatch.setenv("INTERVALS_CONFIG", str(config))
    monkeypatch.setenv("INTERVALS_LOG_LEVEL", "warning")

    settings = load_settings()

    assert (settings.log_level, settings.publish_interval_seconds) == ("WARNING", 5)


def test_an_invalid_value_in_the_config_file_names_the_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "intervals.toml"
    config.write_text('database_url = "mysql://db/intervals"\n')
    monkeypatch.setenv("INTERVALS_CONFIG", str(config))

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(raised.value) == (
        f"INTERVALS_DATABASE_URL (or database_url in {config}): "
        "unsupported database 'mysql': use sqlite or postgresql"
    )


@pytest.mark.parametrize("content", [None, "database_url = "], ids=["missing", "not TOML"])
def test_an_unusable_config_file_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, content: str | None
) -> None:
    config = tmp_path / "intervals.toml"
    if content is not None:
        config.write_text(content)
    monkeypatch.setenv("INTERVALS_CONFIG", str(config))

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(raised.value).startswith("INTERVALS_CONFIG: ")
    assert str(config) in str(raised.value)


def test_an_unknown_key_in_the_config_file_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "intervals.toml"
    config.write_text('databse_url = "postgresql://db.internal/intervals"\n')
    monkeypatch.setenv("INTERVALS_CONFIG", str(config))

    with pytest.raises(SettingsError) as raised:
        load_settings()

    assert str(raised.value) == (
        f"INTERVALS_CONFIG ({config}): databse_url: unknown setting (did you mean database_url?)"
    )


def test_the_example_config_file_loads_and_shows_every_setting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("INTERVALS_CONFIG", str(EXAMPLE_CONFIG))

    settings = load_settings()

    assert set(tomllib.loads(EXAMPLE_CONFIG.read_text())) == set(Settings.model_fields)
    assert settings.database_url.startswith("postgresql+asyncpg://")

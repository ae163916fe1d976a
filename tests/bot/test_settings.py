from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings, describe_error

ROOT = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    s = Settings(_env_file=None)
    assert s.database_url.startswith("sqlite+aiosqlite:///")
    assert s.timezone == "Europe/Paris"
    assert s.coordinator_ids == []


def test_triage_threshold_default_is_the_classifier_s() -> None:
    from domain.triage.model import DEFAULT_THRESHOLD

    assert Settings(_env_file=None).triage_threshold == DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("env", "expected"),
    [("123", [123]), ("1, 2;3", [1, 2, 3]), ("", [])],
)
def test_coordinator_ids(env: str, expected: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COORDINATOR_IDS", env)
    assert Settings(_env_file=None).coordinator_ids == expected


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("COORDINATOR_IDS", "abc"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DATABASE_URL", "mysql://x"),
        ("INVITE_TTL_HOURS", "0"),
    ],
)
def test_bad_setting_names_itself(name: str, value: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as err:
        Settings(_env_file=None)
    line = describe_error(err.value)
    assert name in line and "\n" not in line


def _run(env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_run_without_token_explains_botfather_and_exits_non_zero(tmp_path: Path) -> None:
    proc = _run({}, tmp_path)
    assert proc.returncode != 0
    assert "@BotFather" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_run_with_bad_setting_says_which_in_one_line(tmp_path: Path) -> None:
    proc = _run({"TELEGRAM_BOT_TOKEN": "1:x", "TIMEZONE": "Nowhere/Land"}, tmp_path)
    assert proc.returncode != 0
    assert "TIMEZONE" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1

"""Settings fail loudly on missing or weak production values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c",
         "import meldcode.settings as s; print(s.TIME_ZONE, s.LANGUAGE_CODE)"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


def test_secret_key_required_without_debug():
    result = _load_settings(DEBUG="0", ALLOWED_HOSTS="meldcode.example")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr


def test_weak_secret_key_refused():
    result = _load_settings(DEBUG="0", SECRET_KEY="short", ALLOWED_HOSTS="meldcode.example")
    assert "at least 50" in result.stderr


def test_allowed_hosts_required_without_debug():
    result = _load_settings(DEBUG="0", SECRET_KEY="x" * 60)
    assert "ALLOWED_HOSTS is required" in result.stderr


def test_secret_key_from_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("k" * 64 + "\n")
    result = _load_settings(DEBUG="0", SECRET_KEY_FILE=str(secret), ALLOWED_HOSTS="a.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["Europe/Amsterdam", "nl"]


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_malformed_debug_is_not_silently_true(value):
    result = _load_settings(DEBUG=value, ALLOWED_HOSTS="a.example")
    assert result.returncode != 0
    assert "DEBUG must be true/false" in result.stderr


def test_manage_py_uses_development_defaults_only_without_configuration():
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS"}}
    ok = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=clean,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    configured = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT,
                                env={**clean, "SECRET_KEY": "x" * 60}, capture_output=True,
                                text=True)
    # A configured deployment is strict: no ALLOWED_HOSTS, no start.
    assert "ALLOWED_HOSTS is required" in configured.stderr

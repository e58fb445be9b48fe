"""Settings fail loudly on missing or weak production values."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TEST_ATTACHMENT_KEY = "qs4N6Sd3yMzvTqW1aIbXJg0Lx9jKb3v0lQbP6aF5VfY="


def _load_settings(show="s.TIME_ZONE, s.LANGUAGE_CODE", **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS",
                          "TRUSTED_PROXY_COUNT", "ATTACHMENT_KEYS", "ATTACHMENT_KEYS_FILE"}}
    # A production configuration has an attachment key (tests of it pass their own).
    clean["ATTACHMENT_KEYS"] = TEST_ATTACHMENT_KEY
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import meldcode.settings as s; print({show})"],
        cwd=ROOT, env=clean, capture_output=True, text=True,
    )


PRODUCTION = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "meldcode.example"}


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


@pytest.mark.parametrize(("proxies", "header"), [
    (None, "None"),
    ("0", "None"),
    ("1", "('HTTP_X_FORWARDED_PROTO', 'https')"),
    ("2", "('HTTP_X_FORWARDED_PROTO', 'https')"),
])
def test_the_https_header_is_trusted_only_behind_a_proxy(proxies, header):
    # Without a proxy, X-Forwarded-Proto is whatever the client wrote.
    env = dict(PRODUCTION) if proxies is None else {**PRODUCTION, "TRUSTED_PROXY_COUNT": proxies}
    result = _load_settings(show="getattr(s, 'SECURE_PROXY_SSL_HEADER', None)", **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == header


def test_a_negative_proxy_count_is_refused():
    result = _load_settings(**PRODUCTION, TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT must be 0 or more" in result.stderr


def test_compose_publishes_gunicorn_on_loopback_by_default():
    compose = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    published = re.findall(r'^\s+- "([^"]+:\d+:\d+)"\s*$', compose, flags=re.MULTILINE)
    assert published, "no published ports found"
    for mapping in published:
        # "${VAR:-default}" is what compose uses when VAR is not set.
        address = re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", mapping).rsplit(":", 2)[0]
        assert address == "127.0.0.1", mapping

"""Security headers, templates free of inline script and style, and a clean
`check --deploy` with production settings."""

import os
import re
import subprocess
import sys
from pathlib import Path

from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
PDF_DOCUMENT = re.compile(r"@page\b")
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"javascript:", re.IGNORECASE)


def _templates():
    return sorted(p for p in TEMPLATES.rglob("*") if p.suffix in {".html", ".svg", ".txt"})


def test_no_template_has_inline_script_or_style():
    """The CSP forbids them; a template that had one would break silently in browsers."""
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if PDF_DOCUMENT.search(text) and STYLE_ELEMENT.search(text):
            # A PDF made by WeasyPrint in memory (it has an @page rule): never sent to a
            # browser, so the CSP does not apply; its inline style still may not run script.
            if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text) or JS_URL.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: script in a PDF document")
            continue
        for name, pattern in [("inline <script>", INLINE_SCRIPT), ("<style>", STYLE_ELEMENT),
                              ("style=", STYLE_ATTRIBUTE), ("on…= handler", EVENT_HANDLER),
                              ("javascript: URL", JS_URL)]:
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {name}")
    assert not offenders, offenders


def test_the_inline_checks_catch_what_they_should():
    assert INLINE_SCRIPT.search('<script>alert(1)</script>')
    assert not INLINE_SCRIPT.search('<script src="/static/js/x.js" defer></script>')
    assert STYLE_ATTRIBUTE.search('<p style="color:red">')
    assert EVENT_HANDLER.search('<button onclick="x()">')


def test_pages_carry_csp_permissions_policy_and_no_unsafe_inline(client, personas):
    client.force_login(personas.af)
    for url in (reverse("login"), reverse("dashboard"),
                reverse("case_detail", args=[personas.case.pk])):
        response = client.get(url)
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp
        assert "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert "camera=()" in response["Permissions-Policy"]


def _production_env(**extra):
    """The test run's environment without what only tests set (the browser tests allow
    sync ORM calls from Playwright's event loop, which production never does)."""
    env = {k: v for k, v in os.environ.items()
           if k not in {"DEBUG", "SECRET_KEY", "SECRET_KEY_FILE", "ALLOWED_HOSTS",
                        "SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT",
                        "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update({"DEBUG": "0", "SECRET_KEY": "p7#Kq2vX!m9Lr4Tz8Wc1Nb6Hy3Jd5Fg0Sa2Qe7Ru4Io9Pk1Ml8",
                "ALLOWED_HOSTS": "meldcode.school.example",
                "ATTACHMENT_KEYS": "qs4N6Sd3yMzvTqW1aIbXJg0Lx9jKb3v0lQbP6aF5VfY="}, **extra)
    return env


def test_check_deploy_is_clean_with_production_settings():
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT,
                            env=_production_env(), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr.strip() == ""


def test_hsts_is_configurable_and_on_by_default_in_production():
    code = ("from django.conf import settings as s; "
            "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SESSION_IDLE_SECONDS)")
    run = [sys.executable, "-c", f"import django, os; os.environ.setdefault("
           f"'DJANGO_SETTINGS_MODULE', 'meldcode.settings'); django.setup(); {code}"]
    default = subprocess.run(run, cwd=ROOT, env=_production_env(), capture_output=True,
                             text=True)
    assert default.stdout.split() == ["31536000", "True", "1800"], default.stderr
    changed = subprocess.run(run, cwd=ROOT, env=_production_env(
        SECURE_HSTS_SECONDS="3600", SESSION_IDLE_SECONDS="900"), capture_output=True,
        text=True)
    assert changed.stdout.split() == ["3600", "True", "900"], changed.stderr

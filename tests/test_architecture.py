"""The shape of the code (STYLE.md, "The shape"): imports run one way and in no circles.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads every
import statement, including those inside functions, so a cycle cannot hide in one.
"""

import logging
import re
import subprocess
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("meldcode", "cases", "signals_catalog", "decisions", "audit", "inspection",
        "retention", "privacy")


def test_import_contracts_are_kept():
    # lint_imports configures logging for its command line, which disables every logger
    # that exists; the tests after this one read the application's log lines.
    loggers = [lg for lg in logging.root.manager.loggerDict.values()
               if isinstance(lg, logging.Logger)]
    disabled = {lg: lg.disabled for lg in loggers}
    try:
        assert lint_imports(no_cache=True, no_logo=True) == 0
    finally:
        for lg, was_disabled in disabled.items():
            lg.disabled = was_disabled


def test_no_module_name_prefix_stands_in_for_a_layer_package():
    # views_x.py, services_x.py … belong in views/x.py, services/x.py.
    layer = re.compile(r"^(views|urls|forms|services|selectors|audit_actions)_\w+\.py$")
    flat = [f"{app}/{path.name}" for app in APPS for path in (ROOT / app).glob("*.py")
            if layer.match(path.name)]
    assert flat == []


def test_no_first_party_import_inside_a_function_outside_app_ready():
    # AppConfig.ready() imports modules for their registrations once the models are loaded;
    # anywhere else a local import would be dodging a cycle.
    found = subprocess.run(
        ["git", "grep", "-nE", r"^\s{4,}(from|import) (cases|meldcode|audit|decisions|"
         r"signals_catalog|inspection|retention|privacy)(\.| )", "--", "*.py", ":!*/migrations/*",
         ":!*/apps.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert found.stdout == "", found.stdout


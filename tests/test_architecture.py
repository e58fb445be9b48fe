"""The shape of the code (STYLE.md, "The shape"): imports run one way and in no circles.

The contracts live in pyproject.toml ([tool.importlinter]); import-linter reads every
import statement, including those inside functions, so a cycle cannot hide in one.
"""

import re
import subprocess
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent
APPS = ("meldcode", "cases", "signals_catalog", "decisions", "audit")


def test_import_contracts_are_kept():
    assert lint_imports(no_cache=True, no_logo=True) == 0


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
         r"signals_catalog)(\.| )", "--", "*.py", ":!*/migrations/*", ":!*/apps.py"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )
    assert found.stdout == "", found.stdout


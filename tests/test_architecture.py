"""The import contracts of pyproject.toml ([tool.importlinter], DESIGN.md §2) hold: a forbidden import fails the suite.

import-linter builds the import graph of `app` and `scoring` and checks each contract; the test runs
it in a fresh interpreter (it adds the working directory to sys.path and configures logging) and
shows its report when a contract is broken.
"""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINT = "import sys; from importlinter.cli import lint_imports; sys.exit(lint_imports(no_cache=True, no_logo=True))"


def test_every_import_contract_is_kept():
    result = subprocess.run([sys.executable, "-c", LINT], cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, report
    assert "0 broken" in report, report

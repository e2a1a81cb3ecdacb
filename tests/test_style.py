"""The package's style and types, checked as CI checks everything: ruff's lint and its formatter, and
mypy, on extract/ (settings in pyproject.toml [tool.ruff] and [tool.mypy])."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

RUFF = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")

CHECKS = [["check", "extract"], ["format", "--check", "extract"]]


@pytest.mark.parametrize("args", CHECKS, ids=["lint", "format"])
def test_ruff_finds_nothing_in_the_package(args):
    assert RUFF, "ruff is in the test extra: pip install -c constraints.txt -e '.[test]'"
    run = subprocess.run([RUFF, *args], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_finds_nothing_in_the_package():
    """mypy with the settings in pyproject.toml (files, the untyped libraries); its cache goes to a
    temporary folder, so that a clean checkout and this run see the same."""
    import tempfile

    with tempfile.TemporaryDirectory() as cache:
        run = subprocess.run([sys.executable, "-m", "mypy", "--cache-dir", cache], capture_output=True, text=True,
                             cwd=ROOT, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr

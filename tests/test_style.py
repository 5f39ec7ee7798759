"""The code base stays ruff clean (ruff is a test dependency)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import REPO


def test_ruff_clean() -> None:
    ruff = shutil.which("ruff")
    if ruff is None:
        pytest.skip("ruff is not installed")
    done = subprocess.run([ruff, "check", "ocr", "tests", "benchmarks", "samples", "cli.py"],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_package_imports_without_side_effects() -> None:
    done = subprocess.run([sys.executable, "-c", "import ocr, ocr.pipeline"], cwd=REPO,
                          capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""

"""Code gates, run with the tests so that CI and the README's test command hold them.

ruff (lint with complexity and docstring rules, and formatting) and mypy are
test dependencies; a gate is skipped only where its tool is not installed.
The size limits keep modules and functions of the package small enough to
read at once.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

CHECKED = ["ocr", "tests", "benchmarks", "tools", "cli.py"]
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60
MAX_COMPLEXITY = 15


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed")
    return path


def test_ruff_clean() -> None:
    done = subprocess.run(
        [_tool("ruff"), "check", *CHECKED], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_format_clean() -> None:
    done = subprocess.run(
        [_tool("ruff"), "format", "--check", *CHECKED], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO, capture_output=True, text=True)
    if "No module named mypy" in done.stderr:
        pytest.skip("mypy is not installed")
    assert done.returncode == 0, done.stdout + done.stderr


def test_modules_and_functions_stay_small() -> None:
    too_long = []
    for path in sorted((REPO / "ocr").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(REPO).as_posix()
        if len(source.splitlines()) > MAX_MODULE_LINES:
            too_long.append(f"{name}: {len(source.splitlines())} lines")
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    too_long.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    assert not too_long, "\n".join(too_long)


def test_no_function_is_too_complex() -> None:
    # ruff's C901 counts branches; radon counts boolean operators and
    # comprehension conditions too, as reviews of this code measure it.
    complexity = pytest.importorskip("radon.complexity")
    over = []
    for path in sorted((REPO / "ocr").rglob("*.py")):
        for block in complexity.cc_visit(path.read_text(encoding="utf-8")):
            if block.complexity > MAX_COMPLEXITY:
                name = path.relative_to(REPO).as_posix()
                over.append(f"{name}:{block.lineno} {block.name}: {block.complexity}")
    assert not over, "\n".join(over)


def test_package_imports_without_side_effects() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "import ocr, ocr.pipeline"], cwd=REPO, capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""

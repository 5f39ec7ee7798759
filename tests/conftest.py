"""Shared fixtures: generated images, the shipped model, the shared data folder, and two
ways to run the command line: in this process (:func:`invoke`) or as a real one
(:func:`run_ocr`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner, Result

from ocr.classify import DEFAULT_MODEL, KNNClassifier
from ocr.cli import app

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
"""Page images only: what ``ocr scan samples/`` reads."""
EXPECTED = REPO / "tests" / "expected"
"""What the samples hold: ``<stem>.tokens.json`` per sample scan, ``claim_forms.fields.json``."""
CLAIM_TEMPLATE = REPO / "templates" / "claim.yaml"
SHARED_DATA = REPO.parent / "shared" / "data"


def invoke(*args: str | Path) -> Result:
    """Run ``ocr ARGS`` in this process (Typer's test runner): stdout and stderr
    apart, the exit code in ``exit_code``; an unexpected exception is raised.

    Pass ``-j 1`` to ``scan``: its default starts a process per CPU.
    """
    return CliRunner().invoke(app, [str(arg) for arg in args], catch_exceptions=False)


def run_ocr(*args: str | Path, cwd: Path = REPO, text: bool = True) -> subprocess.CompletedProcess:
    """Run ``python -m ocr ARGS`` as a process of its own, for what only a real
    process shows: its exit status, the bytes on its stdout, worker processes.

    ``text=False`` leaves stdout and stderr as bytes.
    """
    return subprocess.run(
        [sys.executable, "-m", "ocr", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=text,
        timeout=300,
    )


def draw_text(
    text: str,
    height: int = 40,
    scale: float = 1.2,
    thickness: int = 2,
    pad: int = 30,
    face: int = cv2.FONT_HERSHEY_SIMPLEX,
) -> np.ndarray:
    """A white page with ``text`` in black, drawn with an OpenCV vector font."""
    (w, h), base = cv2.getTextSize(text, face, scale, thickness)
    page = np.full((h + base + 2 * pad, w + 2 * pad), 255, dtype=np.uint8)
    cv2.putText(page, text, (pad, pad + h), face, scale, 0, thickness, cv2.LINE_AA)
    return page


@pytest.fixture(scope="session")
def model() -> KNNClassifier:
    return KNNClassifier.load(DEFAULT_MODEL)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA

"""Shared fixtures: generated images, the shipped model, the shared data folder."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest

from ocr.classify import DEFAULT_MODEL, KNNClassifier

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
"""Page images only: what ``ocr scan samples/`` reads."""
EXPECTED = REPO / "tests" / "expected"
"""What the samples hold: ``<stem>.tokens.json`` per sample scan, ``claim_forms.fields.json``."""
CLAIM_TEMPLATE = REPO / "templates" / "claim.yaml"
SHARED_DATA = REPO.parent / "shared" / "data"


def draw_text(text: str, height: int = 40, scale: float = 1.2, thickness: int = 2,
              pad: int = 30, face: int = cv2.FONT_HERSHEY_SIMPLEX) -> np.ndarray:
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

"""What ``ocr train`` builds: the one configuration every training module reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TrainConfig:
    """What ``ocr train`` builds. The defaults make the shipped model."""

    seed: int = 0
    """Seeds every random draw: the same seed and fonts give the same model file."""
    per_font: int = 10
    """Renders of each digit per font (each reject character gets a fifth)."""
    digit_heights: tuple[int, ...] = (12, 16, 20, 26, 34, 46, 64)
    """Digit heights in pixels to render at."""
    handwriting_copies: int = 8
    """Distorted copies of each ``load_digits`` digit, besides the digit itself."""
    handwriting_renders: int = 15
    """Distorted renders of each digit per handwriting-style font."""
    stroke_digits: int = 900
    """Digits of each class drawn stroke by stroke (:mod:`ocr.training.strokes`)."""
    handwriting_limit: int | None = None
    """Use only the first N handwritten digits (small test runs)."""
    k_values: tuple[int, ...] = (1, 3, 5, 7, 9, 11, 15, 21)
    """Neighbour counts to validate; the one with the lowest error is kept."""
    side_weights: tuple[float, ...] = (12.0, 24.0, 48.0, 96.0)
    """Candidate scales of the two side features (aspect ratio, relative height)."""
    near_duplicate: float = 3.0
    """Validation vectors closer than this (L2, grid units) to a training vector are dropped."""
    validation_share: float = 0.25
    """Share of the font families held out in each validation split."""
    validation_splits: int = 3
    """Held-out family splits whose validation curves are averaged."""
    hershey: bool = True
    """Also print with OpenCV's Hershey fonts (installed with OpenCV)."""
    dot_matrix: bool = True
    """Also print the regular monospaced fonts as dot-matrix receipts."""


DEFAULT_CONFIG = TrainConfig()
"""The configuration of the shipped model (a frozen default for arguments)."""

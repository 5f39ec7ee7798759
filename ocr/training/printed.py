"""Printed samples: digits, ``/``, bars, ovals and the reject class, rendered and cut.

Every renderer (:func:`make_renderers`) prints the digits and ``/``, the bar
and oval classes, letters and symbols that resemble digits, percent signs,
touching digit pairs and fragments of digits; specks of noise close the set.
Each sample is degraded like a scan and cut by the page segmenter
(:func:`~ocr.training.render.sample_pieces`), so it is the glyph a page
would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import cv2
import numpy as np

from ..types import BAR, DIGITS, PERCENT, REJECT, ROUND
from .config import DEFAULT_CONFIG, TrainConfig
from .fonts import font_family, monospaced_faces
from .render import (
    HERSHEY_FONTS,
    DotMatrixRenderer,
    FontRenderer,
    HersheyRenderer,
    sample_pieces,
)

CONFUSABLE = "oQDUCcGbdeaSsBZzgqiJjTtLfFrnhkAEHKMNPRVWXYuvwxy#&@$+=*()[]<>!?\\{}"
"""Reject-class characters: letters and symbols a digit reader will meet."""

BARS = "lI|"
"""Plain vertical bars: their own class, read as ``1`` or a letter by context."""

ROUNDS = "O"
"""Plain ovals: their own class, read as ``0`` or a letter by context."""

DIGIT_LIKE_CAPITALS = "BDQSZGJTAEU"
"""Capitals that receipts print beside numbers and that pass for digits
(B 8, D 0, S 5, Z 2, G 6): rendered as often as half a digit, not a fifth."""


def make_renderers(fonts: Sequence[Path], config: TrainConfig = DEFAULT_CONFIG) -> list:
    """Every renderer of the printed training samples, in training order.

    The font files, then (``config.dot_matrix``) the plainest face of each
    monospaced family printed as dot-matrix, then (``config.hershey``)
    OpenCV's Hershey fonts at two stroke weights.
    """
    renderers: list = [FontRenderer(path) for path in fonts]
    if config.dot_matrix:
        renderers += [DotMatrixRenderer(path, rows) for path in monospaced_faces(fonts)
                      for rows in (7, 9)]
    if config.hershey:
        renderers += [HersheyRenderer(face, scale) for face in HERSHEY_FONTS
                      for scale in (0.8, 1.4)]
    return renderers


def printed_samples(renderers: Sequence, config: TrainConfig, rng: np.random.Generator,
                    log: Callable[[str], None] | None = None
                    ) -> tuple[list[np.ndarray], list[float], list[str], list[str]]:
    """Masks, line heights, labels and families of rendered printed samples."""
    masks, heights, labels, groups = [], [], [], []

    def add(mask: np.ndarray, height: float, label: str, group: str) -> None:
        masks.append(mask)
        heights.append(height)
        labels.append(label)
        groups.append(group)

    for index, renderer in enumerate(renderers):
        group = font_family(renderer.path)
        if log and index % 20 == 0:
            log(f"rendering font {index + 1}/{len(renderers)}: {Path(renderer.path).name}")
        for char in DIGITS + "/":
            for _ in range(config.per_font):
                size = int(rng.choice(config.digit_heights))
                found, height = sample_pieces(renderer, char, size, rng)
                if found:
                    add(found[0], height, char, group)
        for chars, label in ((BARS, BAR), (ROUNDS, ROUND)):
            for char in chars:
                for _ in range(max(1, config.per_font // 2)):
                    size = int(rng.choice(config.digit_heights))
                    found, height = sample_pieces(renderer, char, size, rng)
                    if found:
                        add(found[0], height, label, group)
        for char in CONFUSABLE:
            n_reject = config.per_font // (2 if char in DIGIT_LIKE_CAPITALS else 5)
            for _ in range(max(1, n_reject)):
                size = int(rng.choice(config.digit_heights))
                found, height = sample_pieces(renderer, char, size, rng)
                for mask in found[:2]:
                    add(mask, height, REJECT, group)
        # A percent sign whose rings touch its slash is one glyph of its own
        # class, and so is its slash with one ring (the other ring is joined
        # to it in assembly); in three pieces its slash alone is a /.
        for _ in range(config.per_font):
            size = int(rng.choice(config.digit_heights))
            found, height = sample_pieces(renderer, PERCENT, size, rng)
            if found:
                share = found[0].sum() / sum(int(m.sum()) for m in found)
                add(found[0], height, PERCENT if share >= 0.5 else "/", group)
        # Touching pairs: the classifier must reject them so they get split.
        for _ in range(config.per_font * 2):
            pair = "".join(rng.choice(list(DIGITS), 2))
            size = int(rng.choice(config.digit_heights))
            found, height = sample_pieces(renderer, pair, size, rng)
            if found and found[0].shape[1] > 0.8 * found[0].shape[0]:
                add(found[0], height, REJECT, group)
        # Fragments: the left or right part of a digit, as a bad split leaves.
        for _ in range(config.per_font):
            char = str(rng.choice(list("0234568")))
            size = int(rng.choice(config.digit_heights))
            found, height = sample_pieces(renderer, char, size, rng)
            if found:
                mask = found[0]
                cut = max(1, int(mask.shape[1] * rng.uniform(0.3, 0.5)))
                part = mask[:, :cut] if rng.random() < 0.5 else mask[:, -cut:]
                if part.any():
                    add(part, height, REJECT, group)
    # Specks and smudges: blobs of noise that reach glyph size on a dirty scan.
    for index in range(config.per_font * 20):
        height = float(rng.choice(config.digit_heights))
        size = max(3, int(height * rng.uniform(0.3, 1.0)))
        blob = rng.random((size, max(3, int(size * rng.uniform(0.4, 1.6))))) < 0.5
        blob = cv2.morphologyEx(blob.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))
        if blob.any():
            add(blob > 0, height, REJECT, f"Speck{index % 8}")
    return masks, heights, labels, groups

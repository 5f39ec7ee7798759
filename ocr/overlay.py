"""Review images: what was read, drawn over the page.

Glyph boxes are drawn thin (green for digits and separators, grey for
letters and other rejected shapes, red for glyphs read with low confidence),
and every token gets a blue box with its text above it, so a person can see
at a glance what was read and where the reader was unsure.
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from .types import DIGITS, SEPARATORS, Glyph, Token

GREEN, GREY, RED, BLUE = (40, 160, 40), (170, 170, 170), (0, 0, 230), (200, 90, 0)


def render_overlay(
    page: np.ndarray, glyphs: Iterable[Glyph], tokens: Iterable[Token], low_confidence: float = 0.6
) -> np.ndarray:
    """Draw glyphs and tokens over a page.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        The grayscale page, in the pixel grid the boxes refer to.
    glyphs : iterable of Glyph
    tokens : iterable of Token
    low_confidence : float
        Glyphs below this confidence are drawn in red.

    Returns
    -------
    image : ndarray of uint8, shape (H, W, 3)
        A BGR image (``cv2.imwrite`` order), the page lightened underneath.
    """
    image = cv2.cvtColor((page // 2 + 128).astype(np.uint8), cv2.COLOR_GRAY2BGR)
    thickness = max(1, round(min(page.shape) / 1200))
    for glyph in glyphs:
        box = glyph.box
        if glyph.label in DIGITS or glyph.label in SEPARATORS:
            colour = RED if glyph.confidence < low_confidence else GREEN
        else:
            colour = GREY
        cv2.rectangle(
            image, (box.left, box.top), (box.right - 1, box.bottom - 1), colour, thickness
        )
    for token in tokens:
        box = token.box
        cv2.rectangle(
            image, (box.left - 2, box.top - 2), (box.right + 1, box.bottom + 1), BLUE, thickness + 1
        )
        scale = max(0.4, box.height / 40)
        label = f"{token.text} {token.confidence:.2f}"
        cv2.putText(
            image,
            label,
            (box.left, max(12, box.top - 4)),
            cv2.FONT_HERSHEY_SIMPLEX,
            scale,
            BLUE,
            max(1, thickness),
            cv2.LINE_AA,
        )
    return image

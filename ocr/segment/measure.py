"""Small measures over glyph pieces: medians, percentiles, line height, stroke width."""

from __future__ import annotations

import math
from collections.abc import Sequence

from .pieces import Piece


def middle(values: list[int]) -> float:
    """The upper median of ``values``: the middle one, or the upper of the two middle ones."""
    ordered = sorted(values)
    return float(ordered[len(ordered) // 2])


def percentile(values: Sequence[float], q: float) -> float:
    """``np.percentile(values, q)`` to the bit, without numpy's overhead on short lists.

    The same linear interpolation, from the nearer of the two values.
    """
    ordered = sorted(values)
    index = (len(ordered) - 1) * (q / 100)
    below = math.floor(index)
    if below >= len(ordered) - 1:
        return float(ordered[-1])
    low, high = ordered[below], ordered[below + 1]
    fraction = index - below
    if fraction >= 0.5:
        return float(high - (high - low) * (1 - fraction))
    return float(low + (high - low) * fraction)


def median(values: Sequence[float]) -> float:
    """``np.median(values)`` to the bit, without numpy's overhead on short lists."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def line_height(line: list[Piece]) -> float:
    """The glyph height of a line: the 85th percentile of its pieces' heights."""
    # Digits and capitals are the tall glyphs; lower-case letters are shorter.
    return percentile([p.box.height for p in line], 85)


def stroke_width(pieces: list[Piece]) -> float:
    """Typical stroke width of some glyphs: their ink per horizontal run.

    Examples
    --------
    >>> import numpy as np
    >>> from ocr.types import Box
    >>> bars = np.zeros((10, 8), dtype=bool); bars[:, 1:3] = bars[:, 5:7] = True
    >>> stroke_width([Piece(Box(0, 0, 8, 10), bars)])
    2.0
    """
    ink = runs = 0
    for piece in pieces:
        mask = piece.mask
        ink += int(mask.sum())
        runs += int(mask[:, 0].sum()) + int((mask[:, 1:] & ~mask[:, :-1]).sum())
    return ink / runs if runs else 0.0

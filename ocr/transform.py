"""Where the corrected page's pixels came from: the turn and rotation of a page.

:func:`turn` and :func:`rotate` make the corrected page and the map to it;
a :class:`PageTransform` records both, and :func:`map_box`,
:func:`map_boxes` and :func:`map_lines` bring boxes on the corrected page
back to the input image's pixel grid.

Coordinates here are pixel *edges*: pixel ``(col, row)`` covers
``[col, col + 1) x [row, row + 1)``, so a box ``(left, top, width, height)``
has corners ``(left, top)`` and ``(left + width, top + height)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import cv2
import numpy as np

from .types import Box, Glyph, Line, PageDetail


@dataclass(frozen=True, slots=True)
class PageTransform:
    """How the corrected page was made from the input page.

    The input page was first turned ``quarter_turns`` times counter-clockwise
    (``np.rot90(page, quarter_turns)``), then rotated by ``-angle`` degrees
    about its centre onto a canvas large enough to hold it (``angle`` is the
    skew that was removed, counter-clockwise positive as seen on screen).

    Attributes
    ----------
    quarter_turns : int
        0..3.
    angle : float
        Degrees; 0.0 when the skew was not corrected.
    input_shape : tuple of int
        ``(height, width)`` of the input page.
    matrix : tuple of float
        The 2x3 affine map, row-major, from input pixel-edge coordinates to
        corrected pixel-edge coordinates.
    """

    quarter_turns: int
    angle: float
    input_shape: tuple[int, int]
    matrix: tuple[float, ...]

    @property
    def is_identity(self) -> bool:
        """True when the page was neither turned nor rotated."""
        return self.quarter_turns == 0 and self.angle == 0.0

    @staticmethod
    def identity(shape: tuple[int, int]) -> PageTransform:
        """The transform of a page left as it is."""
        return PageTransform(0, 0.0, (int(shape[0]), int(shape[1])), (1.0, 0.0, 0.0, 0.0, 1.0, 0.0))


def _affine(matrix: tuple[float, ...] | np.ndarray) -> np.ndarray:
    out = np.eye(3)
    out[:2] = np.asarray(matrix, dtype=np.float64).reshape(2, 3)
    return out


def turn(page: np.ndarray, quarter_turns: int) -> tuple[np.ndarray, np.ndarray]:
    """Turn a page by quarter turns counter-clockwise.

    Returns
    -------
    turned : ndarray
        ``np.rot90(page, quarter_turns)``, contiguous.
    matrix : ndarray, shape (3, 3)
        The map from the page's pixel-edge coordinates to the turned page's.
    """
    matrix = np.eye(3)
    height, width = page.shape[:2]
    for _ in range(quarter_turns % 4):
        # np.rot90 once: (x, y) -> (y, width - x), and the sides swap.
        matrix = np.array([[0.0, 1.0, 0.0], [-1.0, 0.0, width], [0.0, 0.0, 1.0]]) @ matrix
        height, width = width, height
    return np.ascontiguousarray(np.rot90(page, quarter_turns % 4)), matrix


def rotate(page: np.ndarray, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Rotate a page by ``angle`` degrees counter-clockwise onto a white canvas that holds it all.

    Returns
    -------
    rotated : ndarray of uint8
        The rotated page; the corners it uncovers are white (255).
    matrix : ndarray, shape (3, 3)
        The map from the page's pixel-edge coordinates to the rotated page's.
    """
    height, width = page.shape[:2]
    rad = math.radians(angle)
    cos, sin = abs(math.cos(rad)), abs(math.sin(rad))
    new_w = int(math.ceil(width * cos + height * sin - 1e-6))
    new_h = int(math.ceil(width * sin + height * cos - 1e-6))
    # cv2 maps pixel centres: turn about the centre, then centre on the canvas.
    centres = cv2.getRotationMatrix2D(((width - 1) / 2.0, (height - 1) / 2.0), angle, 1.0)
    centres[0, 2] += (new_w - width) / 2.0
    centres[1, 2] += (new_h - height) / 2.0
    rotated = cv2.warpAffine(
        page,
        centres,
        (new_w, new_h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=255,
    )
    # Pixel edges are pixel centres shifted by half a pixel.
    shift = np.array([[1.0, 0.0, 0.5], [0.0, 1.0, 0.5], [0.0, 0.0, 1.0]])
    unshift = np.array([[1.0, 0.0, -0.5], [0.0, 1.0, -0.5], [0.0, 0.0, 1.0]])
    return rotated, shift @ _affine(centres) @ unshift


def map_box(box: Box, transform: PageTransform) -> Box:
    """Bring a box on the corrected page back to the input page.

    Parameters
    ----------
    box : Box
        A box in the corrected page's pixels.
    transform : PageTransform
        What :func:`upright` returned.

    Returns
    -------
    box : Box
        The axis-aligned bound of the box's four corners mapped back to the
        input page, clipped to it.
    """
    return map_boxes([box], transform)[0]


def map_boxes(boxes: Sequence[Box], transform: PageTransform) -> list[Box]:
    """:func:`map_box` for many boxes, inverting the transform once.

    Parameters
    ----------
    boxes : sequence of Box
        Boxes in the corrected page's pixels.
    transform : PageTransform
        What :func:`upright` returned.

    Returns
    -------
    boxes : list of Box
        Each box mapped back to the input page, as :func:`map_box` maps it.
    """
    if transform.is_identity or not boxes:
        return list(boxes)
    inverse = np.linalg.inv(_affine(transform.matrix))
    edges = np.array([(b.left, b.top, b.right, b.bottom) for b in boxes], dtype=np.float64)
    left, top, right, bottom = edges.T
    ones = np.ones(len(boxes))
    corners = np.stack(
        [
            np.stack([left, top, ones], axis=1),
            np.stack([right, top, ones], axis=1),
            np.stack([left, bottom, ones], axis=1),
            np.stack([right, bottom, ones], axis=1),
        ],
        axis=1,
    )
    # A stack of 4x3 products, each the same product one box alone would need.
    mapped = corners @ inverse[:2].T
    low, high = mapped.min(axis=1), mapped.max(axis=1)
    height, width = transform.input_shape
    limit = np.array([width, height], dtype=np.float64)
    # A hair of tolerance so exact quarter turns give exact integers.
    low = np.minimum(np.maximum(np.floor(low + 1e-6), 0), limit).astype(np.int64)
    high = np.minimum(np.maximum(np.ceil(high - 1e-6), 0), limit).astype(np.int64)
    size = np.maximum(high - low, 0)
    return [
        Box(int(x), int(y), int(w), int(h))
        for (x, y), (w, h) in zip(low.tolist(), size.tolist(), strict=True)
    ]


def map_lines(lines: tuple[Line, ...], transform: PageTransform) -> tuple[Line, ...]:
    """Bring every line and token box back to the input page (see :func:`map_box`)."""
    if transform.is_identity:
        return lines
    boxes = [box for line in lines for box in (line.box, *(token.box for token in line.tokens))]
    mapped = iter(map_boxes(boxes, transform))
    out = []
    for line in lines:
        box = next(mapped)
        tokens = tuple(replace(token, box=next(mapped)) for token in line.tokens)
        out.append(replace(line, box=box, tokens=tokens))
    return tuple(out)


def map_detail(detail: PageDetail, transform: PageTransform) -> PageDetail:
    """Bring a page's lines, glyphs and frames back to the input page (see :func:`map_box`).

    Parameters
    ----------
    detail : PageDetail
        What was read on the corrected page.
    transform : PageTransform
        What :func:`ocr.orient.upright` returned.

    Returns
    -------
    PageDetail
        The same, every box in the input page's pixels.
    """
    glyph_boxes = map_boxes([g.box for g in detail.glyphs], transform)
    return PageDetail(
        map_lines(detail.lines, transform),
        tuple(
            Glyph(box, g.label, g.confidence)
            for box, g in zip(glyph_boxes, detail.glyphs, strict=True)
        ),
        tuple(map_boxes(detail.frames, transform)),
    )

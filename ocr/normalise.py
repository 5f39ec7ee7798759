"""Stage 3: glyph masks to 8x8 grids on the 0..16 scale of ``load_digits``.

scikit-learn's digits are 32x32 bitmaps whose 4x4 blocks count "on" pixels,
giving 8x8 grids of integers 0..16, with the digit filling the box along its
longer side. :func:`glyph_grid` reproduces that encoding for any ink mask,
with fractional ink coverage so that small glyphs keep their detail.
The grid loses a glyph's shape and size, so :func:`glyph_features` appends two
side features: the aspect ratio and the height relative to the line.
"""

from __future__ import annotations

import cv2
import numpy as np

NORMALISER_VERSION = 1
"""Bumped whenever the features change: a model built for another version is refused."""

BITMAP_SIZE = 32
GRID_SIZE = 8
N_GRID = GRID_SIZE * GRID_SIZE
N_FEATURES = N_GRID + 2
"""64 grid cells, then aspect ratio (width / height) and relative height."""


def glyph_grid(mask: np.ndarray) -> np.ndarray:
    """Encode one glyph as an 8x8 ink-count grid like ``load_digits``.

    Parameters
    ----------
    mask : ndarray, shape (h, w)
        Ink of the glyph (bool, or float in 0..1 for partial coverage).

    Returns
    -------
    grid : ndarray of float32, shape (8, 8)
        Values 0..16: the ink in each 4x4 cell of the 32x32 bitmap in which
        the glyph is cropped to its ink, scaled (aspect ratio kept) so its
        longer side spans 32 pixels, and centred.

    Examples
    --------
    >>> import numpy as np
    >>> bar = np.ones((32, 8), dtype=bool)
    >>> glyph_grid(bar)[0].tolist()
    [0.0, 0.0, 0.0, 16.0, 16.0, 0.0, 0.0, 0.0]
    """
    bitmap = np.zeros((1, BITMAP_SIZE, BITMAP_SIZE), dtype=np.float32)
    _draw_bitmap(mask, bitmap[0])
    np.clip(bitmap, 0.0, 1.0, out=bitmap)
    return _cell_sums(bitmap).reshape(GRID_SIZE, GRID_SIZE)


def _draw_bitmap(mask: np.ndarray, bitmap: np.ndarray) -> None:
    """Draw a glyph, as :func:`glyph_grid` encodes it, into a zeroed 32x32 bitmap.

    The values are not clipped to 0..1 yet: the caller clips all bitmaps at
    once, which is much cheaper than one by one.
    """
    ink = np.asarray(mask)
    if ink.ndim != 2:
        raise ValueError(f"mask must be 2-D, got shape {ink.shape}")
    if ink.dtype == bool:
        # One OpenCV call finds the ink's bounds (it reads bools as 0/1 bytes).
        left, top, width, height = cv2.boundingRect(ink.view(np.uint8))
        if width == 0:
            return
        ink = ink[top : top + height, left : left + width].astype(np.float32)
    else:
        ink = ink.astype(np.float32)
        rows = np.flatnonzero(ink.any(axis=1))
        if rows.size == 0:
            return
        cols = np.flatnonzero(ink.any(axis=0))
        ink = ink[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    height, width = ink.shape
    scale = BITMAP_SIZE / max(height, width)
    new_w = min(BITMAP_SIZE, max(1, round(width * scale)))
    new_h = min(BITMAP_SIZE, max(1, round(height * scale)))
    method = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    top, left = (BITMAP_SIZE - new_h) // 2, (BITMAP_SIZE - new_w) // 2
    bitmap[top : top + new_h, left : left + new_w] = cv2.resize(
        ink, (new_w, new_h), interpolation=method
    )


def _cell_sums(bitmaps: np.ndarray) -> np.ndarray:
    """The ink in each 4x4 cell of ``(n, 32, 32)`` bitmaps, as ``(n, 64)``.

    Added in the order of ``reshape(n, 8, 4, 8, 4).sum(axis=(2, 4))`` (each
    of a cell's four rows left to right, then the rows top to bottom), so
    the float32 sums are the same, but with 15 whole-array additions instead
    of numpy's slow reduction over two strided axes.
    """
    n, cell = len(bitmaps), BITMAP_SIZE // GRID_SIZE
    cells = bitmaps.reshape(n, GRID_SIZE, cell, GRID_SIZE, cell)
    rows = [
        ((cells[:, :, r, :, 0] + cells[:, :, r, :, 1]) + cells[:, :, r, :, 2])
        + cells[:, :, r, :, 3]
        for r in range(cell)
    ]
    return (((rows[0] + rows[1]) + rows[2]) + rows[3]).reshape(n, N_GRID)


def crop_to_ink(mask: np.ndarray) -> np.ndarray:
    """The mask cut to its ink's bounding box (empty when it has no ink),
    as segmentation hands a glyph over."""
    mask = np.asarray(mask)
    ink = mask.view(np.uint8) if mask.dtype == bool else (mask > 0).astype(np.uint8)
    left, top, width, height = cv2.boundingRect(ink)
    return mask[top : top + height, left : left + width]


MAX_SLANT = 0.6
"""Steepest slant :func:`deslant` undoes (horizontal shift per unit of height)."""


def slant(mask: np.ndarray) -> float:
    """A glyph's slant from its second moments: ``-mu11 / mu02``, clipped to :data:`MAX_SLANT`.

    Positive when the glyph leans right (its top to the right of its
    bottom, with rows counted downwards as in an image); 0 for an empty mask.
    """
    return _slant(cv2.moments(_as_bytes(mask), binaryImage=True))


def _as_bytes(mask: np.ndarray) -> np.ndarray:
    mask = np.asarray(mask)
    return mask.view(np.uint8) if mask.dtype == bool else mask.astype(np.uint8)


def _slant(moments: dict[str, float]) -> float:
    if moments["mu02"] <= 1e-6:
        return 0.0
    return float(np.clip(-moments["mu11"] / moments["mu02"], -MAX_SLANT, MAX_SLANT))


UPRIGHT = 0.03
"""Slants under this (a pixel over 30) are left as they are: shearing would only blur."""


def deslant(mask: np.ndarray) -> np.ndarray:
    """Shear a glyph upright about its centre of ink (moment-based deslanting).

    Handwriting leans by the writer, from upright to 30 degrees and more;
    upright, one writer's 4 lies near another's. The result is cropped to
    its ink.

    Parameters
    ----------
    mask : ndarray of bool, shape (h, w)

    Returns
    -------
    upright : ndarray of bool
        The glyph with its slant (:func:`slant`) sheared away; the mask
        itself when it leans by less than :data:`UPRIGHT`.

    Examples
    --------
    >>> import numpy as np
    >>> leaning = np.zeros((20, 30), dtype=bool)
    >>> for y in range(20):
    ...     leaning[y, 19 - y // 2: 23 - y // 2] = True
    >>> deslant(leaning).shape[1] < 8
    True
    """
    ink = _as_bytes(mask)
    moments = cv2.moments(ink, binaryImage=True)
    shear = _slant(moments) if moments["m00"] else 0.0
    if abs(shear) < UPRIGHT:
        return np.asarray(mask, dtype=bool)
    height, width = ink.shape
    pad = int(np.ceil(abs(shear) * height)) + 1
    centre_y = moments["m01"] / moments["m00"]
    # x' = x + shear * (y - centre_y): a right-leaning glyph (shear > 0 has
    # its top right) moves its top left and its bottom right.
    matrix = np.array([[1, shear, pad - shear * centre_y], [0, 1, 0]], dtype=np.float32)
    upright = crop_to_ink(
        cv2.warpAffine(ink, matrix, (width + 2 * pad, height), flags=cv2.INTER_LINEAR) > 0
    )
    return upright if upright.size else np.asarray(mask, dtype=bool)


def glyph_features(
    masks: list[np.ndarray], line_heights: np.ndarray, deslanted: bool = False
) -> np.ndarray:
    """Feature vectors of many glyphs: the 8x8 grid plus two side features.

    Parameters
    ----------
    masks : list of ndarray
        Ink masks, one per glyph, each cropped to its box.
    line_heights : ndarray of float, shape (n,)
        The height of the line each glyph sits on (its tall glyphs).
    deslanted : bool
        Encode each glyph upright (:func:`deslant`), as the handwriting
        vectors of a model are stored (bool masks only).

    Returns
    -------
    features : ndarray of float32, shape (n, 66)
        Columns 0..63: the grid, row-major, 0..16 (:func:`glyph_grid`).
        Column 64: the aspect ratio width / height clipped to 0..2. Column
        65: the glyph height over the line height clipped to 0..1.5.
    """
    if deslanted:
        masks = [deslant(mask) for mask in masks]
    out = np.zeros((len(masks), N_FEATURES), dtype=np.float32)
    bitmaps = np.zeros((len(masks), BITMAP_SIZE, BITMAP_SIZE), dtype=np.float32)
    for index, mask in enumerate(masks):
        _draw_bitmap(mask, bitmaps[index])
    # Interpolation may stray a rounding error outside 0..1.
    np.clip(bitmaps, 0.0, 1.0, out=bitmaps)
    out[:, :N_GRID] = _cell_sums(bitmaps)
    heights, widths = np.array([mask.shape for mask in masks], dtype=np.int64).reshape(-1, 2).T
    lines = np.asarray(line_heights, dtype=np.float64)
    out[:, N_GRID] = np.minimum(2.0, widths / np.maximum(1, heights))
    out[:, N_GRID + 1] = np.minimum(1.5, heights / np.maximum(1.0, lines))
    return out


def grids_from_bitmaps(bitmaps: np.ndarray) -> np.ndarray:
    """Encode 32x32 binary bitmaps (as in UCI optdigits) without rescaling.

    Parameters
    ----------
    bitmaps : ndarray, shape (n, 32, 32)

    Returns
    -------
    grids : ndarray of float32, shape (n, 64)
        The 4x4 block sums, exactly as ``load_digits`` was made.
    """
    bitmaps = np.asarray(bitmaps, dtype=np.float32)
    n = bitmaps.shape[0]
    return bitmaps.reshape(n, GRID_SIZE, 4, GRID_SIZE, 4).sum(axis=(2, 4)).reshape(n, N_GRID)


def relative_height(features: np.ndarray) -> np.ndarray:
    """The side feature that says how tall each glyph stands in its line.

    Parameters
    ----------
    features : ndarray, shape (n, 66)
        :func:`glyph_features` of the glyphs.

    Returns
    -------
    ndarray, shape (n,)
        Glyph height over its line's height, clipped to 0..1.5.
    """
    return features[:, N_GRID + 1]


def grid_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Euclidean distance of paired feature vectors on their 8x8 grids alone.

    Parameters
    ----------
    a, b : ndarray, shape (n, 66)
        Feature vectors (:func:`glyph_features`), compared row by row.

    Returns
    -------
    ndarray of float32, shape (n,)
        The side features left out, whose weight differs between views.
    """
    difference = a[:, :N_GRID].astype(np.float32) - b[:, :N_GRID].astype(np.float32)
    return np.sqrt(np.einsum("ij,ij->i", difference, difference))

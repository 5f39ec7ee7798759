"""Stage 1b: turn a page upright and straighten its skew before segmentation.

Pages scanned sideways or upside down are found by reading a sample of glyph
candidates in all four quarter turns and keeping the turn in which most of
them look like the training glyphs (:func:`detect_orientation`); a small
skew is measured from the projection profile of the glyph boxes' tops and
bottoms (:func:`estimate_skew`) and undone by a rotation with a white
border. :func:`upright` does both and returns the :class:`PageTransform`
from the input page to the corrected one, with which
:func:`ocr.transform.map_box` and :func:`ocr.transform.map_lines` bring
boxes back to the input image's pixel grid.

Coordinates here are pixel *edges*: pixel ``(col, row)`` covers
``[col, col + 1) x [row, row + 1)``, so a box ``(left, top, width, height)``
has corners ``(left, top)`` and ``(left + width, top + height)``.
"""

from __future__ import annotations

import math
from dataclasses import replace

import cv2
import numpy as np

from .classify import KNNClassifier
from .ink import PageInk, binarise, binarise_page, flatten_page, label_components
from .normalise import glyph_features
from .transform import PageTransform, rotate, turn

MAX_SKEW = 5.0
"""Largest skew (degrees, either way) that is looked for."""
MIN_SKEW = 0.3
"""Skews smaller than this (degrees) are left alone: the line finder follows them."""
SKEW_MIN_CONTRAST = 1.1
"""The best angle's profile must be this much more peaked than the median angle's."""
ORIENT_SAMPLE = 64
"""Glyph candidates read in each quarter turn to decide the orientation."""
ORIENT_MIN_GLYPHS = 16
"""Pages with fewer glyph candidates than this keep their orientation."""
ORIENT_MARGIN = 0.15
"""How many more votes (a share, 0..1) a turn must win than the page as it is."""
ORIENT_EARLY_MARGIN = 0.3
"""The page as it is wins the first half of the sample by this much: it is upright."""


# --------------------------------------------------------------------------- glyph boxes


def _as_uint8(ink: np.ndarray) -> np.ndarray:
    """A mask as 0/255 uint8, so that area downscaling keeps partial coverage."""
    return np.multiply(ink if ink.dtype == bool else ink != 0, np.uint8(255), dtype=np.uint8)


def glyph_boxes(ink: np.ndarray) -> np.ndarray:
    """Boxes of the ink's connected components that could be glyphs.

    Parameters
    ----------
    ink : ndarray of bool, shape (H, W)
        The page's ink, as :func:`ocr.ink.binarise` gives it.

    Returns
    -------
    boxes : ndarray of float, shape (n, 4)
        ``left, top, width, height`` in page pixels, in raster order of
        their top-left corners. Specks (under 8 px), rules, shadows and
        pictures (over 300 px, or sparse) are left out.

    Notes
    -----
    On pages over 4 Mpx (A4 at 300 dpi is 8.7), components are found on a 2x
    downscaled copy (a pixel there is ink when any of its four is), which is
    four times cheaper than at full resolution; the boxes are then precise
    to two pixels.
    """
    height, width = ink.shape
    factor = 2 if height * width >= 4_000_000 else 1
    small = _as_uint8(ink)
    if factor > 1:
        small = cv2.resize(small, (width // factor, height // factor), interpolation=cv2.INTER_AREA)
    _, _, stats = label_components(small > 0)
    stats = stats[1:].astype(np.float64)
    boxes, area = stats[:, :4] * factor, stats[:, 4] * factor * factor
    longer = boxes[:, 2:].max(axis=1)
    keep = (longer >= 8) & (longer <= 300) & (area >= 0.1 * boxes[:, 2] * boxes[:, 3])
    return boxes[keep]


# --------------------------------------------------------------------------- skew


def _peakiness(xs: np.ndarray, ys: np.ndarray, angles: np.ndarray, step: float) -> np.ndarray:
    """How peaked the profile of the points ``(xs, ys)`` is across each angle.

    The score per angle (degrees) is the sum of squares of the profile's
    counts, in bins ``step`` px high.
    """
    out = np.empty(len(angles))
    for i, angle in enumerate(np.radians(angles)):
        # Points on a line turned by `angle` share x sin + y cos.
        across = (xs * math.sin(angle) + ys * math.cos(angle)) / step
        across -= across.min()
        # Each point is shared between its two nearest bins, so that the
        # score changes smoothly with the angle.
        low = across.astype(np.int64)
        share = across - low
        counts = np.bincount(low, weights=1.0 - share, minlength=low.max() + 2) + np.bincount(
            low + 1, weights=share, minlength=low.max() + 2
        )
        out[i] = float(np.dot(counts, counts))
    return out


def _fine_skew(xs: np.ndarray, ys: np.ndarray, angle: float, typical: float) -> float:
    """The skew near ``angle`` by a profile search in 0.1 degree steps.

    Bins are a twelfth of a glyph high; a parabola through the best score and
    its two neighbours places the peak between the steps.
    """
    fine = angle + np.arange(-0.5, 0.5 + 1e-9, 0.1)
    scores = _peakiness(xs, ys, fine, max(1.0, typical / 12))
    index = int(np.argmax(scores))
    angle = float(fine[index])
    if 0 < index < len(fine) - 1:
        before, peak, after = scores[index - 1], scores[index], scores[index + 1]
        curvature = before - 2 * peak + after
        if curvature < 0:
            angle += 0.1 * 0.5 * (before - after) / curvature
    return angle


def estimate_skew(
    ink: np.ndarray, max_angle: float = MAX_SKEW, boxes: np.ndarray | None = None
) -> float:
    """Measure the skew of a page's text lines.

    Parameters
    ----------
    ink : ndarray of bool, shape (H, W)
        The page's ink, as :func:`ocr.ink.binarise` gives it.
    max_angle : float
        Largest skew looked for, in degrees either way.
    boxes : ndarray, optional
        :func:`glyph_boxes` of ``ink``, when they are already known.

    Returns
    -------
    angle : float
        Degrees by which the text lines are rotated counter-clockwise as
        seen on screen (``cv2.getRotationMatrix2D``'s convention); rotating
        the page by ``-angle`` straightens them. 0.0 when the page has too
        few glyphs, or no angle lines them up clearly better than the others
        (no horizontal text lines).

    Notes
    -----
    Works on the glyph boxes, not the ink: that ignores specks, shadows and
    pictures, and costs a few milliseconds. The tops and bottoms of the
    boxes (their top and bottom centres) are projected onto the page's
    vertical axis turned by each candidate angle, in 0.5 degree steps; at
    the skew of the text lines they pile up into the most peaked profile,
    measured by the sum of squares of its counts (its variance up to a
    constant). The angle is then refined by the slopes of the lines found
    at it (:func:`_fit_lines`), or, when that fails, by a profile search in
    0.1 degree steps and a parabola through the best three.
    """
    boxes = glyph_boxes(ink) if boxes is None else boxes
    if len(boxes) < 10:
        return 0.0
    left, top, width, height = boxes.T
    xs = np.concatenate([left + width / 2] * 2)
    ys = np.concatenate([top, top + height])
    typical = float(np.median(np.maximum(width, height)))

    # Coarse bins a quarter of a glyph high, fine ones a twelfth.
    coarse = np.arange(-max_angle, max_angle + 1e-9, 0.5)
    scores = _peakiness(xs, ys, coarse, max(1.0, typical / 4))
    index = int(np.argmax(scores))
    if scores[index] < SKEW_MIN_CONTRAST * float(np.median(scores)):
        return 0.0
    angle = float(coarse[index])
    # Refine by the lines' own slopes, grouping the glyphs into lines again
    # at the refined angle; fall back on a finer profile search.
    refined = _fit_lines(boxes, angle, typical)
    if refined is not None and abs(refined - angle) <= 0.75:
        again = _fit_lines(boxes, refined, typical)
        angle = refined if again is None else again
    else:
        angle = _fine_skew(xs, ys, angle, typical)
    return float(np.clip(angle, -max_angle, max_angle))


def _fit_lines(boxes: np.ndarray, angle: float, typical: float) -> float | None:
    """Refine a skew by the slopes of the glyph tops and bottoms along each line.

    Boxes are grouped into lines by their centres across the lines at
    ``angle``; the answer is the median slope over all pairs of glyphs of a
    line at least a glyph apart (tops with tops, bottoms with bottoms),
    weighted by their distance, so descenders and punctuation do not pull
    it. None when no line has three glyphs.
    """
    left, top, width, height = boxes.T
    centre_x, centre_y = left + width / 2, top + height / 2
    rad = math.radians(angle)
    across = centre_x * math.sin(rad) + centre_y * math.cos(rad)
    order = np.argsort(across)
    breaks = np.flatnonzero(np.diff(across[order]) > 0.5 * typical) + 1
    slopes: list[np.ndarray] = []
    weights: list[np.ndarray] = []
    for members in np.split(order, breaks):
        if len(members) < 3:
            continue
        if len(members) > 200:
            members = members[np.linspace(0, len(members) - 1, 200).astype(int)]
        i, j = np.triu_indices(len(members), k=1)
        a, b = members[i], members[j]
        dx = centre_x[b] - centre_x[a]
        far = np.abs(dx) >= typical
        a, b, dx = a[far], b[far], dx[far]
        for edge in (top, top + height):
            slopes.append((edge[b] - edge[a]) / dx)
            weights.append(np.abs(dx))
    if not slopes or not np.concatenate(weights).size:
        return None
    # A median weighted by the distance between the glyphs: far pairs
    # measure the slope more finely than the whole pixels of their edges.
    slope, weight = np.concatenate(slopes), np.concatenate(weights)
    order = np.argsort(slope)
    cumulative = np.cumsum(weight[order])
    median = float(slope[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    # y grows downwards: a line rising to the right has a negative slope.
    return -math.degrees(math.atan(median))


# --------------------------------------------------------------------------- orientation


def _glyph_sample(ink: np.ndarray, boxes: np.ndarray, limit: int) -> list[np.ndarray]:
    """Ink masks of up to ``limit`` glyph candidates of typical size, spread over the page.

    Each is cut from the full-resolution ink as the largest component inside
    its box. Bars and dashes, which read alike in two turns, are left out.
    The order interleaves the page: the first half of the list is spread
    over the page as evenly as the whole.
    """
    if len(boxes) == 0:
        return []
    longer = boxes[:, 2:].max(axis=1)
    shorter = boxes[:, 2:].min(axis=1)
    typical = float(np.median(longer))
    chosen = np.flatnonzero(
        (longer >= 10)
        & (longer >= 0.5 * typical)
        & (longer <= 2.0 * typical)
        & (longer <= 3.5 * shorter)
    )
    if len(chosen) > limit:
        chosen = chosen[np.linspace(0, len(chosen) - 1, limit).round().astype(int)]
    chosen = np.concatenate([chosen[::2], chosen[1::2]])
    height, width = ink.shape
    masks = []
    for x, y, w, h in boxes[chosen].astype(int):
        x0, y0 = max(0, x - 1), max(0, y - 1)
        crop = ink[y0 : min(height, y + h + 1), x0 : min(width, x + w + 1)].astype(np.uint8)
        count, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        if count <= 1:
            continue
        biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
        left, top, w, h = (int(v) for v in stats[biggest, :4])
        if max(w, h) < 10 or max(w, h) > 3.5 * min(w, h):
            continue
        masks.append(labels[top : top + h, left : left + w] == biggest)
    return masks


def orientation_votes(masks: list[np.ndarray], model: KNNClassifier) -> np.ndarray:
    """How many glyphs look most like the training glyphs in each quarter turn.

    Parameters
    ----------
    masks : list of ndarray of bool
        Glyph candidates as they lie on the page.
    model : KNNClassifier
        A fitted model.

    Returns
    -------
    votes : ndarray of float, shape (4,)
        For ``turns`` in 0..3, the share of candidates whose nearest
        training glyph is nearer when turned by ``np.rot90(mask, turns)``
        than in any other turn. All turns are classified in one batch.

    Notes
    -----
    Upright, a digit is near a training digit and a letter near a training
    letter of the reject class; turned, either is far from everything. A
    vote per glyph on that distance separates the turns far better than the
    mean confidence of the digits read: letters are confidently rejected in
    every turn, and many letters turned half round read as digits.
    """
    if not masks:
        return np.zeros(4)
    turned = [np.rot90(mask, turns) for turns in range(4) for mask in masks]
    # Each candidate is measured against its own height: digits are the tall
    # glyphs of their line, and the line is not known before the turn is.
    heights = np.array([mask.shape[0] for mask in turned], dtype=np.float32)
    distances, _ = model.kneighbors(glyph_features(turned, heights))
    nearest = distances[:, 0].reshape(4, len(masks))
    return (nearest <= nearest.min(axis=0)).mean(axis=1)


def detect_orientation(
    page: np.ndarray,
    model: KNNClassifier,
    ink: np.ndarray | None = None,
    boxes: np.ndarray | None = None,
) -> int:
    """Find how a page must be turned to stand upright.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.
    model : KNNClassifier
        A fitted model.
    ink : ndarray of bool, optional
        The page's binarisation, when it is already known.
    boxes : ndarray, optional
        :func:`glyph_boxes` of the ink, when they are already known.

    Returns
    -------
    quarter_turns : int
        0..3: ``np.rot90(page, quarter_turns)`` is upright. 0 unless another
        turn wins clearly more votes (:func:`orientation_votes`, by
        :data:`ORIENT_MARGIN`) and wins in both halves of the sample, and 0
        for a page with fewer than :data:`ORIENT_MIN_GLYPHS` glyph
        candidates.

    Notes
    -----
    Half of the sample is read first; when the page as it is wins that
    vote by :data:`ORIENT_EARLY_MARGIN`, the other half is not read, so an
    upright page costs about 4 x 32 classifications.
    """
    ink = binarise(page) if ink is None else ink
    boxes = glyph_boxes(ink) if boxes is None else boxes
    masks = _glyph_sample(ink, boxes, ORIENT_SAMPLE)
    if len(masks) < ORIENT_MIN_GLYPHS:
        return 0
    half = (len(masks) + 1) // 2
    first = orientation_votes(masks[:half], model)
    if first[0] - np.delete(first, 0).max() >= ORIENT_EARLY_MARGIN:
        return 0
    second = orientation_votes(masks[half:], model)
    votes = (half * first + (len(masks) - half) * second) / len(masks)
    best = int(np.argmax(votes))
    # Both halves, independent samples of the page, must prefer the turn.
    if (
        best != 0
        and votes[best] >= votes[0] + ORIENT_MARGIN
        and first[best] > first[0]
        and second[best] > second[0]
    ):
        return best
    return 0


# --------------------------------------------------------------------------- upright


def upright(
    page: np.ndarray,
    model: KNNClassifier,
    ink: PageInk | None = None,
    min_skew: float = MIN_SKEW,
) -> tuple[np.ndarray, PageInk, PageTransform]:
    """Turn a page upright and straighten its skew.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.
    model : KNNClassifier
        A fitted model, to read the glyph sample that decides the orientation.
    ink : PageInk, optional
        The page's binarisation (:func:`ocr.ink.binarise_page`), when already made.
    min_skew : float
        Skews smaller than this (degrees) are not corrected.

    Returns
    -------
    page : ndarray of uint8
        The corrected page (the input itself when nothing was changed).
    ink : PageInk
        Its binarisation, with its flattened page, to hand to
        :func:`ocr.segment.segment`.
    transform : PageTransform
        From the input page to the corrected one.

    Notes
    -----
    The page is turned first (:func:`detect_orientation`, an exact
    ``np.rot90`` of the page and its ink), then its skew is measured
    (:func:`estimate_skew`) and, when it reaches ``min_skew``, the page is
    rotated (:func:`rotate`) and binarised again, without the ink that
    touches its edge and spans over half of it (a dark scanner frame, no
    longer straight); a turned page is flattened again (the background
    estimate of a turned page is not exactly the turned estimate). An
    upright, straight page costs some 0.1 s on an A4 page at 300 dpi.
    """
    ink = binarise_page(page) if ink is None else ink
    shape = (int(page.shape[0]), int(page.shape[1]))
    boxes = glyph_boxes(ink.mask)
    turns = detect_orientation(page, model, ink=ink.mask, boxes=boxes)
    matrix = np.eye(3)
    if turns:
        page, matrix = turn(page, turns)
        mask, _ = turn(ink.mask, turns)
        ink = PageInk(mask, *flatten_page(page))
        boxes = glyph_boxes(ink.mask)
    angle = estimate_skew(ink.mask, boxes=boxes)
    if abs(angle) >= min_skew:
        page, rotation = rotate(page, -angle)
        matrix = rotation @ matrix
        rotated = binarise_page(page)
        ink = replace(rotated, mask=_drop_edge_blobs(rotated.mask))
    else:
        angle = 0.0
    transform = PageTransform(turns, angle, shape, tuple(float(v) for v in matrix[:2].ravel()))
    return page, ink, transform


def _drop_edge_blobs(ink: np.ndarray) -> np.ndarray:
    """Erase ink that touches the page's edge and spans over half of it.

    A dark scanner lid or table around a photographed receipt is a frame of
    straight, axis-aligned edges that the segmenter strips as rules; once
    the page is rotated to straighten its text, the frame is tilted, and
    kept whole it would swallow every glyph inside it.
    """
    if not (ink[0].any() or ink[-1].any() or ink[:, 0].any() or ink[:, -1].any()):
        return ink  # nothing touches the edge: spare the labelling
    height, width = ink.shape
    _, labels, stats = label_components(ink)
    left, top, w, h = (stats[:, i] for i in range(4))
    edge = (left == 0) | (top == 0) | (left + w == width) | (top + h == height)
    drop = edge & ((w > width // 2) | (h > height // 2))
    drop[0] = False  # the background
    if not drop.any():
        return ink
    return ink & ~drop[labels]

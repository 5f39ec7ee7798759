"""Stage 2: find glyphs on a page and group them into lines and words.

The page is binarised against an estimate of its own background (so uneven
lighting and faint thermal print threshold alike), split into connected
components, cleaned of specks, rules and box borders, and grouped into lines
(following a slight tilt) and words (by gap). Small pieces that sit on a line
become separator candidates (``.`` ``,`` ``:`` ``-``) decided by geometry.

Splitting touching glyphs needs the classifier: :func:`split_candidates`
lists the cuts to try and :func:`best_split` picks one from the parts'
scores, so the pipeline can read the parts of a whole page in one batch
(:func:`split_touching` does both for one glyph, with a scoring function).
Segmentation and recognition meet only through arrays.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

import cv2
import numpy as np

from .types import REJECT, Box

MIN_MAIN_HEIGHT = 7
"""Components shorter than this (px) never start a line: digits are >= 10 px."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One glyph candidate: its box and its ink mask (``bool``, box-sized)."""

    box: Box
    mask: np.ndarray

    @property
    def area(self) -> int:
        return int(self.mask.sum())


@dataclass(frozen=True, slots=True)
class SegmentedLine:
    """A line of glyph candidates in reading order.

    ``word_ids`` numbers the word of each piece. ``separators`` gives, per
    piece, the separator decided by geometry (``.``, ``,``, ``:``, ``-``), the
    reject label for small marks that are none of those, or ``""`` for a
    glyph the classifier must read. ``height`` is the line's glyph height,
    the reference for relative sizes.
    """

    pieces: tuple[Piece, ...]
    separators: tuple[str, ...]
    word_ids: tuple[int, ...]
    height: float
    in_number_field: tuple[bool, ...] = ()
    """Per piece, whether it stands in a form's comb: one digit per cell."""
    field_ids: tuple[int, ...] = ()
    """Per piece, the box or comb it stands in (numbered within the line), or -1."""

    @property
    def box(self) -> Box:
        return Box.enclosing([p.box for p in self.pieces])


# --------------------------------------------------------------------------- binarise


def binarise(page: np.ndarray) -> np.ndarray:
    """Separate ink from paper, robust to uneven lighting and faint print.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.

    Returns
    -------
    ink : ndarray of bool, shape (H, W)
        True where there is ink.

    Notes
    -----
    The background is estimated by a grey-level closing (max filter) of a
    downscaled copy, which erases strokes narrower than the filter; dividing
    by it flattens shading. Otsu's threshold on the flattened page is capped
    so that a blank noisy page does not turn its noise into ink.
    """
    if page.ndim != 2 or page.dtype != np.uint8:
        raise ValueError(f"page must be a 2-D uint8 array, got {page.dtype} {page.shape}")
    height, width = page.shape
    if height < 2 or width < 2:
        return np.zeros_like(page, dtype=bool)
    flat, threshold = _flat_page(page)
    ink = np.less(flat, np.uint8(threshold))
    if not ink.any() and threshold < 255 and int(flat.min()) == threshold:
        # A page of two grey levels (a born-digital image, a glyph without
        # anti-aliasing): Otsu's threshold is the darker level itself, and
        # the ink is the pixels at it.
        ink = np.equal(flat, np.uint8(threshold))
    return ink


def _flat_page(page: np.ndarray) -> tuple[np.ndarray, int]:
    """The page divided by its background (0..255) and the ink threshold on it."""
    height, width = page.shape
    factor = 4 if min(height, width) >= 64 else 1
    small = cv2.resize(page, (max(1, width // factor), max(1, height // factor)),
                       interpolation=cv2.INTER_AREA)
    # A filter wider than the widest stroke (about 1/4 of a 200 px glyph).
    size = max(3, (64 // factor) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    background = cv2.dilate(small, kernel)
    background = cv2.blur(background, (size, size))
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = _flatten(page, background)
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # flat is whole: flat < min(otsu, 216.75) is flat < the ceiling of it.
    return flat, math.ceil(min(float(otsu), 0.85 * 255))


HAIRLINE_RUN = 60
"""Shortest straight run (px) of a faint hairline rule, across its gaps."""
HAIRLINE_TICK = 24
"""Shortest upright run (px) of a faint hairline (a comb's tick, a grid line)."""
HAIRLINE_THICK = 4
"""A hairline is at most this many px thick in the faint ink."""
HAIRLINE_GAPS = 0.1
"""A rule is mended when binarisation left at least this share of it as gaps."""
HAIRLINE_CLEAR = 0.3
"""Share of a hairline's length at most that may have ink just beside it: a
rule has strokes crossing or touching it here and there, a row of text's
serifs has a stem every few pixels."""


def faint_hairlines(page: np.ndarray, ink: np.ndarray) -> np.ndarray:
    """Long thin rules that binarisation left broken into dashes.

    A form's 1 px ruling is about as dark as the ink threshold, so scan
    noise breaks it into dashes and gaps of tens of pixels: a box is then no
    frame and a comb no comb. Thresholded two fifths of the way from the ink
    threshold to white paper instead, such a rule is whole again. Straight
    runs of :data:`HAIRLINE_RUN` px (upright ones :data:`HAIRLINE_TICK`,
    standing on or hanging from a flat one) at most :data:`HAIRLINE_THICK`
    thick, broken in the ink, with paper beside most of their length, are
    returned as ink to add.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.
    ink : ndarray of bool, shape (H, W)
        Its binarisation.

    Returns
    -------
    rules : ndarray of bool, shape (H, W)
        The pixels of such rules (ink already or not).
    """
    if page.ndim != 2 or min(page.shape) < 2:
        return np.zeros(page.shape, dtype=bool)
    flat, threshold = _flat_page(page)
    faint = np.less(flat, np.uint8(threshold + 2 * (255 - threshold) // 5)).view(np.uint8)
    solid = np.ascontiguousarray(ink, dtype=bool).view(np.uint8)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (HAIRLINE_RUN, 1))
    flat_runs = cv2.morphologyEx(faint, cv2.MORPH_OPEN, kernel)
    found = np.zeros_like(faint)
    if not flat_runs.any():
        return found.astype(bool)
    _faint_runs(flat_runs, solid, found, upright=False)
    # An upright hairline is a tick or a grid line only where it stands on
    # (or hangs from) a flat one: alone it may be a rotated page's edge.
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, HAIRLINE_TICK))
    upright_runs = cv2.morphologyEx(faint, cv2.MORPH_OPEN, kernel)
    _faint_runs(upright_runs, solid, found, upright=True, ends=flat_runs)
    return found.astype(bool)


def _faint_runs(runs: np.ndarray, ink: np.ndarray, out: np.ndarray, *, upright: bool,
                ends: np.ndarray | None = None) -> None:
    """Mark in ``out`` the ``runs`` of faint ink (flat or upright) that are
    hairline rules, ending on ``ends`` within 3 px where given.

    Works along and across each run in place: transposing a page costs more
    than everything else here.
    """
    if not runs.any():
        return
    count, labels, stats = label_components(runs)
    size = runs.shape[1] if upright else runs.shape[0]
    for index, (left, top, width, height, _) in enumerate(stats[1:count].tolist(), start=1):
        # Along the run: start and length; across it: offset and thickness.
        start, length, offset, thick = (top, height, left, width) if upright else (
            left, width, top, height)
        if thick > HAIRLINE_THICK:
            continue
        if ends is not None:
            across = slice(max(0, offset - 1), offset + thick + 1)
            near_ends = [slice(max(0, start - 3), start + 4),
                         slice(max(0, start + length - 4), start + length + 3)]
            if not any(ends[(end, across) if upright else (across, end)].any()
                       for end in near_ends):
                continue
        along, across = slice(start, start + length), slice(offset, offset + thick)
        axis = 1 if upright else 0
        band = ink[(along, across) if upright else (across, along)]
        if (~band.any(axis=axis)).mean() < HAIRLINE_GAPS:
            continue  # a rule binarisation kept whole: it is left as it is
        beside = [slice(max(0, offset - 3), max(0, offset - 1)),
                  slice(offset + thick + 1, min(size, offset + thick + 3))]
        shares = [ink[(along, side) if upright else (side, along)].any(axis=axis).mean()
                  for side in beside if side.stop > side.start]
        if shares and max(shares) > HAIRLINE_CLEAR:
            continue
        area = (slice(top, top + height), slice(left, left + width))
        out[area] |= (labels[area] == index).view(np.uint8)


def _flatten(page: np.ndarray, background: np.ndarray) -> np.ndarray:
    """``floor(255 * page / max(background, 1))`` clipped to 0..255, as uint8.

    The quotient of two whole numbers (at most 65025 and 255) is whole or at
    least 1/255 away from the next whole number, so cv2's float32 quotient,
    shifted down by just under a half, rounds to its floor in the uint8
    conversion: the same values as the float arithmetic in numpy, in one
    pass instead of six over the page. Strips of 64 rows keep the float32
    quotient in the CPU's cache.
    """
    denominator = cv2.max(background, 1)
    flat = np.empty(page.shape, dtype=np.uint8)  # C order, whatever the page's (rot90 views)
    quotient = np.empty((min(64, len(page)), page.shape[1]), dtype=np.float32)
    for top in range(0, len(page), len(quotient)):
        rows = slice(top, top + len(quotient))
        strip = quotient[:len(page[rows])]
        cv2.divide(page[rows], denominator[rows], dst=strip, scale=255.0, dtype=cv2.CV_32F)
        cv2.convertScaleAbs(strip, dst=flat[rows], alpha=1.0, beta=-0.5 + 0.5 / 255)
    return flat


# --------------------------------------------------------------------------- components

_SHORT_LABELS = int(cv2.__version__.split(".")[0]) >= 5
"""OpenCV 5 raises on running out of 16-bit labels; older versions overrun memory."""


def label_components(ink: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats`` of a mask, with 8-connectivity.

    Parameters
    ----------
    ink : ndarray, shape (H, W)
        Ink where nonzero once cast to uint8 (bool, or 0/1 or 0/255 bytes).

    Returns
    -------
    count : int
        Components, the background (label 0) included.
    labels : ndarray of uint16 or int32, shape (H, W)
    stats : ndarray of int32, shape (count, 5)
        ``left, top, width, height, area`` of each label.

    Notes
    -----
    16-bit labels, where the OpenCV version stops safely when they run
    out, make the same labels and stats as 32-bit ones about three times
    faster (OpenCV 5.0); a page with more than 65535 provisional labels is
    labelled again with 32-bit ones.
    """
    image = ink.view(np.uint8) if ink.dtype == bool else ink.astype(np.uint8, copy=False)
    if _SHORT_LABELS:
        try:
            count, labels, stats, _ = cv2.connectedComponentsWithStats(
                image, connectivity=8, ltype=cv2.CV_16U)
            return count, labels, stats
        except cv2.error:
            pass
    count, labels, stats, _ = cv2.connectedComponentsWithStats(image, connectivity=8)
    return count, labels, stats


def _components(ink: np.ndarray, offset: tuple[int, int] = (0, 0)) -> list[Piece]:
    count, labels, stats = label_components(ink)
    pieces = []
    dx, dy = offset
    for index, (left, top, width, height, area) in enumerate(stats.tolist()):
        if index == 0 or area < 2:
            continue
        mask = labels[top:top + height, left:left + width] == index
        pieces.append(Piece(Box(left + dx, top + dy, width, height), mask))
    return pieces


@dataclass(frozen=True, slots=True)
class Field:
    """A printed field found in a form's ruling: a box, or a comb of cells.

    ``cells`` are left to right, each the space between two printed
    separators (box sides, grid lines or the short ticks of a comb) and
    between its rules; a comb's cells each hold one handwritten glyph.
    """

    cells: tuple[Box, ...]

    @property
    def box(self) -> Box:
        return Box.enclosing(list(self.cells))

    @property
    def is_comb(self) -> bool:
        """Two or more cells of about the same width: one glyph per cell."""
        if len(self.cells) < 2:
            return False
        widths = [c.width for c in self.cells]
        return max(widths) <= 1.3 * min(widths)


def _is_rule(box: Box) -> bool:
    """Long thin horizontal or vertical strokes: table rules, underlines, and
    the one-pixel-wide upright pieces a faint hairline border's sides break
    into (no glyph's stroke is one pixel wide over 15). Flat hairlines are
    left to the marks, which know a writer's digits around them."""
    return (box.width >= 10 * box.height and box.width >= 30) or (
        box.height >= 15 * box.width and box.height >= 60
    ) or (box.width == 1 and box.height >= HAIRLINE_RULE)


HAIRLINE_RULE = 15


TILT_RUN = 60
"""Shortest straight run (px) of a rule's stroke: a rule 2 px thick still
runs this far in one row when it is tilted 2 degrees, where a page's skew was
not taken out exactly (a box's rule then steps from row to row)."""


def _horizontal_rules(mask: np.ndarray, length: int) -> np.ndarray:
    """The horizontal rules of a mask at least ``length`` long, tilted a little.

    An opening keeps the straight horizontal runs of :data:`TILT_RUN` px or
    more (or ``length``, if shorter); the steps of a slightly tilted rule
    touch one another and make one component, kept when it spans ``length``.
    A handwritten stroke is not that long and straight.
    """
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (min(length, TILT_RUN), 1))
    runs = cv2.morphologyEx(mask, cv2.MORPH_OPEN, kernel)
    if length <= TILT_RUN or not runs.any():
        return runs
    count, labels, stats = label_components(runs)
    keep = stats[:, cv2.CC_STAT_WIDTH] >= length
    keep[0] = False  # the background
    return keep[labels].view(np.uint8)


def _run_length(lines: np.ndarray, axis: int) -> float:
    """Typical thickness of the rules in ``lines``: the rows (``axis=0``, for
    horizontal rules) or columns they cover, per band of consecutive ones.

    Rules of one piece are printed alike: their ink over their length, so
    that a rule tilted across a few rows is as thick as a straight one.
    """
    if axis:
        lines = lines.T
    covered = lines.any(axis=1)
    edges = np.flatnonzero(np.diff(covered.astype(np.int8), prepend=0, append=0))
    length = sum(int(lines[first:last].any(axis=0).sum())
                 for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True))
    return int(np.count_nonzero(lines)) / length if length else 0.0


def _bridges(rest: np.ndarray, erased: np.ndarray, reach: int, vertical: bool) -> np.ndarray:
    """Erased rule pixels that a stroke crosses: ink on both sides of the rule.

    Parameters
    ----------
    rest : ndarray of uint8
        Ink left once the rules are erased (0/1).
    erased : ndarray of uint8
        Ink pixels erased as one direction of rule (0/1).
    reach : int
        How far across the erased band to look for ink: its thickness.
    vertical : bool
        Look up and down (across a horizontal rule), else left and right.

    Returns
    -------
    bridges : ndarray of uint8
        The pixels of ``erased`` to give back, so that a digit written
        across a box border or an underline stays in one piece.
    """
    if not vertical:
        return _bridges(rest.T, erased.T, reach, True).T
    out = np.zeros_like(erased)
    covered = erased.any(axis=1)
    edges = np.flatnonzero(np.diff(covered.astype(np.int8), prepend=0, append=0))
    # Only the rows of each rule and a reach either side: a page-wide table
    # is mostly rows without a rule.
    kernel = np.ones((reach + 1, 3), np.uint8)
    for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True):
        top, bottom = max(0, first - reach), min(len(rest), last + reach)
        near = np.ascontiguousarray(rest[top:bottom])
        # A stroke crosses a rule at a slant: ink one pixel aside still counts.
        above = cv2.dilate(near, kernel, anchor=(1, reach))
        below = cv2.dilate(near, kernel, anchor=(1, 0))
        rows = slice(first - top, last - top)
        out[first:last] = erased[first:last] & above[rows] & below[rows]
    return out


def _strip_lines(piece: Piece) -> list[Piece]:
    """Remove straight rules from a piece (an underline, a box border).

    Returns the pieces left once the rules are erased, so digits that touch
    an underline or a box border survive it; the piece itself when it holds
    no rule (a large thin ``7`` is not a frame).
    """
    return _strip_structure(piece)[0]


def _strip_structure(piece: Piece) -> tuple[list[Piece], list[Field]]:
    """Remove a form's ruling from a piece; keep the strokes that cross it.

    Rules are long horizontal runs (an underline, the sides of a box or a
    comb's baseline) and, in a frame, long vertical ones. A stroke that
    crosses a rule keeps the rule pixels between its two sides. Short thin
    verticals standing on or hanging from a rule are printed too when they
    join two rules (box sides, grid lines) or stand at a regular pitch
    (a comb's ticks, at least three): they are erased, and the cells
    between them recorded as a :class:`Field`.

    Returns
    -------
    pieces : list of Piece
        What is left; the piece itself when it holds no rule.
    fields : list of Field
        The boxes and combs found in the piece.
    """
    box, mask = piece.box, piece.mask.astype(np.uint8)
    if box.width >= 3 * box.height:
        # Underlined text or a comb: one horizontal run spanning most of the width.
        lines_h = _horizontal_rules(mask, max(30, int(0.8 * box.width)))
        if not lines_h.any():
            return [piece], []
        lines_v, sides = np.zeros_like(mask), []
        rows = lines_h.any(axis=1)
        if (rows[1:] & ~rows[:-1]).sum() + rows[0] >= 2:
            # A wide box's sides join its two rules; a digit's stem on an
            # underline touches one.
            v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(30, box.height // 2)))
            lines_v, sides = _sides(cv2.morphologyEx(mask, cv2.MORPH_OPEN, v_kernel), lines_h,
                                    False)
    else:
        # A frame: long horizontal and vertical runs make up most of its ink,
        # or run along its four sides (a box with a thick digit inside).
        v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(30, box.height // 2)))
        lines_h = _horizontal_rules(mask, max(30, box.width // 2))
        lines_v = cv2.morphologyEx(mask, cv2.MORPH_OPEN, v_kernel)
        lines_v, sides = _sides(lines_v, lines_h, True)
        if (int(lines_h.sum()) + int(lines_v.sum()) < 0.5 * mask.sum()
                and not _four_sides(lines_h, lines_v)):
            return [piece], []
    # Erase the rule with a pixel of margin: anti-aliased edges hug it.
    square = np.ones((3, 3), np.uint8)
    erase_h = cv2.dilate(lines_h, square)
    erase_v = cv2.dilate(lines_v, square)
    rest = mask & ~(erase_h | erase_v) & 1
    # Rule pixels between the two halves of a crossing stroke go back.
    reach_h = int(math.ceil(_run_length(lines_h, 0))) + 3
    kept = rest | _bridges(rest, erase_h & mask & ~erase_v, reach_h, vertical=True)
    if lines_v.any():
        reach_v = int(math.ceil(_run_length(lines_v, 1))) + 3
        kept |= _bridges(rest, erase_v & mask & ~erase_h, reach_v, vertical=False)
    pieces = _components(kept.astype(bool), (box.left, box.top))
    thickness = max(1.0, _run_length(lines_h, 0))
    pieces, fields = _take_separators(pieces, erase_h, sides, box, thickness)
    return [p for p in pieces if not _is_rule(p.box)], fields


def _sides(lines_v: np.ndarray, lines_h: np.ndarray, tall: bool
           ) -> tuple[np.ndarray, list[tuple[int, int, int, int]]]:
    """The vertical runs that are printed: they join two horizontal rules or,
    where ``tall`` is set, run nearly the whole height (a table's rule).

    The long stroke of a handwritten digit written across a box's border
    touches one rule at most, and stays ink. Returns the runs kept and
    their boxes (left, top, width, height).
    """
    count, labels, stats = label_components(lines_v)
    height = lines_v.shape[0]
    kept = []
    for index, (left, top, width, length, _) in enumerate(stats[1:count].tolist(), start=1):
        cols = slice(max(0, left - 2), left + width + 2)
        ends = (lines_h[max(0, top - 2):top + 3, cols].any()
                and lines_h[max(0, top + length - 3):top + length + 2, cols].any())
        if not (ends or (tall and length >= 0.9 * height)):
            # Most runs are kept: clear the few others where they lie.
            area = (slice(top, top + length), slice(left, left + width))
            lines_v[area][labels[area] == index] = 0
        else:
            kept.append((left, top, width, length))
    return lines_v, kept


def _four_sides(lines_h: np.ndarray, lines_v: np.ndarray) -> bool:
    """Horizontal runs near the top and bottom, vertical ones near both sides."""
    height, width = lines_h.shape
    rows, cols = lines_h.any(axis=1), lines_v.any(axis=0)
    edge_y, edge_x = max(2, height // 8), max(2, width // 8)
    return bool(rows[:edge_y].any() and rows[-edge_y:].any()
                and cols[:edge_x].any() and cols[-edge_x:].any())


def _take_separators(pieces: list[Piece], erase_h: np.ndarray,
                     sides: list[tuple[int, int, int, int]], box: Box, thickness: float
                     ) -> tuple[list[Piece], list[Field]]:
    """Drop the printed separators among the pieces left by a rule; find the cells.

    A separator is a thin straight vertical piece that ends on a rule (it
    stands on it or hangs from it). Joining two rules makes it printed (a
    box side, a grid line); a tick touching one rule is printed only among
    three or more at a regular pitch on the same rule (a ``1`` written on
    an underline is a glyph). Long verticals already erased as a frame's
    sides count as separators for the cells.
    """
    erase_h = erase_h > 0
    height, width = erase_h.shape
    # (x centre, y of the rule it ends on, top, bottom, joins two rules, index or -1)
    found: list[tuple[float, int, int, int, bool, int]] = []
    widest = max(4.0, 2.5 * thickness + 1)
    for index, p in enumerate(pieces):
        b = p.box
        x0, y0 = b.left - box.left, b.top - box.top
        if b.width > widest or b.height < 2.5 * b.width or p.area < 0.75 * b.width * b.height:
            continue
        lo, hi = max(0, x0 - 1), min(width, x0 + b.width + 1)
        above = y0 > 0 and bool(erase_h[y0 - 1, lo:hi].any())
        below = y0 + b.height < height and bool(erase_h[y0 + b.height, lo:hi].any())
        if above or below:
            rule_y = y0 + b.height if below else y0 - 1
            found.append((x0 + b.width / 2, rule_y, y0, y0 + b.height, above and below, index))
    for left, top, w, h in sides:
        found.append((left + w / 2, top + h, top, top + h, True, -1))
    drop: set[int] = set()
    fields: list[Field] = []
    for group in _by_rule(found, max(3.0, 2 * thickness + 3)):
        chain = _regular_chain([f[0] for f in group])
        both = [f for f in group if f[4]]
        if len(chain) >= 3:
            members = [group[i] for i in chain]
        elif len(both) >= 2:
            members = both  # the sides of a box, not a comb
        else:
            drop.update(f[5] for f in both if f[5] >= 0)
            continue
        drop.update(f[5] for f in members if f[5] >= 0)
        fields.append(_field_cells(members, box))
    return [p for i, p in enumerate(pieces) if i not in drop], fields


def _by_rule(found: list[tuple[float, int, int, int, bool, int]], tolerance: float
             ) -> list[list[tuple[float, int, int, int, bool, int]]]:
    """Separators grouped by the rule they end on (its y), each left to right."""
    groups: list[list[tuple[float, int, int, int, bool, int]]] = []
    for item in sorted(found, key=lambda f: f[1]):
        if groups and item[1] - groups[-1][-1][1] <= tolerance:
            groups[-1].append(item)
        else:
            groups.append([item])
    return [sorted(g, key=lambda f: f[0]) for g in groups]


def _regular_chain(xs: list[float]) -> list[int]:
    """Indices of the longest run of ``xs`` (sorted) spaced at one regular pitch.

    A glyph standing in a cell (a ``1``) falls between two ticks, off the
    pitch, and is left out; a tick hidden by a digit written over it
    (a gap of two pitches) is skipped over.

    Examples
    --------
    >>> _regular_chain([0, 50, 100, 125, 150, 200])
    [0, 1, 2, 4, 5]
    """
    if len(xs) < 3:
        return []
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    best: list[int] = []
    best_score = 0
    for pitch in sorted(set(gaps)):
        if pitch < 8:
            continue
        for start in range(len(xs)):
            chain, skipped = [start], 0
            for i in range(start + 1, len(xs)):
                steps = (xs[i] - xs[chain[-1]]) / pitch
                if steps < 0.8:
                    continue  # off the pitch: a glyph inside a cell
                if abs(steps - round(steps)) > 0.2 or round(steps) > 2:
                    break
                chain.append(i)
                skipped += round(steps) - 1
            # Each skipped tick costs one: half the pitch through a 1 in
            # every cell is no better than the pitch itself.
            score = len(chain) - skipped
            if score >= best_score:
                best, best_score = chain, score
    return best if len(best) >= 3 else []


def _field_cells(members: list[tuple[float, int, int, int, bool, int]], box: Box) -> Field:
    """The cells between consecutive separators, in page pixels.

    A cell between two rules spans them; a comb's ticks stand on one rule,
    and its cells reach a pitch and a half above it (below, for ticks that
    hang from a rule), where the handwriting is.
    """
    xs = [m[0] for m in members]
    gaps = [b - a for a, b in zip(xs, xs[1:], strict=False)]
    pitch = min(gaps)
    top = min(m[2] for m in members)
    bottom = max(m[3] for m in members)
    if not all(m[4] for m in members):
        if all(m[1] >= m[3] - 1 for m in members):  # standing on the rule below
            top = min(top, int(bottom - 1.5 * pitch))
        else:
            bottom = max(bottom, int(top + 1.5 * pitch))
    cells = []
    for x0, gap in zip(xs, gaps, strict=False):
        steps = max(1, round(gap / pitch))  # a tick hidden under a digit
        for k in range(steps):
            left = x0 + k * gap / steps
            cells.append(Box(box.left + int(round(left)), box.top + top,
                             max(1, int(round(gap / steps))), bottom - top))
    return Field(tuple(cells))


def _may_hold_rules(piece: Piece) -> bool:
    box = piece.box
    if box.width >= 3 * box.height and box.width >= 40:
        return True
    if min(box.width, box.height) < 40:
        return False
    fill = piece.area / float(box.width * box.height)
    if fill < 0.2:
        return True
    # A small box with thick sides (or digits touching them) is denser than
    # a large thin frame: ink along nearly all of its four edges tells it.
    return fill < 0.45 and _edges_covered(piece.mask)


def _edges_covered(mask: np.ndarray, share: float = 0.9) -> bool:
    """Ink along at least ``share`` of each of the four edges of a mask
    (within an eighth of its size of the edge): a frame, not a glyph."""
    height, width = mask.shape
    edge_y, edge_x = max(3, height // 8), max(3, width // 8)
    return bool(mask[:edge_y].any(axis=0).mean() >= share
                and mask[-edge_y:].any(axis=0).mean() >= share
                and mask[:, :edge_x].any(axis=1).mean() >= share
                and mask[:, -edge_x:].any(axis=1).mean() >= share)


def _merge_broken(pieces: list[Piece]) -> list[Piece]:
    """Join pieces of one glyph broken by faint print: stacked, almost touching.

    Pairs are found in one sweep over the pieces sorted by their left edge
    and joined with a union-find, so the cost stays near-linear on a page of
    thousands of components.
    """
    pieces = sorted(pieces, key=lambda p: (p.box.left, p.box.top))
    parent = list(range(len(pieces)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    boxes = [p.box for p in pieces]
    lefts = np.array([b.left for b in boxes])
    rights = np.array([b.right for b in boxes])
    tops = np.array([b.top for b in boxes])
    bottoms = np.array([b.bottom for b in boxes])
    heights = bottoms - tops
    ends = np.searchsorted(lefts, rights, side="left")
    # Candidates (i, j), i < j, overlap in x (sorted by left edge) and nearly
    # in y; all pairs at once, in the order of i, then j.
    counts = np.maximum(ends - np.arange(len(boxes)) - 1, 0)
    first = np.repeat(np.arange(len(boxes)), counts)
    second = first + 1 + np.arange(len(first)) - np.repeat(np.cumsum(counts) - counts, counts)
    gap_y = (np.maximum(tops[second], tops[first])
             - np.minimum(bottoms[second], bottoms[first]))
    near = gap_y <= np.maximum(1, 0.08 * np.maximum(heights[second], heights[first]))
    for i, j in zip(first[near].tolist(), second[near].tolist(), strict=True):
        if _same_glyph(boxes[i], boxes[j]):
            parent[root(j)] = root(i)
    groups: dict[int, list[Piece]] = {}
    for i, piece in enumerate(pieces):
        groups.setdefault(root(i), []).append(piece)
    merged = []
    for members in groups.values():
        piece = members[0]
        for other in members[1:]:
            piece = _union(piece, other)
        merged.append(piece)
    return merged


def _same_glyph(a: Box, b: Box) -> bool:
    overlap_x = min(a.right, b.right) - max(a.left, b.left)
    if overlap_x <= 0:
        return False
    gap_y = max(a.top, b.top) - min(a.bottom, b.bottom)
    tall = max(a.height, b.height)
    small = min(a.height, b.height)
    if small < MIN_MAIN_HEIGHT and tall >= 2 * MIN_MAIN_HEIGHT and gap_y > 0:
        return False  # a dot above or below a glyph is a separate mark
    contained = gap_y < 0 and overlap_x >= min(a.width, b.width)
    if contained and (_framed(a, b) or _framed(b, a)):
        return False  # a glyph inside a frame left whole: not a part of it
    broken = overlap_x >= 0.5 * min(a.width, b.width) and gap_y <= max(1, 0.08 * tall)
    return contained or broken


def _framed(outer: Box, inner: Box, margin: int = 2) -> bool:
    """``inner`` stands clear inside ``outer``, which is far wider: a glyph
    in a box whose border was not taken out, not a broken glyph's part (nor
    the dot inside a zero, far shorter than it)."""
    return (inner.height >= max(MIN_MAIN_HEIGHT, 0.4 * outer.height)
            and outer.width >= max(40, 1.5 * inner.width)
            and inner.left - outer.left >= margin and outer.right - inner.right >= margin
            and inner.top - outer.top >= margin and outer.bottom - inner.bottom >= margin)


def _union(a: Piece, b: Piece) -> Piece:
    box = a.box.union(b.box)
    mask = np.zeros((box.height, box.width), dtype=bool)
    for piece in (a, b):
        y, x = piece.box.top - box.top, piece.box.left - box.left
        mask[y:y + piece.box.height, x:x + piece.box.width] |= piece.mask
    return Piece(box, mask)


def find_frames(ink: np.ndarray, min_size: int = 40) -> list[Box]:
    """Printed rectangles on a page: the boxes of a form's fields.

    Parameters
    ----------
    ink : ndarray of bool, shape (H, W)
    min_size : int
        Smallest width and height of a frame, in pixels.

    Returns
    -------
    frames : list of Box
        Outer boxes of components made mostly of long horizontal and
        vertical strokes that run along all four sides, top to bottom.
    """
    count, labels, stats = label_components(ink)
    frames = []
    for index in range(1, count):
        left, top, width, height, area = (int(v) for v in stats[index])
        if width < min_size or height < min_size or area > 0.3 * width * height:
            continue
        mask = (labels[top:top + height, left:left + width] == index).astype(np.uint8)
        h_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(0.8 * width)), 1))
        v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(0.8 * height))))
        rows = cv2.morphologyEx(mask, cv2.MORPH_OPEN, h_kernel).any(axis=1)
        cols = cv2.morphologyEx(mask, cv2.MORPH_OPEN, v_kernel).any(axis=0)
        edge_y, edge_x = max(2, height // 8), max(2, width // 8)
        if (rows[:edge_y].any() and rows[-edge_y:].any()
                and cols[:edge_x].any() and cols[-edge_x:].any()):
            frames.append(Box(left, top, width, height))
    frames.sort(key=lambda b: (b.top, b.left))
    return frames


def find_pieces(ink: np.ndarray) -> list[Piece]:
    """Connected components of ``ink`` cleaned of rules and box borders.

    Parameters
    ----------
    ink : ndarray of bool, shape (H, W)

    Returns
    -------
    pieces : list of Piece
        Glyph candidates (and small marks), parts of broken glyphs merged.
    """
    return find_structure(ink)[0]


def find_structure(ink: np.ndarray) -> tuple[list[Piece], list[Field]]:
    """Like :func:`find_pieces`, with the form fields found in the ruling.

    Parameters
    ----------
    ink : ndarray of bool, shape (H, W)

    Returns
    -------
    pieces : list of Piece
        Glyph candidates (and small marks), parts of broken glyphs merged,
        without rules, box borders, grid lines and comb ticks; strokes that
        cross them are kept whole.
    fields : list of Field
        Boxes and combs, each with its cells left to right.
    """
    pieces: list[Piece] = []
    fields: list[Field] = []
    for piece in _components(ink):
        if _is_rule(piece.box):
            if piece.box.height >= 8 and piece.box.width >= 30:
                # A comb alone (its baseline and ticks): nothing of it is a
                # glyph, but its cells group the glyphs written in them.
                fields.extend(_strip_structure(piece)[1])
            continue
        if _may_hold_rules(piece):
            kept, found = _strip_structure(piece)
            pieces.extend(kept)
            fields.extend(found)
        else:
            pieces.append(piece)
    pieces = _merge_broken(pieces)
    dotted = _dotted_rules([p.box for p in pieces])
    return [p for i, p in enumerate(pieces) if i not in dotted], fields


DOT_MAX = 12
"""The dots of a dotted rule are at most this many px wide and high."""
MIN_DOTTED = 8
"""A dotted rule has at least this many dots."""


def _dotted_rules(boxes: list[Box]) -> set[int]:
    """Indices of the dots that make up dotted rules (writing lines, leaders).

    A dotted rule is a row of small dots of one size at a regular pitch of
    at least twice their size (small letters of a low-resolution line stand
    closer), :data:`MIN_DOTTED` or more. Handwriting on the line hides a few dots
    (they join the glyph that touches them): runs of two or more dots go on
    across such a gap at the same pitch. A lone dot after a gap is left, so
    the decimal point of an amount after dot leaders survives.
    """
    dots = sorted((i for i, b in enumerate(boxes) if b.width <= DOT_MAX and b.height <= DOT_MAX
                   and b.width >= 2 and b.height >= 2),
                  key=lambda i: boxes[i].left)
    if len(dots) < MIN_DOTTED:
        return set()
    xs = np.array([boxes[i].left + boxes[i].width / 2 for i in dots])

    def centre(i: int) -> tuple[float, float]:
        b = boxes[i]
        return b.left + b.width / 2, b.top + b.height / 2

    def alike(a: Box, b: Box) -> bool:
        return (abs(a.width - b.width) <= max(2, 0.4 * a.width)
                and abs(a.height - b.height) <= max(2, 0.4 * a.height))

    # The next dot to the right on the same row, of the same size and near.
    following: dict[int, int] = {}
    for n, i in enumerate(dots):
        a = boxes[i]
        size = max(a.width, a.height)
        x, y = centre(i)
        stop = int(np.searchsorted(xs, x + 7 * size, side="right"))
        best, best_dx = -1, math.inf
        for m in range(n + 1, stop):
            j = dots[m]
            xj, yj = centre(j)
            dx = xj - x
            if dx > 0 and abs(yj - y) <= 2 and dx < best_dx and alike(a, boxes[j]):
                best, best_dx = j, dx
        if best >= 0 and best_dx >= 2 * size:
            following[i] = best
    # Runs at one pitch along the links.
    has_prev = set(following.values())
    runs: list[list[int]] = []
    for i in dots:
        if i in has_prev and i in following:
            continue
        if i in has_prev:
            continue
        run = [i]
        pitch = 0.0
        while run[-1] in following:
            j = following[run[-1]]
            step = centre(j)[0] - centre(run[-1])[0]
            if pitch and abs(step - pitch) > 0.25 * pitch:
                runs.append(run)
                run, pitch = [j], 0.0
                continue
            pitch = pitch or step
            run.append(j)
        runs.append(run)
    # Runs of one rule across the glyphs written on it: same row, size and
    # pitch, a whole number of pitches apart.
    runs = [r for r in runs if len(r) >= 2]
    runs.sort(key=lambda r: centre(r[0])[0])
    pitch_of = [(centre(r[-1])[0] - centre(r[0])[0]) / (len(r) - 1) for r in runs]
    chains: list[list[int]] = []
    used = [False] * len(runs)
    for a in range(len(runs)):
        if used[a]:
            continue
        chain, last, pitch = list(runs[a]), a, pitch_of[a]
        used[a] = True
        for b in range(a + 1, len(runs)):
            if used[b]:
                continue
            (x0, y0), (x1, y1) = centre(runs[last][-1]), centre(runs[b][0])
            steps = (x1 - x0) / pitch
            if x1 - x0 > 12 * pitch:
                break
            if (abs(y1 - y0) <= 3 and 1.5 <= steps and abs(steps - round(steps)) <= 0.3
                    and abs(pitch_of[b] - pitch) <= 0.2 * pitch
                    and alike(boxes[runs[last][-1]], boxes[runs[b][0]])):
                chain.extend(runs[b])
                used[b] = True
                last = b
        chains.append(chain)
    return {i for chain in chains if len(chain) >= MIN_DOTTED for i in chain}


# --------------------------------------------------------------------------- lines


def _group_lines(mains: list[Piece]) -> list[list[Piece]]:
    """Chain glyphs left to right into lines, following a slight tilt."""
    lines: list[list[Piece]] = []
    tails: list[tuple[float, float, int]] = []  # top, bottom, right of a line's end
    # The tails' tops and bottoms again, to find the few that overlap a glyph at once.
    tail_tops, tail_bottoms = np.empty(len(mains)), np.empty(len(mains))
    for piece in sorted(mains, key=lambda p: (p.box.left, p.box.top)):
        box = piece.box
        best, best_score = -1, 0.0
        count = len(tails)
        overlapping = np.flatnonzero((tail_bottoms[:count] >= box.top)
                                     & (tail_tops[:count] <= box.bottom))
        for index in overlapping.tolist():
            top, bottom, right = tails[index]
            overlap = min(bottom, box.bottom) - max(top, box.top)
            score = overlap / max(1.0, min(bottom - top, box.height))
            if box.left - right > 8 * (bottom - top):
                score -= 0.3  # far away on the same height: prefer a closer line
            if score > best_score:
                best, best_score = index, score
        if best >= 0 and best_score >= 0.5:
            lines[best].append(piece)
            # The last glyphs of the line follow its drift.
            tail = lines[best][-3:]
            tails[best] = (_middle([p.box.top for p in tail]),
                           _middle([p.box.bottom for p in tail]),
                           max(p.box.right for p in tail))
        else:
            best = len(tails)
            lines.append([piece])
            tails.append((box.top, box.bottom, box.right))
        tail_tops[best], tail_bottoms[best] = tails[best][:2]
    return lines


def _middle(values: list[int]) -> float:
    ordered = sorted(values)
    return float(ordered[len(ordered) // 2])


def _percentile(values: list[float], q: float) -> float:
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


def _median(values: list[float]) -> float:
    """``np.median(values)`` to the bit, without numpy's overhead on short lists."""
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def _line_height(line: list[Piece]) -> float:
    # Digits and capitals are the tall glyphs; lower-case letters are shorter.
    return _percentile([p.box.height for p in line], 85)


COLUMN_GAP = 4.0
"""Glyphs further apart than this many line heights are measured apart:
the fields of a form's two columns share a line but not a handwriting size."""


SHORT_GROUP = 0.75
"""A group of glyphs under this share of the line's height is measured alone."""


def local_heights(line: SegmentedLine) -> list[float]:
    """The height each glyph of a line is measured against.

    The line's height, except on a line whose glyphs stand in groups (further
    apart than :data:`COLUMN_GAP` line heights, or in a box or comb of a
    form): there a group that is short as a whole (:data:`SHORT_GROUP`) is
    measured against its own glyphs, so a number written small in one
    column, or in a small box, is not taken for lower-case beside a large
    one or a printed label.

    Returns
    -------
    heights : list of float
        One per piece; marks (pieces with a separator) get the line's height.
    """
    glyphs = sorted((i for i, sep in enumerate(line.separators) if not sep),
                    key=lambda i: line.pieces[i].box.left)
    heights = [line.height] * len(line.pieces)
    limit = COLUMN_GAP * line.height
    field_of = line.field_ids or (-1,) * len(line.pieces)
    # The glyphs in one box or comb are a group; so are glyphs far from the rest.
    in_fields: dict[int, list[int]] = {}
    groups: list[list[int]] = []
    right = None
    for i in glyphs:
        if field_of[i] >= 0:
            in_fields.setdefault(field_of[i], []).append(i)
            continue
        box = line.pieces[i].box
        if right is None or box.left - right > limit:
            groups.append([])
        groups[-1].append(i)
        right = box.right if right is None else max(right, box.right)
    groups += in_fields.values()
    for group in groups if len(groups) > 1 else []:
        height = _line_height([line.pieces[i] for i in group])
        # Only a group that stands short as a whole: elsewhere the line's
        # height is the better measure (a column of figures beside capitals).
        if height < SHORT_GROUP * line.height:
            for i in group:
                heights[i] = height
    return heights


def stroke_width(pieces: list[Piece]) -> float:
    """Typical stroke width of some glyphs: their ink per horizontal run.

    Examples
    --------
    >>> import numpy as np
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


def _classify_mark(mark: Box, left: Box | None, right: Box | None, height: float) -> str:
    """Name a small mark on a line by its geometry: ``. , -`` or reject."""
    neighbours = [b for b in (left, right) if b is not None]
    baseline = sum(b.bottom for b in neighbours) / len(neighbours)
    top = sum(b.top for b in neighbours) / len(neighbours)
    centre = (mark.top + mark.bottom) / 2.0
    if mark.width >= 1.4 * mark.height and mark.height <= 0.3 * height:
        middle = (centre - top) / max(1.0, baseline - top)
        if 0.25 <= middle <= 0.8 and mark.width <= 1.2 * height:
            return "-"
        if middle > 0.8 and mark.width <= 0.35 * height:
            return "."  # a small dot flattened by the scan
        return REJECT
    if mark.width <= 0.45 * height and mark.height <= 0.55 * height:
        if mark.bottom < baseline - 0.3 * height:
            return REJECT  # quote marks and other marks high on the line
        # A comma is taller than wide and hangs below the baseline; a blurred
        # or JPEG-smeared dot can reach a pixel below it too.
        if mark.height >= 1.1 * mark.width and mark.bottom > baseline + max(1.0, 0.06 * height):
            return ","
        # Monospaced fonts print a large square period (0.3-0.4 of a digit).
        if mark.height <= 0.42 * height:
            return "."
    return REJECT


def _attach_marks(
    lines: list[list[Piece]], marks: list[Piece]
) -> list[list[tuple[Piece, str]]]:
    """Add small marks to the line they sit on; drop stray specks."""
    out: list[list[tuple[Piece, str]]] = [[(p, "") for p in line] for line in lines]
    heights = [_line_height(line) for line in lines]
    strokes: dict[int, float] = {}  # measured for the lines that get a mark
    spans = [(min(p.box.top for p in line), max(p.box.bottom for p in line)) for line in lines]
    # How far above and below each line a mark may sit, to find the few lines near it at once.
    reach_top = np.array([top for top, _ in spans], dtype=np.float64) - heights
    reach_bottom = np.array([bottom for _, bottom in spans], dtype=np.float64) + heights
    for mark in sorted(marks, key=lambda p: (p.box.left, p.box.top)):
        box = mark.box
        best = None
        near_lines = np.flatnonzero((box.bottom >= reach_top) & (box.top <= reach_bottom))
        for index in near_lines.tolist():
            line, height = lines[index], heights[index]
            left = [p.box for p in line if p.box.right <= box.left + 1]
            right = [p.box for p in line if p.box.left >= box.right - 1]
            lb = max(left, key=lambda b: b.right) if left else None
            rb = min(right, key=lambda b: b.left) if right else None
            near = [b for b in (lb, rb) if b is not None
                    and min(abs(box.left - b.right), abs(b.left - box.right)) <= 0.9 * height]
            if not near:
                continue
            top = min(b.top for b in near) - 0.15 * height
            bottom = max(b.bottom for b in near) + 0.45 * height
            if box.top >= top and box.bottom <= bottom:
                best = (index, lb, rb, height)
                break
        if best is None:
            continue
        index, lb, rb, height = best
        fill = mark.area / float(box.width * box.height)
        # A dot is about as thick as the strokes: one pixel in a thin font at
        # receipt resolution, so the floor follows the line's stroke width.
        if index not in strokes:
            strokes[index] = stroke_width(lines[index])
        dot_floor = max(1.0, min(0.06 * height, 0.5 * strokes[index]))
        dot_too_small = min(box.width, box.height) < dot_floor
        thin_dash = box.width >= 4 * box.height and box.width >= 0.3 * height
        if (dot_too_small and not thin_dash) or fill < 0.2:
            continue  # a speck of noise, not printed punctuation
        out[index].append((mark, _classify_mark(box, lb, rb, height)))
    return [_join_colons(items, heights[i]) for i, items in enumerate(out)]


def _join_colons(items: list[tuple[Piece, str]], height: float) -> list[tuple[Piece, str]]:
    """Two dots stacked at the same x are one colon."""
    items = list(items)
    for low_index, (low, low_label) in enumerate(items):
        if low_label != ".":
            continue
        for high_index, (high, high_label) in enumerate(items):
            # A bold upper dot flattened by the scan reads as a hyphen; a real
            # hyphen is much wider than the dot under it.
            dot_like = high_label == REJECT or (
                high_label == "-" and high.box.width <= 1.5 * low.box.width + 1)
            if not dot_like or high.box.height > 0.3 * height:
                continue
            overlap = min(high.box.right, low.box.right) - max(high.box.left, low.box.left)
            if overlap > 0 and high.box.bottom < low.box.top:
                items[low_index] = (_union(high, low), ":")
                del items[high_index]
                return _join_colons(items, height)
    return items


def _split_words(items: list[tuple[Piece, str]], height: float) -> list[int]:
    """Word number of each item: a gap wider than a space starts a new word.

    Narrow glyphs such as ``1`` sit in wide cells in both proportional and
    monospaced fonts, so a gap alone is not enough: two glyphs are also in
    different words only when their centres are further apart than the
    line's typical glyph pitch allows. A mark (``.`` ``,`` ``:`` ``-``) is
    in the word of a neighbour unless the gap on that side is clearly wider
    than on the other: ``12.50`` is symmetric (in monospace too, where the
    dot sits in a cell of its own), ``No. 123`` has a space after the dot.
    """
    mains = [p.box for p, s in items if s == ""]
    gaps = [b.left - a.right for a, b in zip(mains, mains[1:], strict=False)]
    pitches = [(b.left + b.right - a.left - a.right) / 2
               for a, b in zip(mains, mains[1:], strict=False)]
    typical_gap = _median(gaps) if gaps else 0.0
    # Touching glyphs not yet split inflate some pitches: take a low quantile.
    typical_pitch = _percentile(pitches, 30) if pitches else height
    # A space is at least ~0.3 of the digit height even in narrow fonts, and
    # well above the line's typical gap between letters.
    word_gap = max(0.25 * height, 2.5 * typical_gap)
    word_pitch = max(0.7 * height, 1.2 * typical_pitch)
    mark_cap = max(1.0 * height, 3.0 * typical_gap)

    def span(i: int) -> tuple[float, float]:
        # A narrow glyph (1, l) sits in a cell as wide as a digit's.
        box, mark = items[i][0].box, items[i][1]
        half = box.width / 2 if mark else max(box.width, 0.5 * height) / 2
        centre = box.left + box.width / 2
        return centre - half, centre + half

    def gap(a: int, b: int) -> float:
        """Gap between item a and item b, to its right."""
        return span(b)[0] - span(a)[1]

    def lopsided(near: float, far: float) -> bool:
        return near > max(2.0 * far + 0.06 * height, 0.4 * height) or near > mark_cap

    def dot_over(i: int) -> bool:
        """A speck over the glyph before it: the dot of an i or j."""
        box, mark = items[i][0].box, items[i][1]
        if mark != REJECT or i == 0 or items[i - 1][1]:
            return False
        below = items[i - 1][0].box
        return below.left <= box.left + box.width / 2 <= below.right

    word_ids, word = [0] * len(items), 0
    for i in range(1, len(items)):
        if dot_over(i):
            # In the word of its glyph, and measured past, so that it never
            # ends a word: Till, not Ti ll.
            word_ids[i] = word
            continue
        j = i - 1 if i < 2 or not dot_over(i - 1) else i - 2
        (prev, prev_mark), (cur, cur_mark) = items[j], items[i]
        if not prev_mark and not cur_mark:
            pitch = (cur.box.left + cur.box.right - prev.box.left - prev.box.right) / 2
            split = gap(j, i) > word_gap and pitch > word_pitch
        elif cur_mark and not prev_mark:
            after = gap(i, i + 1) if i + 1 < len(items) and not items[i + 1][1] else None
            split = gap(j, i) > mark_cap if after is None else lopsided(gap(j, i), after)
        elif prev_mark and not cur_mark:
            before = gap(j - 1, j) if j >= 1 and not items[j - 1][1] else None
            split = gap(j, i) > mark_cap if before is None else lopsided(gap(j, i), before)
        else:
            split = gap(j, i) > word_gap
        word += int(split)
        word_ids[i] = word
    return word_ids


MAX_COMB_CELL = 2.5
"""A comb's cells are at most this many line heights wide (a table's are wider)."""


BOX_GAP = 1.5
"""Glyphs in one box are one word unless further apart than this many line heights."""


COMB_STEP = 0.2
"""A glyph just outside a comb, off its pitch by at most this share of it,
stands in a cell whose ticks were not found."""


def _extend_comb(items: list[tuple[Piece, str]], mains: list[int],
                 places: list[tuple[int, int] | None], fi: int, field: Field) -> None:
    """Place in comb ``fi`` the glyphs that continue it at its pitch.

    A comb found only in part (its first ticks lost under the writing)
    leaves the digits before it outside: 62747 read 2 and 747. A glyph
    next to the comb, one pitch (then two) from its end cell's centre and
    level with it, is taken as standing in the next cell. ``places`` is
    updated in place, with cell numbers below 0 or past the last cell.
    """
    cells = field.cells
    pitch = _median([c.width for c in cells])
    first = cells[0].left + cells[0].width / 2
    last = cells[-1].left + cells[-1].width / 2
    area = field.box
    outside = [i for i in mains if places[i] is None
               and area.top <= items[i][0].box.top + items[i][0].box.height / 2 < area.bottom]

    def step(i: int, origin: float) -> float:
        box = items[i][0].box
        return (box.left + box.width / 2 - origin) / pitch

    for direction, origin, start in ((-1, first, 0), (1, last, len(cells) - 1)):
        want = direction
        for i in sorted(outside, key=lambda i: direction * items[i][0].box.left):
            k = step(i, origin)
            if direction * k < 0.5:
                continue
            if abs(k - want) > COMB_STEP:
                break
            places[i] = (fi, start + want)
            want += direction


def _field_words(items: list[tuple[Piece, str]], word_ids: list[int], fields: list[Field],
                 height: float) -> tuple[list[int], list[bool], list[int]]:
    """Word numbers redrawn along the form's fields.

    Glyphs in consecutive cells of one comb are one word whatever the gap
    between them (one digit per cell leaves cell-wide gaps); a glyph in a
    field and one outside it (a printed label beside its box) are never
    one word. A comb's cells hold one glyph each: a field whose cells hold
    more is a table row and keeps its words.

    Parameters
    ----------
    items : list of (Piece, str)
        One line's pieces left to right, with their separators.
    word_ids : list of int
        Their word numbers from :func:`_split_words`.
    fields : list of Field
        The page's fields.
    height : float
        The line's glyph height.

    Returns
    -------
    word_ids : list of int
        New word numbers, non-decreasing from 0.
    in_number_field : list of bool
        Per piece, whether it stands in a comb: a field for one number, one
        digit per cell. (Boxes are left out: on receipts a framed total is
        print, and reading it as handwriting cost SROIE 0.012 F1.)
    field_ids : list of int
        Per piece, the field (box or comb) it stands in, numbered within the
        line, or -1.
    """
    if not items:
        return word_ids, [], []
    line = Box.enclosing([p.box for p, _ in items])
    near = [f for f in fields if f.box.left < line.right and line.left < f.box.right
            and f.box.top < line.bottom and line.top < f.box.bottom]
    if not near:
        return word_ids, [False] * len(items), [-1] * len(items)

    def place(piece: Piece) -> tuple[int, int] | None:
        cx = piece.box.left + piece.box.width / 2
        cy = piece.box.top + piece.box.height / 2
        for fi, field in enumerate(near):
            for ci, cell in enumerate(field.cells):
                if cell.left <= cx < cell.right and cell.top <= cy < cell.bottom:
                    return fi, ci
        return None

    places = [place(p) for p, _ in items]
    mains = [i for i, (_, s) in enumerate(items) if s == ""]
    per_cell = Counter(places[i] for i in mains if places[i] is not None)
    combs = {fi for fi, field in enumerate(near)
             if field.is_comb and max(c.width for c in field.cells) <= MAX_COMB_CELL * height
             and all(n == 1 for (f, _), n in per_cell.items() if f == fi)}
    for fi in combs:
        _extend_comb(items, mains, places, fi, near[fi])
    # A single box whose glyphs are all tall (digits, no lower-case label).
    boxes = {fi for fi, field in enumerate(near) if len(field.cells) == 1
             and per_cell.get((fi, 0), 0) >= 2
             and all(items[i][0].box.height >= 0.7 * height
                     for i in mains if places[i] is not None and places[i][0] == fi)}
    starts = [i > 0 and word_ids[i] != word_ids[i - 1] for i in range(len(items))]
    for j, i in zip(mains, mains[1:], strict=False):
        a, b = places[j], places[i]
        field_a = None if a is None else a[0]
        field_b = None if b is None else b[0]
        in_one_comb = field_a is not None and field_a == field_b and field_a in combs
        if in_one_comb and a is not None and b is not None and b[1] == a[1] + 1:
            for k in range(j + 1, i + 1):
                starts[k] = False
        elif (field_a is not None and field_a == field_b and field_a in boxes
              and items[i][0].box.left - items[j][0].box.right <= BOX_GAP * height):
            # One box, one number: a writer's wide gap does not split it.
            for k in range(j + 1, i + 1):
                starts[k] = False
        elif field_a != field_b and not any(starts[j + 1:i + 1]):
            # Between the label and its box: where the box's side begins.
            cut = next((k for k in range(j + 1, i + 1)
                        if (None if places[k] is None else places[k][0]) == field_b), i)
            starts[cut] = True
    out, word = [], 0
    for start in starts:
        word += int(start)
        out.append(word)
    numbers = combs
    return (out, [place is not None and place[0] in numbers for place in places],
            [-1 if place is None else place[0] for place in places])


def segment(page: np.ndarray, ink: np.ndarray | None = None) -> list[SegmentedLine]:
    """Find the glyphs of a page and group them into lines and words.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.
    ink : ndarray of bool, optional
        A binarisation to use instead of :func:`binarise`.

    Returns
    -------
    lines : list of SegmentedLine
        In reading order: top to bottom, glyphs left to right.
    """
    ink = binarise(page) if ink is None else ink
    ink = ink | faint_hairlines(page, ink)
    pieces, fields = find_structure(ink)
    if not pieces:
        return []
    mains = [p for p in pieces if p.box.height >= MIN_MAIN_HEIGHT]
    marks = [p for p in pieces if p.box.height < MIN_MAIN_HEIGHT]
    lines = _group_lines(mains)
    if fields:
        lines = _one_line_per_field(lines, fields)
    # Marks that are small relative to their line (dots, dashes) are
    # separated from the glyphs before heights are measured.
    final_lines: list[list[Piece]] = []
    hanging = _hanging_lines(lines)
    slivers: list[Box] = []
    for index, line in enumerate(lines):
        height = _line_height(line)
        if index in hanging:
            # A comma hanging below its line, or a dot: not a line of its own.
            marks.extend(line)
            continue
        if fields:
            # What is left of a ruled box's side, a pixel wide beside digits
            # written with a pen several times thicker, is no 1.
            pen = stroke_width(line)
            thin = [p for p in line if p.box.width < SLIVER * pen
                    and p.box.height >= 0.5 * height]
            slivers.extend(p.box for p in thin)
            line = [p for p in line if p not in thin]
        keep = [p for p in line if not _is_mark_size(p.box, height)]
        marks.extend(p for p in line if _is_mark_size(p.box, height))
        if keep:
            final_lines.append(keep)
    final_lines = _drop_small_lines(final_lines)
    # And the speck of the rule at the sliver's foot goes with it.
    marks = [m for m in marks if not any(
        m.box.left <= s.right + 2 and s.left - 2 <= m.box.right
        and s.top <= m.box.top <= s.bottom + s.height for s in slivers)]
    with_marks = _attach_marks(final_lines, marks)
    rules: list[Box] | None = None
    result = []
    for items in with_marks:
        items.sort(key=lambda item: (item[0].box.left, item[0].box.top))
        height = _line_height([p for p, s in items if s == ""])
        word_ids = _split_words(items, height)
        in_field, field_ids = [False] * len(items), [-1] * len(items)
        if fields:
            word_ids, in_field, field_ids = _field_words(items, word_ids, fields, height)
        if rules is None:
            rules = writing_rules(ink)
        if rules:
            field_ids = _on_writing_lines(items, word_ids, field_ids, rules, height)
        result.append(SegmentedLine(
            pieces=tuple(p for p, _ in items),
            separators=tuple(s for _, s in items),
            word_ids=tuple(word_ids),
            height=height,
            in_number_field=tuple(in_field),
            field_ids=tuple(field_ids),
        ))
    result.sort(key=lambda line: _median([p.box.top + p.box.height / 2 for p in line.pieces]))
    return result


def writing_rules(ink: np.ndarray) -> list[Box]:
    """The flat rules of a page, at most :data:`WRITING_RULE_THICK` px thick:
    the lines a form's entries are written on (and a table's rules)."""
    u8 = np.ascontiguousarray(ink, dtype=bool).view(np.uint8)
    # Rules are long: looked for in columns of 4 px (ink in any of them),
    # a quarter of the work; their ends are then known to 4 px.
    step = 4
    spread = cv2.dilate(u8, cv2.getStructuringElement(cv2.MORPH_RECT, (step, 1)),
                        anchor=(0, 0))
    narrow = np.ascontiguousarray(spread[:, ::step])
    # Closing gaps of a dot's pitch makes a dotted line whole; it makes text
    # a band as high as its letters, which is no rule.
    dots = cv2.getStructuringElement(cv2.MORPH_RECT, (DOT_MAX // step + 1, 1))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (HAIRLINE_RUN // step, 1))
    runs = cv2.morphologyEx(cv2.morphologyEx(narrow, cv2.MORPH_CLOSE, dots), cv2.MORPH_OPEN,
                            kernel)
    if not runs.any():
        return []
    count, _, stats = label_components(runs)
    found = []
    for left, top, cols, thick, _ in stats[1:count].tolist():
        box = Box(left * step, top, cols * step, thick)
        # Paper under it: the tops of a line of capitals below make a run too.
        if thick <= WRITING_RULE_THICK and u8[box.bottom + 1:box.bottom + 4, box.left:box.right
                                              ].any(axis=0).mean() <= HAIRLINE_CLEAR:
            found.append(box)
    return found


WRITING_RULE_THICK = 8
"""A writing line is at most this many px thick."""
RULE_BELOW = (-0.4, 0.6)
"""A word stands on a writing line whose top is this many line heights
above (negative) or below its glyphs' feet."""


def _on_writing_lines(items: list[tuple[Piece, str]], word_ids: list[int],
                      field_ids: list[int], rules: list[Box], height: float) -> list[int]:
    """Field numbers for the words that stand alone on a writing line.

    A number written on a form's line is an entry as much as one written in
    a box: each word outside any box or comb that is the only word over a
    rule running under its feet, and drawn longer than it, gets a field
    number of its own (after the line's boxes and combs). The widest such
    rule counts, where a digit's own foot makes a short run too.
    """
    out = list(field_ids)
    mains = [i for i, (_, sep) in enumerate(items) if not sep]
    words: dict[int, list[int]] = {}
    for i in mains:
        words.setdefault(word_ids[i], []).append(i)
    boxes = {w: Box.enclosing([items[i][0].box for i in members])
             for w, members in words.items()}
    next_id = max(field_ids, default=-1) + 1
    for word, members in words.items():
        if any(field_ids[i] >= 0 for i in members):
            continue
        box = boxes[word]
        feet = _median([items[i][0].box.bottom for i in members])
        slack = 0.5 * height
        under = [r for r in rules
                 if RULE_BELOW[0] * height <= r.top - feet <= RULE_BELOW[1] * height
                 and r.left <= box.left + slack and r.right >= box.right - slack
                 # A line is drawn longer than what is written on it; a run
                 # along a slab-serif word's feet ends with the word.
                 and (r.left <= box.left - height or r.right >= box.right + height)]
        if not under:
            continue
        rule = max(under, key=lambda r: r.width)
        if any(other != word and b.left < rule.right and b.right > rule.left
               for other, b in boxes.items()):
            continue  # other words share the rule: a table's row, a sentence
        for i in members:
            out[i] = next_id
        next_id += 1
    return out


FIELD_LINE = 2.0
"""A field less high than this many of its tallest glyph's heights holds one
line of writing."""


def _one_line_per_field(lines: list[list[Piece]], fields: list[Field]) -> list[list[Piece]]:
    """Glyphs in one low field (a box, a comb) put on one line.

    A writer's digit dropped half its height below its neighbours overlaps
    them too little to be chained into their line (385997 read 38597 and
    9); a field too low for two lines of writing holds one.
    """
    def centre_in(box: Box, field: Box) -> bool:
        cx, cy = box.left + box.width / 2, box.top + box.height / 2
        return field.left <= cx < field.right and field.top <= cy < field.bottom

    for field in fields:
        area = field.box
        holders = [i for i, line in enumerate(lines)
                   if any(centre_in(p.box, area) for p in line)]
        if len(holders) < 2:
            continue
        inside = [p for i in holders for p in lines[i] if centre_in(p.box, area)]
        if area.height >= FIELD_LINE * max(p.box.height for p in inside):
            continue
        # Into the line that holds most of the field's glyphs.
        keep = max(holders, key=lambda i: sum(centre_in(p.box, area) for p in lines[i]))
        for i in holders:
            if i == keep:
                continue
            moved = [p for p in lines[i] if centre_in(p.box, area)]
            lines[i] = [p for p in lines[i] if not centre_in(p.box, area)]
            lines[keep] = sorted(lines[keep] + moved, key=lambda p: (p.box.left, p.box.top))
    return [line for line in lines if line]


def _hanging_lines(lines: list[list[Piece]]) -> set[int]:
    """Indices of one- or two-piece "lines" that hang off a taller line nearby.

    A comma below its line's baseline or a dot above it is chained into a
    line of its own when it barely overlaps its neighbours vertically.
    """
    heights = [_line_height(line) for line in lines]
    bands = []
    for line, height in zip(lines, heights, strict=True):
        box = Box.enclosing([p.box for p in line])
        bands.append((box.top - 0.3 * height, box.bottom + 0.5 * height,
                      box.left - height, box.right + height))
    hanging = set()
    for index, line in enumerate(lines):
        if len(line) > 2:
            continue
        box = Box.enclosing([p.box for p in line])
        centre = box.top + box.height / 2
        for other, (top, bottom, left, right) in enumerate(bands):
            if (len(lines[other]) > len(line) and heights[index] < 0.6 * heights[other]
                    and top <= centre <= bottom and left <= box.left
                    and box.right <= right):
                hanging.add(index)
                break
    return hanging


SLIVER = 0.3
"""On a page with ruled fields, a glyph narrower than this share of its
line's stroke width is a sliver of a rule."""

MIN_LINE_HEIGHT = 9
"""Lines of glyphs shorter than this (px) are specks and dots, not text."""


def _drop_small_lines(lines: list[list[Piece]]) -> list[list[Piece]]:
    """Drop "lines" made of dots, accents and noise: far shorter than the text."""
    if not lines:
        return lines
    heights = [_line_height(line) for line in lines]
    typical = _median(heights)
    return [line for line, h in zip(lines, heights, strict=True)
            if h >= MIN_LINE_HEIGHT and h >= 0.4 * typical]


def _is_mark_size(box: Box, height: float) -> bool:
    # A heavy comma reaches half the digit height; a lower-case letter 0.65.
    return box.height <= 0.55 * height and box.width <= 1.2 * height


# --------------------------------------------------------------------------- touching


def split_touching(
    piece: Piece,
    height: float,
    score: Callable[[list[Piece]], np.ndarray],
    max_parts: int = 4,
    min_confidence: float = 0.75,
) -> list[Piece] | None:
    """Split a glyph candidate that holds touching glyphs.

    Cut positions are tried as a sliding window over the ink's column
    profile; every candidate part is scored by the classifier and the split
    whose weakest part scores best wins.

    Parameters
    ----------
    piece : Piece
        A candidate at least ~0.9 line heights wide.
    height : float
        The line's glyph height.
    score : callable
        Maps a list of pieces to an array of digit confidences in 0..1.
    max_parts : int
        Most parts a piece is split into.
    min_confidence : float
        Every part must score above this (a ``%`` cut in two reads as a
        weak ``5`` and ``6``).

    Returns
    -------
    parts : list of Piece or None
        The parts, left to right, or None when no split scores well.

    Notes
    -----
    The same as :func:`split_candidates` followed by :func:`best_split`,
    with every candidate part scored in one call; a caller splitting many
    pieces can score all their parts in one batch instead.
    """
    candidates = split_candidates(piece, height, max_parts)
    flat = [p for _, parts in candidates for p in parts]
    scores = score(flat) if flat else np.empty(0)
    return best_split(candidates, scores, height, min_confidence)


def split_candidates(piece: Piece, height: float,
                     max_parts: int = 4) -> list[tuple[int, list[Piece]]]:
    """Every split of a piece that :func:`split_touching` tries, in its order.

    Parameters
    ----------
    piece : Piece
        A glyph candidate.
    height : float
        The line's glyph height.
    max_parts : int
        Most parts a piece is split into.

    Returns
    -------
    candidates : list of (int, list of Piece)
        The number of parts aimed at and the parts the cuts gave (fewer when
        a part holds no ink); empty when the piece is too narrow or short.
    """
    box, mask = piece.box, piece.mask
    width = box.width
    if width < 0.8 * height or box.height < 0.5 * height:
        return []
    profile = mask.sum(axis=0).astype(np.float64)
    n_max = min(max_parts, max(2, int(round(width / (0.42 * height)))))
    out: list[tuple[int, list[Piece]]] = []
    for n in range(2, n_max + 1):
        pitch = width / n
        if pitch < 0.3 * height:
            break
        # For each cut, the candidate columns near its even position.
        windows = []
        for k in range(1, n):
            centre = k * pitch
            lo = max(1, int(centre - 0.3 * pitch))
            hi = min(width - 1, int(centre + 0.3 * pitch) + 1)
            columns = np.arange(lo, hi)
            ink = profile[columns]
            # Columns with little ink are where a cut can go; try a spread of them.
            low = columns[ink <= ink.min() + 0.25 * (ink.max() - ink.min())]
            per_window = 7 if n == 2 else 4
            picks = np.unique(np.linspace(0, len(low) - 1, min(per_window, len(low))).round())
            windows.append(low[picks.astype(int)].tolist())
        out.extend((n, _cut(piece, cuts)) for cuts in _cut_sets(windows))
    return out


def best_split(candidates: list[tuple[int, list[Piece]]], scores: np.ndarray, height: float,
               min_confidence: float = 0.75) -> list[Piece] | None:
    """The candidate split whose weakest part scores best.

    Parameters
    ----------
    candidates : list of (int, list of Piece)
        What :func:`split_candidates` gave.
    scores : ndarray of float
        The digit confidence of every part of every candidate, in order.
    height : float
        The line's glyph height.
    min_confidence : float
        Every part must score above this.

    Returns
    -------
    parts : list of Piece or None
        The first of the best-scoring candidates that have the parts aimed
        at, each at least 0.4 line heights tall; None when none scores
        above ``min_confidence``.
    """
    best_parts, best_score = None, min_confidence
    offset = 0
    for n, parts in candidates:
        weakest = float(scores[offset:offset + len(parts)].min()) if parts else 0.0
        valid = len(parts) == n and all(p.box.height >= 0.4 * height for p in parts)
        offset += len(parts)
        if valid and weakest > best_score:
            best_parts, best_score = parts, weakest
    return best_parts


def _cut_sets(windows: list[list[int]]) -> list[list[int]]:
    sets: list[list[int]] = [[]]
    for columns in windows:
        sets = [s + [c] for s in sets for c in columns if not s or c > s[-1] + 2]
    return sets[:81]


def _cut(piece: Piece, cuts: list[int]) -> list[Piece]:
    parts = []
    edges = [0, *cuts, piece.box.width]
    for x0, x1 in zip(edges, edges[1:], strict=False):
        sub = piece.mask[:, x0:x1]
        rows = np.flatnonzero(sub.any(axis=1))
        cols = np.flatnonzero(sub.any(axis=0))
        if rows.size == 0:
            continue
        sub = sub[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
        parts.append(Piece(Box(piece.box.left + x0 + int(cols[0]),
                               piece.box.top + int(rows[0]),
                               sub.shape[1], sub.shape[0]), sub))
    return parts

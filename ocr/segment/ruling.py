"""A form's ruling: faint hairlines, long straight rules, writing lines, frames.

Rules are found here as pixels or boxes; :mod:`ocr.segment.fields` takes
them off the pieces and finds the boxes and combs they make.
"""

from __future__ import annotations

import cv2
import numpy as np

from ..ink import PageInk, label_components
from ..types import Box
from .pieces import DOT_MAX

HAIRLINE_SHARE = 0.4
"""Faint rules are looked for in the ink at a threshold this share of the
way from the ink threshold to white (:meth:`ocr.ink.PageInk.lighter`)."""
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


def faint_hairlines(ink: PageInk) -> np.ndarray:
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
    ink : PageInk
        The page's ink, with the flattened page and threshold it was found
        with (:func:`ocr.ink.binarise_page`).

    Returns
    -------
    rules : ndarray of bool, shape (H, W)
        The pixels of such rules (ink already or not).
    """
    if ink.flat.ndim != 2 or min(ink.flat.shape) < 2:
        return np.zeros(ink.flat.shape, dtype=bool)
    faint = ink.lighter(HAIRLINE_SHARE).view(np.uint8)
    solid = np.ascontiguousarray(ink.mask, dtype=bool).view(np.uint8)
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


def _faint_runs(
    runs: np.ndarray,
    ink: np.ndarray,
    out: np.ndarray,
    *,
    upright: bool,
    ends: np.ndarray | None = None,
) -> None:
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
        start, length, offset, thick = (
            (top, height, left, width) if upright else (left, width, top, height)
        )
        if thick > HAIRLINE_THICK:
            continue
        if ends is not None and not _ends_on(ends, start, length, offset, thick, upright):
            continue
        along = slice(start, start + length)
        if not _broken(ink, along, slice(offset, offset + thick), upright):
            continue  # a rule binarisation kept whole: it is left as it is
        if not _clear_beside(ink, along, offset, thick, size, upright):
            continue
        area = (slice(top, top + height), slice(left, left + width))
        out[area] |= (labels[area] == index).view(np.uint8)


def _at(along: slice, across: slice, upright: bool) -> tuple[slice, slice]:
    """The (rows, columns) index of a stretch along and across a run."""
    return (along, across) if upright else (across, along)


def _ends_on(
    ends: np.ndarray, start: int, length: int, offset: int, thick: int, upright: bool
) -> bool:
    """Whether either end of the run lies within 3 px of ``ends``: an upright
    hairline counts only standing on (or hanging from) a flat one."""
    across = slice(max(0, offset - 1), offset + thick + 1)
    near_ends = [
        slice(max(0, start - 3), start + 4),
        slice(max(0, start + length - 4), start + length + 3),
    ]
    return any(ends[_at(end, across, upright)].any() for end in near_ends)


def _broken(ink: np.ndarray, along: slice, across: slice, upright: bool) -> bool:
    """Whether binarisation left at least :data:`HAIRLINE_GAPS` of the run as
    gaps: only a broken rule needs mending."""
    band = ink[_at(along, across, upright)]
    return not (~band.any(axis=1 if upright else 0)).mean() < HAIRLINE_GAPS


def _clear_beside(
    ink: np.ndarray, along: slice, offset: int, thick: int, size: int, upright: bool
) -> bool:
    """Whether neither side of the run has ink beside more than
    :data:`HAIRLINE_CLEAR` of it: a row of text's serifs is no rule."""
    axis = 1 if upright else 0
    beside = [
        slice(max(0, offset - 3), max(0, offset - 1)),
        slice(offset + thick + 1, min(size, offset + thick + 3)),
    ]
    shares = [
        ink[_at(along, side, upright)].any(axis=axis).mean()
        for side in beside
        if side.stop > side.start
    ]
    return not (shares and max(shares) > HAIRLINE_CLEAR)


def is_rule(box: Box) -> bool:
    """Long thin horizontal or vertical strokes: table rules, underlines, and
    the one-pixel-wide upright pieces a faint hairline border's sides break
    into (no glyph's stroke is one pixel wide over 15). Flat hairlines are
    left to the marks, which know a writer's digits around them."""
    return (
        (box.width >= 10 * box.height and box.width >= 30)
        or (box.height >= 15 * box.width and box.height >= 60)
        or (box.width == 1 and box.height >= HAIRLINE_RULE)
    )


HAIRLINE_RULE = 15


TILT_RUN = 60
"""Shortest straight run (px) of a rule's stroke: a rule 2 px thick still
runs this far in one row when it is tilted 2 degrees, where a page's skew was
not taken out exactly (a box's rule then steps from row to row)."""


def horizontal_rules(mask: np.ndarray, length: int) -> np.ndarray:
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


def run_length(lines: np.ndarray, axis: int) -> float:
    """Typical thickness of the rules in ``lines``: the rows (``axis=0``, for
    horizontal rules) or columns they cover, per band of consecutive ones.

    Rules of one piece are printed alike: their ink over their length, so
    that a rule tilted across a few rows is as thick as a straight one.
    """
    if axis:
        lines = lines.T
    covered = lines.any(axis=1)
    edges = np.flatnonzero(np.diff(covered.astype(np.int8), prepend=0, append=0))
    length = sum(
        int(lines[first:last].any(axis=0).sum())
        for first, last in zip(edges[::2].tolist(), edges[1::2].tolist(), strict=True)
    )
    return int(np.count_nonzero(lines)) / length if length else 0.0


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
        mask = (labels[top : top + height, left : left + width] == index).astype(np.uint8)
        h_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(0.8 * width)), 1))
        v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(0.8 * height))))
        rows = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, h_kernel).any(axis=1))
        cols = np.asarray(cv2.morphologyEx(mask, cv2.MORPH_OPEN, v_kernel).any(axis=0))
        edge_y, edge_x = max(2, height // 8), max(2, width // 8)
        if (
            rows[:edge_y].any()
            and rows[-edge_y:].any()
            and cols[:edge_x].any()
            and cols[-edge_x:].any()
        ):
            frames.append(Box(left, top, width, height))
    frames.sort(key=lambda b: (b.top, b.left))
    return frames


def writing_rules(ink: np.ndarray) -> list[Box]:
    """The flat rules of a page, at most :data:`WRITING_RULE_THICK` px thick:
    the lines a form's entries are written on (and a table's rules)."""
    u8 = np.ascontiguousarray(ink, dtype=bool).view(np.uint8)
    # Rules are long: looked for in columns of 4 px (ink in any of them),
    # a quarter of the work; their ends are then known to 4 px.
    step = 4
    spread = cv2.dilate(u8, cv2.getStructuringElement(cv2.MORPH_RECT, (step, 1)), anchor=(0, 0))
    narrow = np.ascontiguousarray(spread[:, ::step])
    # Closing gaps of a dot's pitch makes a dotted line whole; it makes text
    # a band as high as its letters, which is no rule.
    dots = cv2.getStructuringElement(cv2.MORPH_RECT, (DOT_MAX // step + 1, 1))
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (HAIRLINE_RUN // step, 1))
    runs = cv2.morphologyEx(cv2.morphologyEx(narrow, cv2.MORPH_CLOSE, dots), cv2.MORPH_OPEN, kernel)
    if not runs.any():
        return []
    count, _, stats = label_components(runs)
    found = []
    for left, top, cols, thick, _ in stats[1:count].tolist():
        box = Box(left * step, top, cols * step, thick)
        # Paper under it: the tops of a line of capitals below make a run too.
        if (
            thick <= WRITING_RULE_THICK
            and u8[box.bottom + 1 : box.bottom + 4, box.left : box.right].any(axis=0).mean()
            <= HAIRLINE_CLEAR
        ):
            found.append(box)
    return found


WRITING_RULE_THICK = 8
"""A writing line is at most this many px thick."""

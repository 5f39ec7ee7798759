"""Lines of glyphs in reading order, and the small marks on them.

Glyphs are chained left to right into lines that follow a slight tilt;
marks small beside their line (dots, commas, dashes, colons) are attached to
it and named by their geometry (``. , : -`` or the reject label).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..types import REJECT, Box
from .measure import line_height, median, middle, stroke_width
from .pieces import Piece, union


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
        """The box enclosing all the line's pieces."""
        return Box.enclosing([p.box for p in self.pieces])


def group_lines(mains: list[Piece]) -> list[list[Piece]]:
    """Chain glyphs left to right into lines, following a slight tilt."""
    lines: list[list[Piece]] = []
    tails: list[tuple[float, float, int]] = []  # top, bottom, right of a line's end
    # The tails' tops and bottoms again, to find the few that overlap a glyph at once.
    tail_tops, tail_bottoms = np.empty(len(mains)), np.empty(len(mains))
    for piece in sorted(mains, key=lambda p: (p.box.left, p.box.top)):
        box = piece.box
        best, best_score = -1, 0.0
        count = len(tails)
        overlapping = np.flatnonzero(
            (tail_bottoms[:count] >= box.top) & (tail_tops[:count] <= box.bottom)
        )
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
            tails[best] = (
                middle([p.box.top for p in tail]),
                middle([p.box.bottom for p in tail]),
                max(p.box.right for p in tail),
            )
        else:
            best = len(tails)
            lines.append([piece])
            tails.append((box.top, box.bottom, box.right))
        tail_tops[best], tail_bottoms[best] = tails[best][:2]
    return lines


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
    glyphs = sorted(
        (i for i, sep in enumerate(line.separators) if not sep),
        key=lambda i: line.pieces[i].box.left,
    )
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
        height = line_height([line.pieces[i] for i in group])
        # Only a group that stands short as a whole: elsewhere the line's
        # height is the better measure (a column of figures beside capitals).
        if height < SHORT_GROUP * line.height:
            for i in group:
                heights[i] = height
    return heights


def _is_flat(mark: Box, height: float) -> bool:
    """Whether a mark is wide and low: a dash, or a dot flattened by the scan."""
    return mark.width >= 1.4 * mark.height and mark.height <= 0.3 * height


def _classify_flat(mark: Box, top: float, baseline: float, height: float) -> str:
    """Name a flat mark by where it sits between the glyphs' top and baseline."""
    centre = (mark.top + mark.bottom) / 2.0
    middle = (centre - top) / max(1.0, baseline - top)
    if 0.25 <= middle <= 0.8 and mark.width <= 1.2 * height:
        return "-"
    if middle > 0.8 and mark.width <= 0.35 * height:
        return "."  # a small dot flattened by the scan
    return REJECT


def _is_comma(mark: Box, baseline: float, height: float) -> bool:
    """Whether a small mark is taller than wide and hangs clearly below the baseline."""
    # A blurred or JPEG-smeared dot can reach a pixel below the baseline too.
    return mark.height >= 1.1 * mark.width and mark.bottom > baseline + max(1.0, 0.06 * height)


def _classify_small(mark: Box, baseline: float, height: float) -> str:
    """Name a mark no wider than a dot's cell: ``,`` or ``.`` low on the line, else reject."""
    if mark.bottom < baseline - 0.3 * height:
        return REJECT  # quote marks and other marks high on the line
    if _is_comma(mark, baseline, height):
        return ","
    # Monospaced fonts print a large square period (0.3-0.4 of a digit).
    if mark.height <= 0.42 * height:
        return "."
    return REJECT


def _classify_mark(mark: Box, left: Box | None, right: Box | None, height: float) -> str:
    """Name a small mark on a line by its geometry: ``. , -`` or reject."""
    neighbours = [b for b in (left, right) if b is not None]
    baseline = sum(b.bottom for b in neighbours) / len(neighbours)
    top = sum(b.top for b in neighbours) / len(neighbours)
    if _is_flat(mark, height):
        return _classify_flat(mark, top, baseline, height)
    if mark.width <= 0.45 * height and mark.height <= 0.55 * height:
        return _classify_small(mark, baseline, height)
    return REJECT


def _nearest_glyphs(line: list[Piece], box: Box) -> tuple[Box | None, Box | None]:
    """The boxes of the line's glyphs just left and just right of a mark, if any."""
    left = [p.box for p in line if p.box.right <= box.left + 1]
    right = [p.box for p in line if p.box.left >= box.right - 1]
    lb = max(left, key=lambda b: b.right) if left else None
    rb = min(right, key=lambda b: b.left) if right else None
    return lb, rb


def _is_close(box: Box, glyph: Box, height: float) -> bool:
    """Whether a glyph is within about a glyph's width of a mark, on either side."""
    return min(abs(box.left - glyph.right), abs(glyph.left - box.right)) <= 0.9 * height


def _in_band(box: Box, near: list[Box], height: float) -> bool:
    """Whether a mark lies between a little above its glyphs' tops and a comma's drop below."""
    top = min(b.top for b in near) - 0.15 * height
    bottom = max(b.bottom for b in near) + 0.45 * height
    return box.top >= top and box.bottom <= bottom


def _line_of_mark(
    box: Box, candidates: list[int], lines: list[list[Piece]], heights: list[float]
) -> tuple[int, Box | None, Box | None] | None:
    """The first of ``candidates`` whose glyphs the mark sits beside, with those glyphs."""
    for index in candidates:
        height = heights[index]
        lb, rb = _nearest_glyphs(lines[index], box)
        near = [b for b in (lb, rb) if b is not None and _is_close(box, b, height)]
        if near and _in_band(box, near, height):
            return index, lb, rb
    return None


def _is_speck(mark: Piece, height: float, stroke: float) -> bool:
    """A speck of noise, not printed punctuation: thinner than a dot, or mostly empty."""
    box = mark.box
    fill = mark.area / float(box.width * box.height)
    # A dot is about as thick as the strokes: one pixel in a thin font at
    # receipt resolution, so the floor follows the line's stroke width.
    dot_floor = max(1.0, min(0.06 * height, 0.5 * stroke))
    dot_too_small = min(box.width, box.height) < dot_floor
    thin_dash = box.width >= 4 * box.height and box.width >= 0.3 * height
    return (dot_too_small and not thin_dash) or fill < 0.2


def _mark_reach(lines: list[list[Piece]], heights: list[float]) -> tuple[np.ndarray, np.ndarray]:
    """How far above and below each line a mark may sit: a line height past its glyphs."""
    spans = [(min(p.box.top for p in line), max(p.box.bottom for p in line)) for line in lines]
    reach_top = np.array([top for top, _ in spans], dtype=np.float64) - heights
    reach_bottom = np.array([bottom for _, bottom in spans], dtype=np.float64) + heights
    return reach_top, reach_bottom


def attach_marks(lines: list[list[Piece]], marks: list[Piece]) -> list[list[tuple[Piece, str]]]:
    """Add small marks to the line they sit on; drop stray specks."""
    out: list[list[tuple[Piece, str]]] = [[(p, "") for p in line] for line in lines]
    heights = [line_height(line) for line in lines]
    strokes: dict[int, float] = {}  # measured for the lines that get a mark
    # The reach of each line, to find the few lines near a mark at once.
    reach_top, reach_bottom = _mark_reach(lines, heights)
    for mark in sorted(marks, key=lambda p: (p.box.left, p.box.top)):
        box = mark.box
        near_lines = np.flatnonzero((box.bottom >= reach_top) & (box.top <= reach_bottom))
        found = _line_of_mark(box, near_lines.tolist(), lines, heights)
        if found is None:
            continue
        index, lb, rb = found
        if index not in strokes:
            strokes[index] = stroke_width(lines[index])
        if _is_speck(mark, heights[index], strokes[index]):
            continue
        out[index].append((mark, _classify_mark(box, lb, rb, heights[index])))
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
                high_label == "-" and high.box.width <= 1.5 * low.box.width + 1
            )
            if not dot_like or high.box.height > 0.3 * height:
                continue
            overlap = min(high.box.right, low.box.right) - max(high.box.left, low.box.left)
            if overlap > 0 and high.box.bottom < low.box.top:
                items[low_index] = (union(high, low), ":")
                del items[high_index]
                return _join_colons(items, height)
    return items


def hanging_lines(lines: list[list[Piece]]) -> set[int]:
    """Indices of one- or two-piece "lines" that hang off a taller line nearby.

    A comma below its line's baseline or a dot above it is chained into a
    line of its own when it barely overlaps its neighbours vertically.
    """
    heights = [line_height(line) for line in lines]
    bands = []
    for line, height in zip(lines, heights, strict=True):
        box = Box.enclosing([p.box for p in line])
        bands.append(
            (
                box.top - 0.3 * height,
                box.bottom + 0.5 * height,
                box.left - height,
                box.right + height,
            )
        )
    hanging = set()
    for index, line in enumerate(lines):
        if len(line) > 2:
            continue
        box = Box.enclosing([p.box for p in line])
        centre = box.top + box.height / 2
        for other, (top, bottom, left, right) in enumerate(bands):
            if (
                len(lines[other]) > len(line)
                and heights[index] < 0.6 * heights[other]
                and top <= centre <= bottom
                and left <= box.left
                and box.right <= right
            ):
                hanging.add(index)
                break
    return hanging


SLIVER = 0.3
"""On a page with ruled fields, a glyph narrower than this share of its
line's stroke width is a sliver of a rule."""


MIN_LINE_HEIGHT = 9
"""Lines of glyphs shorter than this (px) are specks and dots, not text."""


def drop_small_lines(lines: list[list[Piece]]) -> list[list[Piece]]:
    """Drop "lines" made of dots, accents and noise: far shorter than the text."""
    if not lines:
        return lines
    heights = [line_height(line) for line in lines]
    typical = median(heights)
    return [
        line
        for line, h in zip(lines, heights, strict=True)
        if h >= MIN_LINE_HEIGHT and h >= 0.4 * typical
    ]


def is_mark_size(box: Box, height: float) -> bool:
    """Whether a box is small enough, beside glyphs ``height`` high, to be a mark."""
    # A heavy comma reaches half the digit height; a lower-case letter 0.65.
    return box.height <= 0.55 * height and box.width <= 1.2 * height


def _rule_slivers(line: list[Piece], height: float) -> list[Piece]:
    """The glyphs of a line on a ruled page that are slivers of a rule, not 1s."""
    # What is left of a ruled box's side, a pixel wide beside digits
    # written with a pen several times thicker, is no 1.
    pen = stroke_width(line)
    return [p for p in line if p.box.width < SLIVER * pen and p.box.height >= 0.5 * height]


def _at_sliver_foot(mark: Piece, slivers: list[Box]) -> bool:
    """Whether a mark is the speck of a rule along or just below a sliver of it."""
    return any(
        mark.box.left <= s.right + 2
        and s.left - 2 <= mark.box.right
        and s.top <= mark.box.top <= s.bottom + s.height
        for s in slivers
    )


def split_off_marks(
    lines: list[list[Piece]], marks: list[Piece], ruled: bool
) -> tuple[list[list[Piece]], list[Piece]]:
    """Separate the marks that are small beside their line from its glyphs.

    Parameters
    ----------
    lines : list of list of Piece
        Glyph candidates chained into lines (:func:`group_lines`).
    marks : list of Piece
        The pieces too short to start a line.
    ruled : bool
        The page has boxes or combs: slivers of their rules are dropped.

    Returns
    -------
    lines : list of list of Piece
        The glyphs of each line that are no marks, lines of specks dropped.
    marks : list of Piece
        The marks, with the dots and commas that hung off a line as a line
        of their own, and without the specks at a sliver's foot.

    Notes
    -----
    Marks (dots, dashes) are taken out before heights are measured.
    """
    marks = list(marks)
    final_lines: list[list[Piece]] = []
    hanging = hanging_lines(lines)
    slivers: list[Box] = []
    for index, line in enumerate(lines):
        height = line_height(line)
        if index in hanging:
            # A comma hanging below its line, or a dot: not a line of its own.
            marks.extend(line)
            continue
        if ruled:
            thin = _rule_slivers(line, height)
            slivers.extend(p.box for p in thin)
            line = [p for p in line if p not in thin]
        keep = [p for p in line if not is_mark_size(p.box, height)]
        marks.extend(p for p in line if is_mark_size(p.box, height))
        if keep:
            final_lines.append(keep)
    # And the speck of the rule at the sliver's foot goes with it.
    marks = [m for m in marks if not _at_sliver_foot(m, slivers)]
    return drop_small_lines(final_lines), marks

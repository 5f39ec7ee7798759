"""Boxes and combs: a form's ruling taken off its pieces, with the cells it makes.

A piece that holds rules (an underline, a box border, a comb) is cleaned of
them, keeping the strokes that cross them, and the printed separators
between its cells (box sides, grid lines, comb ticks) become the cells of a
:class:`RuledField`. :func:`find_structure` does this for a whole page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from ..ink import label_components
from ..types import Box
from .pieces import Piece, components, dotted_rules, merge_broken
from .ruling import horizontal_rules, is_rule, run_length


@dataclass(frozen=True, slots=True)
class RuledField:
    """A printed field found in a form's ruling: a box, or a comb of cells.

    ``cells`` are left to right, each the space between two printed
    separators (box sides, grid lines or the short ticks of a comb) and
    between its rules; a comb's cells each hold one handwritten glyph.
    """

    cells: tuple[Box, ...]

    @property
    def box(self) -> Box:
        """The box enclosing all the field's cells."""
        return Box.enclosing(list(self.cells))

    @property
    def is_comb(self) -> bool:
        """Two or more cells of about the same width: one glyph per cell."""
        if len(self.cells) < 2:
            return False
        widths = [c.width for c in self.cells]
        return max(widths) <= 1.3 * min(widths)


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


def strip_structure(piece: Piece) -> tuple[list[Piece], list[RuledField]]:
    """Remove a form's ruling from a piece; keep the strokes that cross it.

    Rules are long horizontal runs (an underline, the sides of a box or a
    comb's baseline) and, in a frame, long vertical ones. A stroke that
    crosses a rule keeps the rule pixels between its two sides. Short thin
    verticals standing on or hanging from a rule are printed too when they
    join two rules (box sides, grid lines) or stand at a regular pitch
    (a comb's ticks, at least three): they are erased, and the cells
    between them recorded as a :class:`RuledField`.

    Returns
    -------
    pieces : list of Piece
        What is left; the piece itself when it holds no rule.
    fields : list of RuledField
        The boxes and combs found in the piece.
    """
    box, mask = piece.box, piece.mask.astype(np.uint8)
    if box.width >= 3 * box.height:
        # Underlined text or a comb: one horizontal run spanning most of the width.
        lines_h = horizontal_rules(mask, max(30, int(0.8 * box.width)))
        if not lines_h.any():
            return [piece], []
        lines_v: np.ndarray = np.zeros_like(mask)
        sides: list[tuple[int, int, int, int]] = []
        rows = np.asarray(lines_h.any(axis=1))
        if (rows[1:] & ~rows[:-1]).sum() + rows[0] >= 2:
            # A wide box's sides join its two rules; a digit's stem on an
            # underline touches one.
            v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(30, box.height // 2)))
            lines_v, sides = _sides(
                cv2.morphologyEx(mask, cv2.MORPH_OPEN, v_kernel), lines_h, False
            )
    else:
        # A frame: long horizontal and vertical runs make up most of its ink,
        # or run along its four sides (a box with a thick digit inside).
        v_kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(30, box.height // 2)))
        lines_h = horizontal_rules(mask, max(30, box.width // 2))
        lines_v = cv2.morphologyEx(mask, cv2.MORPH_OPEN, v_kernel)
        lines_v, sides = _sides(lines_v, lines_h, True)
        if int(lines_h.sum()) + int(lines_v.sum()) < 0.5 * mask.sum() and not _four_sides(
            lines_h, lines_v
        ):
            return [piece], []
    # Erase the rule with a pixel of margin: anti-aliased edges hug it.
    square = np.ones((3, 3), np.uint8)
    erase_h: np.ndarray = cv2.dilate(lines_h, square)
    erase_v: np.ndarray = cv2.dilate(lines_v, square)
    rest = mask & ~(erase_h | erase_v) & 1
    # Rule pixels between the two halves of a crossing stroke go back.
    reach_h = int(math.ceil(run_length(lines_h, 0))) + 3
    kept = rest | _bridges(rest, erase_h & mask & ~erase_v, reach_h, vertical=True)
    if lines_v.any():
        reach_v = int(math.ceil(run_length(lines_v, 1))) + 3
        kept |= _bridges(rest, erase_v & mask & ~erase_h, reach_v, vertical=False)
    pieces = components(kept.astype(bool), (box.left, box.top))
    thickness = max(1.0, run_length(lines_h, 0))
    pieces, fields = _take_separators(pieces, erase_h, sides, box, thickness)
    return [p for p in pieces if not is_rule(p.box)], fields


def _sides(
    lines_v: np.ndarray, lines_h: np.ndarray, tall: bool
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
        ends = (
            lines_h[max(0, top - 2) : top + 3, cols].any()
            and lines_h[max(0, top + length - 3) : top + length + 2, cols].any()
        )
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
    rows, cols = np.asarray(lines_h.any(axis=1)), np.asarray(lines_v.any(axis=0))
    edge_y, edge_x = max(2, height // 8), max(2, width // 8)
    return bool(
        rows[:edge_y].any()
        and rows[-edge_y:].any()
        and cols[:edge_x].any()
        and cols[-edge_x:].any()
    )


Separator = tuple[float, int, int, int, bool, int]
"""A separator found: x centre, y of the rule it ends on, top, bottom,
whether it joins two rules, and its piece's index (-1 for a frame's side)."""


def _take_separators(
    pieces: list[Piece],
    erase_h: np.ndarray,
    sides: list[tuple[int, int, int, int]],
    box: Box,
    thickness: float,
) -> tuple[list[Piece], list[RuledField]]:
    """Drop the printed separators among the pieces left by a rule; find the cells.

    A separator is a thin straight vertical piece that ends on a rule (it
    stands on it or hangs from it). Joining two rules makes it printed (a
    box side, a grid line); a tick touching one rule is printed only among
    three or more at a regular pitch on the same rule (a ``1`` written on
    an underline is a glyph). Long verticals already erased as a frame's
    sides count as separators for the cells.
    """
    found = _separators(pieces, erase_h > 0, box, thickness)
    for left, top, w, h in sides:
        found.append((left + w / 2, top + h, top, top + h, True, -1))
    drop: set[int] = set()
    fields: list[RuledField] = []
    for group in _by_rule(found, max(3.0, 2 * thickness + 3)):
        members = _field_members(group)
        # Separators joining two rules are printed even where they make no field.
        printed = members or [f for f in group if f[4]]
        drop.update(f[5] for f in printed if f[5] >= 0)
        if members:
            fields.append(_field_cells(members, box))
    return [p for i, p in enumerate(pieces) if i not in drop], fields


def _separators(
    pieces: list[Piece], erase_h: np.ndarray, box: Box, thickness: float
) -> list[Separator]:
    """The pieces (in the piece's own pixels) thin, straight and upright
    enough for a separator that end on a rule of ``erase_h`` (bool)."""
    height, width = erase_h.shape
    found: list[Separator] = []
    widest = max(4.0, 2.5 * thickness + 1)
    for index, p in enumerate(pieces):
        b = p.box
        if not _straight_upright(p, widest):
            continue
        x0, y0 = b.left - box.left, b.top - box.top
        lo, hi = max(0, x0 - 1), min(width, x0 + b.width + 1)
        above = y0 > 0 and bool(erase_h[y0 - 1, lo:hi].any())
        below = y0 + b.height < height and bool(erase_h[y0 + b.height, lo:hi].any())
        if above or below:
            rule_y = y0 + b.height if below else y0 - 1
            found.append((x0 + b.width / 2, rule_y, y0, y0 + b.height, above and below, index))
    return found


def _straight_upright(piece: Piece, widest: float) -> bool:
    """At most ``widest`` wide, 2.5 times as tall as wide and filling its box:
    a printed stroke, where a glyph is wider, shorter or curved."""
    b = piece.box
    return not (
        b.width > widest or b.height < 2.5 * b.width or piece.area < 0.75 * b.width * b.height
    )


def _field_members(group: list[Separator]) -> list[Separator]:
    """The separators on one rule that make a field ([] when they make none).

    Three or more at a regular pitch are a comb (or a grid); else two or
    more joining two rules are the sides of a box, not a comb.
    """
    chain = _regular_chain([f[0] for f in group])
    if len(chain) >= 3:
        return [group[i] for i in chain]
    both = [f for f in group if f[4]]
    if len(both) >= 2:
        return both
    return []


def _by_rule(found: list[Separator], tolerance: float) -> list[list[Separator]]:
    """Separators grouped by the rule they end on (its y), each left to right."""
    groups: list[list[Separator]] = []
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


def _field_cells(members: list[Separator], box: Box) -> RuledField:
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
            cells.append(
                Box(
                    box.left + int(round(left)),
                    box.top + top,
                    max(1, int(round(gap / steps))),
                    bottom - top,
                )
            )
    return RuledField(tuple(cells))


def may_hold_rules(piece: Piece) -> bool:
    """Whether a piece may be or hold printed rules: wide and flat, large and sparse, or framed.

    A cheap test on its box and fill, so that only such pieces are searched
    for boxes and combs.
    """
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
    return bool(
        mask[:edge_y].any(axis=0).mean() >= share
        and mask[-edge_y:].any(axis=0).mean() >= share
        and mask[:, :edge_x].any(axis=1).mean() >= share
        and mask[:, -edge_x:].any(axis=1).mean() >= share
    )


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


def find_structure(ink: np.ndarray) -> tuple[list[Piece], list[RuledField]]:
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
    fields : list of RuledField
        Boxes and combs, each with its cells left to right.
    """
    pieces: list[Piece] = []
    fields: list[RuledField] = []
    for piece in components(ink):
        if is_rule(piece.box):
            if piece.box.height >= 8 and piece.box.width >= 30:
                # A comb alone (its baseline and ticks): nothing of it is a
                # glyph, but its cells group the glyphs written in them.
                fields.extend(strip_structure(piece)[1])
            continue
        if may_hold_rules(piece):
            kept, found = strip_structure(piece)
            pieces.extend(kept)
            fields.extend(found)
        else:
            pieces.append(piece)
    pieces = merge_broken(pieces)
    dotted = dotted_rules([p.box for p in pieces])
    return [p for i, p in enumerate(pieces) if i not in dotted], fields

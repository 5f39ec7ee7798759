"""Glyph candidates: connected pieces of ink, and the pieces of one glyph joined.

A :class:`Piece` is a box and its ink mask. Faint print breaks a glyph into
stacked pieces (:func:`merge_broken` joins them); the dots of a dotted rule
are pieces too, and are found here as rows of alike dots (:func:`dotted_rules`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..ink import label_components
from ..types import Box

MIN_MAIN_HEIGHT = 7
"""Components shorter than this (px) never start a line: digits are >= 10 px."""


@dataclass(frozen=True, slots=True)
class Piece:
    """One glyph candidate: its box and its ink mask (``bool``, box-sized)."""

    box: Box
    mask: np.ndarray

    @property
    def area(self) -> int:
        """The number of ink pixels."""
        return int(self.mask.sum())


def components(ink: np.ndarray, offset: tuple[int, int] = (0, 0)) -> list[Piece]:
    """The connected pieces of ``ink`` of two pixels or more, boxes shifted by ``offset``.

    ``offset`` is ``(dx, dy)``: where ``ink`` lies on the page.
    """
    count, labels, stats = label_components(ink)
    pieces = []
    dx, dy = offset
    for index, (left, top, width, height, area) in enumerate(stats.tolist()):
        if index == 0 or area < 2:
            continue
        mask = labels[top : top + height, left : left + width] == index
        pieces.append(Piece(Box(left + dx, top + dy, width, height), mask))
    return pieces


def merge_broken(pieces: list[Piece]) -> list[Piece]:
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
    gap_y = np.maximum(tops[second], tops[first]) - np.minimum(bottoms[second], bottoms[first])
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
            piece = union(piece, other)
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
    return (
        inner.height >= max(MIN_MAIN_HEIGHT, 0.4 * outer.height)
        and outer.width >= max(40, 1.5 * inner.width)
        and inner.left - outer.left >= margin
        and outer.right - inner.right >= margin
        and inner.top - outer.top >= margin
        and outer.bottom - inner.bottom >= margin
    )


def union(a: Piece, b: Piece) -> Piece:
    """One piece of the ink of ``a`` and ``b``, in the box enclosing both."""
    box = a.box.union(b.box)
    mask = np.zeros((box.height, box.width), dtype=bool)
    for piece in (a, b):
        y, x = piece.box.top - box.top, piece.box.left - box.left
        mask[y : y + piece.box.height, x : x + piece.box.width] |= piece.mask
    return Piece(box, mask)


DOT_MAX = 12
"""The dots of a dotted rule are at most this many px wide and high."""


MIN_DOTTED = 8
"""A dotted rule has at least this many dots."""


def _centre(box: Box) -> tuple[float, float]:
    """The centre ``(x, y)`` of ``box``."""
    return box.left + box.width / 2, box.top + box.height / 2


def _alike(a: Box, b: Box) -> bool:
    """Whether two dots are of one size, within 2 px or 40 %."""
    return abs(a.width - b.width) <= max(2, 0.4 * a.width) and abs(a.height - b.height) <= max(
        2, 0.4 * a.height
    )


def _dot_links(boxes: list[Box], dots: list[int]) -> dict[int, int]:
    """For each dot, the next dot to the right on its row, of its size and near.

    ``dots`` are indices into ``boxes`` sorted by left edge. A link needs a
    pitch of at least twice the dot's size: small letters of a low-resolution
    line stand closer than that.
    """
    xs = np.array([boxes[i].left + boxes[i].width / 2 for i in dots])
    following: dict[int, int] = {}
    for n, i in enumerate(dots):
        a = boxes[i]
        size = max(a.width, a.height)
        x, y = _centre(a)
        stop = int(np.searchsorted(xs, x + 7 * size, side="right"))
        best, best_dx = -1, math.inf
        for m in range(n + 1, stop):
            j = dots[m]
            xj, yj = _centre(boxes[j])
            dx = xj - x
            if dx > 0 and abs(yj - y) <= 2 and dx < best_dx and _alike(a, boxes[j]):
                best, best_dx = j, dx
        if best >= 0 and best_dx >= 2 * size:
            following[i] = best
    return following


def _pitch_runs(boxes: list[Box], dots: list[int], following: dict[int, int]) -> list[list[int]]:
    """Runs of dots along the links of ``following``, each at one pitch.

    A run starts at every dot nothing links to; it is cut where a step strays
    from the run's pitch by more than a quarter, and the next run starts there.
    """
    has_prev = set(following.values())
    runs: list[list[int]] = []
    for i in dots:
        if i in has_prev:
            continue
        run = [i]
        pitch = 0.0
        while run[-1] in following:
            j = following[run[-1]]
            step = _centre(boxes[j])[0] - _centre(boxes[run[-1]])[0]
            if pitch and abs(step - pitch) > 0.25 * pitch:
                runs.append(run)
                run, pitch = [j], 0.0
                continue
            pitch = pitch or step
            run.append(j)
        runs.append(run)
    return runs


def _chain_runs(boxes: list[Box], runs: list[list[int]]) -> list[list[int]]:
    """Runs of one rule joined across the glyphs written on it.

    Runs chain when they are on one row, of one dot size and pitch, and a
    whole number of pitches (at least 1.5, at most 12) apart: handwriting on
    the line hides the dots between them.
    """
    runs = sorted(runs, key=lambda r: _centre(boxes[r[0]])[0])
    pitch_of = [(_centre(boxes[r[-1]])[0] - _centre(boxes[r[0]])[0]) / (len(r) - 1) for r in runs]
    chains: list[list[int]] = []
    used = [False] * len(runs)
    for first in range(len(runs)):
        if used[first]:
            continue
        chain, last, pitch = list(runs[first]), first, pitch_of[first]
        used[first] = True
        for other in range(first + 1, len(runs)):
            if used[other]:
                continue
            end, start = boxes[runs[last][-1]], boxes[runs[other][0]]
            (x0, y0), (x1, y1) = _centre(end), _centre(start)
            steps = (x1 - x0) / pitch
            if x1 - x0 > 12 * pitch:
                break
            if (
                abs(y1 - y0) <= 3
                and 1.5 <= steps
                and abs(steps - round(steps)) <= 0.3
                and abs(pitch_of[other] - pitch) <= 0.2 * pitch
                and _alike(end, start)
            ):
                chain.extend(runs[other])
                used[other] = True
                last = other
        chains.append(chain)
    return chains


def dotted_rules(boxes: list[Box]) -> set[int]:
    """Indices of the dots that make up dotted rules (writing lines, leaders).

    A dotted rule is a row of small dots of one size at a regular pitch of
    at least twice their size (small letters of a low-resolution line stand
    closer), :data:`MIN_DOTTED` or more. Handwriting on the line hides a few dots
    (they join the glyph that touches them): runs of two or more dots go on
    across such a gap at the same pitch. A lone dot after a gap is left, so
    the decimal point of an amount after dot leaders survives.

    Parameters
    ----------
    boxes : list of Box
        The boxes of a page's pieces of ink.

    Returns
    -------
    set of int
        Indices into ``boxes`` of the dots of dotted rules.
    """
    dots = sorted(
        (
            i
            for i, b in enumerate(boxes)
            if b.width <= DOT_MAX and b.height <= DOT_MAX and b.width >= 2 and b.height >= 2
        ),
        key=lambda i: boxes[i].left,
    )
    if len(dots) < MIN_DOTTED:
        return set()
    following = _dot_links(boxes, dots)
    runs = [r for r in _pitch_runs(boxes, dots, following) if len(r) >= 2]
    chains = _chain_runs(boxes, runs)
    return {i for chain in chains if len(chain) >= MIN_DOTTED for i in chain}

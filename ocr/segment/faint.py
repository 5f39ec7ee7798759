"""Glyphs that binarisation broke apart, joined where a lighter threshold keeps them whole.

Thin print at receipt resolution (strokes one pixel wide, about as grey as
the ink threshold) comes out of binarisation in pieces: a ``0`` as ``( )``,
an ``8`` as three specks. Thresholded nearer the paper, such a glyph is one
component again. Pieces that fall in one component of that lighter ink,
when the component has the shape of one glyph (not wider than it is high:
two touching digits are wider), are one glyph; their own ink is kept, so a
joined glyph is drawn with the strokes the training glyphs were.
"""

from __future__ import annotations

import numpy as np

from ..ink import PageInk, label_components
from .pieces import MIN_MAIN_HEIGHT, Piece, union

FAINT_SHARE = 0.3
"""The lighter threshold lies this share of the way from the ink threshold to white."""
ONE_GLYPH_WIDTH = 0.9
"""A lighter component at most this many times as wide as high holds one glyph."""
MAX_GLYPH_HEIGHT = 200
"""Lighter components taller than this (px) are no glyph (a picture, a frame)."""


def join_faint(pieces: list[Piece], ink: PageInk) -> list[Piece]:
    """Join the pieces of glyphs that binarisation broke apart.

    Parameters
    ----------
    pieces : list of Piece
        Glyph candidates of the page (:func:`ocr.segment.find_structure`).
    ink : PageInk
        The page's ink with its flattened page and threshold.

    Returns
    -------
    list of Piece
        The pieces, those in one lighter component of one glyph's shape
        joined into one, which takes the place of the first of them.

    Examples
    --------
    >>> import numpy as np
    >>> from ocr.segment import find_pieces
    >>> flat = np.full((40, 40), 250, dtype=np.uint8)
    >>> flat[10:30, 12:14] = flat[10:30, 20:22] = 40  # the two sides of a 0 ...
    >>> flat[10, 12:22] = flat[29, 12:22] = 180  # ... its top and bottom faint
    >>> ink = PageInk(flat < 150, flat, 150)
    >>> pieces = find_pieces(ink.mask)
    >>> len(pieces), len(join_faint(pieces, ink))
    (2, 1)
    """
    if len(pieces) < 2 or ink.flat.ndim != 2 or min(ink.flat.shape) < 2:
        return pieces
    _, labels, stats = label_components(ink.lighter(FAINT_SHARE))
    groups: dict[int, list[int]] = {}
    for n, piece in enumerate(pieces):
        label = _label_of(piece, labels)
        if label > 0 and _one_glyph(stats[label]):
            groups.setdefault(label, []).append(n)
    joined = {members[0]: members for members in groups.values() if len(members) > 1}
    dropped = {n for members in joined.values() for n in members[1:]}
    out = []
    for n, piece in enumerate(pieces):
        for other in joined.get(n, [])[1:]:
            piece = union(piece, pieces[other])
        if n not in dropped:
            out.append(piece)
    return out


def _label_of(piece: Piece, labels: np.ndarray) -> int:
    """The lighter component that holds the piece (that of its first ink pixel)."""
    ys, xs = np.nonzero(piece.mask)
    return int(labels[piece.box.top + ys[0], piece.box.left + xs[0]])


def _one_glyph(stat: np.ndarray) -> bool:
    """Whether a lighter component has the size and shape of one glyph."""
    _, _, width, height, _ = (int(v) for v in stat)
    return MIN_MAIN_HEIGHT <= height <= MAX_GLYPH_HEIGHT and width <= ONE_GLYPH_WIDTH * height

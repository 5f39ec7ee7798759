"""Touching glyphs: the cuts to try, and the split whose parts read best.

A glyph candidate wide enough to hold several digits is cut at columns of
little ink near even positions (:func:`split_candidates`); every candidate
part is read by the classifier, and the split whose weakest part reads best
wins (:func:`best_split`). The pipeline reads the parts of a whole page in
one batch; :func:`split_touching` does both steps for one glyph.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .segment import Piece
from .types import Box


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

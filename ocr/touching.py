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

from .classify import KNNClassifier
from .normalise import glyph_features
from .segment import Piece, SegmentedLine
from .types import DIGITS, PERCENT, Box, Glyph, GlyphBatch


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


def split_candidates(
    piece: Piece, height: float, max_parts: int = 4
) -> list[tuple[int, list[Piece]]]:
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


def best_split(
    candidates: list[tuple[int, list[Piece]]],
    scores: np.ndarray,
    height: float,
    min_confidence: float = 0.75,
) -> list[Piece] | None:
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
        weakest = float(scores[offset : offset + len(parts)].min()) if parts else 0.0
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
        sub = sub[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
        parts.append(
            Piece(
                Box(
                    piece.box.left + x0 + int(cols[0]),
                    piece.box.top + int(rows[0]),
                    sub.shape[1],
                    sub.shape[0],
                ),
                sub,
            )
        )
    return parts


SPLIT_MIN_WIDTH = 0.85
"""Glyphs wider than this many line heights may be touching digits."""
SPLIT_MAX_CONFIDENCE = 0.8
"""Only glyphs read less surely than this as a digit are tried for a split."""
SPLIT_MAX_CONFIDENCE_HAND = 0.65
"""The same in a handwritten word: a writer's digit is read less surely than
print, and a stroke cut off it (a 4's stem, a 5's flag) reads as a sure 1."""
SPLIT_LABELS = [*DIGITS, "/"]
"""What the parts of a split glyph may be read as."""

Candidates = list[tuple[int, list[Piece]]]
"""What :func:`split_candidates` gives: parts aimed at, and the parts of each cut."""


def may_split(
    piece: Piece, height: float, label: str, conf: float, handwritten: bool = False
) -> bool:
    """Wide enough to hold touching digits, and not read surely as one digit.

    Examples
    --------
    >>> import numpy as np
    >>> wide = Piece(Box(0, 0, 48, 40), np.ones((40, 48), dtype=bool))
    >>> may_split(wide, 40.0, "8", 0.7), may_split(wide, 40.0, "8", 0.7, handwritten=True)
    (True, False)
    """
    if piece.box.width < SPLIT_MIN_WIDTH * height:
        return False
    sure = SPLIT_MAX_CONFIDENCE_HAND if handwritten else SPLIT_MAX_CONFIDENCE
    return not ((label in DIGITS or label == PERCENT) and conf >= sure)


def split_trials(
    lines: list[SegmentedLine],
    batch: GlyphBatch,
    labels: np.ndarray,
    confidence: np.ndarray,
    handwritten: np.ndarray,
) -> dict[int, Candidates]:
    """The glyphs of a page that may hold touching digits, with the cuts to try.

    Parameters
    ----------
    lines : list of SegmentedLine
        The page's lines.
    batch : GlyphBatch
        Its glyphs.
    labels, confidence : ndarray
        Per glyph, its reading.
    handwritten : ndarray of bool
        Per glyph, whether its word is handwriting.

    Returns
    -------
    dict of int to candidates
        By glyph position, in reading order, :func:`split_candidates` of each
        glyph tried: wide (:func:`may_split`), not in a comb's cell (which
        holds one digit), in a word that holds a digit or in a short word
        (two touching pairs around a dot, 23.23): a wide glyph in a word of
        letters is a letter (m, w, M).
    """
    numeric_words = set(batch.word[np.isin(labels, list(DIGITS))].tolist())
    glyph_counts = np.bincount(batch.word) if len(batch) else np.zeros(0, dtype=np.intp)
    trials: dict[int, Candidates] = {}
    for n in range(len(batch)):
        word = int(batch.word[n])
        if batch.in_comb[n] or not (word in numeric_words or glyph_counts[word] <= 2):
            continue
        line = lines[batch.line[n]]
        piece = line.pieces[batch.piece[n]]
        if may_split(
            piece, line.height, str(labels[n]), float(confidence[n]), bool(handwritten[n])
        ):
            trials[n] = split_candidates(piece, line.height)
    return trials


def read_parts(
    trials: dict[int, Candidates], batch: GlyphBatch, model: KNNClassifier, handwritten: np.ndarray
) -> dict[int, dict[Box, tuple[str, float]]]:
    """Read every candidate part of every glyph tried for a split, in one batch.

    Returns, per glyph, each part's label and confidence by its box. Within
    a glyph a box decides its part (the glyph's ink inside it), so each is
    read once however many candidate splits share it. A nearest-neighbour
    search costs much the same for a few queries as for hundreds.
    """
    keys: list[tuple[int, Box]] = []
    masks: list[np.ndarray] = []
    seen: set[tuple[int, Box]] = set()
    for n, candidates in trials.items():
        for _, parts in candidates:
            for part in parts:
                if (n, part.box) not in seen:
                    seen.add((n, part.box))
                    keys.append((n, part.box))
                    masks.append(part.mask)
    out: dict[int, dict[Box, tuple[str, float]]] = {n: {} for n in trials}
    if not keys:
        return out
    heights = np.array([batch.line_heights[n] for n, _ in keys])
    reads = model.read_views(glyph_features(masks, heights), masks, heights)
    for i, (n, box) in enumerate(keys):
        if handwritten[n]:
            out[n][box] = (str(reads.handwriting_labels[i]), float(reads.handwriting_confidence[i]))
        else:
            out[n][box] = (str(reads.printed_labels[i]), float(reads.printed_confidence[i]))
    return out


def split_glyph(
    candidates: Candidates,
    read: dict[Box, tuple[str, float]],
    height: float,
    label: str,
    conf: float,
) -> list[Glyph] | None:
    """The glyphs a wide glyph splits into, or None when it stays whole.

    The best split (:func:`best_split`, on the parts' confidences as digits
    or ``/``) must read every part as a digit or a date's slash touching
    one, at least one a digit, each more surely than the whole glyph read
    as a digit: a bar or a letter among them means a letter (m, n, u, W)
    was cut.
    """
    scores = np.array(
        [
            read[p.box][1] if read[p.box][0] in SPLIT_LABELS else 0.0
            for _, parts in candidates
            for p in parts
        ]
    )
    parts = best_split(candidates, scores, height)
    if parts is None:
        return None
    labels = [read[p.box][0] for p in parts]
    confidence = np.array([read[p.box][1] for p in parts])
    unsplit = conf if label in DIGITS else 0.0
    if (
        float(confidence.min()) <= unsplit
        or not all(lab in SPLIT_LABELS for lab in labels)
        or not any(lab in DIGITS for lab in labels)
    ):
        return None
    return [
        Glyph(p.box, str(lab), float(c))
        for p, lab, c in zip(parts, labels, confidence, strict=True)
    ]


def split_glyphs(
    lines: list[SegmentedLine],
    batch: GlyphBatch,
    labels: np.ndarray,
    confidence: np.ndarray,
    handwritten: np.ndarray,
    model: KNNClassifier,
) -> dict[int, list[Glyph] | None]:
    """Cut the touching digits of a page apart.

    Parameters
    ----------
    lines : list of SegmentedLine
        The page's lines.
    batch : GlyphBatch
        Its glyphs.
    labels, confidence : ndarray
        Per glyph, its reading.
    handwritten : ndarray of bool
        Per glyph, whether its word is handwriting (its parts are read so).
    model : KNNClassifier
        A fitted model.

    Returns
    -------
    dict of int to list of Glyph or None
        By glyph position, for each glyph tried (:func:`split_trials`), the
        glyphs it splits into, or None when it stays whole. Every candidate
        part of every glyph is read in one batch (:func:`read_parts`).
    """
    trials = split_trials(lines, batch, labels, confidence, handwritten)
    parts = read_parts(trials, batch, model, handwritten)
    return {
        n: split_glyph(
            trials[n], parts[n], batch.line_heights[n], str(labels[n]), float(confidence[n])
        )
        for n in trials
    }

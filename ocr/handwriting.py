"""Print or handwriting: the decision per word, and what it changes in the reading.

Every glyph is read in both views of the model (:meth:`ocr.classify.KNNClassifier.read_views`).
A word is handwriting when its typical glyph lies nearer the handwriting
vectors than print (:func:`handwritten_words`); then its glyphs take the
handwriting reading, its short glyphs may be a writer's small digits
(:func:`short_digits`), the odd non-digit of a mostly numeric word is read
again as a digit (:func:`numeric_context`), and a stray mark between two of
its glyphs is no separator (:func:`is_stray`).

All functions here take a :class:`~ocr.types.GlyphBatch` and arrays with one
entry per glyph of the page.
"""

from __future__ import annotations

import numpy as np

from .segment import SegmentedLine, stroke_width
from .types import AMBIGUOUS, DIGITS, Box, GlyphBatch

HANDWRITING_RATIO = 0.8
"""A word is handwriting when, for its typical glyph, the nearest handwriting
vector is closer than this share of the distance to the nearest print."""
HANDWRITING_RATIO_ALONE = 0.6
"""The same for a word of one glyph, which says less about its style."""
HANDWRITING_RATIO_BOX = 1.0
"""The same for a word alone in a box (or on a writing line) that print does
not read mostly as digits."""

SHORT_DIGIT = 0.8
"""A short glyph of a handwritten number is read as a digit when it is at
least this share of the number's typical glyph height (a printed word's
x-height letters are about 0.7 of its digits)."""

STRAY_JOIN = 0.5
"""Two handwritten glyphs at most this many line heights apart, with a stray
mark between them, are one word."""

_NUMERIC = set(DIGITS) | set(AMBIGUOUS)


def mostly_digits(digits: int, glyphs: int) -> bool:
    """Whether a word of ``glyphs`` glyphs, ``digits`` of them read as digits,
    reads mostly as digits (at least half).

    Examples
    --------
    >>> mostly_digits(2, 4), mostly_digits(1, 3), mostly_digits(0, 0)
    (True, False, False)
    """
    return digits > 0 and 2 * digits >= glyphs


def handwritten_words(
    batch: GlyphBatch, read: np.ndarray, likeness: np.ndarray, printed_labels: np.ndarray
) -> np.ndarray:
    """Whether each glyph's word is handwriting, judged on the glyphs read.

    A word is handwriting when its median glyph lies nearer handwriting than
    print (:data:`HANDWRITING_RATIO`). The decision is per word, not per
    glyph: a printed letter can lie near some writer's digit, but a printed
    word's glyphs are, as a rule, nearer print. A word alone in a box or on
    a writing line, which print does not read mostly as digits, needs less
    (:data:`HANDWRITING_RATIO_BOX`).

    Parameters
    ----------
    batch : GlyphBatch
        The page's glyphs.
    read : ndarray of bool
        The glyphs read so far; only they judge their words.
    likeness : ndarray of float
        Per glyph, :attr:`ocr.classify.ViewReads.hand_likeness`.
    printed_labels : ndarray of str
        Per glyph, its reading as print.

    Returns
    -------
    ndarray of bool
        Set for the glyphs read whose word is handwriting.
    """
    out = np.zeros(len(batch), dtype=bool)
    for members in batch.words(read):
        typical = float(np.median(likeness[members]))
        limit = HANDWRITING_RATIO if len(members) > 1 else HANDWRITING_RATIO_ALONE
        # Alone in a box, a number is someone's entry, unless print reads most
        # of it as digits (a framed total): there, nearer handwriting than
        # print is enough.
        as_print = int(np.isin(printed_labels[members], list(DIGITS)).sum())
        if batch.alone_in_field[members[0]] and 2 * as_print <= len(members):
            limit = HANDWRITING_RATIO_BOX
        if typical < limit:
            out[members] = True
    return out


def short_digits(
    batch: GlyphBatch,
    short: np.ndarray,
    read: np.ndarray,
    digits: np.ndarray,
    handwritten: np.ndarray,
) -> np.ndarray:
    """The short glyphs that are a writer's small digits, to be read after all.

    Parameters
    ----------
    batch : GlyphBatch
        The page's glyphs.
    short : ndarray of bool
        The glyphs left unread for being short beside their line.
    read : ndarray of bool
        The glyphs read so far.
    digits, handwritten : ndarray of bool
        Per glyph read, whether it reads as a handwritten digit and whether
        its word is handwriting.

    Returns
    -------
    ndarray of bool
        The short glyphs of handwritten words that read mostly as digits
        and stand at least :data:`SHORT_DIGIT` of their word's median glyph
        height.
    """
    tall = np.full(len(batch), np.inf)
    for members in batch.words(read & handwritten):
        if mostly_digits(int(digits[members].sum()), len(members)):
            word = batch.word[members[0]]
            tall[batch.word == word] = SHORT_DIGIT * float(np.median(batch.box_heights[members]))
    return short & (batch.box_heights >= tall)


def numeric_context(
    batch: GlyphBatch, read: np.ndarray, labels: np.ndarray, handwritten: np.ndarray
) -> np.ndarray:
    """The glyphs to read again as digits only.

    A handwritten number is digits only: in a handwritten word that reads
    mostly as digits, the glyphs that do not are read again as digits; so
    is every non-digit in a comb, whose cells hold one digit each.

    Parameters
    ----------
    batch : GlyphBatch
        The page's glyphs.
    read : ndarray of bool
        The glyphs read.
    labels : ndarray of str
        Per glyph, its label as read.
    handwritten : ndarray of bool
        Per glyph, whether its word is handwriting.

    Returns
    -------
    ndarray of bool
        The glyphs to read again.
    """
    numeric = np.isin(labels, list(_NUMERIC))
    out = np.zeros(len(batch), dtype=bool)
    for members in batch.words(read & handwritten):
        if mostly_digits(int(numeric[members].sum()), len(members)):
            out[members] = ~numeric[members]
        else:
            out[members] = batch.in_comb[members] & ~numeric[members]
    return out


def is_stray(line: SegmentedLine, index: int, handwritten: list[bool]) -> bool:
    """Whether the mark at ``index`` is a stray between two handwritten glyphs.

    A sliver of a form's rule, or a piece under or over a digit; or, in any
    style, a hairline beside strokes five times thicker (a marker pen's
    digits can look like print). A writer's full stop is a blob as thick as
    the pen; what is left of a stripped rule is a sliver much thinner than
    it, a comb's cells hold digits only, and a mark that lies mostly under
    or over a digit (a rule's stub below it, a lost piece of its stroke) is
    no separator between two.

    Parameters
    ----------
    line : SegmentedLine
        The mark's line.
    index : int
        The mark's index among the line's pieces.
    handwritten : list of bool
        Per piece of the line, whether it is a glyph of a handwritten word.

    Returns
    -------
    bool
    """
    left, right = neighbours(line, index)
    if left is None or right is None:
        return False
    box = line.pieces[index].box
    near = [line.pieces[left].box, line.pieces[right].box]
    if _apart(box, near, line.height):
        return False
    pen = stroke_width([line.pieces[left], line.pieces[right]])
    thin, long = min(box.width, box.height), max(box.width, box.height)
    if _hairline(thin, long, pen):
        return True  # a hairline beside strokes five times thicker, whatever the style
    if not (handwritten[left] and handwritten[right]):
        return False
    if _both_in_field(line.in_number_field, left, right):
        return True
    if _sliver(thin, long, pen):
        return True
    covered = max(min(box.right, b.right) - max(box.left, b.left) for b in near)
    return covered > 0.5 * box.width


def _apart(box: Box, near: list[Box], height: float) -> bool:
    """Whether a mark stands more than a line's height from either glyph
    beside it: then it lies between words, not between two glyphs."""
    return box.left - near[0].right > height or near[1].left - box.right > height


def _hairline(thin: float, long: float, pen: float) -> bool:
    """A long mark under a fifth of the pen's width: no pen draws it."""
    return thin < 0.2 * pen and long >= 4 * thin


def _both_in_field(fields: tuple[bool, ...], left: int, right: int) -> bool:
    """Whether both glyphs lie in a number field (a comb's cells hold digits only)."""
    return bool(fields) and fields[left] and fields[right]


def _sliver(thin: float, long: float, pen: float) -> bool:
    """A mark much thinner than the pen (or somewhat thinner and elongated):
    what is left of a stripped rule, not a writer's full stop."""
    return thin < 0.35 * pen or (thin < 0.5 * pen and long >= 2.5 * thin)


def neighbours(line: SegmentedLine, index: int) -> tuple[int | None, int | None]:
    """The glyphs (not marks) just left and right of piece ``index`` of a line."""
    mains = [i for i, sep in enumerate(line.separators) if not sep]
    left = max((i for i in mains if i < index), default=None)
    right = min((i for i in mains if i > index), default=None)
    return left, right

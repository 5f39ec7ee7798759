"""The whole pipeline, top to bottom: orient, segment, normalise, classify, assemble.

:func:`read_page` reads one in-memory page, the way the design card reads:

1. turn the page upright and straighten it (:mod:`ocr.orient`), keeping its ink
   (:mod:`ocr.ink`);
2. find its glyphs, lines and words (:mod:`ocr.segment`);
3. read every glyph of the page in one batch (:func:`read_glyphs`): normalise
   each to an 8x8 grid (:mod:`ocr.normalise`), read it as print and as
   handwriting (:mod:`ocr.classify`), decide per word which it is
   (:mod:`ocr.handwriting`), and cut touching digits apart (:mod:`ocr.touching`);
4. assemble tokens, words and lines (:mod:`ocr.assemble`).

Files, pages and workers are :mod:`ocr.worker`'s and :mod:`ocr.api`'s.
"""

from __future__ import annotations

import numpy as np

from .assemble import assemble_lines
from .classify import KNNClassifier, ViewReads
from .handwriting import (
    STRAY_JOIN,
    handwritten_words,
    is_stray,
    neighbours,
    numeric_context,
    short_digits,
)
from .ink import binarise_page
from .normalise import N_FEATURES, glyph_features, relative_height
from .orient import upright
from .segment import SegmentedLine, find_frames, local_heights, segment
from .touching import split_glyphs
from .transform import map_detail
from .types import DIGITS, REJECT, Glyph, GlyphBatch, Line, PageDetail, ReadLine

SHORT_GLYPH = 0.75
"""Glyphs shorter than this share of their line's height are read as letters
unclassified: fewer than 1% of the training set's digits are (their own
lines' digits set the line height), and skipping them spares a tenth of the
classification time on a printed page."""


def read_page(page: np.ndarray, model: KNNClassifier, *, orient: bool = True) -> tuple[Line, ...]:
    """Read the digit tokens of one grayscale page.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Dark ink on light paper.
    model : KNNClassifier
        A fitted model.
    orient : bool
        Turn a page scanned sideways or upside down upright and straighten
        its skew before segmentation (:func:`ocr.orient.upright`).

    Returns
    -------
    lines : tuple of Line
        In reading order, with their tokens. Boxes are in the pixels of
        ``page`` as given, whatever turn or rotation was applied to read it.
    """
    return read_page_detail(page, model, orient=orient, glyphs=False).lines


def read_page_detail(
    page: np.ndarray,
    model: KNNClassifier,
    *,
    orient: bool = True,
    frames: bool = False,
    glyphs: bool = True,
) -> PageDetail:
    """Like :func:`read_page`, with the glyphs too (for review images) and,
    when ``frames`` is set, the printed rectangles (for form templates).

    With ``glyphs=False`` the detail's ``glyphs`` are left empty, which spares
    mapping a thousand glyph boxes back to a turned or straightened page.
    """
    if orient:
        page, ink, transform = upright(page, model)
    else:
        ink, transform = binarise_page(page), None
    read_lines = read_glyphs(segment(page, ink), model)
    detail = PageDetail(
        lines=assemble_lines(read_lines),
        glyphs=tuple(g for line in read_lines for g in line.glyphs) if glyphs else (),
        frames=tuple(find_frames(ink.mask)) if frames else (),
    )
    return detail if transform is None else map_detail(detail, transform)


def read_glyphs(lines: list[SegmentedLine], model: KNNClassifier) -> list[ReadLine]:
    """Read every glyph of a page in one batch, and cut touching digits apart.

    Parameters
    ----------
    lines : list of SegmentedLine
        The page's lines, as :func:`ocr.segment.segment` found them.
    model : KNNClassifier
        A fitted model.

    Returns
    -------
    list of ReadLine
        Per line, its glyphs as read (split glyphs as their parts, stray
        marks of handwriting left out) with their words.
    """
    batch = glyph_batch(lines)
    labels, confidence, hand = read_batch(batch, model)
    split = split_glyphs(lines, batch, labels, confidence, hand, model)
    slots = _slots(lines, batch)
    return [
        _read_line(line, slots[li], labels, confidence, hand, split)
        for li, line in enumerate(lines)
    ]


def read_batch(
    batch: GlyphBatch, model: KNNClassifier
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Read each glyph of a page in its word's style, print or handwriting.

    Parameters
    ----------
    batch : GlyphBatch
        The page's glyphs.
    model : KNNClassifier
        A fitted model.

    Returns
    -------
    labels, confidence : ndarray, shape (n,)
        Each glyph's reading; glyphs left unread are letters (``REJECT``, 1.0).
    handwritten : ndarray of bool, shape (n,)
        Whether each glyph's word is handwriting.

    Notes
    -----
    Glyphs short beside their line are letters, unread, unless they turn
    out to be a writer's small digits; each word is judged print or
    handwriting, and its glyphs take that view's reading. The queries go to
    the classifier in a few batches (the glyphs, the small digits, those
    read again as digits): a search costs much the same for a few as for
    hundreds.
    """
    features = glyph_features(list(batch.masks), batch.heights)
    reads = _Reads.empty(len(batch))
    # Glyphs well under the line's height (x-height letters, a quarter of a
    # printed page's glyphs) are letters without asking the model.
    short = relative_height(features) < SHORT_GLYPH
    first = ~short
    reads.take(first, _read_views(model, batch, features, first))
    hand = handwritten_words(batch, first, reads.likeness, reads.printed_labels)
    hand |= batch.in_comb & first
    # A writer's digits differ in height: a short glyph in a handwritten
    # word or a comb is a small digit, not an x-height letter.
    digits = hand & np.isin(reads.hand_labels, list(DIGITS))
    late = short_digits(batch, short, first, digits, hand) | (short & batch.in_comb)
    if late.any():
        reads.take(late, _read_views(model, batch, features, late))
        hand |= late
    labels, confidence = reads.chosen(first | late, hand)
    again = numeric_context(batch, first | late, labels, hand)
    # In the order they were first read: the glyphs, then the small digits.
    where = np.concatenate([np.flatnonzero(again & first), np.flatnonzero(again & late)])
    if where.size:
        labels[where], confidence[where] = model.digits_only().predict_with_confidence(
            features[where], reads.upright[where]
        )
    return labels, confidence, hand


def _read_views(
    model: KNNClassifier, batch: GlyphBatch, features: np.ndarray, where: np.ndarray
) -> ViewReads:
    """The glyphs ``where`` (a mask) read in both views, in one batch."""
    masks = [batch.masks[n] for n in np.flatnonzero(where)]
    return model.read_views(features[where], masks, batch.heights[where])


def glyph_batch(lines: list[SegmentedLine]) -> GlyphBatch:
    """The glyphs of a page's lines as one :class:`~ocr.types.GlyphBatch`.

    Parameters
    ----------
    lines : list of SegmentedLine
        The page's lines in reading order.

    Returns
    -------
    GlyphBatch
        Every piece that is no small mark, line by line, left to right; word
        numbers made page-wide by counting on from the line before.
    """
    rows: list[tuple[int, int, int, float, int, float, bool, bool]] = []
    masks: list[np.ndarray] = []
    base = 0
    for li, line in enumerate(lines):
        local = local_heights(line)
        for pi, sep in enumerate(line.separators):
            if sep:
                continue
            piece = line.pieces[pi]
            comb = bool(line.in_number_field) and line.in_number_field[pi]
            rows.append(
                (
                    li,
                    pi,
                    base + line.word_ids[pi],
                    local[pi],
                    piece.box.height,
                    line.height,
                    comb,
                    _alone_in_field(line, pi),
                )
            )
            masks.append(piece.mask)
        base += max(line.word_ids, default=-1) + 1
    columns = list(zip(*rows, strict=True)) if rows else [()] * 8
    return GlyphBatch(
        line=np.array(columns[0], dtype=np.intp),
        piece=np.array(columns[1], dtype=np.intp),
        word=np.array(columns[2], dtype=np.intp),
        masks=tuple(masks),
        heights=np.array(columns[3], dtype=np.float32),
        box_heights=np.array(columns[4], dtype=np.intp),
        line_heights=np.array(columns[5], dtype=np.float64),
        in_comb=np.array(columns[6], dtype=bool),
        alone_in_field=np.array(columns[7], dtype=bool),
    )


def _alone_in_field(line: SegmentedLine, index: int) -> bool:
    """Whether piece ``index``'s word is all there is of its field (a box, a
    comb or a writing line) on its line."""
    if not line.field_ids or line.field_ids[index] < 0:
        return False
    field, word = line.field_ids[index], line.word_ids[index]
    return all(w == word for f, w in zip(line.field_ids, line.word_ids, strict=True) if f == field)


class _Reads:
    """Both readings of every glyph of a page, filled in batch by batch."""

    def __init__(
        self,
        printed_labels: np.ndarray,
        printed_confidence: np.ndarray,
        hand_labels: np.ndarray,
        hand_confidence: np.ndarray,
        likeness: np.ndarray,
        upright: np.ndarray,
    ) -> None:
        self.printed_labels, self.printed_confidence = printed_labels, printed_confidence
        self.hand_labels, self.hand_confidence = hand_labels, hand_confidence
        self.likeness, self.upright = likeness, upright

    @classmethod
    def empty(cls, n: int) -> _Reads:
        """Nothing read yet: every glyph a letter, surely."""
        return cls(
            np.full(n, REJECT, dtype="<U1"),
            np.ones(n),
            np.full(n, REJECT, dtype="<U1"),
            np.ones(n),
            np.full(n, np.inf),
            np.zeros((n, N_FEATURES), np.float32),
        )

    def take(self, where: np.ndarray, reads: ViewReads) -> None:
        """Store a batch's readings at the glyphs ``where`` (a mask, in order)."""
        self.printed_labels[where] = reads.printed_labels
        self.printed_confidence[where] = reads.printed_confidence
        self.hand_labels[where] = reads.handwriting_labels
        self.hand_confidence[where] = reads.handwriting_confidence
        self.likeness[where] = reads.hand_likeness
        self.upright[where] = reads.upright

    def chosen(self, read: np.ndarray, hand: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Labels and confidences in each glyph's view; unread glyphs are letters."""
        labels = np.where(hand, self.hand_labels, self.printed_labels)
        confidence = np.where(hand, self.hand_confidence, self.printed_confidence)
        labels[~read], confidence[~read] = REJECT, 1.0
        return labels, confidence


def _slots(lines: list[SegmentedLine], batch: GlyphBatch) -> list[list[int]]:
    """Per line, the batch position of each piece (-1 for a mark)."""
    slots = [[-1] * len(line.pieces) for line in lines]
    for n, (li, pi) in enumerate(zip(batch.line.tolist(), batch.piece.tolist(), strict=True)):
        slots[li][pi] = n
    return slots


def _read_line(
    line: SegmentedLine,
    slots: list[int],
    labels: np.ndarray,
    confidence: np.ndarray,
    hand: np.ndarray,
    split: dict[int, list[Glyph] | None],
) -> ReadLine:
    """One line's glyphs as read, with their words, for assembly.

    A stray mark between two handwritten glyphs (:func:`ocr.handwriting.is_stray`)
    is left out, and the words the segmenter split at it are joined again
    (a shift taken off every later word number).
    """
    handwritten = [n >= 0 and bool(hand[n]) for n in slots]
    glyphs: list[Glyph] = []
    word_ids: list[int] = []
    is_mark: list[bool] = []
    shift, joined = 0, set()
    for pi, (piece, sep, word) in enumerate(
        zip(line.pieces, line.separators, line.word_ids, strict=True)
    ):
        word -= shift
        if sep and is_stray(line, pi, handwritten):
            left, right = neighbours(line, pi)
            assert left is not None and right is not None
            gap = line.pieces[right].box.left - line.pieces[left].box.right
            if right not in joined and gap <= STRAY_JOIN * line.height:
                joined.add(right)
                shift += line.word_ids[right] - line.word_ids[left]
            continue
        n = slots[pi]
        parts = split.get(n) if not sep else None
        read = parts or [
            Glyph(piece.box, sep, 1.0)
            if sep
            else Glyph(piece.box, str(labels[n]), float(confidence[n]))
        ]
        glyphs.extend(read)
        word_ids.extend(word for _ in read)
        is_mark.extend(bool(sep) for _ in read)
    return ReadLine(tuple(glyphs), tuple(word_ids), tuple(is_mark), line.height)

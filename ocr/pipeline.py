"""The whole pipeline, top to bottom: orient, segment, normalise, classify, assemble.

:func:`read_page` reads one in-memory page. Files, pages and workers are
:mod:`ocr.worker`'s and :mod:`ocr.api`'s.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .assemble import assemble_lines, separate_letters
from .classify import DESLANTED, KNNClassifier
from .ink import binarise_page
from .normalise import N_GRID, glyph_features
from .segment import Piece, SegmentedLine, find_frames, local_heights, segment, stroke_width
from .touching import best_split, split_candidates
from .types import AMBIGUOUS, DIGITS, PERCENT, REJECT, Box, Glyph, Line

SPLIT_MIN_WIDTH = 0.85
"""Glyphs wider than this many line heights may be touching digits."""
SPLIT_MAX_CONFIDENCE = 0.8
"""Only glyphs read less surely than this as a digit are tried for a split."""
SPLIT_MAX_CONFIDENCE_HAND = 0.65
"""The same in a handwritten word: a writer's digit is read less surely than
print, and a stroke cut off it (a 4's stem, a 5's flag) reads as a sure 1."""
SPLIT_LABELS = [*DIGITS, "/"]
"""What the parts of a split glyph may be read as."""


SHORT_GLYPH = 0.75
"""Glyphs shorter than this share of their line's height are read as letters
unclassified: fewer than 1% of the training set's digits are (their own
lines' digits set the line height), and skipping them spares a tenth of the
classification time on a printed page."""


def read_page(page: np.ndarray, model: KNNClassifier, *, orient: bool = True
              ) -> tuple[Line, ...]:
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


@dataclass(frozen=True, slots=True)
class PageDetail:
    """A page's lines and every glyph read on it, boxes in the input's pixels."""

    lines: tuple[Line, ...]
    glyphs: tuple[Glyph, ...]
    frames: tuple[Box, ...] = ()


def read_page_detail(page: np.ndarray, model: KNNClassifier, *,
                     orient: bool = True, frames: bool = False,
                     glyphs: bool = True) -> PageDetail:
    """Like :func:`read_page`, with the glyphs too (for review images) and,
    when ``frames`` is set, the printed rectangles (for form templates).

    With ``glyphs=False`` the detail's ``glyphs`` are left empty, which spares
    mapping a thousand glyph boxes back to a turned or straightened page.
    """
    from .orient import PageTransform, map_boxes, map_lines, upright

    transform: PageTransform | None = None
    if orient:
        page, ink, transform = upright(page, model)
    else:
        ink = binarise_page(page)
    glyph_lines = classify_lines(segment(page, ink), model)
    lines = assemble_lines(glyph_lines)
    read = tuple(glyph for line in glyph_lines for glyph, _ in line) if glyphs else ()
    found = tuple(find_frames(ink.mask)) if frames else ()
    if transform is None:
        return PageDetail(lines, read, found)
    glyph_boxes = map_boxes([g.box for g in read], transform)
    return PageDetail(map_lines(lines, transform),
                      tuple(Glyph(box, g.label, g.confidence)
                            for box, g in zip(glyph_boxes, read, strict=True)),
                      tuple(map_boxes(found, transform)))


def classify_lines(
    lines: list[SegmentedLine], model: KNNClassifier
) -> list[list[tuple[Glyph, int]]]:
    """Classify every glyph of a page in one batch; split touching digits.

    Returns, per line, its glyphs (left to right) with their word ids.

    Notes
    -----
    Every candidate part of every glyph that may hold touching digits is
    read in a second batch: a nearest-neighbour search costs much the same
    for a few queries as for hundreds.
    """
    slots = [(li, pi) for li, line in enumerate(lines)
             for pi, sep in enumerate(line.separators) if sep == ""]
    masks = [lines[li].pieces[pi].mask for li, pi in slots]
    measured = [local_heights(line) for line in lines]
    heights = np.array([measured[li][pi] for li, pi in slots], dtype=np.float32)
    features = glyph_features(masks, heights)
    # Glyphs well under the line's height (x-height letters, a quarter of a
    # printed page's glyphs) are letters without asking the model.
    short = features[:, N_GRID + 1] < SHORT_GLYPH
    labels = np.full(len(features), REJECT, dtype="<U1")
    confidence = np.ones(len(features))
    asked = np.flatnonzero(~short)
    reads = _predict(model, features[asked], [masks[i] for i in asked], heights[asked])
    # A comb holds one handwritten digit per cell.
    in_field = np.array([bool(lines[li].in_number_field) and lines[li].in_number_field[pi]
                         for li, pi in slots], dtype=bool)
    in_hand_word = _handwritten_words(lines, [slots[i] for i in asked], reads) | in_field[asked]
    # A writer's digits differ in height: a short glyph in a handwritten
    # word or a comb is a small digit, not an x-height letter.
    numeric = np.isin(reads.handwriting[0], list(DIGITS))
    late = _short_in_handwriting(lines, slots, short, asked, in_hand_word & numeric,
                                 in_hand_word) | (short & in_field)
    if late.any():
        extra = np.flatnonzero(late)
        more = _predict(model, features[extra], [masks[i] for i in extra], heights[extra])
        asked = np.concatenate([asked, extra])
        reads = _joined(reads, more)
        in_hand_word = np.concatenate([in_hand_word, np.ones(len(extra), dtype=bool)])
    asked_slots = [slots[i] for i in asked]
    in_field = in_field[asked]
    for n, i in enumerate(asked):
        chosen = reads.handwriting if in_hand_word[n] else reads.printed
        labels[i], confidence[i] = chosen[0][n], chosen[1][n]
    # A handwritten number is digits only: in a handwritten word that reads
    # mostly as digits, the glyphs that do not are read again as digits.
    again = _numeric_context(lines, asked_slots, labels[asked], in_hand_word, in_field)
    if again.size:
        where = asked[again]
        labels[where], confidence[where] = model.digits_only().predict_with_confidence(
            features[where], reads.upright[again])
    read = {slot: (str(label), float(conf))
            for slot, label, conf in zip(slots, labels, confidence, strict=True)}
    handwritten = {slots[i] for n, i in enumerate(asked) if in_hand_word[n]}

    trials: dict[tuple[int, int], list[tuple[int, list[Piece]]]] = {}
    for li, line in enumerate(lines):
        # Touching digits are looked for only in words that hold digits:
        # a wide glyph in a word of letters is a letter (m, w, M).
        numeric_words = {word for pi, word in enumerate(line.word_ids)
                         if (li, pi) in read and read[(li, pi)][0] in DIGITS}
        # Short words are tried too (two touching pairs around a dot, 23.23).
        glyph_counts = Counter(word for word, sep in zip(line.word_ids, line.separators,
                                                         strict=True) if not sep)
        for pi, (piece, word) in enumerate(zip(line.pieces, line.word_ids, strict=True)):
            # A comb's cell holds one digit: its glyph is never cut.
            if line.in_number_field and line.in_number_field[pi]:
                continue
            if (li, pi) in read and (word in numeric_words or glyph_counts[word] <= 2):
                label, conf = read[(li, pi)]
                if _may_split(piece, line.height, label, conf, (li, pi) in handwritten):
                    trials[(li, pi)] = split_candidates(piece, line.height)
    part_reads = _read_parts(lines, trials, model, handwritten)

    out: list[list[tuple[Glyph, int]]] = []
    for li, line in enumerate(lines):
        glyphs: list[tuple[Glyph, int]] = []
        is_mark: list[bool] = []
        # Words the segmenter split at a stray mark are joined again: a
        # shift taken off every later word number.
        shift, joined = 0, set()
        for pi, (piece, sep, word) in enumerate(
            zip(line.pieces, line.separators, line.word_ids, strict=True)
        ):
            word -= shift
            if sep:
                if _stray_in_handwriting(line, li, pi, handwritten):
                    left, right = _neighbours(line, pi)
                    assert left is not None and right is not None
                    gap = line.pieces[right].box.left - line.pieces[left].box.right
                    if right not in joined and gap <= STRAY_JOIN * line.height:
                        joined.add(right)
                        shift += line.word_ids[right] - line.word_ids[left]
                    continue
                glyphs.append((Glyph(piece.box, sep, 1.0), word))
                is_mark.append(True)
                continue
            label, conf = read[(li, pi)]
            parts = None
            if (li, pi) in trials:
                parts = _split_glyph(trials[(li, pi)], part_reads[(li, pi)], line.height,
                                     label, conf)
            if parts is None:
                glyphs.append((Glyph(piece.box, label, conf), word))
                is_mark.append(False)
            else:
                glyphs.extend((part, word) for part in parts)
                is_mark.extend(False for _ in parts)
        words = separate_letters([g for g, _ in glyphs], [w for _, w in glyphs], is_mark,
                                 line.height)
        out.append([(g, w) for (g, _), w in zip(glyphs, words, strict=True)])
    return out


STRAY_JOIN = 0.5
"""Two handwritten glyphs at most this many line heights apart, with a stray
mark between them, are one word."""


def _neighbours(line: SegmentedLine, pi: int) -> tuple[int | None, int | None]:
    """The glyphs (not marks) just left and right of piece ``pi``."""
    mains = [i for i, sep in enumerate(line.separators) if not sep]
    left = max((i for i in mains if i < pi), default=None)
    right = min((i for i in mains if i > pi), default=None)
    return left, right


def _stray_in_handwriting(line: SegmentedLine, li: int, pi: int,
                          handwritten: set[tuple[int, int]]) -> bool:
    """Whether the mark at ``pi`` is a stray between two handwritten glyphs:
    a sliver of a form's rule, or a piece under or over a digit; or, in any
    style, a hairline beside strokes five times thicker (a marker pen's
    digits can look like print).

    A writer's full stop is a blob as thick as the pen; what is left of a
    stripped rule is a sliver much thinner than it, a comb's cells hold digits
    only, and a mark that lies mostly under or over a digit (a rule's stub
    below it, a lost piece of its stroke) is no separator between two.
    """
    left, right = _neighbours(line, pi)
    if left is None or right is None:
        return False
    box = line.pieces[pi].box
    near = [line.pieces[left].box, line.pieces[right].box]
    if box.left - near[0].right > line.height or near[1].left - box.right > line.height:
        return False
    pen = stroke_width([line.pieces[left], line.pieces[right]])
    thin, long = min(box.width, box.height), max(box.width, box.height)
    if thin < 0.2 * pen and long >= 4 * thin:
        return True  # a hairline beside strokes five times thicker, whatever the style
    if (li, left) not in handwritten or (li, right) not in handwritten:
        return False
    fields = line.in_number_field
    if fields and fields[left] and fields[right]:
        return True
    if thin < 0.35 * pen or (thin < 0.5 * pen and long >= 2.5 * thin):
        return True
    covered = max(min(box.right, b.right) - max(box.left, b.left) for b in near)
    return covered > 0.5 * box.width


HANDWRITING_RATIO = 0.8
"""A word is handwriting when, for its typical glyph, the nearest handwriting
vector is closer than this share of the distance to the nearest print."""
HANDWRITING_RATIO_ALONE = 0.6
"""The same for a word of one glyph, which says less about its style."""
HANDWRITING_RATIO_BOX = 1.0
"""The same for a word alone in a box (or on a writing line) that print does
not read mostly as digits."""


@dataclass(frozen=True)
class _Reads:
    printed: tuple[np.ndarray, np.ndarray]
    """Labels and confidences from the printed vectors alone."""
    handwriting: tuple[np.ndarray, np.ndarray]
    """From all vectors, handwriting (deslanted) and print together."""
    hand_likeness: np.ndarray
    """Distance to the nearest handwriting vector over that to the nearest print."""
    upright: np.ndarray
    """The glyphs' deslanted features (as found, for a model without handwriting)."""


def _predict(model: KNNClassifier, features: np.ndarray, masks: list[np.ndarray],
             heights: np.ndarray) -> _Reads:
    """Read glyphs as print and as handwriting, from one search of each view."""
    if not model.reads_handwriting or len(features) == 0:
        read = model.predict_with_confidence(features)
        return _Reads(read, read, np.full(len(features), np.inf), features)
    upright = glyph_features(masks, heights, deslanted=True)
    results = model.kneighbors_by_view(features, upright)
    by_view = {view: (d, i) for view, d, i in results}
    (d_print, i_print), (_, i_hand) = by_view[0], by_view[DESLANTED]
    # The views weigh the side features differently: the nearest of each is
    # compared on its 8x8 grid alone.
    grid_print = _grid_distance(features, model.vectors_[i_print[:, 0]])
    grid_hand = _grid_distance(upright, model.vectors_[i_hand[:, 0]])
    likeness = grid_hand / np.maximum(grid_print, 1e-6)
    return _Reads(model.vote(d_print, i_print), model.vote(*model.merge_views(results)),
                  likeness, upright)


def _joined(first: _Reads, then: _Reads) -> _Reads:
    """Two batches' readings, one after the other."""
    def pair(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]
             ) -> tuple[np.ndarray, np.ndarray]:
        return np.concatenate([a[0], b[0]]), np.concatenate([a[1], b[1]])

    return _Reads(pair(first.printed, then.printed), pair(first.handwriting, then.handwriting),
                  np.concatenate([first.hand_likeness, then.hand_likeness]),
                  np.concatenate([first.upright, then.upright]))


SHORT_DIGIT = 0.8
"""A short glyph of a handwritten number is read as a digit when it is at
least this share of the number's typical glyph height (a printed word's
x-height letters are about 0.7 of its digits)."""


def _mostly_digits(digits: int, glyphs: int) -> bool:
    """Whether a word of ``glyphs`` glyphs, ``digits`` of them read as digits,
    reads mostly as digits (at least half)."""
    return digits > 0 and 2 * digits >= glyphs


def _short_in_handwriting(lines: list[SegmentedLine], slots: list[tuple[int, int]],
                          short: np.ndarray, asked: np.ndarray, digits: np.ndarray,
                          handwritten: np.ndarray) -> np.ndarray:
    """The short glyphs (``short``, over ``slots``) in handwritten words that
    read mostly as digits, at least :data:`SHORT_DIGIT` of their word's
    median glyph height.

    ``asked`` are the positions in ``slots`` read so far; ``digits`` and
    ``handwritten`` say, for each, whether it reads as a handwritten digit
    and whether its word is handwriting.
    """
    read = [slots[i] for i in asked]
    tall: dict[tuple[int, int], float] = {}
    for members in _words(lines, read, handwritten):
        if _mostly_digits(int(digits[members].sum()), len(members)):
            li, pi = read[members[0]]
            heights = [lines[li].pieces[read[m][1]].box.height for m in members]
            tall[(li, lines[li].word_ids[pi])] = SHORT_DIGIT * float(np.median(heights))
    out = np.zeros(len(slots), dtype=bool)
    for n, (li, pi) in enumerate(slots):
        word = (li, lines[li].word_ids[pi])
        out[n] = bool(short[n]) and word in tall and lines[li].pieces[pi].box.height >= tall[word]
    return out


def _grid_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    difference = a[:, :N_GRID].astype(np.float32) - b[:, :N_GRID].astype(np.float32)
    return np.sqrt(np.einsum("ij,ij->i", difference, difference))


def _words(lines: list[SegmentedLine], slots: list[tuple[int, int]],
           keep: np.ndarray | None = None) -> list[list[int]]:
    """Positions in ``slots`` grouped by word (those with ``keep`` set, if given)."""
    by_word: dict[tuple[int, int], list[int]] = {}
    for n, (li, pi) in enumerate(slots):
        if keep is None or keep[n]:
            by_word.setdefault((li, lines[li].word_ids[pi]), []).append(n)
    return list(by_word.values())


def _alone_in_a_box(line: SegmentedLine, pi: int) -> bool:
    """Whether piece ``pi``'s word is all there is of its field (a box, a comb
    or a writing line) on its line."""
    if not line.field_ids or line.field_ids[pi] < 0:
        return False
    field, word = line.field_ids[pi], line.word_ids[pi]
    return all(w == word for f, w in zip(line.field_ids, line.word_ids, strict=True)
               if f == field)


def _handwritten_words(lines: list[SegmentedLine], slots: list[tuple[int, int]],
                       reads: _Reads) -> np.ndarray:
    """Whether each glyph's word is handwriting.

    A word is handwriting when its median glyph lies nearer handwriting than
    print (:data:`HANDWRITING_RATIO`). The decision is per word, not per glyph: a printed
    letter can lie near some writer's digit, but a printed word's glyphs
    are, as a rule, nearer print. A word alone in a box or on a writing
    line, which print does not read mostly as digits, needs less
    (:data:`HANDWRITING_RATIO_BOX`).
    """
    out = np.zeros(len(slots), dtype=bool)
    for members in _words(lines, slots):
        likeness = float(np.median(reads.hand_likeness[members]))
        limit = HANDWRITING_RATIO if len(members) > 1 else HANDWRITING_RATIO_ALONE
        li, pi = slots[members[0]]
        # Alone in a box, a number is someone's entry, unless print reads most
        # of it as digits (a framed total): there, nearer handwriting than
        # print is enough.
        as_print = np.isin(reads.printed[0][members], list(DIGITS))
        if _alone_in_a_box(lines[li], pi) and 2 * int(as_print.sum()) <= len(members):
            limit = HANDWRITING_RATIO_BOX
        if likeness < limit:
            out[members] = True
    return out


def _numeric_context(lines: list[SegmentedLine], slots: list[tuple[int, int]],
                     labels: np.ndarray, handwritten: np.ndarray,
                     in_field: np.ndarray | None = None) -> np.ndarray:
    """Positions of the non-digits in handwritten words that are mostly digits,
    and of every non-digit in a number field."""
    numeric = set(DIGITS) | set(AMBIGUOUS)
    out: list[int] = []
    for members in _words(lines, slots, handwritten):
        digits = [n for n in members if labels[n] in numeric]
        if _mostly_digits(len(digits), len(members)):
            out.extend(n for n in members if labels[n] not in numeric)
        elif in_field is not None:
            out.extend(n for n in members if in_field[n] and labels[n] not in numeric)
    return np.asarray(sorted(out), dtype=np.intp)


def _may_split(piece: Piece, height: float, label: str, conf: float,
               handwritten: bool = False) -> bool:
    """Wide enough to hold touching digits, and not read surely as one digit."""
    if piece.box.width < SPLIT_MIN_WIDTH * height:
        return False
    sure = SPLIT_MAX_CONFIDENCE_HAND if handwritten else SPLIT_MAX_CONFIDENCE
    return not ((label in DIGITS or label == PERCENT) and conf >= sure)


def _read_parts(
    lines: list[SegmentedLine], trials: dict[tuple[int, int], list[tuple[int, list[Piece]]]],
    model: KNNClassifier, handwritten: set[tuple[int, int]] = frozenset(),
) -> dict[tuple[int, int], dict[Box, tuple[str, float]]]:
    """Read every candidate part of every glyph tried for a split, in one batch.

    Returns, per glyph, each part's label and confidence by its box. Within
    a glyph a box decides its part (the glyph's ink inside it), so each is
    read once however many candidate splits share it.
    """
    keys: list[tuple[tuple[int, int], Box]] = []
    masks: list[np.ndarray] = []
    heights: list[float] = []
    seen: set[tuple[tuple[int, int], Box]] = set()
    for slot, candidates in trials.items():
        for _, parts in candidates:
            for part in parts:
                if (slot, part.box) not in seen:
                    seen.add((slot, part.box))
                    keys.append((slot, part.box))
                    masks.append(part.mask)
                    heights.append(lines[slot[0]].height)
    out: dict[tuple[int, int], dict[Box, tuple[str, float]]] = {slot: {} for slot in trials}
    if not keys:
        return out
    line_heights = np.array(heights)
    reads = _predict(model, glyph_features(masks, line_heights), masks, line_heights)
    for n, (slot, box) in enumerate(keys):
        labels, confidence = reads.handwriting if slot in handwritten else reads.printed
        out[slot][box] = (str(labels[n]), float(confidence[n]))
    return out


def _split_glyph(
    candidates: list[tuple[int, list[Piece]]], read: dict[Box, tuple[str, float]],
    height: float, label: str, conf: float,
) -> list[Glyph] | None:
    """The glyphs a wide glyph splits into, or None when it stays whole."""
    scores = np.array([read[p.box][1] if read[p.box][0] in SPLIT_LABELS else 0.0
                       for _, parts in candidates for p in parts])
    parts = best_split(candidates, scores, height)
    if parts is None:
        return None
    labels = [read[p.box][0] for p in parts]
    confidence = np.array([read[p.box][1] for p in parts])
    unsplit = conf if label in DIGITS else 0.0
    # Parts must be digits (or a date's slash touching one): a bar or a
    # letter among them means a letter (m, n, u, W) was cut.
    if (float(confidence.min()) <= unsplit or not all(lab in SPLIT_LABELS for lab in labels)
            or not any(lab in DIGITS for lab in labels)):
        return None
    return [Glyph(p.box, str(lab), float(c))
            for p, lab, c in zip(parts, labels, confidence, strict=True)]

"""Words of a line: split at spaces, and redrawn along a form's fields.

Gaps and pitches decide the words of a line; on a form, the glyphs of one
comb or box are one word whatever their gaps, a label and its box never
are, and a number written alone on a writing line is a field of its own.
"""

from __future__ import annotations

from ..types import REJECT, Box
from .fields import RuledField
from .formwords import field_words
from .lines import SegmentedLine
from .measure import line_height, median, percentile
from .pieces import Piece


class _Spacing:
    """The gaps of one line that make a space, and the tests that use them.

    ``word_gap`` and ``word_pitch`` split two glyphs, ``mark_cap`` a mark from
    a glyph with no other neighbour; :meth:`splits` applies them.
    """

    def __init__(self, items: list[tuple[Piece, str]], height: float) -> None:
        self.items = items
        self.height = height
        mains = [p.box for p, s in items if s == ""]
        gaps = [b.left - a.right for a, b in zip(mains, mains[1:], strict=False)]
        pitches = [
            (b.left + b.right - a.left - a.right) / 2
            for a, b in zip(mains, mains[1:], strict=False)
        ]
        typical_gap = median(gaps) if gaps else 0.0
        # Touching glyphs not yet split inflate some pitches: take a low quantile.
        typical_pitch = percentile(pitches, 30) if pitches else height
        # A space is at least ~0.3 of the digit height even in narrow fonts, and
        # well above the line's typical gap between letters.
        self.word_gap = max(0.25 * height, 2.5 * typical_gap)
        self.word_pitch = max(0.7 * height, 1.2 * typical_pitch)
        self.mark_cap = max(1.0 * height, 3.0 * typical_gap)

    def span(self, i: int) -> tuple[float, float]:
        """Left and right of item ``i``'s cell."""
        # A narrow glyph (1, l) sits in a cell as wide as a digit's.
        box, mark = self.items[i][0].box, self.items[i][1]
        half = box.width / 2 if mark else max(box.width, 0.5 * self.height) / 2
        centre = box.left + box.width / 2
        return centre - half, centre + half

    def gap(self, a: int, b: int) -> float:
        """Gap between item a and item b, to its right."""
        return self.span(b)[0] - self.span(a)[1]

    def lopsided(self, near: float, far: float) -> bool:
        """Whether a mark's gap ``near`` is clearly wider than ``far``, on its other side."""
        height = self.height
        return near > max(2.0 * far + 0.06 * height, 0.4 * height) or near > self.mark_cap

    def dot_over(self, i: int) -> bool:
        """A speck over the glyph before it: the dot of an i or j."""
        items = self.items
        box, mark = items[i][0].box, items[i][1]
        if mark != REJECT or i == 0 or items[i - 1][1]:
            return False
        below = items[i - 1][0].box
        return below.left <= box.left + box.width / 2 <= below.right

    def splits(self, j: int, i: int) -> bool:
        """Whether item ``i`` starts a word after item ``j``, the one before it."""
        items, gap = self.items, self.gap
        (prev, prev_mark), (cur, cur_mark) = items[j], items[i]
        if not prev_mark and not cur_mark:
            pitch = (cur.box.left + cur.box.right - prev.box.left - prev.box.right) / 2
            return gap(j, i) > self.word_gap and pitch > self.word_pitch
        if cur_mark and not prev_mark:
            after = gap(i, i + 1) if i + 1 < len(items) and not items[i + 1][1] else None
            return gap(j, i) > self.mark_cap if after is None else self.lopsided(gap(j, i), after)
        if prev_mark and not cur_mark:
            before = gap(j - 1, j) if j >= 1 and not items[j - 1][1] else None
            return gap(j, i) > self.mark_cap if before is None else self.lopsided(gap(j, i), before)
        return gap(j, i) > self.word_gap


def split_words(items: list[tuple[Piece, str]], height: float) -> list[int]:
    """Word number of each item: a gap wider than a space starts a new word.

    Narrow glyphs such as ``1`` sit in wide cells in both proportional and
    monospaced fonts, so a gap alone is not enough: two glyphs are also in
    different words only when their centres are further apart than the
    line's typical glyph pitch allows. A mark (``.`` ``,`` ``:`` ``-``) is
    in the word of a neighbour unless the gap on that side is clearly wider
    than on the other: ``12.50`` is symmetric (in monospace too, where the
    dot sits in a cell of its own), ``No. 123`` has a space after the dot.

    Parameters
    ----------
    items : list of (Piece, str)
        One line's pieces left to right, with their separators.
    height : float
        The line's glyph height.

    Returns
    -------
    list of int
        Per item, its word number, non-decreasing from 0.
    """
    spacing = _Spacing(items, height)
    word_ids, word = [0] * len(items), 0
    for i in range(1, len(items)):
        if spacing.dot_over(i):
            # In the word of its glyph, and measured past, so that it never
            # ends a word: Till, not Ti ll.
            word_ids[i] = word
            continue
        j = i - 1 if i < 2 or not spacing.dot_over(i - 1) else i - 2
        word += int(spacing.splits(j, i))
        word_ids[i] = word
    return word_ids


RULE_BELOW = (-0.4, 0.6)
"""A word stands on a writing line whose top is this many line heights
above (negative) or below its glyphs' feet."""


def _word_members(items: list[tuple[Piece, str]], word_ids: list[int]) -> dict[int, list[int]]:
    """The glyphs (not marks) of each word, by word number, words in reading order."""
    words: dict[int, list[int]] = {}
    for i, (_, sep) in enumerate(items):
        if not sep:
            words.setdefault(word_ids[i], []).append(i)
    return words


def _runs_under(rule: Box, box: Box, feet: float, height: float) -> bool:
    """Whether a rule runs under a word's feet, from before it to past it."""
    slack = 0.5 * height
    return (
        RULE_BELOW[0] * height <= rule.top - feet <= RULE_BELOW[1] * height
        and rule.left <= box.left + slack
        and rule.right >= box.right - slack
        # A line is drawn longer than what is written on it; a run
        # along a slab-serif word's feet ends with the word.
        and (rule.left <= box.left - height or rule.right >= box.right + height)
    )


def _shares_rule(word: int, rule: Box, boxes: dict[int, Box]) -> bool:
    """Whether another word stands over the rule too: a table's row, a sentence."""
    return any(
        other != word and b.left < rule.right and b.right > rule.left for other, b in boxes.items()
    )


def on_writing_lines(
    items: list[tuple[Piece, str]],
    word_ids: list[int],
    field_ids: list[int],
    rules: list[Box],
    height: float,
) -> list[int]:
    """Field numbers for the words that stand alone on a writing line.

    A number written on a form's line is an entry as much as one written in
    a box: each word outside any box or comb that is the only word over a
    rule running under its feet, and drawn longer than it, gets a field
    number of its own (after the line's boxes and combs). The widest such
    rule counts, where a digit's own foot makes a short run too.
    """
    out = list(field_ids)
    words = _word_members(items, word_ids)
    boxes = {w: Box.enclosing([items[i][0].box for i in members]) for w, members in words.items()}
    next_id = max(field_ids, default=-1) + 1
    for word, members in words.items():
        if any(field_ids[i] >= 0 for i in members):
            continue
        box = boxes[word]
        feet = median([items[i][0].box.bottom for i in members])
        under = [r for r in rules if _runs_under(r, box, feet, height)]
        if not under:
            continue
        rule = max(under, key=lambda r: r.width)
        if _shares_rule(word, rule, boxes):
            continue
        for i in members:
            out[i] = next_id
        next_id += 1
    return out


FIELD_LINE = 2.0
"""A field less high than this many of its tallest glyph's heights holds one
line of writing."""


def _centre_in(box: Box, field: Box) -> bool:
    """Whether a glyph's centre lies in a field: the glyph is written in it."""
    cx, cy = box.left + box.width / 2, box.top + box.height / 2
    return field.left <= cx < field.right and field.top <= cy < field.bottom


def _in_field(line: list[Piece], area: Box) -> list[Piece]:
    """The glyphs of a line written in a field."""
    return [p for p in line if _centre_in(p.box, area)]


def _holds_one_line(area: Box, inside: list[Piece]) -> bool:
    """Whether a field is too low for two lines of its tallest glyph."""
    return area.height < FIELD_LINE * max(p.box.height for p in inside)


def _gather_field(lines: list[list[Piece]], area: Box) -> None:
    """Move the glyphs of a low field, in place, into the line that holds most of them."""
    holders = [i for i, line in enumerate(lines) if any(_centre_in(p.box, area) for p in line)]
    if len(holders) < 2:
        return
    inside = [p for i in holders for p in _in_field(lines[i], area)]
    if not _holds_one_line(area, inside):
        return
    # Into the line that holds most of the field's glyphs (the first, on a tie).
    keep = max(holders, key=lambda i: sum(_centre_in(p.box, area) for p in lines[i]))
    for i in holders:
        if i == keep:
            continue
        moved = _in_field(lines[i], area)
        lines[i] = [p for p in lines[i] if not _centre_in(p.box, area)]
        lines[keep] = sorted(lines[keep] + moved, key=lambda p: (p.box.left, p.box.top))


def one_line_per_field(lines: list[list[Piece]], fields: list[RuledField]) -> list[list[Piece]]:
    """Glyphs in one low field (a box, a comb) put on one line.

    A writer's digit dropped half its height below its neighbours overlaps
    them too little to be chained into their line (385997 read 38597 and
    9); a field too low for two lines of writing holds one.
    """
    for field in fields:
        _gather_field(lines, field.box)
    return [line for line in lines if line]


def word_line(
    items: list[tuple[Piece, str]], fields: list[RuledField], rules: list[Box]
) -> SegmentedLine:
    """One line's pieces, with their marks, split into words along the page's fields.

    Parameters
    ----------
    items : list of (Piece, str)
        The line's glyphs and marks with their separators (``""`` for a glyph).
    fields : list of RuledField
        The page's boxes and combs.
    rules : list of Box
        The page's writing lines (:func:`ocr.segment.ruling.writing_rules`).

    Returns
    -------
    SegmentedLine
        The pieces left to right, with their words and fields.
    """
    items = sorted(items, key=lambda item: (item[0].box.left, item[0].box.top))
    height = line_height([p for p, s in items if s == ""])
    word_ids = split_words(items, height)
    in_field, field_ids = [False] * len(items), [-1] * len(items)
    if fields:
        word_ids, in_field, field_ids = field_words(items, word_ids, fields, height)
    if rules:
        field_ids = on_writing_lines(items, word_ids, field_ids, rules, height)
    return SegmentedLine(
        pieces=tuple(p for p, _ in items),
        separators=tuple(s for _, s in items),
        word_ids=tuple(word_ids),
        height=height,
        in_number_field=tuple(in_field),
        field_ids=tuple(field_ids),
    )

"""Words of a line: split at spaces, and redrawn along a form's fields.

Gaps and pitches decide the words of a line; on a form, the glyphs of one
comb or box are one word whatever their gaps, a label and its box never
are, and a number written alone on a writing line is a field of its own.
"""

from __future__ import annotations

from collections import Counter

from ..types import REJECT, Box
from .fields import RuledField
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


MAX_COMB_CELL = 2.5
"""A comb's cells are at most this many line heights wide (a table's are wider)."""


BOX_GAP = 1.5
"""Glyphs in one box are one word unless further apart than this many line heights."""


COMB_STEP = 0.2
"""A glyph just outside a comb, off its pitch by at most this share of it,
stands in a cell whose ticks were not found."""


def _extend_comb(
    items: list[tuple[Piece, str]],
    mains: list[int],
    places: list[tuple[int, int] | None],
    fi: int,
    field: RuledField,
) -> None:
    """Place in comb ``fi`` the glyphs that continue it at its pitch.

    A comb found only in part (its first ticks lost under the writing)
    leaves the digits before it outside: 62747 read 2 and 747. A glyph
    next to the comb, one pitch (then two) from its end cell's centre and
    level with it, is taken as standing in the next cell. ``places`` is
    updated in place, with cell numbers below 0 or past the last cell.
    """
    cells = field.cells
    pitch = median([c.width for c in cells])
    first = cells[0].left + cells[0].width / 2
    last = cells[-1].left + cells[-1].width / 2
    area = field.box
    outside = [
        i
        for i in mains
        if places[i] is None
        and area.top <= items[i][0].box.top + items[i][0].box.height / 2 < area.bottom
    ]

    def step(i: int, origin: float) -> float:
        box = items[i][0].box
        return (box.left + box.width / 2 - origin) / pitch

    for direction, origin, start in ((-1, first, 0), (1, last, len(cells) - 1)):
        want = direction
        for i in sorted(outside, key=lambda i: direction * items[i][0].box.left):
            k = step(i, origin)
            if direction * k < 0.5:
                continue
            if abs(k - want) > COMB_STEP:
                break
            places[i] = (fi, start + want)
            want += direction


Place = tuple[int, int]
"""Where a glyph stands on a form: its field's number and its cell's."""


def _near_fields(items: list[tuple[Piece, str]], fields: list[RuledField]) -> list[RuledField]:
    """The fields that overlap the box of the line's pieces."""
    line = Box.enclosing([p.box for p, _ in items])
    return [
        f
        for f in fields
        if f.box.left < line.right
        and line.left < f.box.right
        and f.box.top < line.bottom
        and line.top < f.box.bottom
    ]


def _place(piece: Piece, near: list[RuledField]) -> Place | None:
    """The first field and cell of ``near`` that hold ``piece``'s centre, if any."""
    cx = piece.box.left + piece.box.width / 2
    cy = piece.box.top + piece.box.height / 2
    for fi, field in enumerate(near):
        for ci, cell in enumerate(field.cells):
            if cell.left <= cx < cell.right and cell.top <= cy < cell.bottom:
                return fi, ci
    return None


def _field_of(place: Place | None) -> int | None:
    """The field number of ``place``, or None outside any field."""
    return None if place is None else place[0]


def _is_number_comb(fi: int, field: RuledField, per_cell: Counter[Place], height: float) -> bool:
    """Whether field ``fi`` is a comb for one number: narrow cells, one glyph in each."""
    return (
        field.is_comb
        and max(c.width for c in field.cells) <= MAX_COMB_CELL * height
        and all(n == 1 for (f, _), n in per_cell.items() if f == fi)
    )


def _is_number_box(
    fi: int,
    field: RuledField,
    items: list[tuple[Piece, str]],
    mains: list[int],
    places: list[Place | None],
    per_cell: Counter[Place],
    height: float,
) -> bool:
    """Whether field ``fi`` is one box holding two or more tall glyphs: digits, no label."""
    return (
        len(field.cells) == 1
        and per_cell.get((fi, 0), 0) >= 2
        and all(items[i][0].box.height >= 0.7 * height for i in mains if _field_of(places[i]) == fi)
    )


def _number_fields(
    items: list[tuple[Piece, str]],
    mains: list[int],
    places: list[Place | None],
    near: list[RuledField],
    height: float,
) -> tuple[set[int], set[int]]:
    """The combs and the single boxes of ``near`` that hold one number.

    A comb's cells hold one glyph each (a field whose cells hold more is a
    table row) and are no wider than :data:`MAX_COMB_CELL` line heights;
    combs are extended, in ``places``, by the glyphs that continue them. A
    single box counts when it holds two or more glyphs, all tall (digits, no
    lower-case label).
    """
    per_cell = Counter(place for place in (places[i] for i in mains) if place is not None)
    combs = {fi for fi, field in enumerate(near) if _is_number_comb(fi, field, per_cell, height)}
    for fi in combs:
        _extend_comb(items, mains, places, fi, near[fi])
    # Judged after the combs are extended: a glyph placed in one is in no box.
    boxes = {
        fi
        for fi, field in enumerate(near)
        if _is_number_box(fi, field, items, mains, places, per_cell, height)
    }
    return combs, boxes


def _one_entry(
    a: Place | None, b: Place | None, gap: float, combs: set[int], boxes: set[int], height: float
) -> bool:
    """Whether glyphs at ``a`` then ``b`` are one entry: next cells of a comb, or one box."""
    field_a, field_b = _field_of(a), _field_of(b)
    if field_a is None or field_a != field_b:
        return False
    if field_a in combs and a is not None and b is not None and b[1] == a[1] + 1:
        return True
    # One box, one number: a writer's wide gap does not split it.
    return field_a in boxes and gap <= BOX_GAP * height


def _field_start(places: list[Place | None], j: int, i: int) -> int:
    """The first item after ``j``, up to ``i``, in ``i``'s field: where its box's side begins."""
    field = _field_of(places[i])
    return next((k for k in range(j + 1, i + 1) if _field_of(places[k]) == field), i)


def _word_starts(
    items: list[tuple[Piece, str]],
    word_ids: list[int],
    mains: list[int],
    places: list[Place | None],
    combs: set[int],
    boxes: set[int],
    height: float,
) -> list[bool]:
    """Per item, whether it starts a word once the fields are taken into account."""
    starts = [i > 0 and word_ids[i] != word_ids[i - 1] for i in range(len(items))]
    for j, i in zip(mains, mains[1:], strict=False):
        a, b = places[j], places[i]
        gap = items[i][0].box.left - items[j][0].box.right
        if _one_entry(a, b, gap, combs, boxes, height):
            for k in range(j + 1, i + 1):
                starts[k] = False
        elif _field_of(a) != _field_of(b) and not any(starts[j + 1 : i + 1]):
            # Between the label and its box: where the box's side begins.
            starts[_field_start(places, j, i)] = True
    return starts


def field_words(
    items: list[tuple[Piece, str]], word_ids: list[int], fields: list[RuledField], height: float
) -> tuple[list[int], list[bool], list[int]]:
    """Word numbers redrawn along the form's fields.

    Glyphs in consecutive cells of one comb are one word whatever the gap
    between them (one digit per cell leaves cell-wide gaps); a glyph in a
    field and one outside it (a printed label beside its box) are never
    one word. A comb's cells hold one glyph each: a field whose cells hold
    more is a table row and keeps its words.

    Parameters
    ----------
    items : list of (Piece, str)
        One line's pieces left to right, with their separators.
    word_ids : list of int
        Their word numbers from :func:`split_words`.
    fields : list of RuledField
        The page's fields.
    height : float
        The line's glyph height.

    Returns
    -------
    word_ids : list of int
        New word numbers, non-decreasing from 0.
    in_number_field : list of bool
        Per piece, whether it stands in a comb: a field for one number, one
        digit per cell. (Boxes are left out: on receipts a framed total is
        print, and reading it as handwriting cost SROIE 0.012 F1.)
    field_ids : list of int
        Per piece, the field (box or comb) it stands in, numbered within the
        line, or -1.
    """
    if not items:
        return word_ids, [], []
    near = _near_fields(items, fields)
    if not near:
        return word_ids, [False] * len(items), [-1] * len(items)
    places = [_place(p, near) for p, _ in items]
    mains = [i for i, (_, s) in enumerate(items) if s == ""]
    combs, boxes = _number_fields(items, mains, places, near, height)
    starts = _word_starts(items, word_ids, mains, places, combs, boxes, height)
    out, word = [], 0
    for start in starts:
        word += int(start)
        out.append(word)
    return (
        out,
        [place is not None and place[0] in combs for place in places],
        [-1 if place is None else place[0] for place in places],
    )


RULE_BELOW = (-0.4, 0.6)
"""A word stands on a writing line whose top is this many line heights
above (negative) or below its glyphs' feet."""


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
    mains = [i for i, (_, sep) in enumerate(items) if not sep]
    words: dict[int, list[int]] = {}
    for i in mains:
        words.setdefault(word_ids[i], []).append(i)
    boxes = {w: Box.enclosing([items[i][0].box for i in members]) for w, members in words.items()}
    next_id = max(field_ids, default=-1) + 1
    for word, members in words.items():
        if any(field_ids[i] >= 0 for i in members):
            continue
        box = boxes[word]
        feet = median([items[i][0].box.bottom for i in members])
        slack = 0.5 * height
        under = [
            r
            for r in rules
            if RULE_BELOW[0] * height <= r.top - feet <= RULE_BELOW[1] * height
            and r.left <= box.left + slack
            and r.right >= box.right - slack
            # A line is drawn longer than what is written on it; a run
            # along a slab-serif word's feet ends with the word.
            and (r.left <= box.left - height or r.right >= box.right + height)
        ]
        if not under:
            continue
        rule = max(under, key=lambda r: r.width)
        if any(
            other != word and b.left < rule.right and b.right > rule.left
            for other, b in boxes.items()
        ):
            continue  # other words share the rule: a table's row, a sentence
        for i in members:
            out[i] = next_id
        next_id += 1
    return out


FIELD_LINE = 2.0
"""A field less high than this many of its tallest glyph's heights holds one
line of writing."""


def one_line_per_field(lines: list[list[Piece]], fields: list[RuledField]) -> list[list[Piece]]:
    """Glyphs in one low field (a box, a comb) put on one line.

    A writer's digit dropped half its height below its neighbours overlaps
    them too little to be chained into their line (385997 read 38597 and
    9); a field too low for two lines of writing holds one.
    """

    def centre_in(box: Box, field: Box) -> bool:
        cx, cy = box.left + box.width / 2, box.top + box.height / 2
        return field.left <= cx < field.right and field.top <= cy < field.bottom

    for field in fields:
        area = field.box
        holders = [i for i, line in enumerate(lines) if any(centre_in(p.box, area) for p in line)]
        if len(holders) < 2:
            continue
        inside = [p for i in holders for p in lines[i] if centre_in(p.box, area)]
        if area.height >= FIELD_LINE * max(p.box.height for p in inside):
            continue
        # Into the line that holds most of the field's glyphs.
        keep = max(holders, key=lambda i: sum(centre_in(p.box, area) for p in lines[i]))
        for i in holders:
            if i == keep:
                continue
            moved = [p for p in lines[i] if centre_in(p.box, area)]
            lines[i] = [p for p in lines[i] if not centre_in(p.box, area)]
            lines[keep] = sorted(lines[keep] + moved, key=lambda p: (p.box.left, p.box.top))
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

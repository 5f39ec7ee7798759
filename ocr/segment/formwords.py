"""Words of a line redrawn along a form's boxes and combs.

The glyphs of one comb or box are one word whatever their gaps (one digit
per cell leaves cell-wide gaps), and a printed label and its box never are.
"""

from __future__ import annotations

from collections import Counter

from ..types import Box
from .fields import RuledField
from .measure import median
from .pieces import Piece

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

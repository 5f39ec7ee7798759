"""Stage 2: find the glyphs of a page and group them into lines and words.

The page's ink (:mod:`ocr.ink`), mended where a form's faint hairlines broke
into dashes, is split into pieces (:mod:`.pieces`), cleaned of rules, box
borders and comb ticks (:mod:`.ruling`, :mod:`.fields`), and grouped into
lines that follow a slight tilt, with the small marks on them named by their
geometry (:mod:`.lines`), and into words, redrawn along the form's boxes,
combs and writing lines (:mod:`.words`).

Segmentation never reads a glyph: it hands the pipeline
:class:`SegmentedLine` objects, and touching glyphs are cut later
(:mod:`ocr.touching`), once the classifier has read them.
"""

from __future__ import annotations

import numpy as np

from ..ink import PageInk, binarise_page
from .faint import join_faint
from .fields import RuledField, find_pieces, find_structure
from .lines import SegmentedLine, attach_marks, group_lines, local_heights, split_off_marks
from .measure import median, stroke_width
from .pieces import MIN_MAIN_HEIGHT, Piece
from .ruling import faint_hairlines, find_frames, writing_rules
from .words import one_line_per_field, word_line

__all__ = [
    "RuledField",
    "Piece",
    "SegmentedLine",
    "find_frames",
    "find_pieces",
    "find_structure",
    "local_heights",
    "segment",
    "stroke_width",
]


def segment(page: np.ndarray, ink: PageInk | None = None) -> list[SegmentedLine]:
    """Find the glyphs of a page and group them into lines and words.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.
    ink : PageInk, optional
        Its binarisation (:func:`ocr.ink.binarise_page`), when already made.

    Returns
    -------
    lines : list of SegmentedLine
        In reading order: top to bottom, glyphs left to right.
    """
    ink = binarise_page(page) if ink is None else ink
    mask = ink.mask | faint_hairlines(ink)
    pieces, fields = find_structure(mask)
    pieces = join_faint(pieces, ink)
    if not pieces:
        return []
    mains = [p for p in pieces if p.box.height >= MIN_MAIN_HEIGHT]
    marks = [p for p in pieces if p.box.height < MIN_MAIN_HEIGHT]
    lines = group_lines(mains)
    if fields:
        lines = one_line_per_field(lines, fields)
    glyph_lines, marks = split_off_marks(lines, marks, ruled=bool(fields))
    with_marks = attach_marks(glyph_lines, marks)
    rules = writing_rules(mask) if with_marks else []
    result = [word_line(items, fields, rules) for items in with_marks]
    result.sort(key=lambda line: median([p.box.top + p.box.height / 2 for p in line.pieces]))
    return result

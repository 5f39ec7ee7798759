"""Handwriting: deslanted vectors, the print-or-handwriting decision per word, digits in context.

Handwritten numbers are written with ``load_digits`` digits that training
never uses (indices 1697..1796, :data:`ocr.training.HELD_OUT_HANDWRITING`).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import ocr
from conftest import draw_text
from ocr.handwriting import handwritten_words, numeric_context, short_digits
from ocr.pipeline import glyph_batch
from ocr.segment import Piece, SegmentedLine
from ocr.training import HELD_OUT_HANDWRITING
from ocr.types import Box, GlyphBatch


def _held_out_digit(digit: int, nth: int = 0) -> np.ndarray:
    from sklearn.datasets import load_digits

    digits = load_digits()
    picks = [i for i in HELD_OUT_HANDWRITING if digits.target[i] == digit]
    return digits.images[picks[nth % len(picks)]]


def _write(
    page: np.ndarray, x: int, baseline: int, number: str, height: int = 48, shear: float = 0.0
) -> None:
    """Write ``number`` in held-out handwriting, slanted by ``shear``, onto ``page``."""
    for n, char in enumerate(number):
        image = np.pad(_held_out_digit(int(char), n).astype(np.float32) / 16.0, 1)
        big = cv2.resize(
            image, (height + height // 4, height + height // 4), interpolation=cv2.INTER_CUBIC
        )
        size = big.shape[0]
        matrix = np.float32([[1, -shear, shear * size / 2], [0, 1, 0]])
        big = cv2.warpAffine(big, matrix, (size, size))
        ys, xs = np.nonzero(big > 0.45)
        glyph = big[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1] > 0.45
        h, w = glyph.shape
        region = page[baseline - h : baseline, x : x + w]
        region[glyph] = 30
        x += w + height // 5


@pytest.mark.parametrize("number", ["2468", "36"])
@pytest.mark.parametrize("shear", [0.0, 0.3])
def test_a_handwritten_number_beside_a_printed_label(model, number: str, shear: float) -> None:
    # Upright and leaning some 17 degrees: deslanted, both are the same digits.
    # (Single digits misread are measured by benchmarks/handwriting.py.)
    page = np.full((120, 700), 255, dtype=np.uint8)
    label = draw_text("Account", scale=1.0)
    page[30 : 30 + label.shape[0], : label.shape[1]] = label
    _write(page, 260, 90, number, shear=shear)
    tokens = [
        t.text for line in ocr.read(page, model=model, orient=False).lines for t in line.tokens
    ]
    assert tokens == [number]


def test_the_shipped_model_reads_handwriting(model) -> None:
    assert model.reads_handwriting
    assert model.handwriting_side_weight is not None


def _batch(
    words: list[int],
    heights: list[int] | None = None,
    field_ids: tuple[int, ...] = (),
    in_comb: bool = False,
) -> GlyphBatch:
    """A line of glyphs 20 px wide, 30 px apart, in the given words."""
    heights = heights or [40] * len(words)
    pieces = tuple(
        Piece(Box(30 * n, 100 - h, 20, h), np.ones((h, 20), bool)) for n, h in enumerate(heights)
    )
    line = SegmentedLine(
        pieces=pieces,
        separators=("",) * len(words),
        word_ids=tuple(words),
        height=float(max(heights)),
        in_number_field=(in_comb,) * len(words),
        field_ids=field_ids,
    )
    return glyph_batch([line])


def test_numeric_context_rereads_the_odd_glyph_of_a_handwritten_number() -> None:
    batch = _batch([0, 0, 0, 0, 1, 1, 1])
    read = np.ones(7, bool)
    labels = np.array(list("5?20") + list("?A3"))
    # The first word is mostly digits: its ? is read again. The second is
    # mostly letters: it stays as it is.
    assert np.flatnonzero(numeric_context(batch, read, labels, read)).tolist() == [1]
    # Print is never read again.
    assert not numeric_context(batch, read, labels, np.zeros(7, bool)).any()


def test_a_small_number_in_one_column_is_not_taken_for_lower_case() -> None:
    from ocr.segment import local_heights

    def piece(left: int, height: int) -> Piece:
        return Piece(Box(left, 100 - height, 20, height), np.ones((height, 20), bool))

    # A large number in the left column, a small one far off in the right.
    big = [piece(x, 60) for x in (0, 30, 60)]
    small = [piece(x, 34) for x in (600, 630, 660)]
    line = SegmentedLine(
        pieces=tuple(big + small), separators=("",) * 6, word_ids=(0, 0, 0, 1, 1, 1), height=60.0
    )
    assert local_heights(line) == [60.0] * 3 + [34.0] * 3
    # Close together, the small glyphs are lower-case beside capitals.
    near = [piece(x, 34) for x in (90, 120, 150)]
    line = SegmentedLine(
        pieces=tuple(big + near), separators=("",) * 6, word_ids=(0, 0, 0, 1, 1, 1), height=60.0
    )
    assert local_heights(line) == [60.0] * 6


def test_a_writers_small_digit_is_read_but_not_a_printed_x_height_letter() -> None:
    # Glyph 1 is under 0.75 of the line's height, so it was not read with
    # the others; in a handwritten number it is a small 4 (0.82 of the rest).
    batch = _batch([0] * 4, [50, 41, 50, 50])
    short = np.array([False, True, False, False])
    read, yes, no = ~short, ~short, np.zeros(4, bool)
    assert short_digits(batch, short, read, yes, yes).tolist() == [False, True, False, False]
    # Print, or a word that reads mostly as letters, keeps its short glyphs
    # as letters; so does a glyph of an x-height letter's size (0.7).
    assert not short_digits(batch, short, read, yes, no).any()
    assert not short_digits(batch, short, read, np.array([1, 0, 0, 0], bool), yes).any()
    batch = _batch([0] * 4, [50, 35, 50, 50])
    assert not short_digits(batch, short, read, yes, yes).any()


def test_a_number_alone_in_a_box_needs_less_to_be_handwriting() -> None:
    def hand(batch: GlyphBatch, printed: str, read: int = 3) -> np.ndarray:
        labels = np.array(list(printed.ljust(len(batch), "?")))
        asked = np.arange(len(batch)) < read
        # Nearer handwriting, but not by much (0.9 of the distance to print).
        return handwritten_words(batch, asked, np.full(len(batch), 0.9), labels)[asked]

    # Print, unless alone in a box.
    assert not hand(_batch([0, 0, 0], field_ids=(-1, -1, -1)), "?/?").any()
    boxed = _batch([0, 0, 0], field_ids=(0, 0, 0))
    assert hand(boxed, "?/?").all()
    # A framed total that print reads as a number stays print; so does a
    # word that shares its box with another (a frame around a receipt).
    assert not hand(boxed, "12?").any()
    # Half of a written number may look like printed digits (a 7, a 1).
    assert hand(boxed, "1?", read=2).all()
    shared = _batch([0, 0, 0, 1], field_ids=(0, 0, 0, 0))
    assert not hand(shared, "?/?").any()


def test_every_odd_glyph_of_a_comb_is_read_again_as_a_digit() -> None:
    labels = np.array(list("?%?4"))
    read = np.ones(4, bool)
    # Mostly letters, but in a comb: all three are read again.
    comb = _batch([0, 0, 0, 0], in_comb=True)
    assert np.flatnonzero(numeric_context(comb, read, labels, read)).tolist() == [0, 1, 2]
    assert not numeric_context(_batch([0, 0, 0, 0]), read, labels, read).any()


def test_a_small_number_in_a_box_is_measured_against_itself() -> None:
    from ocr.segment import local_heights

    def piece(left: int, height: int) -> Piece:
        return Piece(Box(left, 100 - height, 20, height), np.ones((height, 20), bool))

    # A printed label of capitals, and close beside it a box written small.
    label = [piece(x, 45) for x in (0, 25, 50, 75)]
    digits = [piece(x, 28) for x in (130, 155, 180)]
    fields = (-1,) * 4 + (0,) * 3
    line = SegmentedLine(
        pieces=tuple(label + digits),
        separators=("",) * 7,
        word_ids=(0,) * 4 + (1,) * 3,
        height=45.0,
        field_ids=fields,
    )
    assert local_heights(line) == [45.0] * 4 + [28.0] * 3
    # Outside a box, glyphs that close are lower-case beside capitals.
    line = SegmentedLine(
        pieces=tuple(label + digits),
        separators=("",) * 7,
        word_ids=(0,) * 4 + (1,) * 3,
        height=45.0,
    )
    assert local_heights(line) == [45.0] * 7


def test_handwritten_glyph_read_fairly_surely_is_not_tried_for_a_split() -> None:
    # A writer's 8 read as 8 with 0.7 is one digit; cutting it gave 1 and 8.
    from ocr.touching import may_split

    wide = Piece(Box(0, 0, 48, 40), np.ones((40, 48), dtype=bool))
    assert may_split(wide, 40.0, "8", 0.7)
    assert not may_split(wide, 40.0, "8", 0.7, handwritten=True)
    assert may_split(wide, 40.0, "8", 0.5, handwritten=True)

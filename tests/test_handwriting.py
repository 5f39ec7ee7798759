"""Handwriting: deslanted vectors, the print-or-handwriting decision per word, digits in context.

Handwritten numbers are written with ``load_digits`` digits that training
never uses (indices 1697..1796, :data:`ocr.train.HELD_OUT_HANDWRITING`).
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import ocr
from conftest import draw_text
from ocr.pipeline import _numeric_context
from ocr.segment import SegmentedLine
from ocr.training import HELD_OUT_HANDWRITING


def _held_out_digit(digit: int, nth: int = 0) -> np.ndarray:
    from sklearn.datasets import load_digits

    digits = load_digits()
    picks = [i for i in HELD_OUT_HANDWRITING if digits.target[i] == digit]
    return digits.images[picks[nth % len(picks)]]


def _write(page: np.ndarray, x: int, baseline: int, number: str, height: int = 48,
           shear: float = 0.0) -> None:
    """Write ``number`` in held-out handwriting, slanted by ``shear``, onto ``page``."""
    for n, char in enumerate(number):
        image = np.pad(_held_out_digit(int(char), n).astype(np.float32) / 16.0, 1)
        big = cv2.resize(image, (height + height // 4, height + height // 4),
                         interpolation=cv2.INTER_CUBIC)
        size = big.shape[0]
        matrix = np.float32([[1, -shear, shear * size / 2], [0, 1, 0]])
        big = cv2.warpAffine(big, matrix, (size, size))
        ys, xs = np.nonzero(big > 0.45)
        glyph = big[ys.min():ys.max() + 1, xs.min():xs.max() + 1] > 0.45
        h, w = glyph.shape
        region = page[baseline - h:baseline, x:x + w]
        region[glyph] = 30
        x += w + height // 5


@pytest.mark.parametrize("number", ["2468", "36"])
@pytest.mark.parametrize("shear", [0.0, 0.3])
def test_a_handwritten_number_beside_a_printed_label(model, number: str, shear: float) -> None:
    # Upright and leaning some 17 degrees: deslanted, both are the same digits.
    # (Single digits misread are measured by benchmarks/handwriting.py.)
    page = np.full((120, 700), 255, dtype=np.uint8)
    label = draw_text("Account", scale=1.0)
    page[30:30 + label.shape[0], :label.shape[1]] = label
    _write(page, 260, 90, number, shear=shear)
    tokens = [t.text for line in ocr.read(page, model=model, orient=False).lines
              for t in line.tokens]
    assert tokens == [number]


def test_the_shipped_model_reads_handwriting(model) -> None:
    assert model.reads_handwriting
    assert model.handwriting_side_weight is not None


def _line(words: list[int]) -> SegmentedLine:
    return SegmentedLine(pieces=(), separators=("",) * len(words), word_ids=tuple(words),
                         height=40.0)


def test_numeric_context_rereads_the_odd_glyph_of_a_handwritten_number() -> None:
    lines = [_line([0, 0, 0, 0, 1, 1, 1])]
    slots = [(0, i) for i in range(7)]
    labels = np.array(list("5?20") + list("?A3"))
    handwritten = np.array([True] * 4 + [True] * 3)
    # The first word is mostly digits: its ? is read again. The second is
    # mostly letters: it stays as it is.
    assert _numeric_context(lines, slots, labels, handwritten).tolist() == [1]
    # Print is never read again.
    assert _numeric_context(lines, slots, labels, np.zeros(7, bool)).size == 0


def test_a_small_number_in_one_column_is_not_taken_for_lower_case() -> None:
    from ocr.segment import Piece, local_heights
    from ocr.types import Box

    def piece(left: int, height: int) -> Piece:
        return Piece(Box(left, 100 - height, 20, height), np.ones((height, 20), bool))

    # A large number in the left column, a small one far off in the right.
    big = [piece(x, 60) for x in (0, 30, 60)]
    small = [piece(x, 34) for x in (600, 630, 660)]
    line = SegmentedLine(pieces=tuple(big + small), separators=("",) * 6,
                         word_ids=(0, 0, 0, 1, 1, 1), height=60.0)
    assert local_heights(line) == [60.0] * 3 + [34.0] * 3
    # Close together, the small glyphs are lower-case beside capitals.
    near = [piece(x, 34) for x in (90, 120, 150)]
    line = SegmentedLine(pieces=tuple(big + near), separators=("",) * 6,
                         word_ids=(0, 0, 0, 1, 1, 1), height=60.0)
    assert local_heights(line) == [60.0] * 6


def test_a_writers_small_digit_is_read_but_not_a_printed_x_height_letter() -> None:
    from ocr.pipeline import _short_in_handwriting
    from ocr.segment import Piece
    from ocr.types import Box

    def line(heights: list[int]) -> SegmentedLine:
        pieces = tuple(Piece(Box(30 * n, 100 - h, 20, h), np.ones((h, 20), bool))
                       for n, h in enumerate(heights))
        return SegmentedLine(pieces=pieces, separators=("",) * len(heights),
                             word_ids=(0,) * len(heights), height=60.0)

    # Glyph 1 is under 0.75 of the line's height, so it was not read with
    # the others; in a handwritten number it is a small 4 (0.82 of the rest).
    lines = [line([50, 41, 50, 50])]
    slots = [(0, n) for n in range(4)]
    short, asked = np.array([False, True, False, False]), np.array([0, 2, 3])
    yes = np.ones(3, bool)
    assert _short_in_handwriting(lines, slots, short, asked, yes, yes).tolist() == [
        False, True, False, False]
    # Print, or a word that reads mostly as letters, keeps its short glyphs
    # as letters; so does a glyph of an x-height letter's size (0.7).
    assert not _short_in_handwriting(lines, slots, short, asked, yes, ~yes).any()
    assert not _short_in_handwriting(lines, slots, short, asked, np.array([1, 0, 0], bool),
                                     yes).any()
    lines = [line([50, 35, 50, 50])]
    assert not _short_in_handwriting(lines, slots, short, asked, yes, yes).any()


def test_a_number_alone_in_a_box_needs_less_to_be_handwriting() -> None:
    from ocr.pipeline import _handwritten_words, _Reads

    def reads(printed: str) -> _Reads:
        labels = np.array(list(printed))
        ones = np.ones(len(labels))
        return _Reads((labels, ones), (labels, ones), np.full(len(labels), 0.9),
                      np.zeros((len(labels), 3)))

    def line(field_ids: tuple[int, ...], word_ids: tuple[int, ...]) -> SegmentedLine:
        return SegmentedLine(pieces=(), separators=("",) * len(word_ids), word_ids=word_ids,
                             height=40.0, field_ids=field_ids)

    slots = [(0, i) for i in range(3)]
    # Nearer handwriting, but not by much: print, unless alone in a box.
    loose = line((-1, -1, -1), (0, 0, 0))
    assert not _handwritten_words([loose], slots, reads("?/?")).any()
    boxed = line((0, 0, 0), (0, 0, 0))
    assert _handwritten_words([boxed], slots, reads("?/?")).all()
    # A framed total that print reads as a number stays print; so does a
    # word that shares its box with another (a frame around a receipt).
    assert not _handwritten_words([boxed], slots, reads("12?")).any()
    # Half of a written number may look like printed digits (a 7, a 1).
    assert _handwritten_words([boxed], slots[:2], reads("1?")).all()
    shared = line((0, 0, 0, 0), (0, 0, 0, 1))
    assert not _handwritten_words([shared], slots, reads("?/?")).any()


def test_every_odd_glyph_of_a_comb_is_read_again_as_a_digit() -> None:
    lines = [_line([0, 0, 0, 0])]
    slots = [(0, i) for i in range(4)]
    labels = np.array(list("?%?4"))
    # Mostly letters, but in a comb: all three are read again.
    in_comb = np.ones(4, bool)
    assert _numeric_context(lines, slots, labels, in_comb, in_comb).tolist() == [0, 1, 2]
    assert _numeric_context(lines, slots, labels, in_comb).size == 0


def test_a_small_number_in_a_box_is_measured_against_itself() -> None:
    from ocr.segment import Piece, local_heights
    from ocr.types import Box

    def piece(left: int, height: int) -> Piece:
        return Piece(Box(left, 100 - height, 20, height), np.ones((height, 20), bool))

    # A printed label of capitals, and close beside it a box written small.
    label = [piece(x, 45) for x in (0, 25, 50, 75)]
    digits = [piece(x, 28) for x in (130, 155, 180)]
    fields = (-1,) * 4 + (0,) * 3
    line = SegmentedLine(pieces=tuple(label + digits), separators=("",) * 7,
                         word_ids=(0,) * 4 + (1,) * 3, height=45.0, field_ids=fields)
    assert local_heights(line) == [45.0] * 4 + [28.0] * 3
    # Outside a box, glyphs that close are lower-case beside capitals.
    line = SegmentedLine(pieces=tuple(label + digits), separators=("",) * 7,
                         word_ids=(0,) * 4 + (1,) * 3, height=45.0)
    assert local_heights(line) == [45.0] * 7


def test_handwritten_glyph_read_fairly_surely_is_not_tried_for_a_split() -> None:
    # A writer's 8 read as 8 with 0.7 is one digit; cutting it gave 1 and 8.
    from ocr.pipeline import _may_split
    from ocr.segment import Piece
    from ocr.types import Box

    wide = Piece(Box(0, 0, 48, 40), np.ones((40, 48), dtype=bool))
    assert _may_split(wide, 40.0, "8", 0.7)
    assert not _may_split(wide, 40.0, "8", 0.7, handwritten=True)
    assert _may_split(wide, 40.0, "8", 0.5, handwritten=True)

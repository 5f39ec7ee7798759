"""The shipped model end to end on generated lines: letters, touching digits, points, percent.

Lines are drawn with OpenCV's Hershey fonts (they ship with OpenCV, so these
tests need no font package) and read with :func:`ocr.read`.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

import ocr
from conftest import draw_text


def _tokens(page: np.ndarray, model) -> list[str]:
    return [t.text for line in ocr.read(page, model=model, orient=False).lines for t in line.tokens]


@pytest.mark.parametrize("word", ["BOSS", "OIL", "SOB", "Bill", "lOSS", "SOLD"])
def test_words_of_digit_like_letters_give_no_token(model, word: str) -> None:
    # O l I S B are the letters a digit reader confuses with 0 1 1 5 8.
    assert _tokens(draw_text(word), model) == []


def test_number_after_a_label_word_is_read(model) -> None:
    assert _tokens(draw_text("TOTAL 4071"), model) == ["4071"]


def test_decimal_point_is_attached_to_its_token(model) -> None:
    assert _tokens(draw_text("12.50"), model) == ["12.50"]


def test_touching_pair_is_split_into_two_digits(model) -> None:
    # "47" drawn with its two glyphs overlapping: one component, two digits.
    page = np.full((100, 160), 255, dtype=np.uint8)
    cv2.putText(page, "4", (30, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3, cv2.LINE_AA)
    cv2.putText(page, "7", (48, 70), cv2.FONT_HERSHEY_SIMPLEX, 1.5, 0, 3, cv2.LINE_AA)
    count, _ = cv2.connectedComponents((page < 128).astype(np.uint8))
    assert count == 2  # the background, and one component holding both digits
    assert _tokens(page, model) == ["47"]


def test_percent_ends_its_number(model) -> None:
    assert _tokens(draw_text("VAT 20%"), model) == ["20"]


def test_short_letters_are_read_as_letters_without_the_model(model, monkeypatch) -> None:
    # "no 40": n and o stand at x-height, 23 px against the digits' 31.
    from ocr.classify import KNNClassifier
    from ocr.pipeline import read_page_detail

    asked: list[int] = []
    read_views = KNNClassifier.read_views
    monkeypatch.setattr(
        KNNClassifier,
        "read_views",
        lambda self, X, *rest: asked.append(len(X)) or read_views(self, X, *rest),
    )
    detail = read_page_detail(draw_text("no 40", scale=1.5), model, orient=False)
    assert [g.label for g in detail.glyphs[:2]] == ["?", "?"]
    assert asked[0] == 2  # only 4 and 0 went to the classifier
    assert [t.text for line in detail.lines for t in line.tokens] == ["40"]


def test_glyphs_broken_by_a_lighter_stroke_are_read_whole(model) -> None:
    # Thin receipt print: a column through the middle of every glyph comes
    # out lighter than the ink threshold (160 against about 131), so a 0 is
    # binarised as ( ) and an 8 as two halves. Nearer the paper each glyph
    # is one component again, and is read whole.
    page = draw_text("Total 8,060.30", scale=1.2, thickness=2)
    count, _, stats, _ = cv2.connectedComponentsWithStats((page < 128).astype(np.uint8))
    for left, top, width, height, _ in stats[1:]:
        if height > 20:
            band = page[top : top + height, left + width // 2 - 1 : left + width // 2 + 2]
            band[band < 200] = 160
    assert _tokens(page, model) == ["8,060.30"]

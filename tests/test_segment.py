"""Segmentation on generated pages: boxes, lines, words, separators, rules."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from conftest import draw_text
from ocr.ink import binarise
from ocr.segment import Piece, segment
from ocr.touching import split_touching
from ocr.types import Box

FACE = cv2.FONT_HERSHEY_SIMPLEX


def _typeset(
    chars: str,
    x0: int = 40,
    baseline: int = 80,
    scale: float = 1.5,
    thickness: int = 3,
    gap: int = 14,
) -> tuple[np.ndarray, list[Box]]:
    """Draw characters one by one; return the page and each character's ink box."""
    page = np.full((140, 60 + len(chars) * 60), 255, dtype=np.uint8)
    boxes, x = [], x0
    for char in chars:
        if char == " ":
            x += 45
            continue
        layer = np.zeros_like(page)
        cv2.putText(layer, char, (x, baseline), FACE, scale, 255, thickness, cv2.LINE_AA)
        ys, xs = np.nonzero(layer > 127)
        boxes.append(Box(int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1))
        page = np.minimum(page, 255 - layer)
        x = int(xs.max()) + gap
    return page, boxes


def _close(a: Box, b: Box, tolerance: int = 3) -> bool:
    return all(
        abs(u - v) <= tolerance
        for u, v in [(a.left, b.left), (a.top, b.top), (a.right, b.right), (a.bottom, b.bottom)]
    )


def test_rendered_number_gives_one_box_per_digit() -> None:
    page, boxes = _typeset("4071 2938")
    lines = segment(page)
    assert len(lines) == 1
    found = [p.box for p in lines[0].pieces]
    assert len(found) == len(boxes)
    for want, got in zip(boxes, found, strict=True):
        assert _close(want, got), (want, got)
    assert lines[0].separators == ("",) * 8
    assert lines[0].word_ids == (0, 0, 0, 0, 1, 1, 1, 1)


def test_separators_are_decided_by_geometry() -> None:
    page, _ = _typeset("1,234.50", gap=8)
    (line,) = segment(page)
    marks = [s for s in line.separators if s]
    assert marks == [",", "."]
    assert len(set(line.word_ids)) == 1


def test_colon_and_dash() -> None:
    page, _ = _typeset("14:30", gap=10)
    (line,) = segment(page)
    assert [s for s in line.separators if s] == [":"]
    page, _ = _typeset("555-12", gap=10)
    (line,) = segment(page)
    assert [s for s in line.separators if s] == ["-"]


def test_lines_in_reading_order() -> None:
    top = draw_text("123", pad=20)
    bottom = draw_text("4567", pad=20)
    width = max(top.shape[1], bottom.shape[1])
    page = np.full((top.shape[0] + bottom.shape[0], width), 255, np.uint8)
    page[: top.shape[0], : top.shape[1]] = top
    page[top.shape[0] :, : bottom.shape[1]] = bottom
    lines = segment(page)
    assert [len(line.pieces) for line in lines] == [3, 4]


def test_tilted_line_stays_one_line() -> None:
    page = draw_text("12345678901234567890", scale=1.0, pad=60)
    h, w = page.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), 1.5, 1.0)
    tilted = cv2.warpAffine(page, matrix, (w, h), borderValue=255)
    lines = segment(tilted)
    assert len(lines) == 1 and len(lines[0].pieces) == 20


def test_uneven_lighting_and_faint_ink() -> None:
    page = draw_text("9081726354", pad=40).astype(np.float32)
    h, w = page.shape
    shade = np.linspace(120, 250, w)[None, :] * np.ones((h, 1))  # dark left, light right
    faint = np.where(page < 128, shade - 70, shade)  # ink only 70 levels below paper
    noisy = faint + np.random.default_rng(0).normal(0, 4, faint.shape)
    ink = binarise(np.clip(noisy, 0, 255).astype(np.uint8))
    n, _ = cv2.connectedComponents(ink.astype(np.uint8))
    assert n - 1 == 10  # the ten digits, and no shading blobs


def test_blank_noisy_page_has_no_glyphs() -> None:
    rng = np.random.default_rng(1)
    page = np.clip(rng.normal(235, 5, (300, 400)), 0, 255).astype(np.uint8)
    assert segment(page) == []


def test_rules_and_box_borders_are_removed() -> None:
    page, boxes = _typeset("305")
    cv2.line(page, (10, 100), (page.shape[1] - 10, 100), 0, 2)  # an underline
    cv2.rectangle(page, (5, 5), (page.shape[1] - 5, page.shape[0] - 5), 0, 2)  # a frame
    (line,) = segment(page)
    assert len(line.pieces) == 3
    for want, got in zip(boxes, [p.box for p in line.pieces], strict=True):
        assert _close(want, got)


def test_digit_touching_underline_survives() -> None:
    page, boxes = _typeset("72")
    bottom = max(b.bottom for b in boxes)
    cv2.line(page, (10, bottom), (page.shape[1] - 10, bottom), 0, 2)
    (line,) = segment(page)
    assert len(line.pieces) == 2


def test_split_touching_picks_the_cut_the_scorer_likes() -> None:
    # Two bars joined by a short bridge; the scorer likes parts one bar wide.
    mask = np.zeros((40, 34), dtype=bool)
    mask[:, 2:14] = True
    mask[:, 20:32] = True
    mask[18:22, 14:20] = True
    piece = Piece(Box(100, 50, 34, 40), mask)

    def score(parts: list[Piece]) -> np.ndarray:
        return np.array([1.0 if 11 <= p.box.width <= 15 else 0.1 for p in parts])

    parts = split_touching(piece, 40.0, score)
    assert parts is not None and len(parts) == 2
    assert parts[0].box.left == 102 and parts[0].box.right <= 118
    assert parts[1].box.right == 132 and parts[1].box.left >= 114


def test_split_touching_leaves_a_good_glyph_alone() -> None:
    mask = np.ones((40, 36), dtype=bool)
    piece = Piece(Box(0, 0, 36, 40), mask)
    assert split_touching(piece, 40.0, lambda parts: np.full(len(parts), 0.3)) is None


def _pil_line(text: str, size: int, font: str = "DejaVuSans-Bold.ttf") -> np.ndarray:
    from PIL import Image, ImageDraw, ImageFont

    try:
        face = ImageFont.truetype(font, size)
    except OSError:
        face = ImageFont.load_default(size)
    image = Image.new("L", (size * len(text), size * 2), 255)
    ImageDraw.Draw(image).text((size // 2, size // 3), text, font=face, fill=0)
    return np.asarray(image)


def test_comma_below_the_baseline_joins_its_line() -> None:
    for size in (20, 28, 40):
        (line,) = segment(_pil_line("4,071.29", size))
        assert [s for s in line.separators if s] == [",", "."], size
        assert len(set(line.word_ids)) == 1


def test_two_numbers_on_a_line_are_two_words() -> None:
    for size in (16, 28, 60):
        (line,) = segment(_pil_line("3865 4071", size))
        assert sorted(set(line.word_ids)) == [0, 1], size


def _number_with_dot(dot: int, scale: float, thickness: int, dot_height: int = 0) -> np.ndarray:
    """``12.32`` with a ``dot`` px wide period sitting on the baseline."""
    page = np.full((80, 260), 255, dtype=np.uint8)
    cv2.putText(page, "12", (20, 50), FACE, scale, 0, thickness, cv2.LINE_8)
    (w, _), _ = cv2.getTextSize("12", FACE, scale, thickness)
    x = 20 + w + 4
    page[50 - (dot_height or dot) : 50, x : x + dot] = 0
    cv2.putText(page, "32", (x + dot + 4, 50), FACE, scale, 0, thickness, cv2.LINE_8)
    return page


def test_large_square_period_of_a_monospace_font() -> None:
    # FreeMono-like: a square period over 0.3 of the digit height.
    page = _number_with_dot(dot=6, scale=0.8, thickness=2)
    (line,) = segment(page)
    assert line.height == 17
    assert [s for s in line.separators if s] == ["."]
    assert len(set(line.word_ids)) == 1


def test_one_pixel_dot_of_a_thin_font() -> None:
    # Thermal receipts at 203 dpi: strokes and dots one pixel wide.
    page = _number_with_dot(dot=1, scale=0.5, thickness=1, dot_height=2)
    (line,) = segment(page)
    assert line.height <= 12
    assert [s for s in line.separators if s] == ["."]
    assert len(set(line.word_ids)) == 1


def test_colon_whose_upper_dot_is_flattened_like_a_hyphen() -> None:
    # Bold receipt faces: the scan flattens the upper dot of 18:00 until it is
    # as wide as a short hyphen (7 x 4 px over a 5 x 5 dot); it is a colon.
    page = np.full((80, 300), 255, dtype=np.uint8)
    cv2.putText(page, "18", (20, 50), FACE, 1.0, 0, 3, cv2.LINE_8)
    (w, _), _ = cv2.getTextSize("18", FACE, 1.0, 3)
    x = 20 + w + 5
    page[36:40, x - 1 : x + 6] = 0
    page[45:50, x : x + 5] = 0
    cv2.putText(page, "00", (x + 10, 50), FACE, 1.0, 0, 3, cv2.LINE_8)
    (line,) = segment(page)
    assert [s for s in line.separators if s] == [":"]


def test_dot_of_an_i_does_not_end_a_word() -> None:
    # Monospaced "Till": the dot of the i sat between the i and the l as a
    # mark, and the gap after it ended the word, leaving "ll" to read as 11.
    from PIL import ImageFont

    try:
        ImageFont.truetype("DejaVuSansMono.ttf", 20)
    except OSError:
        pytest.skip("DejaVu Sans Mono is not installed (Debian fonts-dejavu-core)")
    for size in (20, 24, 32):
        (line,) = segment(_pil_line("Till 8", size, "DejaVuSansMono.ttf"))
        assert "?" in line.separators, size  # the dot was found
        assert sorted(set(line.word_ids)) == [0, 1], size
        assert line.word_ids[-1] == 1 and line.word_ids.count(1) == 1, size


def test_two_grey_levels_without_anti_aliasing_keep_their_ink() -> None:
    # A born-digital page: pure black bars on white, nothing in between.
    # Otsu's threshold is then the black level itself; the ink is kept.
    for ink_level in (0, 60):
        page = np.full((100, 120), 255, dtype=np.uint8)
        page[20:60, 40:46] = ink_level
        page[20:60, 70:76] = ink_level
        assert binarise(page).sum() == 2 * 40 * 6
    assert not binarise(np.full((100, 120), 255, dtype=np.uint8)).any()

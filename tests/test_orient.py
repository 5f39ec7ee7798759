"""Orientation and skew: pages turned or tilted read like upright ones, boxes in the input grid."""

from __future__ import annotations

from collections import Counter

import cv2
import numpy as np
import pytest

from ocr.classify import KNNClassifier
from ocr.ink import binarise
from ocr.orient import detect_orientation, estimate_skew, upright
from ocr.pipeline import read_page
from ocr.transform import PageTransform, map_box, rotate, turn
from ocr.types import Box, Line

LINES = ["4071 2938", "15.50 7734", "2026-11-24", "555-1234 86"]
EXPECTED = Counter(["4071", "2938", "15.50", "7734", "2026-11-24", "555-1234", "86"])


def _page(
    lines: list[str] = LINES, face: int = cv2.FONT_HERSHEY_SIMPLEX, scale: float = 1.8
) -> np.ndarray:
    """A white page with a few lines of numbers, and a margin to tilt them in."""
    page = np.full((600, 900), 255, dtype=np.uint8)
    for index, text in enumerate(lines):
        cv2.putText(page, text, (60, 120 + 120 * index), face, scale, 0, 3, cv2.LINE_AA)
    return page


def _tilt(page: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by ``angle`` degrees counter-clockwise, on white."""
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, 1.0)
    return cv2.warpAffine(page, matrix, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)


def _tokens(lines: tuple[Line, ...]) -> Counter[str]:
    return Counter(token.text for line in lines for token in line.tokens)


def _boxes(lines: tuple[Line, ...]) -> dict[str, Box]:
    return {token.text: token.box for line in lines for token in line.tokens}


def _rot90_box(box: Box, shape: tuple[int, int], turns: int) -> Box:
    """Where ``box`` lands in ``np.rot90(page, turns)`` for a page of ``shape``."""
    height, width = shape
    for _ in range(turns % 4):
        box = Box(box.top, width - box.right, box.height, box.width)
        height, width = width, height
    return box


def _close(a: Box, b: Box, tolerance: int) -> bool:
    return all(
        abs(u - v) <= tolerance
        for u, v in [(a.left, b.left), (a.top, b.top), (a.right, b.right), (a.bottom, b.bottom)]
    )


@pytest.fixture(scope="module")
def page() -> np.ndarray:
    return _page()


@pytest.fixture(scope="module")
def upright_lines(page: np.ndarray, model: KNNClassifier) -> tuple[Line, ...]:
    return read_page(page, model)


def test_upright_page_reads_every_number(
    page: np.ndarray, upright_lines: tuple[Line, ...], model: KNNClassifier
) -> None:
    assert _tokens(upright_lines) == EXPECTED
    assert read_page(page, model, orient=False) == upright_lines


def test_upright_page_is_not_turned(page: np.ndarray, model: KNNClassifier) -> None:
    assert detect_orientation(page, model) == 0
    corrected, ink, transform = upright(page, model)
    assert corrected is page
    assert ink.mask.shape == ink.flat.shape == page.shape
    assert transform.quarter_turns == 0 and transform.angle == 0.0
    assert transform.is_identity


@pytest.mark.parametrize("turns", [1, 2, 3])
def test_turned_page_reads_the_same_tokens_in_its_own_grid(
    page: np.ndarray, upright_lines: tuple[Line, ...], model: KNNClassifier, turns: int
) -> None:
    turned = np.rot90(page, turns)
    assert detect_orientation(turned, model) == (4 - turns) % 4
    lines = read_page(turned, model)
    assert _tokens(lines) == EXPECTED
    want = {text: _rot90_box(box, page.shape, turns) for text, box in _boxes(upright_lines).items()}
    got = _boxes(lines)
    for text, box in want.items():
        assert _close(got[text], box, tolerance=3), (text, got[text], box)
    for line in lines:
        assert 0 <= line.box.left and line.box.right <= turned.shape[1]
        assert 0 <= line.box.top and line.box.bottom <= turned.shape[0]


@pytest.mark.parametrize("angle", [3.0, -3.0])
def test_skewed_page_reads_the_same_tokens(
    page: np.ndarray, upright_lines: tuple[Line, ...], model: KNNClassifier, angle: float
) -> None:
    skewed = _tilt(page, angle)
    lines = read_page(skewed, model)
    assert _tokens(lines) == EXPECTED
    # Each box is the bound of the upright box tilted like the page.
    height, width = page.shape
    matrix = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), angle, 1.0)
    got = _boxes(lines)
    for text, box in _boxes(upright_lines).items():
        corners = np.array(
            [
                [box.left, box.top, 1],
                [box.right, box.top, 1],
                [box.left, box.bottom, 1],
                [box.right, box.bottom, 1],
            ],
            float,
        )
        xs, ys = (corners @ matrix.T).T
        want = Box(int(xs.min()), int(ys.min()), int(np.ptp(xs)), int(np.ptp(ys)))
        assert _close(got[text], want, tolerance=4), (text, got[text], want)


@pytest.mark.parametrize("angle", [-5.0, -3.0, -1.2, 0.6, 2.0, 3.0, 4.5])
def test_estimate_skew_measures_the_tilt(angle: float) -> None:
    for page in (_page(), _page(LINES[:3], cv2.FONT_HERSHEY_DUPLEX, 1.5)):
        assert estimate_skew(binarise(_tilt(page, angle))) == pytest.approx(angle, abs=0.3)


def test_estimate_skew_of_a_straight_page_is_small(page: np.ndarray) -> None:
    assert abs(estimate_skew(binarise(page))) < 0.3


def test_turned_and_skewed_page_reads_the_same_tokens(
    page: np.ndarray, model: KNNClassifier
) -> None:
    lines = read_page(np.rot90(_tilt(page, 2.5), 1), model)
    assert _tokens(lines) == EXPECTED


def test_straight_frame_around_a_skewed_page_does_not_swallow_it(model: KNNClassifier) -> None:
    # A scanner's dark edge is straight while the paper is tilted: once the
    # text is straightened the frame is tilted, and it must not hold the text.
    page = _tilt(_page(), 2.0)
    cv2.rectangle(page, (1, 1), (page.shape[1] - 2, page.shape[0] - 2), 0, 3)
    _, _, transform = upright(page, model)
    assert transform.angle == pytest.approx(2.0, abs=0.3)
    assert _tokens(read_page(page, model)) == EXPECTED


def test_page_with_too_few_glyphs_keeps_its_orientation(model: KNNClassifier) -> None:
    page = np.rot90(_page(["42"]), 2)
    assert detect_orientation(page, model) == 0
    assert upright(page, model)[2].quarter_turns == 0


def test_blank_page_is_left_alone(model: KNNClassifier) -> None:
    page = np.full((300, 400), 255, dtype=np.uint8)
    corrected, _, transform = upright(page, model)
    assert corrected is page and transform.is_identity
    assert estimate_skew(binarise(page)) == 0.0
    assert read_page(page, model) == ()


# --------------------------------------------------------------------------- transforms


@pytest.mark.parametrize("turns", [0, 1, 2, 3])
def test_map_box_undoes_a_quarter_turn_exactly(turns: int) -> None:
    shape = (50, 80)
    image = np.zeros(shape, dtype=np.uint8)
    turned, matrix = turn(image, turns)
    transform = PageTransform(turns, 0.0, shape, tuple(matrix[:2].ravel()))
    box = Box(7, 11, 20, 9)
    image[box.top : box.bottom, box.left : box.right] = 1
    ys, xs = np.nonzero(np.rot90(image, turns))
    seen = Box(int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)
    assert seen == _rot90_box(box, shape, turns)
    assert turned.shape == np.rot90(image, turns).shape
    assert map_box(seen, transform) == box


def test_map_box_undoes_a_rotation_and_clips() -> None:
    shape = (400, 600)
    rotated, matrix = rotate(np.full(shape, 255, dtype=np.uint8), 4.0)
    assert rotated.shape[0] > shape[0] and rotated.shape[1] > shape[1]
    assert rotated[0, 0] == 255  # the uncovered corners are white
    transform = PageTransform(0, 4.0, shape, tuple(matrix[:2].ravel()))
    box = Box(100, 200, 150, 40)
    corners = np.array(
        [
            [box.left, box.top, 1],
            [box.right, box.top, 1],
            [box.left, box.bottom, 1],
            [box.right, box.bottom, 1],
        ],
        float,
    )
    xs, ys = (corners @ matrix[:2].T).T
    ahead = Box(
        int(np.floor(xs.min())),
        int(np.floor(ys.min())),
        int(np.ceil(xs.max()) - np.floor(xs.min())),
        int(np.ceil(ys.max()) - np.floor(ys.min())),
    )
    back = map_box(ahead, transform)
    # The bound of the bound: it holds the box, grown by the tilt only.
    grow = int(np.ceil(np.sin(np.radians(4.0)) * (box.width + box.height))) + 2
    assert back.left <= box.left and back.right >= box.right
    assert back.top <= box.top and back.bottom >= box.bottom
    assert back.width <= box.width + 2 * grow and back.height <= box.height + 2 * grow
    whole = map_box(Box(0, 0, rotated.shape[1], rotated.shape[0]), transform)
    assert whole == Box(0, 0, shape[1], shape[0])


def test_identity_transform_keeps_boxes() -> None:
    box = Box(3, 4, 5, 6)
    assert map_box(box, PageTransform.identity((10, 10))) == box

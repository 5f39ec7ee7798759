"""Stroke-drawn digits: every shape drawable, inked, in its box, reproducible."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.normalise import deslant
from ocr.training import scrawl, strokes
from ocr.training.strokes import ALLOGRAPHS, draw_digit, spline
from ocr.types import DIGITS


def test_every_digit_has_shapes_with_points_in_the_unit_box() -> None:
    assert set(ALLOGRAPHS) == set(DIGITS)
    for shapes in ALLOGRAPHS.values():
        assert shapes
        for shape in shapes:
            for stroke in shape:
                points = np.asarray(stroke)
                assert points.ndim == 2 and points.shape[1] == 2 and len(points) >= 2
                assert points.min() >= -0.05 and points.max() <= 1.05


@pytest.mark.parametrize("digit", list(DIGITS))
def test_every_shape_draws_ink_inside_its_canvas(digit: str, monkeypatch) -> None:
    rng = np.random.default_rng(3)
    for shape in ALLOGRAPHS[digit]:
        monkeypatch.setitem(strokes.ALLOGRAPHS, digit, [shape])
        for _ in range(5):
            ink = draw_digit(digit, rng, height=48)
            assert ink.dtype == np.float32 and 0.0 <= ink.min() and ink.max() <= 1.0
            assert ink.shape[0] > 48 and ink.max() > 0.5
            # The canvas's margin keeps nearly all the ink (a jittered point
            # may take the pen to its edge now and then).
            border = ink[0].sum() + ink[-1].sum() + ink[1:-1, 0].sum() + ink[1:-1, -1].sum()
            assert border < 0.05 * ink.sum()


def test_draw_digit_is_reproducible() -> None:
    first = [draw_digit(d, np.random.default_rng(7)) for d in DIGITS]
    again = [draw_digit(d, np.random.default_rng(7)) for d in DIGITS]
    for a, b in zip(first, again, strict=True):
        assert np.array_equal(a, b)


def test_spline_passes_through_its_points() -> None:
    points = np.array([[0.0, 0.0], [1.0, 0.5], [0.0, 1.0], [1.0, 1.0]])
    curve = spline(points, steps=8)
    assert np.allclose(curve[0], points[0]) and np.allclose(curve[-1], points[-1])
    assert np.allclose(curve[8], points[1]) and np.allclose(curve[16], points[2])


def test_scrawl_writes_narrow_and_wide_hands() -> None:
    # Writers' digits range from narrow to much wider than load_digits's:
    # the distorted copies of a square, stood upright as the model stores
    # them, must too.
    square = np.zeros((60, 60), np.float32)
    square[15:45, 15:45] = 1.0
    rng = np.random.default_rng(0)
    upright = [deslant(scrawl(square, rng, 1.0)) for _ in range(200)]
    aspects = np.array([mask.shape[1] / mask.shape[0] for mask in upright if mask.size])
    assert np.percentile(aspects, 10) < 1.0 and np.percentile(aspects, 90) > 1.4

"""Digits drawn stroke by stroke, in the shapes people write them.

``load_digits`` holds 13 writers, and handwriting fonts one hand each: the
shapes many people write but few of those sources have (a 4 open at the top,
its arm leaning in or bent like a ``ч``, a 7 with a bar, a 1 with a flag and
a foot, a 2 with a loop or a wavy base, a 5 with a wide belly, a 6 with a
small loop on a long stem, a 9 with a small loop on a straight stem or a
curved tail) are drawn here from a few control points per stroke, each
point jittered, the strokes smoothed by a Catmull-Rom spline and drawn with
a pen of random width. :mod:`ocr.training.handwritten` distorts them
further like the other handwriting.
"""

from __future__ import annotations

import cv2
import numpy as np

Point = tuple[float, float]


def _arc(
    cx: float, cy: float, rx: float, ry: float, start: float, stop: float, n: int = 9
) -> list[Point]:
    """Points along an ellipse from ``start`` to ``stop`` degrees (counter-clockwise, y down)."""
    angles = np.radians(np.linspace(start, stop, n))
    return [(cx + rx * float(np.cos(a)), cy - ry * float(np.sin(a))) for a in angles]


ALLOGRAPHS: dict[str, list[list[list[Point]]]] = {
    "0": [[_arc(0.5, 0.5, 0.42, 0.48, 90, 450, 13)], [_arc(0.5, 0.5, 0.4, 0.48, 80, 430, 13)]],
    "1": [
        [[(0.55, 0), (0.5, 1)]],
        [[(0.25, 0.25), (0.6, 0), (0.5, 1)]],
        [[(0.3, 0.2), (0.55, 0), (0.55, 1)], [(0.25, 1), (0.85, 1)]],
    ],
    "2": [
        [_arc(0.5, 0.3, 0.38, 0.28, 160, -20, 8) + [(0.1, 1), (0.95, 1)]],
        [
            _arc(0.5, 0.3, 0.38, 0.28, 160, -20, 8)
            + [
                (0.15, 0.9),
                (0.1, 0.98),
                (0.3, 0.95),
                (0.35, 0.85),
                (0.2, 0.85),
                (0.25, 1),
                (0.95, 0.98),
            ]
        ],
        [_arc(0.5, 0.28, 0.4, 0.26, 170, -30, 8) + [(0.3, 0.75), (0.1, 1), (0.9, 0.95)]],
        # A big loop where the neck meets the base, as many write it.
        [
            _arc(0.5, 0.27, 0.4, 0.25, 165, -25, 8)
            + [
                (0.5, 0.6),
                (0.25, 0.8),
                (0.1, 0.93),
                (0.18, 1),
                (0.4, 1),
                (0.55, 0.88),
                (0.48, 0.72),
                (0.3, 0.72),
                (0.24, 0.86),
                (0.4, 0.98),
                (0.7, 1),
                (0.95, 0.95),
            ]
        ],
        # A wide loop, as big as a third of the digit.
        [
            _arc(0.5, 0.27, 0.42, 0.25, 170, -25, 8)
            + [(0.5, 0.68)]
            + _arc(0.3, 0.8, 0.2, 0.16, 250, -70, 9)
            + [(0.65, 1), (0.95, 0.94)]
        ],
        # A neck that curls into the base without a loop: a wavy base.
        [
            _arc(0.48, 0.3, 0.4, 0.28, 175, -10, 8)
            + [(0.6, 0.65), (0.25, 0.88), (0.1, 1), (0.35, 0.92), (0.65, 0.95), (0.95, 1)]
        ],
    ],
    "3": [
        [_arc(0.45, 0.27, 0.38, 0.25, 150, -90, 8) + _arc(0.45, 0.73, 0.45, 0.27, 90, -150, 9)],
        [[(0.1, 0), (0.9, 0), (0.45, 0.42)] + _arc(0.45, 0.7, 0.45, 0.3, 80, -160, 9)],
    ],
    "4": [
        [[(0.65, 1), (0.65, 0), (0.05, 0.7), (0.95, 0.7)]],
        [[(0.15, 0), (0.1, 0.62), (0.9, 0.62)], [(0.72, 0.15), (0.68, 1)]],
        [[(0.55, 0), (0.08, 0.65), (0.95, 0.65)], [(0.72, 0.3), (0.7, 1)]],
        # Open at the top, the arm leaning in and the stem long: near a 9.
        [[(0.4, 0), (0.1, 0.55), (0.95, 0.52)], [(0.78, 0), (0.74, 1)]],
        # A narrow 4 whose arm bends into the bar (a hand-written ``ч``).
        [[(0.1, 0), (0.12, 0.35), (0.3, 0.55), (0.9, 0.5)], [(0.8, 0), (0.8, 1)]],
        # The arm and the stem nearly meet at the top.
        [[(0.4, 0), (0.12, 0.6), (0.95, 0.58)], [(0.58, 0), (0.62, 1)]],
    ],
    "5": [
        [[(0.85, 0), (0.2, 0), (0.15, 0.42)] + _arc(0.48, 0.68, 0.4, 0.32, 120, -160, 9)],
        [
            [(0.2, 0), (0.12, 0.45)] + _arc(0.48, 0.68, 0.42, 0.32, 120, -160, 9),
            [(0.2, 0.02), (0.9, 0)],
        ],
        # A short neck and a wide belly open at its end.
        [
            [(0.25, 0), (0.2, 0.38)] + _arc(0.5, 0.65, 0.38, 0.33, 135, -130, 9),
            [(0.25, 0), (0.85, 0.05)],
        ],
        # One stroke: a short flag, a short neck and a wide, low belly.
        [[(0.9, 0), (0.35, 0.03), (0.25, 0.4)] + _arc(0.55, 0.7, 0.42, 0.28, 150, -135, 10)],
    ],
    "6": [
        [[(0.75, 0), (0.35, 0.3), (0.12, 0.65)] + _arc(0.5, 0.7, 0.38, 0.3, 180, -180, 12)],
        [[(0.6, 0), (0.2, 0.45)] + _arc(0.48, 0.72, 0.36, 0.28, 190, -170, 12)],
        # A long straight stem and a small loop at its foot.
        [[(0.8, 0), (0.4, 0.45), (0.2, 0.8)] + _arc(0.45, 0.8, 0.26, 0.2, 200, -150, 10)],
        # An upright stem and a low loop left open at the top.
        [[(0.3, 0), (0.18, 0.4), (0.15, 0.75)] + _arc(0.47, 0.78, 0.32, 0.21, 200, 470, 10)],
    ],
    "7": [
        [[(0.05, 0), (0.95, 0), (0.4, 1)]],
        [[(0.05, 0.05), (0.95, 0), (0.45, 1)], [(0.3, 0.5), (0.8, 0.5)]],
        [[(0.05, 0.15), (0.1, 0), (0.95, 0), (0.55, 0.5), (0.45, 1)]],
    ],
    "8": [
        [_arc(0.5, 0.26, 0.33, 0.26, 270, -90, 12) + _arc(0.5, 0.74, 0.4, 0.26, 90, 450, 12)[1:]],
        [
            [(0.8, 0.1)]
            + _arc(0.5, 0.25, 0.32, 0.24, 20, 250, 8)
            + [(0.8, 0.7)]
            + _arc(0.5, 0.75, 0.38, 0.25, 0, -200, 8)[1:]
            + [(0.5, 0.5), (0.82, 0.12)]
        ],
    ],
    "9": [
        [_arc(0.5, 0.3, 0.38, 0.3, -10, 370, 12) + [(0.85, 0.35), (0.8, 1)]],
        [_arc(0.48, 0.3, 0.38, 0.3, 0, 360, 12) + [(0.86, 0.3), (0.7, 0.7), (0.4, 1)]],
        # A small loop on a long straight stem: near a 7 and a 4.
        [_arc(0.5, 0.22, 0.36, 0.22, 0, 370, 12) + [(0.86, 0.25), (0.8, 1)]],
        [
            _arc(0.5, 0.25, 0.36, 0.25, 10, 380, 12)
            + [(0.85, 0.3), (0.75, 0.8), (0.55, 1), (0.3, 0.92)]
        ],
        # A narrow loop leaning on a slanted stem.
        [_arc(0.55, 0.18, 0.3, 0.18, 0, 370, 12) + [(0.85, 0.2), (0.6, 1)]],
    ],
}
"""Per digit, its shapes; per shape, its strokes; per stroke, control points
in a unit box (x right, y down)."""


def spline(points: np.ndarray, steps: int = 8) -> np.ndarray:
    """A Catmull-Rom curve through ``points`` (n, 2), ``steps`` points per segment."""
    points = np.asarray(points, dtype=float)
    if len(points) < 3:
        t = np.linspace(0, 1, steps)[:, None]
        return points[0] + t * (points[-1] - points[0])
    padded = np.vstack([points[0], points, points[-1]])
    t = np.linspace(0, 1, steps, endpoint=False)[:, None]
    out = []
    for i in range(1, len(padded) - 2):
        p0, p1, p2, p3 = padded[i - 1], padded[i], padded[i + 1], padded[i + 2]
        out.append(
            0.5
            * (
                2 * p1
                + (p2 - p0) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2
                + (3 * p1 - p0 - 3 * p2 + p3) * t**3
            )
        )
    out.append(padded[-2][None])
    return np.vstack(out)


def draw_digit(digit: str, rng: np.random.Generator, height: int = 48) -> np.ndarray:
    """One digit in one of its shapes, written with a random hand and pen.

    Parameters
    ----------
    digit : str
        ``"0"`` to ``"9"``.
    rng : numpy.random.Generator
    height : int
        Height of the digit in pixels.

    Returns
    -------
    ink : ndarray of float32
        Coverage 0..1 with a margin of a pen's width and more around it.
    """
    shapes = ALLOGRAPHS[digit]
    strokes = shapes[int(rng.integers(len(shapes)))]
    aspect = rng.uniform(0.5, 1.05)
    pen = max(2, round(height * rng.uniform(0.07, 0.17)))
    pad = pen + 2
    canvas = np.zeros((height + 2 * pad, int(height * aspect) + 2 * pad), dtype=np.uint8)
    for stroke in strokes:
        points = np.asarray(stroke) + rng.normal(0.0, 0.045, (len(stroke), 2))
        curve = spline(points)
        xy = np.stack([pad + curve[:, 0] * height * aspect, pad + curve[:, 1] * height], axis=1)
        # Two bits of sub-pixel precision: smooth curves at small sizes.
        cv2.polylines(
            canvas, [np.round(xy * 4).astype(np.int32)], False, 255, pen, cv2.LINE_AA, shift=2
        )
    return canvas.astype(np.float32) / 255.0

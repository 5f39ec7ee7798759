"""Handwritten samples: ``load_digits``, handwriting fonts and stroke-drawn digits.

scikit-learn's handwritten digits (``load_digits``, less the 100 digits the
sample form is written with) are drawn as pen traces, as they are and in
distorted copies (:func:`scrawl`: turned, slanted, widened, bent, re-inked);
the digits of handwriting-style fonts and digits drawn stroke by stroke in
the shapes those lack (:mod:`ocr.training.strokes`) are distorted alike.
All of them are encoded upright, the model's
:data:`~ocr.classify.DESLANTED` view.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from ..normalise import crop_to_ink, glyph_features
from ..types import DIGITS
from .config import TrainConfig
from .render import FontRenderer
from .strokes import draw_digit

HELD_OUT_HANDWRITING = range(1697, 1797)
"""``load_digits`` indices never trained on: ``samples/`` writes with them."""


def pen_trace(grid: np.ndarray) -> np.ndarray:
    """An 8x8 ``load_digits`` grid (0..16) drawn as a 40x40 pen trace, coverage 0..1.

    Parameters
    ----------
    grid : ndarray, shape (8, 8)
        One ``load_digits`` image, ink 0 to 16.

    Returns
    -------
    ndarray of float32, shape (40, 40)
        The grid upsampled with a margin of one cell; cut at half ink it is
        the digit as a pen would have drawn it.
    """
    return cv2.resize(
        np.pad(np.asarray(grid, dtype=np.float32) / 16.0, 1),
        (40, 40),
        interpolation=cv2.INTER_CUBIC,
    )


def _elastic(image: np.ndarray, rng: np.random.Generator, alpha: float, sigma: float) -> np.ndarray:
    """Elastic distortion (Simard et al. 2003): a smooth random displacement field."""
    height, width = image.shape
    field = [
        cv2.GaussianBlur(rng.uniform(-1, 1, (height, width)).astype(np.float32), (0, 0), sigma)
        * alpha
        for _ in range(2)
    ]
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    return cv2.remap(image, xs + field[0], ys + field[1], cv2.INTER_LINEAR, borderValue=0)


def scrawl(ink: np.ndarray, rng: np.random.Generator, scale: float) -> np.ndarray:
    """One writer's version of a digit: turned, slanted, widened, bent, re-inked.

    Parameters
    ----------
    ink : ndarray of float32, shape (h, w)
        Coverage 0..1 of a digit with a margin around it.
    rng : numpy.random.Generator
        Draws the distortion, in a fixed order.
    scale : float
        Pixels per unit of a 32 px digit: distortions and pen width follow it.

    Returns
    -------
    mask : ndarray of bool
        The distorted digit cropped to its ink (empty when nothing is left).
    """
    height, width = ink.shape
    centre = (width / 2, height / 2)
    matrix = cv2.getRotationMatrix2D(centre, rng.uniform(-10, 10), 1.0)
    shear = rng.uniform(-0.3, 0.3)
    matrix[0, 1] += shear
    matrix[0, 2] -= shear * centre[1]
    # Many hands write much wider than load_digits' 13 writers (a 2 or a 5
    # as wide as it is high): half the copies from 0.8 to 1.7 times as wide.
    # The other half keep to 0.8-1.2, or narrow digits lose their near
    # neighbours (load_digits cross-validation read narrow 8s as 1s).
    stretch = rng.uniform(0.8, 1.2 if rng.random() < 0.5 else 1.7)
    matrix[0] *= stretch
    matrix[0, 2] += (1 - stretch) * centre[0]
    warped = cv2.warpAffine(ink, matrix, (width, height), flags=cv2.INTER_LINEAR)
    warped = _elastic(warped, rng, 2.5 * scale, 4.0 * scale)
    mask = warped > rng.uniform(0.35, 0.6)
    # Pens from fine to felt-tip; a 32 px load_digits trace is already as
    # bold as a felt-tip (thinned or thickened, it reads worse: 97.6 against
    # 96.8 % on optdigits).
    pen = int(rng.integers(-1, 3))
    if pen and scale > 1:
        size = 1 + 2 * abs(pen) * max(1, round(scale / 2))
        kernel = np.ones((size, size), np.uint8)
        changed = (cv2.dilate if pen > 0 else cv2.erode)(mask.astype(np.uint8), kernel) > 0
        if changed.any():
            mask = changed
    return crop_to_ink(mask) if mask.any() else np.zeros((0, 0), dtype=bool)


def handwritten_masks(
    config: TrainConfig,
    rng: np.random.Generator,
    *,
    indices: np.ndarray | None = None,
    copies: int | None = None,
) -> tuple[list[np.ndarray], list[str]]:
    """Ink masks of ``load_digits`` digits and distorted copies of them.

    Each 8x8 digit is drawn as a 40x40 pen trace (:func:`pen_trace`), once
    as it is and ``copies`` times through :func:`scrawl`.

    Parameters
    ----------
    config : TrainConfig
        ``handwriting_limit`` keeps the first digits only;
        ``handwriting_copies`` is the default of ``copies``.
    rng : numpy.random.Generator
        Draws the distortions.
    indices : ndarray of int, optional
        The digits to use, in that order (cross-validation folds); by
        default all but :data:`HELD_OUT_HANDWRITING`.
    copies : int, optional
        Distorted copies of each digit besides the digit itself.

    Returns
    -------
    masks : list of ndarray of bool
        Ink masks, cropped; copies that lost all their ink are left out.
    labels : list of str
        The digit of each mask.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    if indices is None:
        keep = np.setdiff1d(np.arange(len(digits.target)), np.asarray(HELD_OUT_HANDWRITING))
    else:
        keep = np.asarray(indices, dtype=np.intp).reshape(-1)
    if config.handwriting_limit is not None:
        keep = keep[: config.handwriting_limit]
    copies = config.handwriting_copies if copies is None else copies
    masks: list[np.ndarray] = []
    labels: list[str] = []
    for image, label in zip(digits.images[keep], digits.target[keep], strict=True):
        trace = pen_trace(image)
        found = [crop_to_ink(trace > 0.5)]
        found += [scrawl(trace, rng, 1.0) for _ in range(copies)]
        for mask in found:
            if mask.any():
                masks.append(mask)
                labels.append(str(label))
    return masks, labels


def handwriting_font_masks(
    fonts: Sequence[Path], config: TrainConfig, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[str]]:
    """Digits of handwriting-style fonts, each distorted ``handwriting_renders`` times.

    Parameters
    ----------
    fonts : sequence of Path
        Handwriting-style font files
        (:func:`~ocr.training.fonts.find_handwriting_fonts`).
    config : TrainConfig
        ``handwriting_renders`` is the number of copies of each digit.
    rng : numpy.random.Generator
        Draws the distortions.

    Returns
    -------
    masks : list of ndarray of bool
        Ink masks, cropped; renders that lost all their ink are left out.
    labels : list of str
        The digit of each mask.
    """
    masks: list[np.ndarray] = []
    labels: list[str] = []
    for path in fonts:
        renderer = FontRenderer(path)
        for char in DIGITS:
            canvas, _, _ = renderer.render(char, 56)
            ink = canvas.astype(np.float32) / 255.0
            for _ in range(config.handwriting_renders):
                mask = scrawl(ink, rng, 2.0)
                if mask.any():
                    masks.append(mask)
                    labels.append(char)
    return masks, labels


def stroke_digit_masks(
    config: TrainConfig, rng: np.random.Generator
) -> tuple[list[np.ndarray], list[str]]:
    """Digits drawn stroke by stroke (:func:`~ocr.training.strokes.draw_digit`), distorted.

    Parameters
    ----------
    config : TrainConfig
        ``stroke_digits`` is the number of each digit.
    rng : numpy.random.Generator
        Draws the shapes, the hands and the distortions.

    Returns
    -------
    masks : list of ndarray of bool
        Ink masks, cropped; digits that lost all their ink are left out.
    labels : list of str
        The digit of each mask.
    """
    masks: list[np.ndarray] = []
    labels: list[str] = []
    for digit in DIGITS:
        for _ in range(config.stroke_digits):
            mask = scrawl(np.pad(draw_digit(digit, rng), 8), rng, 1.5)
            if mask.any():
                masks.append(mask)
                labels.append(digit)
    return masks, labels


def handwritten_samples(
    config: TrainConfig,
    rng: np.random.Generator,
    *,
    indices: np.ndarray | None = None,
    fonts: Sequence[Path] = (),
) -> tuple[np.ndarray, np.ndarray]:
    """Deslanted feature vectors and labels of the handwriting training set.

    ``load_digits`` digits and their distorted copies
    (:func:`handwritten_masks`), the digits of handwriting-style ``fonts``
    (:func:`handwriting_font_masks`) and digits drawn stroke by stroke in the
    shapes those lack (:func:`stroke_digit_masks`), in that order.

    Parameters
    ----------
    config : TrainConfig
        How many of each (see the three functions above).
    rng : numpy.random.Generator
        Draws every distortion and the line heights.
    indices : ndarray of int, optional
        The ``load_digits`` digits to use (:func:`handwritten_masks`).
    fonts : sequence of Path
        Handwriting-style font files.

    Returns
    -------
    X : ndarray of float32, shape (n, N_FEATURES)
        Encoded upright (``glyph_features(..., deslanted=True)``), the
        model's :data:`~ocr.classify.DESLANTED` view, each with a line
        height of its own.
    y : ndarray of str
        The digit of each row.
    """
    masks, labels = handwritten_masks(config, rng, indices=indices)
    font_masks, font_labels = handwriting_font_masks(fonts, config, rng)
    masks += font_masks
    labels += font_labels
    stroke_masks, stroke_labels = stroke_digit_masks(config, rng)
    masks += stroke_masks
    labels += stroke_labels
    # Handwritten digits on one line differ in height: the line's height (a
    # high quantile) is often above a given digit's.
    heights = np.array([mask.shape[0] for mask in masks], dtype=np.float32)
    heights /= rng.uniform(0.8, 1.1, len(heights)).astype(np.float32)
    return glyph_features(masks, heights, deslanted=True), np.asarray(labels)

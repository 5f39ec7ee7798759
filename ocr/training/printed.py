"""Printed samples: digits, ``/``, bars, ovals and the reject class, rendered and cut.

Every renderer (:func:`make_renderers`) prints the digits and ``/``, the bar
and oval classes, letters and symbols that resemble digits, percent signs,
touching digit pairs and fragments of digits; specks of noise close the set.
Each sample is degraded like a scan and cut by the page segmenter
(:func:`~ocr.training.render.sample_pieces`), so it is the glyph a page
would give.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

import cv2
import numpy as np

from ..types import BAR, DIGITS, PERCENT, REJECT, ROUND
from .config import DEFAULT_CONFIG, TrainConfig
from .fonts import font_family, monospaced_faces
from .render import (
    HERSHEY_FONTS,
    DotMatrixRenderer,
    FontRenderer,
    HersheyRenderer,
    Renderer,
    sample_pieces,
)

CONFUSABLE = "oQDUCcGbdeaSsBZzgqiJjTtLfFrnhkAEHKMNPRVWXYuvwxy#&@$+=*()[]<>!?\\{}"
"""Reject-class characters: letters and symbols a digit reader will meet."""

BARS = "lI|"
"""Plain vertical bars: their own class, read as ``1`` or a letter by context."""

ROUNDS = "O"
"""Plain ovals: their own class, read as ``0`` or a letter by context."""

DIGIT_LIKE_CAPITALS = "BDQSZGJTAEU"
"""Capitals that receipts print beside numbers and that pass for digits
(B 8, D 0, S 5, Z 2, G 6): rendered as often as half a digit, not a fifth."""


Add = Callable[[np.ndarray, float, str], None]
"""Takes one sample of the current renderer: its mask, line height and label."""


def make_renderers(fonts: Sequence[Path], config: TrainConfig = DEFAULT_CONFIG) -> list[Renderer]:
    """Every renderer of the printed training samples, in training order.

    Parameters
    ----------
    fonts : sequence of Path
        Training font files (:func:`~ocr.training.fonts.find_fonts`).
    config : TrainConfig
        ``dot_matrix`` and ``hershey`` say whether those renderers join.

    Returns
    -------
    list of Renderer
        The font files, then (``config.dot_matrix``) the plainest face of
        each monospaced family printed as dot-matrix with 7 and 9 rows,
        then (``config.hershey``) OpenCV's Hershey fonts at two stroke
        weights.
    """
    renderers: list[Renderer] = [FontRenderer(path) for path in fonts]
    if config.dot_matrix:
        renderers += [
            DotMatrixRenderer(path, rows) for path in monospaced_faces(fonts) for rows in (7, 9)
        ]
    if config.hershey:
        renderers += [
            HersheyRenderer(face, scale) for face in HERSHEY_FONTS for scale in (0.8, 1.4)
        ]
    return renderers


def printed_samples(
    renderers: Sequence[Renderer],
    config: TrainConfig,
    rng: np.random.Generator,
    log: Callable[[str], None] | None = None,
) -> tuple[list[np.ndarray], list[float], list[str], list[str]]:
    """Masks, line heights, labels and families of rendered printed samples.

    Parameters
    ----------
    renderers : sequence of Renderer
        What to print with, in order (:func:`make_renderers`).
    config : TrainConfig
        ``per_font`` and ``digit_heights`` set how many samples and at what sizes.
    rng : numpy.random.Generator
        Draws every size, text and degradation; the same generator state
        gives the same samples.
    log : callable, optional
        Receives a progress message every 20 renderers.

    Returns
    -------
    masks : list of ndarray of bool
        Ink masks as the segmenter cut them.
    heights : list of float
        The line height each mask is normalised with.
    labels : list of str
        A digit, ``/``, ``%``, the bar and oval classes, or the reject class.
    groups : list of str
        The family of each sample's renderer (``Speck0`` to ``Speck7`` for
        the specks): validation holds out whole families.
    """
    masks: list[np.ndarray] = []
    heights: list[float] = []
    labels: list[str] = []
    groups: list[str] = []

    def add(mask: np.ndarray, height: float, label: str, group: str) -> None:
        masks.append(mask)
        heights.append(height)
        labels.append(label)
        groups.append(group)

    for index, renderer in enumerate(renderers):
        if log and index % 20 == 0:
            log(f"rendering font {index + 1}/{len(renderers)}: {Path(renderer.path).name}")
        add_to_family = partial(add, group=font_family(renderer.path))
        # The kinds of sample in a fixed order: the random draws, and so the
        # model, depend on it.
        for kind in _KINDS:
            kind(renderer, config, rng, add_to_family)
    _specks(config, rng, add)
    return masks, heights, labels, groups


def _pieces(
    renderer: Renderer, text: str, config: TrainConfig, rng: np.random.Generator
) -> tuple[list[np.ndarray], float]:
    """:func:`sample_pieces` of ``text`` at a digit height drawn from ``config``."""
    size = int(rng.choice(config.digit_heights))
    return sample_pieces(renderer, text, size, rng)


def _digits(renderer: Renderer, config: TrainConfig, rng: np.random.Generator, add: Add) -> None:
    """``per_font`` samples of each digit and of ``/``."""
    for char in DIGITS + "/":
        for _ in range(config.per_font):
            found, height = _pieces(renderer, char, config, rng)
            if found:
                add(found[0], height, char)


def _bars_and_rounds(
    renderer: Renderer, config: TrainConfig, rng: np.random.Generator, add: Add
) -> None:
    """Half as many samples of each bar and oval, in their own classes."""
    for chars, label in ((BARS, BAR), (ROUNDS, ROUND)):
        for char in chars:
            for _ in range(max(1, config.per_font // 2)):
                found, height = _pieces(renderer, char, config, rng)
                if found:
                    add(found[0], height, label)


def _confusables(
    renderer: Renderer, config: TrainConfig, rng: np.random.Generator, add: Add
) -> None:
    """Letters and symbols, rejected: a fifth as many as digits, half for capitals
    that pass for digits; the two largest pieces of each (``i``, ``?``, ``=``)."""
    for char in CONFUSABLE:
        n_reject = config.per_font // (2 if char in DIGIT_LIKE_CAPITALS else 5)
        for _ in range(max(1, n_reject)):
            found, height = _pieces(renderer, char, config, rng)
            for mask in found[:2]:
                add(mask, height, REJECT)


def _percent_signs(
    renderer: Renderer, config: TrainConfig, rng: np.random.Generator, add: Add
) -> None:
    """Percent signs, whole or as their largest piece."""
    # A percent sign whose rings touch its slash is one glyph of its own
    # class, and so is its slash with one ring (the other ring is joined
    # to it in assembly); in three pieces its slash alone is a /.
    for _ in range(config.per_font):
        found, height = _pieces(renderer, PERCENT, config, rng)
        if found:
            share = found[0].sum() / sum(int(m.sum()) for m in found)
            add(found[0], height, PERCENT if share >= 0.5 else "/")


def _touching_pairs(
    renderer: Renderer, config: TrainConfig, rng: np.random.Generator, add: Add
) -> None:
    """Two digits in one piece, rejected: the pipeline must split them."""
    for _ in range(config.per_font * 2):
        pair = "".join(rng.choice(list(DIGITS), 2))
        found, height = _pieces(renderer, pair, config, rng)
        if found and found[0].shape[1] > 0.8 * found[0].shape[0]:
            add(found[0], height, REJECT)


def _fragments(renderer: Renderer, config: TrainConfig, rng: np.random.Generator, add: Add) -> None:
    """The left or right part of a digit, as a bad split leaves it: rejected."""
    for _ in range(config.per_font):
        char = str(rng.choice(list("0234568")))
        found, height = _pieces(renderer, char, config, rng)
        if found:
            mask = found[0]
            cut = max(1, int(mask.shape[1] * rng.uniform(0.3, 0.5)))
            part = mask[:, :cut] if rng.random() < 0.5 else mask[:, -cut:]
            if part.any():
                add(part, height, REJECT)


_KINDS = (_digits, _bars_and_rounds, _confusables, _percent_signs, _touching_pairs, _fragments)
"""The samples every renderer prints, in the order they are drawn."""


def _specks(
    config: TrainConfig,
    rng: np.random.Generator,
    add: Callable[[np.ndarray, float, str, str], None],
) -> None:
    """Blobs of noise that reach glyph size on a dirty scan, rejected, in 8 groups."""
    for index in range(config.per_font * 20):
        height = float(rng.choice(config.digit_heights))
        size = max(3, int(height * rng.uniform(0.3, 1.0)))
        blob = rng.random((size, max(3, int(size * rng.uniform(0.4, 1.6))))) < 0.5
        closed = cv2.morphologyEx(blob.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))
        if closed.any():
            add(closed > 0, height, REJECT, f"Speck{index % 8}")

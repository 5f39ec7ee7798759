"""Build the training set and the kNN model; choose k by validation.

The training set is the product. It is made of

* scikit-learn's handwritten digits (``load_digits``) and augmented copies,
  less the 100 digits the sample form is written with;
* printed digits and ``/`` rendered from installed fonts and OpenCV's Hershey
  fonts at many sizes, degraded like scans (tilt, slant, blur, noise, faint
  ink, JPEG) and passed through the *same* binarisation and segmentation as
  real pages before normalisation;
* a reject class: letters and symbols that resemble digits, digits that
  touch their neighbour, fragments of digits, and specks.

Validation holds out whole font families (and a random fifth of the
handwriting), exact and near-duplicate vectors between the two sides are
removed, and k and the side-feature weight are chosen where the validation
error is lowest. The final model is fitted on both sides with that k.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from ..classify import DESLANTED, KNNClassifier, quantize_vectors
from ..normalise import crop_to_ink, glyph_features
from ..types import BAR, DIGITS, PERCENT, REJECT, ROUND
from .config import DEFAULT_CONFIG, TrainConfig
from .fonts import font_family, monospaced_faces
from .render import (
    HERSHEY_FONTS,
    DotMatrixRenderer,
    FontRenderer,
    HersheyRenderer,
    sample_pieces,
)
from .strokes import draw_digit

HELD_OUT_HANDWRITING = range(1697, 1797)
"""``load_digits`` indices never trained on: ``samples/`` writes with them."""

CONFUSABLE = "oQDUCcGbdeaSsBZzgqiJjTtLfFrnhkAEHKMNPRVWXYuvwxy#&@$+=*()[]<>!?\\{}"
"""Reject-class characters: letters and symbols a digit reader will meet."""

BARS = "lI|"
"""Plain vertical bars: their own class, read as ``1`` or a letter by context."""

ROUNDS = "O"
"""Plain ovals: their own class, read as ``0`` or a letter by context."""

DIGIT_LIKE_CAPITALS = "BDQSZGJTAEU"
"""Capitals that receipts print beside numbers and that pass for digits
(B 8, D 0, S 5, Z 2, G 6): rendered as often as half a digit, not a fifth."""


@dataclass(frozen=True)
class TrainReport:
    model: KNNClassifier
    k_values: tuple[int, ...]
    errors: tuple[float, ...]
    """Validation error per k, at the chosen side weight."""
    side_weight: float
    n_train: int
    n_validation: int
    class_counts: dict[str, int] = field(default_factory=dict)


# --------------------------------------------------------------------------- sources


def printed_samples(renderers: Sequence, config: TrainConfig, rng: np.random.Generator,
                    log: Callable[[str], None] | None = None
                    ) -> tuple[list[np.ndarray], list[float], list[str], list[str]]:
    """Masks, line heights, labels and families of rendered printed samples."""
    masks, heights, labels, groups = [], [], [], []

    def add(mask: np.ndarray, height: float, label: str, group: str) -> None:
        masks.append(mask)
        heights.append(height)
        labels.append(label)
        groups.append(group)

    for index, renderer in enumerate(renderers):
        group = font_family(renderer.path)
        if log and index % 20 == 0:
            log(f"rendering font {index + 1}/{len(renderers)}: {Path(renderer.path).name}")
        for char in DIGITS + "/":
            for _ in range(config.per_font):
                size = int(rng.choice(config.digit_heights))
                found, height = sample_pieces(renderer, char, size, rng)
                if found:
                    add(found[0], height, char, group)
        for chars, label in ((BARS, BAR), (ROUNDS, ROUND)):
            for char in chars:
                for _ in range(max(1, config.per_font // 2)):
                    size = int(rng.choice(config.digit_heights))
                    found, height = sample_pieces(renderer, char, size, rng)
                    if found:
                        add(found[0], height, label, group)
        for char in CONFUSABLE:
            n_reject = config.per_font // (2 if char in DIGIT_LIKE_CAPITALS else 5)
            for _ in range(max(1, n_reject)):
                size = int(rng.choice(config.digit_heights))
                found, height = sample_pieces(renderer, char, size, rng)
                for mask in found[:2]:
                    add(mask, height, REJECT, group)
        # A percent sign whose rings touch its slash is one glyph of its own
        # class, and so is its slash with one ring (the other ring is joined
        # to it in assembly); in three pieces its slash alone is a /.
        for _ in range(config.per_font):
            size = int(rng.choice(config.digit_heights))
            found, height = sample_pieces(renderer, PERCENT, size, rng)
            if found:
                share = found[0].sum() / sum(int(m.sum()) for m in found)
                add(found[0], height, PERCENT if share >= 0.5 else "/", group)
        # Touching pairs: the classifier must reject them so they get split.
        for _ in range(config.per_font * 2):
            pair = "".join(rng.choice(list(DIGITS), 2))
            size = int(rng.choice(config.digit_heights))
            found, height = sample_pieces(renderer, pair, size, rng)
            if found and found[0].shape[1] > 0.8 * found[0].shape[0]:
                add(found[0], height, REJECT, group)
        # Fragments: the left or right part of a digit, as a bad split leaves.
        for _ in range(config.per_font):
            char = str(rng.choice(list("0234568")))
            size = int(rng.choice(config.digit_heights))
            found, height = sample_pieces(renderer, char, size, rng)
            if found:
                mask = found[0]
                cut = max(1, int(mask.shape[1] * rng.uniform(0.3, 0.5)))
                part = mask[:, :cut] if rng.random() < 0.5 else mask[:, -cut:]
                if part.any():
                    add(part, height, REJECT, group)
    # Specks and smudges: blobs of noise that reach glyph size on a dirty scan.
    for index in range(config.per_font * 20):
        height = float(rng.choice(config.digit_heights))
        size = max(3, int(height * rng.uniform(0.3, 1.0)))
        blob = rng.random((size, max(3, int(size * rng.uniform(0.4, 1.6))))) < 0.5
        blob = cv2.morphologyEx(blob.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))
        if blob.any():
            add(blob > 0, height, REJECT, f"Speck{index % 8}")
    return masks, heights, labels, groups


def pen_trace(grid: np.ndarray) -> np.ndarray:
    """An 8x8 ``load_digits`` grid (0..16) drawn as a 40x40 pen trace, coverage 0..1.

    The grid upsampled with a margin of one cell; cut at half ink it is the
    digit as a pen would have drawn it.
    """
    return cv2.resize(np.pad(np.asarray(grid, dtype=np.float32) / 16.0, 1), (40, 40),
                      interpolation=cv2.INTER_CUBIC)


def _elastic(image: np.ndarray, rng: np.random.Generator, alpha: float,
             sigma: float) -> np.ndarray:
    """Elastic distortion (Simard et al. 2003): a smooth random displacement field."""
    height, width = image.shape
    field = [cv2.GaussianBlur(rng.uniform(-1, 1, (height, width)).astype(np.float32),
                              (0, 0), sigma) * alpha for _ in range(2)]
    xs, ys = np.meshgrid(np.arange(width, dtype=np.float32),
                         np.arange(height, dtype=np.float32))
    return cv2.remap(image, xs + field[0], ys + field[1], cv2.INTER_LINEAR, borderValue=0)


def scrawl(ink: np.ndarray, rng: np.random.Generator, scale: float) -> np.ndarray:
    """One writer's version of a digit: turned, slanted, widened, bent, re-inked.

    Parameters
    ----------
    ink : ndarray of float32, shape (h, w)
        Coverage 0..1 of a digit with a margin around it.
    rng : numpy.random.Generator
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


def handwritten_masks(config: TrainConfig, rng: np.random.Generator, *,
                      indices: np.ndarray | None = None, copies: int | None = None
                      ) -> tuple[list[np.ndarray], list[str]]:
    """Ink masks of ``load_digits`` digits and distorted copies of them.

    Each 8x8 digit is drawn as a 40x40 pen trace (the grid upsampled), once
    as it is and ``copies`` times through :func:`scrawl`.  ``indices``
    selects the digits, in that order (cross-validation folds); by default
    all but :data:`HELD_OUT_HANDWRITING`.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    if indices is None:
        keep = np.setdiff1d(np.arange(len(digits.target)), np.asarray(HELD_OUT_HANDWRITING))
    else:
        keep = np.asarray(indices, dtype=np.intp).reshape(-1)
    if config.handwriting_limit is not None:
        keep = keep[:config.handwriting_limit]
    copies = config.handwriting_copies if copies is None else copies
    masks, labels = [], []
    for image, label in zip(digits.images[keep], digits.target[keep], strict=True):
        trace = pen_trace(image)
        found = [crop_to_ink(trace > 0.5)]
        found += [scrawl(trace, rng, 1.0) for _ in range(copies)]
        for mask in found:
            if mask.any():
                masks.append(mask)
                labels.append(str(label))
    return masks, labels


def handwriting_font_masks(fonts: Sequence[Path], config: TrainConfig,
                           rng: np.random.Generator) -> tuple[list[np.ndarray], list[str]]:
    """Digits of handwriting-style fonts, each distorted ``handwriting_renders`` times."""
    masks, labels = [], []
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


def handwritten_samples(config: TrainConfig, rng: np.random.Generator, *,
                        indices: np.ndarray | None = None,
                        fonts: Sequence[Path] = ()) -> tuple[np.ndarray, np.ndarray]:
    """Deslanted feature vectors and labels of the handwriting training set.

    ``load_digits`` digits and their distorted copies
    (:func:`handwritten_masks`), the digits of handwriting-style ``fonts``
    (:func:`handwriting_font_masks`) and digits drawn stroke by stroke in the
    shapes those lack (:func:`ocr.strokes.draw_digit`), encoded upright
    (``glyph_features(..., deslanted=True)``) as the model's
    :data:`~ocr.classify.DESLANTED` view, each its own line height.
    """
    masks, labels = handwritten_masks(config, rng, indices=indices)
    font_masks, font_labels = handwriting_font_masks(fonts, config, rng)
    masks += font_masks
    labels += font_labels
    for digit in DIGITS:
        for _ in range(config.stroke_digits):
            mask = scrawl(np.pad(draw_digit(digit, rng), 8), rng, 1.5)
            if mask.any():
                masks.append(mask)
                labels.append(digit)
    # Handwritten digits on one line differ in height: the line's height (a
    # high quantile) is often above a given digit's.
    heights = np.array([mask.shape[0] for mask in masks], dtype=np.float32)
    heights /= rng.uniform(0.8, 1.1, len(heights)).astype(np.float32)
    return glyph_features(masks, heights, deslanted=True), np.asarray(labels)


# --------------------------------------------------------------------------- model selection


def deduplicate(X: np.ndarray, y: np.ndarray, groups: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop exact duplicates (same rounded vector and label), keeping the first."""
    first = unique_rows(X, y)
    return X[first], y[first], groups[first]


def unique_rows(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the first of each set of equal (rounded vector, label) rows, in order."""
    rounded = np.round(X * 2).astype(np.int16)
    keyed = np.concatenate([rounded, np.searchsorted(np.unique(y), y)[:, None]], axis=1)
    _, first = np.unique(keyed, axis=0, return_index=True)
    first.sort()
    return first


def split_by_group(groups: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Boolean mask of validation rows: whole groups, chosen by a stable hash."""
    names = np.unique(groups)
    picked = {g for g in names
              if (zlib.crc32(f"{seed}:{g}".encode()) % 1000) < share * 1000}
    if not picked and len(names) > 1:
        picked = {names[-1]}
    return np.isin(groups, list(picked))


def validation_curve(train: KNNClassifier, X_val: np.ndarray, y_val: np.ndarray,
                     k_values: Sequence[int], X_val_deslanted: np.ndarray | None = None
                     ) -> np.ndarray:
    """Validation error for each k from one neighbour search with the largest k."""
    k_max = max(k_values)
    search = KNNClassifier(n_neighbors=k_max, side_weight=train.side_weight).fit(
        train.vectors_, train.labels_, train.views_)
    distances, indices = search.kneighbors(X_val, X_val_deslanted)
    label_index = np.searchsorted(search.classes_, search.labels_)[indices]
    weights = 1.0 / (distances + 1.0)
    truth = np.searchsorted(search.classes_, y_val)
    errors = []
    rows = np.arange(len(X_val))[:, None]
    for k in k_values:
        votes = np.zeros((len(X_val), len(search.classes_)))
        np.add.at(votes, (np.broadcast_to(rows, (len(X_val), k)), label_index[:, :k]),
                  weights[:, :k])
        errors.append(float(np.mean(votes.argmax(axis=1) != truth)))
    return np.asarray(errors)


def make_renderers(fonts: Sequence[Path], config: TrainConfig = DEFAULT_CONFIG) -> list:
    """Every renderer of the printed training samples, in training order.

    The font files, then (``config.dot_matrix``) the plainest face of each
    monospaced family printed as dot-matrix, then (``config.hershey``)
    OpenCV's Hershey fonts at two stroke weights.
    """
    renderers: list = [FontRenderer(path) for path in fonts]
    if config.dot_matrix:
        renderers += [DotMatrixRenderer(path, rows) for path in monospaced_faces(fonts)
                      for rows in (7, 9)]
    if config.hershey:
        renderers += [HersheyRenderer(face, scale) for face in HERSHEY_FONTS
                      for scale in (0.8, 1.4)]
    return renderers


def build_model(fonts: Sequence[Path], config: TrainConfig = DEFAULT_CONFIG,
                log: Callable[[str], None] | None = None,
                handwriting_fonts: Sequence[Path] = ()) -> TrainReport:
    """Build the training set, choose k and the side weight, and fit the model.

    Parameters
    ----------
    fonts : sequence of Path
        TrueType/OpenType files to render printed samples with.
    config : TrainConfig
    log : callable, optional
        Receives progress messages.
    handwriting_fonts : sequence of Path
        Handwriting-style fonts whose digits join ``load_digits`` as
        handwriting (:func:`handwritten_samples`).

    Returns
    -------
    TrainReport
        The fitted model and the validation curve it was chosen on.

    Notes
    -----
    Printed samples are stored as found (view 0), handwriting deslanted
    (:data:`~ocr.classify.DESLANTED`); every validation glyph is asked in
    both encodings, as a page's glyphs are.
    """
    rng = np.random.default_rng(config.seed)
    masks, heights, labels, groups = printed_samples(make_renderers(fonts, config), config,
                                                     rng, log)
    line_heights = np.asarray(heights, dtype=np.float32)
    X_print = glyph_features(masks, line_heights)
    X_print_upright = glyph_features(masks, line_heights, deslanted=True)
    if log:
        log(f"handwriting: load_digits and {len(handwriting_fonts)} handwriting fonts")
    X_hand, y_hand = handwritten_samples(config, rng, fonts=handwriting_fonts)
    # Handwriting always trains: k and the printed weight are chosen on
    # print, the handwriting weight on writers' digits held out below.
    hand_groups = np.full(len(y_hand), "handwriting")
    # A stored vector is its own view; a validation query needs both.
    X = np.concatenate([X_print, X_hand])
    X_upright = np.concatenate([X_print_upright, X_hand])
    views = np.concatenate([np.zeros(len(X_print), np.uint8),
                            np.full(len(X_hand), DESLANTED, np.uint8)])
    y = np.concatenate([np.asarray(labels, dtype="<U1"), y_hand.astype("<U1")])
    g = np.concatenate([np.asarray(groups, dtype=str), hand_groups])
    keep = unique_rows(np.where(views[:, None] == DESLANTED, X_upright, X) + views[:, None] * 64,
                       y)
    X, X_upright, views, y, g = X[keep], X_upright[keep], views[keep], y[keep], g[keep]
    stored = np.where(views[:, None] == DESLANTED, X_upright, X)
    k_values = tuple(k for k in config.k_values if k <= len(X))
    # Which families are held out sways the choice of k and weight: the
    # curves of several splits are averaged.
    curves = np.zeros((len(config.side_weights), len(k_values)))
    first = None
    for split in range(config.validation_splits):
        is_val = split_by_group(g, config.validation_share, config.seed + split)
        is_val &= g != "handwriting"
        # Print is read by the printed vectors alone (the pipeline decides
        # per word), so they alone are searched here.
        fit = ~is_val & (views == 0)
        train = (stored[fit], y[fit], views[fit])
        X_val, X_val_upright, y_val = X[is_val], X_upright[is_val], y[is_val]
        # Near-duplicates across the split would flatter small k: drop them from validation.
        probe = KNNClassifier(n_neighbors=1, side_weight=0.0).fit(*train)
        nearest, _ = probe.kneighbors(X_val, X_val_upright)
        fresh = nearest[:, 0] >= config.near_duplicate
        X_val, X_val_upright, y_val = X_val[fresh], X_val_upright[fresh], y_val[fresh]
        if log:
            log(f"split {split + 1}: {len(train[0])} training and {len(X_val)} validation "
                f"vectors ({int((~fresh).sum())} near-duplicates dropped from validation)")
        if first is None:
            first = (train, X_val, X_val_upright, y_val)
        for row, weight in enumerate(config.side_weights):
            fitted = KNNClassifier(n_neighbors=1, side_weight=weight).fit(*train)
            curves[row] += validation_curve(fitted, X_val, y_val, k_values, X_val_upright)
    curves /= config.validation_splits
    if log:
        for weight, errors in zip(config.side_weights, curves, strict=True):
            log(f"side weight {weight:g}: lowest mean error {errors.min():.4f} "
                f"at k={k_values[int(errors.argmin())]}")
    row = int(np.argmin(curves.min(axis=1)))
    weight, errors = config.side_weights[row], curves[row]
    k = k_values[int(np.argmin(errors))]
    assert first is not None
    train, X_val, X_val_upright, y_val = first
    # Confidence decays beyond the distance that covers nearly all validation
    # glyphs: further than that, a glyph is unlike the training data.
    fitted = KNNClassifier(n_neighbors=1, side_weight=weight).fit(*train)
    nearest, _ = fitted.kneighbors(X_val, X_val_upright)
    scale = float(np.percentile(nearest[:, 0], 95)) if len(X_val) else float("inf")
    hand_weight, hand_errors = choose_handwriting_weight(config, handwriting_fonts, k)
    if log:
        log("handwriting side weight: " + ", ".join(
            f"{w:g} error {e:.4f}" for w, e in zip(config.side_weights, hand_errors,
                                                    strict=True)) + f" -> {hand_weight:g}")
    # Stored as float16 (as saved), then on the coarse grid of the file.
    final = quantize_vectors(stored.astype(np.float16))
    model = KNNClassifier(n_neighbors=k, side_weight=weight, distance_scale=scale,
                          handwriting_side_weight=hand_weight).fit(final, y, views)
    counts = {str(c): int(n) for c, n in zip(*np.unique(y, return_counts=True), strict=True)}
    return TrainReport(model=model, k_values=k_values, errors=tuple(float(e) for e in errors),
                       side_weight=weight, n_train=len(train[0]), n_validation=len(X_val),
                       class_counts=counts)


def choose_handwriting_weight(config: TrainConfig, fonts: Sequence[Path], k: int,
                              folds: int = 4) -> tuple[float, list[float]]:
    """The side weight of the handwriting view with the fewest errors on unseen digits.

    ``load_digits`` is split in ``folds`` (a digit and all its copies on one
    side); each fold is read by a handwriting-only model per weight of
    ``config.side_weights``, trained on the other folds with the fonts and
    stroke-drawn digits. The first weight with the lowest error wins.
    """
    rng = np.random.default_rng([config.seed, 1])
    digits = np.setdiff1d(np.arange(1797), np.asarray(HELD_OUT_HANDWRITING))
    if config.handwriting_limit is not None:
        digits = digits[:config.handwriting_limit]
    wrong = np.zeros(len(config.side_weights))
    total = 0
    for fold in range(folds):
        held = digits[digits % folds == fold]
        X, y = handwritten_samples(config, rng, indices=digits[digits % folds != fold],
                                   fonts=fonts)
        masks, labels = handwritten_masks(config, rng, indices=held, copies=0)
        heights = np.array([mask.shape[0] for mask in masks], dtype=np.float32)
        queries = glyph_features(masks, heights)
        upright = glyph_features(masks, heights, deslanted=True)
        for row, weight in enumerate(config.side_weights):
            model = KNNClassifier(n_neighbors=min(k, len(y)), side_weight=weight).fit(
                X, y, np.full(len(y), DESLANTED, np.uint8))
            wrong[row] += np.sum(model.predict(queries, upright) != np.asarray(labels))
        total += len(labels)
    errors = (wrong / max(1, total)).tolist()
    return float(config.side_weights[int(np.argmin(errors))]), errors


def plot_curve(k_values: Sequence[int], errors: Sequence[float], path: Path | str) -> None:
    """Save the validation error against k as a PNG, the minimum marked."""
    width, height, margin = 640, 400, 60
    image = np.full((height, width, 3), 255, dtype=np.uint8)
    lo, hi = 0.0, max(errors) * 1.15 or 1.0
    k_lo, k_hi = min(k_values), max(k_values)

    def point(k: float, e: float) -> tuple[int, int]:
        x = margin + (k - k_lo) / max(1, k_hi - k_lo) * (width - 2 * margin)
        y = height - margin - (e - lo) / (hi - lo) * (height - 2 * margin)
        return int(round(x)), int(round(y))

    black, font = (0, 0, 0), cv2.FONT_HERSHEY_SIMPLEX
    cv2.line(image, (margin, height - margin), (width - margin, height - margin), black, 1)
    cv2.line(image, (margin, margin), (margin, height - margin), black, 1)
    points = [point(k, e) for k, e in zip(k_values, errors, strict=True)]
    cv2.polylines(image, [np.array(points, dtype=np.int32)], False, (200, 80, 0), 2)
    for (x, y), k in zip(points, k_values, strict=True):
        cv2.circle(image, (x, y), 4, (200, 80, 0), -1)
        cv2.putText(image, str(k), (x - 6, height - margin + 20), font, 0.45, black, 1)
    best = int(np.argmin(errors))
    cv2.circle(image, points[best], 9, (0, 0, 220), 2)
    cv2.putText(image, f"minimum {errors[best]:.4f} at k={k_values[best]}",
                (width - margin - 230, margin - 20), font, 0.5, (0, 0, 220), 1)
    cv2.putText(image, "validation error vs k", (margin, margin - 20), font, 0.6, black, 1)
    cv2.putText(image, f"{hi:.3f}", (5, margin + 5), font, 0.4, black, 1)
    cv2.putText(image, "0", (margin - 15, height - margin), font, 0.4, black, 1)
    cv2.imwrite(str(path), image)

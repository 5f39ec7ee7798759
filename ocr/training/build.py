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

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..classify import DESLANTED, KNNClassifier, quantize_vectors
from ..normalise import glyph_features
from .config import DEFAULT_CONFIG, TrainConfig
from .handwritten import HELD_OUT_HANDWRITING, handwritten_masks, handwritten_samples
from .printed import make_renderers, printed_samples
from .validation import split_by_group, unique_rows, validation_curve


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

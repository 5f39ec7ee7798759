"""Build the kNN model: the training set, then k and the side weights by validation.

One generator seeded with ``config.seed`` draws the printed samples
(:mod:`~ocr.training.printed`), then the handwritten ones
(:mod:`~ocr.training.handwritten`); the same fonts and seed give the same
file byte for byte. Exact duplicates are dropped. Print is validated on
held-out font families (:func:`~ocr.training.validation.split_by_group`,
several splits averaged, near-duplicates of training vectors dropped from
validation), and k and the printed view's side-feature weight are chosen
where the mean error is lowest; the handwriting view's weight is chosen on
folds of ``load_digits`` (:func:`choose_handwriting_weight`). The final
model is fitted on all vectors with that k.
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
    """What :func:`build_model` made and the validation it chose it by."""

    model: KNNClassifier
    """The fitted model, as saved."""
    k_values: tuple[int, ...]
    """The k tried (those of the configuration that the set is large enough for)."""
    errors: tuple[float, ...]
    """Validation error per k, at the chosen side weight."""
    side_weight: float
    """The chosen side-feature weight of the printed view."""
    n_train: int
    """Training vectors of the first validation split."""
    n_validation: int
    """Validation vectors of the first split, near-duplicates dropped."""
    class_counts: dict[str, int] = field(default_factory=dict)
    """Vectors of the model per class."""


@dataclass(frozen=True)
class _TrainingSet:
    """Every training vector once, with both encodings and its family."""

    X: np.ndarray
    """Encoded as found, as a page's glyph is asked in the printed view (the
    handwriting, drawn upright, is encoded upright in both)."""
    X_upright: np.ndarray
    """Encoded deslanted: the :data:`~ocr.classify.DESLANTED` view."""
    views: np.ndarray
    """The view each row is stored in: 0 for print, ``DESLANTED`` for handwriting."""
    y: np.ndarray
    groups: np.ndarray
    """Family of the row's font (``handwriting`` for all handwriting)."""

    @property
    def stored(self) -> np.ndarray:
        """Each row in the encoding of its own view, as the model stores it."""
        return np.where(self.views[:, None] == DESLANTED, self.X_upright, self.X)


@dataclass(frozen=True)
class _Split:
    """One validation split: the fitting data and the held-out glyphs."""

    train: tuple[np.ndarray, np.ndarray, np.ndarray]
    """Vectors, labels and views to fit a :class:`~ocr.classify.KNNClassifier` with."""
    X_val: np.ndarray
    X_val_upright: np.ndarray
    y_val: np.ndarray


def build_model(
    fonts: Sequence[Path],
    config: TrainConfig = DEFAULT_CONFIG,
    log: Callable[[str], None] | None = None,
    handwriting_fonts: Sequence[Path] = (),
) -> TrainReport:
    """Build the training set, choose k and the side weight, and fit the model.

    Parameters
    ----------
    fonts : sequence of Path
        TrueType/OpenType files to render printed samples with.
    config : TrainConfig
        What to build; the default makes the shipped model.
    log : callable, optional
        Receives progress messages.
    handwriting_fonts : sequence of Path
        Handwriting-style fonts whose digits join ``load_digits`` as
        handwriting (:func:`~ocr.training.handwritten.handwritten_samples`).

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
    data = _training_set(fonts, config, rng, log, handwriting_fonts)
    k_values = tuple(k for k in config.k_values if k <= len(data.X))
    curves, first = _validation_curves(data, config, k_values, log)
    row = int(np.argmin(curves.min(axis=1)))
    weight, errors = config.side_weights[row], curves[row]
    k = k_values[int(np.argmin(errors))]
    scale = _distance_scale(first, weight)
    hand_weight, hand_errors = choose_handwriting_weight(config, handwriting_fonts, k)
    if log:
        tried = zip(config.side_weights, hand_errors, strict=True)
        listed = ", ".join(f"{w:g} error {e:.4f}" for w, e in tried)
        log(f"handwriting side weight: {listed} -> {hand_weight:g}")
    # Stored as float16 (as saved), then on the coarse grid of the file.
    final = quantize_vectors(data.stored.astype(np.float16))
    model = KNNClassifier(
        n_neighbors=k, side_weight=weight, distance_scale=scale, handwriting_side_weight=hand_weight
    ).fit(final, data.y, data.views)
    counts = {str(c): int(n) for c, n in zip(*np.unique(data.y, return_counts=True), strict=True)}
    return TrainReport(
        model=model,
        k_values=k_values,
        errors=tuple(float(e) for e in errors),
        side_weight=weight,
        n_train=len(first.train[0]),
        n_validation=len(first.X_val),
        class_counts=counts,
    )


def _training_set(
    fonts: Sequence[Path],
    config: TrainConfig,
    rng: np.random.Generator,
    log: Callable[[str], None] | None,
    handwriting_fonts: Sequence[Path],
) -> _TrainingSet:
    """Printed, then handwritten samples from ``rng``, encoded both ways, deduplicated."""
    masks, heights, labels, groups = printed_samples(
        make_renderers(fonts, config), config, rng, log
    )
    line_heights = np.asarray(heights, dtype=np.float32)
    X_print = glyph_features(masks, line_heights)
    X_print_upright = glyph_features(masks, line_heights, deslanted=True)
    if log:
        log(f"handwriting: load_digits and {len(handwriting_fonts)} handwriting fonts")
    X_hand, y_hand = handwritten_samples(config, rng, fonts=handwriting_fonts)
    # Handwriting always trains: k and the printed weight are chosen on
    # print, the handwriting weight on writers' digits held out
    # (choose_handwriting_weight).
    hand_groups = np.full(len(y_hand), "handwriting")
    # A stored vector is its own view; a validation query needs both.
    X = np.concatenate([X_print, X_hand])
    X_upright = np.concatenate([X_print_upright, X_hand])
    views = np.concatenate(
        [np.zeros(len(X_print), np.uint8), np.full(len(X_hand), DESLANTED, np.uint8)]
    )
    y = np.concatenate([np.asarray(labels, dtype="<U1"), y_hand.astype("<U1")])
    g = np.concatenate([np.asarray(groups, dtype=str), hand_groups])
    # The view is part of the key: the same vector in both views is two rows.
    keep = unique_rows(np.where(views[:, None] == DESLANTED, X_upright, X) + views[:, None] * 64, y)
    return _TrainingSet(X[keep], X_upright[keep], views[keep], y[keep], g[keep])


def _validation_curves(
    data: _TrainingSet,
    config: TrainConfig,
    k_values: tuple[int, ...],
    log: Callable[[str], None] | None,
) -> tuple[np.ndarray, _Split]:
    """Mean validation error per side weight (rows) and k (columns), and the first split."""
    # Which families are held out sways the choice of k and weight: the
    # curves of several splits are averaged.
    curves = np.zeros((len(config.side_weights), len(k_values)))
    stored = data.stored
    first = None
    for split in range(config.validation_splits):
        held, dropped = _split(data, stored, config, split)
        if log:
            log(
                f"split {split + 1}: {len(held.train[0])} training and {len(held.X_val)} "
                f"validation vectors ({dropped} near-duplicates dropped from validation)"
            )
        if first is None:
            first = held
        for row, weight in enumerate(config.side_weights):
            fitted = KNNClassifier(n_neighbors=1, side_weight=weight).fit(*held.train)
            curves[row] += validation_curve(
                fitted, held.X_val, held.y_val, k_values, held.X_val_upright
            )
    curves /= config.validation_splits
    if log:
        for weight, errors in zip(config.side_weights, curves, strict=True):
            log(
                f"side weight {weight:g}: lowest mean error {errors.min():.4f} "
                f"at k={k_values[int(errors.argmin())]}"
            )
    assert first is not None
    return curves, first


def _split(
    data: _TrainingSet, stored: np.ndarray, config: TrainConfig, split: int
) -> tuple[_Split, int]:
    """Validation split number ``split`` and the count of near-duplicates it dropped."""
    is_val = split_by_group(data.groups, config.validation_share, config.seed + split)
    is_val &= data.groups != "handwriting"
    # Print is read by the printed vectors alone (the pipeline decides
    # per word), so they alone are searched here.
    fit = ~is_val & (data.views == 0)
    train = (stored[fit], data.y[fit], data.views[fit])
    X_val, X_val_upright, y_val = data.X[is_val], data.X_upright[is_val], data.y[is_val]
    # Near-duplicates across the split would flatter small k: drop them from validation.
    probe = KNNClassifier(n_neighbors=1, side_weight=0.0).fit(*train)
    nearest, _ = probe.kneighbors(X_val, X_val_upright)
    fresh = nearest[:, 0] >= config.near_duplicate
    held = _Split(train, X_val[fresh], X_val_upright[fresh], y_val[fresh])
    return held, int((~fresh).sum())


def _distance_scale(split: _Split, weight: float) -> float:
    """The nearest-neighbour distance that 95 % of the split's validation glyphs are within."""
    # Confidence decays beyond the distance that covers nearly all validation
    # glyphs: further than that, a glyph is unlike the training data.
    fitted = KNNClassifier(n_neighbors=1, side_weight=weight).fit(*split.train)
    nearest, _ = fitted.kneighbors(split.X_val, split.X_val_upright)
    return float(np.percentile(nearest[:, 0], 95)) if len(split.X_val) else float("inf")


def choose_handwriting_weight(
    config: TrainConfig, fonts: Sequence[Path], k: int, folds: int = 4
) -> tuple[float, list[float]]:
    """The side weight of the handwriting view with the fewest errors on unseen digits.

    ``load_digits`` is split in ``folds`` (a digit and all its copies on one
    side); each fold is read by a handwriting-only model per weight of
    ``config.side_weights``, trained on the other folds with the fonts and
    stroke-drawn digits.

    Parameters
    ----------
    config : TrainConfig
        ``side_weights`` are the candidates; ``seed`` seeds a generator of
        this choice's own, so it leaves the training set's draws alone.
    fonts : sequence of Path
        Handwriting-style fonts, trained on in every fold.
    k : int
        Neighbours, as chosen for print (fewer if a fold is smaller).
    folds : int
        Number of folds of ``load_digits``.

    Returns
    -------
    weight : float
        The first weight with the lowest error.
    errors : list of float
        Error share per weight of ``config.side_weights``.
    """
    rng = np.random.default_rng([config.seed, 1])
    digits = np.setdiff1d(np.arange(1797), np.asarray(HELD_OUT_HANDWRITING))
    if config.handwriting_limit is not None:
        digits = digits[: config.handwriting_limit]
    wrong = np.zeros(len(config.side_weights))
    total = 0
    for fold in range(folds):
        held = digits[digits % folds == fold]
        X, y = handwritten_samples(config, rng, indices=digits[digits % folds != fold], fonts=fonts)
        masks, labels = handwritten_masks(config, rng, indices=held, copies=0)
        heights = np.array([mask.shape[0] for mask in masks], dtype=np.float32)
        queries = glyph_features(masks, heights)
        upright = glyph_features(masks, heights, deslanted=True)
        for row, weight in enumerate(config.side_weights):
            model = KNNClassifier(n_neighbors=min(k, len(y)), side_weight=weight).fit(
                X, y, np.full(len(y), DESLANTED, np.uint8)
            )
            wrong[row] += np.sum(model.predict(queries, upright) != np.asarray(labels))
        total += len(labels)
    errors = (wrong / max(1, total)).tolist()
    return float(config.side_weights[int(np.argmin(errors))]), errors

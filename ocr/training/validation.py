"""Validation: duplicates, held-out families, and the error curve over k.

Validation holds out whole font families (:func:`split_by_group`), so that a
family's weights and styles never sit on both sides; exact duplicates are
dropped before (:func:`unique_rows`), and the error for every k comes from
one neighbour search (:func:`validation_curve`).
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from pathlib import Path

import cv2
import numpy as np

from ..classify import KNNClassifier


def deduplicate(
    X: np.ndarray, y: np.ndarray, groups: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Drop exact duplicates (same rounded vector and label), keeping the first.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Feature vectors.
    y : ndarray, shape (n,)
        Labels.
    groups : ndarray, shape (n,)
        Family of each row.

    Returns
    -------
    X, y, groups : ndarray
        The rows kept (:func:`unique_rows`), in their order.
    """
    first = unique_rows(X, y)
    return X[first], y[first], groups[first]


def unique_rows(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Indices of the first of each set of equal (rounded vector, label) rows, in order.

    Parameters
    ----------
    X : ndarray, shape (n, d)
        Feature vectors, compared rounded to half a unit.
    y : ndarray, shape (n,)
        Labels: equal vectors of two labels are both kept.

    Returns
    -------
    ndarray of int
        Row indices, ascending.
    """
    rounded = np.round(X * 2).astype(np.int16)
    keyed = np.concatenate([rounded, np.searchsorted(np.unique(y), y)[:, None]], axis=1)
    _, first = np.unique(keyed, axis=0, return_index=True)
    first.sort()
    return first


def split_by_group(groups: np.ndarray, share: float, seed: int) -> np.ndarray:
    """Boolean mask of validation rows: whole groups, chosen by a stable hash.

    Parameters
    ----------
    groups : ndarray of str
        Family of each row.
    share : float
        Expected share of the families held out.
    seed : int
        Picks the split: a family is held out when the CRC-32 of
        ``"{seed}:{family}"`` falls in the lowest ``share`` of its range, so
        the choice does not depend on which other families exist.

    Returns
    -------
    ndarray of bool
        True for validation rows; at least one family is held out when
        there are two or more.
    """
    names = np.unique(groups)
    picked = {g for g in names if (zlib.crc32(f"{seed}:{g}".encode()) % 1000) < share * 1000}
    if not picked and len(names) > 1:
        picked = {names[-1]}
    return np.isin(groups, list(picked))


def validation_curve(
    train: KNNClassifier,
    X_val: np.ndarray,
    y_val: np.ndarray,
    k_values: Sequence[int],
    X_val_deslanted: np.ndarray | None = None,
) -> np.ndarray:
    """Validation error for each k from one neighbour search with the largest k.

    Parameters
    ----------
    train : KNNClassifier
        Fitted on the training side; its vectors, labels, views and side
        weight are used, not its k.
    X_val : ndarray, shape (m, d)
        Validation glyphs encoded as found.
    y_val : ndarray, shape (m,)
        Their labels.
    k_values : sequence of int
        The k to score.
    X_val_deslanted : ndarray, shape (m, d), optional
        The same glyphs encoded upright, for the deslanted view.

    Returns
    -------
    ndarray of float
        The share of validation glyphs misread, per k, votes weighted by
        ``1 / (distance + 1)``.
    """
    k_max = max(k_values)
    search = KNNClassifier(n_neighbors=k_max, side_weight=train.side_weight).fit(
        train.vectors_, train.labels_, train.views_
    )
    distances, indices = search.kneighbors(X_val, X_val_deslanted)
    label_index = np.searchsorted(search.classes_, search.labels_)[indices]
    weights = 1.0 / (distances + 1.0)
    truth = np.searchsorted(search.classes_, y_val)
    errors = []
    rows = np.arange(len(X_val))[:, None]
    for k in k_values:
        votes = np.zeros((len(X_val), len(search.classes_)))
        np.add.at(
            votes, (np.broadcast_to(rows, (len(X_val), k)), label_index[:, :k]), weights[:, :k]
        )
        errors.append(float(np.mean(votes.argmax(axis=1) != truth)))
    return np.asarray(errors)


def plot_curve(k_values: Sequence[int], errors: Sequence[float], path: Path | str) -> None:
    """Save the validation error against k as a PNG, the minimum marked.

    Parameters
    ----------
    k_values : sequence of int
        The k tried, ascending.
    errors : sequence of float
        Validation error per k.
    path : Path or str
        The image file to write.
    """
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
    cv2.putText(
        image,
        f"minimum {errors[best]:.4f} at k={k_values[best]}",
        (width - margin - 230, margin - 20),
        font,
        0.5,
        (0, 0, 220),
        1,
    )
    cv2.putText(image, "validation error vs k", (margin, margin - 20), font, 0.6, black, 1)
    cv2.putText(image, f"{hi:.3f}", (5, margin + 5), font, 0.4, black, 1)
    cv2.putText(image, "0", (margin - 15, height - margin), font, 0.4, black, 1)
    cv2.imwrite(str(path), image)

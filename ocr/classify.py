"""Stage 4: classify glyph feature vectors with k-nearest neighbours.

The model is nothing but its training vectors, their labels and k (plus the
weight of the side features), stored in an ``.npz`` file and loaded with
``allow_pickle=False``. The search is brute force in numpy, one BLAS product
per block of queries, with the k nearest picked from the few groups of
training vectors that hold them: for a few tens of thousands of
66-dimensional vectors that is faster than a tree and gives exact answers.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .errors import ModelError
from .normalise import N_FEATURES, N_GRID, NORMALISER_VERSION, glyph_features, grid_distance
from .search import ExactSearch
from .types import AMBIGUOUS, DIGITS, REJECT

DEFAULT_MODEL = Path(__file__).with_name("models") / "default.npz"
MODEL_FORMAT = 1
DESLANTED = 1
"""The view of the handwriting vectors: compared with deslanted queries."""


def quantize_vectors(X: np.ndarray) -> np.ndarray:
    """Training vectors on a coarse grid, for a small model file.

    Grid cells to 1/16 of a pixel's ink, side features to 1/64: a value
    moves by at most 0.03, and the compressed file shrinks by a fifth
    (many vectors share their values).
    """
    X = np.asarray(X, dtype=np.float32).copy()
    X[:, :N_GRID] = np.round(X[:, :N_GRID] * 16) / 16
    X[:, N_GRID:] = np.round(X[:, N_GRID:] * 64) / 64
    return X


class KNNClassifier:
    """k-nearest-neighbour classifier with distance-weighted votes.

    Follows scikit-learn's estimator contract: ``__init__`` stores
    hyper-parameters, ``fit`` sets attributes ending in ``_``.

    Parameters
    ----------
    n_neighbors : int
        k, the number of neighbours that vote.
    side_weight : float
        Scale of the two side features (aspect ratio, relative height)
        against the 64 grid cells (0..16 each) in the Euclidean distance.
    distance_scale : float
        Distance to the nearest training vector beyond which a glyph is
        unlike anything seen in training and its confidence decays
        (``inf``: confidence is the vote share alone).
    chunk_size : int
        Queries per chunk, searched in products of at most 128 queries each,
        which bounds memory to about ``128 * n_train * 4`` bytes.
    handwriting_side_weight : float, optional
        The side features' scale for the handwriting (deslanted) vectors,
        whose shapes vary more between writers; ``side_weight`` when absent.
    """

    def __init__(
        self,
        n_neighbors: int = 5,
        side_weight: float = 6.0,
        distance_scale: float = float("inf"),
        chunk_size: int = 512,
        handwriting_side_weight: float | None = None,
    ) -> None:
        self.n_neighbors = n_neighbors
        self.side_weight = side_weight
        self.distance_scale = distance_scale
        self.chunk_size = chunk_size
        self.handwriting_side_weight = handwriting_side_weight

    # -- fitting ----------------------------------------------------------------
    def fit(self, X: np.ndarray, y: np.ndarray, views: np.ndarray | None = None) -> KNNClassifier:
        """Store the training vectors (as float16, as they are saved).

        ``views`` says, per vector, which encoding of a query it is compared
        with: 0 (the default) the glyph as found, :data:`DESLANTED` the glyph
        upright (:func:`ocr.normalise.deslant`), as handwriting is stored.
        """
        X = np.asarray(X, dtype=np.float32)
        y = np.asarray(y).astype(str)
        if X.ndim != 2 or X.shape[1] != N_FEATURES:
            raise ValueError(f"X must have shape (n, {N_FEATURES}), got {X.shape}")
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} rows but y has {len(y)} labels")
        if not 1 <= self.n_neighbors <= len(X):
            raise ValueError(f"n_neighbors must be in 1..{len(X)}, got {self.n_neighbors}")
        views = np.zeros(len(X), np.uint8) if views is None else np.asarray(views, np.uint8)
        if views.shape != (len(X),) or not np.isin(views, (0, DESLANTED)).all():
            raise ValueError(f"views must be {len(X)} values of 0 or {DESLANTED}")
        self.vectors_ = X.astype(np.float16)
        self.labels_ = y.astype("<U1")
        self.views_ = views
        self.classes_ = np.unique(self.labels_)
        self._prepare()
        return self

    @property
    def reads_handwriting(self) -> bool:
        """Whether some training vectors are compared with deslanted queries."""
        return bool(self.views_.any())

    def _prepare(self) -> None:
        self._label_index = np.searchsorted(self.classes_, self.labels_)
        self._searches = []
        for view in (0, DESLANTED):
            if (self.views_ == view).any():
                train = self._weigh(self.vectors_.astype(np.float32), view)
                self._searches.append(
                    ExactSearch(train, np.flatnonzero(self.views_ == view), self.n_neighbors, view)
                )
        self._digit_model: KNNClassifier | None = None

    def _weigh(self, X: np.ndarray, view: int = 0) -> np.ndarray:
        X = np.array(X, dtype=np.float32)
        weight = self.side_weight
        if view == DESLANTED and self.handwriting_side_weight is not None:
            weight = self.handwriting_side_weight
        X[:, N_GRID:] *= weight
        return X

    def _check_fitted(self) -> None:
        if not hasattr(self, "vectors_"):
            raise RuntimeError("this KNNClassifier is not fitted yet: call fit() or load()")

    def digits_only(self) -> KNNClassifier:
        """The same model restricted to the digits (and bars and rounds).

        Inside a form's number field nothing but digits is written: there a
        handwritten 4 must not lose to the printed letters it resembles.
        """
        self._check_fitted()
        if self._digit_model is None:
            keep = np.isin(self.labels_, list(DIGITS) + list(AMBIGUOUS))
            self._digit_model = KNNClassifier(
                n_neighbors=min(self.n_neighbors, int(keep.sum())),
                side_weight=self.side_weight,
                distance_scale=self.distance_scale,
                chunk_size=self.chunk_size,
                handwriting_side_weight=self.handwriting_side_weight,
            ).fit(self.vectors_[keep].astype(np.float32), self.labels_[keep], self.views_[keep])
        return self._digit_model

    # -- prediction -------------------------------------------------------------
    def kneighbors(
        self, X: np.ndarray, X_deslanted: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Distances and indices of the k nearest training vectors, nearest first.

        Parameters
        ----------
        X : ndarray, shape (m, 66)
            The queries as found (:func:`ocr.normalise.glyph_features`).
        X_deslanted : ndarray, shape (m, 66), optional
            The same queries deslanted (``glyph_features(..., deslanted=True)``),
            compared with the handwriting vectors; ``X`` stands in when absent.

        Returns
        -------
        distances : ndarray of float32, shape (m, k)
        indices : ndarray of int64, shape (m, k)
            Of two training vectors equally far, the lower index comes first.
        """
        return self.merge_views(self.kneighbors_by_view(X, X_deslanted))

    def merge_views(
        self, results: list[tuple[int, np.ndarray, np.ndarray]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """The k nearest over all views from :meth:`kneighbors_by_view`'s results."""
        if len(results) == 1:
            return results[0][1:]
        distances = np.concatenate([d for _, d, _ in results], axis=1)
        indices = np.concatenate([i for _, _, i in results], axis=1)
        order = np.lexsort((indices, distances), axis=1)[:, : self.n_neighbors]
        return (
            np.take_along_axis(distances, order, axis=1),
            np.take_along_axis(indices, order, axis=1),
        )

    def kneighbors_by_view(
        self, X: np.ndarray, X_deslanted: np.ndarray | None = None
    ) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """The k nearest of each view apart: ``(view, distances, indices)`` per view.

        :meth:`kneighbors` merges these; the pipeline also weighs the views
        against each other (is a word print or handwriting?).
        """
        self._check_fitted()
        X = np.asarray(X, dtype=np.float32).reshape(-1, N_FEATURES)
        upright = (
            X
            if X_deslanted is None
            else np.asarray(X_deslanted, dtype=np.float32).reshape(-1, N_FEATURES)
        )
        return [
            (
                search.view,
                *search.kneighbors(
                    self._weigh(upright if search.view else X, search.view), self.chunk_size
                ),
            )
            for search in self._searches
        ]

    def vote(self, distances: np.ndarray, indices: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Labels and confidences from neighbours (see :meth:`predict_with_confidence`)."""
        if len(distances) == 0:
            return np.empty(0, dtype="<U1"), np.empty(0, dtype=np.float64)
        proba = self._votes(distances, indices)
        best = proba.argmax(axis=1)
        confidence = proba[np.arange(len(best)), best]
        if np.isfinite(self.distance_scale):
            excess = np.maximum(distances[:, 0] - self.distance_scale, 0.0)
            confidence = confidence * np.exp(-excess / self.distance_scale)
        return self.classes_[best], confidence

    def _votes(self, distances: np.ndarray, indices: np.ndarray) -> np.ndarray:
        weights = 1.0 / (distances + 1.0)
        votes = np.zeros((len(distances), len(self.classes_)), dtype=np.float64)
        np.add.at(votes, (np.arange(len(distances))[:, None], self._label_index[indices]), weights)
        return votes / votes.sum(axis=1, keepdims=True)

    def predict_proba(self, X: np.ndarray, X_deslanted: np.ndarray | None = None) -> np.ndarray:
        """Distance-weighted vote shares, columns in the order of ``classes_``."""
        return self._votes(*self.kneighbors(X, X_deslanted))

    def predict_with_confidence(
        self, X: np.ndarray, X_deslanted: np.ndarray | None = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Labels and confidences in 0..1.

        The confidence is the winning class's distance-weighted vote share,
        lowered when even the nearest training vector is further away than
        ``distance_scale`` (a glyph unlike anything in the training set).
        """
        self._check_fitted()
        if len(X) == 0:
            return np.empty(0, dtype="<U1"), np.empty(0, dtype=np.float64)
        return self.vote(*self.kneighbors(X, X_deslanted))

    def predict(self, X: np.ndarray, X_deslanted: np.ndarray | None = None) -> np.ndarray:
        """Predicted labels: digits, ``/``, the bar ``|`` or the reject label ``?``."""
        return self.predict_with_confidence(X, X_deslanted)[0]

    def score(self, X: np.ndarray, y: np.ndarray) -> float:
        """Accuracy on ``X`` against labels ``y``."""
        return float(np.mean(self.predict(X) == np.asarray(y).astype(str)))

    def read_views(self, X: np.ndarray, masks: list[np.ndarray], heights: np.ndarray) -> ViewReads:
        """Read a batch of glyphs as print and as handwriting, from one search of each view.

        Parameters
        ----------
        X : ndarray, shape (m, 66)
            The glyphs' features as found (:func:`ocr.normalise.glyph_features`).
        masks : list of ndarray of bool
            Their ink, to encode them deslanted for the handwriting view.
        heights : ndarray, shape (m,)
            The heights they are measured against.

        Returns
        -------
        ViewReads
            For a model without handwriting both readings are the printed one.
        """
        self._check_fitted()
        if not self.reads_handwriting or len(X) == 0:
            labels, confidence = self.predict_with_confidence(X)
            return ViewReads(labels, confidence, labels, confidence, np.full(len(X), np.inf), X)
        upright = glyph_features(masks, heights, deslanted=True)
        results = self.kneighbors_by_view(X, upright)
        by_view = {view: (d, i) for view, d, i in results}
        (d_print, i_print), (_, i_hand) = by_view[0], by_view[DESLANTED]
        # The views weigh the side features differently: the nearest of each
        # is compared on its 8x8 grid alone.
        grid_print = grid_distance(X, self.vectors_[i_print[:, 0]])
        grid_hand = grid_distance(upright, self.vectors_[i_hand[:, 0]])
        likeness = grid_hand / np.maximum(grid_print, 1e-6)
        printed = self.vote(d_print, i_print)
        handwriting = self.vote(*self.merge_views(results))
        return ViewReads(*printed, *handwriting, likeness, upright)

    # -- persistence ------------------------------------------------------------
    def save(self, path: Path | str, sources: tuple[str, ...] = ()) -> None:
        """Write the model as a compressed ``.npz`` (no pickled objects).

        ``sources`` names what the training set was built from (font files),
        so a rebuilt model can be compared with the shipped one.
        """
        self._check_fitted()
        np.savez_compressed(
            path,
            vectors=self.vectors_,
            labels=self.labels_,
            n_neighbors=np.int64(self.n_neighbors),
            side_weight=np.float64(self.side_weight),
            distance_scale=np.float64(self.distance_scale),
            normaliser_version=np.int64(NORMALISER_VERSION),
            model_format=np.int64(MODEL_FORMAT),
            sources=np.asarray(sources, dtype=str).reshape(-1),
            views=self.views_,
            handwriting_side_weight=np.float64(
                self.side_weight
                if self.handwriting_side_weight is None
                else self.handwriting_side_weight
            ),
        )

    @classmethod
    def load(cls, path: Path | str = DEFAULT_MODEL) -> KNNClassifier:
        """Read a model written by :meth:`save`.

        Raises
        ------
        ModelError
            When the file is missing, damaged, or made for another normaliser.
        """
        fields = _read_model(Path(path))
        scale = float(fields["distance_scale"]) if "distance_scale" in fields else float("inf")
        hand_weight = (
            float(fields["handwriting_side_weight"])
            if "handwriting_side_weight" in fields
            else None
        )
        model = cls(
            n_neighbors=int(fields["n_neighbors"]),
            side_weight=float(fields["side_weight"]),
            distance_scale=scale,
            handwriting_side_weight=hand_weight,
        )
        model.vectors_ = fields["vectors"].astype(np.float16)
        model.labels_ = fields["labels"].astype("<U1")
        model.views_ = (
            fields["views"].astype(np.uint8)
            if "views" in fields
            else np.zeros(len(model.labels_), np.uint8)
        )
        model.classes_ = np.unique(model.labels_)
        model._prepare()
        return model

    @staticmethod
    def check(path: Path | str = DEFAULT_MODEL) -> None:
        """Raise :class:`~ocr.errors.ModelError` where :meth:`load` would, without
        building the search (a parent process checks what its workers load)."""
        _read_model(Path(path))


@dataclass(frozen=True, eq=False)
class ViewReads:
    """A batch of glyphs read in both views of a model (:meth:`KNNClassifier.read_views`).

    Attributes
    ----------
    printed_labels, printed_confidence : ndarray, shape (m,)
        The reading from the printed vectors alone.
    handwriting_labels, handwriting_confidence : ndarray, shape (m,)
        From all vectors, handwriting (deslanted) and print together.
    hand_likeness : ndarray, shape (m,)
        Grid distance to the nearest handwriting vector over that to the
        nearest print: under 1 when a glyph looks more written than printed.
    upright : ndarray, shape (m, 66)
        The glyphs' deslanted features (as found, for a model without
        handwriting), for reading them again.
    """

    printed_labels: np.ndarray
    printed_confidence: np.ndarray
    handwriting_labels: np.ndarray
    handwriting_confidence: np.ndarray
    hand_likeness: np.ndarray
    upright: np.ndarray


def _read_model(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a model file, checked; ModelError when they are unusable.

    A model is an ``.npz`` (zip) archive. Anything else is refused before
    numpy reads it, which would take it for a pickle (and advise loading it
    unsafely) or an ``.npy`` array: a file named ``.npz`` is damaged, one of
    another name (an image given to ``--model``) is not a model file at all.
    """
    if path.is_dir():
        raise ModelError(f"{path}: is a folder, not an ocr model file")
    if not path.is_file():
        raise ModelError(f"{path}: model file not found (build one with `ocr train`)")
    try:
        _check_zip_head(path)
        with np.load(path, allow_pickle=False) as data:
            fields = {name: data[name] for name in data.files}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, KeyError) as error:
        raise ModelError(f"{path}: damaged model file ({error})") from None
    _check_fields(path, fields)
    return fields


def _check_zip_head(path: Path) -> None:
    """ModelError unless the file starts as a zip archive does.

    Checked before numpy reads it, which would take anything else for a
    pickle or an ``.npy`` array: a file named ``.npz`` is then damaged, one
    of another name is not a model file at all.
    """
    with open(path, "rb") as stream:
        head = stream.read(4)
    if head not in (b"PK\x03\x04", b"PK\x05\x06"):  # a zip's first local header, or none
        reason = "empty file" if not head else "not an .npz archive"
        if path.suffix.lower() == ".npz":
            raise ModelError(f"{path}: damaged model file ({reason})")
        raise ModelError(f"{path}: not an ocr model file ({reason})")


def _check_fields(path: Path, fields: dict[str, np.ndarray]) -> None:
    """ModelError unless a model's arrays are all there, of this normaliser
    version and of consistent shapes (checked in that order)."""
    needed = {"vectors", "labels", "n_neighbors", "side_weight", "normaliser_version"}
    if missing := needed - fields.keys():
        raise ModelError(f"{path}: not an ocr model file (missing {', '.join(sorted(missing))})")
    version = int(fields["normaliser_version"])
    if version != NORMALISER_VERSION:
        raise ModelError(
            f"{path}: model built for normaliser version {version}, this ocr uses "
            f"{NORMALISER_VERSION}; rebuild it with `ocr train`"
        )
    vectors, labels = fields["vectors"], fields["labels"]
    if vectors.ndim != 2 or vectors.shape[1] != N_FEATURES or len(labels) != len(vectors):
        raise ModelError(f"{path}: model arrays have unexpected shapes")
    views = fields.get("views")
    if views is not None and (
        views.shape != labels.shape or not np.isin(views, (0, DESLANTED)).all()
    ):
        raise ModelError(f"{path}: model views are not 0 or {DESLANTED} per vector")


__all__ = ["DEFAULT_MODEL", "KNNClassifier", "REJECT", "ViewReads"]

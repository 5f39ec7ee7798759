"""The kNN classifier: estimator contract, neighbours, persistence."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.classify import KNNClassifier
from ocr.errors import ModelError
from ocr.normalise import N_FEATURES


def _blobs(n: int = 60, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    centres = {"1": 2.0, "7": 8.0, "?": 14.0}
    X, y = [], []
    for label, centre in centres.items():
        X.append(rng.normal(centre, 1.0, (n, N_FEATURES)))
        y += [label] * n
    return np.clip(np.concatenate(X), 0, 16), np.array(y)


def test_fit_predict_score() -> None:
    X, y = _blobs()
    model = KNNClassifier(n_neighbors=3).fit(X, y)
    assert model.score(*_blobs(seed=1)) == 1.0
    labels, confidence = model.predict_with_confidence(X[:5])
    assert labels.tolist() == ["1"] * 5 and np.all((confidence > 0.9) & (confidence <= 1.0))


@pytest.mark.parametrize("k", [1, 4, 7, 9])
def test_kneighbors_matches_a_plain_search(k: int) -> None:
    X, y = _blobs(20)
    model = KNNClassifier(n_neighbors=k, side_weight=1.0, chunk_size=3).fit(X, y)
    queries = _blobs(5, seed=3)[0]
    distances, indices = model.kneighbors(queries)
    train = X.astype(np.float16).astype(np.float64)
    plain = np.sqrt(((queries[:, None, :] - train[None]) ** 2).sum(-1))
    assert np.array_equal(indices, np.argsort(plain, axis=1, kind="stable")[:, :k])
    assert np.allclose(distances, np.sort(plain, axis=1)[:, :k], atol=1e-3)


def test_unfitted_model_says_so() -> None:
    with pytest.raises(RuntimeError, match="not fitted"):
        KNNClassifier().predict(np.zeros((1, N_FEATURES)))


def test_save_load_round_trip(tmp_path) -> None:
    X, y = _blobs()
    model = KNNClassifier(n_neighbors=5, side_weight=2.5).fit(X, y)
    model.save(tmp_path / "m.npz")
    loaded = KNNClassifier.load(tmp_path / "m.npz")
    assert loaded.n_neighbors == 5 and loaded.side_weight == 2.5
    assert np.array_equal(loaded.vectors_, model.vectors_)
    assert np.array_equal(loaded.predict(X), model.predict(X))


def test_model_errors(tmp_path) -> None:
    with pytest.raises(ModelError, match="not found"):
        KNNClassifier.load(tmp_path / "missing.npz")
    X, y = _blobs()
    KNNClassifier().fit(X, y).save(tmp_path / "m.npz")
    data = (tmp_path / "m.npz").read_bytes()
    (tmp_path / "cut.npz").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="damaged"):
        KNNClassifier.load(tmp_path / "cut.npz")
    np.savez(
        tmp_path / "old.npz",
        vectors=X,
        labels=y,
        n_neighbors=3,
        side_weight=1.0,
        normaliser_version=0,
    )
    with pytest.raises(ModelError, match="normaliser version 0"):
        KNNClassifier.load(tmp_path / "old.npz")
    np.savez(
        tmp_path / "pickled.npz",
        vectors=np.array([object()]),
        labels=y,
        n_neighbors=3,
        side_weight=1.0,
        normaliser_version=1,
    )
    with pytest.raises(ModelError):
        KNNClassifier.load(tmp_path / "pickled.npz")


def test_shipped_model_loads(model) -> None:
    assert model.n_neighbors >= 1
    assert set("0123456789?").issubset(set(model.classes_))


def test_confidence_drops_for_glyphs_unlike_the_training_data(tmp_path) -> None:
    X, y = _blobs()
    model = KNNClassifier(n_neighbors=3, distance_scale=12.0).fit(X, y)
    near = np.full((1, N_FEATURES), 2.0)
    far = np.full((1, N_FEATURES), 2.0)
    far[0, :32] = 30.0  # nothing in training looks like this
    (label_near,), (conf_near,) = model.predict_with_confidence(near)
    (label_far,), (conf_far,) = model.predict_with_confidence(far)
    assert label_near == "1" and conf_near > 0.9
    assert conf_far < 0.5 * conf_near
    model.save(tmp_path / "m.npz")
    assert KNNClassifier.load(tmp_path / "m.npz").distance_scale == 12.0


def test_a_parallel_scan_checks_the_model_before_starting_workers(tmp_path) -> None:
    from ocr.worker import run_tasks as scan

    (tmp_path / "broken.npz").write_bytes(b"not a zip file")
    with pytest.raises(ModelError, match="damaged model file"):
        KNNClassifier.check(tmp_path / "broken.npz")
    with pytest.raises(ModelError, match="damaged model file"):
        next(scan([], tmp_path / "broken.npz", jobs=2))
    KNNClassifier.check()  # the shipped model passes


def test_handwriting_view_is_compared_with_the_deslanted_queries() -> None:
    X, y = _blobs(20)
    views = np.where(y == "7", 1, 0).astype(np.uint8)
    model = KNNClassifier(n_neighbors=3, side_weight=1.0).fit(X, y, views)
    assert model.reads_handwriting
    near_seven = np.full((1, N_FEATURES), 8.0)
    near_one = np.full((1, N_FEATURES), 2.0)
    between = np.full((1, N_FEATURES), 5.0)
    # As found the glyph is far from everything; upright it is a 7, and the
    # 7s are handwriting.
    assert model.predict(between, near_seven).tolist() == ["7"]
    # The printed vectors still see the glyph as found.
    printed_only = KNNClassifier(n_neighbors=3, side_weight=1.0).fit(X[views == 0], y[views == 0])
    assert printed_only.predict(between, near_seven).tolist() == ["1"]
    # Without an upright encoding the glyph as found stands in for it.
    assert model.predict(near_one).tolist() == ["1"]


def test_views_match_a_plain_search_over_both() -> None:
    X, y = _blobs(20)
    views = (np.arange(len(X)) % 3 == 0).astype(np.uint8)
    model = KNNClassifier(n_neighbors=5, side_weight=1.0).fit(X, y, views)
    queries, upright = _blobs(4, seed=3)[0], _blobs(4, seed=4)[0]
    distances, indices = model.kneighbors(queries, upright)
    train = X.astype(np.float16).astype(np.float64)
    asked = np.where(views[None, :, None] == 1, upright[:, None, :], queries[:, None, :])
    plain = np.sqrt(((asked - train[None]) ** 2).sum(-1))
    assert np.array_equal(indices, np.argsort(plain, axis=1, kind="stable")[:, :5])
    assert np.allclose(distances, np.sort(plain, axis=1)[:, :5], atol=1e-3)


def test_digits_only_never_answers_a_letter() -> None:
    X, y = _blobs()
    model = KNNClassifier(n_neighbors=3).fit(X, y)
    reject_like = np.full((2, N_FEATURES), 14.0)
    assert model.predict(reject_like).tolist() == ["?", "?"]
    assert model.digits_only().predict(reject_like).tolist() == ["7", "7"]
    assert model.digits_only() is model.digits_only()  # built once


def test_views_survive_save_and_load(tmp_path) -> None:
    X, y = _blobs()
    views = (y == "1").astype(np.uint8)
    KNNClassifier(n_neighbors=3).fit(X, y, views).save(tmp_path / "m.npz")
    assert np.array_equal(KNNClassifier.load(tmp_path / "m.npz").views_, views)
    with pytest.raises(ValueError, match="views"):
        KNNClassifier().fit(X, y, np.full(len(y), 2))


def test_quantized_vectors_sit_on_a_coarse_grid() -> None:
    from ocr.classify import quantize_vectors

    X = np.array([[0.01] * 64 + [0.503, 1.0], [15.97] * 64 + [2.0, 0.26]], dtype=np.float32)
    q = quantize_vectors(X)
    assert np.array_equal(q[:, :64] * 16, np.round(q[:, :64] * 16))
    assert np.array_equal(q[:, 64:] * 64, np.round(q[:, 64:] * 64))
    assert np.abs(q - X).max() <= 1 / 32 + 1e-6


def test_the_shipped_model_is_stored_quantized() -> None:
    from ocr.classify import quantize_vectors

    stored = KNNClassifier.load().vectors_.astype(np.float32)
    assert np.array_equal(quantize_vectors(stored), stored)

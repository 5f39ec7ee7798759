"""Training: deterministic, reserved fonts excluded, k chosen by validation."""

from __future__ import annotations

import inspect
from pathlib import Path

import numpy as np
import pytest

import ocr.training
from ocr.classify import KNNClassifier
from ocr.training import (
    Degrade,
    TrainConfig,
    build_model,
    deduplicate,
    find_fonts,
    font_family,
    plot_curve,
    split_by_group,
)
from ocr.training.fonts import monospaced_faces

SMALL = TrainConfig(
    per_font=2,
    digit_heights=(16, 28, 44),
    handwriting_copies=1,
    stroke_digits=5,
    handwriting_limit=150,
    k_values=(1, 3, 5, 9),
    side_weights=(0.0, 6.0),
)


@pytest.fixture(scope="module")
def small_report():
    # Hershey fonts ship with OpenCV: this run needs no font packages.
    return build_model([], SMALL)


def test_small_training_run_is_deterministic(small_report) -> None:
    again = build_model([], SMALL)
    assert np.array_equal(small_report.model.vectors_, again.model.vectors_)
    assert np.array_equal(small_report.model.labels_, again.model.labels_)
    assert small_report.model.n_neighbors == again.model.n_neighbors
    assert small_report.errors == again.errors


def test_k_is_the_minimum_of_the_validation_curve(small_report) -> None:
    errors = np.asarray(small_report.errors)
    assert small_report.model.n_neighbors == small_report.k_values[int(errors.argmin())]
    assert small_report.n_validation > 0 and small_report.n_train > 0
    assert 0.0 <= errors.min() < 0.5  # it learned something


def test_model_has_digits_and_reject_class(small_report, tmp_path: Path) -> None:
    classes = set(small_report.model.classes_)
    assert set("0123456789?|/") <= classes
    small_report.model.save(tmp_path / "small.npz")
    assert KNNClassifier.load(tmp_path / "small.npz").n_neighbors == small_report.model.n_neighbors


def test_plot_curve_writes_a_png(tmp_path: Path) -> None:
    plot_curve([1, 3, 5], [0.1, 0.05, 0.07], tmp_path / "curve.png")
    assert (tmp_path / "curve.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_reserved_fonts_are_never_used(tmp_path: Path) -> None:
    for name in [
        "NimbusSans-Regular.otf",
        "C059-Roman.otf",
        "P052-Bold.otf",
        "URWGothic-Book.otf",
        "FreeSans.ttf",
        "FreeMonoBold.ttf",
        "DejaVuSans.ttf",
        "LiberationMono-Regular.ttf",
        "notes.txt",
    ]:
        (tmp_path / name).write_bytes(b"")
    assert [p.name for p in find_fonts([tmp_path])] == [
        "DejaVuSans.ttf",
        "LiberationMono-Regular.ttf",
    ]


def test_font_family() -> None:
    assert font_family("LiberationSans-BoldItalic.ttf") == "LiberationSans"
    assert font_family("/x/DejaVuSansMono-Oblique.ttf") == "DejaVuSansMono"
    assert font_family("Roboto-Thin.ttf") == "Roboto"


def test_deduplicate_and_group_split() -> None:
    X = np.array([[1.0] * 66, [1.0] * 66, [2.0] * 66], dtype=np.float32)
    y = np.array(["1", "1", "2"])
    groups = np.array(["a", "b", "c"])
    X2, y2, g2 = deduplicate(X, y, groups)
    assert len(X2) == 2 and g2.tolist() == ["a", "c"]
    families = np.array([f"family{i}" for i in range(40) for _ in range(3)])
    held = split_by_group(families, 0.25, seed=0)
    for family in np.unique(families):  # a family is wholly on one side
        assert len(set(held[families == family])) == 1
    assert 0.1 < held.mean() < 0.4


def test_italic_share_slants_renders_to_the_right() -> None:
    rng = np.random.default_rng(0)
    upright = [Degrade.draw(rng).shear for _ in range(200)]
    italic = [Degrade.draw(rng, italic_share=1.0).shear for _ in range(200)]
    assert all(-0.12 <= s <= 0.12 for s in upright)
    # x' = x + shear * y with y down: negative leans the top right, 7-12 degrees.
    assert all(-0.22 <= s <= -0.12 for s in italic)


def test_monospaced_faces_are_the_plainest_of_each_family() -> None:
    names = [
        "Cousine-Bold.ttf",
        "Cousine-Regular.ttf",
        "Anonymous Pro BI.ttf",
        "Anonymous Pro.ttf",
        "Arimo-Regular.ttf",
        "DejaVuSansMono-Oblique.ttf",
    ]
    assert [p.name for p in monospaced_faces(Path(n) for n in names)] == [
        "Anonymous Pro.ttf",
        "Cousine-Regular.ttf",
        "DejaVuSansMono-Oblique.ttf",
    ]


def test_the_command_line_finds_what_it_imports() -> None:
    # ``ocr train`` imports these five by name; their signatures are its contract.
    for name in (
        "TrainConfig",
        "build_model",
        "find_fonts",
        "find_handwriting_fonts",
        "plot_curve",
    ):
        assert callable(getattr(ocr.training, name))
    assert list(inspect.signature(ocr.training.build_model).parameters) == [
        "fonts",
        "config",
        "log",
        "handwriting_fonts",
    ]
    assert ocr.training.build_model.__defaults__[0] == TrainConfig()

"""The normaliser reproduces the 8x8, 0..16 encoding of load_digits."""

from __future__ import annotations

import numpy as np
import pytest

from ocr.normalise import (
    N_FEATURES,
    deslant,
    glyph_features,
    glyph_grid,
    grids_from_bitmaps,
    slant,
)


def test_full_box_bitmap_gives_its_block_sums() -> None:
    rng = np.random.default_rng(0)
    bitmap = rng.random((32, 32)) < 0.5
    bitmap[0, :] = bitmap[-1, :] = bitmap[:, 0] = bitmap[:, -1] = True  # ink spans the box
    expected = bitmap.reshape(8, 4, 8, 4).sum(axis=(1, 3))
    assert np.array_equal(glyph_grid(bitmap), expected)


def test_values_are_on_the_0_to_16_scale() -> None:
    grid = glyph_grid(np.ones((50, 50), dtype=bool))
    assert grid.shape == (8, 8) and grid.min() == 16 and grid.max() == 16


def test_aspect_ratio_is_kept_and_centred() -> None:
    # A bar 4 times taller than wide fills the full height and the middle quarter.
    grid = glyph_grid(np.ones((100, 25), dtype=bool))
    assert np.array_equal(grid[:, 3:5], np.full((8, 2), 16.0))
    assert grid[:, :3].sum() == 0 and grid[:, 5:].sum() == 0


def test_size_does_not_matter() -> None:
    small = np.zeros((16, 12), dtype=bool)
    small[2:14, 3:9] = True
    big = np.kron(small, np.ones((5, 5), dtype=bool))
    assert np.allclose(glyph_grid(small), glyph_grid(big), atol=0.5)


def test_empty_mask_is_all_zero() -> None:
    assert glyph_grid(np.zeros((5, 5), dtype=bool)).sum() == 0


def test_side_features() -> None:
    features = glyph_features(
        [np.ones((40, 20), bool), np.ones((10, 30), bool)], np.array([40.0, 40.0])
    )
    assert features.shape == (2, N_FEATURES)
    assert features[0, 64:].tolist() == [0.5, 1.0]
    assert features[1, 64:].tolist() == [2.0, 0.25]


def _optdigits_bitmaps(folder) -> tuple[np.ndarray, np.ndarray]:
    lines = (folder / "optdigits" / "optdigits-orig.tra").read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if len(line) == 32 and set(line) <= {"0", "1"})
    bitmaps, labels = [], []
    for i in range(start, len(lines) - 32, 33):
        bitmaps.append([[c == "1" for c in row] for row in lines[i : i + 32]])
        labels.append(int(lines[i + 32]))
    return np.array(bitmaps), np.array(labels)


def test_uci_bitmaps_reproduce_the_uci_grids(shared_data) -> None:
    bitmaps, labels = _optdigits_bitmaps(shared_data)
    rows = np.loadtxt(shared_data / "optdigits" / "optdigits.tra", delimiter=",", dtype=int)
    rows = rows[: len(bitmaps)]
    assert np.array_equal(grids_from_bitmaps(bitmaps), rows[:, :64])
    assert np.array_equal(labels, rows[:, 64])
    # Our own crop-scale-centre normaliser lands close to UCI's grids.
    ours = np.array([glyph_grid(b).ravel() for b in bitmaps[:500]])
    assert np.abs(ours - rows[:500, :64]).mean() == pytest.approx(1.0, abs=0.4)


def _leaning_bar(shear: float) -> np.ndarray:
    mask = np.zeros((40, 40), dtype=bool)
    for y in range(40):
        x = int(round(20 - shear * (y - 20)))
        mask[y, x - 2 : x + 3] = True
    return mask


def test_slant_is_read_from_the_moments() -> None:
    assert slant(_leaning_bar(0.4)) == pytest.approx(0.4, abs=0.03)
    assert slant(_leaning_bar(-0.3)) == pytest.approx(-0.3, abs=0.03)
    assert slant(np.zeros((5, 5), dtype=bool)) == 0.0


def test_deslant_stands_a_leaning_stroke_upright() -> None:
    upright = deslant(_leaning_bar(0.4))
    assert upright.shape[0] == 40 and upright.shape[1] <= 6
    assert abs(slant(upright)) < 0.02
    # Encoded deslanted, a leaning and an upright bar are the same glyph.
    both = glyph_features(
        [_leaning_bar(0.4), _leaning_bar(0.0)], np.array([40.0, 40.0]), deslanted=True
    )
    assert np.abs(both[0] - both[1]).max() <= 4.0
    plain = glyph_features([_leaning_bar(0.4), _leaning_bar(0.0)], np.array([40.0, 40.0]))
    assert np.abs(plain[0] - plain[1]).max() > 8.0

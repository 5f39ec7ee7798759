"""Loading pages: formats, modes, orientation, and unreadable files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from ocr.errors import PageReadError
from ocr.load import find_images, load_page


def _gradient(width: int = 40, height: int = 30) -> np.ndarray:
    return np.tile(np.linspace(0, 255, width).astype(np.uint8), (height, 1))


@pytest.mark.parametrize("suffix", [".png", ".jpg", ".tif", ".bmp"])
def test_formats_load_as_2d_uint8(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"page{suffix}"
    Image.fromarray(_gradient()).save(path)
    page = load_page(path)
    assert page.dtype == np.uint8 and page.shape == (30, 40)
    assert page[0, 0] < 10 and page[0, -1] > 245


def test_colour_becomes_luma(tmp_path: Path) -> None:
    rgb = np.zeros((10, 10, 3), dtype=np.uint8)
    rgb[..., 0] = 255  # pure red
    Image.fromarray(rgb).save(tmp_path / "red.png")
    assert load_page(tmp_path / "red.png")[0, 0] == 76  # ITU-R 601: 0.299 * 255


def test_transparent_background_is_paper(tmp_path: Path) -> None:
    rgba = np.zeros((10, 10, 4), dtype=np.uint8)  # fully transparent black
    Image.fromarray(rgba, mode="RGBA").save(tmp_path / "clear.png")
    assert (load_page(tmp_path / "clear.png") == 255).all()


def test_sixteen_bit_is_scaled(tmp_path: Path) -> None:
    values = np.array([[0, 32768, 65535]], dtype=np.uint16)
    Image.fromarray(values).save(tmp_path / "deep.png")
    assert load_page(tmp_path / "deep.png").tolist() == [[0, 128, 255]]


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    image = Image.fromarray(_gradient(40, 30))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: display rotated 90 degrees clockwise
    image.save(tmp_path / "turned.jpg", exif=exif)
    page = load_page(tmp_path / "turned.jpg")
    assert page.shape == (40, 30)
    assert page[0, 0] < 20 and page[-1, 0] > 235  # the dark edge is now on top


def test_find_images_recursive_sorted(tmp_path: Path) -> None:
    for name in ["b/2.png", "a.png", "b/10.jpg", "notes.txt", ".hidden.png"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    images, skipped = find_images(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in images] == ["a.png", "b/10.jpg", "b/2.png"]
    assert [p.name for p in skipped] == ["notes.txt"]


def test_find_images_lists_a_file_given_whatever_its_suffix(tmp_path: Path) -> None:
    (tmp_path / "scan.txt").write_text("asked for by name: reading it says what is wrong")
    assert find_images(tmp_path / "scan.txt") == ([tmp_path / "scan.txt"], [])


def _reason(path: Path) -> str:
    with pytest.raises(PageReadError) as caught:
        load_page(path)
    assert str(path) in str(caught.value)
    return caught.value.reason


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.png").write_bytes(b"")
    assert _reason(tmp_path / "empty.png") == "empty file"


def test_truncated_png(tmp_path: Path) -> None:
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), dtype=np.uint8)).save(
        tmp_path / "whole.png"
    )
    data = (tmp_path / "whole.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    assert "damaged" in _reason(tmp_path / "cut.png")


def test_text_named_jpg(tmp_path: Path) -> None:
    (tmp_path / "letter.jpg").write_text("Dear customer,\n")
    assert "not an image" in _reason(tmp_path / "letter.jpg")


def test_missing_file(tmp_path: Path) -> None:
    assert _reason(tmp_path / "gone.png") == "no such file"


def test_huge_image_is_refused_before_decoding(tmp_path: Path) -> None:
    Image.new("L", (2000, 2000), 255).save(tmp_path / "big.png")
    with pytest.raises(PageReadError, match="too large"):
        load_page(tmp_path / "big.png", max_pixels=1_000_000)

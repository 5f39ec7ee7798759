"""Review images: ocr show and scan --debug-dir draw what was read."""

from __future__ import annotations

import shutil

import numpy as np
from PIL import Image

from conftest import SAMPLES, invoke
from ocr.overlay import BLUE, RED, render_overlay
from ocr.types import Box, Glyph, Token


def test_overlay_marks_tokens_and_unsure_glyphs() -> None:
    page = np.full((100, 200), 255, np.uint8)
    image = render_overlay(
        page,
        [Glyph(Box(10, 40, 20, 30), "7", 0.3)],
        [Token("7", "integer", Box(100, 40, 20, 30), 0.9)],
    )
    assert image.shape == (100, 200, 3)
    assert tuple(image[40, 10]) == RED  # the unsure glyph's box
    assert tuple(image[70, 98]) == BLUE  # the token's box


def test_show_writes_a_review_image(tmp_path) -> None:
    done = invoke("show", SAMPLES / "receipt.jpg", "--out", tmp_path / "r.png")
    assert done.exit_code == 0, done.stderr
    assert Image.open(tmp_path / "r.png").size == Image.open(SAMPLES / "receipt.jpg").size
    assert "27.45 (decimal" in done.stdout


def test_show_reads_one_file_and_says_so_otherwise(tmp_path) -> None:
    missing = invoke("show", tmp_path / "missing.png", "--out", tmp_path / "r.png")
    folder = invoke("show", SAMPLES, "--out", tmp_path / "r.png")
    assert missing.exit_code == folder.exit_code == 2  # both usage errors
    assert missing.stderr == f"ocr: error: {tmp_path / 'missing.png'}: no such file\n"
    assert folder.stderr.startswith(f"ocr: error: {SAMPLES}: is a folder;")
    assert len(folder.stderr.splitlines()) == 1
    assert not (tmp_path / "r.png").exists()


def test_debug_dir_gets_one_image_per_page(tmp_path) -> None:
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "receipt.jpg", folder / "r.jpg")
    done = invoke(
        "scan",
        tmp_path / "in",
        "--debug-dir",
        tmp_path / "review",
        "--out",
        tmp_path / "out.csv",
        "-j",
        "1",
        "-q",
    )
    assert done.exit_code == 0, done.stderr
    assert [
        p.relative_to(tmp_path / "review").as_posix() for p in (tmp_path / "review").rglob("*.png")
    ] == ["sub/r.jpg.p1.png"]
    (tmp_path / "file").write_text("in the way")
    blocked = invoke("scan", tmp_path / "in", "--debug-dir", tmp_path / "file" / "x")
    assert blocked.exit_code == 2 and "--debug-dir" in blocked.stderr

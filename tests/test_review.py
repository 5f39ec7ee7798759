"""Review images: ocr show and scan --debug-dir draw what was read."""

from __future__ import annotations

import shutil
import subprocess
import sys

import numpy as np
from PIL import Image

from conftest import SAMPLES
from ocr.overlay import BLUE, RED, render_overlay
from ocr.types import Box, Glyph, Token


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocr", *args], capture_output=True, text=True,
                          timeout=300)


def test_overlay_marks_tokens_and_unsure_glyphs() -> None:
    page = np.full((100, 200), 255, np.uint8)
    image = render_overlay(page, [Glyph(Box(10, 40, 20, 30), "7", 0.3)],
                           [Token("7", "integer", Box(100, 40, 20, 30), 0.9)])
    assert image.shape == (100, 200, 3)
    assert tuple(image[40, 10]) == RED  # the unsure glyph's box
    assert tuple(image[70, 98]) == BLUE  # the token's box


def test_show_writes_a_review_image(tmp_path) -> None:
    done = run("show", str(SAMPLES / "receipt.jpg"), "--out", str(tmp_path / "r.png"))
    assert done.returncode == 0, done.stderr
    assert Image.open(tmp_path / "r.png").size == Image.open(SAMPLES / "receipt.jpg").size
    assert "27.45 (decimal" in done.stdout
    assert run("show", str(tmp_path / "missing.png")).returncode == 2


def test_debug_dir_gets_one_image_per_page(tmp_path) -> None:
    folder = tmp_path / "in" / "sub"
    folder.mkdir(parents=True)
    shutil.copy(SAMPLES / "receipt.jpg", folder / "r.jpg")
    done = run("scan", str(tmp_path / "in"), "--debug-dir", str(tmp_path / "review"),
               "--out", str(tmp_path / "out.csv"), "-q")
    assert done.returncode == 0, done.stderr
    assert [p.relative_to(tmp_path / "review").as_posix()
            for p in (tmp_path / "review").rglob("*.png")] == ["sub/r.jpg.p1.png"]
    (tmp_path / "file").write_text("in the way")
    blocked = run("scan", str(tmp_path / "in"), "--debug-dir", str(tmp_path / "file" / "x"))
    assert blocked.returncode == 2 and "--debug-dir" in blocked.stderr

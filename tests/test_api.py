"""The Python API: ocr.read on arrays, ocr.scan on files, results as plain data."""

from __future__ import annotations

import json

import numpy as np
import pytest
from PIL import Image

import ocr
from conftest import SAMPLES, draw_text
from ocr.api import find_inputs, read_pages
from ocr.errors import UsageError


def test_read_an_array_in_several_forms() -> None:
    page = draw_text("4071 2938", scale=2.0, thickness=4)
    expected = ["4071", "2938"]
    assert [t.text for t in ocr.read(page).tokens] == expected
    rgb = np.stack([page] * 3, axis=2)
    assert [t.text for t in ocr.read(rgb).tokens] == expected
    assert [t.text for t in ocr.read(page.astype(np.float32) / 255).tokens] == expected
    result = ocr.read(page, name="mine")
    assert result.file == "mine" and (result.height, result.width) == page.shape


def test_scan_yields_page_results_in_order(tmp_path) -> None:
    results = list(ocr.scan([SAMPLES / "receipt.jpg", SAMPLES / "forms"]))
    assert [r.file for r in results] == [
        "receipt.jpg",
        "claim_01.png",
        "claim_02.png",
        "claim_03.png",
    ]
    assert all(r.error is None for r in results)
    assert "27.45" in [t.text for t in results[0].tokens]
    plain = results[0].to_dict()
    assert json.loads(json.dumps(plain)) == plain  # plain data, ready for JSON
    (tmp_path / "bad.png").write_bytes(b"")
    Image.fromarray(draw_text("12")).save(tmp_path / "good.png")
    bad, good = list(ocr.scan(tmp_path))
    assert bad.error == "empty file" and good.error is None


def test_find_inputs_names_files_as_the_output_does(tmp_path) -> None:
    for name in ("scans/b.png", "scans/sub/a.pdf", "scans/notes.txt", "one.jpg", "texts/readme.md"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(b"x")
    found = find_inputs([tmp_path / "one.jpg", tmp_path / "scans", tmp_path / "texts"])
    assert [(f.path, f.name) for f in found.files] == [
        (tmp_path / "one.jpg", "one.jpg"),  # a file given: its file name
        (tmp_path / "scans" / "b.png", "b.png"),  # in a folder: relative to it
        (tmp_path / "scans" / "sub" / "a.pdf", "sub/a.pdf"),
    ]
    assert found.skipped == (tmp_path / "scans" / "notes.txt", tmp_path / "texts" / "readme.md")
    assert found.empty == (tmp_path / "texts",)
    assert find_inputs(tmp_path / "one.jpg") == find_inputs([str(tmp_path / "one.jpg")])


def test_scan_checks_its_paths_before_reading_anything(tmp_path) -> None:
    with pytest.raises(UsageError, match="missing.png: no such file or folder"):
        ocr.scan([SAMPLES / "receipt.jpg", tmp_path / "missing.png"])  # at once, not lazily
    with pytest.raises(ValueError, match="jobs"):
        read_pages([], jobs=0)
    assert list(read_pages([], jobs=4)) == []

"""The Python API: ocr.read on arrays, ocr.scan on files, results as plain data."""

from __future__ import annotations

import json

import numpy as np
from PIL import Image

import ocr
from conftest import SAMPLES, draw_text


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
    assert [r.file for r in results] == ["receipt.jpg", "claim_01.png", "claim_02.png",
                                         "claim_03.png"]
    assert all(r.error is None for r in results)
    assert "27.45" in [t.text for t in results[0].tokens]
    plain = results[0].to_dict()
    assert json.loads(json.dumps(plain)) == plain  # plain data, ready for JSON
    (tmp_path / "bad.png").write_bytes(b"")
    Image.fromarray(draw_text("12")).save(tmp_path / "good.png")
    bad, good = list(ocr.scan(tmp_path))
    assert bad.error == "empty file" and good.error is None

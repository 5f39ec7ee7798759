"""Output formats end to end: csv, tsv, jsonl and json agree; formula escaping; --excel."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES, invoke, run_ocr
from ocr.output import BOM, CSV_HEADER

FORMATS = ("csv", "tsv", "jsonl", "json")

SCANS = [SAMPLES / name for name in ("handwritten_form.png", "printed_form.png", "receipt.jpg")]
"""The three sample scans (not the claim forms), given as files."""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    """``ocr scan`` of the sample scans in every format."""
    out_dir = tmp_path_factory.mktemp("out")
    paths = {}
    for fmt in FORMATS:
        paths[fmt] = out_dir / f"results.{fmt}"
        done = invoke("scan", *SCANS, "--format", fmt, "--out", paths[fmt], "-j", "1", "-q")
        assert done.exit_code == 0, done.stderr
    return paths


def _table(path: Path, delimiter: str) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        if delimiter == "\t":
            return list(csv.reader(stream, delimiter="\t", quoting=csv.QUOTE_NONE))
        return list(csv.reader(stream))


def _rows_of_pages(pages: list[dict]) -> list[list[str]]:
    """The CSV rows that JSON page objects stand for (confidence formatted as the CSV's)."""
    rows = []
    for page in pages:
        for line in page["lines"]:
            assert line["tokens"], "lines without tokens are left out"
            for t in line["tokens"]:
                values = (
                    page["file"],
                    page["page"],
                    line["line"],
                    t["left"],
                    t["top"],
                    t["width"],
                    t["height"],
                    t["text"],
                    t["kind"],
                )
                rows.append([str(v) for v in values] + [f"{t['confidence']:.3f}"])
    return rows


@pytest.fixture(scope="module")
def csv_rows(outputs: dict[str, Path]) -> list[list[str]]:
    table = _table(outputs["csv"], ",")
    assert table[0] == list(CSV_HEADER)
    assert len(table) > 20
    return table[1:]


def test_tsv_round_trips(outputs: dict[str, Path], csv_rows: list[list[str]]) -> None:
    data = outputs["tsv"].read_bytes()
    assert b"\r" not in data and not data.startswith(BOM.encode())
    table = _table(outputs["tsv"], "\t")
    assert table[0] == list(CSV_HEADER)
    assert table[1:] == csv_rows


def test_jsonl_round_trips(outputs: dict[str, Path], csv_rows: list[list[str]]) -> None:
    lines = outputs["jsonl"].read_text(encoding="utf-8").splitlines()
    pages = [json.loads(line) for line in lines]
    assert [p["file"] for p in pages] == ["handwritten_form.png", "printed_form.png", "receipt.jpg"]
    for page in pages:
        assert list(page) == ["file", "page", "width", "height", "lines", "error"]
        assert page["error"] is None and page["width"] > 0 and page["height"] > 0
        for line in page["lines"]:
            assert list(line) == ["line", "left", "top", "width", "height", "tokens"]
            for token in line["tokens"]:
                assert list(token) == [
                    "text",
                    "kind",
                    "left",
                    "top",
                    "width",
                    "height",
                    "confidence",
                ]
                assert isinstance(token["confidence"], float)
                assert token["confidence"] == round(token["confidence"], 3)
    assert _rows_of_pages(pages) == csv_rows


def test_json_round_trips(outputs: dict[str, Path], csv_rows: list[list[str]]) -> None:
    document = json.loads(outputs["json"].read_text(encoding="utf-8"))
    assert list(document) == ["pages"]
    assert _rows_of_pages(document["pages"]) == csv_rows
    jsonl = [json.loads(line) for line in outputs["jsonl"].read_text().splitlines()]
    assert document["pages"] == jsonl


def test_json_is_byte_identical_whatever_jobs(outputs: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "again.json"
    done = run_ocr("scan", *SCANS, "--format", "json", "--out", out, "-j", "2", "-q")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == outputs["json"].read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_formula_like_file_names_are_escaped(fmt: str, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("=SUM(A1).png", "-1.png"):
        shutil.copy(SAMPLES / "receipt.jpg", folder / name)
    out = tmp_path / f"out.{fmt}"
    done = invoke("scan", folder, "--format", fmt, "--out", out, "-j", "1", "-q")
    assert done.exit_code == 0, done.stderr
    rows = _table(out, "\t" if fmt == "tsv" else ",")[1:]
    assert rows
    assert {row[0] for row in rows} == {"'=SUM(A1).png", "'-1.png"}


def test_excel_adds_a_byte_order_mark_and_nothing_else(
    outputs: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "excel.csv"
    done = invoke("scan", *SCANS, "--excel", "--out", out, "-j", "1", "-q")
    assert done.exit_code == 0, done.stderr
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:] == outputs["csv"].read_bytes()


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_excel_with_json_is_a_usage_error(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / "x.json"
    done = invoke("scan", SAMPLES / "receipt.jpg", "--excel", "--format", fmt, "--out", out)
    assert done.exit_code == 2 and "--excel" in done.stderr
    assert not out.exists()  # reported before any work


def test_json_stays_valid_with_an_unreadable_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a_empty.png").write_bytes(b"")
    shutil.copy(SAMPLES / "receipt.jpg", folder / "b_receipt.jpg")
    out = tmp_path / "out.json"
    done = invoke("scan", folder, "--format", "json", "--out", out, "-j", "1", "-q")
    assert done.exit_code == 1
    pages = json.loads(out.read_text(encoding="utf-8"))["pages"]
    assert [p["file"] for p in pages] == ["a_empty.png", "b_receipt.jpg"]
    bad, good = pages
    assert bad["error"] == "empty file" and bad["lines"] == []
    assert good["error"] is None and good["lines"]

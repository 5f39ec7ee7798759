"""The writers: header, rows, formatting, flushing per page, escaping; ``to_dict``."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pytest

from ocr.output import (
    CSV_HEADER,
    CsvWriter,
    JsonlWriter,
    JsonWriter,
    TsvWriter,
    make_writer,
    spreadsheet_safe,
)
from ocr.types import Box, Line, PageResult, Token


def test_rows_are_flushed_as_each_page_is_written(tmp_path) -> None:
    path = tmp_path / "out.csv"
    token = Token("1,234.50", "decimal", Box(10, 20, 30, 40), 0.98765)
    page = PageResult("a/b.png", 1, 100, 100, lines=(Line(3, Box(0, 0, 5, 5), (token,)),))
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = CsvWriter(stream)
        assert writer.write(page) == 1
        # Before the file is closed, what was written is already on disk.
        rows = list(csv.reader(path.open(newline="")))
        assert rows == [
            list(CSV_HEADER),
            ["a/b.png", "1", "3", "10", "20", "30", "40", "1,234.50", "decimal", "0.988"],
        ]
        assert writer.write(PageResult("c.png", 1, 0, 0, error="empty file")) == 0
    assert path.read_bytes().count(b"\r\n") == 2


def _page(file: str = "a/b.png") -> PageResult:
    token = Token("14:30", "time", Box(np.int64(1), 2, 30, 12), np.float64(0.98765))
    return PageResult(
        file, 1, 100, 80, lines=(Line(1, Box(0, 0, 9, 9), ()), Line(2, Box(1, 2, 40, 12), (token,)))
    )


def test_to_dict_shapes_key_order_and_plain_types() -> None:
    page = _page().to_dict()
    assert list(page) == ["file", "page", "width", "height", "lines", "error"]
    assert [line["line"] for line in page["lines"]] == [2]  # the empty line 1 is left out
    assert page["lines"][0] == {
        "line": 2,
        "left": 1,
        "top": 2,
        "width": 40,
        "height": 12,
        "tokens": [
            {
                "text": "14:30",
                "kind": "time",
                "left": 1,
                "top": 2,
                "width": 30,
                "height": 12,
                "confidence": 0.988,
            }
        ],
    }
    token = page["lines"][0]["tokens"][0]
    assert type(token["left"]) is int and type(token["confidence"]) is float
    assert [line["line"] for line in _page().to_dict(empty_lines=True)["lines"]] == [1, 2]
    assert page["error"] is None


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_formula_starts_are_escaped(start: str) -> None:
    assert spreadsheet_safe(f"{start}1.png") == f"'{start}1.png"
    assert spreadsheet_safe(f"a{start}1.png") == f"a{start}1.png"


def test_csv_escapes_file_and_excel_adds_a_bom() -> None:
    plain, excel = io.StringIO(newline=""), io.StringIO(newline="")
    for stream, flag in ((plain, False), (excel, True)):
        writer = make_writer("csv", stream, excel=flag)
        assert writer.write(_page("=HYPERLINK(x).png")) == 1
        writer.close()
    rows = list(csv.reader(io.StringIO(plain.getvalue(), newline="")))
    assert rows[1][0] == "'=HYPERLINK(x).png"
    assert excel.getvalue() == "\ufeff" + plain.getvalue()


def test_tsv_escapes_tabs_newlines_and_formulas() -> None:
    stream = io.StringIO(newline="")
    writer = TsvWriter(stream, excel=True)
    writer.write(_page("a\tb\nc\\d.png"))
    writer.write(_page("@x.png"))
    text = stream.getvalue()
    assert text.startswith("\ufeff" + "\t".join(CSV_HEADER) + "\n")
    lines = text[1:].split("\n")
    assert lines[1] == "a\\tb\\nc\\\\d.png\t1\t2\t1\t2\t30\t12\t14:30\ttime\t0.988"
    assert lines[2].startswith("'@x.png\t")
    assert lines[3] == "" and len(lines) == 4


def test_json_is_streamed_and_closed_once() -> None:
    stream = io.StringIO(newline="")
    writer = JsonWriter(stream)
    assert writer.write(_page("=é.png")) == 1
    assert writer.write(PageResult("c.png", 1, 0, 0, error="empty file")) == 1
    # What was written so far is the document's beginning, page by page.
    assert stream.getvalue().startswith('{"pages":[\n{"file":"=é.png",')  # raw, not escaped
    writer.close()
    writer.close()
    document = json.loads(stream.getvalue())
    assert [p["error"] for p in document["pages"]] == [None, "empty file"]
    assert stream.getvalue().endswith("}\n]}\n")
    with pytest.raises(ValueError):
        writer.write(_page())
    empty = io.StringIO(newline="")
    JsonWriter(empty).close()
    assert json.loads(empty.getvalue()) == {"pages": []}


def test_jsonl_writes_one_object_per_page() -> None:
    stream = io.StringIO(newline="")
    writer = JsonlWriter(stream)
    writer.write(_page())
    writer.write(_page("x.png"))
    writer.close()
    lines = stream.getvalue().split("\n")
    assert lines[2] == "" and [json.loads(line) for line in lines[:2]] == [
        _page().to_dict(),
        _page("x.png").to_dict(),
    ]


def test_make_writer_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        make_writer("xml", io.StringIO())
    for fmt in ("json", "jsonl"):
        with pytest.raises(ValueError, match="excel"):
            make_writer(fmt, io.StringIO(), excel=True)
    assert isinstance(make_writer("csv", io.StringIO()), CsvWriter)

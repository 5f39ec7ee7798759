"""The CSV writer: header, rows, formatting, flushing per page."""

from __future__ import annotations

import csv

from ocr.output import CSV_HEADER, CsvWriter
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
        assert rows == [list(CSV_HEADER),
                        ["a/b.png", "1", "3", "10", "20", "30", "40", "1,234.50", "decimal",
                         "0.988"]]
        assert writer.write(PageResult("c.png", 1, 0, 0, error="empty file")) == 0
    assert path.read_bytes().count(b"\r\n") == 2

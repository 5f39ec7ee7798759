"""Stage 6: write page results for spreadsheets and other tools."""

from __future__ import annotations

import csv
from typing import TextIO

from .types import PageResult

CSV_HEADER = ("file", "page", "line", "left", "top", "width", "height",
              "text", "kind", "confidence")


class CsvWriter:
    """Write one row per token, flushing after every page.

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""`` (the csv module writes ``\\r\\n``).
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._writer.writerow(CSV_HEADER)
        self.stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the tokens of one page and flush; return the number of rows."""
        rows = 0
        for line in result.lines:
            for token in line.tokens:
                box = token.box
                self._writer.writerow((
                    result.file, result.page, line.number, box.left, box.top,
                    box.width, box.height, token.text, token.kind,
                    f"{token.confidence:.3f}",
                ))
                rows += 1
        self.stream.flush()
        return rows

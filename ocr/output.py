"""Stage 6: write page results for spreadsheets and other tools.

Four formats, one writer class each, all with the same interface
(:class:`Writer`): ``write(result)`` writes one page and flushes, so an
interrupted run keeps every finished page; ``close()`` ends the document
(only JSON needs it) and leaves the stream open for its owner to close.

* ``csv``: one row per token, ``\\r\\n`` line ends (:class:`CsvWriter`);
* ``tsv``: the same columns, tab-separated, ``\\n`` line ends (:class:`TsvWriter`);
* ``jsonl``: one JSON object per page and line (:class:`JsonlWriter`);
* ``json``: one document ``{"pages": [...]}``, streamed page by page (:class:`JsonWriter`).

The page objects are :meth:`ocr.types.PageResult.to_dict`. All output is
deterministic: the same results give the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from enum import StrEnum
from typing import Any, Protocol, TextIO

from .types import PageResult

CSV_HEADER = ("file", "page", "line", "left", "top", "width", "height",
              "text", "kind", "confidence")

BOM = "\ufeff"
"""The UTF-8 byte order mark that Excel needs to read a CSV as UTF-8 (``--excel``)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheets (OWASP CSV injection)."""

_TSV_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class Format(StrEnum):
    """The output formats of ``ocr scan --format``."""

    csv = "csv"
    tsv = "tsv"
    jsonl = "jsonl"
    json = "json"


class Writer(Protocol):
    """What every writer does: write a page and flush, then close the document."""

    def write(self, result: PageResult) -> int:
        """Write one page and flush; return the rows or objects written."""
        ...

    def close(self) -> None:
        """End the document; the stream stays open."""
        ...


def spreadsheet_safe(value: str) -> str:
    """Prefix ``'`` to a cell value that a spreadsheet would run as a formula.

    Examples
    --------
    >>> spreadsheet_safe("=SUM(A1).png"), spreadsheet_safe("-1.png"), spreadsheet_safe("a.png")
    ("'=SUM(A1).png", "'-1.png", 'a.png')
    """
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _token_rows(result: PageResult) -> Iterator[tuple[Any, ...]]:
    """The CSV/TSV rows of one page: one per token, ``file`` spreadsheet-safe."""
    file = spreadsheet_safe(result.file)
    for line in result.lines:
        for token in line.tokens:
            box = token.box
            yield (file, result.page, line.number, box.left, box.top, box.width, box.height,
                   token.text, token.kind, f"{token.confidence:.3f}")


def _dumps(obj: dict[str, Any]) -> str:
    """Compact, deterministic JSON in the dicts' own key order, non-ASCII kept."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class CsvWriter:
    """Write one row per token, flushing after every page.

    A ``file`` value that starts like a formula (:data:`FORMULA_STARTS`) is
    prefixed with ``'`` (:func:`spreadsheet_safe`).

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""`` (the csv module writes ``\\r\\n``), UTF-8.
    excel : bool
        Start with the UTF-8 byte order mark, for Excel.
    """

    def __init__(self, stream: TextIO, excel: bool = False) -> None:
        self.stream = stream
        if excel:
            stream.write(BOM)
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._writer.writerow(CSV_HEADER)
        self.stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the tokens of one page and flush; return the number of rows."""
        rows = 0
        for row in _token_rows(result):
            self._writer.writerow(row)
            rows += 1
        self.stream.flush()
        return rows

    def close(self) -> None:
        """Flush; CSV needs no closing (the stream stays open)."""
        self.stream.flush()


class TsvWriter:
    """The CSV columns, tab-separated, with a header line and ``\\n`` line ends.

    Nothing is quoted: tokens and numbers never hold tabs or newlines. In
    ``file``, ``\\``, tab, newline and carriage return are written as ``\\\\``,
    ``\\t``, ``\\n`` and ``\\r`` (as in PostgreSQL's text format), after the
    formula escaping of :func:`spreadsheet_safe`.

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""``, UTF-8.
    excel : bool
        Start with the UTF-8 byte order mark, for Excel.
    """

    def __init__(self, stream: TextIO, excel: bool = False) -> None:
        self.stream = stream
        stream.write((BOM if excel else "") + "\t".join(CSV_HEADER) + "\n")
        self.stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the tokens of one page and flush; return the number of rows."""
        rows = []
        for file, *rest in _token_rows(result):
            rows.append("\t".join([file.translate(_TSV_ESCAPES), *map(str, rest)]) + "\n")
        self.stream.write("".join(rows))
        self.stream.flush()
        return len(rows)

    def close(self) -> None:
        """Flush; TSV needs no closing (the stream stays open)."""
        self.stream.flush()


class JsonlWriter:
    """JSON Lines: one page object (:meth:`PageResult.to_dict`) per line.

    Every page gets a line, also a page with no tokens or an ``error``. Only
    the text lines that hold tokens are listed, to keep the output compact.

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""``, UTF-8.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, result: PageResult) -> int:
        """Write the page's object and flush; return 1."""
        self.stream.write(_dumps(result.to_dict()) + "\n")
        self.stream.flush()
        return 1

    def close(self) -> None:
        """Flush; JSON Lines needs no closing (the stream stays open)."""
        self.stream.flush()


class JsonWriter:
    """One JSON document ``{"pages": [...]}``, streamed one page object per line.

    The opening is written at once and each page as it is written, so an
    interrupted run that still gets to :meth:`close` leaves a valid document
    with every finished page. Page objects are as in :class:`JsonlWriter`.

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""``, UTF-8.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._pages = 0
        self._closed = False
        stream.write('{"pages":[')
        stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the page's object and flush; return 1."""
        if self._closed:
            raise ValueError("write to a closed JsonWriter")
        self.stream.write(("\n" if self._pages == 0 else ",\n") + _dumps(result.to_dict()))
        self._pages += 1
        self.stream.flush()
        return 1

    def close(self) -> None:
        """Write the closing ``]}`` (once) and flush; the stream stays open."""
        if not self._closed:
            self._closed = True
            self.stream.write("\n]}\n")
            self.stream.flush()


class FieldWriter:
    """One row per page with the fields of a form template (``--template``).

    CSV and TSV get the columns of :meth:`ocr.template.Template.columns`;
    JSON Lines and JSON get per page ``{"file", "page", "fields": {name:
    {"text", "confidence", "issue"}}, "issues"}``.

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""``, UTF-8.
    template : ocr.template.Template
    format : Format
    excel : bool
        Start with the UTF-8 byte order mark (csv and tsv).
    min_confidence : float
        Field values below it are listed in ``issues``.
    """

    def __init__(self, stream: TextIO, template: Any, format: str = "csv",
                 excel: bool = False, min_confidence: float = 0.0) -> None:
        self.stream = stream
        self.template = template
        self.format = Format(format)
        self.min_confidence = min_confidence
        self._pages = 0
        self._closed = False
        if excel:
            stream.write(BOM)
        if self.format is Format.csv:
            self._csv = csv.writer(stream, lineterminator="\r\n")
            self._csv.writerow(template.columns())
        elif self.format is Format.tsv:
            stream.write("\t".join(template.columns()) + "\n")
        elif self.format is Format.json:
            stream.write('{"pages":[')
        stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the page's row and flush; return 1."""
        from .template import field_row, read_fields

        if self.format in (Format.csv, Format.tsv):
            row = field_row(self.template, result, self.min_confidence)
            row[0] = spreadsheet_safe(row[0])
            if self.format is Format.csv:
                self._csv.writerow(row)
            else:
                row[0] = row[0].translate(_TSV_ESCAPES)
                self.stream.write("\t".join(cell.replace("\t", " ") for cell in row) + "\n")
        else:
            values = read_fields(self.template, result, self.min_confidence)
            text = _dumps({
                "file": result.file, "page": result.page,
                "fields": {v.name: {"text": v.text, "confidence": round(v.confidence, 3),
                                    "issue": v.issue} for v in values},
                "issues": [f"{v.name}: {v.issue}" for v in values if v.issue],
            })
            if self.format is Format.json:
                text = ("\n" if self._pages == 0 else ",\n") + text
            else:
                text += "\n"
            self.stream.write(text)
        self._pages += 1
        self.stream.flush()
        return 1

    def close(self) -> None:
        """End a JSON document (once) and flush; the stream stays open."""
        if self.format is Format.json and not self._closed:
            self.stream.write("\n]}\n")
        self._closed = True
        self.stream.flush()


def make_writer(format: str, stream: TextIO, excel: bool = False) -> Writer:
    """The writer of one output format.

    Parameters
    ----------
    format : {"csv", "tsv", "jsonl", "json"}
        The output format (a :class:`Format` or its value).
    stream : text stream
        Opened with ``newline=""``, UTF-8; the writer writes its header or
        opening at once.
    excel : bool
        Start with the UTF-8 byte order mark (csv and tsv only).

    Returns
    -------
    Writer

    Raises
    ------
    ValueError
        For an unknown format, or ``excel`` with a JSON format.
    """
    try:
        fmt = Format(format)
    except ValueError:
        raise ValueError(f"unknown output format {format!r}; "
                         f"one of {', '.join(f.value for f in Format)}") from None
    if fmt is Format.csv:
        return CsvWriter(stream, excel=excel)
    if fmt is Format.tsv:
        return TsvWriter(stream, excel=excel)
    if excel:
        raise ValueError(f"excel (a byte order mark) is for csv and tsv, not {fmt.value}")
    return JsonlWriter(stream) if fmt is Format.jsonl else JsonWriter(stream)

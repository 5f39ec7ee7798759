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
from collections.abc import Callable, Iterable, Iterator, Sequence
from enum import StrEnum
from typing import Any, Protocol, TextIO

from .types import PageResult

CSV_HEADER = (
    "file",
    "page",
    "line",
    "left",
    "top",
    "width",
    "height",
    "text",
    "kind",
    "confidence",
)

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
    """The CSV/TSV rows of one page: one per token."""
    for line in result.lines:
        for token in line.tokens:
            box = token.box
            yield (
                result.file,
                result.page,
                line.number,
                box.left,
                box.top,
                box.width,
                box.height,
                token.text,
                token.kind,
                f"{token.confidence:.3f}",
            )


def _page_object(result: PageResult) -> dict[str, Any]:
    return result.to_dict()


Rows = Callable[[PageResult], Iterable[Sequence[Any]]]
Objects = Callable[[PageResult], dict[str, Any]]


def _dumps(obj: dict[str, Any]) -> str:
    """Compact, deterministic JSON in the dicts' own key order, non-ASCII kept."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


class CsvWriter:
    """Write one row per token, flushing after every page.

    A ``file`` value (the first column) that starts like a formula
    (:data:`FORMULA_STARTS`) is prefixed with ``'`` (:func:`spreadsheet_safe`).

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""`` (the csv module writes ``\\r\\n``), UTF-8.
    excel : bool
        Start with the UTF-8 byte order mark, for Excel.
    header, rows :
        The columns and a page's rows; the default is one row per token
        (:data:`CSV_HEADER`), a form template gives one row per page.
    """

    def __init__(
        self,
        stream: TextIO,
        excel: bool = False,
        header: Sequence[str] = CSV_HEADER,
        rows: Rows = _token_rows,
    ) -> None:
        self.stream = stream
        self._rows = rows
        if excel:
            stream.write(BOM)
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._writer.writerow(header)
        self.stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the rows of one page and flush; return the number of rows."""
        count = 0
        for file, *rest in self._rows(result):
            self._writer.writerow([spreadsheet_safe(file), *rest])
            count += 1
        self.stream.flush()
        return count

    def close(self) -> None:
        """Flush; CSV needs no closing (the stream stays open)."""
        self.stream.flush()


class TsvWriter(CsvWriter):
    """The CSV columns, tab-separated, with a header line and ``\\n`` line ends.

    Nothing is quoted: tokens and numbers never hold tabs or newlines. In
    ``file``, ``\\``, tab, newline and carriage return are written as ``\\\\``,
    ``\\t``, ``\\n`` and ``\\r`` (as in PostgreSQL's text format), after the
    formula escaping of :func:`spreadsheet_safe`; in other cells a tab
    becomes a space.

    Parameters are those of :class:`CsvWriter`.
    """

    def __init__(
        self,
        stream: TextIO,
        excel: bool = False,
        header: Sequence[str] = CSV_HEADER,
        rows: Rows = _token_rows,
    ) -> None:
        self.stream = stream
        self._rows = rows
        stream.write((BOM if excel else "") + "\t".join(header) + "\n")
        self.stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the rows of one page and flush; return the number of rows."""
        lines = []
        for file, *rest in self._rows(result):
            cells = [
                spreadsheet_safe(file).translate(_TSV_ESCAPES),
                *(str(cell).replace("\t", " ") for cell in rest),
            ]
            lines.append("\t".join(cells) + "\n")
        self.stream.write("".join(lines))
        self.stream.flush()
        return len(lines)


class JsonWriter:
    """One JSON document ``{"pages": [...]}``, streamed one page object per line.

    The opening is written at once and each page as it is written, so an
    interrupted run that still gets to :meth:`close` leaves a valid document
    with every finished page. Every page gets an object, also a page with no
    tokens or an ``error``.

    Parameters
    ----------
    stream : text stream
        Opened with ``newline=""``, UTF-8.
    to_object : callable
        A page's object; by default :meth:`PageResult.to_dict`, which lists
        only the text lines that hold tokens, to keep the output compact.
    """

    document = True

    def __init__(self, stream: TextIO, to_object: Objects = _page_object) -> None:
        self.stream = stream
        self._to_object = to_object
        self._pages = 0
        self._closed = False
        if self.document:
            stream.write('{"pages":[')
            stream.flush()

    def write(self, result: PageResult) -> int:
        """Write the page's object and flush; return 1."""
        if self._closed:
            raise ValueError(f"write to a closed {type(self).__name__}")
        text = _dumps(self._to_object(result))
        if self.document:
            text = ("\n" if self._pages == 0 else ",\n") + text
        else:
            text += "\n"
        self.stream.write(text)
        self._pages += 1
        self.stream.flush()
        return 1

    def close(self) -> None:
        """End the document (once) and flush; the stream stays open."""
        if self.document and not self._closed:
            self.stream.write("\n]}\n")
        self._closed = True
        self.stream.flush()


class JsonlWriter(JsonWriter):
    """JSON Lines: one page object per line, nothing before or after.

    Parameters are those of :class:`JsonWriter`.
    """

    document = False


def make_writer(
    format: str,
    stream: TextIO,
    excel: bool = False,
    template: Any = None,
    min_confidence: float = 0.0,
) -> Writer:
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
    template : ocr.template.Template, optional
        Write one row (or object) per page with the template's fields
        instead of one row per token.
    min_confidence : float
        With a template: field values below it are listed in ``issues``.

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
        raise ValueError(
            f"unknown output format {format!r}; one of {', '.join(f.value for f in Format)}"
        ) from None
    if excel and fmt not in (Format.csv, Format.tsv):
        raise ValueError(f"excel (a byte order mark) is for csv and tsv, not {fmt.value}")
    header: Sequence[str] = CSV_HEADER
    rows: Rows = _token_rows
    to_object: Objects = _page_object
    if template is not None:
        from .template import field_object, field_row

        header = template.columns()

        def rows(result: PageResult) -> list[list[str]]:
            return [field_row(template, result, min_confidence)]

        def to_object(result: PageResult) -> dict[str, Any]:
            return field_object(template, result, min_confidence)

    if fmt is Format.csv:
        return CsvWriter(stream, excel=excel, header=header, rows=rows)
    if fmt is Format.tsv:
        return TsvWriter(stream, excel=excel, header=header, rows=rows)
    return (JsonlWriter if fmt is Format.jsonl else JsonWriter)(stream, to_object)

"""Result types shared by the pipeline stages.

Coordinate convention, stated once: boxes are ``(left, top, width, height)`` in
integer pixels of the page image as it was loaded (after EXIF orientation),
with the origin at the top-left corner, x to the right and y down.

``to_dict()`` on :class:`Box`, :class:`Token`, :class:`Line` and
:class:`PageResult` is the Python API's export: plain dicts of ``str``,
``int``, ``float``, ``None`` and lists, with a fixed key order, the shapes the
JSON and JSON Lines writers of :mod:`ocr.output` write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np

REJECT = "?"
"""Label of the reject class: anything that is not a digit or a separator."""

BAR = "|"
"""Label of a plain vertical bar: ``1`` beside digits, the letter ``l`` or ``I`` beside letters."""

ROUND = "O"
"""Label of a plain oval: ``0`` beside digits, the letter ``O`` beside letters."""

PERCENT = "%"
"""Label of the percent sign: it ends a number (``20%``) without making its word a label."""

AMBIGUOUS = {BAR: "1", ROUND: "0"}
"""Shapes that are a digit or a letter depending on their neighbours."""

DIGITS = "0123456789"
SEPARATORS = ".,:/-"


@dataclass(frozen=True, slots=True)
class Box:
    """An axis-aligned box in page pixels."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        """The x just past the box's last column."""
        return self.left + self.width

    @property
    def bottom(self) -> int:
        """The y just past the box's last row."""
        return self.top + self.height

    def union(self, other: Box) -> Box:
        """Smallest box that holds this one and ``other``."""
        left = min(self.left, other.left)
        top = min(self.top, other.top)
        return Box(
            left, top, max(self.right, other.right) - left, max(self.bottom, other.bottom) - top
        )

    @staticmethod
    def enclosing(boxes: list[Box]) -> Box:
        """Smallest box that holds all ``boxes`` (which must not be empty)."""
        left = min(box.left for box in boxes)
        top = min(box.top for box in boxes)
        right = max(box.left + box.width for box in boxes)
        bottom = max(box.top + box.height for box in boxes)
        return Box(left, top, right - left, bottom - top)

    def to_dict(self) -> dict[str, int]:
        """The box as ``{"left", "top", "width", "height"}`` (plain ints).

        Examples
        --------
        >>> Box(3, 4, 10, 20).to_dict()
        {'left': 3, 'top': 4, 'width': 10, 'height': 20}
        """
        return {
            "left": int(self.left),
            "top": int(self.top),
            "width": int(self.width),
            "height": int(self.height),
        }


@dataclass(frozen=True, slots=True)
class Glyph:
    """One recognised glyph: its box, label (a digit, a separator or REJECT)."""

    box: Box
    label: str
    confidence: float


class TokenKind(StrEnum):
    """What a token's pattern says it is; written as its value (``"date"``)."""

    integer = "integer"
    decimal = "decimal"
    date = "date"
    time = "time"
    other = "other"


@dataclass(frozen=True, slots=True)
class Token:
    """A run of digits with inner separators, e.g. ``1,234.50`` or ``14:30``."""

    text: str
    kind: TokenKind
    box: Box
    confidence: float

    def to_dict(self) -> dict[str, Any]:
        """The token as ``{"text", "kind", "left", "top", "width", "height", "confidence"}``.

        The box is flattened into the token; ``confidence`` is a float rounded
        to three decimals, the value the CSV writes.

        Examples
        --------
        >>> Token("14:30", TokenKind.time, Box(1, 2, 30, 12), 0.98765).to_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'text': '14:30', 'kind': 'time', 'left': 1, 'top': 2, 'width': 30,
         'height': 12, 'confidence': 0.988}
        """
        return {
            "text": str(self.text),
            "kind": str(self.kind),
            **self.box.to_dict(),
            "confidence": round(float(self.confidence), 3),
        }


@dataclass(frozen=True, slots=True)
class Line:
    """A text line in reading order; ``number`` counts from 1 per page."""

    number: int
    box: Box
    tokens: tuple[Token, ...]

    def to_dict(self) -> dict[str, Any]:
        """The line as ``{"line", "left", "top", "width", "height", "tokens"}``.

        ``tokens`` is a list of :meth:`Token.to_dict` dicts, in reading order.
        """
        return {
            "line": int(self.number),
            **self.box.to_dict(),
            "tokens": [token.to_dict() for token in self.tokens],
        }


@dataclass(frozen=True, slots=True)
class PageResult:
    """What was read from one page of one file.

    ``file`` is the path as the user should see it (relative to the scanned
    folder); ``page`` counts from 1. ``error`` is set, and ``lines`` empty,
    when the page could not be read.
    """

    file: str
    page: int
    width: int
    height: int
    lines: tuple[Line, ...] = field(default_factory=tuple)
    error: str | None = None
    frames: tuple[Box, ...] = field(default_factory=tuple)
    """Printed rectangles found on the page, when asked for (form templates)."""

    @property
    def tokens(self) -> list[Token]:
        """Every token of the page, in reading order."""
        return [token for line in self.lines for token in line.tokens]

    def to_dict(self, *, empty_lines: bool = False) -> dict[str, Any]:
        """The page as ``{"file", "page", "width", "height", "lines", "error"}``.

        Parameters
        ----------
        empty_lines : bool
            Also list the lines that hold no token. Off by default, to keep
            the export compact: line numbers are kept either way, so the
            lines listed may skip numbers.

        Returns
        -------
        dict
            ``lines`` is a list of :meth:`Line.to_dict` dicts; ``error`` is
            ``None`` when the page was read (and ``lines`` empty when not).

        Examples
        --------
        >>> PageResult("b.png", 1, 0, 0, error="empty file").to_dict()
        ... # doctest: +NORMALIZE_WHITESPACE
        {'file': 'b.png', 'page': 1, 'width': 0, 'height': 0, 'lines': [],
         'error': 'empty file'}
        """
        return {
            "file": str(self.file),
            "page": int(self.page),
            "width": int(self.width),
            "height": int(self.height),
            "lines": [line.to_dict() for line in self.lines if empty_lines or line.tokens],
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class PageDetail:
    """A page's lines, every glyph read on it and its printed rectangles.

    Boxes are in the pixels of the page as given to the pipeline; ``frames``
    are found only when asked for (form templates), ``glyphs`` only for
    review images.
    """

    lines: tuple[Line, ...]
    glyphs: tuple[Glyph, ...]
    frames: tuple[Box, ...] = ()


@dataclass(frozen=True, slots=True)
class ReadLine:
    """One line's glyphs as read, left to right, with their words: what assembly gets.

    ``word_ids`` are non-decreasing; ``is_mark`` says which glyphs are small
    marks (separators and specks), measured apart from the glyphs when
    words are split again; ``height`` is the line's glyph height.
    """

    glyphs: tuple[Glyph, ...]
    word_ids: tuple[int, ...]
    is_mark: tuple[bool, ...]
    height: float


@dataclass(frozen=True, eq=False)
class GlyphBatch:
    """Every glyph of a page to read, flattened over its lines in reading order.

    Position ``n`` is the page's ``n``-th glyph (a piece that is no small
    mark). All arrays have one entry per glyph.

    Attributes
    ----------
    line, piece : ndarray of intp
        The glyph's line (from 0) and its index among the line's pieces.
    word : ndarray of intp
        A page-wide word number, non-decreasing with the position.
    masks : tuple of ndarray of bool
        The glyphs' ink, each cropped to its box.
    heights : ndarray of float32
        The height each glyph is measured against (its line's, or its
        group's: :func:`ocr.segment.local_heights`).
    box_heights : ndarray of intp
        The glyph's own height in pixels.
    line_heights : ndarray of float64
        Its line's glyph height.
    in_comb : ndarray of bool
        The glyph stands in a comb's cell: one digit per cell.
    alone_in_field : ndarray of bool
        Its word is all there is of its box, comb or writing line.
    """

    line: np.ndarray
    piece: np.ndarray
    word: np.ndarray
    masks: tuple[np.ndarray, ...]
    heights: np.ndarray
    box_heights: np.ndarray
    line_heights: np.ndarray
    in_comb: np.ndarray
    alone_in_field: np.ndarray

    def __len__(self) -> int:
        return len(self.word)

    def words(self, keep: np.ndarray | None = None) -> list[np.ndarray]:
        """Positions grouped by word, words in reading order (only ``keep``, if given).

        Examples
        --------
        >>> empty = np.zeros(4, bool)
        >>> batch = GlyphBatch(empty, empty, np.array([0, 0, 1, 2]), (), empty, empty,
        ...                    empty, empty, empty)
        >>> [g.tolist() for g in batch.words(np.array([True, True, False, True]))]
        [[0, 1], [3]]
        """
        positions = np.arange(len(self.word)) if keep is None else np.flatnonzero(keep)
        if positions.size == 0:
            return []
        breaks = np.flatnonzero(np.diff(self.word[positions])) + 1
        return np.split(positions, breaks)

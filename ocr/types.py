"""Result types shared by the pipeline stages.

Coordinate convention, stated once: boxes are ``(left, top, width, height)`` in
integer pixels of the page image as it was loaded (after EXIF orientation),
with the origin at the top-left corner, x to the right and y down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

REJECT = "?"
"""Label of the reject class: anything that is not a digit or a separator."""

BAR = "|"
"""Label of a plain vertical bar: ``1`` beside digits, the letter ``l`` or ``I`` beside letters."""

ROUND = "O"
"""Label of a plain oval: ``0`` beside digits, the letter ``O`` beside letters."""

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
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    def union(self, other: Box) -> Box:
        left = min(self.left, other.left)
        top = min(self.top, other.top)
        return Box(left, top, max(self.right, other.right) - left,
                   max(self.bottom, other.bottom) - top)

    @staticmethod
    def enclosing(boxes: list[Box]) -> Box:
        """Smallest box that holds all ``boxes`` (which must not be empty)."""
        out = boxes[0]
        for box in boxes[1:]:
            out = out.union(box)
        return out


@dataclass(frozen=True, slots=True)
class Glyph:
    """One recognised glyph: its box, label (a digit, a separator or REJECT)."""

    box: Box
    label: str
    confidence: float


@dataclass(frozen=True, slots=True)
class Token:
    """A run of digits with inner separators, e.g. ``1,234.50`` or ``14:30``."""

    text: str
    kind: str
    box: Box
    confidence: float


@dataclass(frozen=True, slots=True)
class Line:
    """A text line in reading order; ``number`` counts from 1 per page."""

    number: int
    box: Box
    tokens: tuple[Token, ...]


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

    @property
    def tokens(self) -> list[Token]:
        return [token for line in self.lines for token in line.tokens]

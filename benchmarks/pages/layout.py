"""Text rows of the printed pages and receipts: placement, fitting and rendering.

A page is built as :class:`RowSpec` content, placed into :class:`Row` objects
with a font and pen positions (:func:`fit_row`) and drawn into an ink
coverage canvas with the ink points of every word (:func:`render_rows`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from .fonts import FontFamily, load_font


@dataclass
class Part:
    """A separately placed piece of a row.

    Attributes
    ----------
    text : str
        Text drawn in one go (inner spaces kept).
    frac : float
        Anchor as a fraction of the text area width (0 left edge, 1 right edge).
    align : str
        ``"left"``, ``"right"`` or ``"center"`` about the anchor.
    """

    text: str
    frac: float = 0.0
    align: str = "left"


@dataclass
class RowSpec:
    """Content of one visual row before fonts are chosen.

    Attributes
    ----------
    parts : list of Part
        Pieces of the row.
    style : str
        ``"body"``, ``"bold"`` (bold more likely), ``"heading"`` (larger, bold
        more likely) or ``"total"``.
    gap : float
        Extra space before the row, in multiples of its font size.
    """

    parts: list[Part]
    style: str = "body"
    gap: float = 0.0


@dataclass
class Row:
    """A row with its font, size and pixel positions.

    Attributes
    ----------
    spec : RowSpec
        Content.
    family : FontFamily
        Font family.
    bold : bool
        Bold weight.
    size_px : int
        Font size in pixels.
    xs : list of float
        Left pen position of each part, in the order of ``spec.parts``.
    """

    spec: RowSpec
    family: FontFamily
    bold: bool
    size_px: int
    xs: list[float]

    @property
    def font(self) -> ImageFont.FreeTypeFont:
        """PIL.ImageFont.FreeTypeFont: the loaded font."""
        return load_font(self.family.path(self.bold), self.size_px)

    @property
    def text(self) -> str:
        """str: the parts, stripped, joined left to right with one space."""
        order = sorted(range(len(self.xs)), key=lambda i: self.xs[i])
        return " ".join(self.spec.parts[i].text.strip() for i in order)


def place_parts(
    spec: RowSpec, family: FontFamily, bold: bool, size_px: int, left: float, right: float
) -> list[float] | None:
    """Compute the pen positions of a row's parts, or None if they do not fit.

    Parameters
    ----------
    spec : RowSpec
        Row content.
    family : FontFamily
        Font family.
    bold : bool
        Bold weight.
    size_px : int
        Font size in pixels.
    left, right : float
        Edges of the text area in pixels.

    Returns
    -------
    list of float or None
        Left pen x of each part, or None when a part leaves the text area or
        two parts come closer than half an em.
    """
    font = load_font(family.path(bold), size_px)
    xs: list[float] = []
    spans: list[tuple[float, float]] = []
    for part in spec.parts:
        width = font.getlength(part.text)
        anchor = left + part.frac * (right - left)
        x = {"left": anchor, "right": anchor - width, "center": anchor - width / 2}[part.align]
        xs.append(x)
        spans.append((x, x + width))
    spans.sort()
    if spans[0][0] < left - 0.5 or spans[-1][1] > right + 0.5:
        return None
    min_gap = 0.5 * size_px
    for (_, a_end), (b_start, _) in zip(spans, spans[1:], strict=False):
        if b_start - a_end < min_gap:
            return None
    return xs


def fit_row(
    spec: RowSpec,
    family: FontFamily,
    bold: bool,
    size_px: int,
    left: float,
    right: float,
    min_px: int,
) -> Row:
    """Make a row fit the text area, shrinking the font or trimming words.

    Parameters
    ----------
    spec : RowSpec
        Row content.
    family : FontFamily
        Font family.
    bold : bool
        Bold weight.
    size_px : int
        Wanted font size in pixels.
    left, right : float
        Edges of the text area in pixels.
    min_px : int
        Smallest font size allowed.

    Returns
    -------
    Row
        The placed row.
    """
    size = size_px
    while True:
        xs = place_parts(spec, family, bold, size, left, right)
        if xs is not None:
            return Row(spec, family, bold, size, xs)
        if size > min_px:
            size -= 1
            continue
        # Last resort (not reached by the built-in content): drop the last
        # word of the longest part and retry at the smallest size.
        longest = max(spec.parts, key=lambda p: len(p.text))
        words = longest.text.split(" ")
        if len(words) <= 1:
            raise ValueError(f"row does not fit: {[p.text for p in spec.parts]}")
        longest.text = " ".join(words[:-1]).rstrip()


@dataclass
class InkWord:
    """Rendered word with the hull-relevant ink points.

    Attributes
    ----------
    text : str
        The word.
    pts : numpy.ndarray
        ``(n, 2)`` float array of page coordinates (x, y) of the leftmost and
        rightmost ink pixel of every ink row; they contain the convex hull,
        so they give tight bounds under any rotation.
    """

    text: str
    pts: np.ndarray


def render_word(
    canvas: np.ndarray, font: ImageFont.FreeTypeFont, word: str, x: float, y: float
) -> InkWord:
    """Draw a word into a coverage canvas and return its ink points.

    Parameters
    ----------
    canvas : numpy.ndarray
        ``uint8`` coverage image (0 paper, 255 full ink), updated in place
        with a per-pixel maximum.
    font : PIL.ImageFont.FreeTypeFont
        Font.
    word : str
        Text without spaces.
    x, y : float
        Pen position of the left end of the baseline.

    Returns
    -------
    InkWord
        The word and its extreme ink points.
    """
    bl, bt, br, bb = font.getbbox(word, anchor="ls")
    ox = math.floor(x + bl) - 2
    oy = math.floor(y + bt) - 2
    w = math.ceil(x + br) - ox + 3
    h = math.ceil(y + bb) - oy + 3
    img = Image.new("L", (w, h), 0)
    ImageDraw.Draw(img).text((x - ox, y - oy), word, font=font, fill=255, anchor="ls")
    mask = np.asarray(img)
    ch, cw = canvas.shape
    x0, y0 = max(ox, 0), max(oy, 0)
    x1, y1 = min(ox + w, cw), min(oy + h, ch)
    if x1 > x0 and y1 > y0:
        sub = mask[y0 - oy : y1 - oy, x0 - ox : x1 - ox]
        np.maximum(canvas[y0:y1, x0:x1], sub, out=canvas[y0:y1, x0:x1])
    ink = mask > 0
    rows = np.flatnonzero(ink.any(axis=1))
    if rows.size == 0:
        return InkWord(word, np.empty((0, 2)))
    sub_ink = ink[rows]
    lefts = sub_ink.argmax(axis=1)
    rights = w - 1 - sub_ink[:, ::-1].argmax(axis=1)
    pts = np.concatenate(
        [np.stack([lefts, rows], axis=1), np.stack([rights, rows], axis=1)]
    ).astype(np.float64)
    pts += (ox, oy)
    return InkWord(word, pts)


def render_rows(
    rows: Sequence[Row], baselines: Sequence[float], shape: tuple[int, int]
) -> tuple[np.ndarray, list[list[InkWord]]]:
    """Render placed rows into a coverage canvas.

    Parameters
    ----------
    rows : sequence of Row
        Placed rows.
    baselines : sequence of float
        Baseline y of each row.
    shape : tuple of int
        ``(height, width)`` of the canvas.

    Returns
    -------
    canvas : numpy.ndarray
        ``uint8`` ink coverage.
    words : list of list of InkWord
        Words of each row, left to right.
    """
    canvas = np.zeros(shape, np.uint8)
    all_words: list[list[InkWord]] = []
    for row, base in zip(rows, baselines, strict=True):
        font = row.font
        words: list[InkWord] = []
        order = sorted(range(len(row.xs)), key=lambda i: row.xs[i])
        for i in order:
            text = row.spec.parts[i].text
            for m in re.finditer(r"\S+", text):
                wx = row.xs[i] + font.getlength(text[: m.start()])
                words.append(render_word(canvas, font, m.group(), wx, base))
        all_words.append(words)
    return canvas, all_words

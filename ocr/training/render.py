"""Rendering: printed characters drawn by fonts and made to look scanned.

A renderer draws text as a coverage canvas (255 = ink) with the text's box:
:class:`FontRenderer` with a TrueType/OpenType file, :class:`DotMatrixRenderer`
as the dots of an impact or receipt printer, :class:`HersheyRenderer` with
OpenCV's vector fonts. :class:`Degrade` describes how a render is made to
look like a scan (tilt, slant, squeeze, blur, noise, faint ink, JPEG), and
:func:`sample_pieces` passes the result through the *same* binarisation and
segmentation as real pages, so that training glyphs are cut as page glyphs are.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..ink import binarise
from ..segment import find_pieces

Box = tuple[int, int, int, int]
"""A box on a canvas: left, top, width, height in pixels."""

HERSHEY_FONTS = (
    cv2.FONT_HERSHEY_SIMPLEX,
    cv2.FONT_HERSHEY_DUPLEX,
    cv2.FONT_HERSHEY_COMPLEX,
    cv2.FONT_HERSHEY_TRIPLEX,
    cv2.FONT_HERSHEY_PLAIN,
)
"""OpenCV's vector faces that draw digits: printed with every training set."""

ITALIC_SHARE = 0.2
"""Share of the font renders slanted like an italic (7 to 12 degrees)."""


class Renderer(Protocol):
    """What draws printed text for training: a font file, dot-matrix or Hershey print."""

    path: str
    """Names the renderer; its family (:func:`~ocr.training.fonts.font_family`)
    keeps it on one side of a validation split."""

    def render(self, text: str, digit_height: int) -> tuple[np.ndarray, Box, int]:
        """Coverage canvas (uint8, 255 = ink), the text's box, and the digit height."""
        ...


@dataclass(frozen=True)
class Degrade:
    """How one rendered sample is made to look scanned."""

    rotate: float
    shear: float
    blur: float
    noise: float
    ink: int
    paper: int
    jpeg: int  # quality, 0 for none
    thicken: int  # -1 thin, 0, +1 thicken
    squeeze: float = 1.0  # horizontal scale: condensed receipt and label faces

    @staticmethod
    def draw(rng: np.random.Generator, strength: float = 1.0, italic_share: float = 0.0) -> Degrade:
        """A random degradation; ``italic_share`` of them slanted like an italic.

        Parameters
        ----------
        rng : numpy.random.Generator
            Source of every random choice, drawn in a fixed order.
        strength : float
            Scales the geometric and optical degradation (1.0 as in training).
        italic_share : float
            Chance of a slant of 7 to 12 degrees to the right instead of a
            small one either way.

        Returns
        -------
        Degrade
        """
        # x' = x + shear * y with y down: a negative shear leans the top right.
        italic = italic_share > 0 and rng.random() < italic_share
        return Degrade(
            rotate=float(rng.uniform(-2.5, 2.5) * strength),
            shear=float(
                (rng.uniform(-0.22, -0.12) if italic else rng.uniform(-0.12, 0.12)) * strength
            ),
            blur=float(rng.uniform(0.0, 1.0) * strength),
            noise=float(rng.uniform(0.0, 10.0) * strength),
            ink=int(rng.integers(0, 120)),
            paper=int(rng.integers(200, 256)),
            jpeg=int(rng.integers(35, 90)) if rng.random() < 0.3 else 0,
            thicken=int(rng.choice([-1, 0, 0, 0, 1])),
            # Thermal printers and narrow label faces squeeze glyphs sideways.
            squeeze=float(1.0 - strength * rng.uniform(0.0, 0.35)) if rng.random() < 0.3 else 1.0,
        )


def _apply(
    canvas: np.ndarray, box: Box, d: Degrade, rng: np.random.Generator, height: int
) -> np.ndarray:
    """Degrade a white-on-black coverage canvas into a grayscale 'scan'."""
    ink: np.ndarray = canvas.astype(np.float32) / 255.0
    h, w = ink.shape
    cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
    matrix = cv2.getRotationMatrix2D((cx, cy), d.rotate, 1.0)
    matrix[0, 1] += d.shear
    matrix[0, 2] -= d.shear * cy
    matrix[0] *= d.squeeze
    matrix[0, 2] += (1.0 - d.squeeze) * cx
    ink = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_LINEAR)
    # Thinning a small glyph breaks its hairlines into fragments that are
    # no longer the digit: only glyphs of 24 px and more are thinned.
    if d.thicken > 0 and height >= 16 or d.thicken < 0 and height >= 24:
        kernel = np.ones((2, 2), np.uint8)
        ink = cv2.dilate(ink, kernel) if d.thicken > 0 else cv2.erode(ink, kernel)
    if d.blur > 0.05:
        ink = cv2.GaussianBlur(ink, (0, 0), d.blur * max(0.5, height / 30))
    page: np.ndarray = d.paper - (d.paper - d.ink) * ink
    page += rng.normal(0.0, d.noise, page.shape)
    page = np.clip(page, 0, 255).astype(np.uint8)
    if d.jpeg:
        ok, data = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg])
        decoded = cv2.imdecode(data, cv2.IMREAD_GRAYSCALE)
        assert decoded is not None, "a JPEG just encoded decodes"
        page = decoded
    return page


class FontRenderer:
    """Renders characters with one TrueType/OpenType font at many sizes.

    Parameters
    ----------
    path : Path or str
        The font file; also the renderer's name (``path``).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = str(path)
        self._fonts: dict[int, ImageFont.FreeTypeFont] = {}

    def _font(self, size: int) -> ImageFont.FreeTypeFont:
        # Opening a face is slow next to drawing a glyph: one per size, kept.
        if size not in self._fonts:
            self._fonts[size] = ImageFont.truetype(self.path, size)
        return self._fonts[size]

    def font_size_for(self, digit_height: int) -> int:
        """The font size (pixels per em) whose digits are ``digit_height`` pixels high.

        Parameters
        ----------
        digit_height : int
            Height in pixels from the top of the highest digit to the
            bottom of the lowest.

        Returns
        -------
        int
            The size, at least 6.
        """
        probe = self._font(100)
        left, top, right, bottom = probe.getbbox("0123456789")
        return max(6, round(100 * digit_height / max(1, bottom - top)))

    def render(self, text: str, digit_height: int) -> tuple[np.ndarray, Box, int]:
        """Draw ``text`` with its digits ``digit_height`` pixels high.

        Parameters
        ----------
        text : str
            What to draw, on one line.
        digit_height : int
            Height of the font's digits in pixels.

        Returns
        -------
        canvas : ndarray of uint8
            Coverage, 255 = ink, with a margin of ``digit_height`` around.
        box : tuple of int
            The text's box on the canvas (left, top, width, height).
        line_height : int
            The digits' measured height: what glyphs are normalised by.
        """
        font = self._font(self.font_size_for(digit_height))
        _, dtop, _, dbottom = (int(v) for v in font.getbbox("0123456789"))
        # FreeType boxes are whole pixels (Pillow types them as float).
        left, top, right, bottom = (int(v) for v in font.getbbox(text))
        pad = digit_height
        width = right - left + 2 * pad
        height = max(bottom, dbottom) - min(top, dtop) + 2 * pad
        image = Image.new("L", (max(8, width), max(8, height)), 0)
        origin = (pad - left, pad - min(top, dtop))
        ImageDraw.Draw(image).text(origin, text, fill=255, font=font)
        box = (origin[0] + left, origin[1] + top, right - left, bottom - top)
        return np.asarray(image), box, dbottom - dtop


class DotMatrixRenderer:
    """Dot-matrix print, as impact and cheap receipt printers make it.

    The text of a monospaced font is laid on a grid of ``rows`` cells per
    digit height, and every inked cell is printed as a round dot a little
    wider than the grid's pitch, so neighbouring dots touch.

    Parameters
    ----------
    path : Path or str
        A monospaced font file (:func:`~ocr.training.fonts.monospaced_faces`).
    rows : int
        Dots from the top of a digit to its bottom: 7 and 9 are common.
    """

    def __init__(self, path: Path | str, rows: int = 9) -> None:
        self.base = FontRenderer(path)
        self.rows = rows
        # Named after its font: a face and its dot-matrix print are one family
        # for validation, never one in training and the other held out.
        self.path = f"{Path(path).stem}-DotMatrix{rows}"
        # Dots overhang the outer cells: the digits' ink spans this many
        # pitches plus one dot (measured once, not per render).
        digit_rows = np.flatnonzero(self._cells("0123456789").any(axis=1))
        self._digit_span = int(digit_rows[-1] - digit_rows[0]) if digit_rows.size else rows - 1

    def _cells(self, text: str) -> np.ndarray:
        # The text rendered finely, then sampled down to the printer's grid.
        fine, _, fine_height = self.base.render(text, self.rows * 4)
        scale = self.rows / max(1, fine_height)
        return (
            cv2.resize(
                fine,
                (max(1, round(fine.shape[1] * scale)), max(1, round(fine.shape[0] * scale))),
                interpolation=cv2.INTER_AREA,
            )
            > 100
        )

    def render(self, text: str, digit_height: int) -> tuple[np.ndarray, Box, int]:
        """Print ``text`` in dots, its digits ``digit_height`` pixels high.

        Parameters
        ----------
        text : str
            What to print, on one line.
        digit_height : int
            Height in pixels of the digits' ink, outer dots included.

        Returns
        -------
        canvas : ndarray of uint8
            Coverage, 255 = ink.
        box : tuple of int
            The box of the ink (the whole canvas when there is none).
        line_height : int
            ``digit_height``.
        """
        cells = self._cells(text)
        pitch = digit_height / (self._digit_span + 1.16)
        canvas = np.zeros(
            (
                int(np.ceil((cells.shape[0] + 1) * pitch)),
                int(np.ceil((cells.shape[1] + 1) * pitch)),
            ),
            dtype=np.uint8,
        )
        radius = max(1, round(0.58 * pitch))
        for y, x in np.argwhere(cells):
            centre = (round((x + 0.5) * pitch), round((y + 0.5) * pitch))
            cv2.circle(canvas, centre, radius, 255, -1, cv2.LINE_AA)
        ys, xs = np.nonzero(canvas)
        if ys.size == 0:
            return canvas, (0, 0, canvas.shape[1], canvas.shape[0]), digit_height
        box = (int(xs.min()), int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)
        return canvas, box, digit_height


class HersheyRenderer:
    """Renders with OpenCV's built-in vector fonts: always available.

    Parameters
    ----------
    face : int
        One of :data:`HERSHEY_FONTS`.
    thickness_scale : float
        Stroke width relative to a twelfth of the digit height.
    """

    def __init__(self, face: int, thickness_scale: float = 1.0) -> None:
        self.face = face
        self.thickness_scale = thickness_scale
        self.path = f"Hershey{face}-w{thickness_scale:g}"  # one family per face

    def render(self, text: str, digit_height: int) -> tuple[np.ndarray, Box, int]:
        """Draw ``text`` with its digits ``digit_height`` pixels high.

        Parameters
        ----------
        text : str
            What to draw, on one line.
        digit_height : int
            Height of a ``0`` in pixels; the stroke is a twelfth of it,
            times the renderer's ``thickness_scale``.

        Returns
        -------
        canvas : ndarray of uint8
            Coverage, 255 = ink, with a margin of ``digit_height`` around.
        box : tuple of int
            The box of the ink.
        line_height : int
            ``digit_height``.
        """
        (_, base_h), _ = cv2.getTextSize("0", self.face, 1.0, 1)
        scale = digit_height / max(1, base_h)
        thickness = max(1, round(digit_height / 12 * self.thickness_scale))
        (w, h), baseline = cv2.getTextSize(text, self.face, scale, thickness)
        pad = digit_height
        canvas = np.zeros((h + baseline + 2 * pad, w + 2 * pad), dtype=np.uint8)
        cv2.putText(canvas, text, (pad, pad + h), self.face, scale, 255, thickness, cv2.LINE_AA)
        ys, xs = np.nonzero(canvas)
        if ys.size == 0:
            return canvas, (pad, pad, w, h), digit_height
        box = (
            int(xs.min()),
            int(ys.min()),
            int(xs.max() - xs.min() + 1),
            int(ys.max() - ys.min() + 1),
        )
        return canvas, box, digit_height


CLEAN = Degrade(rotate=0.0, shear=0.0, blur=0.0, noise=0.0, ink=0, paper=255, jpeg=0, thicken=0)
"""No degradation: black ink on white paper, as rendered."""


def sample_pieces(
    renderer: Renderer,
    text: str,
    digit_height: int,
    rng: np.random.Generator,
    strength: float = 1.0,
    degrade: Degrade | None = None,
) -> tuple[list[np.ndarray], float]:
    """Render ``text``, degrade it, and segment it like a page.

    Parameters
    ----------
    renderer : Renderer
        Draws the text.
    text : str
        One character, or a few that may touch.
    digit_height : int
        Height of the renderer's digits in pixels.
    rng : numpy.random.Generator
        Draws the degradation (unless ``degrade`` is given) and the noise.
    strength : float
        Strength of the drawn degradation (:meth:`Degrade.draw`).
    degrade : Degrade, optional
        The degradation to apply instead of a random one (:data:`CLEAN`
        for none).

    Returns
    -------
    masks : list of ndarray of bool
        Ink masks of the glyph-sized pieces found inside the text's box,
        largest first (none when nothing was drawn or found).
    line_height : float
        The line height to normalise them with.
    """
    canvas, box, line_height = renderer.render(text, digit_height)
    if canvas.max() == 0:
        return [], float(line_height)
    if degrade is None:
        # Fonts are slanted like italics too (not every family has one); the
        # dot-matrix and Hershey prints of receipts and labels stay upright.
        slants = ITALIC_SHARE if isinstance(renderer, FontRenderer) else 0.0
        degrade = Degrade.draw(rng, strength, slants)
    page = _apply(canvas, box, degrade, rng, digit_height)
    pieces = find_pieces(binarise(page))
    x0, y0, w, h = box
    margin = max(2, digit_height // 6)
    inside = [
        p
        for p in pieces
        if p.box.right > x0 - margin
        and p.box.left < x0 + w + margin
        and p.box.bottom > y0 - margin
        and p.box.top < y0 + h + margin
        and p.box.height > 0.35 * line_height
    ]
    inside.sort(key=lambda p: -p.area)
    return [p.mask for p in inside], float(line_height)

"""Generate deterministic benchmark pages with ground truth for the digit OCR.

Three sets of synthetic, scanner-degraded pages are produced, each image with a
JSON sidecar of ground truth:

``printed``
    A4 pages at 300 dpi (2480 x 3508 px, 8-bit grayscale) laid out like
    invoices and forms: a letterhead, a title, two-column meta fields
    (``Invoice 48213``, ``Date 24/11/2026``, ``Time 14:30``, ``Account
    12345678`` ...), an address block, an item table, a totals block and
    footer notes, 30-45 text lines in all, a few of them plain words without
    digits.  Every line picks its own font (regular or bold) and a size of
    8-15 pt.  Degradation: the whole page is rotated by up to 1.5 degrees,
    then Gaussian blur (sigma 0.5-1.0), an uneven paper background (a smooth
    gradient/vignette from about 200 to about 250), Gaussian noise (sigma
    3-8) and, for every odd page index, JPEG compression (quality 80-90).
``receipts``
    Thermal receipt strips at 203 dpi, 58 mm (464 px) or 80 mm (640 px)
    wide, height set by the content: shop name and address, date and time,
    receipt number, item lines with right-aligned prices, subtotal, tax,
    total, cash and change, 25-40 lines.  One monospace or sans font per
    receipt.  Degradation: faint print (ink gray 60-120 rather than 0, with
    a slight print-head banding across the strip), slight blur, uneven
    background, noise and JPEG for every odd page index.  Receipts are not
    rotated.
``forms``
    A4 portrait form pages at 300 dpi (2480 x 3508 px, white paper) with
    handwritten numbers.  Printed parts (same font pool as ``printed``): a
    title, usually ``Form NNNN`` and ``Page k of n``, an instruction line, a
    rule, field labels (``Account no.``, ``Amount``, ``Quantity``,
    ``Customer ID``, ``Phone``, ``Postcode``, ``Year``, ``Reference`` ...)
    and sometimes a footer such as ``Revision 2019``.  10-14 fields in one or
    two columns, each one number of 1-8 digits written with real handwritten
    digits: UCI optdigits 32x32 bitmaps (``optdigits-orig.tra`` and
    ``.cv``) or the 20x20 cells of OpenCV's ``digits.png``, read from
    ``--digits DIR`` (default ``../shared/data`` beside the repository) at
    generation time and never copied.  One source per page, alternating in
    pairs of pages (0-1 optdigits, 2-3 OpenCV, ...) so that each source has
    PNG and JPEG pages; digits drawn at random from the source.  Each digit
    is scaled from the softened source image to a height of 35-70 px per
    field (+-10 % per digit), rotated by up to 6 degrees and slanted with the
    number's shear (+-0.25); pen ink gray 20-90 per page (+-8 per number),
    baseline jitter +-6 % of the height, gaps of 4-30 % of the height or, in
    15 % of gaps, an overlap of up to 20 % of the digit width.  Field kinds:
    ``box`` (a 1-3 px rectangle, the number inside; in 20 % of boxes one
    digit crosses the top or bottom border), ``comb`` (one cell per digit,
    sometimes 1-3 spare cells left or right, drawn as a grid of boxes or a
    baseline with ticks; one digit centred per cell) and ``line`` (written on
    a solid or dotted line after the label).  Labels stand left of the field
    or, for boxes and combs, above it.  Degradation as ``printed``: rotation
    up to 1.5 degrees, blur, uneven background, noise, JPEG for odd pages.

Fonts are read from the Debian font packages.  The page fonts are dominated
(about 85 % of the draws with the default ``--fonts mixed``) by the families
reserved for evaluation, URW base35 (NimbusSans, NimbusRoman, NimbusMonoPS,
C059, P052, URWGothic, URWBookman, NimbusSansNarrow) and GNU FreeFont
(FreeSans, FreeSerif, FreeMono); the rest are DejaVu and Liberation.  Needed
packages::

    apt-get install fonts-urw-base35 fonts-freefont-ttf \\
        fonts-dejavu-core fonts-liberation2

A missing font file stops the script with one line naming its package.

Ground truth: for ``<stem>.png`` (or ``<stem>.jpg``) the file ``<stem>.json``
holds ``{"image": <file name>, "width": W, "height": H, "lines": [...],
"tokens": [...]}``.  Each line is one visual row of text, top to bottom:
``{"text": ..., "box": [left, top, width, height], "words": [{"text": ...,
"box": [...]}, ...], "font": ..., "size_px": ...}``.  A row may hold several
separately placed parts (a label and a right-aligned amount, table
columns); its text joins them left to right with one space, while spaces
inside a part are kept as drawn, so compare texts with whitespace collapsed.
Boxes are the tight axis-aligned bounds of the rendered ink after the page
rotation and before blur, in pixels of the saved image.  ``tokens`` lists
every numeric token in reading order: :data:`TOKEN_RE` applied to each
line's text in turn (see :func:`tokens_of`).  Letters are never glued to
digits in the generated text.  The sidecar also records the set, the seed
and the degradation parameters.

In ``forms`` sidecars a line is a printed header/footer line or one field
(its label words, then the handwritten number as one word), and lines and
words carry a ``kind`` (``printed``, ``box``, ``comb`` or ``line``).  A
handwritten number is one token, a comb field's digits included.  The extra
key ``token_info`` lists ``{"text", "box", "kind"}`` for every token,
parallel to ``tokens``; a token's box is its word's box (for handwriting,
the ink at coverage >= 0.5).

Page ``i`` uses ``numpy.random.default_rng(seed + i)``, so the same arguments
give byte-identical files (with the same versions of numpy, Pillow,
FreeType, OpenCV and the fonts).

Usage::

    python benchmarks/make_pages.py --set printed --count 20 \\
        --out /tmp/bench/printed --seed 0
    python benchmarks/make_pages.py --set receipts --count 20 \\
        --out /tmp/bench/receipts --seed 0
    python benchmarks/make_pages.py --set forms --count 20 \\
        --out /tmp/bench/forms --seed 0 --digits ../shared/data

Other benchmark scripts may import :data:`TOKEN_RE` and :func:`tokens_of`.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageFont

# The package ``pages`` sits beside this script; make it importable however
# the script is run or imported.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from pages.common import (  # noqa: E402
    A4_PX,
    PRINTED_DPI,
    TOKEN_RE,
    bounding_box,
    degrade,
    pick,
    random_digits,
    tokens_of,
)
from pages.fonts import SET_FAMILIES, FontPool, check_fonts, load_font  # noqa: E402
from pages.layout import render_word  # noqa: E402
from pages.printed import make_printed  # noqa: E402
from pages.receipts import make_receipt  # noqa: E402

__all__ = ["TOKEN_RE", "tokens_of", "generate_page", "main"]


# --------------------------------------------------------------------------
# Handwritten forms
# --------------------------------------------------------------------------

#: Default folder of the third-party digit data (``optdigits/`` and
#: ``opencv-digits/``), beside the repository; it is only read, never copied.
DEFAULT_DIGIT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
#: The two writer sources of the handwriting, in the order pages alternate.
HAND_SOURCES = ("optdigits", "opencv")
OPTDIGITS_FILES = ("optdigits/optdigits-orig.tra", "optdigits/optdigits-orig.cv")
OPENCV_FILE = "opencv-digits/digits.png"

FORM_TITLES = (
    "CUSTOMER REGISTRATION", "Order Form", "Payment Instruction", "Delivery Request",
    "Meter Reading Card", "Membership Application", "Stock Count Sheet", "Service Request",
    "Return Authorisation", "Account Details",
)
FORM_NOTES = (
    "Please write clearly in black or blue ink.",
    "Write one digit in each box.",
    "Complete all fields in capitals and digits.",
    "Incomplete forms will be returned.",
    "For office use only below the line.",
)
#: Field labels with the (min, max) length of the written number and whether
#: a leading zero may be written.
FORM_FIELDS: dict[str, tuple[int, int, bool]] = {
    "Account no.": (6, 8, True), "Amount": (1, 6, False), "Quantity": (1, 3, False),
    "Customer ID": (4, 8, False), "Phone": (7, 8, True), "Postcode": (4, 5, True),
    "Year": (4, 4, False), "Reference": (3, 8, False), "Order no.": (4, 7, False),
    "Invoice no.": (4, 7, False), "Member no.": (3, 6, False), "Branch": (2, 4, True),
    "Units": (1, 3, False), "Meter reading": (4, 7, True), "Policy no.": (5, 8, False),
    "Room": (1, 4, False), "Age": (2, 2, False), "Serial no.": (5, 8, True),
    "Batch": (2, 5, False), "Client no.": (4, 8, False), "Parcel no.": (6, 8, False),
    "Days": (1, 2, False),
}


def _read_optdigits(path: Path) -> tuple[list[np.ndarray], list[int]]:
    """Read a UCI ``optdigits-orig`` file: 32x32 bitmaps, each followed by its label."""
    images: list[np.ndarray] = []
    labels: list[int] = []
    rows: list[str] = []
    for line in path.read_text(encoding="ascii").splitlines():
        s = line.strip()
        if len(s) == 32 and set(s) <= {"0", "1"}:
            rows.append(s)
        elif len(rows) == 32 and s.isdigit():
            images.append(np.array([[c == "1" for c in r] for r in rows], np.float32))
            labels.append(int(s))
            rows = []
        elif rows:
            raise ValueError(f"{path}: bitmap of {len(rows)} rows before {line!r}")
    return images, labels


@lru_cache(maxsize=4)
def load_hand_digits(data_dir: str, source: str) -> tuple[tuple[np.ndarray, ...], ...]:
    """Load one writer source of real handwritten digits as soft ink images.

    Parameters
    ----------
    data_dir : str
        Folder holding ``optdigits/`` and ``opencv-digits/`` (read only).
    source : {"optdigits", "opencv"}
        ``optdigits``: the 2880 UCI 32x32 binary bitmaps of
        ``optdigits-orig.tra`` and ``optdigits-orig.cv``; ``opencv``: the 5000
        20x20 cells of OpenCV's ``digits.png`` (white on black).

    Returns
    -------
    tuple of tuple of numpy.ndarray
        Per class 0..9, the ``float32`` images (1 full ink, 0 paper) in file
        order.
    """
    root = Path(data_dir)
    by_class: list[list[np.ndarray]] = [[] for _ in range(10)]
    if source == "optdigits":
        for name in OPTDIGITS_FILES:
            images, labels = _read_optdigits(root / name)
            for image, label in zip(images, labels, strict=True):
                by_class[label].append(image)
    elif source == "opencv":
        sheet = cv2.imread(str(root / OPENCV_FILE), cv2.IMREAD_GRAYSCALE)
        if sheet is None or sheet.shape != (1000, 2000):
            raise ValueError(f"{root / OPENCV_FILE}: not the 2000x1000 OpenCV digit sheet")
        cells = sheet.astype(np.float32) / 255.0
        for r in range(50):
            for c in range(100):
                by_class[r // 5].append(cells[r * 20:(r + 1) * 20, c * 20:(c + 1) * 20])
    else:
        raise ValueError(f"unknown handwriting source {source!r}")
    return tuple(tuple(images) for images in by_class)


def check_hand_data(data_dir: Path) -> str | None:
    """Return a one-line reason when the handwriting data is missing, else None.

    Parameters
    ----------
    data_dir : pathlib.Path
        Folder that should hold ``optdigits/`` and ``opencv-digits/``.

    Returns
    -------
    str or None
        The missing file, or None when every file is there.
    """
    for name in (*OPTDIGITS_FILES, OPENCV_FILE):
        if not (data_dir / name).is_file():
            return f"{data_dir / name} not found"
    return None


def hand_glyph(source_image: np.ndarray, height: float, angle: float, shear: float,
               binary: bool) -> np.ndarray:
    """Scale, rotate and slant one real handwritten digit into a soft pen glyph.

    Parameters
    ----------
    source_image : numpy.ndarray
        ``float32`` digit image, 1 ink, 0 paper.
    height : float
        Ink height in pixels before rotation and slant.
    angle : float
        Rotation in degrees (counter-clockwise).
    shear : float
        Slant; positive leans the top of the digit to the right.
    binary : bool
        True for a hard 0/1 bitmap, which is softened before scaling so the
        edges do not show the source pixel staircase.

    Returns
    -------
    numpy.ndarray
        ``float32`` ink coverage 0..1, cropped to the ink.
    """
    img = cv2.GaussianBlur(source_image, (0, 0), 0.8) if binary else source_image
    ys, xs = np.nonzero(img > 0.3)
    crop = np.pad(img[ys.min():ys.max() + 1, xs.min():xs.max() + 1], 2)
    scale = height / (ys.max() - ys.min() + 1)
    big = cv2.resize(crop, (max(round(crop.shape[1] * scale), 1),
                            max(round(crop.shape[0] * scale), 1)),
                     interpolation=cv2.INTER_CUBIC)
    h, w = big.shape
    pad = int(0.3 * max(h, w)) + 4
    big = np.pad(big, pad)
    cx, cy = (w - 1) / 2 + pad, (h - 1) / 2 + pad
    rot = np.vstack([cv2.getRotationMatrix2D((cx, cy), angle, 1.0), [0, 0, 1]])
    slant = np.array([[1.0, -shear, shear * cy], [0, 1, 0], [0, 0, 1]])
    mat = (slant @ rot)[:2]
    out = cv2.warpAffine(big, mat, (big.shape[1], big.shape[0]), flags=cv2.INTER_LINEAR)
    # The soft edge of the interpolated image, sharpened to a pen-like ramp.
    cover = np.clip((out - 0.35) / 0.3, 0.0, 1.0).astype(np.float32)
    ys, xs = np.nonzero(cover > 0.02)
    return cover[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def ink_points(mask: np.ndarray, ox: float, oy: float) -> np.ndarray:
    """Leftmost and rightmost ink pixel of every ink row, in page coordinates.

    Parameters
    ----------
    mask : numpy.ndarray
        Boolean ink mask.
    ox, oy : float
        Page position of the mask's top-left pixel.

    Returns
    -------
    numpy.ndarray
        ``(n, 2)`` float array of (x, y) points (empty for no ink).
    """
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return np.empty((0, 2))
    sub = mask[rows]
    lefts = sub.argmax(axis=1)
    rights = mask.shape[1] - 1 - sub[:, ::-1].argmax(axis=1)
    pts = np.concatenate([np.stack([lefts, rows], 1), np.stack([rights, rows], 1)])
    return pts.astype(np.float64) + (ox, oy)


def _stamp(layer: np.ndarray, glyph: np.ndarray, x: float, y: float) -> np.ndarray:
    """Draw a glyph with its top-left at (x, y) by per-pixel maximum; return its ink points."""
    ox, oy = round(x), round(y)
    gh, gw = glyph.shape
    ch, cw = layer.shape
    x0, y0, x1, y1 = max(ox, 0), max(oy, 0), min(ox + gw, cw), min(oy + gh, ch)
    if x1 <= x0 or y1 <= y0:
        return np.empty((0, 2))
    sub = glyph[y0 - oy:y1 - oy, x0 - ox:x1 - ox]
    np.maximum(layer[y0:y1, x0:x1], sub, out=layer[y0:y1, x0:x1])
    return ink_points(sub >= 0.5, x0, y0)


@dataclass
class FormLine:
    """One entry of a form page's ground truth: a printed line or a field.

    Attributes
    ----------
    words : list of tuple
        ``(text, ink points, kind)`` left to right; kind is ``printed`` for
        printed words and ``box``, ``comb`` or ``line`` for a handwritten
        number.
    font : str
        Font of the printed words.
    size_px : int
        Font size of the printed words.
    kind : str
        ``printed`` for a printed line, else the field kind.
    """

    words: list[tuple[str, np.ndarray, str]]
    font: str
    size_px: int
    kind: str


def _hand_number(rng: np.random.Generator, lo: int, hi: int, lead_zero: bool) -> str:
    n = int(rng.integers(lo, hi + 1))
    return random_digits(rng, n, lead_zero and bool(rng.random() < 0.3))


def _hand_glyphs(rng: np.random.Generator, number: str, height: float,
                 digits: tuple[tuple[np.ndarray, ...], ...], binary: bool,
                 taller: int = -1) -> list[np.ndarray]:
    """Glyphs of a number in one slant; digit ``taller`` is written 25-35 % taller."""
    shear = float(rng.uniform(-0.25, 0.25))
    glyphs = []
    for i, ch in enumerate(number):
        pool = digits[int(ch)]
        src = pool[int(rng.integers(len(pool)))]
        h = height * float(rng.uniform(0.9, 1.1))
        if i == taller:
            h *= float(rng.uniform(1.25, 1.35))
        glyphs.append(hand_glyph(src, h, float(rng.uniform(-6, 6)), shear, binary))
    return glyphs


def _gaps(rng: np.random.Generator, glyphs: list[np.ndarray], height: float) -> list[float]:
    """Horizontal gap before each glyph after the first; 15 % overlap by up to 20 %."""
    gaps = []
    for g in glyphs[1:]:
        if rng.random() < 0.15:
            gaps.append(-float(rng.uniform(0.0, 0.2)) * g.shape[1])
        else:
            gaps.append(float(rng.uniform(0.04, 0.3)) * height)
    return gaps


def _write_run(layer: np.ndarray, glyphs: list[np.ndarray], gaps: list[float], x: float,
               baseline: float, height: float, rng: np.random.Generator,
               shift: dict[int, float] | None = None) -> np.ndarray:
    """Write glyphs left to right standing on a jittered baseline; return the ink points."""
    pts = []
    for i, g in enumerate(glyphs):
        if i:
            x += gaps[i - 1]
        bottom = baseline + float(rng.uniform(-0.06, 0.06)) * height
        if shift and i in shift:
            bottom += shift[i]
        pts.append(_stamp(layer, g, x, bottom - g.shape[0]))
        x += g.shape[1]
    return np.concatenate(pts)


def _dotted(canvas: np.ndarray, x0: int, x1: int, y: int, dot: int, step: int) -> None:
    for x in range(x0, x1, step):
        canvas[y - dot // 2:y - dot // 2 + dot, x:x + dot] = 255


@dataclass
class _Field:
    """A planned form field: its label, number, handwriting and size.

    Attributes
    ----------
    name, number, kind : str
        Printed label, the written digits and the field kind (``box``,
        ``comb`` or ``line``).
    h : float
        Handwriting height in pixels.
    above : bool
        Label above the field rather than on its left.
    glyphs : list of numpy.ndarray
        Soft glyph of each digit.
    gaps : list of float
        Gap before each glyph after the first (box and line fields).
    pad_l : float
        Space from the field's left edge to the first digit (box and line).
    field_w, field_h : float
        Size of the printed box, comb or writing line area.
    label_w : float
        Width reserved for a label on the left.
    lab_h : float
        Height taken by a label above the field.
    n_cells, extra : int
        Cells of a comb field and how many of them stay empty.
    cell_w : float
        Width of a comb cell.
    crossing : str or None
        ``top`` or ``bottom`` when one digit of a box crosses its border.
    taller : int
        Index of that digit (-1 when none).
    """

    name: str
    number: str
    kind: str
    h: float
    above: bool
    glyphs: list[np.ndarray]
    gaps: list[float]
    pad_l: float
    field_w: float
    field_h: float
    label_w: float
    lab_h: float
    n_cells: int = 0
    extra: int = 0
    cell_w: float = 0.0
    crossing: str | None = None
    taller: int = -1

    @property
    def need_w(self) -> float:
        """float: width of the label and the field together."""
        return self.field_w + (0.0 if self.above else self.label_w)


def _plan_field(rng: np.random.Generator, name: str, lfont: ImageFont.FreeTypeFont,
                label_w: float, digits: tuple[tuple[np.ndarray, ...], ...],
                binary: bool) -> _Field:
    """Draw the content and size of one field (nothing is drawn on the page yet)."""
    lo, hi, lead = FORM_FIELDS[name]
    number = _hand_number(rng, lo, hi, lead)
    kind = str(rng.choice(["box", "comb", "line"], p=[0.35, 0.35, 0.3]))
    h = float(rng.uniform(35, 70))
    above = kind != "line" and bool(rng.random() < 0.3)
    lab_h = 1.4 * lfont.size if above else 0.0
    if kind == "comb":
        extra = 0 if rng.random() < 0.6 else int(rng.integers(1, 4))
        n_cells = len(number) + extra
        cell_w = h * float(rng.uniform(0.9, 1.25))
        glyphs = _hand_glyphs(rng, number, h, digits, binary)
        for k, g in enumerate(glyphs):
            # A writer keeps a digit inside its cell: narrow the wide ones.
            if g.shape[1] > 0.85 * cell_w:
                s = 0.85 * cell_w / g.shape[1]
                glyphs[k] = cv2.resize(g, (max(round(g.shape[1] * s), 1),
                                           max(round(g.shape[0] * s), 1)),
                                       interpolation=cv2.INTER_AREA)
        return _Field(name, number, kind, h, above, glyphs, [], 0.0, n_cells * cell_w,
                      h * float(rng.uniform(1.3, 1.7)), label_w, lab_h, n_cells, extra, cell_w)
    crossing = None
    taller = -1
    if kind == "box" and rng.random() < 0.2:
        crossing = "top" if rng.random() < 0.5 else "bottom"
        taller = int(rng.integers(len(number)))
    glyphs = _hand_glyphs(rng, number, h, digits, binary, taller if crossing == "top" else -1)
    gaps = _gaps(rng, glyphs, h)
    run_w = sum(g.shape[1] for g in glyphs) + sum(gaps)
    pad_l = h * float(rng.uniform(0.2, 0.6))
    field_w = pad_l + run_w + h * float(rng.uniform(0.2, 2.5))
    field_h = h * float(rng.uniform(1.35, 1.8)) if kind == "box" else 1.25 * h
    if above:
        field_w = max(field_w, lfont.getlength(name))
    return _Field(name, number, kind, h, above, glyphs, gaps, pad_l, field_w, field_h, label_w,
                  lab_h, crossing=crossing, taller=taller)


def _draw_field(rng: np.random.Generator, f: _Field, x0: float, y: float,
                lfont: ImageFont.FreeTypeFont, lname: str, printed: np.ndarray,
                hand: np.ndarray, text_line: Callable[..., FormLine]
                ) -> tuple[FormLine, np.ndarray]:
    """Draw a planned field with its top-left corner at (x0, y).

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    f : _Field
        The planned field.
    x0, y : float
        Top-left corner of the field's label.
    lfont : PIL.ImageFont.FreeTypeFont
        Label font.
    lname : str
        Label font name for the ground truth.
    printed : numpy.ndarray
        ``uint8`` coverage of the printed parts (label, borders), changed in place.
    hand : numpy.ndarray
        ``float32`` coverage of the handwriting, changed in place.
    text_line : callable
        ``text_line(parts, font, baseline, font_name)`` draws printed text.

    Returns
    -------
    label : FormLine
        The printed label.
    pts : numpy.ndarray
        Ink points of the written number.
    """
    fx = x0 if f.above else x0 + f.label_w
    ftop = y + f.lab_h
    if f.above:
        lbase = y + 0.9 * lfont.size
    elif f.kind == "line":
        lbase = ftop + f.field_h
    else:
        lbase = ftop + f.field_h / 2 + 0.36 * lfont.size
    label = text_line([(f.name, x0, "left")], lfont, lbase, lname)
    t = int(rng.integers(1, 4))
    ix0, iy0 = round(fx), round(ftop)
    ix1, iy1 = round(fx + f.field_w), round(ftop + f.field_h)
    h = f.h
    if f.kind == "comb":
        grid = bool(rng.random() < 0.5)
        if grid:
            cv2.rectangle(printed, (ix0, iy0), (ix1, iy1), 255, t)
            for k in range(1, f.n_cells):
                cx = round(fx + k * f.cell_w)
                cv2.line(printed, (cx, iy0), (cx, iy1), 255, t)
        else:
            cv2.line(printed, (ix0, iy1), (ix1, iy1), 255, t)
            tick = round(f.field_h * float(rng.uniform(0.25, 0.4)))
            for k in range(f.n_cells + 1):
                cx = round(fx + k * f.cell_w)
                cv2.line(printed, (cx, iy1 - tick), (cx, iy1), 255, t)
        start = 0 if rng.random() < 0.5 else f.extra
        pts = []
        for k, g in enumerate(f.glyphs):
            cx = fx + (start + k + 0.5 + float(rng.uniform(-0.06, 0.06))) * f.cell_w
            if grid:
                gy = ftop + f.field_h / 2 + float(rng.uniform(-0.06, 0.06)) * h - g.shape[0] / 2
            else:
                gy = ftop + f.field_h - float(rng.uniform(0.05, 0.2)) * h - g.shape[0]
            pts.append(_stamp(hand, g, cx - g.shape[1] / 2, gy))
        return label, np.concatenate(pts)
    if f.kind == "box":
        cv2.rectangle(printed, (ix0, iy0), (ix1, iy1), 255, t)
        base = ftop + (f.field_h + h) / 2 + float(rng.uniform(-0.08, 0.08)) * h
        shift: dict[int, float] = {}
        if f.crossing is not None:
            g = f.glyphs[f.taller]
            over = float(rng.uniform(3, max(0.2 * h, 4)))
            if f.crossing == "top":
                shift[f.taller] = min(0.0, (ftop - over) - (base - g.shape[0]))
            else:
                shift[f.taller] = (ftop + f.field_h + over) - base
        return label, _write_run(hand, f.glyphs, f.gaps, fx + f.pad_l, base, h, rng, shift)
    if rng.random() < 0.5:
        # Digits stand clear of a dotted line, so the dots are not read as separators.
        _dotted(printed, ix0, ix1, iy1, int(rng.integers(2, 5)), int(rng.integers(8, 17)))
        base = iy1 - float(rng.uniform(0.08, 0.25)) * h
    else:
        # On a solid line a digit may touch or just cross it.
        cv2.line(printed, (ix0, iy1), (ix1, iy1), 255, t)
        base = iy1 - float(rng.uniform(-0.04, 0.2)) * h
    return label, _write_run(hand, f.glyphs, f.gaps, fx + f.pad_l, base, h, rng)


def make_form(
    rng: np.random.Generator, pool: FontPool, data_dir: Path, source: str
) -> tuple[np.ndarray, list[FormLine], dict]:
    """Build one degraded A4 form page with printed labels and handwritten numbers.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source of this page.
    pool : FontPool
        Font families of the printed parts.
    data_dir : pathlib.Path
        Folder of the real handwritten digits (read only).
    source : {"optdigits", "opencv"}
        The one writer source of the page's handwriting.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` grayscale page.
    lines : list of FormLine
        Printed lines and fields in reading order, ink points in final image
        coordinates.
    params : dict
        Degradation and handwriting parameters.
    """
    digits = load_hand_digits(str(data_dir), source)
    binary = source == "optdigits"
    width, height = A4_PX
    pt2px = PRINTED_DPI / 72.0
    printed = np.zeros((height, width), np.uint8)
    hand = np.zeros((height, width), np.float32)
    pen_ink = np.full((height, width), np.nan, np.float32)
    left = float(rng.uniform(170, 260))
    right = width - float(rng.uniform(170, 260))
    y = float(rng.uniform(170, 260))
    lines: list[FormLine] = []

    family = pool.choose(rng)
    fname = family.name

    def text_line(parts: list[tuple[str, float, str]], font: ImageFont.FreeTypeFont,
                  base: float, name: str) -> FormLine:
        words: list[tuple[str, np.ndarray, str]] = []
        for text, anchor, align in parts:
            w = font.getlength(text)
            x = {"left": anchor, "right": anchor - w}[align]
            for m in re.finditer(r"\S+", text):
                iw = render_word(printed, font, m.group(), x + font.getlength(text[:m.start()]),
                                 base)
                words.append((m.group(), iw.pts, "printed"))
        words.sort(key=lambda t: t[1][:, 0].min() if len(t[1]) else 0.0)
        return FormLine(words, name, font.size, "printed")

    # Header: title with the form number, page count and an instruction.
    tfam = pool.choose(rng)
    tbold = bool(rng.random() < 0.7)
    tfont = load_font(tfam.path(tbold), round(float(rng.uniform(16, 24)) * pt2px))
    y += tfont.size
    head = [(pick(rng, FORM_TITLES), left, "left")]
    if rng.random() < 0.85:
        head.append((f"Form {random_digits(rng, int(rng.integers(3, 6)))}", right, "right"))
    lines.append(text_line(head, tfont, y, f"{tfam.name}{'-Bold' if tbold else ''}"))
    sfont = load_font(family.path(False), round(float(rng.uniform(9, 11)) * pt2px))
    sub = []
    if rng.random() < 0.6:
        sub.append((pick(rng, FORM_NOTES), left, "left"))
    if rng.random() < 0.7:
        n_pages = int(rng.integers(2, 5))
        sub.append((f"Page {int(rng.integers(1, n_pages + 1))} of {n_pages}", right, "right"))
    if sub:
        y += 1.8 * sfont.size
        lines.append(text_line(sub, sfont, y, fname))
    y += 0.6 * sfont.size
    rule = int(rng.integers(2, 6))
    printed[round(y):round(y) + rule, round(left):round(right)] = 255
    y += float(rng.uniform(90, 140))

    # Fields, planned first (content and size), then laid out to fill the page.
    label_bold = bool(rng.random() < 0.3)
    lfont = load_font(family.path(label_bold), round(float(rng.uniform(9, 13)) * pt2px))
    lname = f"{fname}{'-Bold' if label_bold else ''}"
    n_fields = int(rng.integers(10, 15))
    names = [list(FORM_FIELDS)[k] for k in rng.permutation(len(FORM_FIELDS))[:n_fields]]
    pen = float(rng.uniform(20, 90))
    two_columns = bool(rng.random() < 0.6)
    col_w = (right - left) / 2 if two_columns else right - left
    label_w = max(lfont.getlength(n) for n in names) + float(rng.uniform(25, 60))
    fields = [_plan_field(rng, name, lfont, label_w, digits, binary) for name in names]
    rows: list[list[tuple[_Field, int]]] = []
    col = 2
    for f in fields:
        span = 1 if two_columns and f.need_w <= col_w else 2
        if col + span > 2:
            rows.append([])
            col = 0
        rows[-1].append((f, col))
        col += span
    row_hs = [max(max(f.lab_h + f.field_h, lfont.size) for f, _ in r) for r in rows]
    avail = height - float(rng.uniform(250, 350)) - y
    while len(rows) > 1 and sum(row_hs) + 60 * (len(rows) - 1) > avail:
        rows.pop()
        row_hs.pop()
    spare = (avail - sum(row_hs)) / max(len(rows) - 1, 1)
    gap = min(spare, float(rng.uniform(180, 400))) / 1.15
    for r, row_h in zip(rows, row_hs, strict=True):
        for f, c in r:
            ink = float(np.clip(pen + rng.uniform(-8, 8), 15, 95))
            label, pts = _draw_field(rng, f, left + c * col_w, y, lfont, lname, printed, hand,
                                     text_line)
            if not len(pts):
                continue
            # Pen darkness of this number wherever its ink lies.
            xs0, ys0 = pts.min(axis=0).astype(int) - 4
            xs1, ys1 = pts.max(axis=0).astype(int) + 5
            region = pen_ink[max(ys0, 0):ys1, max(xs0, 0):xs1]
            np.copyto(region, np.float32(ink), where=np.isnan(region))
            lines.append(FormLine([*label.words, (f.number, pts, f.kind)], lname, lfont.size,
                                  f.kind))
        y += row_h + gap * float(rng.uniform(0.85, 1.15))

    if rng.random() < 0.5:
        y = max(y + 60, height - float(rng.uniform(200, 260)))
        ffont = load_font(family.path(False), round(float(rng.uniform(8, 10)) * pt2px))
        foot = f"{pick(rng, ('Revision', 'Edition', 'Printed'))} {int(rng.integers(2015, 2027))}"
        lines.append(text_line([(foot, left, "left")], ffont, y, fname))

    # Page rotation, then one coverage and one ink level per pixel.
    tilt = float(rng.uniform(-1.5, 1.5))
    mat = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), tilt, 1.0)

    def rotate(a: np.ndarray) -> np.ndarray:
        return cv2.warpAffine(a, mat, (width, height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)

    printed = rotate(printed)
    hand = rotate(hand)
    pen_ink = cv2.warpAffine(np.nan_to_num(pen_ink, nan=0.0), mat, (width, height),
                             flags=cv2.INTER_NEAREST)
    for line in lines:
        line.words = [(t_, p @ mat[:, :2].T + mat[:, 2] if len(p) else p, k)
                      for t_, p, k in line.words]
    hand_cov = np.rint(hand * 255).astype(np.uint8)
    coverage = np.maximum(printed, hand_cov)
    ink = float(rng.uniform(5, 50))
    ink_map = np.where((hand_cov > printed) & (pen_ink > 0), pen_ink, np.float32(ink))
    bg_lo, bg_hi = float(rng.uniform(195, 215)), float(rng.uniform(238, 252))
    blur = float(rng.uniform(0.5, 1.0))
    noise = float(rng.uniform(3, 8))
    image = degrade(coverage, rng, ink_map.astype(np.float32), bg_lo, bg_hi, blur, noise)
    params = {"tilt_deg": tilt, "ink": ink, "pen_ink": pen, "background": [bg_lo, bg_hi],
              "blur_sigma": blur, "noise_sigma": noise, "dpi": PRINTED_DPI,
              "handwriting": source}
    return image, lines, params


# --------------------------------------------------------------------------
# Page output
# --------------------------------------------------------------------------

SETS = {"printed": make_printed, "receipts": make_receipt, "forms": make_form}


def hand_source(index: int) -> str:
    """Return the writer source of page ``index`` of the ``forms`` set.

    Pages alternate in pairs (0, 1 optdigits; 2, 3 OpenCV; ...), so that each
    source has both PNG (even) and JPEG (odd) pages.

    Parameters
    ----------
    index : int
        Page index.

    Returns
    -------
    str
        ``"optdigits"`` or ``"opencv"``.
    """
    return HAND_SOURCES[(index // 2) % 2]


def generate_page(set_name: str, index: int, seed: int, out_dir: Path, fonts: str = "mixed",
                  data_dir: Path = DEFAULT_DIGIT_DATA) -> Path:
    """Generate, degrade and save one page with its ground-truth sidecar.

    Parameters
    ----------
    set_name : {"printed", "receipts", "forms"}
        Which set.
    index : int
        Page index; the page uses ``numpy.random.default_rng(seed + index)``
        and odd indices are saved as JPEG.
    seed : int
        Base seed.
    out_dir : pathlib.Path
        Output folder (must exist).
    fonts : {"mixed", "eval", "other"}
        Font pool mode, see :class:`FontPool`.
    data_dir : pathlib.Path
        Folder of the handwritten digits, read by the ``forms`` set only.

    Returns
    -------
    pathlib.Path
        Path of the written image.
    """
    rng = np.random.default_rng(seed + index)
    pool = FontPool(SET_FAMILIES[set_name], fonts)
    if set_name == "forms":
        image, form_lines, params = make_form(rng, pool, data_dir, hand_source(index))
    else:
        image, rows, words, params = SETS[set_name](rng, pool)
    height, width = image.shape
    dpi = params["dpi"]

    stem = f"{set_name}_{index:04d}"
    pil = Image.fromarray(image)
    if index % 2:
        quality = int(rng.integers(80, 91))
        path = out_dir / f"{stem}.jpg"
        pil.save(path, format="JPEG", quality=quality, dpi=(dpi, dpi))
        params["jpeg_quality"] = quality
    else:
        path = out_dir / f"{stem}.png"
        pil.save(path, format="PNG", compress_level=3, dpi=(dpi, dpi))
        params["jpeg_quality"] = None

    lines = []
    tokens: list[str] = []
    token_info: list[dict[str, object]] = []
    if set_name == "forms":
        for line in form_lines:
            text = " ".join(t for t, _, _ in line.words)
            pts = [p for _, p, _ in line.words if len(p)]
            lines.append({
                "text": text,
                "box": bounding_box(np.concatenate(pts) if pts else np.empty((0, 2)),
                                    width, height),
                "words": [{"text": t, "box": bounding_box(p, width, height), "kind": k}
                          for t, p, k in line.words],
                "font": line.font,
                "size_px": line.size_px,
                "kind": line.kind,
            })
            for word in lines[-1]["words"]:
                for tok in tokens_of(word["text"]):
                    token_info.append({"text": tok, "box": word["box"], "kind": word["kind"]})
            tokens.extend(tokens_of(text))
        if [t["text"] for t in token_info] != tokens:
            raise AssertionError(f"{stem}: token details do not match the tokens")
    else:
        for row, row_words in zip(rows, words, strict=True):
            text = row.text
            pts = [w.pts for w in row_words if len(w.pts)]
            box = bounding_box(np.concatenate(pts) if pts else np.empty((0, 2)), width, height)
            lines.append({
                "text": text,
                "box": box,
                "words": [{"text": w.text, "box": bounding_box(w.pts, width, height)}
                          for w in row_words],
                "font": f"{row.family.name}{'-Bold' if row.bold else ''}",
                "size_px": row.size_px,
            })
            tokens.extend(tokens_of(text))
    truth: dict[str, object] = {
        "image": path.name,
        "width": width,
        "height": height,
        "lines": lines,
        "tokens": tokens,
    }
    if set_name == "forms":
        truth["token_info"] = token_info
    truth.update({
        "set": set_name,
        "seed": seed,
        "index": index,
        "degradation": {k: _rounded(v) for k, v in params.items()},
    })
    (out_dir / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return path


def _rounded(value: object) -> object:
    """Round floats (also inside lists) to 3 decimals for the sidecar."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _worker(args: tuple[str, int, int, str, str, str]) -> str:
    set_name, index, seed, out, fonts, data = args
    return str(generate_page(set_name, index, seed, Path(out), fonts, Path(data)))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    ap = argparse.ArgumentParser(
        description="Generate degraded benchmark pages with ground truth.")
    ap.add_argument("--set", required=True, choices=sorted(SETS), dest="set_name",
                    help="printed: A4 invoice/form pages; receipts: thermal receipt strips; "
                         "forms: A4 forms with handwritten numbers")
    ap.add_argument("--count", type=int, default=20, help="number of pages (default 20)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    ap.add_argument("--seed", type=int, default=0,
                    help="base seed; page i uses seed + i (default 0)")
    ap.add_argument("--fonts", choices=("mixed", "eval", "other"), default="mixed",
                    help="mixed: evaluation families dominate (default); eval: only URW "
                         "base35 and FreeFont; other: only DejaVu and Liberation")
    ap.add_argument("--digits", type=Path, default=DEFAULT_DIGIT_DATA, metavar="DIR",
                    help="folder with optdigits/ and opencv-digits/, read by --set forms "
                         f"(default {DEFAULT_DIGIT_DATA})")
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes (output does not depend on it; default 1)")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    if args.seed < 0:
        ap.error("--seed must be non-negative")

    pool = FontPool(SET_FAMILIES[args.set_name], args.fonts)
    check_fonts(pool.families)
    if args.set_name == "forms":
        missing = check_hand_data(args.digits)
        if missing:
            sys.exit(f"make_pages.py: handwritten digit data missing: {missing}")
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [(args.set_name, i, args.seed, str(args.out), args.fonts, str(args.digits))
            for i in range(args.count)]
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            for p in ex.map(_worker, jobs):
                print(p)
    else:
        for j in jobs:
            print(_worker(j))
    return 0


if __name__ == "__main__":
    sys.exit(main())

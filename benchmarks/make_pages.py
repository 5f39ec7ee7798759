"""Generate deterministic benchmark pages with ground truth for the digit OCR.

Two sets of synthetic, scanner-degraded pages are produced, each image with a
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

Page ``i`` uses ``numpy.random.default_rng(seed + i)``, so the same arguments
give byte-identical files (with the same versions of numpy, Pillow,
FreeType, OpenCV and the fonts).

Usage::

    python benchmarks/make_pages.py --set printed --count 20 \\
        --out /tmp/bench/printed --seed 0
    python benchmarks/make_pages.py --set receipts --count 20 \\
        --out /tmp/bench/receipts --seed 0

Other benchmark scripts may import :data:`TOKEN_RE` and :func:`tokens_of`.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

__all__ = ["TOKEN_RE", "tokens_of", "generate_page", "main"]

#: A numeric token: a maximal run of digits with inner separators ``. , : / -``.
TOKEN_RE = re.compile(r"\d+(?:[.,:/-]\d+)*", re.ASCII)


def tokens_of(text: str) -> list[str]:
    """Return the numeric tokens of a text, left to right.

    Parameters
    ----------
    text : str
        One line of text.

    Returns
    -------
    list of str
        Every maximal match of :data:`TOKEN_RE`, e.g. ``"Total 1,234.50"``
        gives ``["1,234.50"]`` and ``"Qty 3  Unit 4.99"`` gives
        ``["3", "4.99"]``.
    """
    return TOKEN_RE.findall(text)


# --------------------------------------------------------------------------
# Fonts
# --------------------------------------------------------------------------

_URW = "/usr/share/fonts/opentype/urw-base35"
_FREE = "/usr/share/fonts/truetype/freefont"
_DEJAVU = "/usr/share/fonts/truetype/dejavu"
_LIB = "/usr/share/fonts/truetype/liberation2"


@dataclass(frozen=True)
class FontFamily:
    """One font family in a regular and a bold weight.

    Attributes
    ----------
    name : str
        Family name recorded in the ground truth.
    regular, bold : str
        Paths of the font files.
    package : str
        Debian package that provides the files.
    evaluation : bool
        True for the families reserved for evaluation (URW base35, FreeFont).
    mono : bool
        True for monospace families.
    """

    name: str
    regular: str
    bold: str
    package: str
    evaluation: bool
    mono: bool

    def path(self, bold: bool) -> str:
        """Return the file of the requested weight.

        Parameters
        ----------
        bold : bool
            Whether the bold weight is wanted.

        Returns
        -------
        str
            Path of the font file.
        """
        return self.bold if bold else self.regular


def _urw(name: str, regular: str, bold: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name, f"{_URW}/{name}-{regular}.otf", f"{_URW}/{name}-{bold}.otf",
        "fonts-urw-base35", True, mono,
    )


def _free(name: str, bold_suffix: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name, f"{_FREE}/{name}.ttf", f"{_FREE}/{name}{bold_suffix}.ttf",
        "fonts-freefont-ttf", True, mono,
    )


def _dejavu(name: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name, f"{_DEJAVU}/{name}.ttf", f"{_DEJAVU}/{name}-Bold.ttf",
        "fonts-dejavu-core", False, mono,
    )


def _lib(name: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name, f"{_LIB}/{name}-Regular.ttf", f"{_LIB}/{name}-Bold.ttf",
        "fonts-liberation2", False, mono,
    )


#: Every family the generator knows, by name.
FAMILIES: dict[str, FontFamily] = {
    f.name: f
    for f in (
        _urw("NimbusSans", "Regular", "Bold"),
        _urw("NimbusRoman", "Regular", "Bold"),
        _urw("NimbusMonoPS", "Regular", "Bold", mono=True),
        _urw("C059", "Roman", "Bold"),
        _urw("P052", "Roman", "Bold"),
        _urw("URWGothic", "Book", "Demi"),
        _urw("URWBookman", "Light", "Demi"),
        _urw("NimbusSansNarrow", "Regular", "Bold"),
        _free("FreeSans", "Bold"),
        _free("FreeSerif", "Bold"),
        _free("FreeMono", "Bold", mono=True),
        _dejavu("DejaVuSans"),
        _dejavu("DejaVuSerif"),
        _dejavu("DejaVuSansMono", mono=True),
        _lib("LiberationSans"),
        _lib("LiberationSerif"),
        _lib("LiberationMono", mono=True),
    )
}

#: Families drawn for each set.
SET_FAMILIES: dict[str, tuple[str, ...]] = {
    "printed": tuple(FAMILIES),
    "receipts": (
        "NimbusMonoPS", "FreeMono", "NimbusSans", "NimbusSansNarrow", "FreeSans",
        "DejaVuSansMono", "LiberationMono", "DejaVuSans", "LiberationSans",
    ),
}

#: Share of the font draws that go to the evaluation families with ``--fonts mixed``.
EVAL_SHARE = 0.85


class FontPool:
    """Weighted random choice of font families.

    Parameters
    ----------
    names : sequence of str
        Family names (keys of :data:`FAMILIES`).
    mode : {"mixed", "eval", "other"}
        ``mixed`` gives the evaluation families :data:`EVAL_SHARE` of the
        draws; ``eval`` and ``other`` keep only the evaluation families or
        only the others.
    """

    def __init__(self, names: Sequence[str], mode: str = "mixed") -> None:
        fams = [FAMILIES[n] for n in names]
        if mode == "eval":
            fams = [f for f in fams if f.evaluation]
        elif mode == "other":
            fams = [f for f in fams if not f.evaluation]
        elif mode != "mixed":
            raise ValueError(f"unknown font mode {mode!r}")
        n_eval = sum(f.evaluation for f in fams)
        n_other = len(fams) - n_eval
        weights = []
        for f in fams:
            if n_eval and n_other:
                w = EVAL_SHARE / n_eval if f.evaluation else (1 - EVAL_SHARE) / n_other
            else:
                w = 1.0 / len(fams)
            weights.append(w)
        self.families = fams
        self.weights = np.asarray(weights) / np.sum(weights)

    def choose(self, rng: np.random.Generator, mono: bool | None = None) -> FontFamily:
        """Draw one family.

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.
        mono : bool or None
            Restrict the draw to monospace (True) or proportional (False)
            families, when the pool has any; None draws from all.

        Returns
        -------
        FontFamily
            The chosen family.
        """
        idx = np.arange(len(self.families))
        if mono is not None:
            keep = np.array([f.mono == mono for f in self.families])
            if keep.any():
                idx = idx[keep]
        w = self.weights[idx] / self.weights[idx].sum()
        return self.families[int(rng.choice(idx, p=w))]


def check_fonts(families: Sequence[FontFamily]) -> None:
    """Exit with one line naming the Debian packages of missing font files.

    Parameters
    ----------
    families : sequence of FontFamily
        Families whose files must exist.
    """
    missing = [
        (p, f.package) for f in families for p in (f.regular, f.bold) if not Path(p).is_file()
    ]
    if missing:
        pkgs = " ".join(sorted({pkg for _, pkg in missing}))
        sys.exit(
            f"make_pages.py: font file {missing[0][0]} not found "
            f"({len(missing)} missing); install the Debian package(s): "
            f"apt-get install {pkgs}"
        )


@lru_cache(maxsize=512)
def load_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    """Load a font at a pixel size with Pillow's basic layout (cached).

    Parameters
    ----------
    path : str
        Font file.
    size_px : int
        Em size in pixels.

    Returns
    -------
    PIL.ImageFont.FreeTypeFont
        The font.
    """
    return ImageFont.truetype(path, size_px, layout_engine=ImageFont.Layout.BASIC)


# --------------------------------------------------------------------------
# Layout model
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Rendering and degradation
# --------------------------------------------------------------------------


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


def bounding_box(pts: np.ndarray, width: int, height: int) -> list[int]:
    """Axis-aligned pixel box ``[left, top, width, height]`` of points, clipped.

    Parameters
    ----------
    pts : numpy.ndarray
        ``(n, 2)`` pixel-centre coordinates.
    width, height : int
        Image size for clipping.

    Returns
    -------
    list of int
        The box; ``[0, 0, 0, 0]`` for no points.
    """
    if len(pts) == 0:
        return [0, 0, 0, 0]
    x0 = max(int(math.floor(pts[:, 0].min())), 0)
    y0 = max(int(math.floor(pts[:, 1].min())), 0)
    x1 = min(int(math.ceil(pts[:, 0].max())), width - 1)
    y1 = min(int(math.ceil(pts[:, 1].max())), height - 1)
    return [x0, y0, max(x1 - x0 + 1, 0), max(y1 - y0 + 1, 0)]


def smooth_background(
    rng: np.random.Generator, height: int, width: int, lo: float, hi: float
) -> np.ndarray:
    """Uneven paper brightness: gradient, vignette and blotches.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    height, width : int
        Image size.
    lo, hi : float
        Darkest and brightest background gray.

    Returns
    -------
    numpy.ndarray
        ``float32`` image with values from ``lo`` to ``hi``.
    """
    sh, sw = max(height // 16, 4), max(width // 16, 4)
    yy, xx = np.mgrid[0:sh, 0:sw].astype(np.float64)
    yy /= sh - 1
    xx /= sw - 1
    ang = rng.uniform(0, 2 * np.pi)
    linear = np.cos(ang) * xx + np.sin(ang) * yy
    cx, cy = rng.uniform(0.2, 0.8, size=2)
    vignette = -((xx - cx) ** 2 + (yy - cy) ** 2)
    blotch = cv2.resize(rng.standard_normal((4, 4)), (sw, sh), interpolation=cv2.INTER_CUBIC)
    wl, wv, wb = rng.uniform(0.2, 1.0, size=3)
    field = wl * linear + wv * 2.0 * vignette + wb * 0.15 * blotch
    field = (field - field.min()) / max(field.max() - field.min(), 1e-9)
    small = (lo + (hi - lo) * field).astype(np.float32)
    return cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR)


def degrade(
    coverage: np.ndarray,
    rng: np.random.Generator,
    ink: float | np.ndarray,
    bg_lo: float,
    bg_hi: float,
    blur_sigma: float,
    noise_sigma: float,
) -> np.ndarray:
    """Turn an ink coverage canvas into a degraded 8-bit scan.

    Parameters
    ----------
    coverage : numpy.ndarray
        ``uint8`` ink coverage (255 full ink).
    rng : numpy.random.Generator
        Random source.
    ink : float or numpy.ndarray
        Ink gray level, scalar or broadcastable to the image.
    bg_lo, bg_hi : float
        Range of the uneven background.
    blur_sigma : float
        Gaussian blur sigma in pixels.
    noise_sigma : float
        Gaussian noise sigma in gray levels.

    Returns
    -------
    numpy.ndarray
        ``uint8`` grayscale image.
    """
    h, w = coverage.shape
    bg = smooth_background(rng, h, w, bg_lo, bg_hi)
    alpha = coverage.astype(np.float32) * np.float32(1 / 255)
    img = bg - (bg - np.asarray(ink, np.float32)) * alpha
    img = cv2.GaussianBlur(img, (0, 0), blur_sigma)
    img += rng.standard_normal(img.shape, dtype=np.float32) * np.float32(noise_sigma)
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


# --------------------------------------------------------------------------
# Random content helpers
# --------------------------------------------------------------------------

COMPANIES = (
    "Acme Supplies Ltd", "Northwind Traders", "Blue River Office", "Harbor and Sons",
    "Greenfield Hardware", "Summit Logistics", "Oakwood Furniture", "Brightline Printing",
    "Cedar Valley Farms", "Pioneer Electric", "Silverline Foods", "Maple Street Books",
)
STREETS = (
    "Market Street", "Oak Avenue", "Station Road", "High Street", "Mill Lane", "Park Road",
    "Church Street", "River View", "King Street", "Elm Drive", "Harbour Way", "Bridge Road",
)
CITIES = (
    "Springfield", "Riverside", "Fairview", "Georgetown", "Madison", "Ashford", "Kingston",
    "Clinton", "Salem", "Greenville", "Bristol", "Dover",
)
PEOPLE = (
    "Jane Miller", "Robert Chen", "Maria Garcia", "David Smith", "Anna Novak", "Tom Becker",
    "Laura Rossi", "Peter Hansen", "Emma Wilson", "Lucas Martin", "Sofia Costa", "Omar Haddad",
)
ITEMS = (
    "Copy paper ream", "Toner cartridge", "Stapler heavy duty", "Office chair", "Desk lamp",
    "USB cable", "Notebook ruled", "Ballpoint pens blue", "Filing cabinet", "Monitor stand",
    "Label printer", "Shipping boxes", "Packing tape", "Whiteboard markers", "Envelopes large",
    "Printer service", "Delivery charge", "Installation labour", "Cleaning supplies",
    "Coffee beans", "Paper towels", "Extension lead", "Wireless mouse", "Keyboard",
)
TITLES = (
    "INVOICE", "Invoice", "Delivery Note", "Purchase Order", "Statement of Account",
    "Order Confirmation", "Credit Note", "Remittance Advice", "Quotation",
)
NOTES = (
    "Thank you for your business",
    "Payment terms and conditions apply",
    "Please include the invoice number with your payment",
    "Goods remain our property until paid in full",
    "Questions about this invoice should be sent to our accounts team",
    "Authorized signature",
    "Bank details for transfer",
    "Terms and conditions overleaf",
    "Customer copy",
    "Returns are accepted with the original receipt",
    "All prices include delivery unless stated otherwise",
    "Please check the goods on arrival",
)
SHOPS = (
    "FRESH MART", "CORNER GROCERY", "CITY PHARMACY", "BEAN AND LEAF CAFE", "QUICKSTOP",
    "GREEN VALLEY MARKET", "ROSE BAKERY", "HARDWARE PLUS", "SUNRISE DELI", "BOOK NOOK",
)
RECEIPT_ITEMS = (
    "WHOLE MILK", "BREAD", "EGGS 12 PACK", "BUTTER", "APPLES", "BANANAS", "CHEDDAR",
    "COFFEE", "ORANGE JUICE", "PASTA", "TOMATOES", "RICE 2 KG", "YOGURT", "CHOCOLATE",
    "SHAMPOO", "TOOTHPASTE", "BATTERIES", "NEWSPAPER", "WATER 6 PACK", "CROISSANT",
    "Latte", "Muffin", "Sandwich", "Green tea", "Soup of the day", "Screws 50 pcs",
    "Light bulb", "Paint brush", "Notebook", "Pens 3 pack",
)
CASHIERS = ("Anna", "Ben", "Carla", "Dev", "Eva", "Finn", "Grace", "Hugo")


def _digits(rng: np.random.Generator, n: int, lead_zero: bool = False) -> str:
    first = "0123456789" if lead_zero else "123456789"
    s = first[int(rng.integers(len(first)))]
    return s + "".join(str(int(d)) for d in rng.integers(0, 10, size=n - 1))


def _money(cents: int, european: bool) -> str:
    whole, frac = divmod(int(cents), 100)
    s = f"{whole:,}.{frac:02d}"
    if european:
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def _date(rng: np.random.Generator, iso: bool) -> str:
    y, m, d = int(rng.integers(2019, 2031)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    return f"{y:04d}-{m:02d}-{d:02d}" if iso else f"{d:02d}/{m:02d}/{y:04d}"


def _phone(rng: np.random.Generator) -> str:
    k = int(rng.integers(3))
    if k == 0:
        return f"555-{_digits(rng, 4, True)}"
    if k == 1:
        return f"555-{_digits(rng, 3)}-{_digits(rng, 4, True)}"
    return f"({_digits(rng, 3)}) {_digits(rng, 3)}-{_digits(rng, 4, True)}"


def _pick(rng: np.random.Generator, seq: Sequence[str]) -> str:
    return seq[int(rng.integers(len(seq)))]


# --------------------------------------------------------------------------
# Printed (invoice/form) pages
# --------------------------------------------------------------------------

PRINTED_DPI = 300
A4_PX = (2480, 3508)


def _printed_specs(rng: np.random.Generator, n_lines: int) -> list[RowSpec]:
    """Content rows of an invoice-like page with exactly ``n_lines`` rows."""
    eu = bool(rng.random() < 0.15)
    cur = _pick(rng, ("", "", "$", "EUR "))

    def money(c: int) -> str:
        return cur + _money(c, eu)

    head: list[RowSpec] = []
    hx = float(rng.choice([0.0, 0.5, 1.0]))
    halign = {0.0: "left", 0.5: "center", 1.0: "right"}[hx]
    head.append(RowSpec([Part(_pick(rng, COMPANIES), hx, halign)], "heading"))
    head.append(RowSpec([Part(f"{int(rng.integers(1, 400))} {_pick(rng, STREETS)}", hx, halign)]))
    head.append(RowSpec([Part(f"{_pick(rng, CITIES)} {_digits(rng, 5)}", hx, halign)]))
    phone = f"Phone {_phone(rng)}"
    if rng.random() < 0.5 and hx != 0.5:
        head.append(RowSpec([Part(phone, hx, halign)]))
        head.append(RowSpec([Part(f"Fax {_phone(rng)}", hx, halign)]))
    else:
        head.append(RowSpec([Part(phone, hx, halign)]))
    title = RowSpec([Part(_pick(rng, TITLES), 0.0 if rng.random() < 0.6 else 0.5,
                          "left")], "heading", gap=1.0)
    if title.parts[0].frac == 0.5:
        title.parts[0].align = "center"

    inv = _digits(rng, int(rng.integers(4, 7)))
    meta_pool = [
        _pick(rng, (f"Invoice {inv}", f"Invoice No. {inv}", f"Invoice #{inv}")),
        f"Date {_date(rng, bool(rng.random() < 0.5))}",
        f"Time {int(rng.integers(7, 20)):02d}:{int(rng.integers(0, 60)):02d}",
        f"Account {_digits(rng, int(rng.integers(6, 11)))}",
        f"Customer ID {_digits(rng, 6)}",
        f"Due date {_date(rng, bool(rng.random() < 0.5))}",
        f"Order {_digits(rng, 5)}",
        f"Reference {int(rng.integers(2019, 2031))}/{_digits(rng, 5, True)}",
        "Page 1 of 1",
    ]
    order = rng.permutation(len(meta_pool))
    n_meta_items = int(rng.integers(4, 9))
    items = [meta_pool[i] for i in order[:n_meta_items]]
    meta: list[RowSpec] = []
    right_frac, right_align = (0.55, "left") if rng.random() < 0.5 else (1.0, "right")
    i = 0
    while i < len(items):
        if i + 1 < len(items) and rng.random() < 0.7:
            meta.append(RowSpec([Part(items[i]), Part(items[i + 1], right_frac, right_align)]))
            i += 2
        else:
            meta.append(RowSpec([Part(items[i])]))
            i += 1
    meta[0].gap = 0.6

    bill: list[RowSpec] = [RowSpec([Part("Bill to")], "bold", gap=0.8)]
    two = bool(rng.random() < 0.5)
    if two:
        bill[0].parts.append(Part("Ship to", 0.55, "left"))
    addr = [
        _pick(rng, PEOPLE),
        f"{int(rng.integers(1, 400))} {_pick(rng, STREETS)}",
        f"{_pick(rng, CITIES)} {_digits(rng, 5)}",
    ]
    addr2 = [
        _pick(rng, PEOPLE),
        f"{int(rng.integers(1, 400))} {_pick(rng, STREETS)}",
        f"{_pick(rng, CITIES)} {_digits(rng, 5)}",
    ]
    for a, b in zip(addr, addr2, strict=True):
        parts = [Part(a)] + ([Part(b, 0.55, "left")] if two else [])
        bill.append(RowSpec(parts))

    vat = int(rng.choice([5, 7, 10, 19, 20]))
    totals_kind = int(rng.integers(3))
    footer_pool = [RowSpec([Part(_pick(rng, NOTES))]) for _ in range(3)]
    footer_pool.append(RowSpec([Part(f"Payment due within {int(rng.choice([7, 14, 30]))} days")]))
    footer_pool.append(RowSpec([Part(f"Account {_digits(rng, int(rng.integers(6, 11)))}"),
                                Part(f"Sort code {_digits(rng, 2, True)}-{_digits(rng, 2, True)}-"
                                     f"{_digits(rng, 2, True)}", 0.55, "left")]))
    footer_pool.append(RowSpec([Part(f"Phone {_phone(rng)}")]))
    footer_pool = [footer_pool[k] for k in rng.permutation(len(footer_pool))]
    n_footer = int(rng.integers(2, len(footer_pool) + 1))
    footer = footer_pool[:n_footer]

    n_totals = 3 + (totals_kind > 0) + (totals_kind > 1) * 2
    fixed = len(head) + 1 + len(meta) + len(bill) + 1 + n_totals + len(footer)
    while n_lines - fixed < 2 and footer:
        footer.pop()
        fixed -= 1
    while n_lines - fixed < 2 and len(meta) > 1:
        meta.pop()
        fixed -= 1
    n_items = n_lines - fixed
    if footer:
        footer[0].gap = 0.8

    table_style = int(rng.integers(3))
    table: list[RowSpec] = []
    if table_style == 0:
        table.append(RowSpec([Part("Description"), Part("Qty", 0.58, "right"),
                              Part("Unit price", 0.78, "right"), Part("Amount", 1.0, "right")],
                             "bold", gap=0.8))
    elif table_style == 1:
        table.append(RowSpec([Part("Item"), Part("Details", 1.0, "right")], "bold", gap=0.8))
    else:
        table.append(RowSpec([Part("Code  Description"), Part("Qty", 0.7, "right"),
                              Part("Amount", 1.0, "right")], "bold", gap=0.8))
    subtotal = 0
    for _ in range(n_items):
        desc = _pick(rng, ITEMS)
        qty = int(rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 24]))
        unit = int(rng.choice([rng.integers(50, 2000), rng.integers(1000, 50000)]))
        amount = qty * unit
        subtotal += amount
        if table_style == 0:
            parts = [Part(desc), Part(str(qty), 0.58, "right"), Part(money(unit), 0.78, "right"),
                     Part(money(amount), 1.0, "right")]
        elif table_style == 1:
            parts = [Part(desc), Part(f"Qty {qty}  Unit {money(unit)}  Amount {money(amount)}",
                                      1.0, "right")]
        else:
            parts = [Part(f"{_digits(rng, int(rng.integers(4, 7)))}  {desc}"),
                     Part(str(qty), 0.7, "right"), Part(money(amount), 1.0, "right")]
        table.append(RowSpec(parts))

    totals: list[RowSpec] = []
    discount = int(round(subtotal * 0.05)) if totals_kind > 1 else 0
    shipping = int(rng.integers(0, 3000)) if totals_kind > 0 else 0
    net = subtotal - discount + shipping
    tax = int(round(net * vat / 100))
    total = net + tax
    lab = 0.5 if rng.random() < 0.5 else 0.6
    totals.append(RowSpec([Part("Subtotal", lab), Part(money(subtotal), 1.0, "right")], gap=0.6))
    if totals_kind > 1:
        totals.append(RowSpec([Part("Discount 5%", lab), Part(money(discount), 1.0, "right")]))
    if totals_kind > 0:
        totals.append(RowSpec([Part("Shipping", lab), Part(money(shipping), 1.0, "right")]))
    totals.append(RowSpec([Part(f"VAT {vat}%", lab), Part(money(tax), 1.0, "right")]))
    totals.append(RowSpec([Part(_pick(rng, ("Total", "Total due", "Amount due")), lab),
                           Part(money(total), 1.0, "right")], "total"))
    if totals_kind > 1:
        totals.append(RowSpec([Part("Amount paid", lab), Part(money(0), 1.0, "right")]))

    rows = head + [title] + meta + bill + table + totals + footer
    assert len(rows) == n_lines, (len(rows), n_lines)
    return rows


def _choose_bold(rng: np.random.Generator, style: str) -> bool:
    """Draw the bold flag for a row style."""
    p = {"heading": 0.7, "bold": 0.6, "total": 0.6}.get(style, 0.15)
    return bool(rng.random() < p)


def make_printed(
    rng: np.random.Generator, pool: FontPool
) -> tuple[np.ndarray, list[Row], list[list[InkWord]], dict]:
    """Build one degraded invoice-like A4 page.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source of this page.
    pool : FontPool
        Font families to draw from.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` grayscale page.
    rows : list of Row
        Placed rows.
    words : list of list of InkWord
        Word ink points in final image coordinates.
    params : dict
        Degradation parameters.
    """
    width, height = A4_PX
    pt2px = PRINTED_DPI / 72.0
    min_px = math.ceil(8 * pt2px)
    n_lines = int(rng.integers(30, 46))
    specs = _printed_specs(rng, n_lines)
    left = float(rng.uniform(150, 300))
    right = width - float(rng.uniform(150, 300))
    top = float(rng.uniform(150, 280))
    bottom_margin = float(rng.uniform(150, 250))
    leading = float(rng.uniform(1.3, 1.7))

    rows: list[Row] = []
    for spec in specs:
        family = pool.choose(rng)
        bold = _choose_bold(rng, spec.style)
        lo_pt = 12.0 if spec.style == "heading" else 8.0
        pt = float(rng.uniform(lo_pt, 15.0))
        rows.append(fit_row(spec, family, bold, max(min_px, round(pt * pt2px)), left, right,
                            min_px))
    leads = [leading * float(rng.uniform(0.95, 1.05)) for _ in rows]

    avail = height - top - bottom_margin
    for _ in range(20):
        sizes = [r.size_px for r in rows]
        mx = [max(sizes[max(i - 1, 0)], sizes[i]) for i in range(len(rows))]
        pitches = [0.8 * sizes[0]] + [leads[i] * mx[i] + rows[i].spec.gap * sizes[i]
                                      for i in range(1, len(rows))]
        need = sum(pitches) + 0.3 * sizes[-1]
        if need <= avail:
            break
        min_need = 0.8 * sizes[0] + sum(1.2 * m for m in mx[1:]) + 0.3 * sizes[-1]
        if min_need <= avail:
            # Squeeze the spacing, never below 1.2 lines.
            k = (avail - min_need) / max(need - min_need, 1e-9)
            pitches = [pitches[0]] + [1.2 * mx[i] + k * (pitches[i] - 1.2 * mx[i])
                                      for i in range(1, len(rows))]
            break
        scale = avail / min_need
        rows = [fit_row(r.spec, r.family, r.bold, max(min_px, int(r.size_px * scale)),
                        left, right, min_px) for r in rows]
    baselines = list(np.cumsum(pitches) + top)

    coverage, words = render_rows(rows, baselines, (height, width))

    tilt = float(rng.uniform(-1.5, 1.5))
    mat = cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), tilt, 1.0)
    coverage = cv2.warpAffine(coverage, mat, (width, height), flags=cv2.INTER_LINEAR,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=0)
    for row_words in words:
        for w in row_words:
            if len(w.pts):
                w.pts = w.pts @ mat[:, :2].T + mat[:, 2]

    ink = float(rng.uniform(5, 50))
    bg_lo, bg_hi = float(rng.uniform(195, 215)), float(rng.uniform(238, 252))
    blur = float(rng.uniform(0.5, 1.0))
    noise = float(rng.uniform(3, 8))
    image = degrade(coverage, rng, ink, bg_lo, bg_hi, blur, noise)
    params = {"tilt_deg": tilt, "ink": ink, "background": [bg_lo, bg_hi], "blur_sigma": blur,
              "noise_sigma": noise, "dpi": PRINTED_DPI}
    return image, rows, words, params


# --------------------------------------------------------------------------
# Receipts
# --------------------------------------------------------------------------

RECEIPT_DPI = 203
#: Paper width and printable width in pixels for 58 mm and 80 mm rolls.
RECEIPT_WIDTHS = {58: (464, 384), 80: (640, 576)}


def _receipt_specs(rng: np.random.Generator, n_lines: int, sep_char: str) -> list[RowSpec]:
    """Content rows of a till receipt with exactly ``n_lines`` rows.

    Separator rows hold a placeholder part ``"\\0"`` that is widened to the
    text area when the font is known.
    """
    sep = RowSpec([Part("\0" + sep_char, 0.0)])
    c = Part  # short alias

    head = [
        RowSpec([c(_pick(rng, SHOPS), 0.5, "center")], "heading"),
        RowSpec([c(f"{int(rng.integers(1, 400))} {_pick(rng, STREETS)}", 0.5, "center")]),
        RowSpec([c(f"{_pick(rng, CITIES)} {_digits(rng, 5)}", 0.5, "center")]),
        RowSpec([c(f"Tel {_phone(rng)}", 0.5, "center")]),
    ]
    if rng.random() < 0.5:
        head.append(RowSpec([c(f"VAT No {_digits(rng, 9)}", 0.5, "center")]))
    date = _date(rng, False)
    clock = (f"{int(rng.integers(6, 23)):02d}:{int(rng.integers(0, 60)):02d}:"
             f"{int(rng.integers(0, 60)):02d}")
    meta = [RowSpec([Part(sep.parts[0].text)])]
    if rng.random() < 0.5:
        meta.append(RowSpec([c(date), c(clock, 1.0, "right")]))
    else:
        meta.append(RowSpec([c(f"Date {date}")]))
        meta.append(RowSpec([c(f"Time {clock}")]))
    meta.append(RowSpec([c(f"Receipt {_digits(rng, 6, True)}"),
                         c(f"Till {int(rng.integers(1, 9))}", 1.0, "right")]))
    if rng.random() < 0.5:
        meta.append(RowSpec([c(f"Cashier {_pick(rng, CASHIERS)}")]))
    meta.append(RowSpec([Part(sep.parts[0].text)]))

    tax_rate = int(rng.choice([5, 7, 8, 10, 19, 20]))
    foot_pool = [
        RowSpec([c("Thank you for shopping", 0.5, "center")]),
        RowSpec([c("Please keep your receipt", 0.5, "center")]),
        RowSpec([c(f"Open daily {int(rng.integers(6, 10))}:00-{int(rng.integers(18, 23))}:00",
                   0.5, "center")]),
    ]
    footer = [foot_pool[k] for k in rng.permutation(3)[: int(rng.integers(1, 4))]]
    pay_card = bool(rng.random() < 0.3)
    n_totals = 3 + 2 + 1 + 1  # subtotal, tax, total, cash/card + change, sep, item count
    if pay_card:
        n_totals -= 1
    fixed = len(head) + len(meta) + n_totals + len(footer)
    budget = n_lines - fixed
    while budget < 3 and footer:
        footer.pop()
        budget += 1

    items: list[RowSpec] = []
    subtotal = 0
    count = 0
    while budget > 0:
        name = _pick(rng, RECEIPT_ITEMS)
        code = f" {_pick(rng, ('A', 'B'))}" if rng.random() < 0.3 else ""
        unit = int(rng.integers(25, 2500))
        if budget >= 2 and rng.random() < 0.25:
            qty = int(rng.integers(2, 7))
            items.append(RowSpec([c(name)]))
            items.append(RowSpec([c(f"  {qty} x {_money(unit, False)}"),
                                  c(_money(qty * unit, False) + code, 1.0, "right")]))
            budget -= 2
        else:
            qty = 1
            items.append(RowSpec([c(name), c(_money(unit, False) + code, 1.0, "right")]))
            budget -= 1
        subtotal += qty * unit
        count += qty
    tax = int(round(subtotal * tax_rate / (100 + tax_rate)))
    totals = [
        RowSpec([Part(sep.parts[0].text)]),
        RowSpec([c("Subtotal"), c(_money(subtotal, False), 1.0, "right")]),
        RowSpec([c(f"Tax {tax_rate}% incl"), c(_money(tax, False), 1.0, "right")]),
        RowSpec([c("TOTAL"), c(_money(subtotal, False), 1.0, "right")], "total"),
    ]
    if pay_card:
        totals.append(RowSpec([c(f"Card {_digits(rng, 4, True)}"),
                               c(_money(subtotal, False), 1.0, "right")]))
    else:
        step = int(rng.choice([500, 1000, 2000, 5000]))
        cash = (subtotal // step + 1) * step
        totals.append(RowSpec([c("Cash"), c(_money(cash, False), 1.0, "right")]))
        totals.append(RowSpec([c("Change"), c(_money(cash - subtotal, False), 1.0, "right")]))
    totals.append(RowSpec([c(f"Items {count}")]))
    if footer:
        footer[0].gap = 0.5
    rows = head + meta + items + totals + footer
    assert len(rows) == n_lines, (len(rows), n_lines)
    return rows


def make_receipt(
    rng: np.random.Generator, pool: FontPool
) -> tuple[np.ndarray, list[Row], list[list[InkWord]], dict]:
    """Build one degraded thermal receipt strip.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source of this receipt.
    pool : FontPool
        Font families to draw from.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` grayscale strip.
    rows : list of Row
        Placed rows.
    words : list of list of InkWord
        Word ink points in image coordinates.
    params : dict
        Degradation parameters.
    """
    mm = int(rng.choice([58, 80]))
    width, printable = RECEIPT_WIDTHS[mm]
    left = (width - printable) / 2
    right = left + printable
    n_lines = int(rng.integers(25, 41))
    family = pool.choose(rng, mono=bool(rng.random() < 0.7))
    body_bold = bool(rng.random() < 0.35)
    size = int(rng.integers(19, 25))
    min_px = 15
    specs = _receipt_specs(rng, n_lines, _pick(rng, ("-", "-", "=", "*")))

    rows: list[Row] = []
    for spec in specs:
        if spec.parts[0].text.startswith("\0"):
            ch = spec.parts[0].text[1]
            font = load_font(family.path(body_bold), size)
            n = int(printable // font.getlength(ch))
            spec.parts[0].text = ch * n
        if spec.style == "heading":
            rows.append(fit_row(spec, family, True, int(size * rng.uniform(1.2, 1.6)),
                                left, right, min_px))
        else:
            bold = body_bold or (spec.style == "total" and rng.random() < 0.7)
            rows.append(fit_row(spec, family, bold, size, left, right, min_px))

    leading = float(rng.uniform(1.15, 1.4))
    top = float(rng.uniform(25, 60))
    baselines = []
    y = top
    prev = rows[0].size_px
    for i, r in enumerate(rows):
        if i == 0:
            y += 0.8 * r.size_px
        else:
            y += leading * max(prev, r.size_px) + r.spec.gap * r.size_px
        baselines.append(y)
        prev = r.size_px
    height = int(math.ceil(y + 0.3 * rows[-1].size_px + rng.uniform(40, 120)))

    coverage, words = render_rows(rows, baselines, (height, width))

    ink_base = float(rng.uniform(60, 120))
    band_amp = float(rng.uniform(0, 20))
    band = cv2.resize(rng.standard_normal((1, 12)), (width, 1), interpolation=cv2.INTER_CUBIC)
    ink = np.clip(ink_base + band_amp * band, 40, 160).astype(np.float32)
    bg_lo, bg_hi = float(rng.uniform(200, 225)), float(rng.uniform(235, 250))
    blur = float(rng.uniform(0.4, 0.8))
    noise = float(rng.uniform(3, 8))
    image = degrade(coverage, rng, ink, bg_lo, bg_hi, blur, noise)
    params = {"tilt_deg": 0.0, "ink": ink_base, "ink_banding": band_amp,
              "background": [bg_lo, bg_hi], "blur_sigma": blur, "noise_sigma": noise,
              "dpi": RECEIPT_DPI, "paper_mm": mm}
    return image, rows, words, params


# --------------------------------------------------------------------------
# Page output
# --------------------------------------------------------------------------

SETS = {"printed": make_printed, "receipts": make_receipt}


def generate_page(set_name: str, index: int, seed: int, out_dir: Path, fonts: str = "mixed"
                  ) -> Path:
    """Generate, degrade and save one page with its ground-truth sidecar.

    Parameters
    ----------
    set_name : {"printed", "receipts"}
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

    Returns
    -------
    pathlib.Path
        Path of the written image.
    """
    rng = np.random.default_rng(seed + index)
    pool = FontPool(SET_FAMILIES[set_name], fonts)
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
    truth = {
        "image": path.name,
        "width": width,
        "height": height,
        "lines": lines,
        "tokens": tokens,
        "set": set_name,
        "seed": seed,
        "index": index,
        "degradation": {k: _rounded(v) for k, v in params.items()},
    }
    (out_dir / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return path


def _rounded(value: object) -> object:
    """Round floats (also inside lists) to 3 decimals for the sidecar."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def _worker(args: tuple[str, int, int, str, str]) -> str:
    set_name, index, seed, out, fonts = args
    return str(generate_page(set_name, index, seed, Path(out), fonts))


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
                    help="printed: A4 invoice/form pages; receipts: thermal receipt strips")
    ap.add_argument("--count", type=int, default=20, help="number of pages (default 20)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    ap.add_argument("--seed", type=int, default=0,
                    help="base seed; page i uses seed + i (default 0)")
    ap.add_argument("--fonts", choices=("mixed", "eval", "other"), default="mixed",
                    help="mixed: evaluation families dominate (default); eval: only URW "
                         "base35 and FreeFont; other: only DejaVu and Liberation")
    ap.add_argument("--jobs", type=int, default=1,
                    help="worker processes (output does not depend on it; default 1)")
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    if args.seed < 0:
        ap.error("--seed must be non-negative")

    pool = FontPool(SET_FAMILIES[args.set_name], args.fonts)
    check_fonts(pool.families)
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [(args.set_name, i, args.seed, str(args.out), args.fonts) for i in range(args.count)]
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

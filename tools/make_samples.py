"""Generate the three sample scans used to try out and evaluate the ``ocr`` scanner.

Running ``python tools/make_samples.py`` (from anywhere) writes, into ``samples/``:

``printed_form.png``
    An A4 page at 150 dpi (1240 x 1754 px, 8-bit grayscale) with a printed invoice:
    title, label + number lines, a small item table and a boxed total.
``receipt.jpg``
    A 58 mm thermal-receipt strip at 203 dpi (464 px wide), monospace text, JPEG q85.
``handwritten_form.png``
    A 1000 x 700 px slip with printed labels and numbers written with handwritten
    digits taken from the held-out tail of ``sklearn.datasets.load_digits()``
    (indices 1697..1796 only; the training code excludes exactly these).

Each image gets a sidecar ``tests/expected/<stem>.tokens.json`` holding the image name, the
expected numeric tokens in reading order (regex ``\\d+(?:[.,:/-]\\d+)*`` applied to
every drawn text line) and every drawn text line with its approximate box
``[left, top, width, height]`` in the final image's pixels.

All pages are degraded to look scanned (tiny rotation, slight blur, uneven
lighting, mild noise). The output is deterministic: a numpy Generator seeded with
0 drives every random choice, so two runs give byte-identical files.

Fonts: the printed text uses the URW base35 fonts (Debian package
``fonts-urw-base35``, files under ``/usr/share/fonts/opentype/urw-base35/``); the
script exits with a one-line message if one of them is missing.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
"""Where the images go."""
EXPECTED = REPO / "tests" / "expected"
"""Where their sidecars go: the tests read the expected tokens from there."""
URW_DIR = Path("/usr/share/fonts/opentype/urw-base35")
URW_PACKAGE = "fonts-urw-base35"

TOKEN_RE = re.compile(r"\d+(?:[.,:/-]\d+)*")

#: Indices of ``load_digits()`` that may be used: the last 100, held out from training.
HELD_OUT = range(1697, 1797)

PAPER = 255
INK = 0

Box = tuple[int, int, int, int]  # left, top, right, bottom (exclusive), in pixels


# --------------------------------------------------------------------------- helpers


def load_font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """Load a URW base35 font, exiting with a one-line hint if it is missing.

    Parameters
    ----------
    name : str
        File name inside the URW base35 folder, e.g. ``"NimbusSans-Regular.otf"``.
    size : int
        Font size in pixels (em size).

    Returns
    -------
    PIL.ImageFont.FreeTypeFont
        The loaded font.
    """
    path = URW_DIR / name
    if not path.is_file():
        sys.exit(f"missing font {path}: install the Debian package {URW_PACKAGE}")
    return ImageFont.truetype(str(path), size)


def union(boxes: list[Box]) -> Box:
    """Return the smallest box containing all ``boxes``.

    Parameters
    ----------
    boxes : list of tuple of int
        Boxes as ``(left, top, right, bottom)``.

    Returns
    -------
    tuple of int
        The enclosing box as ``(left, top, right, bottom)``.
    """
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


@dataclass
class Page:
    """A white grayscale canvas that records every text line drawn on it.

    Parameters
    ----------
    width, height : int
        Canvas size in pixels.

    Attributes
    ----------
    image : PIL.Image.Image
        The clean ``"L"`` mode rendering (255 paper, 0 ink).
    draw : PIL.ImageDraw.ImageDraw
        Drawing context on ``image``.
    lines : list of tuple
        ``(text, box)`` for every text line drawn, in drawing (reading) order.
    """

    width: int
    height: int
    image: Image.Image = field(init=False)
    draw: ImageDraw.ImageDraw = field(init=False)
    lines: list[tuple[str, Box]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.image = Image.new("L", (self.width, self.height), PAPER)
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        x: float,
        baseline: float,
        text: str,
        font: ImageFont.FreeTypeFont,
        align: str = "left",
        fill: int = INK,
    ) -> Box:
        """Draw one piece of text on a baseline and return its ink box.

        Parameters
        ----------
        x : float
            Left edge (``align="left"``), right edge (``"right"``) or centre
            (``"center"``) of the text.
        baseline : float
            Y coordinate of the text baseline.
        text : str
            The text to draw.
        font : PIL.ImageFont.FreeTypeFont
            Font to draw with.
        align : {"left", "right", "center"}
            How ``x`` anchors the text.
        fill : int
            Gray level of the ink.

        Returns
        -------
        tuple of int
            Box ``(left, top, right, bottom)`` of the drawn text.
        """
        anchor = {"left": "ls", "right": "rs", "center": "ms"}[align]
        self.draw.text((x, baseline), text, font=font, fill=fill, anchor=anchor)
        left, top, right, bottom = self.draw.textbbox((x, baseline), text, font=font, anchor=anchor)
        return (int(left), int(top), int(right), int(bottom))

    def line(
        self,
        baseline: float,
        pieces: list[tuple[float, str, ImageFont.FreeTypeFont, str]],
        sep: str = " ",
        fill: int = INK,
    ) -> Box:
        """Draw several pieces of text on one baseline and record them as one line.

        Parameters
        ----------
        baseline : float
            Y coordinate of the shared baseline.
        pieces : list of tuple
            ``(x, text, font, align)`` for each piece, left to right.
        sep : str
            Separator used to join the pieces into the recorded line text.
        fill : int
            Gray level of the ink.

        Returns
        -------
        tuple of int
            Box ``(left, top, right, bottom)`` of the whole line.
        """
        boxes = [self.text(x, baseline, t, f, align, fill) for x, t, f, align in pieces]
        box = union(boxes)
        self.lines.append((sep.join(t for _, t, _, _ in pieces), box))
        return box

    def to_array(self) -> np.ndarray:
        """Return the clean rendering as a ``uint8`` array.

        Returns
        -------
        numpy.ndarray
            ``(height, width)`` array, 255 paper and 0 ink.
        """
        return np.asarray(self.image, dtype=np.uint8).copy()


def degrade(
    clean: np.ndarray,
    rng: np.random.Generator,
    boxes: list[Box],
    noise: float = 3.0,
    quantum: int = 1,
) -> tuple[np.ndarray, list[list[int]]]:
    """Make a clean rendering look scanned, and move the line boxes with it.

    Applies a rotation of at most 0.3 degrees, a Gaussian blur (sigma 0.6), an
    uneven-lighting gradient (paper from about 235 to 250), Gaussian noise
    and an optional quantisation of the gray levels.

    Parameters
    ----------
    clean : numpy.ndarray
        ``uint8`` page, 255 paper and 0 ink.
    rng : numpy.random.Generator
        Source of randomness.
    boxes : list of tuple of int
        Line boxes ``(left, top, right, bottom)`` in ``clean``'s pixels.
    noise : float
        Standard deviation of the additive Gaussian noise, in gray levels.
    quantum : int
        Round gray levels to multiples of this step (1 keeps all levels); larger
        steps make noisy PNG pages compress much better.

    Returns
    -------
    page : numpy.ndarray
        The degraded ``uint8`` page, same shape as ``clean``.
    moved : list of list of int
        The boxes as ``[left, top, width, height]`` after the rotation.
    """
    h, w = clean.shape
    angle = float(rng.uniform(-0.3, 0.3))
    rot = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle, 1.0)
    page = cv2.warpAffine(
        clean.astype(np.float32),
        rot,
        (w, h),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=float(PAPER),
    )
    page = cv2.GaussianBlur(page, (0, 0), sigmaX=0.6, sigmaY=0.6)

    # Uneven lighting: a linear ramp of the paper level along a random direction.
    theta = rng.uniform(0.0, 2.0 * np.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = np.cos(theta) * xx + np.sin(theta) * yy
    ramp = (ramp - ramp.min()) / (ramp.max() - ramp.min())
    paper = 235.0 + 15.0 * ramp
    ink = 25.0
    page = ink + (page / 255.0) * (paper - ink)

    page = page + rng.normal(0.0, noise, size=page.shape)
    if quantum > 1:
        page = np.round(page / quantum) * quantum
    page = np.clip(np.round(page), 0, 255).astype(np.uint8)

    moved = []
    for left, top, right, bottom in boxes:
        corners = np.array(
            [[left, top, 1], [right, top, 1], [left, bottom, 1], [right, bottom, 1]],
            dtype=np.float64,
        )
        pts = corners @ rot.T
        x0 = max(0, int(np.floor(pts[:, 0].min())))
        y0 = max(0, int(np.floor(pts[:, 1].min())))
        x1 = min(w, int(np.ceil(pts[:, 0].max())))
        y1 = min(h, int(np.ceil(pts[:, 1].max())))
        moved.append([x0, y0, x1 - x0, y1 - y0])
    return page, moved


def write_sample(
    page: Page,
    rng: np.random.Generator,
    name: str,
    noise: float = 3.0,
    quantum: int = 1,
    extra_ink: np.ndarray | None = None,
    extra: dict[str, object] | None = None,
) -> Path:
    """Degrade a page, save the image and its ``.tokens.json`` sidecar.

    Parameters
    ----------
    page : Page
        The drawn page with its recorded lines.
    rng : numpy.random.Generator
        Source of randomness for the degradation.
    name : str
        Output file name inside the samples folder; ``.png`` or ``.jpg``.
    noise : float
        Noise standard deviation passed to :func:`degrade`.
    quantum : int
        Gray-level quantisation step passed to :func:`degrade`.
    extra_ink : numpy.ndarray or None
        Optional ``uint8`` layer (255 paper) combined with the page by a
        pixel-wise minimum before degrading, e.g. handwriting.
    extra : dict or None
        Additional keys for the sidecar, e.g. the ``load_digits`` indices used.

    Returns
    -------
    pathlib.Path
        Path of the written image.
    """
    clean = page.to_array()
    if extra_ink is not None:
        clean = np.minimum(clean, extra_ink)
    img, boxes = degrade(clean, rng, [box for _, box in page.lines], noise, quantum)

    out = SAMPLES / name
    pil = Image.fromarray(img, mode="L")
    if out.suffix == ".jpg":
        pil.save(out, format="JPEG", quality=85)
    else:
        pil.save(out, format="PNG", optimize=True)

    tokens = [tok for text, _ in page.lines for tok in TOKEN_RE.findall(text)]
    sidecar = {
        "image": name,
        "width": int(img.shape[1]),
        "height": int(img.shape[0]),
        "tokens": tokens,
        "lines": [
            {"text": text, "box": box} for (text, _), box in zip(page.lines, boxes, strict=True)
        ],
        **(extra or {}),
    }
    side = sidecar_path(out)
    side.write_text(json.dumps(sidecar, indent=2) + "\n", encoding="utf-8")
    return out


# ----------------------------------------------------------------------- the samples


def make_printed_form(rng: np.random.Generator) -> Path:
    """Draw the printed invoice page (A4 at 150 dpi) and save it.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness for the degradation.

    Returns
    -------
    pathlib.Path
        Path of ``printed_form.png``.
    """
    page = Page(1240, 1754)
    sans = load_font("NimbusSans-Regular.otf", 34)  # digit height ~25 px
    sans_bold = load_font("NimbusSans-Bold.otf", 34)
    title = load_font("NimbusSans-Bold.otf", 52)  # cap height ~38 px
    roman = load_font("NimbusRoman-Regular.otf", 32)  # digit height ~22 px
    roman_bold = load_font("NimbusRoman-Bold.otf", 32)
    total_font = load_font("NimbusSans-Bold.otf", 40)  # digit height ~29 px
    small = load_font("NimbusRoman-Italic.otf", 28)  # digit height ~19 px

    left, right = 120, 1120
    page.line(190, [(left, "INVOICE", title, "left")])
    page.line(190, [(right, "Northwind Stationery", sans_bold, "right")])
    page.draw.line([(left, 222), (right, 222)], fill=INK, width=3)

    value_x = 420
    y = 310
    for label, value in [
        ("Invoice No.", "48213"),
        ("Date", "2026-11-24"),
        ("Time", "14:30"),
        ("Phone", "555-1234"),
        ("Customer ID", "7730912"),
    ]:
        page.line(y, [(left, label, sans, "left"), (value_x, value, sans, "left")])
        y += 62

    # Item table: Item / Qty / Price, prices right-aligned.
    qty_x, price_right = 760, right - 20
    y += 60
    page.line(
        y,
        [
            (left + 10, "Item", roman_bold, "left"),
            (qty_x, "Qty", roman_bold, "center"),
            (price_right, "Price", roman_bold, "right"),
        ],
        sep="  ",
    )
    page.draw.line([(left, y + 18), (right, y + 18)], fill=INK, width=2)
    y += 66
    items = [
        ("Paper ream", "2", "12.50"),
        ("Stapler", "1", "8.75"),
        ("Toner cartridge", "3", "64.25"),
        ("Office chair", "1", "1,234.50"),
        ("Standing desk", "2", "503.50"),
    ]
    for item, qty, price in items:
        page.line(
            y,
            [
                (left + 10, item, roman, "left"),
                (qty_x, qty, roman, "center"),
                (price_right, price, roman, "right"),
            ],
            sep="  ",
        )
        y += 54
    page.draw.line([(left, y - 30), (right, y - 30)], fill=INK, width=1)

    # Total, inside a thin rectangle that keeps well clear of the digits.
    y += 60
    box = page.line(
        y,
        [(700, "Total", total_font, "left"), (price_right, "2,468.00", total_font, "right")],
    )
    pad = 22
    page.draw.rectangle(
        [(box[0] - pad, box[1] - pad), (box[2] + pad, box[3] + pad)], outline=INK, width=2
    )

    y += 150
    page.line(y, [(left, "Terms: payment due within 30 days.", small, "left")])
    page.line(y + 48, [(left, "Thank you for your business!", small, "left")])

    # A full noisy page compresses badly as PNG: slightly milder noise and 12-level
    # steps keep it well under 400 KB.
    return write_sample(page, rng, "printed_form.png", noise=2.5, quantum=12)


def make_receipt(rng: np.random.Generator) -> Path:
    """Draw the 58 mm thermal-receipt strip (203 dpi, monospace) and save it.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness for the degradation.

    Returns
    -------
    pathlib.Path
        Path of ``receipt.jpg``.
    """
    width = 464
    mono = load_font("NimbusMonoPS-Regular.otf", 30)  # digit height ~19 px, 18 px advance
    mono_bold = load_font("NimbusMonoPS-Bold.otf", 34)  # digit height ~21 px
    left, right, centre = 22, width - 22, width // 2
    step = 46

    items = [
        ("BREAD", "2.49"),
        ("MILK", "1.19"),
        ("EGGS", "3.99"),
        ("COFFEE", "7.85"),
        ("APPLES", "4.20"),
        ("CHEESE", "5.30"),
        ("BUTTER", "2.43"),
    ]
    rows: list[tuple[str, list[tuple[float, str, ImageFont.FreeTypeFont, str]]]] = [
        ("gap", []),
        ("text", [(centre, "CORNER MARKET", mono_bold, "center")]),
        ("text", [(centre, "HIGH STREET", mono, "center")]),
        ("text", [(centre, "TEL 555-0199", mono, "center")]),
        ("gap", []),
        ("text", [(left, "24/11/2026", mono, "left"), (right, "14:30", mono, "right")]),
        ("rule", []),
    ]
    rows += [("text", [(left, n, mono, "left"), (right, p, mono, "right")]) for n, p in items]
    rows += [
        ("rule", []),
        ("text", [(left, "TOTAL", mono_bold, "left"), (right, "27.45", mono_bold, "right")]),
        ("text", [(left, "CASH", mono, "left"), (right, "30.00", mono, "right")]),
        ("text", [(left, "CHANGE", mono, "left"), (right, "2.55", mono, "right")]),
        ("gap", []),
        ("text", [(left, "No 000123", mono, "left")]),
        ("gap", []),
        ("text", [(centre, "THANK YOU", mono, "center")]),
        ("gap", []),
    ]
    height = 40 + step * len(rows)
    page = Page(width, height)
    y = 40
    for kind, pieces in rows:
        if kind == "text":
            page.line(y + 30, pieces)
        elif kind == "rule":
            # Thermal receipts print their rules as a row of dashes.
            for x in range(left, right, 14):
                page.draw.rectangle([(x, y + 22), (x + 8, y + 24)], fill=INK)
        y += step
    return write_sample(page, rng, "receipt.jpg")


def handwritten_digit(image8: np.ndarray, height: int, rng: np.random.Generator) -> np.ndarray:
    """Turn one 8x8 ``load_digits`` image into a large handwritten-looking glyph.

    Parameters
    ----------
    image8 : numpy.ndarray
        ``(8, 8)`` array with values 0..16 (16 = full ink).
    height : int
        Target ink height in pixels.
    rng : numpy.random.Generator
        Source of randomness for the width jitter.

    Returns
    -------
    numpy.ndarray
        ``float32`` ink coverage in 0..1, cropped to the ink, about ``height`` high.
    """
    padded = np.pad(image8.astype(np.float32), 1)
    ink_rows = int(np.count_nonzero((padded > 6).any(axis=1)))
    scale = height / max(ink_rows, 1)
    sx = scale * float(rng.uniform(0.9, 1.1))
    big = cv2.resize(
        padded,
        (round(padded.shape[1] * sx), round(padded.shape[0] * scale)),
        interpolation=cv2.INTER_CUBIC,
    )
    # A value v counts the set pixels of a 4x4 block (0..16), so half coverage (8)
    # is the natural ink edge; a short ramp around it gives soft, pen-like edges.
    cover = np.clip((big - 6.5) / 3.0, 0.0, 1.0)
    ys, xs = np.nonzero(cover > 0)
    return cover[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


class DigitPicker:
    """Hand out held-out ``load_digits`` samples of a requested class, in order.

    Only indices 1697..1796 are used. Each class's samples are cycled through in
    index order so repeated digits use different handwriting.
    """

    def __init__(self) -> None:
        from sklearn.datasets import load_digits

        digits = load_digits()
        self.images = digits.images
        self.by_class: dict[int, list[int]] = {c: [] for c in range(10)}
        for i in HELD_OUT:
            self.by_class[int(digits.target[i])].append(i)
        self.next: dict[int, int] = dict.fromkeys(range(10), 0)
        self.used: list[int] = []

    def take(self, digit: int) -> tuple[int, np.ndarray]:
        """Return the next held-out sample of class ``digit``.

        Parameters
        ----------
        digit : int
            The class wanted, 0..9.

        Returns
        -------
        index : int
            Its index in ``load_digits()`` (always in 1697..1796).
        image : numpy.ndarray
            ``(8, 8)`` array with values 0..16.
        """
        pool = self.by_class[digit]
        index = pool[self.next[digit] % len(pool)]
        self.next[digit] += 1
        return index, self.images[index]


def is_one_stroke(glyph: np.ndarray) -> bool:
    """Tell whether a glyph's solid ink forms a single connected piece.

    Parameters
    ----------
    glyph : numpy.ndarray
        ``float32`` ink coverage in 0..1.

    Returns
    -------
    bool
        True when the pixels with coverage above 0.7 (solid ink, with a margin for
        blur and binarisation) are one 8-connected blob.
    """
    mask = (glyph > 0.7).astype(np.uint8)
    count, _ = cv2.connectedComponents(mask, connectivity=8)
    return count == 2  # background + one piece


def write_number(
    canvas: np.ndarray,
    x: int,
    baseline: int,
    text: str,
    picker: DigitPicker,
    rng: np.random.Generator,
) -> tuple[int, int, int, int]:
    """Write a number with handwritten digits onto ``canvas``.

    Parameters
    ----------
    canvas : numpy.ndarray
        ``float32`` ink coverage layer (0 paper .. 1 ink), changed in place.
    x : int
        Left edge of the first digit.
    baseline : int
        Y coordinate the digits stand on (before jitter).
    text : str
        Digits, optionally with ``-`` separators drawn as short thick strokes.
    picker : DigitPicker
        Source of held-out digit images.
    rng : numpy.random.Generator
        Source of randomness for size, offset and gap jitter.

    Returns
    -------
    tuple of int
        Box ``(left, top, right, bottom)`` of the written ink.
    """
    boxes: list[Box] = []
    size = int(rng.integers(44, 53))
    for ch in text:
        if ch == "-":
            w, t = int(rng.integers(16, 21)), int(rng.integers(5, 8))
            top = baseline - size // 2 - t // 2 + int(rng.integers(-2, 3))
            canvas[top : top + t, x : x + w] = 1.0
            boxes.append((x, top, x + w, top + t))
            x += w + int(rng.integers(8, 13))
            continue
        # Skip samples that come apart at this size: a pen stroke is continuous.
        for _ in HELD_OUT:
            index, image8 = picker.take(int(ch))
            glyph = handwritten_digit(image8, size + int(rng.integers(-4, 5)), rng)
            if is_one_stroke(glyph):
                break
        picker.used.append(index)
        gh, gw = glyph.shape
        top = baseline - gh + int(rng.integers(-3, 4))
        region = canvas[top : top + gh, x : x + gw]
        np.maximum(region, glyph, out=region)
        boxes.append((x, top, x + gw, top + gh))
        x += gw + int(rng.integers(6, 13))
    return union(boxes)


def make_handwritten_form(rng: np.random.Generator) -> Path:
    """Draw the slip with printed labels and handwritten numbers, and save it.

    Parameters
    ----------
    rng : numpy.random.Generator
        Source of randomness for the handwriting and the degradation.

    Returns
    -------
    pathlib.Path
        Path of ``handwritten_form.png``.
    """
    page = Page(1000, 700)
    title = load_font("NimbusSans-Bold.otf", 44)  # cap height ~32 px
    label_font = load_font("NimbusSans-Regular.otf", 32)  # cap height ~23 px
    note_font = load_font("NimbusRoman-Italic.otf", 26)

    page.line(100, [(70, "DEPOSIT SLIP", title, "left")])
    page.draw.line([(70, 126), (930, 126)], fill=INK, width=3)

    picker = DigitPicker()
    ink = np.zeros((page.height, page.width), dtype=np.float32)
    number_x = 330
    y = 230
    for label, number in [
        ("Account", "573920"),
        ("Branch", "36"),
        ("Amount", "1850"),
        ("Date", "24-11-2026"),
    ]:
        label_box = page.text(70, y, label, label_font)
        written = write_number(ink, number_x, y, number, picker, rng)
        # A dotted writing line well below the handwriting.
        for x in range(number_x - 10, 900, 12):
            page.draw.rectangle([(x, y + 16), (x + 5, y + 17)], fill=INK)
        page.lines.append((f"{label} {number}", union([label_box, written])))
        y += 110

    page.line(y - 10, [(70, "Please write clearly inside the lines.", note_font, "left")])

    pen = np.clip(255.0 - ink * 225.0, 0, 255).astype(np.uint8)  # dark blue-black pen
    return write_sample(
        page,
        rng,
        "handwritten_form.png",
        quantum=8,
        extra_ink=pen,
        extra={"digit_indices": picker.used},
    )


def sidecar_path(image: Path) -> Path:
    """Where the expected tokens of a sample image are written."""
    return EXPECTED / f"{image.stem}.tokens.json"


def main() -> None:
    """Generate all three samples into ``samples/`` and their sidecars into ``tests/expected/``."""
    rng = np.random.default_rng(0)
    for make in (make_printed_form, make_receipt, make_handwritten_form):
        out = make(rng)
        side = sidecar_path(out)
        tokens = json.loads(side.read_text(encoding="utf-8"))["tokens"]
        print(f"{out.name}: {out.stat().st_size} bytes, tokens {tokens}")


if __name__ == "__main__":
    main()

"""Real handwritten digits for the ``forms`` set: loading, glyphs and writing.

The digits come from UCI optdigits (32x32 bitmaps) or OpenCV's ``digits.png``
(20x20 cells), read at generation time from a data folder and never copied.
A digit image becomes a soft pen glyph (:func:`hand_glyph`) and a number is
written as a run of glyphs on a jittered baseline (:func:`write_run`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from .common import random_digits

#: Default folder of the third-party digit data (``optdigits/`` and
#: ``opencv-digits/``), beside the repository; it is only read, never copied.
DEFAULT_DIGIT_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
#: The two writer sources of the handwriting, in the order pages alternate.
HAND_SOURCES = ("optdigits", "opencv")
OPTDIGITS_FILES = ("optdigits/optdigits-orig.tra", "optdigits/optdigits-orig.cv")
OPENCV_FILE = "opencv-digits/digits.png"


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
                by_class[r // 5].append(cells[r * 20 : (r + 1) * 20, c * 20 : (c + 1) * 20])
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


def hand_glyph(
    source_image: np.ndarray, height: float, angle: float, shear: float, binary: bool
) -> np.ndarray:
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
    crop = np.pad(img[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1], 2)
    scale = height / (ys.max() - ys.min() + 1)
    big = cv2.resize(
        crop,
        (max(round(crop.shape[1] * scale), 1), max(round(crop.shape[0] * scale), 1)),
        interpolation=cv2.INTER_CUBIC,
    )
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
    return cover[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


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


def stamp_glyph(layer: np.ndarray, glyph: np.ndarray, x: float, y: float) -> np.ndarray:
    """Draw a glyph with its top-left at (x, y) by per-pixel maximum; return its ink points."""
    ox, oy = round(x), round(y)
    gh, gw = glyph.shape
    ch, cw = layer.shape
    x0, y0, x1, y1 = max(ox, 0), max(oy, 0), min(ox + gw, cw), min(oy + gh, ch)
    if x1 <= x0 or y1 <= y0:
        return np.empty((0, 2))
    sub = glyph[y0 - oy : y1 - oy, x0 - ox : x1 - ox]
    np.maximum(layer[y0:y1, x0:x1], sub, out=layer[y0:y1, x0:x1])
    return ink_points(sub >= 0.5, x0, y0)


def hand_number(rng: np.random.Generator, lo: int, hi: int, lead_zero: bool) -> str:
    """Draw the digits of a written number of ``lo``-``hi`` digits (30 % lead zero if allowed)."""
    n = int(rng.integers(lo, hi + 1))
    return random_digits(rng, n, lead_zero and bool(rng.random() < 0.3))


def hand_glyphs(
    rng: np.random.Generator,
    number: str,
    height: float,
    digits: tuple[tuple[np.ndarray, ...], ...],
    binary: bool,
    taller: int = -1,
) -> list[np.ndarray]:
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


def glyph_gaps(rng: np.random.Generator, glyphs: list[np.ndarray], height: float) -> list[float]:
    """Horizontal gap before each glyph after the first; 15 % overlap by up to 20 %."""
    gaps = []
    for g in glyphs[1:]:
        if rng.random() < 0.15:
            gaps.append(-float(rng.uniform(0.0, 0.2)) * g.shape[1])
        else:
            gaps.append(float(rng.uniform(0.04, 0.3)) * height)
    return gaps


def write_run(
    layer: np.ndarray,
    glyphs: list[np.ndarray],
    gaps: list[float],
    x: float,
    baseline: float,
    height: float,
    rng: np.random.Generator,
    shift: dict[int, float] | None = None,
) -> np.ndarray:
    """Write glyphs left to right standing on a jittered baseline; return the ink points."""
    pts = []
    for i, g in enumerate(glyphs):
        if i:
            x += gaps[i - 1]
        bottom = baseline + float(rng.uniform(-0.06, 0.06)) * height
        if shift and i in shift:
            bottom += shift[i]
        pts.append(stamp_glyph(layer, g, x, bottom - g.shape[0]))
        x += g.shape[1]
    return np.concatenate(pts)

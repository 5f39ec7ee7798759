"""Shared parts of the page generator: tokens, random values, scan degradation.

Holds the numeric token definition (:data:`TOKEN_RE`, :func:`tokens_of`),
the random value generators (digits, money, dates, phone numbers), the A4
page geometry with its rotation, and the scanner degradation (:func:`degrade`).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import cv2
import numpy as np

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
# Random content
# --------------------------------------------------------------------------


STREETS = (
    "Market Street",
    "Oak Avenue",
    "Station Road",
    "High Street",
    "Mill Lane",
    "Park Road",
    "Church Street",
    "River View",
    "King Street",
    "Elm Drive",
    "Harbour Way",
    "Bridge Road",
)
CITIES = (
    "Springfield",
    "Riverside",
    "Fairview",
    "Georgetown",
    "Madison",
    "Ashford",
    "Kingston",
    "Clinton",
    "Salem",
    "Greenville",
    "Bristol",
    "Dover",
)


def random_digits(rng: np.random.Generator, n: int, lead_zero: bool = False) -> str:
    """Return ``n`` random digits, the first one nonzero unless ``lead_zero``."""
    first = "0123456789" if lead_zero else "123456789"
    s = first[int(rng.integers(len(first)))]
    return s + "".join(str(int(d)) for d in rng.integers(0, 10, size=n - 1))


def format_money(cents: int, european: bool) -> str:
    """Format cents as ``1,234.50`` (or ``1.234,50`` when ``european``)."""
    whole, frac = divmod(int(cents), 100)
    s = f"{whole:,}.{frac:02d}"
    if european:
        s = s.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return s


def random_date(rng: np.random.Generator, iso: bool) -> str:
    """Return a random date of 2019-2030 as ``YYYY-MM-DD`` or ``DD/MM/YYYY``."""
    y, m, d = int(rng.integers(2019, 2031)), int(rng.integers(1, 13)), int(rng.integers(1, 29))
    return f"{y:04d}-{m:02d}-{d:02d}" if iso else f"{d:02d}/{m:02d}/{y:04d}"


def random_phone(rng: np.random.Generator) -> str:
    """Return a random phone number in one of three formats."""
    k = int(rng.integers(3))
    if k == 0:
        return f"555-{random_digits(rng, 4, True)}"
    if k == 1:
        return f"555-{random_digits(rng, 3)}-{random_digits(rng, 4, True)}"
    return f"({random_digits(rng, 3)}) {random_digits(rng, 3)}-{random_digits(rng, 4, True)}"


def pick(rng: np.random.Generator, seq: Sequence[str]) -> str:
    """Return one element of ``seq`` drawn uniformly."""
    return seq[int(rng.integers(len(seq)))]


# --------------------------------------------------------------------------
# Page geometry and degradation
# --------------------------------------------------------------------------

#: Resolution of the A4 pages (``printed`` and ``forms``).
PRINTED_DPI = 300
#: Size of an A4 page at :data:`PRINTED_DPI`, ``(width, height)`` in pixels.
A4_PX = (2480, 3508)


def draw_tilt(rng: np.random.Generator, width: int, height: int) -> tuple[float, np.ndarray]:
    """Draw a page rotation of up to 1.5 degrees about the page centre.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    width, height : int
        Page size in pixels.

    Returns
    -------
    tilt : float
        Rotation in degrees (counter-clockwise).
    mat : numpy.ndarray
        ``2 x 3`` affine matrix of the rotation.
    """
    tilt = float(rng.uniform(-1.5, 1.5))
    return tilt, cv2.getRotationMatrix2D(((width - 1) / 2, (height - 1) / 2), tilt, 1.0)


def rotate_image(image: np.ndarray, mat: np.ndarray) -> np.ndarray:
    """Warp an image with an affine matrix (bilinear, zero outside), same size."""
    height, width = image.shape
    return cv2.warpAffine(
        image,
        mat,
        (width, height),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=0,
    )


def rotate_points(pts: np.ndarray, mat: np.ndarray) -> np.ndarray:
    """Map ``(n, 2)`` points with an affine matrix (empty arrays pass unchanged)."""
    return pts @ mat[:, :2].T + mat[:, 2] if len(pts) else pts


def scan_params(rng: np.random.Generator) -> tuple[float, float, float, float, float]:
    """Draw the degradation of an A4 scan: ink, background range, blur and noise.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.

    Returns
    -------
    tuple of float
        ``(ink, bg_lo, bg_hi, blur_sigma, noise_sigma)``: ink gray 5-50,
        background from 195-215 to 238-252, blur 0.5-1.0 and noise 3-8.
    """
    ink = float(rng.uniform(5, 50))
    bg_lo, bg_hi = float(rng.uniform(195, 215)), float(rng.uniform(238, 252))
    blur = float(rng.uniform(0.5, 1.0))
    noise = float(rng.uniform(3, 8))
    return ink, bg_lo, bg_hi, blur, noise


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

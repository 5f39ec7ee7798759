"""Ink: separate ink from paper, and label its connected components.

:func:`binarise_page` divides the page by an estimate of its own background,
so uneven lighting and faint thermal print threshold alike, and keeps the
flattened page beside the ink: finding a form's faint hairlines needs it too,
and it is computed once per page. :func:`label_components` is the one place
that calls OpenCV's component labelling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np


@dataclass(frozen=True, slots=True)
class PageInk:
    """A page's ink, with the flattened page it was thresholded from.

    Attributes
    ----------
    mask : ndarray of bool, shape (H, W)
        True where there is ink.
    flat : ndarray of uint8, shape (H, W)
        The page divided by its background, 0..255 (:func:`flatten_page`).
    threshold : int
        The ink threshold on ``flat``: a pixel darker than it is ink.
    """

    mask: np.ndarray
    flat: np.ndarray
    threshold: int

    def lighter(self, share: float) -> np.ndarray:
        """The ink at a threshold ``share`` of the way from this one to white.

        Faint strokes that binarisation broke (a 1 px rule, thin receipt
        print) are whole again there.

        Parameters
        ----------
        share : float
            0 gives the ink threshold itself, 1 white paper.

        Returns
        -------
        ndarray of bool, shape (H, W)

        Examples
        --------
        >>> flat = np.array([[40, 160, 195, 250]], dtype=np.uint8)
        >>> PageInk(flat < 150, flat, 150).lighter(0.4).tolist()
        [[True, True, False, False]]
        """
        level = self.threshold + int(share * (255 - self.threshold))
        return np.less(self.flat, np.uint8(level))


def binarise_page(page: np.ndarray) -> PageInk:
    """Separate ink from paper, robust to uneven lighting and faint print.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.

    Returns
    -------
    PageInk
        The ink, and the flattened page and threshold it was found with.

    Notes
    -----
    The background is estimated by a grey-level closing (max filter) of a
    downscaled copy, which erases strokes narrower than the filter; dividing
    by it flattens shading. Otsu's threshold on the flattened page is capped
    so that a blank noisy page does not turn its noise into ink.

    Examples
    --------
    >>> import numpy as np
    >>> page = np.full((80, 80), 250, dtype=np.uint8); page[20:60, 38:42] = 30
    >>> int(binarise_page(page).mask.sum())
    160
    """
    if page.ndim != 2 or page.dtype != np.uint8:
        raise ValueError(f"page must be a 2-D uint8 array, got {page.dtype} {page.shape}")
    height, width = page.shape
    if height < 2 or width < 2:
        return PageInk(np.zeros_like(page, dtype=bool), page.copy(), 0)
    flat, threshold = flatten_page(page)
    ink = np.less(flat, np.uint8(threshold))
    if not ink.any() and threshold < 255 and int(flat.min()) == threshold:
        # A page of two grey levels (a born-digital image, a glyph without
        # anti-aliasing): Otsu's threshold is the darker level itself, and
        # the ink is the pixels at it.
        ink = np.equal(flat, np.uint8(threshold))
    return PageInk(ink, flat, threshold)


def binarise(page: np.ndarray) -> np.ndarray:
    """The ink of a page: :func:`binarise_page`'s mask alone.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, dark ink on light paper.

    Returns
    -------
    ink : ndarray of bool, shape (H, W)
        True where there is ink.
    """
    return binarise_page(page).mask


def flatten_page(page: np.ndarray) -> tuple[np.ndarray, int]:
    """The page divided by its background, and the ink threshold on it.

    Parameters
    ----------
    page : ndarray of uint8, shape (H, W)
        Grayscale page, at least 2 x 2.

    Returns
    -------
    flat : ndarray of uint8, shape (H, W)
        ``floor(255 * page / background)``, clipped to 0..255.
    threshold : int
        Otsu's threshold on ``flat``, capped at 85% of white.
    """
    height, width = page.shape
    factor = 4 if min(height, width) >= 64 else 1
    small = cv2.resize(
        page, (max(1, width // factor), max(1, height // factor)), interpolation=cv2.INTER_AREA
    )
    # A filter wider than the widest stroke (about 1/4 of a 200 px glyph).
    size = max(3, (64 // factor) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    background = cv2.dilate(small, kernel)
    background = cv2.blur(background, (size, size))
    background = cv2.resize(background, (width, height), interpolation=cv2.INTER_LINEAR)
    flat = _flatten(page, background)
    otsu, _ = cv2.threshold(flat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # flat is whole: flat < min(otsu, 216.75) is flat < the ceiling of it.
    return flat, math.ceil(min(float(otsu), 0.85 * 255))


def _flatten(page: np.ndarray, background: np.ndarray) -> np.ndarray:
    """``floor(255 * page / max(background, 1))`` clipped to 0..255, as uint8.

    The quotient of two whole numbers (at most 65025 and 255) is whole or at
    least 1/255 away from the next whole number, so cv2's float32 quotient,
    shifted down by just under a half, rounds to its floor in the uint8
    conversion: the same values as the float arithmetic in numpy, in one
    pass instead of six over the page. Strips of 64 rows keep the float32
    quotient in the CPU's cache.
    """
    denominator = cv2.max(background, 1)
    flat = np.empty(page.shape, dtype=np.uint8)  # C order, whatever the page's (rot90 views)
    quotient = np.empty((min(64, len(page)), page.shape[1]), dtype=np.float32)
    for top in range(0, len(page), len(quotient)):
        rows = slice(top, top + len(quotient))
        strip = quotient[: len(page[rows])]
        cv2.divide(page[rows], denominator[rows], dst=strip, scale=255.0, dtype=cv2.CV_32F)
        cv2.convertScaleAbs(strip, dst=flat[rows], alpha=1.0, beta=-0.5 + 0.5 / 255)
    return flat


_SHORT_LABELS = int(cv2.__version__.split(".")[0]) >= 5
"""OpenCV 5 raises on running out of 16-bit labels; older versions overrun memory."""


def label_components(ink: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """``cv2.connectedComponentsWithStats`` of a mask, with 8-connectivity.

    Parameters
    ----------
    ink : ndarray, shape (H, W)
        Ink where nonzero once cast to uint8 (bool, or 0/1 or 0/255 bytes).

    Returns
    -------
    count : int
        Components, the background (label 0) included.
    labels : ndarray of uint16 or int32, shape (H, W)
    stats : ndarray of int32, shape (count, 5)
        ``left, top, width, height, area`` of each label.

    Notes
    -----
    16-bit labels, where the OpenCV version stops safely when they run
    out, make the same labels and stats as 32-bit ones about three times
    faster (OpenCV 5.0); a page with more than 65535 provisional labels is
    labelled again with 32-bit ones.
    """
    image = ink.view(np.uint8) if ink.dtype == bool else ink.astype(np.uint8, copy=False)
    if _SHORT_LABELS:
        try:
            count, labels, stats, _ = cv2.connectedComponentsWithStats(
                image, connectivity=8, ltype=cv2.CV_16U
            )
            return count, labels, stats
        except cv2.error:
            pass
    count, labels, stats, _ = cv2.connectedComponentsWithStats(image, connectivity=8)
    return count, labels, stats

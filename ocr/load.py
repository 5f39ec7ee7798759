"""Stage 1: find input files, count their pages and load pages as 8-bit grayscale arrays.

A file holds one page, except a TIFF (every frame is a page) and a PDF (every
page, rendered at a given dpi). Of GIF and WebP only the first frame is read.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import PageReadError

PDF_SUFFIXES = frozenset({".pdf"})
TIFF_SUFFIXES = frozenset({".tif", ".tiff"})
IMAGE_SUFFIXES = frozenset(
    {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"} | TIFF_SUFFIXES | PDF_SUFFIXES
)
"""Suffixes of the files that are read (``find_images``); others are skipped."""

MAX_PIXELS = 150_000_000
"""Pages above this many pixels are refused (A4 at 1200 dpi is 140 Mpx)."""

DEFAULT_DPI = 300
"""Resolution at which PDF pages are rendered unless told otherwise."""
MAX_DPI = 1200
"""Highest resolution the command line accepts for rendering PDF pages."""


def find_images(root: Path) -> tuple[list[Path], list[Path]]:
    """List the image files under ``root`` in a stable order.

    Parameters
    ----------
    root : Path
        A folder (walked recursively) or a single file, which is listed
        whatever its suffix (it was asked for: reading it says what is wrong).

    Returns
    -------
    images : list of Path
        Files with an image suffix, sorted by their path relative to ``root``;
        hidden files (``.name``) are left out.
    skipped : list of Path
        Other files that were found and will not be read.
    """
    if not root.is_dir():
        return [root], []
    images: list[Path] = []
    skipped: list[Path] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if path.name.startswith("."):
            continue
        (images if path.suffix.lower() in IMAGE_SUFFIXES else skipped).append(path)
    images.sort(key=lambda p: p.relative_to(root).as_posix())
    return images, skipped


def to_grayscale(image: Image.Image) -> np.ndarray:
    """Convert a Pillow image of any mode to a 2-D ``uint8`` array.

    Transparent areas become white (paper); 16- and 32-bit images are scaled
    down to 8 bits; colour uses ITU-R 601 luma like Pillow's ``convert("L")``.
    """
    mode = image.mode
    if mode in ("RGBA", "LA", "PA") or (mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return np.asarray(Image.alpha_composite(white, rgba).convert("L"))
    if mode.startswith("I;16") or mode in ("I", "F"):
        values = np.asarray(image).astype(np.float64)
        if mode == "F":
            low, high = float(values.min()), float(values.max())
            scale = 255.0 / (high - low) if high > low else 0.0
            return np.clip((values - low) * scale, 0, 255).astype(np.uint8)
        top = 255.0 if values.max() <= 255 else 65535.0
        return np.clip(values * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
    if mode == "L":
        return np.asarray(image)
    return np.asarray(image.convert("L"))


def count_pages(path: Path | str) -> int:
    """Count the pages of a file without decoding or rendering any of them.

    Parameters
    ----------
    path : Path or str
        A file with one of the :data:`IMAGE_SUFFIXES`.

    Returns
    -------
    int
        The pages of a PDF (its document structure is read, no page is
        rendered), the frames of a TIFF (their headers are read), and 1 for
        every other format (GIF and WebP are read by their first frame
        only). Files of single-page formats are not even opened: their
        errors are reported by :func:`load_page`.

    Raises
    ------
    PageReadError
        With a one-line reason when a PDF or TIFF cannot be opened: missing,
        empty, encrypted, damaged, not of its format.
    """
    suffix = Path(path).suffix.lower()
    if suffix in PDF_SUFFIXES:
        with _read_errors(str(path), "PDF"), _open_pdf(path) as pdf:
            return len(pdf)
    if suffix in TIFF_SUFFIXES:
        with _read_errors(str(path), "image"), _open_image(path) as image:
            return _frames(image)
    return 1


def load_page(
    path: Path | str, page: int = 1, dpi: float = DEFAULT_DPI, max_pixels: int = MAX_PIXELS
) -> np.ndarray:
    """Read one page of a file as grayscale.

    Parameters
    ----------
    path : Path or str
        PNG, JPEG, TIFF, BMP, GIF, WebP or PDF file. EXIF orientation is
        applied to every page of an image.
    page : int
        Page number, from 1: a frame of a TIFF, a page of a PDF. The other
        formats hold page 1 only (of a GIF or WebP, its first frame).
    dpi : float
        Resolution at which a PDF page is rendered; images are read as they
        are.
    max_pixels : int
        Larger pages are refused rather than risk exhausting memory; a PDF
        page is measured before it is rendered.

    Returns
    -------
    page : ndarray of uint8, shape (height, width)
        0 is black ink, 255 white paper.

    Raises
    ------
    PageReadError
        With a one-line reason when the file is missing, empty, unreadable,
        not an image, damaged, encrypted (PDF), too large, or has no such
        page.
    ValueError
        If ``page`` is below 1 or ``dpi`` is not positive.
    """
    if page < 1:
        raise ValueError(f"pages count from 1, got {page}")
    if not dpi > 0:
        raise ValueError(f"dpi must be positive, got {dpi}")
    name = str(path)
    if Path(path).suffix.lower() in PDF_SUFFIXES:
        with _read_errors(name, "PDF"):
            pixels = _render_pdf_page(path, page, dpi, max_pixels)
        return np.ascontiguousarray(pixels)
    with _read_errors(name, "image", page), _open_image(path) as image:
        if page > 1:
            frames = _frames(image)
            if page > frames:
                raise PageReadError(name, f"no page {page} (the file has {frames})")
            image.seek(page - 1)
        width, height = image.size
        if width * height > max_pixels:
            raise PageReadError(
                name, f"image too large ({width}x{height} px, limit {max_pixels} px)"
            )
        if width == 0 or height == 0:
            raise PageReadError(name, "image has no pixels")
        image.load()
        upright = ImageOps.exif_transpose(image)
        pixels = to_grayscale(upright)
    return np.ascontiguousarray(pixels)


def _frames(image: Image.Image) -> int:
    """Pages of an opened image: every frame of a TIFF, the first of anything else."""
    return int(getattr(image, "n_frames", 1)) if image.format == "TIFF" else 1


@contextmanager
def _read_errors(name: str, kind: str, page: int = 1) -> Iterator[None]:
    """Turn whatever reading a file raises into a :class:`PageReadError`.

    ``kind`` (``"image"`` or ``"PDF"``) names the format in "damaged ..."
    reasons, which also name ``page`` when it is not the first.
    """
    try:
        yield
    except PageReadError:
        raise
    except FileNotFoundError:
        raise PageReadError(name, "no such file") from None
    except PermissionError:
        raise PageReadError(name, "permission denied") from None
    except IsADirectoryError:
        raise PageReadError(name, "is a directory") from None
    except UnidentifiedImageError:
        raise PageReadError(name, "not an image in a supported format") from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PageReadError(name, "image too large (decompression bomb guard)") from None
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        where = f"page {page}: " if page > 1 else ""
        raise PageReadError(name, f"damaged {kind} ({where}{reason})") from None


@contextmanager
def _open_image(path: Path | str) -> Iterator[Image.Image]:
    """Open an image lazily (its header only); empty files and decompression bombs are refused."""
    if Path(path).stat().st_size == 0:
        raise PageReadError(str(path), "empty file")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        with Image.open(path) as image:
            yield image


@contextmanager
def _open_pdf(path: Path | str) -> Iterator[Any]:
    """Open a PDF document (``pypdfium2.PdfDocument``; pages load on demand), then close it."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    name = str(path)
    with open(path, "rb") as stream:
        head = stream.read(1024)  # PDF readers accept the header anywhere in the first 1 KiB
    if not head:
        raise PageReadError(name, "empty file")
    if b"%PDF-" not in head:
        raise PageReadError(name, "not a PDF (no %PDF- header)")
    try:
        pdf = pypdfium2.PdfDocument(Path(path))
    except pypdfium2.PdfiumError as error:
        if error.err_code == pdfium_c.FPDF_ERR_PASSWORD:
            reason = "encrypted PDF (password required)"
        elif error.err_code == pdfium_c.FPDF_ERR_SECURITY:
            reason = "encrypted PDF (unsupported security handler)"
        else:
            problem = {
                pdfium_c.FPDF_ERR_SUCCESS: "no pages",  # opened, but no page was found
                pdfium_c.FPDF_ERR_FILE: "file access error",
                pdfium_c.FPDF_ERR_FORMAT: "data format error",
                pdfium_c.FPDF_ERR_PAGE: "page not found or content error",
            }.get(error.err_code, "unknown error")
            reason = f"damaged PDF ({problem})"
        raise PageReadError(name, reason) from None
    try:
        yield pdf
    finally:
        pdf.close()


def _render_pdf_page(path: Path | str, page: int, dpi: float, max_pixels: int) -> np.ndarray:
    """Render one page of a PDF at ``dpi`` to an 8-bit grayscale array (white background)."""
    import pypdfium2

    name = str(path)
    with _open_pdf(path) as pdf:
        pages = len(pdf)
        if page > pages:
            raise PageReadError(name, f"no page {page} (the PDF has {pages})")
        try:
            pdf_page = pdf[page - 1]
        except pypdfium2.PdfiumError:
            raise PageReadError(name, f"damaged PDF (page {page} cannot be loaded)") from None
        try:
            scale = dpi / 72.0  # PDF units are points, 1/72 inch
            width_pt, height_pt = pdf_page.get_size()  # after the page's /Rotate
            if not (math.isfinite(width_pt * scale) and math.isfinite(height_pt * scale)):
                raise PageReadError(name, f"damaged PDF (page {page} has no usable size)")
            # The bitmap's size exactly as PdfPage.render computes it.
            width, height = math.ceil(width_pt * scale), math.ceil(height_pt * scale)
            if width * height > max_pixels:
                raise PageReadError(
                    name,
                    f"page {page} too large at {dpi:g} dpi "
                    f"({width}x{height} px, limit {max_pixels} px)",
                )
            if width < 1 or height < 1:
                raise PageReadError(name, f"page {page} has no pixels")
            bitmap = pdf_page.render(scale=scale, grayscale=True)
            try:
                return np.array(bitmap.to_numpy(), dtype=np.uint8)  # a copy: close frees the buffer
            finally:
                bitmap.close()
        finally:
            pdf_page.close()

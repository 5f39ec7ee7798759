"""Stage 1: find input files and load pages as 8-bit grayscale arrays."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import PageReadError

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp"})

MAX_PIXELS = 150_000_000
"""Pages above this many pixels are refused (A4 at 1200 dpi is 140 Mpx)."""


def find_images(root: Path) -> tuple[list[Path], list[Path]]:
    """List the image files under ``root`` in a stable order.

    Parameters
    ----------
    root : Path
        A folder (walked recursively) or a single file.

    Returns
    -------
    images : list of Path
        Files with an image suffix, sorted by their path relative to ``root``.
    skipped : list of Path
        Other files that were found and will not be read.
    """
    if root.is_file():
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


def load_page(path: Path | str, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read the first page of an image file as grayscale.

    Parameters
    ----------
    path : Path or str
        PNG, JPEG, TIFF or BMP file. EXIF orientation is applied.
    max_pixels : int
        Larger images are refused rather than risk exhausting memory.

    Returns
    -------
    page : ndarray of uint8, shape (height, width)
        0 is black ink, 255 white paper.

    Raises
    ------
    PageReadError
        With a one-line reason when the file is missing, empty, unreadable,
        not an image, damaged or too large.
    """
    name = str(path)
    try:
        if Path(path).stat().st_size == 0:
            raise PageReadError(name, "empty file")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise PageReadError(
                        name, f"image too large ({width}x{height} px, limit {max_pixels} px)"
                    )
                if width == 0 or height == 0:
                    raise PageReadError(name, "image has no pixels")
                image.load()
                upright = ImageOps.exif_transpose(image)
                page = to_grayscale(upright)
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
        raise PageReadError(name, f"damaged image ({reason})") from None
    return np.ascontiguousarray(page)

"""The Python API: ``ocr.read`` for one in-memory image, ``ocr.scan`` for files.

Both return :class:`ocr.types.PageResult` objects (frozen dataclasses with
``to_dict()``), the same results the command line writes.

Examples
--------
>>> import numpy as np, ocr
>>> page = np.full((60, 200), 255, dtype=np.uint8)   # a blank page
>>> ocr.read(page).tokens
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image

from .classify import DEFAULT_MODEL, KNNClassifier
from .errors import PageReadError, UsageError
from .load import DEFAULT_DPI, count_pages, find_images, to_grayscale
from .pipeline import read_page
from .types import PageResult
from .worker import PageTask, run_tasks


@lru_cache(maxsize=4)
def _model(path: str) -> KNNClassifier:
    return KNNClassifier.load(path)


def as_grayscale(image: np.ndarray) -> np.ndarray:
    """Convert an image array to the pipeline's 8-bit grayscale.

    Parameters
    ----------
    image : ndarray, shape (H, W), (H, W, 3) or (H, W, 4)
        Grayscale, RGB or RGBA (RGB order, as Pillow and scikit-image give);
        ``uint8``, ``uint16``, ``bool`` or float in 0..1.

    Returns
    -------
    page : ndarray of uint8, shape (H, W)
    """
    array = np.asarray(image)
    if array.dtype == bool:
        array = np.where(array, 255, 0).astype(np.uint8)
    elif np.issubdtype(array.dtype, np.floating):
        array = np.clip(array * 255.0 + 0.5, 0, 255).astype(np.uint8)
    elif array.dtype not in (np.uint8, np.uint16):
        raise ValueError(f"image dtype must be uint8, uint16, bool or float, got {array.dtype}")
    if array.ndim == 3 and array.dtype == np.uint16:
        array = (array / 257.0 + 0.5).astype(np.uint8)  # Pillow has no 16-bit colour mode
    if array.ndim == 2 and array.dtype == np.uint8:
        return np.ascontiguousarray(array)
    if not (array.ndim == 2 or (array.ndim == 3 and array.shape[2] in (3, 4))):
        raise ValueError(f"image must be (H, W), (H, W, 3) or (H, W, 4), got {array.shape}")
    # Colour, alpha and 16 bits are converted exactly as for image files.
    return to_grayscale(Image.fromarray(np.ascontiguousarray(array)))


def read(image: np.ndarray, *, model: KNNClassifier | Path | str | None = None,
         name: str = "<array>", orient: bool = True) -> PageResult:
    """Read the digit tokens of one in-memory image.

    Parameters
    ----------
    image : ndarray
        See :func:`as_grayscale` for the shapes and dtypes accepted.
    model : KNNClassifier, path or None
        A loaded model, a model file, or None for the shipped model.
    name : str
        What to call the image in the result's ``file``.
    orient : bool
        Detect and correct orientation and skew first.

    Returns
    -------
    PageResult
        Page 1, boxes in the pixel grid of ``image``.
    """
    page = as_grayscale(image)
    if not isinstance(model, KNNClassifier):
        model = _model(str(model if model is not None else DEFAULT_MODEL))
    lines = read_page(page, model, orient=orient)
    return PageResult(name, 1, page.shape[1], page.shape[0], lines=lines)


def scan(paths: Path | str | Iterable[Path | str], *, model: Path | str = DEFAULT_MODEL,
         jobs: int = 1, dpi: int = DEFAULT_DPI) -> Iterator[PageResult]:
    """Read files and folders, yielding one result per page in order.

    Parameters
    ----------
    paths : path or iterable of paths
        Image or PDF files, and folders (read recursively, in sorted order).
    model : path
        The model file, loaded once per worker.
    jobs : int
        Worker processes (1: in this process).
    dpi : int
        Resolution PDF pages are rendered at.

    Yields
    ------
    PageResult
        In input order; a page that could not be read has ``error`` set.
    """
    roots = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    tasks = []
    for root in roots:
        if not root.exists():
            raise UsageError(f"{root}: no such file or folder")
        images, _ = find_images(root)
        tasks.extend(make_tasks(images, root, dpi=dpi))
    yield from run_tasks(tasks, model, jobs=jobs)


def make_tasks(images: Iterable[Path], root: Path, dpi: float = DEFAULT_DPI,
               debug_dir: Path | str | None = None, frames: bool = False) -> list[PageTask]:
    """One task per page of each file, in file order, then page order.

    Parameters
    ----------
    images : iterable of Path
        The files, in output order.
    root : Path
        The folder scanned (tasks are named by their path relative to it) or
        the one file given (named by its file name).
    dpi : float
        Resolution at which PDF pages will be rendered.
    debug_dir : path, optional
        Write a review image of every page there.
    frames : bool
        Also find every page's printed rectangles.

    Returns
    -------
    list of PageTask
        Pages are counted here (:func:`ocr.load.count_pages`: PDFs and TIFFs
        are opened, nothing is decoded or rendered); a file whose pages
        cannot be counted becomes one task (page 1) that carries the error.
    """
    tasks = []
    debug = None if debug_dir is None else str(debug_dir)
    for path in images:
        name = path.name if root.is_file() else path.relative_to(root).as_posix()
        try:
            pages = count_pages(path)
        except PageReadError as error:
            tasks.append(PageTask(path=str(path), name=name, dpi=dpi, error=error.reason))
            continue
        tasks.extend(PageTask(path=str(path), name=name, page=page, dpi=dpi, debug_dir=debug,
                              frames=frames)
                     for page in range(1, pages + 1))
    return tasks

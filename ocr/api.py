"""The Python API: ``ocr.read`` for one in-memory image, ``ocr.scan`` for files.

Both return :class:`ocr.types.PageResult` objects (frozen dataclasses with
``to_dict()``), the same results the command line writes.

``ocr.scan`` is three steps, which the command line takes one by one (it
warns about what was skipped, and opens its output, in between):
:func:`find_inputs` turns files and folders into the files to read,
:func:`make_tasks` counts their pages into tasks, and :func:`read_pages`
reads them. None of them prints anything.

Examples
--------
>>> import numpy as np, ocr
>>> page = np.full((60, 200), 255, dtype=np.uint8)   # a blank page
>>> ocr.read(page).tokens
[]
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
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


def read(
    image: np.ndarray,
    *,
    model: KNNClassifier | Path | str | None = None,
    name: str = "<array>",
    orient: bool = True,
) -> PageResult:
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


def scan(
    paths: Path | str | Iterable[Path | str],
    *,
    model: Path | str = DEFAULT_MODEL,
    jobs: int = 1,
    dpi: int = DEFAULT_DPI,
) -> Iterator[PageResult]:
    """Read files and folders, yielding one result per page in order.

    Parameters
    ----------
    paths : path or iterable of paths
        Image or PDF files, and folders (read recursively, in sorted order;
        files in them that are not images are left out).
    model : path
        The model file, loaded once per worker.
    jobs : int
        Worker processes (1: in this process).
    dpi : int
        Resolution PDF pages are rendered at.

    Returns
    -------
    iterator of PageResult
        In input order; a page that could not be read has ``error`` set. A
        page in a folder is named by its path relative to that folder, a file
        given directly by its file name.

    Raises
    ------
    UsageError
        At once, before anything is read, when one of ``paths`` does not exist.
    """
    tasks = make_tasks(find_inputs(paths), dpi=dpi)
    return read_pages(tasks, model, jobs=jobs)


@dataclass(frozen=True, slots=True)
class InputFile:
    """One file to read, and what the output calls it (its ``file`` column)."""

    path: Path
    name: str


@dataclass(frozen=True, slots=True)
class Inputs:
    """What :func:`find_inputs` found: the files to read and what was left out."""

    files: tuple[InputFile, ...]
    """In output order: the paths in the order given, a folder's files sorted."""
    skipped: tuple[Path, ...] = ()
    """Files found in the folders that are not images (by their suffix)."""
    empty: tuple[Path, ...] = ()
    """Folders given that hold no image file."""


def find_inputs(paths: Path | str | Iterable[Path | str]) -> Inputs:
    """The files to read for the given files and folders.

    Parameters
    ----------
    paths : path or iterable of paths
        Files (read whatever their suffix) and folders (walked recursively,
        see :func:`ocr.load.find_images`).

    Returns
    -------
    Inputs
        A file found in a folder is named by its path relative to that folder
        (``sub/a.png``), a file given directly by its file name.

    Raises
    ------
    UsageError
        When a path does not exist; all are checked before any folder is walked.
    """
    roots = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    for root in roots:
        if not root.exists():
            raise UsageError(f"{root}: no such file or folder")
    files: list[InputFile] = []
    skipped: list[Path] = []
    empty: list[Path] = []
    for root in roots:
        images, others = find_images(root)
        if root.is_dir():
            files.extend(InputFile(path, path.relative_to(root).as_posix()) for path in images)
            skipped.extend(others)
            if not images:
                empty.append(root)
        else:
            files.extend(InputFile(path, path.name) for path in images)
    return Inputs(tuple(files), tuple(skipped), tuple(empty))


def make_tasks(
    inputs: Inputs | Iterable[InputFile],
    *,
    dpi: float = DEFAULT_DPI,
    debug_dir: Path | str | None = None,
    frames: bool = False,
) -> list[PageTask]:
    """One task per page of each file, in file order, then page order.

    Parameters
    ----------
    inputs : Inputs or iterable of InputFile
        The files, in output order (:func:`find_inputs`).
    dpi : float
        Resolution at which PDF pages will be rendered.
    debug_dir : path, optional
        Write a review image of every page there.
    frames : bool
        Also find every page's printed rectangles (a template anchors on them).

    Returns
    -------
    list of PageTask
        Pages are counted here (:func:`ocr.load.count_pages`: PDFs and TIFFs
        are opened, nothing is decoded or rendered); a file whose pages
        cannot be counted becomes one task (page 1) that carries the error.
    """
    files = inputs.files if isinstance(inputs, Inputs) else inputs
    tasks = []
    debug = None if debug_dir is None else str(debug_dir)
    for file in files:
        path, name = str(file.path), file.name
        try:
            pages = count_pages(path)
        except PageReadError as error:
            tasks.append(PageTask(path=path, name=name, dpi=dpi, error=error.reason))
            continue
        tasks.extend(
            PageTask(path=path, name=name, page=page, dpi=dpi, debug_dir=debug, frames=frames)
            for page in range(1, pages + 1)
        )
    return tasks


def read_pages(
    tasks: Sequence[PageTask], model: Path | str = DEFAULT_MODEL, jobs: int = 1
) -> Iterator[PageResult]:
    """Read the pages of :func:`make_tasks`, yielding one result per task in order.

    Parameters
    ----------
    tasks : sequence of PageTask
        The pages, in output order.
    model : path
        The model file, loaded once per worker.
    jobs : int
        Worker processes (1: in this process); never more than there are tasks.

    Returns
    -------
    iterator of PageResult
        As each page (and every page before it) is done.

    Raises
    ------
    ValueError
        At once, when ``jobs`` is below 1.
    ModelError
        When the model file is missing, damaged or not a model (on the first
        result, and before any worker starts).
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    return run_tasks(list(tasks), model, jobs=max(1, min(jobs, len(tasks))))

"""Reading pages in worker processes: the task a worker gets, and how it reads it.

What goes to a worker is a small picklable :class:`PageTask`; the model is
loaded once per worker (:func:`init_worker`), and :func:`read_task` turns a
task into a :class:`~ocr.types.PageResult`, a failure included, so that one
bad page never ends the batch. :func:`run_tasks` runs tasks through an
executor (:mod:`ocr.executors`) and yields results in input order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .classify import DEFAULT_MODEL, KNNClassifier
from .errors import PageReadError
from .executors import make_executor
from .load import DEFAULT_DPI, load_page
from .pipeline import read_page_detail
from .types import PageDetail, PageResult


@dataclass(frozen=True, slots=True)
class PageTask:
    """What a worker needs to read one page: small and picklable.

    ``page`` counts from 1; ``dpi`` is the resolution a PDF page is rendered
    at. ``error`` is set when the file could not even be opened to count its
    pages: the task then stands for the whole file and is not read again.
    """

    path: str
    name: str
    page: int = 1
    dpi: float = DEFAULT_DPI
    error: str | None = None
    debug_dir: str | None = None
    """Where to write this page's review image (``--debug-dir``), if anywhere."""
    frames: bool = False
    """Also find the page's printed rectangles (a template anchors on them)."""


_worker_model: KNNClassifier | None = None
_worker_model_key: tuple[str, int] | None = None


def init_worker(model_path: str) -> None:
    """Load the model once per process (again only if the file changed)."""
    global _worker_model, _worker_model_key
    try:
        key = (model_path, Path(model_path).stat().st_mtime_ns)
    except OSError:
        key = None  # let load() report the missing file
    if _worker_model is None or key is None or key != _worker_model_key:
        _worker_model = KNNClassifier.load(model_path)
        _worker_model_key = key


def read_task(task: PageTask) -> PageResult:
    """Read one page of one file; failures become a result with ``error`` set."""
    assert _worker_model is not None, "init_worker() was not called"
    if task.error is not None:
        return PageResult(task.name, task.page, 0, 0, error=task.error)
    try:
        page = load_page(task.path, page=task.page, dpi=task.dpi)
    except PageReadError as error:
        return PageResult(task.name, task.page, 0, 0, error=error.reason)
    except MemoryError:
        return PageResult(task.name, task.page, 0, 0, error="out of memory")
    height, width = page.shape
    try:
        detail = read_page_detail(
            page, _worker_model, frames=task.frames, glyphs=task.debug_dir is not None
        )
        if task.debug_dir is not None:
            write_review_image(page, detail, review_path(task))
    except MemoryError:
        return PageResult(task.name, task.page, width, height, error="out of memory")
    except Exception as error:  # noqa: BLE001 - a bug on one page must not end the batch
        return PageResult(
            task.name,
            task.page,
            width,
            height,
            error=f"internal error ({type(error).__name__}: {error})",
        )
    return PageResult(task.name, task.page, width, height, lines=detail.lines, frames=detail.frames)


def review_path(task: PageTask) -> Path:
    """Where ``--debug-dir`` puts a page's review image: the input's relative
    path, plus the page number, as a PNG (``sub/form.pdf`` page 2 ->
    ``DIR/sub/form.pdf.p2.png``)."""
    assert task.debug_dir is not None
    return Path(task.debug_dir) / f"{task.name}.p{task.page}.png"


def write_review_image(page: np.ndarray, detail: PageDetail, path: Path) -> None:
    """Draw what was read over the page (:func:`ocr.overlay.render_overlay`) as a PNG."""
    import cv2

    from .overlay import render_overlay

    tokens = [token for line in detail.lines for token in line.tokens]
    path.parent.mkdir(parents=True, exist_ok=True)
    if not cv2.imwrite(str(path), render_overlay(page, detail.glyphs, tokens)):
        raise OSError(f"cannot write {path}")


def run_tasks(
    tasks: list[PageTask], model_path: Path | str = DEFAULT_MODEL, jobs: int = 1
) -> Iterator[PageResult]:
    """Read many pages, in parallel when ``jobs > 1``, yielding results in order.

    Parameters
    ----------
    tasks : list of PageTask
        The pages to read, in output order.
    model_path : Path or str
        The ``.npz`` model, loaded once per worker.
    jobs : int
        Worker processes; 1 reads in this process.

    Yields
    ------
    PageResult
        One per task, in the order of ``tasks``, as soon as it (and every
        task before it) is done.
    """
    # Fail early, in the parent, on a bad model: a serial run loads it on
    # entering the executor; workers each load their own, so the parent only
    # checks the file (building the search there would delay every worker).
    if jobs > 1:
        KNNClassifier.check(model_path)
    with make_executor(jobs, init_worker, (str(model_path),)) as executor:
        yield from executor.map(read_task, tasks)

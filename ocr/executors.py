"""Where pages run: one small interface, a serial and a process-pool version.

Both yield results in input order. Workers are limited to one BLAS/OpenMP
thread and one OpenCV thread: with one process per core, more threads only
fight over the same cores (and make results depend on the thread count).
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar

import cv2
from threadpoolctl import threadpool_limits

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    """Where pages run: map a function over items, results in input order."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` of every item, yielded in the order of ``items``."""
        ...

    def __enter__(self) -> Executor: ...
    def __exit__(self, *exc: object) -> None: ...


def _single_threaded(initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
    cv2.setNumThreads(1)
    threadpool_limits(1)
    initializer(*initargs)


class SerialExecutor:
    """Runs everything in this process: for ``--jobs 1``, tests and debugging."""

    def __init__(self, initializer: Callable[..., None], initargs: tuple[Any, ...]) -> None:
        self.initializer = initializer
        self.initargs = initargs
        self._limits: Any = None
        self._cv_threads = 0

    def __enter__(self) -> SerialExecutor:
        self._cv_threads = cv2.getNumThreads()
        cv2.setNumThreads(1)
        self._limits = threadpool_limits(1)
        self.initializer(*self.initargs)
        return self

    def __exit__(self, *exc: object) -> None:
        cv2.setNumThreads(self._cv_threads)
        self._limits.restore_original_limits()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` of every item, one after the other, in this process."""
        for item in items:
            yield fn(item)


class ProcessExecutor:
    """A pool of worker processes; results come back in input order."""

    def __init__(
        self, jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
    ) -> None:
        self.jobs = jobs
        self.initializer = initializer
        self.initargs = initargs
        self._pool: Any = None

    def __enter__(self) -> ProcessExecutor:
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        self._pool = context.Pool(
            self.jobs, initializer=_single_threaded, initargs=(self.initializer, self.initargs)
        )
        return self

    def __exit__(self, *exc: object) -> None:
        if exc and exc[0] is not None:
            self._pool.terminate()
        else:
            self._pool.close()
        self._pool.join()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """``fn`` of every item in the workers, yielded in input order."""
        # chunksize 1: pages are big units of work, and order is kept by imap.
        return self._pool.imap(fn, items, chunksize=1)


def make_executor(
    jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> SerialExecutor | ProcessExecutor:
    """The serial executor for one job, a process pool for more."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    if jobs == 1:
        return SerialExecutor(initializer, initargs)
    return ProcessExecutor(jobs, initializer, initargs)

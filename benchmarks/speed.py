"""Pages per second: ``ocr scan`` against Tesseract and against the floor.

All three read the same generated A4 pages (300 dpi) with the same number of
worker processes, in one run:

* **floor**: decode each page, binarise it and label its connected
  components, the least any segmenting OCR must do;
* **ocr**: the whole ``ocr scan`` command, CSV written, process start-up and
  model loading included;
* **tesseract**: ``tesseract IMAGE stdout`` per page (Debian's
  ``tesseract-ocr``, English model, ``OMP_THREAD_LIMIT=1``), in a pool of the
  same size; skipped with a note when Tesseract is not installed.

Usage::

    python benchmarks/speed.py --pages 20 --jobs 2

Pages are generated with ``benchmarks/make_pages.py`` (which needs the font
packages it names) into ``--workdir`` and reused on later runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import cv2

from ocr.ink import binarise
from ocr.load import load_page

HERE = Path(__file__).resolve().parent


def make_pages(folder: Path, count: int, seed: int) -> list[Path]:
    """Generate ``count`` printed A4 pages into ``folder`` unless already there."""
    images = sorted(p for p in folder.glob("*") if p.suffix in (".png", ".jpg"))
    if len(images) != count:
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run(
            [
                sys.executable,
                str(HERE / "make_pages.py"),
                "--set",
                "printed",
                "--count",
                str(count),
                "--seed",
                str(seed),
                "--out",
                str(folder),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        images = sorted(p for p in folder.glob("*") if p.suffix in (".png", ".jpg"))
    return images


def floor_page(path: str) -> int:
    """Decode, binarise and label components of one page; return the count."""
    cv2.setNumThreads(1)
    ink = binarise(load_page(path))
    count, _, _, _ = cv2.connectedComponentsWithStats(ink.view("uint8"), connectivity=8)
    return count


def tesseract_page(path: str) -> int:
    """Run Tesseract on one page; return the length of its text."""
    done = subprocess.run(
        ["tesseract", path, "stdout", "--psm", "3", "-l", "eng"],
        capture_output=True,
        text=True,
        env={**os.environ, "OMP_THREAD_LIMIT": "1"},
        check=True,
    )
    return len(done.stdout)


def timed_pool(fn, paths: list[Path], jobs: int) -> float:  # noqa: ANN001
    """Wall-clock seconds to map ``fn`` over ``paths`` with ``jobs`` processes."""
    start = time.perf_counter()
    with ProcessPoolExecutor(jobs) as pool:
        list(pool.map(fn, [str(p) for p in paths]))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/ocr-bench/speed"))
    args = parser.parse_args()

    folder = args.workdir / f"printed-{args.pages}-seed{args.seed}"
    pages = make_pages(folder, args.pages, args.seed)
    print(f"{len(pages)} A4 pages at 300 dpi in {folder}, {args.jobs} jobs", file=sys.stderr)

    rows = [("floor (decode+threshold+components)", timed_pool(floor_page, pages, args.jobs))]
    out = args.workdir / "speed.csv"
    start = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ocr",
            "scan",
            str(folder),
            "--out",
            str(out),
            "--jobs",
            str(args.jobs),
            "-q",
        ],
        check=True,
    )
    rows.append(("ocr scan", time.perf_counter() - start))
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if shutil.which("tesseract"):
        rows.append(("tesseract 5 (eng, psm 3)", timed_pool(tesseract_page, pages, args.jobs)))
    else:
        print("tesseract not installed: apt-get install tesseract-ocr", file=sys.stderr)

    print(f"{'system':38s} {'seconds':>8s} {'pages/s':>8s}")
    for name, seconds in rows:
        print(f"{name:38s} {seconds:8.2f} {len(pages) / seconds:8.2f}")
    ocr_seconds = rows[1][1]
    print(f"ocr is {ocr_seconds / rows[0][1]:.1f}x the floor's time", end="")
    if len(rows) > 2:
        print(f", {rows[2][1] / ocr_seconds:.1f}x faster than tesseract", end="")
    print(f"; peak RSS of a child process {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()

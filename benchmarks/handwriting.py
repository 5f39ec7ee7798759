"""Isolated handwritten digits by writers the model has never seen.

What it measures
----------------
The shipped model (or ``--model``) reads single handwritten digits from two
third-party sets in ``../shared/data`` (never trained on, never copied into
the project):

**UCI optdigits, ``optdigits.tra``** (3823 digits by 30 writers; scikit-learn's
``load_digits``, which training uses, is the other file, ``optdigits.tes``, by
13 other writers).  2880 of its rows have their original 32x32 bitmaps
(``optdigits-orig.tra`` and ``optdigits-orig.cv``, in the same order).  The
other 943 rows exist only as 8x8 grids; each is drawn as a pen trace (the
grid upsampled to 40x40 and cut at half ink, as training draws
``load_digits``).  The report gives both parts and the whole.

**OpenCV's ``digits.png``** (5000 digits, 20x20 cells, white on black; 500 per
class).  Each cell is inverted to dark ink on light paper, given a margin of
paper and binarised by the page binariser (:func:`ocr.segment.binarise`).

Every glyph goes through the project's own normaliser,
:func:`ocr.normalise.glyph_features`, cropped to its ink with its own height
as the line height (a number alone on its line), in both encodings the
classifier takes: as found, and deslanted.  It is read twice: by the model
restricted to digits (:meth:`ocr.classify.KNNClassifier.digits_only`, what a
form's box or comb field uses), and by the whole model, where letters and
symbols of the reject class compete.  A digit is correct when the class,
mapped through :data:`ocr.types.AMBIGUOUS` (a bar read as ``1``, a round as
``0``, as inside a number), is its label.  The report lists accuracy per set
and per digit and the most common confusions.

Targets (issue 5): ``optdigits.tra`` >= 98 %, OpenCV ``digits.png`` >= 90 %.

Usage::

    python benchmarks/handwriting.py
    python benchmarks/handwriting.py --model /tmp/other.npz --json /tmp/hw.json
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import cv2
import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from ocr.classify import DEFAULT_MODEL, KNNClassifier  # noqa: E402
from ocr.ink import binarise  # noqa: E402
from ocr.normalise import crop_to_ink, glyph_features  # noqa: E402
from ocr.training import pen_trace  # noqa: E402
from ocr.types import AMBIGUOUS  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data"
TARGETS = {"optdigits": 0.98, "opencv": 0.90}


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def read_uci_bitmaps(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The 32x32 bitmaps and labels of a UCI ``optdigits-orig`` file."""
    lines = path.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if len(line) == 32 and set(line) <= {"0", "1"})
    bitmaps, labels = [], []
    for i in range(start, len(lines) - 32, 33):
        bitmaps.append([[c == "1" for c in row] for row in lines[i : i + 32]])
        labels.append(int(lines[i + 32]))
    return np.array(bitmaps, dtype=bool), np.array(labels)


def isolated_features(masks: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Both encodings of glyphs alone on their line (cropped, line height = own height)."""
    cropped = [crop_to_ink(m) for m in masks]
    heights = np.array([max(1, m.shape[0]) for m in cropped], dtype=float)
    return glyph_features(cropped, heights), glyph_features(cropped, heights, deslanted=True)


def optdigits_masks(data: Path) -> dict[str, tuple[list[np.ndarray], np.ndarray]]:
    """Ink masks and labels of ``optdigits.tra``: from bitmaps, and traced from grids."""
    folder = data / "optdigits"
    rows = np.loadtxt(folder / "optdigits.tra", delimiter=",", dtype=np.int64)
    tra, tra_labels = read_uci_bitmaps(folder / "optdigits-orig.tra")
    cv, cv_labels = read_uci_bitmaps(folder / "optdigits-orig.cv")
    bitmaps = np.concatenate([tra, cv])
    labels = np.concatenate([tra_labels, cv_labels])
    if not np.array_equal(labels, rows[: len(labels), 64]):
        raise ValueError("optdigits-orig bitmaps are not in the order of optdigits.tra")
    traced = [pen_trace(r) > 0.5 for r in rows[len(labels) :, :64].reshape(-1, 8, 8)]
    return {
        "optdigits bitmaps": (list(bitmaps), labels),
        "optdigits 8x8 rows": (traced, rows[len(labels) :, 64]),
    }


def opencv_masks(data: Path) -> tuple[list[np.ndarray], np.ndarray]:
    """Ink masks (binarised by the page binariser) and labels of ``digits.png``."""
    image = cv2.imread(str(data / "opencv-digits" / "digits.png"), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise FileNotFoundError(data / "opencv-digits" / "digits.png")
    masks, labels = [], []
    for row in range(image.shape[0] // 20):
        for col in range(image.shape[1] // 20):
            cell = 255 - image[row * 20 : (row + 1) * 20, col * 20 : (col + 1) * 20]
            # A margin of paper, as around a digit on a page.
            page = np.pad(cell, 6, constant_values=255)
            masks.append(binarise(page))
            labels.append(row // 5)
    return masks, np.array(labels)


def evaluate(model: KNNClassifier, X: np.ndarray, X_upright: np.ndarray, y: np.ndarray) -> dict:
    """Accuracy, accuracy per digit and confusions of ``model`` on one set."""
    raw = model.predict(X, X_upright)
    predicted = np.array([AMBIGUOUS.get(str(p), str(p)) for p in raw])
    truth = y.astype(str)
    right = predicted == truth
    per_digit = {d: float(right[truth == d].mean()) for d in sorted(set(truth))}
    wrong = Counter(zip(truth[~right].tolist(), raw[~right].tolist(), strict=True))
    return {
        "n": int(len(y)),
        "accuracy": float(right.mean()),
        "per_digit": per_digit,
        "confusions": [[t, p, n] for (t, p), n in wrong.most_common(12)],
    }


def report(model: KNNClassifier, data: Path) -> dict:
    """Accuracy on each set: on a page (every class) and in a number field (digits)."""
    sets = optdigits_masks(data)
    sets["optdigits.tra (all)"] = (
        [m for masks, _ in sets.values() for m in masks],
        np.concatenate([labels for _, labels in sets.values()]),
    )
    sets["opencv digits.png"] = opencv_masks(data)
    results: dict[str, dict] = {"field": {}, "page": {}}
    for name, (masks, labels) in sets.items():
        X, X_upright = isolated_features(masks)
        results["field"][name] = evaluate(model.digits_only(), X, X_upright, labels)
        results["page"][name] = evaluate(model, X, X_upright, labels)
    return results


def format_report(report: dict) -> str:
    """Plain-text tables of :func:`report`: number fields first, then any place on a page."""
    out = []
    for mode, results in report.items():
        out.append(_format_mode(mode, results))
    return "\n\n".join(out)


def _format_mode(mode: str, results: dict) -> str:
    title = {
        "field": "In a number field (digit classes only, as in a box or comb field):",
        "page": "Anywhere on a page (every class: letters and symbols may win):",
    }[mode]
    out = [title, f"{'set':24s} {'n':>5s} {'accuracy':>9s}  target   per digit 0..9"]
    targets = {"optdigits.tra (all)": TARGETS["optdigits"], "opencv digits.png": TARGETS["opencv"]}
    for name, row in results.items():
        target = targets.get(name)
        mark = (
            ""
            if target is None
            else (f">={100 * target:.0f}% {'met' if row['accuracy'] >= target else 'NOT met'}")
        )
        digits = " ".join(f"{100 * v:.0f}" for v in row["per_digit"].values())
        out.append(f"{name:24s} {row['n']:5d} {100 * row['accuracy']:8.2f}%  {mark:12s} {digits}")
    for name, row in results.items():
        top = ", ".join(f"{t}->{p}: {n}" for t, p, n in row["confusions"][:8])
        out.append(f"misreads, {name}: {top or 'none'}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument(
        "--data",
        type=Path,
        default=DEFAULT_DATA,
        help="folder of the third-party data (../shared/data)",
    )
    parser.add_argument("--json", type=Path, default=None, help="write the numbers as JSON")
    args = parser.parse_args(argv)
    if not (args.data / "optdigits").is_dir() or not (args.data / "opencv-digits").is_dir():
        _say(f"skipped: no optdigits or opencv-digits under {args.data}")
        return 0
    start = time.perf_counter()
    model = KNNClassifier.load(args.model)
    results = report(model, args.data)
    print(
        f"Handwritten digits by unseen writers; model {args.model.name} "
        f"({len(model.labels_)} vectors, k={model.n_neighbors}); "
        f"{time.perf_counter() - start:.1f} s"
    )
    print(format_report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Glyph-level report: digits of the evaluation-only fonts, and handwriting under CV.

What it measures
----------------
**Printed glyph accuracy.**  Every style file (regular, bold, italic or
oblique, bold italic) of the font families reserved for evaluation and never
trained on (:data:`ocr.training.RESERVED_FONT_RE`: URW base35 Nimbus Sans,
Nimbus Sans Narrow, Nimbus Roman, Nimbus Mono PS, C059, P052, URW Gothic, URW
Bookman; GNU FreeFont FreeSans, FreeSerif, FreeMono), found as OpenType or
TrueType files under ``/usr/share/fonts`` (Debian ``fonts-urw-base35`` and
``fonts-freefont-ttf``; the Type 1 copies of the same faces are skipped, and
so are the symbol, dingbat and calligraphic faces of base35: StandardSymbolsPS,
D050000L, Z003).  Each digit 0-9 is rendered alone at each height of
``--heights`` (digit height in pixels) ``--renders`` times, each time degraded
like a scan with :meth:`ocr.training.Degrade.draw` at ``--strength`` (1.0, the
default, is what training uses: tilt up to 2.5 degrees, slant up to 0.12,
blur, noise, faint ink, JPEG, thinning, thickening and sideways squeeze), or
with ``--clean`` not degraded at all (black on white, as rendered: the
issue's "rendered digits"), and segmented by the real binariser and
segmenter (:func:`ocr.training.sample_pieces`).  The largest
piece found is classified by the shipped model
(:meth:`ocr.classify.KNNClassifier.load`); a render in which no glyph-sized
piece is found counts as a miss, predicted class ``none``.  Accuracy maps the
prediction through :data:`ocr.types.AMBIGUOUS`: a bar ``|`` read for a ``1``
and a round ``O`` read for a ``0`` count as correct, because inside a number
that is what the scanner outputs.  The confusion matrix keeps the raw
predicted classes.  Every render has its own seed (from ``--seed``, the font
file name, the digit, the height and the render number), so the figures do
not depend on ``--jobs``.

**Handwriting.**  10-fold stratified cross-validation (shuffled, seeded) on
scikit-learn's ``load_digits``, all 1797 digits.  For each fold the model is
trained the way the shipped model is built (:func:`ocr.training.build_model` with
the default :class:`ocr.training.TrainConfig`): the printed vectors of the
shipping recipe (the training font files the shipped model names as its
``sources``, found under the usual font folders, with the dot-matrix and
Hershey renderers of :func:`ocr.training.make_renderers`,
rendered by :func:`ocr.training.printed_samples` with the same seeded
generator, so they are the vectors in the shipped model, which the report
checks; reject class, bars, rounds and ``/`` included), plus the handwriting vectors
(:func:`ocr.training.handwritten_samples`: the fold's training digits as pen
traces and distorted copies, the handwriting-style fonts and the stroke-drawn
digits), stored deslanted as the shipped model stores them.  The fold's test
digits are drawn as pen traces (:func:`ocr.training.handwritten_masks`, no
distortion), encoded as found and deslanted, and classified with the shipped
model's k and side-feature weights.  A test digit is correct
only when the prediction is that digit (no mapping: ``|`` or ``?`` are
errors).  For context, two more rows use the same folds: the same recipe
without the printed vectors (handwriting only), and plain kNN
(scikit-learn ``KNeighborsClassifier``, same k, uniform votes) on the 64
pixel features of ``load_digits`` alone.  Building the printed vectors takes a
few minutes; they are cached in ``--out`` under a key made of the sources of
``ocr/train.py``, ``ocr/normalise.py`` and ``ocr/segment.py``, the font list
and the configuration.

Targets (issue 4): printed glyph accuracy >= 99.5 %, handwriting CV mean
>= 98 %.

Output
------
Tables on stdout: overall accuracy, accuracy per font file, per height and per
digit, the confusion matrix, the most common confusions, and the
cross-validation results.  Files in ``--out`` (default ``/tmp/ocr-glyphs``):

``confusion.csv``
    Rows the true digit, columns the raw predicted class (``0``-``9``,
    ``O``, ``|``, ``/``, ``%``, any other class of the model, ``?``, ``none``).
``misreads.csv``
    One row per misread render: font file, family, height, render, true,
    predicted, confidence, the number of glyph-sized pieces the render broke
    into (the largest is classified), and the stroke (thinned, normal,
    thickened) and width (normal, condensed) its degradation drew.
``gallery.png``
    One tile per misread glyph (at most ``--gallery`` tiles, the most
    confident misreads first): the segmented ink mask scaled to 48 px high
    beside the 8x8 grid the classifier saw (0..16 drawn white..black), with
    ``true->predicted confidence`` and ``font height`` under it.

``--json OUT`` writes all the numbers as JSON.  Progress goes to stderr.
Everything is deterministic for a given seed and model.

Usage::

    python benchmarks/glyphs.py
    python benchmarks/glyphs.py --renders 5 --strength 1.5 --no-handwriting
    python benchmarks/glyphs.py --json /tmp/ocr-glyphs/report.json
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import re
import sys
import time
import zlib
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from ocr.classify import DEFAULT_MODEL, KNNClassifier
from ocr.normalise import GRID_SIZE, N_GRID, glyph_features
from ocr.training import (
    CLEAN,
    HANDWRITING_FONT_RE,
    RESERVED_FONT_RE,
    Degrade,
    FontRenderer,
    TrainConfig,
    find_fonts,
    find_handwriting_fonts,
    font_family,
    font_files,
    handwritten_masks,
    handwritten_samples,
    make_renderers,
    printed_samples,
    sample_pieces,
)
from ocr.types import AMBIGUOUS, DIGITS

REPO = Path(__file__).resolve().parent.parent
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))
DEFAULT_OUT = Path("/tmp/ocr-glyphs")
DEFAULT_HEIGHTS = (12, 16, 20, 24, 32, 40, 48, 60)
#: Reserved base35 faces that are not text faces with ordinary digits.
NOT_EVALUATED_RE = re.compile(r"^(d050000l|standardsymbols|z003)", re.I)
#: Predicted classes shown as confusion-matrix columns, in order (any other
#: class of the model is added before ``?``).
COLUMNS = (*DIGITS, "O", "|", "/", "%", "?", "none")
#: ``Degrade.thicken`` by name (thickening applies from 16 px, thinning from 24 px).
STROKES = {-1: "thinned", 0: "normal", 1: "thickened"}
#: Sources whose changes invalidate the cached printed training vectors.
RECIPE_SOURCES = ("ocr/training", "ocr/normalise.py", "ocr/ink.py", "ocr/segment")
TARGET_PRINTED = 0.995
TARGET_HANDWRITING = 0.98
TILE_W, TILE_H, CELL = 220, 80, 48


def _say(message: str) -> None:
    print(f"glyphs: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Printed glyphs
# --------------------------------------------------------------------------


def evaluation_fonts(dirs: tuple[Path, ...] = FONT_DIRS) -> list[Path]:
    """Font files of the reserved families that FreeType opens, one per file name.

    Parameters
    ----------
    dirs : tuple of pathlib.Path
        Folders searched recursively.

    Returns
    -------
    list of pathlib.Path
        OpenType/TrueType files whose name matches ``RESERVED_FONT_RE``
        (minus :data:`NOT_EVALUATED_RE`), sorted by file name.
    """
    return [
        path
        for name, path in sorted(font_files(dirs).items())
        if RESERVED_FONT_RE.match(name) and not NOT_EVALUATED_RE.match(name)
    ]


@dataclass
class Sample:
    """One rendered, segmented digit: where it came from and what was found."""

    font: str
    family: str
    height: int
    render: int
    true: str
    mask: np.ndarray | None
    line_height: float
    stroke: str = "normal"
    width: str = "normal"
    pieces: int = 0
    predicted: str = "none"
    confidence: float = 0.0

    @property
    def correct(self) -> bool:
        return AMBIGUOUS.get(self.predicted, self.predicted) == self.true


def render_font(task: tuple[str, tuple[int, ...], int, float, int]) -> list[Sample]:
    """Render, degrade and segment every digit of one font at every height.

    Parameters
    ----------
    task : tuple
        Font path, heights, renders per digit and height, degrade strength, seed.

    Returns
    -------
    list of Sample
        Unclassified samples, in digit, height, render order.
    """
    path, heights, renders, strength, seed = task
    cv2.setNumThreads(1)
    renderer = FontRenderer(path)
    name = Path(path).name
    font_key = zlib.crc32(name.encode())
    samples = []
    for digit in DIGITS:
        for height in heights:
            for render in range(renders):
                key = [seed, font_key, int(digit), height, render]
                # Drawn here from the render's own seed so that it can be reported.
                rng = np.random.default_rng(key)
                degrade = CLEAN if strength < 0 else Degrade.draw(rng, strength)
                thicken = degrade.thicken
                thinned = thicken < 0 and height >= 24 or thicken > 0 and height >= 16
                stroke = STROKES[thicken] if thinned else "normal"
                width = "condensed" if degrade.squeeze < 1.0 else "normal"
                found, line_height = sample_pieces(renderer, digit, height, rng, degrade=degrade)
                samples.append(
                    Sample(
                        Path(path).stem,
                        font_family(path),
                        height,
                        render,
                        digit,
                        found[0] if found else None,
                        line_height,
                        stroke,
                        width,
                        len(found),
                    )
                )
    return samples


def classify(samples: list[Sample], model: KNNClassifier) -> np.ndarray:
    """Predict every sample that has a mask in one batch; return their 8x8 grids."""
    have = [s for s in samples if s.mask is not None]
    grids = np.zeros((len(samples), N_GRID), dtype=np.float32)
    if not have:
        return grids
    X = glyph_features(
        [s.mask for s in have], np.asarray([s.line_height for s in have], dtype=np.float32)
    )
    labels, confidence = model.predict_with_confidence(X)
    rows = [i for i, s in enumerate(samples) if s.mask is not None]
    for row, sample, label, conf, vector in zip(rows, have, labels, confidence, X, strict=True):
        sample.predicted = str(label)
        sample.confidence = float(conf)
        grids[row] = vector[:N_GRID]
    return grids


def accuracy_by(samples: list[Sample], key) -> dict[str, dict[str, float | int]]:  # noqa: ANN001
    """Accuracy of ``samples`` grouped by ``key(sample)``, keys in sorted order."""
    groups: dict[object, list[bool]] = {}
    for sample in samples:
        groups.setdefault(key(sample), []).append(sample.correct)
    return {
        str(k): {"n": len(v), "correct": int(sum(v)), "accuracy": sum(v) / len(v)}
        for k, v in sorted(groups.items())
    }


def confusion_columns(model: KNNClassifier) -> list[str]:
    """:data:`COLUMNS`, with any other class of ``model`` inserted before ``?``."""
    extra = sorted(set(map(str, model.classes_)) - set(COLUMNS))
    return [*COLUMNS[:-2], *extra, *COLUMNS[-2:]]


def confusion(samples: list[Sample], columns: list[str]) -> np.ndarray:
    """Counts, rows the true digit 0-9, columns the raw predicted classes."""
    matrix = np.zeros((len(DIGITS), len(columns)), dtype=np.int64)
    for sample in samples:
        matrix[int(sample.true), columns.index(sample.predicted)] += 1
    return matrix


def _ink_image(mask: np.ndarray, height: int, max_width: int) -> np.ndarray:
    """The mask as black ink on white, ``height`` px high (narrower if too wide)."""
    h, w = mask.shape
    scale = min(height / h, max_width / max(1, w))
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    ink = cv2.resize(mask.astype(np.uint8) * 255, size, interpolation=cv2.INTER_NEAREST)
    return 255 - ink


def _grid_image(grid: np.ndarray) -> np.ndarray:
    """An 8x8 grid on 0..16 as a CELL x CELL grayscale image, 0 white, 16 black."""
    levels = 255 - np.clip(grid.reshape(GRID_SIZE, GRID_SIZE), 0, 16) / 16 * 255
    return cv2.resize(levels.astype(np.uint8), (CELL, CELL), interpolation=cv2.INTER_NEAREST)


def gallery(samples: list[Sample], grids: list[np.ndarray], path: Path, columns: int = 8) -> None:
    """Write one tile per sample: mask, its 8x8 grid, and a two-line caption."""
    rows = max(1, -(-len(samples) // columns))
    sheet = np.full((rows * TILE_H, columns * TILE_W), 255, dtype=np.uint8)
    font = cv2.FONT_HERSHEY_SIMPLEX
    for index, (sample, grid) in enumerate(zip(samples, grids, strict=True)):
        top, left = (index // columns) * TILE_H, (index % columns) * TILE_W
        assert sample.mask is not None
        crop = _ink_image(sample.mask, CELL, 2 * CELL)
        x = left + 4
        sheet[top + 4 : top + 4 + crop.shape[0], x : x + crop.shape[1]] = crop
        gx = left + 4 + 2 * CELL + 6
        sheet[top + 4 : top + 4 + CELL, gx : gx + CELL] = _grid_image(grid)
        cv2.rectangle(sheet, (gx - 1, top + 3), (gx + CELL, top + 4 + CELL), 160, 1)
        cv2.putText(
            sheet,
            f"{sample.true}->{sample.predicted} {sample.confidence:.2f}",
            (left + 4, top + CELL + 16),
            font,
            0.4,
            0,
            1,
            cv2.LINE_AA,
        )
        cv2.putText(
            sheet,
            f"{sample.font} {sample.height}px",
            (left + 4, top + CELL + 28),
            font,
            0.33,
            0,
            1,
            cv2.LINE_AA,
        )
        cv2.line(sheet, (left + TILE_W - 1, top), (left + TILE_W - 1, top + TILE_H - 1), 200)
        cv2.line(sheet, (left, top + TILE_H - 1), (left + TILE_W - 1, top + TILE_H - 1), 200)
    cv2.imwrite(str(path), sheet)


def printed_report(args: argparse.Namespace, model: KNNClassifier) -> dict:
    """Render, classify and report the evaluation fonts; write the output files."""
    fonts = evaluation_fonts()
    if not fonts:
        raise SystemExit(
            "glyphs: no evaluation fonts found: apt-get install fonts-urw-base35 fonts-freefont-ttf"
        )
    heights = tuple(args.heights)
    _say(
        f"{len(fonts)} evaluation font files, {len(heights)} heights, "
        f"{args.renders} renders, strength {args.strength:g}, {args.jobs} jobs"
    )
    tasks = [(str(f), heights, args.renders, args.strength, args.seed) for f in fonts]
    start = time.perf_counter()
    samples: list[Sample] = []
    if args.jobs > 1:
        with ProcessPoolExecutor(args.jobs) as pool:
            for part in pool.map(render_font, tasks):
                samples.extend(part)
    else:
        for task in tasks:
            samples.extend(render_font(task))
    render_s = time.perf_counter() - start
    grids = classify(samples, model)
    seconds = time.perf_counter() - start
    _say(
        f"{len(samples)} glyphs rendered in {render_s:.1f} s, classified in "
        f"{seconds - render_s:.1f} s"
    )

    correct = sum(s.correct for s in samples)
    columns = confusion_columns(model)
    matrix = confusion(samples, columns)
    misread = [i for i, s in enumerate(samples) if not s.correct]
    pairs = Counter((samples[i].true, samples[i].predicted) for i in misread)

    args.out.mkdir(parents=True, exist_ok=True)
    with open(args.out / "confusion.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["true", *columns])
        for digit, row in zip(DIGITS, matrix, strict=True):
            writer.writerow([digit, *row.tolist()])
    with open(args.out / "misreads.csv", "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(
            [
                "font",
                "family",
                "height",
                "render",
                "true",
                "predicted",
                "confidence",
                "pieces",
                "stroke",
                "width",
            ]
        )
        for i in misread:
            s = samples[i]
            writer.writerow(
                [
                    s.font,
                    s.family,
                    s.height,
                    s.render,
                    s.true,
                    s.predicted,
                    f"{s.confidence:.3f}",
                    s.pieces,
                    s.stroke,
                    s.width,
                ]
            )
    # Most confident misreads first: the ones a confidence threshold would not catch.
    shown = sorted(
        (i for i in misread if samples[i].mask is not None),
        key=lambda i: (
            -round(samples[i].confidence, 6),
            samples[i].true,
            samples[i].font,
            samples[i].height,
            samples[i].render,
        ),
    )
    shown = shown[: args.gallery]
    gallery([samples[i] for i in shown], [grids[i] for i in shown], args.out / "gallery.png")
    _say(f"wrote confusion.csv, misreads.csv and gallery.png ({len(shown)} tiles) in {args.out}")

    return {
        "fonts": [f.name for f in fonts],
        "heights": list(heights),
        "renders": args.renders,
        "strength": args.strength,
        "glyphs": len(samples),
        "correct": int(correct),
        "accuracy": correct / len(samples),
        "target": TARGET_PRINTED,
        "no_piece_found": sum(s.mask is None for s in samples),
        "broken": sum(s.pieces > 1 for s in samples),
        "broken_misread": sum(samples[i].pieces > 1 for i in misread),
        "misread": len(misread),
        "seconds": round(seconds, 2),
        "by_font": accuracy_by(samples, lambda s: s.font),
        "by_family": accuracy_by(samples, lambda s: s.family),
        "by_height": accuracy_by(samples, lambda s: f"{s.height:02d}"),
        "by_digit": accuracy_by(samples, lambda s: s.true),
        "by_stroke": accuracy_by(samples, lambda s: s.stroke),
        "by_stroke_height": accuracy_by(samples, lambda s: f"{s.stroke} {s.height:02d}"),
        "by_width": accuracy_by(samples, lambda s: s.width),
        "confusion": {"rows": list(DIGITS), "columns": columns, "counts": matrix.tolist()},
        "confusions": [[t, p, n] for (t, p), n in pairs.most_common()],
    }


def format_printed(report: dict) -> str:
    """Plain-text tables of the printed-glyph report."""
    out = []
    acc = report["accuracy"]
    out.append(
        f"Printed glyphs: {report['correct']}/{report['glyphs']} correct, accuracy "
        f"{100 * acc:.2f} % (target >= {100 * report['target']:.1f} %: "
        f"{'met' if acc >= report['target'] else 'NOT met'}); "
        f"{report['no_piece_found']} renders with no glyph found"
    )
    out.append(
        f"  {report['misread']} misread, {report['broken_misread']} of them broken "
        f"into several glyph-sized pieces (the largest was read); "
        f"{report['broken']} broken renders in all"
    )
    out.append(
        f"  {len(report['fonts'])} font files, heights "
        f"{','.join(map(str, report['heights']))} px, {report['renders']} renders, "
        f"degrade strength {report['strength']:g}"
    )

    def table(title: str, rows: dict, sort_worst: bool = False) -> None:
        out.append("")
        out.append(f"{title:28s} {'n':>6s} {'errors':>6s} {'accuracy':>9s}")
        items = list(rows.items())
        if sort_worst:
            items.sort(key=lambda kv: (kv[1]["accuracy"], kv[0]))
        for name, row in items:
            out.append(
                f"{name.lstrip('0') or '0':28s} {row['n']:6d} "
                f"{row['n'] - row['correct']:6d} {100 * row['accuracy']:8.2f}%"
            )

    table("font file (worst first)", report["by_font"], sort_worst=True)
    table("height (px)", report["by_height"])
    table("digit", report["by_digit"])
    table("stroke (degradation)", report["by_stroke"])
    table("width (degradation)", report["by_width"])
    out.append("")
    out.append("Confusion matrix (rows true digit, columns raw predicted class):")
    columns = report["confusion"]["columns"]
    out.append("true " + "".join(f"{c:>6s}" for c in columns))
    for digit, row in zip(report["confusion"]["rows"], report["confusion"]["counts"], strict=True):
        out.append(f"{digit:4s} " + "".join(f"{n:6d}" if n else f"{'.':>6s}" for n in row))
    out.append("")
    out.append("Most common misreads (true -> predicted: count):")
    top = report["confusions"][:12]
    out.append("  " + (", ".join(f"{t}->{p}: {n}" for t, p, n in top) or "none"))
    return "\n".join(out)


# --------------------------------------------------------------------------
# Handwriting
# --------------------------------------------------------------------------


def _recipe_key(fonts: list[Path], config: TrainConfig) -> str:
    digest = hashlib.sha256()
    for source in RECIPE_SOURCES:
        # A folder counts by every Python file in it, in a stable order.
        path = REPO / source
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    digest.update("\n".join(f.name for f in fonts).encode())
    digest.update(repr(config).encode())
    return digest.hexdigest()[:16]


def training_fonts() -> tuple[list[Path], list[str]]:
    """The font files the shipped model was built from, and the names not found.

    The model stores the names of its font files (``sources``); they are looked
    up under :data:`ocr.training.DEFAULT_FONT_DIRS` and kept in the stored order,
    the order ``ocr train`` passed them in.  A model without ``sources``, or
    whose fonts are all missing, falls back to :func:`ocr.training.find_fonts`.
    """
    with np.load(DEFAULT_MODEL, allow_pickle=False) as data:
        sources = [str(n) for n in data["sources"]] if "sources" in data.files else []
    # The handwriting fonts of the model render handwriting, not print.
    sources = [name for name in sources if not HANDWRITING_FONT_RE.match(name)]
    installed = font_files()
    found = {name: installed[name] for name in sources if name in installed}
    missing = [name for name in sources if name not in found]
    if not found:
        return find_fonts(), missing
    return [found[name] for name in sources if name in found], missing


def shipped_printed_vectors(out: Path) -> tuple[np.ndarray, np.ndarray, dict]:
    """The printed training vectors of the shipped recipe, built once and cached.

    :func:`ocr.training.build_model` with the default configuration renders the
    printed samples first, from a generator seeded with ``config.seed``; the
    same call over the same fonts gives the same vectors.

    Returns
    -------
    X, y : ndarray
        Feature vectors and labels (reject class, bars, rounds, ``/`` included).
    info : dict
        ``fonts`` (count) and ``fonts_missing`` (names of the model's
        sources not installed here).
    """
    config = TrainConfig()
    fonts, missing = training_fonts()
    if missing:
        _say(
            f"warning: {len(missing)} fonts of the shipped model are not installed "
            f"({', '.join(missing[:5])}...): the printed vectors will differ from it"
        )
    info = {"fonts": len(fonts), "fonts_missing": missing}
    cache = out / f"printed-vectors-{_recipe_key(fonts, config)}.npz"
    if cache.is_file():
        with np.load(cache, allow_pickle=False) as data:
            _say(f"reusing the printed training vectors in {cache}")
            return data["X"], data["y"], info
    _say(
        f"building the printed training vectors of {len(fonts)} training fonts, "
        "dot-matrix and Hershey (a few minutes, cached afterwards)"
    )
    rng = np.random.default_rng(config.seed)
    masks, heights, labels, _ = printed_samples(make_renderers(fonts, config), config, rng, _say)
    X = glyph_features(masks, np.asarray(heights, dtype=np.float32))
    y = np.asarray(labels, dtype="<U1")
    out.mkdir(parents=True, exist_ok=True)
    partial = cache.with_suffix(".partial.npz")
    np.savez_compressed(partial, X=X, y=y, fonts=np.asarray([f.name for f in fonts]))
    partial.rename(cache)
    return X, y, info


def in_model_share(X: np.ndarray, model: KNNClassifier) -> float:
    """Share of the rows of ``X`` (as float16) that are vectors of ``model``."""
    stored = {row.tobytes() for row in model.vectors_}
    rows = X.astype(np.float16)
    return sum(row.tobytes() in stored for row in rows) / max(1, len(rows))


def handwriting_report(args: argparse.Namespace, model: KNNClassifier) -> dict:
    """10-fold CV on ``load_digits``: shipped recipe, handwriting only, plain kNN."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import StratifiedKFold
    from sklearn.neighbors import KNeighborsClassifier

    start = time.perf_counter()
    X_print, y_print, info = shipped_printed_vectors(args.out)
    share = in_model_share(X_print, model)
    _say(f"{len(X_print)} printed vectors, {100 * share:.1f} % of them in the shipped model")
    digits = load_digits()
    labels = digits.target.astype(str)
    config = TrainConfig()
    hand_fonts = find_handwriting_fonts()
    k, weight = model.n_neighbors, model.side_weight
    hand_weight = model.handwriting_side_weight
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    rows: dict[str, list[float]] = {"recipe": [], "handwriting_only": [], "plain_knn": []}
    errors: dict[str, Counter] = {"recipe": Counter(), "handwriting_only": Counter()}
    for fold, (train, test) in enumerate(folds.split(digits.data, labels)):
        rng = np.random.default_rng([args.seed, fold])
        X_hand, y_hand = handwritten_samples(config, rng, indices=train, fonts=hand_fonts)
        masks, test_labels = handwritten_masks(config, rng, indices=test, copies=0)
        line_heights = np.array([m.shape[0] for m in masks], dtype=np.float32)
        X_test = glyph_features(masks, line_heights)
        X_test_upright = glyph_features(masks, line_heights, deslanted=True)
        y_test = np.asarray(test_labels)
        views = np.concatenate([np.zeros(len(y_print), np.uint8), np.ones(len(y_hand), np.uint8)])
        for name, (X, y, v) in {
            "recipe": (
                np.concatenate([X_print, X_hand]),
                np.concatenate([y_print, y_hand.astype("<U1")]),
                views,
            ),
            "handwriting_only": (X_hand, y_hand.astype("<U1"), views[len(y_print) :]),
        }.items():
            fitted = KNNClassifier(
                n_neighbors=k, side_weight=weight, handwriting_side_weight=hand_weight
            ).fit(X, y, v)
            predicted = fitted.predict(X_test, X_test_upright)
            rows[name].append(float(np.mean(predicted == y_test)))
            errors[name].update(
                zip(
                    y_test[predicted != y_test].tolist(),
                    predicted[predicted != y_test].tolist(),
                    strict=True,
                )
            )
        plain = KNeighborsClassifier(n_neighbors=k).fit(digits.data[train], labels[train])
        rows["plain_knn"].append(float(plain.score(digits.data[test], labels[test])))
        _say(
            f"fold {fold + 1}/{args.folds}: recipe {rows['recipe'][-1]:.4f}, handwriting "
            f"only {rows['handwriting_only'][-1]:.4f}, plain kNN {rows['plain_knn'][-1]:.4f}"
        )
    return {
        "folds": args.folds,
        "seed": args.seed,
        "k": k,
        "side_weight": weight,
        "printed_vectors": len(X_print),
        "training_fonts": info["fonts"],
        "training_fonts_missing": info["fonts_missing"],
        "printed_vectors_in_shipped_model": round(share, 4),
        "target": TARGET_HANDWRITING,
        "seconds": round(time.perf_counter() - start, 2),
        "rows": {
            name: {
                "mean": float(np.mean(accs)),
                "std": float(np.std(accs)),
                "per_fold": accs,
                "confusions": [
                    [t, p, n] for (t, p), n in errors.get(name, Counter()).most_common()
                ],
            }
            for name, accs in rows.items()
        },
    }


def format_handwriting(report: dict) -> str:
    """Plain-text table of the cross-validation report."""
    names = {
        "recipe": "shipped recipe (printed + handwriting)",
        "handwriting_only": "same recipe, handwriting only",
        "plain_knn": "plain kNN, 64 pixels, load_digits only",
    }
    mean = report["rows"]["recipe"]["mean"]
    out = [
        f"Handwriting: load_digits, {report['folds']}-fold stratified CV (seed "
        f"{report['seed']}), k={report['k']}, side weight {report['side_weight']:g}; "
        f"recipe mean {100 * mean:.2f} % (target >= {100 * report['target']:.0f} %: "
        f"{'met' if mean >= report['target'] else 'NOT met'})",
        f"  {report['printed_vectors']} printed vectors per fold from "
        f"{report['training_fonts']} training fonts + dot-matrix + Hershey "
        f"({100 * report['printed_vectors_in_shipped_model']:.1f} % found in the shipped "
        "model)",
        "",
        f"{'model':42s} {'mean':>7s} {'std':>6s}  per fold",
    ]
    for key, row in report["rows"].items():
        folds = " ".join(f"{100 * a:.1f}" for a in row["per_fold"])
        out.append(f"{names[key]:42s} {100 * row['mean']:6.2f}% {100 * row['std']:5.2f}%  {folds}")
    for key in ("recipe", "handwriting_only"):
        top = report["rows"][key]["confusions"][:10]
        out.append(
            f"misreads, {names[key]} (true->predicted: count, all folds): "
            + (", ".join(f"{t}->{p}: {n}" for t, p, n in top) or "none")
        )
    return "\n".join(out)


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def _heights(text: str) -> list[int]:
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from None
    if not values or min(values) < 4:
        raise argparse.ArgumentTypeError("heights must be integers >= 4")
    return values


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"folder for the report files and the cache ({DEFAULT_OUT})",
    )
    parser.add_argument(
        "--heights",
        type=_heights,
        default=list(DEFAULT_HEIGHTS),
        help=f"digit heights in px, comma-separated ({','.join(map(str, DEFAULT_HEIGHTS))})",
    )
    parser.add_argument(
        "--renders", type=int, default=3, help="renders per font, digit and height (3)"
    )
    parser.add_argument(
        "--strength",
        type=float,
        default=1.0,
        help="scan degradation strength, 1.0 as in training (1.0)",
    )
    parser.add_argument(
        "--clean", action="store_true", help="render without any degradation (overrides --strength)"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--jobs",
        type=int,
        default=min(2, os.cpu_count() or 1),
        help="worker processes for rendering (results do not depend on it)",
    )
    parser.add_argument("--gallery", type=int, default=200, help="most tiles in gallery.png (200)")
    parser.add_argument("--folds", type=int, default=10, help="cross-validation folds (10)")
    parser.add_argument(
        "--no-handwriting", action="store_true", help="skip the load_digits cross-validation"
    )
    parser.add_argument("--json", type=Path, default=None, help="write the numbers as JSON")
    args = parser.parse_args(argv)
    if args.clean:
        args.strength = -1.0  # render_font's sign for CLEAN

    model = KNNClassifier.load()
    report: dict = {
        "model": {
            "k": model.n_neighbors,
            "side_weight": model.side_weight,
            "vectors": len(model.labels_),
        }
    }
    report["printed"] = printed_report(args, model)
    print(format_printed(report["printed"]))
    if not args.no_handwriting:
        report["handwriting"] = handwriting_report(args, model)
        print()
        print(format_handwriting(report["handwriting"]))
    print()
    print(f"Report files in {args.out}: confusion.csv, misreads.csv, gallery.png")
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
        _say(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

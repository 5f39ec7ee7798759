"""Measure how well ``ocr scan`` reads numeric tokens, next to Tesseract and PP-OCRv6.

What it measures
----------------
For every page of a benchmark set, the numeric tokens a system outputs are
compared with the ground-truth numeric tokens of that page.  A numeric token
is a maximal run of digits with inner separators ``. , : / -``
(:data:`make_pages.TOKEN_RE`, :func:`make_pages.tokens_of`).  Per page, the
predicted tokens and the true tokens are compared as multisets
(:class:`collections.Counter` intersection): true positives are the tokens in
both, false positives the predicted ones left over, false negatives the true
ones left over.  TP, FP and FN are summed over the pages of a set, which gives
micro-averaged precision, recall and F1.  The comparison is made twice: on
the exact token text, and with the separators ``.,:/-`` removed from both
sides ("digits only", which forgives a misread or missed separator).

Sets
----
``printed``
    Synthetic A4 invoice/form pages from ``benchmarks/make_pages.py``.
``receipts``
    Synthetic thermal receipts from the same script.
``forms``
    Synthetic A4 form pages from the same script: printed labels, a title and
    a few printed numbers, and 10-14 numbers of 1-8 digits handwritten with
    real handwritten digits (UCI optdigits or OpenCV's ``digits.png``, one
    source per page) in boxes, comb fields and on writing lines.  The digit
    data is read at generation time from ``../shared/data`` (relative to the
    repository root) or ``--digits DIR``; the set is skipped with a note when
    it is absent.  Besides the scores, a small table gives the recall per
    token kind (``printed``, ``box``, ``comb``, ``line``; the sidecar's
    ``token_info``): a page's true tokens are taken in reading order and each
    counts as found while the system's output still holds an unmatched copy
    of its text.
``sroie``
    Scanned receipts of ICDAR 2019 SROIE (``img/ID.jpg`` with ``box/ID.txt``,
    lines ``x1,y1,...,y4,transcript``), read in place from
    ``../shared/data/sroie-dev`` (relative to the repository root) or
    ``--sroie DIR``; skipped with a note when absent.  Nothing of it is
    copied.

The synthetic pages are generated into a work folder (default
``/tmp/ocr-accuracy``), one subfolder per set, count and seed, and reused
when a previous run generated the same set, count and seed with the same
``make_pages.py`` and ``pages/`` package.

Systems
-------
``ocr``
    ``ocr scan FOLDER --out TMP.csv --jobs J -q``, run once per set; the
    ``text`` column is grouped by ``file``.
``tesseract``
    ``tesseract IMAGE stdout --psm 3 -l eng`` per image (English model, no
    character whitelist), ``OMP_THREAD_LIMIT=1``, in a pool of ``J`` worker
    processes; the tokens are ``tokens_of`` over its whole text output.
``pp-ocrv6``
    A reference, never a dependency of ``ocr``: PaddleOCR's PP-OCRv6 through
    the ``rapidocr`` wheel on ``onnxruntime`` (CPU), with the ONNX models the
    wheel ships in ``rapidocr/models/`` (:data:`PPOCR_MODELS`: text detection
    ``PP-OCRv6_det_small.onnx``, recognition ``PP-OCRv6_rec_small.onnx``, the
    character list inside it, and the 0/180 degree line classifier
    ``ch_ppocr_mobile_v2.0_cls_mobile.onnx``), named by path so that nothing
    is ever downloaded; rapidocr's other settings are its defaults.  One
    engine per worker process, ``J`` workers, each held to one thread
    (onnxruntime's intra- and inter-op threads, OpenCV and BLAS).  A page's
    recognised text lines are joined with newlines and the tokens are
    ``tokens_of`` over that text, as for Tesseract.  ``--no-ppocr`` leaves
    it out; without ``rapidocr``, ``onnxruntime`` or the model files its
    rows are skipped with a note (``pip install -r
    benchmarks/requirements.txt``).

All systems are timed wall-clock over the whole set with the same number of
workers ``J``; the times include process start-up and loading the models
(``ocr``'s, PP-OCRv6's in each worker), so pages/s is end-to-end throughput.

``--sets`` restricts the run to some of the sets (e.g. ``--sets forms``).

Output: a plain-text table on stdout, one row per set and system, the recall
per token kind for sets that record kinds, then for each set the ten tokens
``ocr`` missed most often and the ten it output most often that were not
there.  ``--json OUT`` writes the same numbers as JSON.
Progress goes to stderr.  Everything except the timings is deterministic.

Requirements: the ``ocr`` package (installed, with its model), the Python
packages ``make_pages.py`` needs (numpy, Pillow, OpenCV) and its Debian font
packages, and for the Tesseract rows the Debian packages ``tesseract-ocr``
and ``tesseract-ocr-eng`` (``apt-get install tesseract-ocr``), and for the
PP-OCRv6 rows the benchmark-only packages of ``benchmarks/requirements.txt``
(``rapidocr``, ``onnxruntime``).

Usage::

    python benchmarks/accuracy.py --jobs 2
    python benchmarks/accuracy.py --printed 5 --receipts 5 --no-tesseract --no-ppocr --json out.json
    python benchmarks/accuracy.py --sets forms --forms 20 --jobs 2
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from importlib import metadata
from importlib.util import find_spec
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
MAKE_PAGES = HERE / "make_pages.py"
#: The generator package behind ``make_pages.py``.
PAGES_PACKAGE = HERE / "pages"
DEFAULT_SROIE = REPO.parent / "shared" / "data" / "sroie-dev"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "ocr-accuracy"

sys.path.insert(0, str(HERE))
from make_pages import DEFAULT_DIGIT_DATA, check_hand_data, tokens_of  # noqa: E402

#: Separators removed for the "digits only" comparison.
SEPARATORS = ".,:/-"
_STRIP = str.maketrans("", "", SEPARATORS)
#: Number of most common missed / extra tokens listed per set.
TOP_ERRORS = 10
#: Every set, in the order they run.
ALL_SETS = ("printed", "receipts", "forms", "sroie")
#: Token kinds of the ``forms`` set, in table order.
KINDS = ("printed", "box", "comb", "line")
_SKIPPED_WARNING = "not an image file, skipped"
#: System name of the PP-OCRv6 reference in the table.
PPOCR = "pp-ocrv6"
#: ONNX model file per rapidocr stage, all shipped in the wheel's ``models/``.
PPOCR_MODELS = {
    "Det": "PP-OCRv6_det_small.onnx",
    "Rec": "PP-OCRv6_rec_small.onnx",
    "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


@dataclass
class PageSet:
    """A benchmark set: a folder of images and the true tokens of each.

    Attributes
    ----------
    name : str
        Set name used in the table (``printed``, ``receipts``, ``sroie``).
    folder : pathlib.Path
        Folder that ``ocr scan`` reads; page keys are relative to it.
    truth : dict of str to list of str
        True numeric tokens per page, keyed by the image path relative to
        ``folder`` (POSIX separators), in sorted key order.
    kinds : dict of str to list of str
        Kind of each true token, parallel to ``truth``, for sets whose
        sidecars record one (``forms``); empty otherwise.
    """

    name: str
    folder: Path
    truth: dict[str, list[str]]
    kinds: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class Score:
    """Token counts of one system on one set and the derived rates.

    Attributes
    ----------
    tp, fp, fn : int
        True positives, false positives and false negatives, summed over pages.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        """TP / (TP + FP), or 0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN), or 0 when there is no true token."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall (0 when both are 0)."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, predicted: Counter[str], truth: Counter[str]) -> None:
        """Add the counts of one page.

        Parameters
        ----------
        predicted, truth : collections.Counter
            Multisets of predicted and true tokens of the page.
        """
        tp = sum((predicted & truth).values())
        self.tp += tp
        self.fp += sum(predicted.values()) - tp
        self.fn += sum(truth.values()) - tp


@dataclass
class Row:
    """One line of the result table.

    Attributes
    ----------
    set : str
        Set name.
    system : str
        ``ocr``, ``tesseract`` or ``pp-ocrv6``.
    pages : int
        Pages scored.
    exact, digits : Score
        Counts on the exact token text and with separators removed.
    seconds : float
        Wall-clock time of the whole set.
    failed : int
        Pages the system reported as unreadable (scored as empty output).
    missed, extra : list of [str, int]
        Most common missed and extra tokens (exact text) with their counts.
    kinds : dict of str to list of int
        ``[found, total]`` true tokens per kind (exact text), for sets with
        token kinds.
    """

    set: str
    system: str
    pages: int
    exact: Score
    digits: Score
    seconds: float
    failed: int = 0
    missed: list[list[str | int]] = field(default_factory=list)
    extra: list[list[str | int]] = field(default_factory=list)
    kinds: dict[str, list[int]] = field(default_factory=dict)

    @property
    def pages_per_second(self) -> float:
        """Throughput over the whole set."""
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, object]:
        """Return the numbers of the row as plain JSON-ready values."""
        out: dict[str, object] = {
            "set": self.set,
            "system": self.system,
            "pages": self.pages,
            "failed_pages": self.failed,
            "seconds": round(self.seconds, 3),
            "pages_per_second": round(self.pages_per_second, 3),
        }
        for label, score in (("exact", self.exact), ("digits_only", self.digits)):
            out[label] = {
                **asdict(score),
                "precision": round(score.precision, 4),
                "recall": round(score.recall, 4),
                "f1": round(score.f1, 4),
            }
        if self.kinds:
            out["recall_by_kind"] = {
                k: {"found": f, "total": t, "recall": round(f / t, 4) if t else 0.0}
                for k, (f, t) in self.kinds.items()
            }
        if self.system == "ocr":
            out["most_missed"] = self.missed
            out["most_extra"] = self.extra
        return out


def _say(message: str) -> None:
    print(f"accuracy: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Sets
# --------------------------------------------------------------------------


def _generator_digest() -> str:
    """Hash of ``make_pages.py`` and every file of its package ``pages/``, sorted."""
    digest = hashlib.sha256(MAKE_PAGES.read_bytes())
    for path in sorted(PAGES_PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(HERE).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def synthetic_set(
    name: str, count: int, seed: int, workdir: Path, jobs: int, digits: Path | None = None
) -> PageSet:
    """Generate (or reuse) a synthetic set with ``make_pages.py`` and load its truth.

    Parameters
    ----------
    name : {"printed", "receipts"}
        Set passed to ``make_pages.py --set``.
    count : int
        Number of pages.
    seed : int
        Base seed passed to ``make_pages.py --seed``.
    workdir : pathlib.Path
        Parent of the set folder ``<name>-n<count>-s<seed>``.
    jobs : int
        Worker processes for the generator (the output does not depend on it).
    digits : pathlib.Path, optional
        Handwritten digit data passed as ``--digits`` (``forms`` only).

    Returns
    -------
    PageSet
        Pages keyed by image file name, with the sidecar ``tokens`` as truth
        and, where the sidecars have ``token_info``, the kind of each token.
    """
    folder = workdir / f"{name}-n{count}-s{seed}"
    stamp = {"set": name, "count": count, "seed": seed, "generator": _generator_digest()}
    if digits is not None:
        stamp["digits"] = str(digits.resolve())
    stamp_file = folder / "generated.stamp"
    try:
        reuse = json.loads(stamp_file.read_text()) == stamp
    except (OSError, ValueError):
        reuse = False
    if reuse:
        _say(f"{name}: reusing {count} pages in {folder}")
    else:
        _say(f"{name}: generating {count} pages into {folder}")
        partial = folder.with_name(folder.name + ".partial")
        for old in (folder, partial):
            if old.exists():
                shutil.rmtree(old)
        cmd = [
            sys.executable,
            str(MAKE_PAGES),
            "--set",
            name,
            "--count",
            str(count),
            "--out",
            str(partial),
            "--seed",
            str(seed),
            "--jobs",
            str(jobs),
        ]
        if digits is not None:
            cmd += ["--digits", str(digits)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        (partial / stamp_file.name).write_text(json.dumps(stamp) + "\n")
        partial.rename(folder)
    truth: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for sidecar in sorted(folder.glob("*.json")):
        data = json.loads(sidecar.read_text(encoding="utf-8"))
        truth[data["image"]] = list(data["tokens"])
        if "token_info" in data:
            kinds[data["image"]] = [t["kind"] for t in data["token_info"]]
    if len(truth) != count:
        raise RuntimeError(
            f"{folder}: expected {count} pages, found {len(truth)}; "
            "delete the folder to regenerate it"
        )
    return PageSet(name, folder, dict(sorted(truth.items())), dict(sorted(kinds.items())))


def sroie_truth(box_file: Path) -> list[str]:
    """Return the numeric tokens of one SROIE ground-truth file.

    Parameters
    ----------
    box_file : pathlib.Path
        ``box/ID.txt``: lines ``x1,y1,x2,y2,x3,y3,x4,y4,transcript`` (UTF-8,
        LF or CRLF).  Only the first 8 commas separate fields.

    Returns
    -------
    list of str
        ``tokens_of(transcript)`` of every line, in file order.
    """
    tokens: list[str] = []
    for number, line in enumerate(box_file.read_text(encoding="utf-8-sig").splitlines(), 1):
        if not line.strip():
            continue
        fields = line.split(",", 8)
        if len(fields) != 9:
            _say(f"warning: {box_file}:{number}: fewer than 9 fields, line ignored")
            continue
        tokens.extend(tokens_of(fields[8]))
    return tokens


def sroie_set(root: Path) -> PageSet:
    """Load the SROIE receipts under ``root`` (read in place, nothing copied).

    Parameters
    ----------
    root : pathlib.Path
        Folder holding ``img/ID.jpg`` and ``box/ID.txt``.

    Returns
    -------
    PageSet
        Scanned folder ``root/img``; one page per image with a box file.
    """
    img, box = root / "img", root / "box"
    truth: dict[str, list[str]] = {}
    for image in sorted(img.glob("*.jpg")):
        box_file = box / f"{image.stem}.txt"
        if box_file.is_file():
            truth[image.name] = sroie_truth(box_file)
        else:
            _say(f"warning: {image}: no {box_file.name}, image not scored")
    if not truth:
        raise RuntimeError(f"{root}: no img/*.jpg with a box/*.txt")
    return PageSet("sroie", img, truth)


# --------------------------------------------------------------------------
# Systems
# --------------------------------------------------------------------------


def _ocr_command() -> list[str]:
    exe = shutil.which("ocr")
    return [exe] if exe else [sys.executable, "-m", "ocr"]


def run_ocr(pages: PageSet, jobs: int) -> tuple[dict[str, list[str]], float, int]:
    """Run ``ocr scan`` once over the folder of a set.

    Parameters
    ----------
    pages : PageSet
        The set; its folder is scanned (sidecar files are skipped by ``ocr``).
    jobs : int
        ``--jobs`` of ``ocr scan``.

    Returns
    -------
    tokens : dict of str to list of str
        The ``text`` column grouped by ``file``, in row order.
    seconds : float
        Wall-clock time of the command.
    failed : int
        Number of files ``ocr`` reported as unreadable (exit status 1).

    Raises
    ------
    RuntimeError
        When ``ocr`` exits with a status other than 0 or 1 (usage or model
        error, crash).
    """
    with tempfile.TemporaryDirectory(prefix="ocr-accuracy-") as tmp:
        out = Path(tmp) / "results.csv"
        cmd = [
            *_ocr_command(),
            "scan",
            str(pages.folder),
            "--out",
            str(out),
            "--jobs",
            str(jobs),
            "-q",
        ]
        start = time.perf_counter()
        proc = subprocess.run(cmd, stderr=subprocess.PIPE, text=True, errors="replace")
        seconds = time.perf_counter() - start
        messages = [m for m in proc.stderr.splitlines() if _SKIPPED_WARNING not in m]
        for message in messages:
            _say(f"{pages.name}: {message}")
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"ocr scan exited with status {proc.returncode}")
        tokens: dict[str, list[str]] = {}
        with open(out, newline="", encoding="utf-8") as stream:
            for row in csv.DictReader(stream):
                tokens.setdefault(row["file"], []).append(row["text"])
    # Exit status 1: each unreadable file is named on its own ``ocr: PATH: reason`` line.
    failed = (
        0
        if proc.returncode == 0
        else sum(
            1
            for m in messages
            if m.startswith("ocr: ") and not m.startswith(("ocr: warning:", "ocr: error:"))
        )
    )
    return tokens, seconds, failed


def _tesseract_one(image: str) -> tuple[str, str | None]:
    """Run Tesseract on one image; return its text and an error or None."""
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    cmd = ["tesseract", image, "stdout", "--psm", "3", "-l", "eng"]
    proc = subprocess.run(cmd, capture_output=True, env=env)
    if proc.returncode != 0:
        reason = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        return "", f"exit status {proc.returncode}: {reason[-1] if reason else ''}"
    return proc.stdout.decode("utf-8", "replace"), None


def _run_pool(
    pages: PageSet,
    jobs: int,
    system: str,
    one: Callable[[str], tuple[str, str | None]],
    initializer: Callable[[], None] | None = None,
) -> tuple[dict[str, list[str]], float, int]:
    """Run ``one`` on every image of a set in a pool of ``jobs`` processes.

    Parameters
    ----------
    pages : PageSet
        The set.
    jobs : int
        Worker processes.
    system : str
        System name for the messages.
    one : callable
        Picklable function of an image path returning the page's text and an
        error or None.
    initializer : callable, optional
        Run once in each worker before its first page (loading a model).

    Returns
    -------
    tokens : dict of str to list of str
        ``tokens_of`` over the whole text of each page.
    seconds : float
        Wall-clock time over the set, pool start-up included.
    failed : int
        Images on which the system failed (scored as empty output).
    """
    keys = list(pages.truth)
    images = [str(pages.folder / key) for key in keys]
    start = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, initializer=initializer) as pool:
        results = list(pool.map(one, images))
    seconds = time.perf_counter() - start
    tokens: dict[str, list[str]] = {}
    failed = 0
    for key, (text, error) in zip(keys, results, strict=True):
        if error is not None:
            failed += 1
            _say(f"{pages.name}: {system} {key}: {error}")
        tokens[key] = tokens_of(text)
    return tokens, seconds, failed


def run_tesseract(pages: PageSet, jobs: int) -> tuple[dict[str, list[str]], float, int]:
    """Run Tesseract over every image of a set in a pool of ``jobs`` processes.

    Each worker runs one single-threaded ``tesseract`` at a time; the tokens
    are ``tokens_of`` over its whole text output.  Returns as
    :func:`_run_pool`.
    """
    return _run_pool(pages, jobs, "tesseract", _tesseract_one)


#: The PP-OCRv6 engine of this worker process (set by :func:`_ppocr_init`).
_PPOCR_ENGINE = None


def ppocr_missing() -> str | None:
    """Why the PP-OCRv6 rows cannot run (a package or model file missing), or None."""
    for package in ("rapidocr", "onnxruntime"):
        try:
            metadata.version(package)
        except metadata.PackageNotFoundError:
            return f"{package} is not installed (pip install -r benchmarks/requirements.txt)"
    models = _ppocr_model_dir()
    absent = [name for name in PPOCR_MODELS.values() if not (models / name).is_file()]
    if absent:
        return f"model files not in the rapidocr wheel ({models}): {', '.join(absent)}"
    return None


def _ppocr_model_dir() -> Path:
    """The ``models/`` folder of the installed rapidocr wheel (not imported)."""
    spec = find_spec("rapidocr")
    origin = spec.origin if spec is not None else None
    return Path(origin).parent / "models" if origin else Path("rapidocr-not-found")


def ppocr_info() -> dict[str, object]:
    """Versions and model files of the PP-OCRv6 reference, for the report."""
    models = _ppocr_model_dir()
    return {
        "rapidocr": metadata.version("rapidocr"),
        "onnxruntime": metadata.version("onnxruntime"),
        "models": {stage: str(models / name) for stage, name in PPOCR_MODELS.items()},
    }


def _ppocr_init() -> None:
    """Load one single-threaded PP-OCRv6 engine in this worker process."""
    global _PPOCR_ENGINE
    import cv2
    from rapidocr import RapidOCR
    from threadpoolctl import threadpool_limits

    cv2.setNumThreads(1)
    threadpool_limits(1)
    models = _ppocr_model_dir()
    params: dict[str, object] = {
        "Global.log_level": "warning",
        "EngineConfig.onnxruntime.intra_op_num_threads": 1,
        "EngineConfig.onnxruntime.inter_op_num_threads": 1,
    }
    for stage, name in PPOCR_MODELS.items():
        params[f"{stage}.model_path"] = str(models / name)
    _PPOCR_ENGINE = RapidOCR(params=params)


def _ppocr_one(image: str) -> tuple[str, str | None]:
    """Read one image with this worker's PP-OCRv6; its text lines and an error or None."""
    if _PPOCR_ENGINE is None:
        return "", "engine not loaded"
    try:
        result = _PPOCR_ENGINE(image)
    except Exception as error:  # any failure is one unread page
        return "", f"{type(error).__name__}: {error}"
    return "\n".join(result.txts or ()), None


def run_ppocr(pages: PageSet, jobs: int) -> tuple[dict[str, list[str]], float, int]:
    """Run PP-OCRv6 (rapidocr, onnxruntime) over every image of a set.

    ``jobs`` worker processes each load one engine held to one thread; a
    page's text lines are joined with newlines and the tokens are
    ``tokens_of`` over that text.  Returns as :func:`_run_pool`.
    """
    return _run_pool(pages, jobs, PPOCR, _ppocr_one, _ppocr_init)


# --------------------------------------------------------------------------
# Scoring and report
# --------------------------------------------------------------------------


def _digits_only(tokens: Iterable[str]) -> Counter[str]:
    return Counter(t.translate(_STRIP) for t in tokens)


def _top(counter: Counter[str], n: int) -> list[list[str | int]]:
    ranked = sorted(counter.items(), key=lambda item: (-item[1], item[0]))
    return [[token, count] for token, count in ranked[:n]]


def score(
    pages: PageSet, system: str, predicted: dict[str, list[str]], seconds: float, failed: int
) -> Row:
    """Score the predictions of one system on one set.

    Parameters
    ----------
    pages : PageSet
        The set with its true tokens.
    system : str
        System name for the table.
    predicted : dict of str to list of str
        Predicted tokens per page key; a missing page counts as no tokens.
    seconds : float
        Wall-clock time of the system over the set.
    failed : int
        Pages the system could not read.

    Returns
    -------
    Row
        Exact and digits-only counts, with the most common missed and extra
        tokens (exact text).
    """
    unknown = sorted(set(predicted) - set(pages.truth))
    if unknown:
        _say(f"warning: {pages.name}/{system}: output for unscored files {unknown[:3]}")
    exact, digits = Score(), Score()
    missed: Counter[str] = Counter()
    extra: Counter[str] = Counter()
    by_kind: dict[str, list[int]] = {}
    for key, true_tokens in pages.truth.items():
        guess = predicted.get(key, [])
        p, t = Counter(guess), Counter(true_tokens)
        exact.add(p, t)
        digits.add(_digits_only(guess), _digits_only(true_tokens))
        missed.update(t - p)
        extra.update(p - t)
        if key in pages.kinds:
            left = Counter(p)
            for token, kind in zip(true_tokens, pages.kinds[key], strict=True):
                counts = by_kind.setdefault(kind, [0, 0])
                counts[1] += 1
                if left[token] > 0:
                    left[token] -= 1
                    counts[0] += 1
    order = {k: i for i, k in enumerate(KINDS)}
    by_kind = dict(sorted(by_kind.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    return Row(
        pages.name,
        system,
        len(pages.truth),
        exact,
        digits,
        seconds,
        failed,
        _top(missed, TOP_ERRORS),
        _top(extra, TOP_ERRORS),
        by_kind,
    )


def format_table(rows: Sequence[Row]) -> str:
    """Return the result table as plain text.

    Parameters
    ----------
    rows : sequence of Row
        One row per set and system.

    Returns
    -------
    str
        A header, a rule and one line per row (no trailing newline).
    """
    header = ("set", "system", "pages", "P", "R", "F1", "F1 digits", "seconds", "pages/s")
    lines = [header]
    for r in rows:
        lines.append(
            (
                r.set,
                r.system,
                str(r.pages),
                f"{r.exact.precision:.3f}",
                f"{r.exact.recall:.3f}",
                f"{r.exact.f1:.3f}",
                f"{r.digits.f1:.3f}",
                f"{r.seconds:.1f}",
                f"{r.pages_per_second:.2f}",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for n, line in enumerate(lines):
        cells = [
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def format_kinds(rows: Sequence[Row]) -> str:
    """Return the recall per token kind of the rows that have kinds.

    Parameters
    ----------
    rows : sequence of Row
        Scored rows; those without kinds are left out.

    Returns
    -------
    str
        A header and one line per row, each kind as ``recall (found/total)``;
        empty when no row has kinds.
    """
    with_kinds = [r for r in rows if r.kinds]
    if not with_kinds:
        return ""
    kinds = [k for k in KINDS if any(k in r.kinds for r in with_kinds)]
    kinds += sorted({k for r in with_kinds for k in r.kinds} - set(kinds))
    lines = [("set", "system", *kinds)]
    for r in with_kinds:
        cells = []
        for k in kinds:
            found, total = r.kinds.get(k, [0, 0])
            cells.append(f"{found / total:.3f} ({found}/{total})" if total else "-")
        lines.append((r.set, r.system, *cells))
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    out = []
    for n, line in enumerate(lines):
        out.append(
            "  ".join(
                c.ljust(w) if i < 2 else c.rjust(w)
                for i, (c, w) in enumerate(zip(line, widths, strict=True))
            ).rstrip()
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def format_errors(row: Row) -> str:
    """Return the most common missed and extra tokens of one row as text.

    Parameters
    ----------
    row : Row
        A scored row (normally of the ``ocr`` system).

    Returns
    -------
    str
        Two lines, ``missed:`` and ``extra:``, tokens with ``xN`` counts.
    """

    def fmt(items: list[list[str | int]]) -> str:
        return "  ".join(f"{t} x{c}" for t, c in items) if items else "(none)"

    return (
        f"{row.set} ({row.system}, TP {row.exact.tp} FP {row.exact.fp} "
        f"FN {row.exact.fn}):\n"
        f"  missed: {fmt(row.missed)}\n"
        f"  extra:  {fmt(row.extra)}"
    )


# --------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------


def _has_sroie(root: Path) -> bool:
    """Whether ``root`` holds SROIE's img/ and box/ folders."""
    return (root / "img").is_dir() and (root / "box").is_dir()


def _parser() -> argparse.ArgumentParser:
    """The command line's arguments."""
    ap = argparse.ArgumentParser(
        description="Token precision/recall/F1 of `ocr scan`, Tesseract and PP-OCRv6 "
        "on benchmark sets."
    )
    ap.add_argument(
        "--printed",
        type=int,
        default=20,
        metavar="N",
        help="synthetic printed pages (default 20; 0 skips the set)",
    )
    ap.add_argument(
        "--receipts",
        type=int,
        default=20,
        metavar="N",
        help="synthetic receipts (default 20; 0 skips the set)",
    )
    ap.add_argument(
        "--forms",
        type=int,
        default=20,
        metavar="N",
        help="synthetic handwritten form pages (default 20; 0 skips the set)",
    )
    ap.add_argument(
        "--sets",
        default=",".join(ALL_SETS),
        metavar="LIST",
        help="comma-separated sets to run, of " + ", ".join(ALL_SETS) + " (default all)",
    )
    ap.add_argument("--seed", type=int, default=0, help="base seed of make_pages.py (default 0)")
    ap.add_argument(
        "--sroie",
        type=Path,
        default=None,
        metavar="DIR",
        help=f"SROIE folder with img/ and box/ (default {DEFAULT_SROIE} if present)",
    )
    ap.add_argument(
        "--digits",
        type=Path,
        default=None,
        metavar="DIR",
        help="handwritten digit data (optdigits/, opencv-digits/) of the forms set "
        f"(default {DEFAULT_DIGIT_DATA} if present)",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        default=1,
        metavar="J",
        help="worker processes, the same for every system (default 1)",
    )
    ap.add_argument(
        "--workdir",
        type=Path,
        default=DEFAULT_WORKDIR,
        metavar="DIR",
        help=f"where generated pages are kept and reused (default {DEFAULT_WORKDIR})",
    )
    ap.add_argument("--no-tesseract", action="store_true", help="leave out Tesseract")
    ap.add_argument("--no-ppocr", action="store_true", help="leave out PP-OCRv6 (rapidocr)")
    ap.add_argument(
        "--json", type=Path, default=None, metavar="OUT", help="also write the numbers as JSON"
    )
    return ap


def _check_args(ap: argparse.ArgumentParser, args: argparse.Namespace) -> set[str]:
    """Refuse impossible arguments (exits with a usage error); the sets chosen."""
    if args.printed < 0 or args.receipts < 0 or args.forms < 0:
        ap.error("--printed, --receipts and --forms must be non-negative")
    chosen = {s.strip() for s in args.sets.split(",") if s.strip()}
    if not chosen or chosen - set(ALL_SETS):
        ap.error(f"--sets: choose from {', '.join(ALL_SETS)}")
    if args.jobs < 1:
        ap.error("--jobs must be at least 1")
    if args.seed < 0:
        ap.error("--seed must be non-negative")
    return chosen


def _page_sets(
    args: argparse.Namespace, chosen: set[str], digit_root: Path, sroie_root: Path
) -> tuple[list[PageSet], list[str]]:
    """The sets to measure, generated or found, and notes on those skipped."""
    digits_missing = check_hand_data(digit_root)
    sets: list[PageSet] = []
    notes: list[str] = []
    for name, count in (("printed", args.printed), ("receipts", args.receipts)):
        if count and name in chosen:
            sets.append(synthetic_set(name, count, args.seed, args.workdir, args.jobs))
    if args.forms and "forms" in chosen:
        if digits_missing:
            notes.append(f"forms: skipped, handwritten digit data missing ({digits_missing})")
            _say(notes[-1])
        else:
            sets.append(
                synthetic_set("forms", args.forms, args.seed, args.workdir, args.jobs, digit_root)
            )
    if "sroie" in chosen:
        if _has_sroie(sroie_root):
            sets.append(sroie_set(sroie_root))
        else:
            notes.append(f"sroie: skipped, no img/ and box/ under {sroie_root}")
            _say(notes[-1])
    return sets, notes


#: A system compared with ``ocr``: its name and its runner.
Reference = tuple[str, Callable[[PageSet, int], tuple[dict[str, list[str]], float, int]]]


def _measure(sets: list[PageSet], jobs: int, references: list[Reference]) -> list[Row] | None:
    """Score ``ocr`` and each reference on every set; None when ``ocr`` could not be run."""
    rows: list[Row] = []
    for pages in sets:
        _say(f"{pages.name}: ocr scan on {len(pages.truth)} pages, --jobs {jobs}")
        try:
            predicted, seconds, failed = run_ocr(pages, jobs)
        except RuntimeError as error:
            _say(f"error: {pages.name}: {error}")
            return None
        rows.append(score(pages, "ocr", predicted, seconds, failed))
        for system, run in references:
            _say(f"{pages.name}: {system} on {len(pages.truth)} pages, {jobs} workers")
            predicted, seconds, failed = run(pages, jobs)
            rows.append(score(pages, system, predicted, seconds, failed))
    return rows


def _references(args: argparse.Namespace, notes: list[str]) -> list[Reference] | None:
    """The reference systems to run; None when Tesseract is asked for but absent."""
    references: list[Reference] = []
    if not args.no_tesseract:
        if shutil.which("tesseract") is None:
            _say(
                "error: `tesseract` not found; apt-get install tesseract-ocr, "
                "or pass --no-tesseract"
            )
            return None
        references.append(("tesseract", run_tesseract))
    if not args.no_ppocr:
        missing = ppocr_missing()
        if missing is None:
            references.append((PPOCR, run_ppocr))
        else:
            notes.append(f"{PPOCR}: skipped, {missing}")
            _say(notes[-1])
    return references


def _report(rows: list[Row], notes: list[str], args: argparse.Namespace) -> None:
    """Print the tables (and write the JSON report when asked)."""
    print(format_table(rows))
    for row in rows:
        if row.failed:
            notes.append(
                f"{row.set}/{row.system}: {row.failed} pages could not be read "
                "(scored as no output)"
            )
    for note in notes:
        print(f"note: {note}")
    kinds_table = format_kinds(rows)
    if kinds_table:
        print()
        print("Recall per token kind (exact text):")
        print(kinds_table)
    print()
    print(f"Most common errors of ocr (top {TOP_ERRORS}, exact text):")
    for row in rows:
        if row.system == "ocr":
            print(format_errors(row))
    if args.json is not None:
        report = {
            "jobs": args.jobs,
            "seed": args.seed,
            "separators_removed": SEPARATORS,
            "notes": notes,
            "rows": [row.as_dict() for row in rows],
        }
        if any(row.system == PPOCR for row in rows):
            report[PPOCR] = ppocr_info()
        args.json.write_text(
            json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        _say(f"wrote {args.json}")


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 when a system could not be run.
    """
    ap = _parser()
    args = ap.parse_args(argv)
    chosen = _check_args(ap, args)
    notes: list[str] = []
    references = _references(args, notes)
    if references is None:
        return 1
    sroie_root = args.sroie if args.sroie is not None else DEFAULT_SROIE
    if args.sroie is not None and not _has_sroie(sroie_root):
        _say(f"error: --sroie {args.sroie}: no img/ and box/ folders there")
        return 1
    digit_root = args.digits if args.digits is not None else DEFAULT_DIGIT_DATA
    digits_missing = check_hand_data(digit_root)
    if args.digits is not None and digits_missing and "forms" in chosen and args.forms:
        _say(f"error: --digits {args.digits}: {digits_missing}")
        return 1
    sets, set_notes = _page_sets(args, chosen, digit_root, sroie_root)
    notes += set_notes
    rows = _measure(sets, args.jobs, references)
    if rows is None:
        return 1
    _report(rows, notes, args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

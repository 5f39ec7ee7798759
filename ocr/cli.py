"""The ``ocr`` command line: a thin layer over :mod:`ocr.api` and :mod:`ocr.train`.

Commands parse and check their options, open the output, call the library
and report. Errors are turned into a one-line message and an exit code here,
and only here (see :class:`ocr.errors.ExitCode`). Results go to ``--out`` or
stdout; progress and messages go to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer
from tqdm import tqdm

from . import __version__
from .classify import DEFAULT_MODEL
from .errors import ExitCode, OcrError, UsageError
from .load import DEFAULT_DPI, MAX_DPI
from .output import Format

if TYPE_CHECKING:
    from .api import Inputs
    from .output import Writer
    from .types import PageResult
    from .worker import PageTask

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read the digits of scanned forms and receipts into CSV.",
    # Plain help: the rich panels of recent Typer versions show every flag as
    # taking a value (`--quiet <bool>`, `--help <bool>`).
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


def _say(message: str) -> None:
    tqdm.write(f"ocr: {message}", file=sys.stderr)


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"ocr {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_print_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Read the digits of scanned forms and receipts into CSV."""


# The options of `ocr scan`, named once so that its signature reads as a list.
_Paths = Annotated[
    list[Path],
    typer.Argument(
        help="Image or PDF files, and folders (read recursively, in sorted order).",
        metavar="PATH",
        show_default=False,
    ),
]
_Out = Annotated[
    str, typer.Option("--out", "-o", help="File to write; - for stdout.", metavar="FILE")
]
_Jobs = Annotated[
    int, typer.Option("--jobs", "-j", help="Worker processes (0: one per CPU).", metavar="N")
]
_Model = Annotated[
    Path,
    typer.Option(
        help="kNN model (.npz; default: the shipped model).", metavar="FILE", show_default=False
    ),
]
_Dpi = Annotated[
    int,
    typer.Option(help=f"Resolution PDF pages are rendered at (1 to {MAX_DPI}).", metavar="DPI"),
]
_Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")]
_Fmt = Annotated[
    Format,
    typer.Option(
        "--format", help="csv or tsv (a row per token), jsonl or json (an object per page)."
    ),
]
_Excel = Annotated[
    bool,
    typer.Option("--excel", help="Start csv/tsv with the UTF-8 byte order mark Excel needs."),
]
_Template = Annotated[
    Path | None,
    typer.Option(
        help="Form template (YAML): one row per page with the named fields instead.",
        metavar="FILE",
    ),
]
_MinConfidence = Annotated[
    float,
    typer.Option(
        help="With --template: field values below this confidence are listed in issues.",
        metavar="0..1",
    ),
]
_DebugDir = Annotated[
    Path | None,
    typer.Option(
        help="Write a review PNG per page here: glyph boxes, tokens, unsure glyphs in red.",
        metavar="DIR",
    ),
]


@app.command()
def scan(
    paths: _Paths,
    out: _Out = "-",
    jobs: _Jobs = 0,
    model: _Model = DEFAULT_MODEL,
    dpi: _Dpi = DEFAULT_DPI,
    quiet: _Quiet = False,
    fmt: _Fmt = Format.csv,
    excel: _Excel = False,
    template: _Template = None,
    min_confidence: _MinConfidence = 0.5,
    debug_dir: _DebugDir = None,
) -> None:
    """Read the digit tokens of images, PDFs and folders into CSV.

    One row per token (or, with --template, per page), in input order; a
    file in a folder is named by its path relative to that folder, a file
    given directly by its file name.

    Exit codes: 0 all files read, 1 some files could not be read (each named
    on stderr), 2 usage error, 3 bad model file.
    """
    settings = _ScanSettings(
        out=out,
        jobs=jobs or _default_jobs(),
        model=model,
        dpi=dpi,
        quiet=quiet,
        fmt=fmt,
        excel=excel,
        template=template,
        min_confidence=min_confidence,
        debug_dir=debug_dir,
    )
    raise typer.Exit(_run(lambda: _scan(paths, settings)))


@dataclass(frozen=True, slots=True, kw_only=True)
class _ScanSettings:
    """The options of ``ocr scan``, as given on the command line."""

    out: str
    jobs: int
    model: Path
    dpi: int
    quiet: bool
    fmt: Format
    excel: bool
    template: Path | None
    min_confidence: float
    debug_dir: Path | None

    def check(self) -> None:
        """Raise :class:`UsageError` for the first option out of its range."""
        if self.jobs < 1:
            raise UsageError(f"--jobs must be at least 1, got {self.jobs}")
        if not 0 < self.dpi <= MAX_DPI:
            raise UsageError(f"--dpi must be from 1 to {MAX_DPI}, got {self.dpi}")
        if self.excel and self.fmt not in (Format.csv, Format.tsv):
            raise UsageError(f"--excel is for --format csv or tsv, not {self.fmt.value}")
        if not 0.0 <= self.min_confidence <= 1.0:
            raise UsageError(f"--min-confidence must be in 0..1, got {self.min_confidence}")


def _scan(paths: Sequence[Path], settings: _ScanSettings) -> ExitCode:
    """Check everything that can be checked, then read the pages and write them out."""
    from . import api
    from .output import make_writer

    settings.check()
    form = None
    if settings.template is not None:
        from .template import load_template

        form = load_template(settings.template)
    inputs = api.find_inputs(paths)
    if settings.debug_dir is not None:
        _check_writable_dir(settings.debug_dir, "--debug-dir")
    _warn_about_skipped(inputs)
    with _output(settings.out) as stream:
        writer = make_writer(
            settings.fmt,
            stream,
            excel=settings.excel,
            template=form,
            min_confidence=settings.min_confidence,
        )
        try:
            tasks = api.make_tasks(
                inputs,
                dpi=settings.dpi,
                debug_dir=settings.debug_dir,
                frames=form is not None and form.needs_frames,
            )
            results = api.read_pages(tasks, settings.model, jobs=settings.jobs)
            failed = _write_results(tasks, results, writer, quiet=settings.quiet)
        finally:
            writer.close()  # json's closing bracket, also after an interruption
    return ExitCode.input_file if failed else ExitCode.ok


def _warn_about_skipped(inputs: Inputs) -> None:
    for path in inputs.skipped:
        _say(f"warning: {path}: not an image file, skipped")
    for folder in inputs.empty:
        _say(f"warning: {folder}: no image files found")


def _write_results(
    tasks: Sequence[PageTask], results: Iterator[PageResult], writer: Writer, *, quiet: bool
) -> int:
    """Write each result as it comes, name each page not read; the number not read."""
    failed = 0
    with tqdm(
        total=len(tasks), unit="page", disable=True if quiet else None, file=sys.stderr
    ) as bar:
        for task, result in zip(tasks, results, strict=True):
            writer.write(result)
            if result.error is not None:
                failed += 1
                _say(f"{task.path}: {result.error}")
            bar.update(1)
    return failed


def _check_writable_dir(folder: Path, option: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".ocr-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"{option} {folder}: cannot write ({error.strerror})") from None


@contextmanager
def _output(out: str) -> Iterator[TextIO]:
    """The stream ``--out`` names (``-``: stdout, left open), UTF-8 with the writer's line ends."""
    if out == "-":
        reconfigure = getattr(sys.stdout, "reconfigure", None)
        if reconfigure is not None:
            # The csv module writes its own line ends; the output is UTF-8
            # like a file's, whatever the terminal's locale.
            reconfigure(newline="", encoding="utf-8")
        yield sys.stdout
        return
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"--out {out}: is a folder")
    try:
        stream = open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as error:
        raise UsageError(f"--out {out}: cannot write ({error.strerror})") from None
    with stream:
        yield stream


@app.command()
def show(
    image: Annotated[Path, typer.Argument(help="An image or PDF.", metavar="FILE")],
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="PNG to write.",
            metavar="FILE",
        ),
    ] = Path("overlay.png"),
    page: Annotated[
        int,
        typer.Option(
            help="Page of a PDF or multi-page TIFF.",
            metavar="N",
        ),
    ] = 1,
    dpi: Annotated[
        int,
        typer.Option(
            help="Resolution PDF pages are rendered at.",
            metavar="DPI",
        ),
    ] = DEFAULT_DPI,
    model: Annotated[
        Path,
        typer.Option(
            help="kNN model (.npz; default: the shipped model).",
            metavar="FILE",
            show_default=False,
        ),
    ] = DEFAULT_MODEL,
) -> None:
    """Draw what is read on one page, as a PNG to review.

    Glyph boxes are green (digits and separators), grey (other shapes) or red
    (unsure), and every token gets a blue box with its text and confidence.
    """
    raise typer.Exit(_run(lambda: _show(image, out, page, dpi, model)))


def _show(image: Path, out: Path, page: int, dpi: int, model: Path) -> ExitCode:
    from .classify import KNNClassifier
    from .load import load_page
    from .pipeline import read_page_detail
    from .worker import write_review_image

    if page < 1:
        raise UsageError(f"--page must be at least 1, got {page}")
    if not 0 < dpi <= MAX_DPI:
        raise UsageError(f"--dpi must be from 1 to {MAX_DPI}, got {dpi}")
    if image.is_dir():
        raise UsageError(
            f"{image}: is a folder; ocr show reads one image or PDF "
            "(ocr scan --debug-dir draws every page of a folder)"
        )
    if not image.exists():
        raise UsageError(f"{image}: no such file")
    classifier = KNNClassifier.load(model)
    pixels = load_page(image, page=page, dpi=dpi)
    detail = read_page_detail(pixels, classifier)
    try:
        write_review_image(pixels, detail, out)
    except OSError as error:
        raise UsageError(f"--out {out}: cannot write ({error})") from None
    for line in detail.lines:
        for token in line.tokens:
            typer.echo(f"line {line.number}: {token.text} ({token.kind}, {token.confidence:.3f})")
    _say(f"wrote {out}")
    return ExitCode.ok


@app.command()
def train(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="Model file to write (required, so that the shipped model is "
            "only replaced when named).",
            metavar="FILE",
            show_default=False,
        ),
    ],
    seed: Annotated[int, typer.Option(help="Seed of all randomness.", metavar="N")] = 0,
    plot: Annotated[
        Path | None,
        typer.Option(
            help="Save the error-vs-k curve as PNG.",
            metavar="FILE",
        ),
    ] = None,
    fonts: Annotated[
        list[Path] | None,
        typer.Option(
            "--font-dir",
            help="Folder of .ttf/.otf fonts (repeatable).",
            metavar="DIR",
        ),
    ] = None,
    per_font: Annotated[
        int,
        typer.Option(
            help="Renders of each digit per font.",
            metavar="N",
        ),
    ] = 10,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Less output.")] = False,
) -> None:
    """Build a kNN model and choose its k by validation.

    From scikit-learn's handwritten digits and the fonts installed (or those
    in --font-dir); use it with ocr scan --model.
    """
    raise typer.Exit(_run(lambda: _train(out, seed, plot, fonts, per_font, quiet)))


def _train(
    out: Path, seed: int, plot: Path | None, fonts: list[Path] | None, per_font: int, quiet: bool
) -> ExitCode:
    from .training import TrainConfig, build_model, find_fonts, find_handwriting_fonts

    font_dirs = tuple(fonts) if fonts else None
    font_files = find_fonts(font_dirs)
    hand_files = find_handwriting_fonts(font_dirs)
    if not quiet:
        _say(f"{len(font_files)} training fonts and {len(hand_files)} handwriting fonts found")
    if not font_files:
        raise UsageError(
            "no training fonts found: install the Debian packages the README names "
            "or pass --font-dir"
        )
    config = TrainConfig(seed=seed, per_font=per_font)
    report = build_model(
        font_files, config, log=None if quiet else _say, handwriting_fonts=hand_files
    )
    report.model.save(out, sources=tuple(path.name for path in [*font_files, *hand_files]))
    for k, error in zip(report.k_values, report.errors, strict=True):
        mark = "  <- minimum" if k == report.model.n_neighbors else ""
        typer.echo(f"k={k:2d}  validation error {error:.4f}{mark}")
    typer.echo(f"wrote {out}: {len(report.model.labels_)} vectors, k={report.model.n_neighbors}")
    if plot is not None:
        from .training import plot_curve

        plot_curve(report.k_values, report.errors, plot)
        typer.echo(f"wrote {plot}")
    return ExitCode.ok


def _run(job: Callable[[], ExitCode]) -> int:
    """Run a command's body; the one place errors become a message and an exit code."""
    try:
        return int(job())
    except OcrError as error:
        _say(f"error: {error}")
        return int(error.exit_code)
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        return int(ExitCode.ok)


def main() -> None:
    """Entry point of the ``ocr`` console script."""
    app()

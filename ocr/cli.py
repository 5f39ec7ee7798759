"""The ``ocr`` command line: a thin layer over :mod:`ocr.pipeline` and :mod:`ocr.train`.

Errors are turned into a one-line message and an exit code here, and only
here (see :class:`ocr.errors.ExitCode`). Results go to ``--out`` or stdout;
progress and messages go to stderr.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer
from tqdm import tqdm

from .classify import DEFAULT_MODEL
from .errors import ExitCode, OcrError, UsageError
from .load import DEFAULT_DPI, MAX_DPI
from .output import Format

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Read the digits of scanned forms and receipts into CSV.",
    pretty_exceptions_enable=False,
)


def _say(message: str) -> None:
    tqdm.write(f"ocr: {message}", file=sys.stderr)


def _default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@app.callback()
def _main() -> None:
    """Read the digits of scanned forms and receipts into CSV."""


@app.command()
def scan(
    inputs: Annotated[Path, typer.Argument(help="A folder (read recursively) or one image.")],
    out: Annotated[str, typer.Option("--out", "-o", help="File to write; - for stdout.")] = "-",
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Workers (0: one per CPU).")] = 0,
    model: Annotated[Path, typer.Option(help="kNN model (.npz).")] = DEFAULT_MODEL,
    dpi: Annotated[int, typer.Option(
        help=f"Resolution PDF pages are rendered at (1 to {MAX_DPI}).",
    )] = DEFAULT_DPI,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    fmt: Annotated[Format, typer.Option(
        "--format", help="csv or tsv (a row per token), jsonl or json (an object per page).",
    )] = Format.csv,
    excel: Annotated[bool, typer.Option(
        "--excel", help="Start csv/tsv with the UTF-8 byte order mark Excel needs.",
    )] = False,
    template: Annotated[Path | None, typer.Option(
        help="Form template (YAML): one row per page with the named fields instead.",
    )] = None,
    min_confidence: Annotated[float, typer.Option(
        help="With --template: field values below this confidence are listed in issues.",
    )] = 0.5,
    debug_dir: Annotated[Path | None, typer.Option(
        help="Write a review PNG per page here: glyph boxes, tokens, unsure glyphs in red.",
    )] = None,
) -> None:
    """Scan images for digit tokens and write one CSV row per token (or --format).

    Exit codes: 0 all files read, 1 some files could not be read (each named
    on stderr), 2 usage error, 3 bad model file.
    """
    code = _run(lambda: _scan(inputs, out, jobs or _default_jobs(), model, quiet,
                              fmt=fmt, excel=excel, dpi=dpi, template=template,
                              min_confidence=min_confidence, debug_dir=debug_dir))
    raise typer.Exit(code)


def _scan(inputs: Path, out: str, jobs: int, model: Path, quiet: bool, *,
          fmt: Format = Format.csv, excel: bool = False,
          dpi: int = DEFAULT_DPI, template: Path | None = None,
          min_confidence: float = 0.0, debug_dir: Path | None = None) -> ExitCode:
    from .api import make_tasks
    from .load import find_images
    from .output import Writer, make_writer
    from .worker import run_tasks as scan_pages

    if jobs < 1:
        raise UsageError(f"--jobs must be at least 1, got {jobs}")
    if not 0 < dpi <= MAX_DPI:
        raise UsageError(f"--dpi must be from 1 to {MAX_DPI}, got {dpi}")
    if excel and fmt not in (Format.csv, Format.tsv):
        raise UsageError(f"--excel is for --format csv or tsv, not {fmt.value}")
    if not 0.0 <= min_confidence <= 1.0:
        raise UsageError(f"--min-confidence must be in 0..1, got {min_confidence}")
    if not inputs.exists():
        raise UsageError(f"{inputs}: no such file or folder")
    form = None
    if template is not None:
        from .template import load_template

        form = load_template(template)
    if debug_dir is not None:
        _check_writable_dir(debug_dir, "--debug-dir")
    images, skipped = find_images(inputs)
    for path in skipped:
        _say(f"warning: {path}: not an image file, skipped")
    if not images:
        _say(f"warning: {inputs}: no image files found")
    stream = _open_out(out)
    failed = 0
    writer: Writer | None = None
    try:
        writer = make_writer(fmt, stream, excel=excel, template=form,
                             min_confidence=min_confidence)
        tasks = make_tasks(images, inputs, dpi=dpi, debug_dir=debug_dir,
                           frames=form is not None and form.needs_frames)
        results = scan_pages(tasks, model, jobs=min(jobs, max(1, len(tasks))))
        with tqdm(total=len(tasks), unit="page", disable=True if quiet else None,
                  file=sys.stderr) as bar:
            for result in results:
                writer.write(result)
                if result.error is not None:
                    failed += 1
                    _say(f"{Path(inputs, result.file) if inputs.is_dir() else inputs}: "
                         f"{result.error}")
                bar.update(1)
    finally:
        try:
            if writer is not None:
                writer.close()  # json's closing bracket, also after an interruption
        finally:
            if stream is not sys.stdout:
                stream.close()
    return ExitCode.input_file if failed else ExitCode.ok


def _check_writable_dir(folder: Path, option: str) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".ocr-write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        raise UsageError(f"{option} {folder}: cannot write ({error.strerror})") from None


@app.command()
def show(
    image: Annotated[Path, typer.Argument(help="An image or PDF.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="PNG to write.")] = Path("overlay.png"),
    page: Annotated[int, typer.Option(help="Page of a PDF or multi-page TIFF.")] = 1,
    dpi: Annotated[int, typer.Option(help="Resolution PDF pages are rendered at.")] = DEFAULT_DPI,
    model: Annotated[Path, typer.Option(help="kNN model (.npz).")] = DEFAULT_MODEL,
) -> None:
    """Draw what is read on one page: glyph boxes, tokens, unsure glyphs in red."""
    code = _run(lambda: _show(image, out, page, dpi, model))
    raise typer.Exit(code)


def _show(image: Path, out: Path, page: int, dpi: int, model: Path) -> ExitCode:
    from .classify import KNNClassifier
    from .load import load_page
    from .pipeline import read_page_detail
    from .worker import write_review_image

    if page < 1:
        raise UsageError(f"--page must be at least 1, got {page}")
    if not 0 < dpi <= MAX_DPI:
        raise UsageError(f"--dpi must be from 1 to {MAX_DPI}, got {dpi}")
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


def _open_out(out: str) -> TextIO:
    if out == "-":
        reconfigure = getattr(sys.stdout, "reconfigure", None)
        if reconfigure is not None:
            # The csv module writes its own line ends; the output is UTF-8
            # like a file's, whatever the terminal's locale.
            reconfigure(newline="", encoding="utf-8")
        return sys.stdout
    path = Path(out)
    if path.is_dir():
        raise UsageError(f"--out {out}: is a folder")
    try:
        return open(path, "w", newline="", encoding="utf-8")  # noqa: SIM115 - closed by caller
    except OSError as error:
        raise UsageError(f"--out {out}: cannot write ({error.strerror})") from None


@app.command()
def train(
    out: Annotated[Path, typer.Option("--out", "-o", help="Model file to write.")] = DEFAULT_MODEL,
    seed: Annotated[int, typer.Option(help="Seed of all randomness.")] = 0,
    plot: Annotated[Path | None, typer.Option(help="Save the error-vs-k curve as PNG.")] = None,
    fonts: Annotated[
        list[Path] | None,
        typer.Option("--font-dir", help="Folder of .ttf/.otf fonts (repeatable)."),
    ] = None,
    per_font: Annotated[int, typer.Option(help="Renders of each digit per font.")] = 10,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Less output.")] = False,
) -> None:
    """Build the kNN model from installable sources and choose k by validation."""
    code = _run(lambda: _train(out, seed, plot, fonts, per_font, quiet))
    raise typer.Exit(code)


def _train(out: Path, seed: int, plot: Path | None, fonts: list[Path] | None,
           per_font: int, quiet: bool) -> ExitCode:
    from .train import TrainConfig, build_model, find_fonts, find_handwriting_fonts

    font_dirs = tuple(fonts) if fonts else None
    font_files = find_fonts(font_dirs)
    hand_files = find_handwriting_fonts(font_dirs)
    if not quiet:
        _say(f"{len(font_files)} training fonts and {len(hand_files)} handwriting fonts found")
    if not font_files:
        raise UsageError("no training fonts found: install the Debian packages the README names "
                         "or pass --font-dir")
    config = TrainConfig(seed=seed, per_font=per_font)
    report = build_model(font_files, config, log=None if quiet else _say,
                         handwriting_fonts=hand_files)
    report.model.save(out, sources=tuple(path.name for path in [*font_files, *hand_files]))
    for k, error in zip(report.k_values, report.errors, strict=True):
        mark = "  <- minimum" if k == report.model.n_neighbors else ""
        typer.echo(f"k={k:2d}  validation error {error:.4f}{mark}")
    typer.echo(f"wrote {out}: {len(report.model.labels_)} vectors, k={report.model.n_neighbors}")
    if plot is not None:
        from .train import plot_curve

        plot_curve(report.k_values, report.errors, plot)
        typer.echo(f"wrote {plot}")
    return ExitCode.ok


def _run(job) -> int:  # noqa: ANN001 - a zero-argument callable returning an ExitCode
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

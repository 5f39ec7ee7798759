"""The ocr command end to end: samples, CSV schema, inputs, determinism, bad input, exit codes.

Most tests run the command in this process (``invoke``); those about the real
process (its exit status, its stdout, worker processes, Ctrl-C) start one
(``run_ocr``).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import ocr
from conftest import EXPECTED, REPO, SAMPLES, invoke, run_ocr
from ocr.errors import UsageError

HEADER = "file,page,line,left,top,width,height,text,kind,confidence"
SAMPLE_F1 = 0.9
"""Token F1 that the shipped model must reach on samples/ (measured: see README)."""


@pytest.fixture(scope="module")
def samples_out(tmp_path_factory) -> Path:
    """``ocr scan samples/`` as the README's first command runs it."""
    out = tmp_path_factory.mktemp("scan") / "results.csv"
    done = invoke("scan", SAMPLES, "--out", out, "--jobs", "1")
    assert done.exit_code == 0, done.stderr
    assert done.stderr == ""  # samples/ holds page images only: no warnings
    return out


@pytest.fixture(scope="module")
def samples_csv(samples_out: Path) -> str:
    return samples_out.read_text(encoding="utf-8")


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_samples_tokens_match_expected(samples_csv: str) -> None:
    rows = _rows(samples_csv)
    tp = fp = fn = 0
    sidecars = sorted(EXPECTED.glob("*.tokens.json"))
    assert len(sidecars) == 3
    for sidecar in sidecars:
        expected = json.loads(sidecar.read_text())
        want = Counter(expected["tokens"])
        got = Counter(r["text"] for r in rows if r["file"] == expected["image"])
        hit = sum((want & got).values())
        tp, fp, fn = tp + hit, fp + sum(got.values()) - hit, fn + sum(want.values()) - hit
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= SAMPLE_F1, f"token F1 {f1:.3f} (P {precision:.3f}, R {recall:.3f})"


def test_csv_schema(samples_csv: str) -> None:
    assert samples_csv.splitlines()[0] == HEADER
    rows = _rows(samples_csv)
    assert rows, "no tokens read from samples/"
    sizes = {
        p.relative_to(SAMPLES).as_posix(): Image.open(p).size
        for p in SAMPLES.rglob("*")
        if p.suffix in (".png", ".jpg")
    }
    for row in rows:
        assert row["file"] in sizes and row["page"] == "1"
        width, height = sizes[row["file"]]
        left, top, w, h = (int(row[k]) for k in ("left", "top", "width", "height"))
        assert 0 <= left and left + w <= width and 0 <= top and top + h <= height
        assert int(row["line"]) >= 1
        assert row["kind"] in {"integer", "decimal", "date", "time", "other"}
        assert len(row["confidence"].split(".")[1]) == 3
        assert 0.0 <= float(row["confidence"]) <= 1.0
    # Reading order: per file, lines never go backwards.
    for name in sizes:
        lines = [int(r["line"]) for r in rows if r["file"] == name]
        assert lines == sorted(lines)


def test_files_and_folders_together(samples_csv: str) -> None:
    done = invoke("scan", SAMPLES / "receipt.jpg", SAMPLES / "forms", "-j", "1", "-q")
    assert done.exit_code == 0, done.stderr
    # A file given directly is named by its file name, a file in a folder by
    # its path relative to that folder; inputs keep the order given.
    before = _rows(samples_csv)
    expected = [r for r in before if r["file"] == "receipt.jpg"] + [
        {**r, "file": r["file"].removeprefix("forms/")}
        for r in before
        if r["file"].startswith("forms/")
    ]
    assert _rows(done.stdout) == expected


def test_a_run_in_its_own_process_with_two_jobs_is_byte_identical(
    samples_out: Path, tmp_path: Path
) -> None:
    done = run_ocr("scan", SAMPLES, "--out", tmp_path / "b.csv", "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "b.csv").read_bytes() == samples_out.read_bytes()


def test_out_dash_writes_csv_to_stdout(samples_csv: str) -> None:
    done = run_ocr("scan", SAMPLES / "receipt.jpg", "--out", "-", text=False)
    assert done.returncode == 0
    assert done.stdout.startswith(HEADER.encode() + b"\r\n")  # the csv module's line ends
    receipt_rows = [r for r in _rows(samples_csv) if r["file"] == "receipt.jpg"]
    rows = _rows(done.stdout.decode("utf-8"))
    assert [r["text"] for r in rows] == [r["text"] for r in receipt_rows]
    assert b"ocr:" not in done.stdout  # messages never mix into the CSV


def test_root_cli_shim_works() -> None:
    done = subprocess.run(
        [sys.executable, "cli.py", "scan", "samples/receipt.jpg", "-q"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0 and done.stdout.startswith(HEADER)


def test_non_image_files_are_skipped_with_a_warning(tmp_path: Path) -> None:
    (tmp_path / "scans").mkdir()
    shutil.copy(SAMPLES / "receipt.jpg", tmp_path / "scans" / "receipt.jpg")
    (tmp_path / "scans" / "notes.txt").write_text("not a scan")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "list.csv").write_text("a,b\n")
    done = invoke("scan", tmp_path / "scans", tmp_path / "other", "-j", "1", "-q")
    assert done.exit_code == 0
    assert done.stderr.splitlines() == [
        f"ocr: warning: {tmp_path / 'scans' / 'notes.txt'}: not an image file, skipped",
        f"ocr: warning: {tmp_path / 'other' / 'list.csv'}: not an image file, skipped",
        f"ocr: warning: {tmp_path / 'other'}: no image files found",
    ]
    assert len(_rows(done.stdout)) > 5


def _bad_files(folder: Path) -> Path:
    """Five files, three of them unreadable; b_receipt.jpg reads, e_blank.png has no tokens."""
    folder.mkdir()
    shutil.copy(SAMPLES / "receipt.jpg", folder / "b_receipt.jpg")
    (folder / "a_empty.png").write_bytes(b"")
    data = (SAMPLES / "printed_form.png").read_bytes()
    (folder / "c_truncated.png").write_bytes(data[: len(data) // 3])
    (folder / "d_letter.jpg").write_text("Dear customer, this is text.")
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(folder / "e_blank.png")
    return folder


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = _bad_files(tmp_path / "in")
    out = tmp_path / "out.csv"
    done = invoke("scan", folder, "--out", out, "-j", "1", "-q")
    assert done.exit_code == 1
    errors = done.stderr.splitlines()
    assert len(errors) == 3
    for name, reason in [
        ("a_empty.png", "empty file"),
        ("c_truncated.png", "damaged"),
        ("d_letter.jpg", "not an image"),
    ]:
        assert any(line.startswith(f"ocr: {folder / name}: {reason}") for line in errors), errors
    rows = _rows(out.read_text())
    assert {r["file"] for r in rows} == {"b_receipt.jpg"}
    assert len(rows) > 5


def test_a_missing_input_is_a_usage_error_before_any_output(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    done = invoke("scan", SAMPLES / "receipt.jpg", tmp_path / "nowhere.png", SAMPLES, "--out", out)
    assert done.exit_code == 2
    assert done.stderr == f"ocr: error: {tmp_path / 'nowhere.png'}: no such file or folder\n"
    assert not out.exists()
    with pytest.raises(UsageError, match="nowhere"):
        ocr.scan([SAMPLES, tmp_path / "nowhere"])  # the API says so at once, too


def test_other_usage_errors_exit_2(tmp_path: Path) -> None:
    unwritable = invoke("scan", SAMPLES, "--out", tmp_path / "no" / "dir" / "x.csv")
    assert unwritable.exit_code == 2 and "cannot write" in unwritable.stderr
    assert invoke("scan", SAMPLES, "--jobs", "-1").exit_code == 2
    assert invoke("scan", SAMPLES, "--min-confidence", "2").exit_code == 2
    no_input = invoke("scan")
    assert no_input.exit_code == 2 and "PATH" in no_input.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ((SAMPLES / "receipt.jpg").read_bytes(), "not an ocr model file (not an .npz archive)"),
        (b"PK\x03\x04 not really", "damaged model file"),
    ],
)
def test_bad_model_exits_3_with_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    name = "model.jpg" if content.startswith(b"\xff\xd8") else "model.npz"
    (tmp_path / name).write_bytes(content)
    done = invoke("scan", SAMPLES / "receipt.jpg", "--model", tmp_path / name, "-j", "1")
    assert done.exit_code == 3
    lines = done.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"ocr: error: {tmp_path / name}: {message}")
    assert "pickle" not in done.stderr


def test_version_and_help() -> None:
    version = invoke("--version")
    assert version.exit_code == 0 and version.stdout == f"ocr {ocr.__version__}\n"
    assert ocr.__version__ == "0.1.0"
    assert [
        line.split()[0]
        for line in invoke("-h").stdout.split("Commands:")[1].splitlines()
        if line.strip()
    ] == ["scan", "show", "train"]
    for command in ([], ["scan"], ["show"], ["train"]):
        long, short = invoke(*command, "--help"), invoke(*command, "-h")
        assert long.exit_code == short.exit_code == 0
        assert short.stdout == long.stdout
        assert "<bool>" not in long.stdout
        assert re.search(r"-h, --help +Show this message", long.stdout)
    text = invoke("scan", "-h").stdout
    assert re.search(r"-q, --quiet +No progress bar", text)
    assert re.search(r"--excel +Start csv", text)


def test_train_requires_out() -> None:
    done = invoke("train")
    assert done.exit_code == 2
    assert "Missing option '--out'" in done.stderr


def test_console_script_exit_codes(tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("ocr")
    if not script.exists():
        pytest.skip("the ocr console script is not installed next to this Python")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.png").write_bytes(b"")
    (tmp_path / "model.npz").write_text("not a model")
    runs: dict[int, list[str | Path]] = {
        1: ["scan", folder, "-q"],
        2: ["scan", tmp_path / "nowhere", "-q"],
        3: ["scan", folder, "--model", tmp_path / "model.npz", "-q"],
    }
    for code, args in runs.items():
        done = subprocess.run([script, *args], capture_output=True, text=True, timeout=300)
        assert done.returncode == code, done.stderr
        assert len(done.stderr.splitlines()) == 1, done.stderr


@pytest.mark.skipif(os.name != "posix", reason="process groups and SIGINT")
def _interruptible() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_keeps_the_pages_done_and_exits_130(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    # Far more pages than can finish while this process, on a loaded
    # machine, waits for its turn to send the signal after the first page.
    pages_in = 80
    for index in range(pages_in):
        shutil.copy(SAMPLES / "receipt.jpg", folder / f"r{index:02d}.jpg")
    out = tmp_path / "out.json"
    # Like Ctrl-C in a terminal: SIGINT to the parent and its workers at once.
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ocr",
            "scan",
            folder,
            "--format",
            "json",
            "--out",
            out,
            "-j",
            "2",
            "-q",
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
        # A shell's background job inherits Ctrl-C ignored, and Python then
        # keeps ignoring it: the scan gets the default handling, as in a terminal.
        preexec_fn=_interruptible,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not (out.exists() and '"file"' in out.read_text()):
            time.sleep(0.05)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 130, stderr
    assert "ocr: interrupted" in stderr.splitlines()
    pages = json.loads(out.read_text(encoding="utf-8"))["pages"]  # closed: still valid JSON
    assert 1 <= len(pages) < pages_in
    assert [page["file"] for page in pages] == [f"r{i:02d}.jpg" for i in range(len(pages))]

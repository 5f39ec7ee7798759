"""The ocr command end to end: samples, CSV schema, determinism, bad input, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from conftest import EXPECTED, REPO, SAMPLES

HEADER = "file,page,line,left,top,width,height,text,kind,confidence"
SAMPLE_F1 = 0.9
"""Token F1 that the shipped model must reach on samples/ (measured: see README)."""


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ocr", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def samples_out(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("scan") / "results.csv"
    done = run("scan", str(SAMPLES), "--out", str(out), "--jobs", "1")
    assert done.returncode == 0, done.stderr
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
    sizes = {p.relative_to(SAMPLES).as_posix(): Image.open(p).size
             for p in SAMPLES.rglob("*") if p.suffix in (".png", ".jpg")}
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


def test_runs_are_byte_identical_and_jobs_do_not_matter(samples_out: Path, tmp_path) -> None:
    again = run("scan", str(SAMPLES), "--out", str(tmp_path / "a.csv"), "--jobs", "1")
    parallel = run("scan", str(SAMPLES), "--out", str(tmp_path / "b.csv"), "--jobs", "2")
    assert again.returncode == parallel.returncode == 0
    assert (tmp_path / "a.csv").read_bytes() == samples_out.read_bytes()
    assert (tmp_path / "b.csv").read_bytes() == samples_out.read_bytes()


def test_out_dash_writes_csv_to_stdout(samples_csv: str) -> None:
    done = run("scan", str(SAMPLES / "receipt.jpg"), "--out", "-", "-q")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0] == HEADER
    receipt_rows = [r for r in _rows(samples_csv) if r["file"] == "receipt.jpg"]
    assert [r["text"] for r in _rows(done.stdout)] == [r["text"] for r in receipt_rows]
    assert "ocr:" not in done.stdout  # messages never mix into the CSV


def test_root_cli_shim_works() -> None:
    done = subprocess.run([sys.executable, "cli.py", "scan", "samples/receipt.jpg", "-q"],
                          cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and done.stdout.startswith(HEADER)


def test_non_image_files_are_skipped_with_a_warning(tmp_path) -> None:
    shutil.copy(SAMPLES / "receipt.jpg", tmp_path / "receipt.jpg")
    (tmp_path / "notes.txt").write_text("not a scan")
    done = run("scan", str(tmp_path), "-q")
    assert done.returncode == 0
    assert "notes.txt: not an image file, skipped" in done.stderr
    assert len(_rows(done.stdout)) > 5


def test_bad_files_are_reported_and_the_batch_goes_on(tmp_path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLES / "receipt.jpg", folder / "b_receipt.jpg")
    (folder / "a_empty.png").write_bytes(b"")
    data = (SAMPLES / "printed_form.png").read_bytes()
    (folder / "c_truncated.png").write_bytes(data[: len(data) // 3])
    (folder / "d_letter.jpg").write_text("Dear customer, this is text.")
    image = np.full((40, 40), 255, np.uint8)
    Image.fromarray(image).save(folder / "e_blank.png")
    out = tmp_path / "out.csv"
    done = run("scan", str(folder), "--out", str(out), "-q")
    assert done.returncode == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("ocr:")]
    assert len(errors) == 3
    for name, reason in [("a_empty.png", "empty file"), ("c_truncated.png", "damaged"),
                         ("d_letter.jpg", "not an image")]:
        assert any(name in line and reason in line for line in errors), errors
    rows = _rows(out.read_text())
    assert {r["file"] for r in rows} == {"b_receipt.jpg"}
    assert len(rows) > 5


def test_usage_errors_exit_2_before_any_work(tmp_path) -> None:
    missing = run("scan", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.csv"))
    assert missing.returncode == 2 and "nowhere" in missing.stderr
    assert not (tmp_path / "x.csv").exists()
    unwritable = run("scan", str(SAMPLES), "--out", str(tmp_path / "no" / "dir" / "x.csv"))
    assert unwritable.returncode == 2 and "cannot write" in unwritable.stderr
    assert run("scan", str(SAMPLES), "--jobs", "-1").returncode == 2
    assert run("scan").returncode == 2  # no input given


def test_bad_model_exits_3(tmp_path) -> None:
    (tmp_path / "model.npz").write_bytes(b"PK\x03\x04 not really")
    done = run("scan", str(SAMPLES / "receipt.jpg"), "--model", str(tmp_path / "model.npz"))
    assert done.returncode == 3 and "damaged model file" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1

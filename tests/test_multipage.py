"""Documents with several pages: PDF (rendered at --dpi), multi-page TIFF, GIF and WebP."""

from __future__ import annotations

import csv
import hashlib
import io
import struct
from pathlib import Path

import cv2
import numpy as np
import pypdfium2
import pytest
from PIL import Image

from conftest import invoke
from ocr.api import find_inputs, make_tasks
from ocr.errors import PageReadError
from ocr.load import count_pages, find_images, load_page

PAGE_TOKENS = [["123", "4567"], ["2024", "89"], ["305", "61"]]
"""The numbers written on the three pages of the test documents, top to bottom."""


def _page(texts: list[str]) -> Image.Image:
    """A 1200x600 white page with one number per line, large enough to read surely."""
    page = np.full((600, 1200), 255, dtype=np.uint8)
    for i, text in enumerate(texts):
        cv2.putText(page, text, (60, 150 + 180 * i), cv2.FONT_HERSHEY_SIMPLEX, 3, 0, 6, cv2.LINE_AA)
    return Image.fromarray(page)


def _save_document(path: Path, pages: list[Image.Image], **options: object) -> Path:
    pages[0].save(path, save_all=True, append_images=pages[1:], **options)
    return path


def _pdf(path: Path) -> Path:
    """The three pages as a PDF of 4 x 2 inch pages: 1200x600 px again at 300 dpi."""
    return _save_document(path, [_page(t) for t in PAGE_TOKENS], resolution=300.0)


def _tiff(path: Path) -> Path:
    return _save_document(path, [_page(t) for t in PAGE_TOKENS], compression="tiff_deflate")


# An encrypted PDF, written by hand: the standard security handler, revision 2
# (40-bit RC4), with user password "secret" (PDF 1.7, ISO 32000-1, 7.6.3).

_PASSWORD_PAD = bytes.fromhex("28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def _encrypted_pdf(user: bytes = b"secret", owner: bytes = b"owner") -> bytes:
    """A one-page PDF (no content) that opens only with ``user`` or ``owner``."""

    def pad(password: bytes) -> bytes:
        return (password + _PASSWORD_PAD)[:32]

    permissions = -4
    doc_id = hashlib.md5(b"ocr test document").digest()
    o_entry = _rc4(hashlib.md5(pad(owner)).digest()[:5], pad(user))
    key = hashlib.md5(pad(user) + o_entry + struct.pack("<i", permissions) + doc_id).digest()[:5]
    u_entry = _rc4(key, _PASSWORD_PAD)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 288 144] >>",
        b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>"
        % (o_entry.hex().encode(), u_entry.hex().encode(), permissions),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += (
        b"trailer\n<< /Size %d /Root 1 0 R /Encrypt 4 0 R /ID [<%s> <%s>] >>\n"
        b"startxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, doc_id.hex().encode(), doc_id.hex().encode(), xref)
    )
    return bytes(out)


def _reason(path: Path, **options: object) -> str:
    with pytest.raises(PageReadError) as caught:
        load_page(path, **options)
    assert str(path) in str(caught.value)
    return caught.value.reason


def _count_reason(path: Path) -> str:
    with pytest.raises(PageReadError) as caught:
        count_pages(path)
    return caught.value.reason


# --------------------------------------------------------------------------- PDF


def test_pdf_pages_are_counted_and_rendered_one_by_one(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "doc.pdf")
    assert count_pages(pdf) == 3
    for number, texts in enumerate(PAGE_TOKENS, 1):
        page = load_page(pdf, page=number)
        assert page.dtype == np.uint8 and page.shape == (600, 1200)
        assert page.flags.c_contiguous
        expected = np.asarray(_page(texts))
        # JPEG inside the PDF, then rendering: close to the page, not equal.
        assert np.abs(page.astype(int) - expected).mean() < 3


def test_counting_pdf_pages_renders_nothing(tmp_path: Path, monkeypatch) -> None:
    def no_rendering(*args: object, **kwargs: object) -> None:
        raise AssertionError("a page was rendered while counting")

    monkeypatch.setattr(pypdfium2.PdfPage, "render", no_rendering)
    pdf = _pdf(tmp_path / "doc.pdf")
    assert count_pages(pdf) == 3
    assert len(make_tasks(find_inputs(pdf))) == 3


def test_pdf_dpi_sets_the_resolution(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "doc.pdf")
    assert load_page(pdf, page=2, dpi=150).shape == (300, 600)
    assert load_page(pdf, page=2, dpi=72).shape == (144, 288)


def test_pdf_colour_is_rendered_as_luma(tmp_path: Path) -> None:
    rgb = np.zeros((40, 40, 3), dtype=np.uint8)
    rgb[..., 0] = 255  # pure red
    Image.fromarray(rgb).save(tmp_path / "red.pdf", resolution=72.0)
    page = load_page(tmp_path / "red.pdf", dpi=72)
    assert page.shape == (40, 40) and abs(int(page[20, 20]) - 76) <= 2  # 0.299 * 255


def test_pdf_page_too_large_at_dpi_is_refused_before_rendering(tmp_path: Path) -> None:
    pdf = _pdf(tmp_path / "doc.pdf")
    reason = _reason(pdf, page=3, dpi=1200, max_pixels=1_000_000)
    assert reason == "page 3 too large at 1200 dpi (4800x2400 px, limit 1000000 px)"


def test_pdf_page_out_of_range(tmp_path: Path) -> None:
    assert _reason(_pdf(tmp_path / "doc.pdf"), page=4) == "no page 4 (the PDF has 3)"


def test_encrypted_pdf(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(_encrypted_pdf())
    with pypdfium2.PdfDocument(path, password="secret") as pdf:  # really encrypted, and valid
        assert len(pdf) == 1
    assert _count_reason(path) == "encrypted PDF (password required)"
    assert _reason(path) == "encrypted PDF (password required)"


def test_truncated_pdf(tmp_path: Path) -> None:
    data = _pdf(tmp_path / "doc.pdf").read_bytes()
    (tmp_path / "cut.pdf").write_bytes(data[: len(data) // 2])
    reason = _count_reason(tmp_path / "cut.pdf")
    assert reason.startswith("damaged PDF (") and "\n" not in reason
    assert _reason(tmp_path / "cut.pdf") == reason


def test_not_a_pdf_and_empty_pdf(tmp_path: Path) -> None:
    (tmp_path / "letter.pdf").write_text("Dear customer,\n")
    (tmp_path / "empty.pdf").write_bytes(b"")
    assert _count_reason(tmp_path / "letter.pdf") == "not a PDF (no %PDF- header)"
    assert _count_reason(tmp_path / "empty.pdf") == "empty file"
    assert _count_reason(tmp_path / "gone.pdf") == "no such file"


# --------------------------------------------------------------------------- images


def test_multipage_tiff_every_page(tmp_path: Path) -> None:
    tiff = _tiff(tmp_path / "doc.tif")
    assert count_pages(tiff) == 3
    for number, texts in enumerate(PAGE_TOKENS, 1):
        page = load_page(tiff, page=number)
        assert np.array_equal(page, np.asarray(_page(texts)))  # lossless
    assert _reason(tiff, page=4) == "no page 4 (the file has 3)"


def test_tiff_exif_orientation_per_page(tmp_path: Path) -> None:
    gradient = Image.fromarray(np.tile(np.linspace(0, 255, 40).astype(np.uint8), (30, 1)))
    turned = gradient.copy()
    turned.encoderinfo = {"tiffinfo": {0x0112: 6}, "compression": "tiff_deflate"}
    _save_document(tmp_path / "mixed.tif", [gradient, turned], compression="tiff_deflate")
    first = load_page(tmp_path / "mixed.tif", page=1)
    second = load_page(tmp_path / "mixed.tif", page=2)
    assert first.shape == (30, 40) and first[0, 0] < 10 and first[0, -1] > 245
    assert second.shape == (40, 30)  # displayed rotated 90 degrees clockwise
    assert second[0, 0] < 20 and second[-1, 0] > 235  # the dark edge is now on top


@pytest.mark.parametrize("suffix,options", [(".gif", {}), (".webp", {"lossless": True})])
def test_gif_and_webp_first_frame_only(tmp_path: Path, suffix: str, options: dict) -> None:
    frames = [Image.new("L", (40, 30), value).convert("RGB") for value in (0, 255)]
    path = _save_document(tmp_path / f"anim{suffix}", frames, duration=100, **options)
    with Image.open(path) as image:
        assert image.n_frames == 2  # really animated
    assert count_pages(path) == 1
    page = load_page(path)
    assert page.shape == (30, 40) and page.max() < 10  # the first, black frame
    assert _reason(path, page=2) == "no page 2 (the file has 1)"


def test_single_page_formats_count_one_without_opening(tmp_path: Path) -> None:
    Image.new("L", (10, 10), 255).save(tmp_path / "page.png")
    assert count_pages(tmp_path / "page.png") == 1
    (tmp_path / "bad.png").write_bytes(b"not a png")
    assert count_pages(tmp_path / "bad.png") == 1  # load_page reports it, in the worker
    assert "not an image" in _reason(tmp_path / "bad.png")


def test_find_images_knows_the_new_formats(tmp_path: Path) -> None:
    for name in ["a.pdf", "b.GIF", "c.webp", "d.tiff", "e.txt"]:
        (tmp_path / name).write_bytes(b"x")
    images, skipped = find_images(tmp_path)
    assert [p.name for p in images] == ["a.pdf", "b.GIF", "c.webp", "d.tiff"]
    assert [p.name for p in skipped] == ["e.txt"]


def test_make_tasks_expands_pages_in_order(tmp_path: Path) -> None:
    _pdf(tmp_path / "a.pdf")
    (tmp_path / "b_locked.pdf").write_bytes(_encrypted_pdf())
    _tiff(tmp_path / "c.tif")
    Image.new("L", (10, 10), 255).save(tmp_path / "d.png")
    tasks = make_tasks(find_inputs(tmp_path), dpi=200)
    assert [(t.name, t.page) for t in tasks] == [
        ("a.pdf", 1),
        ("a.pdf", 2),
        ("a.pdf", 3),
        ("b_locked.pdf", 1),
        ("c.tif", 1),
        ("c.tif", 2),
        ("c.tif", 3),
        ("d.png", 1),
    ]
    assert {t.dpi for t in tasks} == {200}
    assert [t.error for t in tasks if t.error] == ["encrypted PDF (password required)"]


# --------------------------------------------------------------------------- CLI


def _tokens_by_page(csv_text: str, name: str) -> dict[int, list[str]]:
    pages: dict[int, list[str]] = {}
    for row in csv.DictReader(io.StringIO(csv_text)):
        if row["file"] == name:
            pages.setdefault(int(row["page"]), []).append(row["text"])
    return pages


def test_cli_reads_every_page_of_pdf_and_tiff(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    _pdf(folder / "a.pdf")
    _tiff(folder / "b.tif")
    out = tmp_path / "out.csv"
    done = invoke("scan", folder, "--out", out, "-j", "1", "-q")
    assert done.exit_code == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    expected = dict(enumerate(PAGE_TOKENS, 1))
    assert _tokens_by_page(text, "a.pdf") == expected
    assert _tokens_by_page(text, "b.tif") == expected
    files_pages = [(r["file"], int(r["page"])) for r in csv.DictReader(io.StringIO(text))]
    assert files_pages == sorted(files_pages)  # file order, then page order


def test_cli_dpi(tmp_path: Path) -> None:
    pdf = _save_document(tmp_path / "one.pdf", [_page(PAGE_TOKENS[0])], resolution=300.0)
    rows = {}
    for dpi in ("300", "150"):
        done = invoke("scan", pdf, "--dpi", dpi, "-j", "1", "-q")
        assert done.exit_code == 0, done.stderr
        rows[dpi] = list(csv.DictReader(io.StringIO(done.stdout)))
    assert [r["text"] for r in rows["150"]] == PAGE_TOKENS[0]
    for full, half in zip(rows["300"], rows["150"], strict=True):
        assert abs(int(full["height"]) - 2 * int(half["height"])) <= 3
    for bad in ("0", "-5", "1201"):
        done = invoke("scan", pdf, "--dpi", bad, "-q")
        assert done.exit_code == 2 and "--dpi" in done.stderr and done.stdout == ""


def test_cli_bad_pdfs_are_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    data = _pdf(tmp_path / "whole.pdf").read_bytes()
    (folder / "a_cut.pdf").write_bytes(data[: len(data) * 2 // 3])
    (folder / "b_locked.pdf").write_bytes(_encrypted_pdf())
    _page(PAGE_TOKENS[1]).save(folder / "c_page.png")
    out = tmp_path / "out.csv"
    done = invoke("scan", folder, "--out", out, "-j", "1", "-q")
    assert done.exit_code == 1
    errors = [line for line in done.stderr.splitlines() if line.startswith("ocr:")]
    assert len(errors) == 2, done.stderr
    assert errors[0].startswith(f"ocr: {folder / 'a_cut.pdf'}: damaged PDF (")
    assert errors[1] == f"ocr: {folder / 'b_locked.pdf'}: encrypted PDF (password required)"
    assert _tokens_by_page(out.read_text(encoding="utf-8"), "c_page.png") == {1: PAGE_TOKENS[1]}

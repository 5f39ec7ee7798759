"""The ``forms`` set: A4 form pages with printed labels and handwritten numbers.

A title block, 10-14 fields in one or two columns (see :mod:`.fields`) and
sometimes a footer, written with one real writer source per page; the page
is rotated slightly and degraded like ``printed``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
from PIL import ImageFont

from .common import (
    A4_PX,
    PRINTED_DPI,
    degrade,
    draw_tilt,
    pick,
    random_digits,
    rotate_image,
    rotate_points,
    scan_params,
)
from .fields import FORM_FIELDS, Field, FormLine, draw_field, plan_field, text_line
from .fonts import FontFamily, FontPool, load_font
from .hand_digits import load_hand_digits

FORM_TITLES = (
    "CUSTOMER REGISTRATION",
    "Order Form",
    "Payment Instruction",
    "Delivery Request",
    "Meter Reading Card",
    "Membership Application",
    "Stock Count Sheet",
    "Service Request",
    "Return Authorisation",
    "Account Details",
)
FORM_NOTES = (
    "Please write clearly in black or blue ink.",
    "Write one digit in each box.",
    "Complete all fields in capitals and digits.",
    "Incomplete forms will be returned.",
    "For office use only below the line.",
)
#: Point to pixel factor of the A4 pages.
PT2PX = PRINTED_DPI / 72.0


@dataclass
class _Sheet:
    """A form page being drawn.

    Attributes
    ----------
    printed : numpy.ndarray
        ``uint8`` coverage of the printed parts.
    hand : numpy.ndarray
        ``float32`` coverage of the handwriting, 0..1.
    pen_ink : numpy.ndarray
        ``float32`` pen gray of the number drawn at each pixel, NaN elsewhere.
    left, right : float
        Edges of the text area.
    y : float
        Current vertical position, moving down the page.
    lines : list of FormLine
        Ground-truth lines drawn so far, in reading order.
    """

    printed: np.ndarray
    hand: np.ndarray
    pen_ink: np.ndarray
    left: float
    right: float
    y: float
    lines: list[FormLine] = field(default_factory=list)


def _form_header(
    rng: np.random.Generator, sheet: _Sheet, pool: FontPool, family: FontFamily
) -> None:
    """Draw the title with the form number, the note and page line, and a rule."""
    tfam = pool.choose(rng)
    tbold = bool(rng.random() < 0.7)
    tfont = load_font(tfam.path(tbold), round(float(rng.uniform(16, 24)) * PT2PX))
    sheet.y += tfont.size
    head = [(pick(rng, FORM_TITLES), sheet.left, "left")]
    if rng.random() < 0.85:
        head.append((f"Form {random_digits(rng, int(rng.integers(3, 6)))}", sheet.right, "right"))
    sheet.lines.append(
        text_line(sheet.printed, head, tfont, sheet.y, f"{tfam.name}{'-Bold' if tbold else ''}")
    )
    sfont = load_font(family.path(False), round(float(rng.uniform(9, 11)) * PT2PX))
    sub = []
    if rng.random() < 0.6:
        sub.append((pick(rng, FORM_NOTES), sheet.left, "left"))
    if rng.random() < 0.7:
        n_pages = int(rng.integers(2, 5))
        sub.append((f"Page {int(rng.integers(1, n_pages + 1))} of {n_pages}", sheet.right, "right"))
    if sub:
        sheet.y += 1.8 * sfont.size
        sheet.lines.append(text_line(sheet.printed, sub, sfont, sheet.y, family.name))
    sheet.y += 0.6 * sfont.size
    rule = int(rng.integers(2, 6))
    y = round(sheet.y)
    sheet.printed[y : y + rule, round(sheet.left) : round(sheet.right)] = 255
    sheet.y += float(rng.uniform(90, 140))


def _field_rows(
    fields: list[Field], two_columns: bool, col_w: float
) -> list[list[tuple[Field, int]]]:
    """Group fields into rows of (field, column); a field too wide for a column spans both."""
    rows: list[list[tuple[Field, int]]] = []
    col = 2
    for f in fields:
        span = 1 if two_columns and f.need_w <= col_w else 2
        if col + span > 2:
            rows.append([])
            col = 0
        rows[-1].append((f, col))
        col += span
    return rows


def _write_field(
    rng: np.random.Generator,
    sheet: _Sheet,
    f: Field,
    x: float,
    lfont: ImageFont.FreeTypeFont,
    lname: str,
    pen: float,
) -> None:
    """Draw one field at ``x`` and the current height, its number in the pen gray +-8."""
    ink = float(np.clip(pen + rng.uniform(-8, 8), 15, 95))
    label, pts = draw_field(rng, f, x, sheet.y, lfont, lname, sheet.printed, sheet.hand)
    if not len(pts):
        return
    # Pen darkness of this number wherever its ink lies.
    xs0, ys0 = pts.min(axis=0).astype(int) - 4
    xs1, ys1 = pts.max(axis=0).astype(int) + 5
    region = sheet.pen_ink[max(ys0, 0) : ys1, max(xs0, 0) : xs1]
    np.copyto(region, np.float32(ink), where=np.isnan(region))
    sheet.lines.append(FormLine([*label.words, (f.number, pts, f.kind)], lname, lfont.size, f.kind))


def _form_fields(
    rng: np.random.Generator,
    sheet: _Sheet,
    family: FontFamily,
    digits: tuple[tuple[np.ndarray, ...], ...],
    binary: bool,
) -> float:
    """Plan 10-14 fields, lay them out in one or two columns and draw them.

    Returns the pen gray of the page.
    """
    label_bold = bool(rng.random() < 0.3)
    lfont = load_font(family.path(label_bold), round(float(rng.uniform(9, 13)) * PT2PX))
    lname = f"{family.name}{'-Bold' if label_bold else ''}"
    n_fields = int(rng.integers(10, 15))
    names = [list(FORM_FIELDS)[k] for k in rng.permutation(len(FORM_FIELDS))[:n_fields]]
    pen = float(rng.uniform(20, 90))
    two_columns = bool(rng.random() < 0.6)
    col_w = (sheet.right - sheet.left) / 2 if two_columns else sheet.right - sheet.left
    label_w = max(lfont.getlength(n) for n in names) + float(rng.uniform(25, 60))
    fields = [plan_field(rng, name, lfont, label_w, digits, binary) for name in names]
    rows = _field_rows(fields, two_columns, col_w)
    row_hs = [max(max(f.lab_h + f.field_h, lfont.size) for f, _ in r) for r in rows]
    avail = sheet.printed.shape[0] - float(rng.uniform(250, 350)) - sheet.y
    while len(rows) > 1 and sum(row_hs) + 60 * (len(rows) - 1) > avail:
        rows.pop()
        row_hs.pop()
    spare = (avail - sum(row_hs)) / max(len(rows) - 1, 1)
    gap = min(spare, float(rng.uniform(180, 400))) / 1.15
    for r, row_h in zip(rows, row_hs, strict=True):
        for f, c in r:
            _write_field(rng, sheet, f, sheet.left + c * col_w, lfont, lname, pen)
        sheet.y += row_h + gap * float(rng.uniform(0.85, 1.15))
    return pen


def _form_footer(rng: np.random.Generator, sheet: _Sheet, family: FontFamily) -> None:
    """On half the pages, a footer line such as ``Revision 2019`` near the bottom."""
    if rng.random() < 0.5:
        height = sheet.printed.shape[0]
        sheet.y = max(sheet.y + 60, height - float(rng.uniform(200, 260)))
        ffont = load_font(family.path(False), round(float(rng.uniform(8, 10)) * PT2PX))
        foot = f"{pick(rng, ('Revision', 'Edition', 'Printed'))} {int(rng.integers(2015, 2027))}"
        sheet.lines.append(
            text_line(sheet.printed, [(foot, sheet.left, "left")], ffont, sheet.y, family.name)
        )


def _scan_form(
    rng: np.random.Generator, sheet: _Sheet, pen: float, source: str
) -> tuple[np.ndarray, dict]:
    """Rotate the page, merge print and handwriting with their inks, degrade.

    Moves the ink points of ``sheet.lines`` into the rotated page and returns
    the image and the parameters (``pen`` and ``source`` recorded with them).
    """
    height, width = sheet.printed.shape
    tilt, mat = draw_tilt(rng, width, height)
    printed = rotate_image(sheet.printed, mat)
    hand = rotate_image(sheet.hand, mat)
    pen_ink = cv2.warpAffine(
        np.nan_to_num(sheet.pen_ink, nan=0.0), mat, (width, height), flags=cv2.INTER_NEAREST
    )
    for line in sheet.lines:
        line.words = [(t_, rotate_points(p, mat), k) for t_, p, k in line.words]
    hand_cov = np.rint(hand * 255).astype(np.uint8)
    coverage = np.maximum(printed, hand_cov)
    ink, bg_lo, bg_hi, blur, noise = scan_params(rng)
    ink_map = np.where((hand_cov > printed) & (pen_ink > 0), pen_ink, np.float32(ink))
    image = degrade(coverage, rng, ink_map.astype(np.float32), bg_lo, bg_hi, blur, noise)
    params = {
        "tilt_deg": tilt,
        "ink": ink,
        "pen_ink": pen,
        "background": [bg_lo, bg_hi],
        "blur_sigma": blur,
        "noise_sigma": noise,
        "dpi": PRINTED_DPI,
        "handwriting": source,
    }
    return image, params


def make_form(
    rng: np.random.Generator, pool: FontPool, data_dir: Path, source: str
) -> tuple[np.ndarray, list[FormLine], dict]:
    """Build one degraded A4 form page with printed labels and handwritten numbers.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source of this page.
    pool : FontPool
        Font families of the printed parts.
    data_dir : pathlib.Path
        Folder of the real handwritten digits (read only).
    source : {"optdigits", "opencv"}
        The one writer source of the page's handwriting.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` grayscale page.
    lines : list of FormLine
        Printed lines and fields in reading order, ink points in final image
        coordinates.
    params : dict
        Degradation and handwriting parameters.
    """
    digits = load_hand_digits(str(data_dir), source)
    binary = source == "optdigits"
    width, height = A4_PX
    sheet = _Sheet(
        printed=np.zeros((height, width), np.uint8),
        hand=np.zeros((height, width), np.float32),
        pen_ink=np.full((height, width), np.nan, np.float32),
        left=float(rng.uniform(170, 260)),
        right=width - float(rng.uniform(170, 260)),
        y=float(rng.uniform(170, 260)),
    )
    family = pool.choose(rng)
    _form_header(rng, sheet, pool, family)
    pen = _form_fields(rng, sheet, family, digits, binary)
    _form_footer(rng, sheet, family)
    image, params = _scan_form(rng, sheet, pen, source)
    return image, sheet.lines, params

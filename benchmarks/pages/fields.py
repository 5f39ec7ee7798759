"""Fields of the ``forms`` set: a printed label and a handwritten number.

A field is planned first (:func:`plan_field`: label, number, kind, glyphs and
size) and drawn once the page layout is known (:func:`draw_field`).  Kinds:
``box`` (a rectangle), ``comb`` (one cell per digit) and ``line`` (a solid or
dotted writing line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import ImageFont

from .hand_digits import glyph_gaps, hand_glyphs, hand_number, stamp_glyph, write_run
from .layout import render_word

#: Field labels with the (min, max) length of the written number and whether
#: a leading zero may be written.
FORM_FIELDS: dict[str, tuple[int, int, bool]] = {
    "Account no.": (6, 8, True),
    "Amount": (1, 6, False),
    "Quantity": (1, 3, False),
    "Customer ID": (4, 8, False),
    "Phone": (7, 8, True),
    "Postcode": (4, 5, True),
    "Year": (4, 4, False),
    "Reference": (3, 8, False),
    "Order no.": (4, 7, False),
    "Invoice no.": (4, 7, False),
    "Member no.": (3, 6, False),
    "Branch": (2, 4, True),
    "Units": (1, 3, False),
    "Meter reading": (4, 7, True),
    "Policy no.": (5, 8, False),
    "Room": (1, 4, False),
    "Age": (2, 2, False),
    "Serial no.": (5, 8, True),
    "Batch": (2, 5, False),
    "Client no.": (4, 8, False),
    "Parcel no.": (6, 8, False),
    "Days": (1, 2, False),
}


@dataclass
class FormLine:
    """One entry of a form page's ground truth: a printed line or a field.

    Attributes
    ----------
    words : list of tuple
        ``(text, ink points, kind)`` left to right; kind is ``printed`` for
        printed words and ``box``, ``comb`` or ``line`` for a handwritten
        number.
    font : str
        Font of the printed words.
    size_px : int
        Font size of the printed words.
    kind : str
        ``printed`` for a printed line, else the field kind.
    """

    words: list[tuple[str, np.ndarray, str]]
    font: str
    size_px: int
    kind: str


def text_line(
    printed: np.ndarray,
    parts: list[tuple[str, float, str]],
    font: ImageFont.FreeTypeFont,
    base: float,
    name: str,
) -> FormLine:
    """Draw a printed line of a form and return it as a ground-truth line.

    Parameters
    ----------
    printed : numpy.ndarray
        ``uint8`` coverage of the printed parts, changed in place.
    parts : list of tuple
        ``(text, anchor x, align)`` of each separately placed part; align is
        ``"left"`` or ``"right"`` about the anchor.
    font : PIL.ImageFont.FreeTypeFont
        Font.
    base : float
        Baseline y.
    name : str
        Font name for the ground truth.

    Returns
    -------
    FormLine
        The line, words left to right.
    """
    words: list[tuple[str, np.ndarray, str]] = []
    for text, anchor, align in parts:
        w = font.getlength(text)
        x = {"left": anchor, "right": anchor - w}[align]
        for m in re.finditer(r"\S+", text):
            iw = render_word(printed, font, m.group(), x + font.getlength(text[: m.start()]), base)
            words.append((m.group(), iw.pts, "printed"))
    words.sort(key=lambda t: t[1][:, 0].min() if len(t[1]) else 0.0)
    return FormLine(words, name, font.size, "printed")


def _dotted(canvas: np.ndarray, x0: int, x1: int, y: int, dot: int, step: int) -> None:
    """Draw a dotted line of ``dot``-pixel squares every ``step`` pixels."""
    for x in range(x0, x1, step):
        canvas[y - dot // 2 : y - dot // 2 + dot, x : x + dot] = 255


@dataclass
class Field:
    """A planned form field: its label, number, handwriting and size.

    Attributes
    ----------
    name, number, kind : str
        Printed label, the written digits and the field kind (``box``,
        ``comb`` or ``line``).
    h : float
        Handwriting height in pixels.
    above : bool
        Label above the field rather than on its left.
    glyphs : list of numpy.ndarray
        Soft glyph of each digit.
    gaps : list of float
        Gap before each glyph after the first (box and line fields).
    pad_l : float
        Space from the field's left edge to the first digit (box and line).
    field_w, field_h : float
        Size of the printed box, comb or writing line area.
    label_w : float
        Width reserved for a label on the left.
    lab_h : float
        Height taken by a label above the field.
    n_cells, extra : int
        Cells of a comb field and how many of them stay empty.
    cell_w : float
        Width of a comb cell.
    crossing : str or None
        ``top`` or ``bottom`` when one digit of a box crosses its border.
    taller : int
        Index of that digit (-1 when none).
    """

    name: str
    number: str
    kind: str
    h: float
    above: bool
    glyphs: list[np.ndarray]
    gaps: list[float]
    pad_l: float
    field_w: float
    field_h: float
    label_w: float
    lab_h: float
    n_cells: int = 0
    extra: int = 0
    cell_w: float = 0.0
    crossing: str | None = None
    taller: int = -1

    @property
    def need_w(self) -> float:
        """float: width of the label and the field together."""
        return self.field_w + (0.0 if self.above else self.label_w)


def plan_field(
    rng: np.random.Generator,
    name: str,
    lfont: ImageFont.FreeTypeFont,
    label_w: float,
    digits: tuple[tuple[np.ndarray, ...], ...],
    binary: bool,
) -> Field:
    """Draw the content and size of one field (nothing is drawn on the page yet).

    ``name`` is a key of :data:`FORM_FIELDS`, ``label_w`` the width kept for a
    label on the left and ``digits`` the handwritten images per class.
    """
    lo, hi, lead = FORM_FIELDS[name]
    number = hand_number(rng, lo, hi, lead)
    kind = str(rng.choice(["box", "comb", "line"], p=[0.35, 0.35, 0.3]))
    h = float(rng.uniform(35, 70))
    above = kind != "line" and bool(rng.random() < 0.3)
    lab_h = 1.4 * lfont.size if above else 0.0
    if kind == "comb":
        extra = 0 if rng.random() < 0.6 else int(rng.integers(1, 4))
        n_cells = len(number) + extra
        cell_w = h * float(rng.uniform(0.9, 1.25))
        glyphs = hand_glyphs(rng, number, h, digits, binary)
        for k, g in enumerate(glyphs):
            # A writer keeps a digit inside its cell: narrow the wide ones.
            if g.shape[1] > 0.85 * cell_w:
                s = 0.85 * cell_w / g.shape[1]
                glyphs[k] = cv2.resize(
                    g,
                    (max(round(g.shape[1] * s), 1), max(round(g.shape[0] * s), 1)),
                    interpolation=cv2.INTER_AREA,
                )
        return Field(
            name,
            number,
            kind,
            h,
            above,
            glyphs,
            [],
            0.0,
            n_cells * cell_w,
            h * float(rng.uniform(1.3, 1.7)),
            label_w,
            lab_h,
            n_cells,
            extra,
            cell_w,
        )
    crossing = None
    taller = -1
    if kind == "box" and rng.random() < 0.2:
        crossing = "top" if rng.random() < 0.5 else "bottom"
        taller = int(rng.integers(len(number)))
    glyphs = hand_glyphs(rng, number, h, digits, binary, taller if crossing == "top" else -1)
    gaps = glyph_gaps(rng, glyphs, h)
    run_w = sum(g.shape[1] for g in glyphs) + sum(gaps)
    pad_l = h * float(rng.uniform(0.2, 0.6))
    field_w = pad_l + run_w + h * float(rng.uniform(0.2, 2.5))
    field_h = h * float(rng.uniform(1.35, 1.8)) if kind == "box" else 1.25 * h
    if above:
        field_w = max(field_w, lfont.getlength(name))
    return Field(
        name,
        number,
        kind,
        h,
        above,
        glyphs,
        gaps,
        pad_l,
        field_w,
        field_h,
        label_w,
        lab_h,
        crossing=crossing,
        taller=taller,
    )


def _draw_comb(
    rng: np.random.Generator,
    f: Field,
    fx: float,
    ftop: float,
    t: int,
    printed: np.ndarray,
    hand: np.ndarray,
) -> np.ndarray:
    """Draw a comb (a grid of boxes or a baseline with ticks), one digit per cell."""
    ix0, iy0 = round(fx), round(ftop)
    ix1, iy1 = round(fx + f.field_w), round(ftop + f.field_h)
    h = f.h
    grid = bool(rng.random() < 0.5)
    if grid:
        cv2.rectangle(printed, (ix0, iy0), (ix1, iy1), 255, t)
        for k in range(1, f.n_cells):
            cx = round(fx + k * f.cell_w)
            cv2.line(printed, (cx, iy0), (cx, iy1), 255, t)
    else:
        cv2.line(printed, (ix0, iy1), (ix1, iy1), 255, t)
        tick = round(f.field_h * float(rng.uniform(0.25, 0.4)))
        for k in range(f.n_cells + 1):
            cx = round(fx + k * f.cell_w)
            cv2.line(printed, (cx, iy1 - tick), (cx, iy1), 255, t)
    start = 0 if rng.random() < 0.5 else f.extra
    pts = []
    for k, g in enumerate(f.glyphs):
        cx = fx + (start + k + 0.5 + float(rng.uniform(-0.06, 0.06))) * f.cell_w
        if grid:
            gy = ftop + f.field_h / 2 + float(rng.uniform(-0.06, 0.06)) * h - g.shape[0] / 2
        else:
            gy = ftop + f.field_h - float(rng.uniform(0.05, 0.2)) * h - g.shape[0]
        pts.append(stamp_glyph(hand, g, cx - g.shape[1] / 2, gy))
    return np.concatenate(pts)


def _draw_box(
    rng: np.random.Generator,
    f: Field,
    fx: float,
    ftop: float,
    t: int,
    printed: np.ndarray,
    hand: np.ndarray,
) -> np.ndarray:
    """Draw a box and write the number inside; one digit may cross the border."""
    ix0, iy0 = round(fx), round(ftop)
    ix1, iy1 = round(fx + f.field_w), round(ftop + f.field_h)
    h = f.h
    cv2.rectangle(printed, (ix0, iy0), (ix1, iy1), 255, t)
    base = ftop + (f.field_h + h) / 2 + float(rng.uniform(-0.08, 0.08)) * h
    shift: dict[int, float] = {}
    if f.crossing is not None:
        g = f.glyphs[f.taller]
        over = float(rng.uniform(3, max(0.2 * h, 4)))
        if f.crossing == "top":
            shift[f.taller] = min(0.0, (ftop - over) - (base - g.shape[0]))
        else:
            shift[f.taller] = (ftop + f.field_h + over) - base
    return write_run(hand, f.glyphs, f.gaps, fx + f.pad_l, base, h, rng, shift)


def _draw_line(
    rng: np.random.Generator,
    f: Field,
    fx: float,
    ftop: float,
    t: int,
    printed: np.ndarray,
    hand: np.ndarray,
) -> np.ndarray:
    """Draw a solid or dotted writing line and write the number on it."""
    ix0, ix1, iy1 = round(fx), round(fx + f.field_w), round(ftop + f.field_h)
    h = f.h
    if rng.random() < 0.5:
        # Digits stand clear of a dotted line, so the dots are not read as separators.
        _dotted(printed, ix0, ix1, iy1, int(rng.integers(2, 5)), int(rng.integers(8, 17)))
        base = iy1 - float(rng.uniform(0.08, 0.25)) * h
    else:
        # On a solid line a digit may touch or just cross it.
        cv2.line(printed, (ix0, iy1), (ix1, iy1), 255, t)
        base = iy1 - float(rng.uniform(-0.04, 0.2)) * h
    return write_run(hand, f.glyphs, f.gaps, fx + f.pad_l, base, h, rng)


def draw_field(
    rng: np.random.Generator,
    f: Field,
    x0: float,
    y: float,
    lfont: ImageFont.FreeTypeFont,
    lname: str,
    printed: np.ndarray,
    hand: np.ndarray,
) -> tuple[FormLine, np.ndarray]:
    """Draw a planned field with its top-left corner at (x0, y).

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source.
    f : Field
        The planned field.
    x0, y : float
        Top-left corner of the field's label.
    lfont : PIL.ImageFont.FreeTypeFont
        Label font.
    lname : str
        Label font name for the ground truth.
    printed : numpy.ndarray
        ``uint8`` coverage of the printed parts (label, borders), changed in place.
    hand : numpy.ndarray
        ``float32`` coverage of the handwriting, changed in place.

    Returns
    -------
    label : FormLine
        The printed label.
    pts : numpy.ndarray
        Ink points of the written number.
    """
    fx = x0 if f.above else x0 + f.label_w
    ftop = y + f.lab_h
    if f.above:
        lbase = y + 0.9 * lfont.size
    elif f.kind == "line":
        lbase = ftop + f.field_h
    else:
        lbase = ftop + f.field_h / 2 + 0.36 * lfont.size
    label = text_line(printed, [(f.name, x0, "left")], lfont, lbase, lname)
    t = int(rng.integers(1, 4))
    draw = {"comb": _draw_comb, "box": _draw_box, "line": _draw_line}[f.kind]
    return label, draw(rng, f, fx, ftop, t, printed, hand)

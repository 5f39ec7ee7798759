"""The ``receipts`` set: thermal till receipts at 203 dpi, 58 mm or 80 mm wide.

Shop header, date and time, receipt number, item lines with right-aligned
prices, totals and payment, 25-40 rows in one font per receipt; printed
faintly with print-head banding, not rotated.
"""

from __future__ import annotations

import math

import cv2
import numpy as np

from .common import (
    CITIES,
    STREETS,
    degrade,
    format_money,
    pick,
    random_date,
    random_digits,
    random_phone,
)
from .fonts import FontFamily, FontPool, load_font
from .layout import InkWord, Part, Row, RowSpec, fit_row, render_rows

SHOPS = (
    "FRESH MART",
    "CORNER GROCERY",
    "CITY PHARMACY",
    "BEAN AND LEAF CAFE",
    "QUICKSTOP",
    "GREEN VALLEY MARKET",
    "ROSE BAKERY",
    "HARDWARE PLUS",
    "SUNRISE DELI",
    "BOOK NOOK",
)
RECEIPT_ITEMS = (
    "WHOLE MILK",
    "BREAD",
    "EGGS 12 PACK",
    "BUTTER",
    "APPLES",
    "BANANAS",
    "CHEDDAR",
    "COFFEE",
    "ORANGE JUICE",
    "PASTA",
    "TOMATOES",
    "RICE 2 KG",
    "YOGURT",
    "CHOCOLATE",
    "SHAMPOO",
    "TOOTHPASTE",
    "BATTERIES",
    "NEWSPAPER",
    "WATER 6 PACK",
    "CROISSANT",
    "Latte",
    "Muffin",
    "Sandwich",
    "Green tea",
    "Soup of the day",
    "Screws 50 pcs",
    "Light bulb",
    "Paint brush",
    "Notebook",
    "Pens 3 pack",
)
CASHIERS = ("Anna", "Ben", "Carla", "Dev", "Eva", "Finn", "Grace", "Hugo")

RECEIPT_DPI = 203
#: Paper width and printable width in pixels for 58 mm and 80 mm rolls.
RECEIPT_WIDTHS = {58: (464, 384), 80: (640, 576)}


def _receipt_head(rng: np.random.Generator) -> list[RowSpec]:
    """Centred shop name, address, phone and, on half the receipts, a VAT number."""
    head = [
        RowSpec([Part(pick(rng, SHOPS), 0.5, "center")], "heading"),
        RowSpec([Part(f"{int(rng.integers(1, 400))} {pick(rng, STREETS)}", 0.5, "center")]),
        RowSpec([Part(f"{pick(rng, CITIES)} {random_digits(rng, 5)}", 0.5, "center")]),
        RowSpec([Part(f"Tel {random_phone(rng)}", 0.5, "center")]),
    ]
    if rng.random() < 0.5:
        head.append(RowSpec([Part(f"VAT No {random_digits(rng, 9)}", 0.5, "center")]))
    return head


def _receipt_meta(rng: np.random.Generator, sep: str) -> list[RowSpec]:
    """Date, time, receipt and till numbers and maybe the cashier, between separators."""
    date = random_date(rng, False)
    clock = (
        f"{int(rng.integers(6, 23)):02d}:{int(rng.integers(0, 60)):02d}:"
        f"{int(rng.integers(0, 60)):02d}"
    )
    meta = [RowSpec([Part(sep)])]
    if rng.random() < 0.5:
        meta.append(RowSpec([Part(date), Part(clock, 1.0, "right")]))
    else:
        meta.append(RowSpec([Part(f"Date {date}")]))
        meta.append(RowSpec([Part(f"Time {clock}")]))
    meta.append(
        RowSpec(
            [
                Part(f"Receipt {random_digits(rng, 6, True)}"),
                Part(f"Till {int(rng.integers(1, 9))}", 1.0, "right"),
            ]
        )
    )
    if rng.random() < 0.5:
        meta.append(RowSpec([Part(f"Cashier {pick(rng, CASHIERS)}")]))
    meta.append(RowSpec([Part(sep)]))
    return meta


def _receipt_footer(rng: np.random.Generator) -> list[RowSpec]:
    """One to three centred footer lines."""
    foot_pool = [
        RowSpec([Part("Thank you for shopping", 0.5, "center")]),
        RowSpec([Part("Please keep your receipt", 0.5, "center")]),
        RowSpec(
            [
                Part(
                    f"Open daily {int(rng.integers(6, 10))}:00-{int(rng.integers(18, 23))}:00",
                    0.5,
                    "center",
                )
            ]
        ),
    ]
    return [foot_pool[k] for k in rng.permutation(3)[: int(rng.integers(1, 4))]]


def _receipt_items(rng: np.random.Generator, budget: int) -> tuple[list[RowSpec], int, int]:
    """Item rows filling ``budget`` rows; returns them, the sum in cents and the item count."""
    items: list[RowSpec] = []
    subtotal = 0
    count = 0
    while budget > 0:
        name = pick(rng, RECEIPT_ITEMS)
        code = f" {pick(rng, ('A', 'B'))}" if rng.random() < 0.3 else ""
        unit = int(rng.integers(25, 2500))
        if budget >= 2 and rng.random() < 0.25:
            qty = int(rng.integers(2, 7))
            items.append(RowSpec([Part(name)]))
            items.append(
                RowSpec(
                    [
                        Part(f"  {qty} x {format_money(unit, False)}"),
                        Part(format_money(qty * unit, False) + code, 1.0, "right"),
                    ]
                )
            )
            budget -= 2
        else:
            qty = 1
            items.append(
                RowSpec([Part(name), Part(format_money(unit, False) + code, 1.0, "right")])
            )
            budget -= 1
        subtotal += qty * unit
        count += qty
    return items, subtotal, count


def _receipt_totals(
    rng: np.random.Generator, sep: str, subtotal: int, count: int, tax_rate: int, pay_card: bool
) -> list[RowSpec]:
    """Separator, subtotal, included tax, total, payment (card, or cash and change), count."""

    def amount(label: str, cents: int, style: str = "body") -> RowSpec:
        return RowSpec([Part(label), Part(format_money(cents, False), 1.0, "right")], style)

    tax = int(round(subtotal * tax_rate / (100 + tax_rate)))
    totals = [
        RowSpec([Part(sep)]),
        amount("Subtotal", subtotal),
        amount(f"Tax {tax_rate}% incl", tax),
        amount("TOTAL", subtotal, "total"),
    ]
    if pay_card:
        totals.append(amount(f"Card {random_digits(rng, 4, True)}", subtotal))
    else:
        step = int(rng.choice([500, 1000, 2000, 5000]))
        cash = (subtotal // step + 1) * step
        totals.append(amount("Cash", cash))
        totals.append(amount("Change", cash - subtotal))
    totals.append(RowSpec([Part(f"Items {count}")]))
    return totals


def _receipt_specs(rng: np.random.Generator, n_lines: int, sep_char: str) -> list[RowSpec]:
    """Content rows of a till receipt with exactly ``n_lines`` rows.

    Separator rows hold a placeholder part ``"\\0"`` that is widened to the
    text area when the font is known.
    """
    sep = "\0" + sep_char
    head = _receipt_head(rng)
    meta = _receipt_meta(rng, sep)
    tax_rate = int(rng.choice([5, 7, 8, 10, 19, 20]))
    footer = _receipt_footer(rng)
    pay_card = bool(rng.random() < 0.3)
    n_totals = 3 + 2 + 1 + 1  # subtotal, tax, total, cash/card + change, sep, item count
    if pay_card:
        n_totals -= 1
    fixed = len(head) + len(meta) + n_totals + len(footer)
    budget = n_lines - fixed
    while budget < 3 and footer:
        footer.pop()
        budget += 1

    items, subtotal, count = _receipt_items(rng, budget)
    totals = _receipt_totals(rng, sep, subtotal, count, tax_rate, pay_card)
    if footer:
        footer[0].gap = 0.5
    rows = head + meta + items + totals + footer
    assert len(rows) == n_lines, (len(rows), n_lines)
    return rows


def _receipt_row(
    rng: np.random.Generator,
    spec: RowSpec,
    family: FontFamily,
    body_bold: bool,
    size: int,
    left: float,
    right: float,
) -> Row:
    """Fit one row: separators widened to the text area, headings 1.2-1.6 times larger."""
    min_px = 15
    if spec.parts[0].text.startswith("\0"):
        ch = spec.parts[0].text[1]
        font = load_font(family.path(body_bold), size)
        n = int((right - left) // font.getlength(ch))
        spec.parts[0].text = ch * n
    if spec.style == "heading":
        return fit_row(spec, family, True, int(size * rng.uniform(1.2, 1.6)), left, right, min_px)
    bold = body_bold or (spec.style == "total" and rng.random() < 0.7)
    return fit_row(spec, family, bold, size, left, right, min_px)


def _receipt_baselines(rng: np.random.Generator, rows: list[Row]) -> tuple[list[float], int]:
    """Baselines of the rows down the strip and the strip height."""
    leading = float(rng.uniform(1.15, 1.4))
    top = float(rng.uniform(25, 60))
    baselines = []
    y = top
    prev = rows[0].size_px
    for i, r in enumerate(rows):
        if i == 0:
            y += 0.8 * r.size_px
        else:
            y += leading * max(prev, r.size_px) + r.spec.gap * r.size_px
        baselines.append(y)
        prev = r.size_px
    height = int(math.ceil(y + 0.3 * rows[-1].size_px + rng.uniform(40, 120)))
    return baselines, height


def _thermal_print(
    rng: np.random.Generator, coverage: np.ndarray, mm: int
) -> tuple[np.ndarray, dict]:
    """Degrade a strip like a thermal print: faint banded ink, blur, background, noise."""
    width = coverage.shape[1]
    ink_base = float(rng.uniform(60, 120))
    band_amp = float(rng.uniform(0, 20))
    band = cv2.resize(rng.standard_normal((1, 12)), (width, 1), interpolation=cv2.INTER_CUBIC)
    ink = np.clip(ink_base + band_amp * band, 40, 160).astype(np.float32)
    bg_lo, bg_hi = float(rng.uniform(200, 225)), float(rng.uniform(235, 250))
    blur = float(rng.uniform(0.4, 0.8))
    noise = float(rng.uniform(3, 8))
    image = degrade(coverage, rng, ink, bg_lo, bg_hi, blur, noise)
    params = {
        "tilt_deg": 0.0,
        "ink": ink_base,
        "ink_banding": band_amp,
        "background": [bg_lo, bg_hi],
        "blur_sigma": blur,
        "noise_sigma": noise,
        "dpi": RECEIPT_DPI,
        "paper_mm": mm,
    }
    return image, params


def make_receipt(
    rng: np.random.Generator, pool: FontPool
) -> tuple[np.ndarray, list[Row], list[list[InkWord]], dict]:
    """Build one degraded thermal receipt strip.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source of this receipt.
    pool : FontPool
        Font families to draw from.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` grayscale strip.
    rows : list of Row
        Placed rows.
    words : list of list of InkWord
        Word ink points in image coordinates.
    params : dict
        Degradation parameters.
    """
    mm = int(rng.choice([58, 80]))
    width, printable = RECEIPT_WIDTHS[mm]
    left = (width - printable) / 2
    right = left + printable
    n_lines = int(rng.integers(25, 41))
    family = pool.choose(rng, mono=bool(rng.random() < 0.7))
    body_bold = bool(rng.random() < 0.35)
    size = int(rng.integers(19, 25))
    specs = _receipt_specs(rng, n_lines, pick(rng, ("-", "-", "=", "*")))
    rows = [_receipt_row(rng, spec, family, body_bold, size, left, right) for spec in specs]
    baselines, height = _receipt_baselines(rng, rows)
    coverage, words = render_rows(rows, baselines, (height, width))
    image, params = _thermal_print(rng, coverage, mm)
    return image, rows, words, params

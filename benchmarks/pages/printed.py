"""The ``printed`` set: invoice-like A4 pages at 300 dpi.

A letterhead, a title, meta fields, an address block, an item table, totals
and footer notes, 30-45 rows in all, each row in its own font and size;
the page is rotated slightly and degraded like a scan.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from .common import (
    A4_PX,
    CITIES,
    PRINTED_DPI,
    STREETS,
    degrade,
    draw_tilt,
    format_money,
    pick,
    random_date,
    random_digits,
    random_phone,
    rotate_image,
    rotate_points,
    scan_params,
)
from .fonts import FontPool
from .layout import InkWord, Part, Row, RowSpec, fit_row, render_rows

COMPANIES = (
    "Acme Supplies Ltd",
    "Northwind Traders",
    "Blue River Office",
    "Harbor and Sons",
    "Greenfield Hardware",
    "Summit Logistics",
    "Oakwood Furniture",
    "Brightline Printing",
    "Cedar Valley Farms",
    "Pioneer Electric",
    "Silverline Foods",
    "Maple Street Books",
)
PEOPLE = (
    "Jane Miller",
    "Robert Chen",
    "Maria Garcia",
    "David Smith",
    "Anna Novak",
    "Tom Becker",
    "Laura Rossi",
    "Peter Hansen",
    "Emma Wilson",
    "Lucas Martin",
    "Sofia Costa",
    "Omar Haddad",
)
ITEMS = (
    "Copy paper ream",
    "Toner cartridge",
    "Stapler heavy duty",
    "Office chair",
    "Desk lamp",
    "USB cable",
    "Notebook ruled",
    "Ballpoint pens blue",
    "Filing cabinet",
    "Monitor stand",
    "Label printer",
    "Shipping boxes",
    "Packing tape",
    "Whiteboard markers",
    "Envelopes large",
    "Printer service",
    "Delivery charge",
    "Installation labour",
    "Cleaning supplies",
    "Coffee beans",
    "Paper towels",
    "Extension lead",
    "Wireless mouse",
    "Keyboard",
)
TITLES = (
    "INVOICE",
    "Invoice",
    "Delivery Note",
    "Purchase Order",
    "Statement of Account",
    "Order Confirmation",
    "Credit Note",
    "Remittance Advice",
    "Quotation",
)
NOTES = (
    "Thank you for your business",
    "Payment terms and conditions apply",
    "Please include the invoice number with your payment",
    "Goods remain our property until paid in full",
    "Questions about this invoice should be sent to our accounts team",
    "Authorized signature",
    "Bank details for transfer",
    "Terms and conditions overleaf",
    "Customer copy",
    "Returns are accepted with the original receipt",
    "All prices include delivery unless stated otherwise",
    "Please check the goods on arrival",
)


def _head_specs(rng: np.random.Generator) -> list[RowSpec]:
    """Letterhead rows (company, address, phone, maybe fax) and the title row."""
    head: list[RowSpec] = []
    hx = float(rng.choice([0.0, 0.5, 1.0]))
    halign = {0.0: "left", 0.5: "center", 1.0: "right"}[hx]
    head.append(RowSpec([Part(pick(rng, COMPANIES), hx, halign)], "heading"))
    head.append(RowSpec([Part(f"{int(rng.integers(1, 400))} {pick(rng, STREETS)}", hx, halign)]))
    head.append(RowSpec([Part(f"{pick(rng, CITIES)} {random_digits(rng, 5)}", hx, halign)]))
    phone = f"Phone {random_phone(rng)}"
    if rng.random() < 0.5 and hx != 0.5:
        head.append(RowSpec([Part(phone, hx, halign)]))
        head.append(RowSpec([Part(f"Fax {random_phone(rng)}", hx, halign)]))
    else:
        head.append(RowSpec([Part(phone, hx, halign)]))
    title = RowSpec(
        [Part(pick(rng, TITLES), 0.0 if rng.random() < 0.6 else 0.5, "left")], "heading", gap=1.0
    )
    if title.parts[0].frac == 0.5:
        title.parts[0].align = "center"
    return [*head, title]


def _meta_specs(rng: np.random.Generator) -> list[RowSpec]:
    """Meta field rows (invoice number, dates, account ...), one or two per row."""
    inv = random_digits(rng, int(rng.integers(4, 7)))
    meta_pool = [
        pick(rng, (f"Invoice {inv}", f"Invoice No. {inv}", f"Invoice #{inv}")),
        f"Date {random_date(rng, bool(rng.random() < 0.5))}",
        f"Time {int(rng.integers(7, 20)):02d}:{int(rng.integers(0, 60)):02d}",
        f"Account {random_digits(rng, int(rng.integers(6, 11)))}",
        f"Customer ID {random_digits(rng, 6)}",
        f"Due date {random_date(rng, bool(rng.random() < 0.5))}",
        f"Order {random_digits(rng, 5)}",
        f"Reference {int(rng.integers(2019, 2031))}/{random_digits(rng, 5, True)}",
        "Page 1 of 1",
    ]
    order = rng.permutation(len(meta_pool))
    n_meta_items = int(rng.integers(4, 9))
    items = [meta_pool[i] for i in order[:n_meta_items]]
    meta: list[RowSpec] = []
    right_frac, right_align = (0.55, "left") if rng.random() < 0.5 else (1.0, "right")
    i = 0
    while i < len(items):
        if i + 1 < len(items) and rng.random() < 0.7:
            meta.append(RowSpec([Part(items[i]), Part(items[i + 1], right_frac, right_align)]))
            i += 2
        else:
            meta.append(RowSpec([Part(items[i])]))
            i += 1
    meta[0].gap = 0.6
    return meta


def _address(rng: np.random.Generator) -> list[str]:
    """Name, street and city lines of one address."""
    return [
        pick(rng, PEOPLE),
        f"{int(rng.integers(1, 400))} {pick(rng, STREETS)}",
        f"{pick(rng, CITIES)} {random_digits(rng, 5)}",
    ]


def _bill_specs(rng: np.random.Generator) -> list[RowSpec]:
    """The ``Bill to`` block, with a ``Ship to`` column on half the pages."""
    bill: list[RowSpec] = [RowSpec([Part("Bill to")], "bold", gap=0.8)]
    two = bool(rng.random() < 0.5)
    if two:
        bill[0].parts.append(Part("Ship to", 0.55, "left"))
    addr = _address(rng)
    addr2 = _address(rng)
    for a, b in zip(addr, addr2, strict=True):
        parts = [Part(a)] + ([Part(b, 0.55, "left")] if two else [])
        bill.append(RowSpec(parts))
    return bill


def _footer_specs(rng: np.random.Generator) -> list[RowSpec]:
    """Two to six footer rows (notes, payment terms, bank details, phone)."""
    footer_pool = [RowSpec([Part(pick(rng, NOTES))]) for _ in range(3)]
    footer_pool.append(RowSpec([Part(f"Payment due within {int(rng.choice([7, 14, 30]))} days")]))
    footer_pool.append(
        RowSpec(
            [
                Part(f"Account {random_digits(rng, int(rng.integers(6, 11)))}"),
                Part(
                    f"Sort code {random_digits(rng, 2, True)}-{random_digits(rng, 2, True)}-"
                    f"{random_digits(rng, 2, True)}",
                    0.55,
                    "left",
                ),
            ]
        )
    )
    footer_pool.append(RowSpec([Part(f"Phone {random_phone(rng)}")]))
    footer_pool = [footer_pool[k] for k in rng.permutation(len(footer_pool))]
    n_footer = int(rng.integers(2, len(footer_pool) + 1))
    return footer_pool[:n_footer]


def _table_specs(
    rng: np.random.Generator, n_items: int, money: Callable[[int], str]
) -> tuple[list[RowSpec], int]:
    """The item table (a header row and ``n_items`` rows) and its subtotal in cents."""
    table_style = int(rng.integers(3))
    table: list[RowSpec] = []
    if table_style == 0:
        table.append(
            RowSpec(
                [
                    Part("Description"),
                    Part("Qty", 0.58, "right"),
                    Part("Unit price", 0.78, "right"),
                    Part("Amount", 1.0, "right"),
                ],
                "bold",
                gap=0.8,
            )
        )
    elif table_style == 1:
        table.append(RowSpec([Part("Item"), Part("Details", 1.0, "right")], "bold", gap=0.8))
    else:
        table.append(
            RowSpec(
                [
                    Part("Code  Description"),
                    Part("Qty", 0.7, "right"),
                    Part("Amount", 1.0, "right"),
                ],
                "bold",
                gap=0.8,
            )
        )
    subtotal = 0
    for _ in range(n_items):
        desc = pick(rng, ITEMS)
        qty = int(rng.choice([1, 1, 1, 2, 2, 3, 4, 5, 6, 10, 12, 24]))
        unit = int(rng.choice([rng.integers(50, 2000), rng.integers(1000, 50000)]))
        amount = qty * unit
        subtotal += amount
        if table_style == 0:
            parts = [
                Part(desc),
                Part(str(qty), 0.58, "right"),
                Part(money(unit), 0.78, "right"),
                Part(money(amount), 1.0, "right"),
            ]
        elif table_style == 1:
            parts = [
                Part(desc),
                Part(f"Qty {qty}  Unit {money(unit)}  Amount {money(amount)}", 1.0, "right"),
            ]
        else:
            parts = [
                Part(f"{random_digits(rng, int(rng.integers(4, 7)))}  {desc}"),
                Part(str(qty), 0.7, "right"),
                Part(money(amount), 1.0, "right"),
            ]
        table.append(RowSpec(parts))
    return table, subtotal


def _totals_specs(
    rng: np.random.Generator, subtotal: int, totals_kind: int, vat: int, money: Callable[[int], str]
) -> list[RowSpec]:
    """Totals rows: subtotal, discount and shipping (by ``totals_kind``), VAT, total."""
    totals: list[RowSpec] = []
    discount = int(round(subtotal * 0.05)) if totals_kind > 1 else 0
    shipping = int(rng.integers(0, 3000)) if totals_kind > 0 else 0
    net = subtotal - discount + shipping
    tax = int(round(net * vat / 100))
    total = net + tax
    lab = 0.5 if rng.random() < 0.5 else 0.6
    totals.append(RowSpec([Part("Subtotal", lab), Part(money(subtotal), 1.0, "right")], gap=0.6))
    if totals_kind > 1:
        totals.append(RowSpec([Part("Discount 5%", lab), Part(money(discount), 1.0, "right")]))
    if totals_kind > 0:
        totals.append(RowSpec([Part("Shipping", lab), Part(money(shipping), 1.0, "right")]))
    totals.append(RowSpec([Part(f"VAT {vat}%", lab), Part(money(tax), 1.0, "right")]))
    totals.append(
        RowSpec(
            [
                Part(pick(rng, ("Total", "Total due", "Amount due")), lab),
                Part(money(total), 1.0, "right"),
            ],
            "total",
        )
    )
    if totals_kind > 1:
        totals.append(RowSpec([Part("Amount paid", lab), Part(money(0), 1.0, "right")]))
    return totals


def _printed_specs(rng: np.random.Generator, n_lines: int) -> list[RowSpec]:
    """Content rows of an invoice-like page with exactly ``n_lines`` rows."""
    eu = bool(rng.random() < 0.15)
    cur = pick(rng, ("", "", "$", "EUR "))

    def money(c: int) -> str:
        return cur + format_money(c, eu)

    head = _head_specs(rng)
    meta = _meta_specs(rng)
    bill = _bill_specs(rng)
    vat = int(rng.choice([5, 7, 10, 19, 20]))
    totals_kind = int(rng.integers(3))
    footer = _footer_specs(rng)

    n_totals = 3 + (totals_kind > 0) + (totals_kind > 1) * 2
    fixed = len(head) + len(meta) + len(bill) + 1 + n_totals + len(footer)
    while n_lines - fixed < 2 and footer:
        footer.pop()
        fixed -= 1
    while n_lines - fixed < 2 and len(meta) > 1:
        meta.pop()
        fixed -= 1
    n_items = n_lines - fixed
    if footer:
        footer[0].gap = 0.8

    table, subtotal = _table_specs(rng, n_items, money)
    totals = _totals_specs(rng, subtotal, totals_kind, vat, money)
    rows = head + meta + bill + table + totals + footer
    assert len(rows) == n_lines, (len(rows), n_lines)
    return rows


def _choose_bold(rng: np.random.Generator, style: str) -> bool:
    """Draw the bold flag for a row style."""
    p = {"heading": 0.7, "bold": 0.6, "total": 0.6}.get(style, 0.15)
    return bool(rng.random() < p)


def _printed_row(
    rng: np.random.Generator,
    pool: FontPool,
    spec: RowSpec,
    left: float,
    right: float,
    min_px: int,
    pt2px: float,
) -> Row:
    """Draw a row's font, weight and size (8-15 pt, headings 12-15 pt) and fit it."""
    family = pool.choose(rng)
    bold = _choose_bold(rng, spec.style)
    lo_pt = 12.0 if spec.style == "heading" else 8.0
    pt = float(rng.uniform(lo_pt, 15.0))
    return fit_row(spec, family, bold, max(min_px, round(pt * pt2px)), left, right, min_px)


def _fit_page(
    rows: list[Row],
    leads: list[float],
    top: float,
    avail: float,
    left: float,
    right: float,
    min_px: int,
) -> tuple[list[Row], list[float]]:
    """Space the rows down the page, squeezing the leading or shrinking the fonts to fit.

    Returns the (maybe refitted) rows and their baselines.
    """
    for _ in range(20):
        sizes = [r.size_px for r in rows]
        mx = [max(sizes[max(i - 1, 0)], sizes[i]) for i in range(len(rows))]
        pitches = [0.8 * sizes[0]] + [
            leads[i] * mx[i] + rows[i].spec.gap * sizes[i] for i in range(1, len(rows))
        ]
        need = sum(pitches) + 0.3 * sizes[-1]
        if need <= avail:
            break
        min_need = 0.8 * sizes[0] + sum(1.2 * m for m in mx[1:]) + 0.3 * sizes[-1]
        if min_need <= avail:
            # Squeeze the spacing, never below 1.2 lines.
            k = (avail - min_need) / max(need - min_need, 1e-9)
            pitches = [pitches[0]] + [
                1.2 * mx[i] + k * (pitches[i] - 1.2 * mx[i]) for i in range(1, len(rows))
            ]
            break
        scale = avail / min_need
        rows = [
            fit_row(
                r.spec, r.family, r.bold, max(min_px, int(r.size_px * scale)), left, right, min_px
            )
            for r in rows
        ]
    return rows, list(np.cumsum(pitches) + top)


def make_printed(
    rng: np.random.Generator, pool: FontPool
) -> tuple[np.ndarray, list[Row], list[list[InkWord]], dict]:
    """Build one degraded invoice-like A4 page.

    Parameters
    ----------
    rng : numpy.random.Generator
        Random source of this page.
    pool : FontPool
        Font families to draw from.

    Returns
    -------
    image : numpy.ndarray
        ``uint8`` grayscale page.
    rows : list of Row
        Placed rows.
    words : list of list of InkWord
        Word ink points in final image coordinates.
    params : dict
        Degradation parameters.
    """
    width, height = A4_PX
    pt2px = PRINTED_DPI / 72.0
    min_px = math.ceil(8 * pt2px)
    n_lines = int(rng.integers(30, 46))
    specs = _printed_specs(rng, n_lines)
    left = float(rng.uniform(150, 300))
    right = width - float(rng.uniform(150, 300))
    top = float(rng.uniform(150, 280))
    bottom_margin = float(rng.uniform(150, 250))
    leading = float(rng.uniform(1.3, 1.7))

    rows = [_printed_row(rng, pool, spec, left, right, min_px, pt2px) for spec in specs]
    leads = [leading * float(rng.uniform(0.95, 1.05)) for _ in rows]
    rows, baselines = _fit_page(rows, leads, top, height - top - bottom_margin, left, right, min_px)

    coverage, words = render_rows(rows, baselines, (height, width))

    tilt, mat = draw_tilt(rng, width, height)
    coverage = rotate_image(coverage, mat)
    for row_words in words:
        for w in row_words:
            w.pts = rotate_points(w.pts, mat)

    ink, bg_lo, bg_hi, blur, noise = scan_params(rng)
    image = degrade(coverage, rng, ink, bg_lo, bg_hi, blur, noise)
    params = {
        "tilt_deg": tilt,
        "ink": ink,
        "background": [bg_lo, bg_hi],
        "blur_sigma": blur,
        "noise_sigma": noise,
        "dpi": PRINTED_DPI,
    }
    return image, rows, words, params

"""Generate deterministic benchmark pages with ground truth for the digit OCR.

Three sets of synthetic, scanner-degraded pages are produced, each image with a
JSON sidecar of ground truth:

``printed``
    A4 pages at 300 dpi (2480 x 3508 px, 8-bit grayscale) laid out like
    invoices and forms: a letterhead, a title, two-column meta fields
    (``Invoice 48213``, ``Date 24/11/2026``, ``Time 14:30``, ``Account
    12345678`` ...), an address block, an item table, a totals block and
    footer notes, 30-45 text lines in all, a few of them plain words without
    digits.  Every line picks its own font (regular or bold) and a size of
    8-15 pt.  Degradation: the whole page is rotated by up to 1.5 degrees,
    then Gaussian blur (sigma 0.5-1.0), an uneven paper background (a smooth
    gradient/vignette from about 200 to about 250), Gaussian noise (sigma
    3-8) and, for every odd page index, JPEG compression (quality 80-90).
``receipts``
    Thermal receipt strips at 203 dpi, 58 mm (464 px) or 80 mm (640 px)
    wide, height set by the content: shop name and address, date and time,
    receipt number, item lines with right-aligned prices, subtotal, tax,
    total, cash and change, 25-40 lines.  One monospace or sans font per
    receipt.  Degradation: faint print (ink gray 60-120 rather than 0, with
    a slight print-head banding across the strip), slight blur, uneven
    background, noise and JPEG for every odd page index.  Receipts are not
    rotated.
``forms``
    A4 portrait form pages at 300 dpi (2480 x 3508 px, white paper) with
    handwritten numbers.  Printed parts (same font pool as ``printed``): a
    title, usually ``Form NNNN`` and ``Page k of n``, an instruction line, a
    rule, field labels (``Account no.``, ``Amount``, ``Quantity``,
    ``Customer ID``, ``Phone``, ``Postcode``, ``Year``, ``Reference`` ...)
    and sometimes a footer such as ``Revision 2019``.  10-14 fields in one or
    two columns, each one number of 1-8 digits written with real handwritten
    digits: UCI optdigits 32x32 bitmaps (``optdigits-orig.tra`` and
    ``.cv``) or the 20x20 cells of OpenCV's ``digits.png``, read from
    ``--digits DIR`` (default ``../shared/data`` beside the repository) at
    generation time and never copied.  One source per page, alternating in
    pairs of pages (0-1 optdigits, 2-3 OpenCV, ...) so that each source has
    PNG and JPEG pages; digits drawn at random from the source.  Each digit
    is scaled from the softened source image to a height of 35-70 px per
    field (+-10 % per digit), rotated by up to 6 degrees and slanted with the
    number's shear (+-0.25); pen ink gray 20-90 per page (+-8 per number),
    baseline jitter +-6 % of the height, gaps of 4-30 % of the height or, in
    15 % of gaps, an overlap of up to 20 % of the digit width.  Field kinds:
    ``box`` (a 1-3 px rectangle, the number inside; in 20 % of boxes one
    digit crosses the top or bottom border), ``comb`` (one cell per digit,
    sometimes 1-3 spare cells left or right, drawn as a grid of boxes or a
    baseline with ticks; one digit centred per cell) and ``line`` (written on
    a solid or dotted line after the label).  Labels stand left of the field
    or, for boxes and combs, above it.  Degradation as ``printed``: rotation
    up to 1.5 degrees, blur, uneven background, noise, JPEG for odd pages.

Fonts are read from the Debian font packages.  The page fonts are dominated
(about 85 % of the draws with the default ``--fonts mixed``) by the families
reserved for evaluation, URW base35 (NimbusSans, NimbusRoman, NimbusMonoPS,
C059, P052, URWGothic, URWBookman, NimbusSansNarrow) and GNU FreeFont
(FreeSans, FreeSerif, FreeMono); the rest are DejaVu and Liberation.  Needed
packages::

    apt-get install fonts-urw-base35 fonts-freefont-ttf \\
        fonts-dejavu-core fonts-liberation2

A missing font file stops the script with one line naming its package.

Ground truth: for ``<stem>.png`` (or ``<stem>.jpg``) the file ``<stem>.json``
holds ``{"image": <file name>, "width": W, "height": H, "lines": [...],
"tokens": [...]}``.  Each line is one visual row of text, top to bottom:
``{"text": ..., "box": [left, top, width, height], "words": [{"text": ...,
"box": [...]}, ...], "font": ..., "size_px": ...}``.  A row may hold several
separately placed parts (a label and a right-aligned amount, table
columns); its text joins them left to right with one space, while spaces
inside a part are kept as drawn, so compare texts with whitespace collapsed.
Boxes are the tight axis-aligned bounds of the rendered ink after the page
rotation and before blur, in pixels of the saved image.  ``tokens`` lists
every numeric token in reading order: :data:`TOKEN_RE` applied to each
line's text in turn (see :func:`tokens_of`).  Letters are never glued to
digits in the generated text.  The sidecar also records the set, the seed
and the degradation parameters.

In ``forms`` sidecars a line is a printed header/footer line or one field
(its label words, then the handwritten number as one word), and lines and
words carry a ``kind`` (``printed``, ``box``, ``comb`` or ``line``).  A
handwritten number is one token, a comb field's digits included.  The extra
key ``token_info`` lists ``{"text", "box", "kind"}`` for every token,
parallel to ``tokens``; a token's box is its word's box (for handwriting,
the ink at coverage >= 0.5).

Page ``i`` uses ``numpy.random.default_rng(seed + i)``, so the same arguments
give byte-identical files (with the same versions of numpy, Pillow,
FreeType, OpenCV and the fonts).

Usage::

    python benchmarks/make_pages.py --set printed --count 20 \\
        --out /tmp/bench/printed --seed 0
    python benchmarks/make_pages.py --set receipts --count 20 \\
        --out /tmp/bench/receipts --seed 0
    python benchmarks/make_pages.py --set forms --count 20 \\
        --out /tmp/bench/forms --seed 0 --digits ../shared/data

Other benchmark scripts may import :data:`TOKEN_RE` and :func:`tokens_of`.
The generator itself lives in the package ``benchmarks/pages/`` (one module
per set plus shared code); this script is its command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

# The package ``pages`` sits beside this script; make it importable however
# the script is run or imported.
_HERE = str(Path(__file__).resolve().parent)
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from pages import (  # noqa: E402
    DEFAULT_DIGIT_DATA,
    SET_FAMILIES,
    SETS,
    TOKEN_RE,
    FontPool,
    check_fonts,
    check_hand_data,
    generate_page,
    tokens_of,
)

__all__ = [
    "DEFAULT_DIGIT_DATA",
    "TOKEN_RE",
    "check_hand_data",
    "generate_page",
    "main",
    "tokens_of",
]


def _worker(args: tuple[str, int, int, str, str, str]) -> str:
    set_name, index, seed, out, fonts, data = args
    return str(generate_page(set_name, index, seed, Path(out), fonts, Path(data)))


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status.
    """
    ap = argparse.ArgumentParser(description="Generate degraded benchmark pages with ground truth.")
    ap.add_argument(
        "--set",
        required=True,
        choices=sorted(SETS),
        dest="set_name",
        help="printed: A4 invoice/form pages; receipts: thermal receipt strips; "
        "forms: A4 forms with handwritten numbers",
    )
    ap.add_argument("--count", type=int, default=20, help="number of pages (default 20)")
    ap.add_argument("--out", type=Path, required=True, help="output folder (created)")
    ap.add_argument(
        "--seed", type=int, default=0, help="base seed; page i uses seed + i (default 0)"
    )
    ap.add_argument(
        "--fonts",
        choices=("mixed", "eval", "other"),
        default="mixed",
        help="mixed: evaluation families dominate (default); eval: only URW "
        "base35 and FreeFont; other: only DejaVu and Liberation",
    )
    ap.add_argument(
        "--digits",
        type=Path,
        default=DEFAULT_DIGIT_DATA,
        metavar="DIR",
        help="folder with optdigits/ and opencv-digits/, read by --set forms "
        f"(default {DEFAULT_DIGIT_DATA})",
    )
    ap.add_argument(
        "--jobs",
        type=int,
        default=1,
        help="worker processes (output does not depend on it; default 1)",
    )
    args = ap.parse_args(argv)
    if args.count < 1:
        ap.error("--count must be at least 1")
    if args.seed < 0:
        ap.error("--seed must be non-negative")

    pool = FontPool(SET_FAMILIES[args.set_name], args.fonts)
    check_fonts(pool.families)
    if args.set_name == "forms":
        missing = check_hand_data(args.digits)
        if missing:
            sys.exit(f"make_pages.py: handwritten digit data missing: {missing}")
    args.out.mkdir(parents=True, exist_ok=True)
    jobs = [
        (args.set_name, i, args.seed, str(args.out), args.fonts, str(args.digits))
        for i in range(args.count)
    ]
    if args.jobs > 1:
        with ProcessPoolExecutor(max_workers=args.jobs) as ex:
            for p in ex.map(_worker, jobs):
                print(p)
    else:
        for j in jobs:
            print(_worker(j))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate filled-in sample forms for ``ocr scan --template``.

Running ``python tools/make_forms.py`` (from anywhere) writes
``samples/forms/claim_01.png`` .. ``claim_03.png``: expense-claim forms (A5
landscape at 150 dpi, 1240 x 874 px, 8-bit grayscale) with printed labels and
printed boxes, filled in with typed values, each shifted by a few pixels and
degraded like a scan; and ``tests/expected/claim_forms.fields.json`` with the
value of every field of every form (an empty string for a field left blank).
``templates/claim.yaml`` (written by hand) is the template that names the
fields.

Fonts: URW base35 (Debian package ``fonts-urw-base35``), reserved for
evaluation, so the forms are not set in a font the model was trained on.
Deterministic: the same run gives byte-identical files.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

REPO = Path(__file__).resolve().parents[1]
FORMS = REPO / "samples" / "forms"
"""Where the form images go."""
EXPECTED = REPO / "tests" / "expected" / "claim_forms.fields.json"
"""Where the expected field values go: the tests read them from there."""
URW = Path("/usr/share/fonts/opentype/urw-base35")
WIDTH, HEIGHT = 1240, 874

#: Field name, label, box (left, top, right, bottom) on the undisturbed form.
LAYOUT = (
    ("claim_no", "Claim No.", (720, 150, 1100, 220)),
    ("date", "Date", (720, 250, 1100, 320)),
    ("employee", "Employee ID", (720, 350, 1100, 420)),
    ("amount", "Amount", (720, 450, 1100, 520)),
    ("vat", "VAT", (720, 550, 1100, 620)),
    ("total", "Total", (720, 680, 1100, 760)),
)

VALUES = (
    {
        "claim_no": "204871",
        "date": "2026-11-24",
        "employee": "30571",
        "amount": "1,250.00",
        "vat": "250.00",
        "total": "1,500.00",
    },
    {
        "claim_no": "204872",
        "date": "2026-11-25",
        "employee": "41188",
        "amount": "86.40",
        "vat": "17.28",
        "total": "103.68",
    },
    {
        "claim_no": "204873",
        "date": "2026-11-26",
        "employee": "30571",
        "amount": "412.75",
        "vat": "",
        "total": "412.75",
    },
)


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """Load a URW base35 font or exit with a one-line hint."""
    path = URW / name
    if not path.is_file():
        sys.exit(f"missing font {path}: install the Debian package fonts-urw-base35")
    return ImageFont.truetype(str(path), size)


def draw_form(values: dict[str, str], rng: np.random.Generator) -> np.ndarray:
    """Render one filled form and degrade it like a scan."""
    image = Image.new("L", (WIDTH, HEIGHT), 255)
    draw = ImageDraw.Draw(image)
    dx, dy = (int(v) for v in rng.integers(-12, 13, size=2))
    draw.text((80 + dx, 50 + dy), "EXPENSE CLAIM", font=font("NimbusSans-Bold.otf", 48), fill=0)
    label_font = font("NimbusSans-Regular.otf", 32)
    value_font = font("NimbusMonoPS-Regular.otf", 40)
    for name, label, (left, top, right, bottom) in LAYOUT:
        left, top, right, bottom = left + dx, top + dy, right + dx, bottom + dy
        draw.text((120 + dx, top + 18), label, font=label_font, fill=0)
        draw.rectangle((left, top, right, bottom), outline=0, width=3)
        text = values[name]
        if text:
            x0, y0, x1, y1 = draw.textbbox((0, 0), text, font=value_font)
            x = right - 24 - (x1 - x0) - x0  # right-aligned inside the box
            y = (top + bottom) // 2 - (y1 + y0) // 2
            draw.text((x, y), text, font=value_font, fill=0)
    draw.text(
        (120 + dx, 800 + dy),
        "Signed by the employee; approved by accounts.",
        font=font("NimbusRoman-Italic.otf", 26),
        fill=0,
    )
    page = np.asarray(image, dtype=np.float32)
    matrix = cv2.getRotationMatrix2D((WIDTH / 2, HEIGHT / 2), float(rng.uniform(-0.4, 0.4)), 1.0)
    page = cv2.warpAffine(page, matrix, (WIDTH, HEIGHT), borderValue=255)
    page = cv2.GaussianBlur(page, (0, 0), 0.6)
    shade = np.linspace(238, 252, WIDTH, dtype=np.float32)[None, :]
    page = page * shade / 255.0 + rng.normal(0.0, 3.0, page.shape)
    return np.clip(np.round(page / 8) * 8, 0, 255).astype(np.uint8)


def main() -> None:
    """Write the forms and their expected field values."""
    rng = np.random.default_rng(7)
    expected = {}
    for index, values in enumerate(VALUES, start=1):
        name = f"claim_{index:02d}.png"
        Image.fromarray(draw_form(values, rng)).save(FORMS / name, optimize=True)
        expected[name] = values
    EXPECTED.write_text(json.dumps(expected, indent=2) + "\n")


if __name__ == "__main__":
    main()

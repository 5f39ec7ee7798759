"""One benchmark page of any set: generate, save the image, write the sidecar.

:func:`generate_page` draws a page with the set's builder, saves it as PNG
(even indices) or JPEG (odd indices) and writes the JSON ground truth beside it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from PIL import Image

from .common import bounding_box, tokens_of
from .fonts import SET_FAMILIES, FontPool
from .forms import FormLine, make_form
from .hand_digits import DEFAULT_DIGIT_DATA, hand_source
from .layout import InkWord, Row
from .printed import make_printed
from .receipts import make_receipt

#: Page builder of each set.
SETS = {"printed": make_printed, "receipts": make_receipt, "forms": make_form}


def _save_image(
    rng: np.random.Generator, image: np.ndarray, out_dir: Path, stem: str, index: int, params: dict
) -> Path:
    """Save a page as JPEG of quality 80-90 (odd index) or PNG; record the quality."""
    dpi = params["dpi"]
    pil = Image.fromarray(image)
    if index % 2:
        quality = int(rng.integers(80, 91))
        path = out_dir / f"{stem}.jpg"
        pil.save(path, format="JPEG", quality=quality, dpi=(dpi, dpi))
        params["jpeg_quality"] = quality
    else:
        path = out_dir / f"{stem}.png"
        pil.save(path, format="PNG", compress_level=3, dpi=(dpi, dpi))
        params["jpeg_quality"] = None
    return path


def _form_truth(
    form_lines: list[FormLine], width: int, height: int, stem: str
) -> tuple[list[dict], list[str], list[dict[str, object]]]:
    """Sidecar lines, tokens and token details of a form page."""
    lines = []
    tokens: list[str] = []
    token_info: list[dict[str, object]] = []
    for line in form_lines:
        text = " ".join(t for t, _, _ in line.words)
        pts = [p for _, p, _ in line.words if len(p)]
        lines.append(
            {
                "text": text,
                "box": bounding_box(
                    np.concatenate(pts) if pts else np.empty((0, 2)), width, height
                ),
                "words": [
                    {"text": t, "box": bounding_box(p, width, height), "kind": k}
                    for t, p, k in line.words
                ],
                "font": line.font,
                "size_px": line.size_px,
                "kind": line.kind,
            }
        )
        for word in lines[-1]["words"]:
            for tok in tokens_of(word["text"]):
                token_info.append({"text": tok, "box": word["box"], "kind": word["kind"]})
        tokens.extend(tokens_of(text))
    if [t["text"] for t in token_info] != tokens:
        raise AssertionError(f"{stem}: token details do not match the tokens")
    return lines, tokens, token_info


def _row_truth(
    rows: list[Row], words: list[list[InkWord]], width: int, height: int
) -> tuple[list[dict], list[str]]:
    """Sidecar lines and tokens of a printed page or receipt."""
    lines = []
    tokens: list[str] = []
    for row, row_words in zip(rows, words, strict=True):
        text = row.text
        pts = [w.pts for w in row_words if len(w.pts)]
        box = bounding_box(np.concatenate(pts) if pts else np.empty((0, 2)), width, height)
        lines.append(
            {
                "text": text,
                "box": box,
                "words": [
                    {"text": w.text, "box": bounding_box(w.pts, width, height)} for w in row_words
                ],
                "font": f"{row.family.name}{'-Bold' if row.bold else ''}",
                "size_px": row.size_px,
            }
        )
        tokens.extend(tokens_of(text))
    return lines, tokens


def generate_page(
    set_name: str,
    index: int,
    seed: int,
    out_dir: Path,
    fonts: str = "mixed",
    data_dir: Path = DEFAULT_DIGIT_DATA,
) -> Path:
    """Generate, degrade and save one page with its ground-truth sidecar.

    Parameters
    ----------
    set_name : {"printed", "receipts", "forms"}
        Which set.
    index : int
        Page index; the page uses ``numpy.random.default_rng(seed + index)``
        and odd indices are saved as JPEG.
    seed : int
        Base seed.
    out_dir : pathlib.Path
        Output folder (must exist).
    fonts : {"mixed", "eval", "other"}
        Font pool mode, see :class:`FontPool`.
    data_dir : pathlib.Path
        Folder of the handwritten digits, read by the ``forms`` set only.

    Returns
    -------
    pathlib.Path
        Path of the written image.
    """
    rng = np.random.default_rng(seed + index)
    pool = FontPool(SET_FAMILIES[set_name], fonts)
    if set_name == "forms":
        image, form_lines, params = make_form(rng, pool, data_dir, hand_source(index))
    else:
        image, rows, words, params = SETS[set_name](rng, pool)
    height, width = image.shape
    stem = f"{set_name}_{index:04d}"
    path = _save_image(rng, image, out_dir, stem, index, params)
    if set_name == "forms":
        lines, tokens, token_info = _form_truth(form_lines, width, height, stem)
    else:
        lines, tokens = _row_truth(rows, words, width, height)
    truth: dict[str, object] = {
        "image": path.name,
        "width": width,
        "height": height,
        "lines": lines,
        "tokens": tokens,
    }
    if set_name == "forms":
        truth["token_info"] = token_info
    truth.update(
        {
            "set": set_name,
            "seed": seed,
            "index": index,
            "degradation": {k: _rounded(v) for k, v in params.items()},
        }
    )
    (out_dir / f"{stem}.json").write_text(json.dumps(truth, indent=1) + "\n")
    return path


def _rounded(value: object) -> object:
    """Round floats (also inside lists) to 3 decimals for the sidecar."""
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value

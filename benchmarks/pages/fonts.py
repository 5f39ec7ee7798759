"""Font families of the benchmark pages: the Debian font files, weighted draws, loading.

The evaluation families (URW base35 and GNU FreeFont) get most of the draws;
DejaVu and Liberation the rest (see :class:`FontPool`).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import ImageFont

_URW = "/usr/share/fonts/opentype/urw-base35"
_FREE = "/usr/share/fonts/truetype/freefont"
_DEJAVU = "/usr/share/fonts/truetype/dejavu"
_LIB = "/usr/share/fonts/truetype/liberation2"


@dataclass(frozen=True)
class FontFamily:
    """One font family in a regular and a bold weight.

    Attributes
    ----------
    name : str
        Family name recorded in the ground truth.
    regular, bold : str
        Paths of the font files.
    package : str
        Debian package that provides the files.
    evaluation : bool
        True for the families reserved for evaluation (URW base35, FreeFont).
    mono : bool
        True for monospace families.
    """

    name: str
    regular: str
    bold: str
    package: str
    evaluation: bool
    mono: bool

    def path(self, bold: bool) -> str:
        """Return the file of the requested weight.

        Parameters
        ----------
        bold : bool
            Whether the bold weight is wanted.

        Returns
        -------
        str
            Path of the font file.
        """
        return self.bold if bold else self.regular


def _urw(name: str, regular: str, bold: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name,
        f"{_URW}/{name}-{regular}.otf",
        f"{_URW}/{name}-{bold}.otf",
        "fonts-urw-base35",
        True,
        mono,
    )


def _free(name: str, bold_suffix: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name,
        f"{_FREE}/{name}.ttf",
        f"{_FREE}/{name}{bold_suffix}.ttf",
        "fonts-freefont-ttf",
        True,
        mono,
    )


def _dejavu(name: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name,
        f"{_DEJAVU}/{name}.ttf",
        f"{_DEJAVU}/{name}-Bold.ttf",
        "fonts-dejavu-core",
        False,
        mono,
    )


def _lib(name: str, mono: bool = False) -> FontFamily:
    return FontFamily(
        name,
        f"{_LIB}/{name}-Regular.ttf",
        f"{_LIB}/{name}-Bold.ttf",
        "fonts-liberation2",
        False,
        mono,
    )


#: Every family the generator knows, by name.
FAMILIES: dict[str, FontFamily] = {
    f.name: f
    for f in (
        _urw("NimbusSans", "Regular", "Bold"),
        _urw("NimbusRoman", "Regular", "Bold"),
        _urw("NimbusMonoPS", "Regular", "Bold", mono=True),
        _urw("C059", "Roman", "Bold"),
        _urw("P052", "Roman", "Bold"),
        _urw("URWGothic", "Book", "Demi"),
        _urw("URWBookman", "Light", "Demi"),
        _urw("NimbusSansNarrow", "Regular", "Bold"),
        _free("FreeSans", "Bold"),
        _free("FreeSerif", "Bold"),
        _free("FreeMono", "Bold", mono=True),
        _dejavu("DejaVuSans"),
        _dejavu("DejaVuSerif"),
        _dejavu("DejaVuSansMono", mono=True),
        _lib("LiberationSans"),
        _lib("LiberationSerif"),
        _lib("LiberationMono", mono=True),
    )
}

#: Families drawn for each set (``forms`` prints with the ``printed`` families).
SET_FAMILIES: dict[str, tuple[str, ...]] = {
    "printed": tuple(FAMILIES),
    "receipts": (
        "NimbusMonoPS",
        "FreeMono",
        "NimbusSans",
        "NimbusSansNarrow",
        "FreeSans",
        "DejaVuSansMono",
        "LiberationMono",
        "DejaVuSans",
        "LiberationSans",
    ),
    "forms": tuple(FAMILIES),
}

#: Share of the font draws that go to the evaluation families with ``--fonts mixed``.
EVAL_SHARE = 0.85


class FontPool:
    """Weighted random choice of font families.

    Parameters
    ----------
    names : sequence of str
        Family names (keys of :data:`FAMILIES`).
    mode : {"mixed", "eval", "other"}
        ``mixed`` gives the evaluation families :data:`EVAL_SHARE` of the
        draws; ``eval`` and ``other`` keep only the evaluation families or
        only the others.
    """

    def __init__(self, names: Sequence[str], mode: str = "mixed") -> None:
        fams = [FAMILIES[n] for n in names]
        if mode == "eval":
            fams = [f for f in fams if f.evaluation]
        elif mode == "other":
            fams = [f for f in fams if not f.evaluation]
        elif mode != "mixed":
            raise ValueError(f"unknown font mode {mode!r}")
        n_eval = sum(f.evaluation for f in fams)
        n_other = len(fams) - n_eval
        weights = []
        for f in fams:
            if n_eval and n_other:
                w = EVAL_SHARE / n_eval if f.evaluation else (1 - EVAL_SHARE) / n_other
            else:
                w = 1.0 / len(fams)
            weights.append(w)
        self.families = fams
        self.weights = np.asarray(weights) / np.sum(weights)

    def choose(self, rng: np.random.Generator, mono: bool | None = None) -> FontFamily:
        """Draw one family.

        Parameters
        ----------
        rng : numpy.random.Generator
            Random source.
        mono : bool or None
            Restrict the draw to monospace (True) or proportional (False)
            families, when the pool has any; None draws from all.

        Returns
        -------
        FontFamily
            The chosen family.
        """
        idx = np.arange(len(self.families))
        if mono is not None:
            keep = np.array([f.mono == mono for f in self.families])
            if keep.any():
                idx = idx[keep]
        w = self.weights[idx] / self.weights[idx].sum()
        return self.families[int(rng.choice(idx, p=w))]


def check_fonts(families: Sequence[FontFamily]) -> None:
    """Exit with one line naming the Debian packages of missing font files.

    Parameters
    ----------
    families : sequence of FontFamily
        Families whose files must exist.
    """
    missing = [
        (p, f.package) for f in families for p in (f.regular, f.bold) if not Path(p).is_file()
    ]
    if missing:
        pkgs = " ".join(sorted({pkg for _, pkg in missing}))
        sys.exit(
            f"make_pages.py: font file {missing[0][0]} not found "
            f"({len(missing)} missing); install the Debian package(s): "
            f"apt-get install {pkgs}"
        )


@lru_cache(maxsize=512)
def load_font(path: str, size_px: int) -> ImageFont.FreeTypeFont:
    """Load a font at a pixel size with Pillow's basic layout (cached).

    Parameters
    ----------
    path : str
        Font file.
    size_px : int
        Em size in pixels.

    Returns
    -------
    PIL.ImageFont.FreeTypeFont
        The font.
    """
    return ImageFont.truetype(path, size_px, layout_engine=ImageFont.Layout.BASIC)

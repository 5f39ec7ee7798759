"""Font discovery: the training fonts, their families, and the fonts reserved for evaluation.

Every TrueType/OpenType file under the usual font folders is a candidate;
families reserved for evaluation (:data:`RESERVED_FONT_RE`) and faces that
are no text (symbols, emoji) are left out, and handwriting-style fonts
(:data:`HANDWRITING_FONT_RE`) are kept apart: they are rendered as
handwriting, never as print.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np

RESERVED_FONT_RE = re.compile(
    r"^(nimbus|c059|p052|urw|d050000l|standardsymbols|z003|free(sans|serif|mono))", re.I
)
"""Font families reserved for evaluation (URW base35, GNU FreeFont): never trained on."""

_MONOSPACED_RE = re.compile(r"(mono|courier|cousine|inconsolata|anonymous|hack|firacode)", re.I)
"""Monospaced families by file name: the faces that are printed as dot-matrix too."""

_STYLED_RE = re.compile(
    r"(bold|italic|oblique|light|thin|medium|semi|extra|black|heavy"
    r"| BI?$| I$)",
    re.I,
)
"""A style word in a file name (``Anonymous Pro BI`` spells it in capitals)."""

MAX_FONTS_PER_FAMILY = 6
"""Files of one family used for training (see :func:`find_fonts`)."""

_SKIP_FONT_RE = re.compile(r"(math|symbol|emoji|hairline|dingbat)", re.I)
"""Faces whose digits are not text digits, or that have none."""

HANDWRITING_FONT_RE = re.compile(
    r"^(ComicNeue|dkg|breip|BecauseWe|Humor-Sans|Rufscript|Kristi|KleeOne|Purisa|"
    r"DancingScript|KaushanScript|Delphine|SteveHand|YuseiMagic|setofont|kiloji)",
    re.I,
)
"""Handwriting-style fonts (Debian packages named in the README): rendered as
handwriting (distorted, deslanted), never as print."""

DEFAULT_FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".fonts",
    Path.home() / ".local/share/fonts",
)
"""Where fonts are looked for when no folders are given, in this order."""


def font_files(dirs: Iterable[Path] | None = None) -> dict[str, Path]:
    """Every TrueType/OpenType file under ``dirs``, by file name.

    Parameters
    ----------
    dirs : iterable of Path, optional
        Folders to walk, recursively; :data:`DEFAULT_FONT_DIRS` by default.
        Missing folders are skipped.

    Returns
    -------
    dict of str to Path
        A file installed in two folders counts once: the first found,
        folders in the given order and each walked in sorted order.
    """
    found: dict[str, Path] = {}
    for folder in dirs or DEFAULT_FONT_DIRS:
        if not Path(folder).is_dir():
            continue
        for path in sorted(Path(folder).rglob("*")):
            if path.suffix.lower() in (".ttf", ".otf") and path.is_file():
                found.setdefault(path.name, path)
    return found


def find_fonts(
    dirs: Iterable[Path] | None = None, max_per_family: int | None = MAX_FONTS_PER_FAMILY
) -> list[Path]:
    """Training fonts under ``dirs``: TrueType/OpenType, reserved families excluded.

    Parameters
    ----------
    dirs : iterable of Path, optional
        Folders to look in (:func:`font_files`).
    max_per_family : int or None
        A family with more files than this (weights, widths, optical sizes)
        gives this many, spread evenly over its sorted names: more families
        teach more than more weights of one. None keeps them all.

    Returns
    -------
    list of Path
        Sorted by file name; files with the same name in two folders (a
        font installed twice) count once. Reserved families
        (:data:`RESERVED_FONT_RE`), symbol faces and handwriting-style
        fonts (:data:`HANDWRITING_FONT_RE`) are left out.
    """
    seen = {
        name: path
        for name, path in font_files(dirs).items()
        if not (
            RESERVED_FONT_RE.match(name)
            or _SKIP_FONT_RE.search(name)
            or HANDWRITING_FONT_RE.match(name)
        )
    }
    families: dict[str, list[str]] = {}
    for name in sorted(seen):
        families.setdefault(font_family(name), []).append(name)
    kept = []
    for names in families.values():
        if max_per_family is not None and len(names) > max_per_family:
            picks = np.linspace(0, len(names) - 1, max_per_family).round().astype(int)
            names = [names[i] for i in picks]
        kept.extend(names)
    return [seen[name] for name in sorted(kept)]


def find_handwriting_fonts(dirs: Iterable[Path] | None = None) -> list[Path]:
    """Handwriting-style fonts under ``dirs`` (:data:`HANDWRITING_FONT_RE`), by name.

    Parameters
    ----------
    dirs : iterable of Path, optional
        Folders to look in (:func:`font_files`).

    Returns
    -------
    list of Path
        Every file of those families, sorted by file name.
    """
    return [
        path for name, path in sorted(font_files(dirs).items()) if HANDWRITING_FONT_RE.match(name)
    ]


def font_family(path: Path | str) -> str:
    """Family of a font file from its name: ``LiberationSans-Bold.ttf`` -> ``LiberationSans``.

    Parameters
    ----------
    path : Path or str
        A font file, or a renderer's name (``Hershey2-w1.4``).

    Returns
    -------
    str
        The name up to its first ``-``, ``_`` or space, less a trailing
        style word.

    Examples
    --------
    >>> [font_family(n) for n in ["DejaVuSans-Bold.ttf", "Anonymous Pro BI.ttf",
    ...                           "cmuntt.otf", "Hershey2-w1.4"]]
    ['DejaVuSans', 'Anonymous', 'CMU', 'Hershey2']
    """
    stem = Path(path).stem
    if stem.startswith("cmun"):
        return "CMU"  # Computer Modern Unicode names each style cmun + two letters
    family = re.split(r"[-_ ]", stem)[0]
    return re.sub(r"(Bold|Italic|Oblique|Regular|Light|Medium)+$", "", family) or stem


def monospaced_faces(fonts: Iterable[Path | str]) -> list[Path]:
    """The plainest file of each monospaced family among ``fonts``, in name order.

    Parameters
    ----------
    fonts : iterable of Path or str
        Font files, as :func:`find_fonts` gives them.

    Returns
    -------
    list of Path
        One file per monospaced family (:data:`_MONOSPACED_RE` on the file
        name): one with no style word in its name if there is one, and of
        those the shortest name.  They are printed as dot-matrix receipts,
        whose printers have one plain face.
    """
    monospaced: dict[str, Path] = {}
    for path in sorted(
        fonts,
        key=lambda f: (bool(_STYLED_RE.search(Path(f).stem)), len(Path(f).name), Path(f).name),
    ):
        if _MONOSPACED_RE.search(Path(path).name):
            monospaced.setdefault(font_family(path), Path(path))
    return sorted(monospaced.values())

"""Generator of the synthetic benchmark pages, one module per document kind.

``benchmarks/make_pages.py`` is the command line and documents the sets and
the sidecar format.  Modules:

``common``
    Numeric tokens, random values, A4 geometry and the scan degradation.
``fonts``
    Font families, weighted font draws and font loading.
``layout``
    Placing, fitting and rendering text rows (``printed`` and ``receipts``).
``printed``, ``receipts``, ``forms``
    The page builder of each set; ``forms`` uses ``fields`` (printed labels
    with handwritten numbers) and ``hand_digits`` (the real digit data).
``generate``
    One page of any set saved with its JSON sidecar.
"""

from .common import TOKEN_RE, tokens_of
from .fonts import SET_FAMILIES, FontPool, check_fonts
from .generate import SETS, generate_page
from .hand_digits import DEFAULT_DIGIT_DATA, check_hand_data

__all__ = [
    "DEFAULT_DIGIT_DATA",
    "SETS",
    "SET_FAMILIES",
    "TOKEN_RE",
    "FontPool",
    "check_fonts",
    "check_hand_data",
    "generate_page",
    "tokens_of",
]

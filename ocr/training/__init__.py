"""Training: build the kNN model that ships as ``ocr/models/default.npz``.

``ocr train`` renders its samples from installable sources and chooses k by
validation; see :mod:`ocr.training.build`.
"""

from __future__ import annotations

from .build import TrainReport, build_model
from .config import TrainConfig
from .fonts import (
    DEFAULT_FONT_DIRS,
    HANDWRITING_FONT_RE,
    RESERVED_FONT_RE,
    find_fonts,
    find_handwriting_fonts,
    font_family,
    font_files,
)
from .handwritten import (
    HELD_OUT_HANDWRITING,
    handwritten_masks,
    handwritten_samples,
    pen_trace,
    scrawl,
)
from .printed import make_renderers, printed_samples
from .render import CLEAN, Degrade, FontRenderer, sample_pieces
from .validation import deduplicate, plot_curve, split_by_group

__all__ = [
    "CLEAN", "DEFAULT_FONT_DIRS", "HANDWRITING_FONT_RE", "HELD_OUT_HANDWRITING",
    "RESERVED_FONT_RE", "Degrade", "FontRenderer", "TrainConfig", "TrainReport", "build_model",
    "deduplicate", "find_fonts", "find_handwriting_fonts", "font_family", "font_files",
    "handwritten_masks", "handwritten_samples", "make_renderers", "pen_trace", "plot_curve",
    "printed_samples", "sample_pieces", "scrawl", "split_by_group",
]

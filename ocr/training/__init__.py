"""Training: build the kNN model that ships as ``ocr/models/default.npz``.

The training set is the product. It is made of

* scikit-learn's handwritten digits (``load_digits``) and distorted copies,
  less the 100 digits the sample form is written with, with the digits of
  handwriting-style fonts and digits drawn stroke by stroke
  (:mod:`~ocr.training.handwritten`, :mod:`~ocr.training.strokes`);
* printed digits and ``/`` rendered from installed fonts, as dot-matrix
  print and with OpenCV's Hershey fonts at many sizes, degraded like scans
  (tilt, slant, blur, noise, faint ink, JPEG) and passed through the *same*
  binarisation and segmentation as real pages before normalisation
  (:mod:`~ocr.training.render`, :mod:`~ocr.training.printed`);
* a reject class: letters and symbols that resemble digits, digits that
  touch their neighbour, fragments of digits, and specks.

Which fonts train and which are reserved for evaluation is
:mod:`~ocr.training.fonts`; k and the side weights are chosen by validation
on held-out font families (:mod:`~ocr.training.validation`,
:mod:`~ocr.training.build`). ``ocr train`` calls :func:`find_fonts`,
:func:`find_handwriting_fonts`, :func:`build_model` and :func:`plot_curve`.
"""

from __future__ import annotations

from .build import TrainReport, build_model
from .config import DEFAULT_CONFIG, TrainConfig
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
from .render import CLEAN, Degrade, FontRenderer, Renderer, sample_pieces
from .validation import deduplicate, plot_curve, split_by_group

__all__ = [
    "CLEAN",
    "DEFAULT_CONFIG",
    "DEFAULT_FONT_DIRS",
    "HANDWRITING_FONT_RE",
    "HELD_OUT_HANDWRITING",
    "RESERVED_FONT_RE",
    "Degrade",
    "FontRenderer",
    "Renderer",
    "TrainConfig",
    "TrainReport",
    "build_model",
    "deduplicate",
    "find_fonts",
    "find_handwriting_fonts",
    "font_family",
    "font_files",
    "handwritten_masks",
    "handwritten_samples",
    "make_renderers",
    "pen_trace",
    "plot_curve",
    "printed_samples",
    "sample_pieces",
    "scrawl",
    "split_by_group",
]

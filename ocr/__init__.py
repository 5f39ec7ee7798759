"""ocr: batch OCR for the digits in scanned forms and receipts.

The pipeline, one module per stage: :mod:`ocr.load`, :mod:`ocr.segment`,
:mod:`ocr.normalise`, :mod:`ocr.classify`, :mod:`ocr.assemble`,
:mod:`ocr.output`, run by :mod:`ocr.pipeline` through :mod:`ocr.executors`.
"""

from .types import Box, Glyph, Line, PageResult, Token

__version__ = "0.1.0"
__all__ = ["Box", "Glyph", "Line", "PageResult", "Token", "__version__"]

"""ocr: batch OCR for the digits in scanned forms and receipts.

The pipeline, one module per stage: :mod:`ocr.load`, :mod:`ocr.segment`,
:mod:`ocr.normalise`, :mod:`ocr.classify`, :mod:`ocr.assemble`,
:mod:`ocr.output`, run by :mod:`ocr.pipeline` through :mod:`ocr.executors`.

The Python API: ``ocr.read(image_array)`` reads one in-memory image and
``ocr.scan(paths)`` yields page results for files and folders
(:mod:`ocr.api`).
"""

from __future__ import annotations

from typing import Any

from .types import Box, Glyph, Line, PageResult, Token

__version__ = "0.1.0"
__all__ = ["Box", "Glyph", "Line", "PageResult", "Token", "__version__", "read", "scan"]


def __getattr__(name: str) -> Any:
    # The API pulls in OpenCV and the model code: import it on first use so
    # that `import ocr` (and the CLI's start-up) stays light.
    if name in ("read", "scan"):
        from . import api

        return getattr(api, name)
    raise AttributeError(f"module 'ocr' has no attribute {name!r}")

"""``python -m ocr``: the same as the ``ocr`` command."""

from .cli import main

main()

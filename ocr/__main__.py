"""``python -m ocr``: the same as the ``ocr`` command."""

from .cli import main

if __name__ == "__main__":
    main()

"""Run ``ocr`` from a checkout without installing it: ``python cli.py scan samples/``."""

from ocr.cli import main

if __name__ == "__main__":
    main()

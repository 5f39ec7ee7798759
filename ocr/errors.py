"""Exit codes and the errors that carry them.

Errors are raised deep in the library and translated to a message and an exit
code in exactly one place: the CLI.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Process exit codes of ``ocr``, in the spirit of OCRmyPDF's."""

    ok = 0
    """Every input file was read."""
    input_file = 1
    """Some input files could not be read; the others were processed."""
    bad_args = 2
    """Usage error: bad option, missing input folder, unwritable output."""
    model_error = 3
    """The kNN model file is missing, damaged or from another normaliser."""
    other_error = 15
    """Anything else (a bug): please report it."""


class OcrError(Exception):
    """Base class of the errors ``ocr`` reports with a one-line message."""

    exit_code = ExitCode.other_error


class UsageError(OcrError):
    """A bad option, a missing input or an unwritable output: exit code 2."""

    exit_code = ExitCode.bad_args


class ModelError(OcrError):
    """A model file that is missing, damaged or made for another normaliser: exit code 3."""

    exit_code = ExitCode.model_error


class PageReadError(OcrError):
    """A file that cannot be read as an image. The batch goes on without it."""

    exit_code = ExitCode.input_file

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason

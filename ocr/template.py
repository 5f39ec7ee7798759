"""Forms: name the fields of a page by region and read one row per page.

A template is a small YAML file::

    name: expense-claim
    units: fraction            # or: pixels, with reference: {width: 1240, height: 1754}
    fields:
      - name: claim_no
        region: [0.55, 0.10, 0.95, 0.16]   # left, top, right, bottom
        kind: integer                      # integer, decimal, date, time or any
        pattern: '\\d{6}'                  # optional, the whole value must match
      - name: total
        region: [0.55, 0.70, 0.95, 0.78]
        kind: decimal
        anchor: box                        # optional: read inside the printed box there

Regions are in fractions of the page, or in pixels of a page of the stated
reference size (scaled to the page actually read). A field's value is the
first token, in reading order, whose box centre lies in its region and whose
kind matches (``any``: all tokens there, joined by spaces). A field anchored
on a box is read inside the printed rectangle that holds its region's centre,
so a form scanned with an offset still reads right. Each page gets the
value and confidence of every field, and a list of issues: fields that are
empty, of the wrong kind, fail their pattern, or fall below the minimum
confidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .errors import UsageError
from .types import Box, PageResult, Token

KINDS = ("integer", "decimal", "date", "time", "any")


@dataclass(frozen=True, slots=True)
class Field:
    """One named region of a form."""

    name: str
    region: tuple[float, float, float, float]
    kind: str = "any"
    pattern: str | None = None
    anchor: str | None = None
    """``"box"``: read inside the printed box found around the region's centre."""


@dataclass(frozen=True, slots=True)
class Template:
    """The fields of a form and the units their regions are given in."""

    name: str
    fields: tuple[Field, ...]
    units: str = "fraction"
    reference: tuple[int, int] | None = None

    @property
    def needs_frames(self) -> bool:
        """Whether any field is anchored on a printed box."""
        return any(f.anchor == "box" for f in self.fields)

    def columns(self) -> list[str]:
        """Output columns: file, page, the fields, their confidences, issues."""
        names = [f.name for f in self.fields]
        return ["file", "page", *names, *(f"{n}_confidence" for n in names), "issues"]


@dataclass(frozen=True, slots=True)
class FieldValue:
    """What was read for one field of one page."""

    name: str
    text: str
    confidence: float
    issue: str | None = None


def load_template(path: Path | str) -> Template:
    """Read and check a template file.

    Raises
    ------
    UsageError
        Naming the file and what is wrong with it.
    """
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"--template {path}: cannot read ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise UsageError(f"--template {path}: not valid YAML ({error})") from None
    return template_from_dict(data, str(path))


Complaint = Callable[[str], UsageError]
"""Makes the error for one problem in a template, naming the template's source."""


def _units_and_reference(data: dict, bad: Complaint) -> tuple[str, tuple[int, int] | None]:
    """The template's units, and for pixels the page size they refer to."""
    units = data.get("units", "fraction")
    if units not in ("fraction", "pixels"):
        raise bad(f"units must be 'fraction' or 'pixels', got {units!r}")
    reference = None
    if units == "pixels":
        ref = data.get("reference")
        if not isinstance(ref, dict) or not all(
            isinstance(ref.get(k), int) and ref[k] > 0 for k in ("width", "height")
        ):
            raise bad("units: pixels needs reference: {width: W, height: H}")
        reference = (int(ref["width"]), int(ref["height"]))
    return units, reference


def _field_name(name: str, names: set[str], bad: Complaint) -> None:
    """Check that ``name`` is an identifier, not a column of its own, and new; add it."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name) or name in ("file", "page", "issues"):
        raise bad(f"field name {name!r} must be an identifier other than file/page/issues")
    if name in names:
        raise bad(f"field {name!r} appears twice")
    names.add(name)


def _field_region(
    name: str, item: dict, units: str, bad: Complaint
) -> tuple[float, float, float, float]:
    """The field's region ``(left, top, right, bottom)``, checked to be a box in ``units``."""
    region = item.get("region")
    if (
        not isinstance(region, list)
        or len(region) != 4
        or not all(isinstance(v, int | float) for v in region)
    ):
        raise bad(f"field {name!r}: region must be [left, top, right, bottom]")
    left, top, right, bottom = (float(v) for v in region)
    if not (left < right and top < bottom):
        raise bad(f"field {name!r}: region must have left < right and top < bottom")
    if units == "fraction" and not all(0.0 <= v <= 1.0 for v in region):
        raise bad(f"field {name!r}: fractions must lie in 0..1")
    return left, top, right, bottom


def _field(index: int, item: object, names: set[str], units: str, bad: Complaint) -> Field:
    """Field number ``index`` of the template, every key checked."""
    if not isinstance(item, dict) or not isinstance(item.get("name"), str):
        raise bad(f"field {index + 1} needs a name")
    name = item["name"]
    _field_name(name, names, bad)
    region = _field_region(name, item, units, bad)
    kind = item.get("kind", "any")
    if kind not in KINDS:
        raise bad(f"field {name!r}: kind must be one of {', '.join(KINDS)}")
    pattern = item.get("pattern")
    if pattern is not None:
        try:
            re.compile(str(pattern))
        except re.error as error:
            raise bad(f"field {name!r}: bad pattern ({error})") from None
        pattern = str(pattern)
    anchor = item.get("anchor")
    if anchor not in (None, "box"):
        raise bad(f"field {name!r}: anchor must be 'box', got {anchor!r}")
    return Field(name, region, kind, pattern, anchor)


def template_from_dict(data: object, source: str = "template") -> Template:
    """Build a :class:`Template` from parsed YAML, checking every field.

    Parameters
    ----------
    data : object
        The parsed YAML: a mapping with ``fields`` and optionally ``name``,
        ``units`` and ``reference``.
    source : str
        Where it came from, for error messages and the default name.

    Returns
    -------
    Template
        The checked template.

    Raises
    ------
    UsageError
        On the first problem found, naming ``source``.
    """

    def bad(message: str) -> UsageError:
        return UsageError(f"--template {source}: {message}")

    if not isinstance(data, dict) or not isinstance(data.get("fields"), list):
        raise bad("expected a mapping with a list of 'fields'")
    units, reference = _units_and_reference(data, bad)
    names: set[str] = set()
    fields = [_field(index, item, names, units, bad) for index, item in enumerate(data["fields"])]
    if not fields:
        raise bad("no fields")
    return Template(str(data.get("name", Path(source).stem)), tuple(fields), units, reference)


def field_region(field: Field, template: Template, width: int, height: int) -> Box:
    """The field's region in pixels of a page of the given size."""
    left, top, right, bottom = field.region
    sx: float
    sy: float
    if template.units == "fraction":
        sx, sy = width, height
    else:
        assert template.reference is not None
        sx, sy = width / template.reference[0], height / template.reference[1]
    x0, y0 = int(round(left * sx)), int(round(top * sy))
    return Box(x0, y0, int(round(right * sx)) - x0, int(round(bottom * sy)) - y0)


def anchored_region(region: Box, frames: tuple[Box, ...]) -> Box:
    """The inside of the smallest printed box holding the region's centre.

    A scan shifted or scaled a little still finds its field in its box; the
    region as given is kept when no printed box holds its centre.
    """
    cx, cy = region.left + region.width / 2, region.top + region.height / 2
    holding = [b for b in frames if b.left <= cx < b.right and b.top <= cy < b.bottom]
    if not holding:
        return region
    return min(holding, key=lambda b: b.width * b.height)


def _inside(token: Token, region: Box) -> bool:
    cx = token.box.left + token.box.width / 2
    cy = token.box.top + token.box.height / 2
    return region.left <= cx < region.right and region.top <= cy < region.bottom


def read_fields(
    template: Template, result: PageResult, min_confidence: float = 0.0
) -> tuple[FieldValue, ...]:
    """Read every field of a template from one page's tokens.

    Parameters
    ----------
    template : Template
    result : PageResult
        The page, as read by the pipeline.
    min_confidence : float
        Values read less surely than this are flagged in their issue.

    Returns
    -------
    values : tuple of FieldValue
        One per field, in template order.
    """
    if result.error is not None:
        return tuple(FieldValue(field.name, "", 0.0, "page not read") for field in template.fields)
    return tuple(_read_field(field, template, result, min_confidence) for field in template.fields)


def _read_field(
    field: Field, template: Template, result: PageResult, min_confidence: float
) -> FieldValue:
    """One field's value from a page that was read, with its first issue.

    The issues are checked in order (empty, wrong kind, pattern, confidence)
    and the first found is the one reported.
    """
    region = field_region(field, template, result.width, result.height)
    if field.anchor == "box":
        region = anchored_region(region, result.frames)
    found = [t for t in result.tokens if _inside(t, region)]
    if not found:
        return FieldValue(field.name, "", 0.0, "empty")
    chosen = _of_kind(found, field.kind)
    issue = None
    if not chosen:
        chosen = found[:1]
        issue = f"not a {field.kind}"
    text = " ".join(t.text for t in chosen)
    confidence = min(t.confidence for t in chosen)
    if issue is None:
        issue = _value_issue(field, text, confidence, min_confidence)
    return FieldValue(field.name, text, confidence, issue)


def _of_kind(found: list[Token], kind: str) -> list[Token]:
    """The tokens a field of ``kind`` takes: all of them for ``"any"``, else
    the first of that kind (none when no token is)."""
    if kind == "any":
        return found
    return [t for t in found if t.kind == kind][:1]


def _value_issue(field: Field, text: str, confidence: float, min_confidence: float) -> str | None:
    """What is wrong with a value of the right kind: its pattern first, then
    its confidence; None when nothing is."""
    if field.pattern and not re.fullmatch(field.pattern, text):
        return "does not match its pattern"
    if confidence < min_confidence:
        return f"low confidence {confidence:.3f}"
    return None


def field_object(
    template: Template, result: PageResult, min_confidence: float = 0.0
) -> dict[str, object]:
    """One page's fields as a JSON object: file, page, fields, issues."""
    values = read_fields(template, result, min_confidence)
    return {
        "file": result.file,
        "page": result.page,
        "fields": {
            v.name: {"text": v.text, "confidence": round(v.confidence, 3), "issue": v.issue}
            for v in values
        },
        "issues": [f"{v.name}: {v.issue}" for v in values if v.issue],
    }


def field_row(template: Template, result: PageResult, min_confidence: float = 0.0) -> list[str]:
    """One output row for a page, in the order of :meth:`Template.columns`."""
    values = read_fields(template, result, min_confidence)
    issues = "; ".join(f"{v.name}: {v.issue}" for v in values if v.issue)
    return [
        result.file,
        str(result.page),
        *(v.text for v in values),
        *(f"{v.confidence:.3f}" for v in values),
        issues,
    ]

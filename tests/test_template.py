"""Form templates: fields by region, one row per page, issues flagged."""

from __future__ import annotations

import json

import pytest

from conftest import CLAIM_TEMPLATE, EXPECTED, SAMPLES, invoke
from ocr.errors import UsageError
from ocr.load import load_page
from ocr.pipeline import read_page
from ocr.template import field_region, load_template, read_fields, template_from_dict
from ocr.types import Box, Line, PageResult, Token

FORMS = SAMPLES / "forms"
EXPECTED_FIELDS = EXPECTED / "claim_forms.fields.json"


def _page(tokens: list[Token], width: int = 1000, height: int = 500) -> PageResult:
    return PageResult("f.png", 1, width, height, lines=(Line(1, Box(0, 0, 1, 1), tuple(tokens)),))


def _token(text: str, kind: str, left: int, top: int, confidence: float = 0.9) -> Token:
    return Token(text, kind, Box(left, top, 40, 20), confidence)


TEMPLATE = template_from_dict(
    {
        "fields": [
            {
                "name": "number",
                "region": [0.5, 0.0, 1.0, 0.5],
                "kind": "integer",
                "pattern": r"\d{4}",
            },
            {"name": "total", "region": [0.5, 0.5, 1.0, 1.0], "kind": "decimal"},
        ]
    }
)


def test_values_issues_and_columns() -> None:
    page = _page([_token("1234", "integer", 600, 100), _token("9.50", "decimal", 600, 300, 0.4)])
    values = read_fields(TEMPLATE, page, min_confidence=0.5)
    assert [(v.text, v.issue) for v in values] == [("1234", None), ("9.50", "low confidence 0.400")]
    assert TEMPLATE.columns() == [
        "file",
        "page",
        "number",
        "total",
        "number_confidence",
        "total_confidence",
        "issues",
    ]


def test_empty_wrong_kind_and_pattern() -> None:
    page = _page([_token("12", "integer", 600, 100), _token("7", "integer", 600, 300)])
    issues = [v.issue for v in read_fields(TEMPLATE, page)]
    assert issues == ["does not match its pattern", "not a decimal"]
    assert [v.issue for v in read_fields(TEMPLATE, _page([]))] == ["empty", "empty"]


def test_pixel_regions_scale_with_the_page() -> None:
    template = template_from_dict(
        {
            "units": "pixels",
            "reference": {"width": 100, "height": 50},
            "fields": [{"name": "a", "region": [10, 5, 60, 25]}],
        }
    )
    assert field_region(template.fields[0], template, 200, 100) == Box(20, 10, 100, 40)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"fields": []}, "no fields"),
        ({"fields": [{"name": "a", "region": [0.5, 0, 0.2, 1]}]}, "left < right"),
        ({"fields": [{"name": "a", "region": [0, 0, 1, 1], "kind": "money"}]}, "kind"),
        ({"fields": [{"name": "page", "region": [0, 0, 1, 1]}]}, "identifier"),
        ({"units": "pixels", "fields": [{"name": "a", "region": [0, 0, 1, 1]}]}, "reference"),
        ({"fields": [{"name": "a", "region": [0, 0, 1, 1], "pattern": "("}]}, "bad pattern"),
    ],
)
def test_bad_templates_are_usage_errors(data: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        template_from_dict(data)


def test_sample_forms_give_the_expected_fields(model) -> None:
    template = load_template(CLAIM_TEMPLATE)
    expected = json.loads(EXPECTED_FIELDS.read_text())
    for name, fields in expected.items():
        page = load_page(FORMS / name)
        result = PageResult(name, 1, page.shape[1], page.shape[0], lines=read_page(page, model))
        values = {v.name: v.text for v in read_fields(template, result)}
        assert values == fields, name


def test_cli_template_run_gives_one_row_per_form(tmp_path) -> None:
    import csv

    out = tmp_path / "claims.csv"
    done = invoke(
        "scan", FORMS, "--template", CLAIM_TEMPLATE, "--out", out, "--excel", "-q", "-j", "1"
    )
    assert done.exit_code == 0, done.stderr
    assert done.stderr == ""
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(out.open(newline="", encoding="utf-8-sig")))
    expected = json.loads(EXPECTED_FIELDS.read_text())
    assert [r["file"] for r in rows] == sorted(expected)
    for row in rows:
        want = expected[row["file"]]
        assert {k: row[k] for k in want} == want
        assert ("vat: empty" in row["issues"]) == (want["vat"] == "")
    bad = invoke("scan", FORMS, "--template", tmp_path / "missing.yaml")
    assert bad.exit_code == 2 and "missing.yaml" in bad.stderr


def test_anchored_field_reads_inside_its_printed_box() -> None:
    template = template_from_dict(
        {
            "fields": [
                {
                    "name": "total",
                    "region": [0.5, 0.4, 1.0, 0.5],
                    "kind": "decimal",
                    "anchor": "box",
                },
            ]
        }
    )
    token = _token("12.50", "decimal", 600, 280)  # below the region as drawn
    plain = _page([token])
    boxed = PageResult(
        "f.png", 1, 1000, 500, lines=plain.lines, frames=(Box(520, 200, 400, 140),)
    )  # the printed box around it
    assert read_fields(template, plain)[0].issue == "empty"
    assert read_fields(template, boxed)[0].text == "12.50"


def test_anchors_follow_a_shifted_scan(model, tmp_path) -> None:
    import numpy as np

    from ocr.pipeline import read_page_detail

    data = {
        "fields": [
            {
                "name": "claim_no",
                "region": [0.6, 0.18, 0.9, 0.24],
                "kind": "integer",
                "anchor": "box",
            },
            {"name": "total", "region": [0.6, 0.79, 0.9, 0.85], "kind": "decimal", "anchor": "box"},
        ]
    }
    template = template_from_dict(data)
    page = load_page(FORMS / "claim_01.png")
    shifted = np.full_like(page, 255)
    shifted[25:, 20:] = page[:-25, :-20]  # the form slid down and right on the scanner
    detail = read_page_detail(shifted, model, frames=True)
    result = PageResult(
        "s.png", 1, page.shape[1], page.shape[0], lines=detail.lines, frames=detail.frames
    )
    assert [v.text for v in read_fields(template, result)] == ["204871", "1,500.00"]
    unanchored = template_from_dict(
        {"fields": [{k: v for k, v in f.items() if k != "anchor"} for f in data["fields"]]}
    )
    assert [v.text for v in read_fields(unanchored, result)] != ["204871", "1,500.00"]

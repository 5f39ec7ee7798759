"""Tokens from glyphs: runs of digits with inner separators."""

from __future__ import annotations

import pytest

from ocr.assemble import assemble_lines, separate_letters, token_kind, word_tokens
from ocr.types import PERCENT, REJECT, Box, Glyph, ReadLine


def _glyphs(labels: str, confidence: float = 0.9) -> list[Glyph]:
    out = []
    for i, label in enumerate(labels):
        tall = label not in ".,:-"
        out.append(
            Glyph(
                Box(10 * i, 0 if tall else 15, 8, 20 if tall else 5),
                label,
                confidence if tall else 1.0,
            )
        )
    return out


def test_joins_a_decimal_with_thousands() -> None:
    (token,) = word_tokens(_glyphs("1,234.50"))
    assert token.text == "1,234.50" and token.kind == "decimal"
    assert token.box == Box(0, 0, 78, 20)


def test_letters_end_a_token() -> None:
    assert [t.text for t in word_tokens(_glyphs("??80.90"))] == ["80.90"]
    assert [t.text for t in word_tokens(_glyphs("??00031663"))] == ["00031663"]


def test_mostly_letters_gives_nothing() -> None:
    assert word_tokens(_glyphs("?0??1??")) == []


def test_edge_separators_are_not_part_of_tokens() -> None:
    assert [t.text for t in word_tokens(_glyphs("-12.5."))] == ["12.5"]
    assert [t.text for t in word_tokens(_glyphs("1..2"))] == ["1", "2"]


def test_confidence_is_the_weakest_glyph() -> None:
    glyphs = _glyphs("123")
    glyphs[1] = Glyph(glyphs[1].box, "2", 0.4)
    assert word_tokens(glyphs)[0].confidence == 0.4


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("42", "integer"),
        ("1,234", "integer"),
        ("1,234.50", "decimal"),
        ("3.99", "decimal"),
        ("12,50", "decimal"),
        ("2026-11-24", "date"),
        ("24/11/2026", "date"),
        ("24.11.26", "date"),
        ("14:30", "time"),
        ("14:30:05", "time"),
        ("555-1234", "other"),
        ("99:99", "other"),
    ],
)
def test_token_kind(text: str, kind: str) -> None:
    assert token_kind(text) == kind


def test_lines_are_numbered_and_words_kept_apart() -> None:
    def line(*words: str) -> ReadLine:
        glyphs = [(g, n) for n, word in enumerate(words) for g in _glyphs(word)]
        return ReadLine(
            tuple(g for g, _ in glyphs), tuple(n for _, n in glyphs), (False,) * len(glyphs), 20.0
        )

    lines = assemble_lines([line("12", "34"), line(REJECT * 5), line("7")])
    assert [line.number for line in lines] == [1, 2, 3]
    assert [t.text for t in lines[0].tokens] == ["12", "34"]
    assert lines[1].tokens == () and [t.text for t in lines[2].tokens] == ["7"]


def _spaced(words: list[str], space: int = 12) -> list[Glyph]:
    """Glyphs 8 px wide, 2 px apart inside a word, ``space`` px between words."""
    glyphs, x = [], 0
    for word in words:
        for label in word:
            glyphs.append(Glyph(Box(x, 0, 8, 20), label, 1.0))
            x += 10
        x += space - 2
    return glyphs


def test_label_word_is_split_from_the_number_run_into_it() -> None:
    # "EGGS 12": a space too narrow for the word splitter, clear once read.
    glyphs = _spaced(["????", "12"], space=6)
    words = separate_letters(glyphs, [0] * 6, [False] * 6, 20.0)
    assert words == [0, 0, 0, 0, 1, 1]
    assert [t.text for t in word_tokens(glyphs[4:])] == ["12"]
    # Without the split, the letters make it a label word and 12 is lost.
    assert word_tokens(glyphs) == []


def test_few_letters_before_a_long_number_are_split_off() -> None:
    # "VAT 19%" in a wide sans: the digits' gaps (9 px) outnumber the letters'
    # (2 px), so the word's median gap is a digit gap and hid the space.
    letters = [Glyph(Box(x, 0, 20, 27), REJECT, 1.0) for x in (0, 22, 44)]
    digits = [
        Glyph(Box(x, 0, 18, 27), label, 1.0)
        for x, label in ((79, "1"), (106, "9"), (133, "4"), (160, "5"))
    ]
    words = separate_letters(letters + digits, [0] * 7, [False] * 7, 27.0)
    assert words == [0, 0, 0, 1, 1, 1, 1]
    # Read unsurely, the digits stay in the letters' word: "R5T" is a label.
    digits[0] = Glyph(digits[0].box, "1", 0.6)
    assert separate_letters(letters + digits, [0] * 7, [False] * 7, 27.0) == [0] * 7


def test_digits_apart_in_one_word_are_not_split() -> None:
    glyphs = _spaced(["?12", "345"], space=12)
    assert separate_letters(glyphs, [0] * 6, [False] * 6, 20.0) == [0] * 6


def test_unsure_digit_among_letters_is_a_letter() -> None:
    glyphs = _glyphs("?8?")
    glyphs[1] = Glyph(glyphs[1].box, "8", 0.4)
    assert word_tokens(glyphs) == []


def test_percent_ends_a_number_without_making_it_a_label() -> None:
    glyphs = _glyphs("20") + [Glyph(Box(20, 0, 12, 20), PERCENT, 0.9)]
    assert [t.text for t in word_tokens(glyphs)] == ["20"]
    # A ring of a percent sign printed in pieces is not a letter either.
    ring = Glyph(Box(28, 12, 5, 6), REJECT, 1.0)
    assert [t.text for t in word_tokens(_glyphs("5") + [glyphs[2], ring])] == ["5"]


def test_percent_printed_in_three_pieces_ends_its_number() -> None:
    # At 300 dpi the rings of % stand apart from its slash: ring, /, ring.
    glyphs = _glyphs("20") + [
        Glyph(Box(20, 0, 6, 8), REJECT, 0.9),
        Glyph(Box(24, 0, 8, 20), "/", 1.0),
        Glyph(Box(30, 12, 6, 8), REJECT, 0.8),
    ]
    assert [t.text for t in word_tokens(glyphs)] == ["20"]
    # A date's slash between digits stays a slash.
    assert [t.text for t in word_tokens(_glyphs("12/05"))] == ["12/05"]


def test_a_hairline_alone_is_a_rule_not_a_one() -> None:
    # Receipts rule their columns with one-pixel lines the segmenter keeps
    # when they are short; a printed 1 alone (Qty 1) is a thicker stroke.
    rule = [Glyph(Box(0, 0, 1, 30), "|", 1.0)]
    one = [Glyph(Box(0, 0, 5, 30), "|", 1.0)]
    assert word_tokens(rule) == []
    assert [t.text for t in word_tokens(one)] == ["1"]


def test_a_rate_glued_to_its_label_is_read() -> None:
    # "GST@6%" printed without spaces: a word of letters, but the number
    # just before its percent sign is a rate.
    glyphs = _glyphs("????6") + [Glyph(Box(50, 0, 12, 20), PERCENT, 0.9)]
    assert [t.text for t in word_tokens(glyphs)] == ["6"]
    # Without the percent sign the lone 6 is a letter misread.
    assert word_tokens(_glyphs("????6")) == []

"""Stage 5: recognised glyphs to tokens and lines.

A token is a maximal run of digits with inner separators (``1,234.50``,
``2026-11-24``, ``14:30``, ``555-1234``). Letters are rejected glyphs: they
end a token (``RM80.90`` gives ``80.90``). In a word with letters, a digit
read unsurely is taken for a letter too, and a word with more than a few
letters gives no token unless its digits clearly make a number (three or
more glyphs, or an inner separator), so a letter misread as a digit inside
a label word (``B`` as ``8`` in ``SDN BHD``) does not leak into the output.

A plain vertical bar is a ``1`` in some fonts and an ``l`` or ``I`` in
others, and a plain oval is a ``0`` or an ``O``; the classifier says only
"bar" or "oval" and the word decides: such a glyph is a digit next to a
digit or alone, and a letter otherwise (``ll`` in ``Bill``).
"""

from __future__ import annotations

import re

from .types import (
    AMBIGUOUS,
    BAR,
    DIGITS,
    PERCENT,
    REJECT,
    SEPARATORS,
    Box,
    Glyph,
    Line,
    ReadLine,
    Token,
    TokenKind,
)

TOKEN_RE = re.compile(r"\d+(?:[.,:/-]\d+)*")

_KIND_PATTERNS = (
    (TokenKind.time, re.compile(r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?")),
    (
        TokenKind.date,
        re.compile(r"\d{4}([-/.])\d{1,2}\1\d{1,2}|\d{1,2}([-/.])\d{1,2}\2(?:\d{4}|\d{2})"),
    ),
    (TokenKind.integer, re.compile(r"\d+|\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}")),
    (
        TokenKind.decimal,
        re.compile(r"\d{1,3}(?:,\d{3})*\.\d+|\d+\.\d+|\d{1,3}(?:\.\d{3})*,\d{1,2}"),
    ),
)

MAX_REJECTED_SHARE = 0.2
"""A word with more rejected glyphs than this share is a word of letters:
only runs that clearly make a number (:func:`_stands_out`) give tokens."""

MIN_CONFIDENCE_AMONG_LETTERS = 0.55
"""In a word with letters, a digit read less surely than this is a letter."""


def token_kind(text: str) -> TokenKind:
    """Name the pattern of a token: integer, decimal, date, time or other.

    Examples
    --------
    >>> [token_kind(t).value for t in ["1,234", "1,234.50", "2026-11-24", "14:30", "555-1234"]]
    ['integer', 'decimal', 'date', 'time', 'other']
    """
    for kind, pattern in _KIND_PATTERNS:
        if pattern.fullmatch(text):
            return kind
    return TokenKind.other


def word_tokens(glyphs: list[Glyph], before_percent: bool = False) -> list[Token]:
    """Tokens of one word (glyphs in reading order).

    Parameters
    ----------
    glyphs : list of Glyph
        Labels are digits, separators from ``.,:/-`` or ``REJECT``.
    before_percent : bool
        The word is followed by a percent sign: the number that ends it is a
        rate even in a word of letters (``GST@6%``).

    Returns
    -------
    tokens : list of Token
        Each with the union box of its glyphs and the lowest glyph confidence.
    """
    if not glyphs:
        return []
    glyphs = join_percent(glyphs)
    if any(g.label == PERCENT for g in glyphs):
        return _tokens_around_percent(glyphs)
    glyphs = resolve_ambiguous(glyphs)
    if any(g.label == REJECT for g in glyphs):
        glyphs = _reject_unsure_digits(glyphs)
    mostly_letters = _mostly_letters(glyphs)
    text = "".join(g.label for g in glyphs)
    tokens = []
    for match in TOKEN_RE.finditer(text):
        rate = before_percent and match.end() == len(text)
        if mostly_letters and not rate and not _stands_out(match.group()):
            continue  # one or two letters of a label word misread as digits
        tokens.append(_token(match.group(), glyphs[match.start() : match.end()]))
    return tokens


def _tokens_around_percent(glyphs: list[Glyph]) -> list[Token]:
    """Tokens of a word with percent signs, each side of a sign read on its own.

    A percent sign ends its number (20%) and is not a letter.
    """
    tokens: list[Token] = []
    part: list[Glyph] = []
    for g in glyphs:
        if g.label == PERCENT:
            tokens.extend(word_tokens(part, before_percent=True))
            part = []
        else:
            part.append(g)
    return tokens + word_tokens(part)


def _reject_unsure_digits(glyphs: list[Glyph]) -> list[Glyph]:
    """Digits read unsurely among letters, rejected: letters misread as
    digits (S as 8, D as 0) are usually read unsurely."""
    return [Glyph(g.box, REJECT, g.confidence) if _unsure_digit(g) else g for g in glyphs]


def _unsure_digit(glyph: Glyph) -> bool:
    """A digit read less surely than a digit among letters must be."""
    return glyph.label in DIGITS and glyph.confidence < MIN_CONFIDENCE_AMONG_LETTERS


def _mostly_letters(glyphs: list[Glyph]) -> bool:
    """Whether more than :data:`MAX_REJECTED_SHARE` of the word's shapes are
    rejected: a label word, whose short digit runs are misread letters."""
    shapes = [g for g in glyphs if _is_shape(g)]
    rejected = sum(g.label == REJECT for g in shapes)
    return bool(shapes) and rejected > MAX_REJECTED_SHARE * len(shapes)


def _is_shape(glyph: Glyph) -> bool:
    """A digit, a letter or a slash: glyphs that count towards a word's kind
    (punctuation is the same in words and numbers)."""
    return glyph.label in DIGITS or glyph.label in (REJECT, "/")


def _token(text: str, parts: list[Glyph]) -> Token:
    """The token ``text`` read from ``parts``: their union box, lowest confidence."""
    return Token(
        text=text,
        kind=token_kind(text),
        box=Box.enclosing([g.box for g in parts]),
        confidence=min(g.confidence for g in parts),
    )


LETTER_SPACE_GAP = 2.0
"""In a word with letters, a gap this many times the word's typical gap is a space."""
SURE_CUT = 0.85
"""Letters and digits are cut apart only where both sides of the gap are read this surely."""


def _letter_cuts(glyphs: list[Glyph], mains: list[int], height: float) -> set[int]:
    """Where one word's glyphs split: indices of the glyphs that start a new word.

    ``mains`` are the word's glyphs that are not marks. Only a word that
    holds letters and three or more glyphs is cut; see :func:`separate_letters`.
    """
    cuts: set[int] = set()
    if not (any(glyphs[i].label == REJECT for i in mains) and len(mains) >= 3):
        return cuts
    pairs = list(zip(mains, mains[1:], strict=False))
    gaps = [glyphs[b].box.left - glyphs[a].box.right for a, b in pairs]
    typical = _upper_median(gaps)
    between_letters = [
        gap
        for (a, b), gap in zip(pairs, gaps, strict=True)
        if glyphs[a].label == glyphs[b].label == REJECT
    ]
    if len(between_letters) >= 2:
        typical = min(typical, _upper_median(between_letters))
    wide = max(LETTER_SPACE_GAP * max(typical, 1.0), 0.2 * height)
    for (a, b), gap in zip(pairs, gaps, strict=True):
        # Only where letters meet digits: a lone I cut out of INVOICE
        # would read as a 1. A mark between them joins them (1.03).
        kinds = {_kind(glyphs[a].label), _kind(glyphs[b].label)}
        if kinds == {"digit", "letter"}:
            sure = min(glyphs[a].confidence, glyphs[b].confidence) >= SURE_CUT
            cut = gap >= wide and sure
        else:
            # A bar may be a 1 of the number, narrow in a digit-wide
            # cell: only a full space cuts it off.
            cut = kinds == {"digit", "bar"} and gap >= max(wide, 0.3 * height)
        if cut and b == a + 1:
            cuts.add(b)
    return cuts


def separate_letters(
    glyphs: list[Glyph], word_ids: list[int], is_mark: list[bool], height: float
) -> list[int]:
    """Split words of letters from the numbers they were run into.

    Word gaps are measured before anything is read, and narrow letters in
    tight fonts (``Till 2``, ``EGGS 12``, ``5% incl``) hide a space. Once the
    glyphs are read, a word that holds letters is split at a gap clearly
    wider than its own typical gap where a digit meets a letter or a bar;
    gaps between two digits are left alone (``12 345``). The typical gap is
    the word's, or its letters' when smaller (``VAT 1,452.66``: the digits'
    wider gaps would hide the space), and a letter and a digit are cut apart
    only when both are read surely (:data:`SURE_CUT`).

    Parameters
    ----------
    glyphs : list of Glyph
        One line's glyphs, left to right, as read.
    word_ids : list of int
        Their word numbers (non-decreasing).
    is_mark : list of bool
        Which glyphs are small marks (``.`` ``,`` ``:`` ``-`` or specks);
        gaps are measured between the other glyphs, and a mark stays with
        the glyph on its left.
    height : float
        The line's glyph height.

    Returns
    -------
    word_ids : list of int
        New word numbers, non-decreasing.

    Examples
    --------
    >>> from ocr.types import Box
    >>> def line(spec):  # (label, left, width) per glyph, all 10 px high
    ...     return [Glyph(Box(x, 0, w, 10), label, 1.0) for label, x, w in spec]
    >>> glyphs = line([("?", 0, 6), ("|", 7, 2), ("|", 10, 2), ("|", 13, 2), ("2", 19, 6)])
    >>> separate_letters(glyphs, [0] * 5, [False] * 5, 10.0)
    [0, 0, 0, 0, 1]
    """
    out = list(word_ids)
    shift = 0
    start = 0
    while start < len(glyphs):
        end = start
        while end < len(glyphs) and word_ids[end] == word_ids[start]:
            end += 1
        mains = [i for i in range(start, end) if not is_mark[i]]
        cuts = _letter_cuts(glyphs, mains, height)
        for i in range(start, end):
            if i in cuts:
                shift += 1
            out[i] = word_ids[i] + shift
        start = end
    return out


def join_percent(glyphs: list[Glyph]) -> list[Glyph]:
    """Join the pieces of percent signs into one glyph each.

    At scan resolution the rings of ``%`` often stand apart from its slash.
    Printed in three pieces they read as letter, ``/``, letter: a slash with
    a short non-digit glyph beside its upper end on the left and another
    beside its lower end on the right is one :data:`~ocr.types.PERCENT`
    glyph. Printed in two, the classifier reads the larger piece as ``%``
    and the other ring as a letter: a rejected glyph under a ``%`` joins it.

    Examples
    --------
    >>> from ocr.types import Box
    >>> parts = [Glyph(Box(0, 0, 8, 20), "2", 1.0), Glyph(Box(10, 0, 6, 8), "?", 0.9),
    ...          Glyph(Box(12, 0, 8, 20), "/", 1.0), Glyph(Box(18, 12, 6, 8), "?", 0.8)]
    >>> [(g.label, g.box.width) for g in join_percent(parts)]
    [('2', 8), ('%', 14)]
    """
    out = list(glyphs)
    i = 1
    while i + 1 < len(out):
        ring_a, slash, ring_b = out[i - 1], out[i], out[i + 1]
        if _is_percent_trio(ring_a, slash, ring_b):
            box = Box.enclosing([ring_a.box, slash.box, ring_b.box])
            confidence = min(ring_a.confidence, slash.confidence, ring_b.confidence)
            out[i - 1 : i + 2] = [Glyph(box, PERCENT, confidence)]
        i += 1
    signs = [g for g in out if g.label == PERCENT]
    if not signs:
        return out
    # A ring of a sign read apart from it has no glyph of its own.
    return [g for g in out if not _is_ring_of(g, signs)]


def _is_percent_trio(ring_a: Glyph, slash: Glyph, ring_b: Glyph) -> bool:
    """A slash with a short non-digit beside its upper end on the left and
    another beside its lower end on the right: a ``%`` printed in three pieces."""
    h = slash.box.height
    return (
        slash.label == "/"
        and ring_a.label not in DIGITS
        and ring_b.label not in DIGITS
        and max(ring_a.box.height, ring_b.box.height) <= 0.75 * h
        and ring_a.box.bottom <= slash.box.top + 0.7 * h
        and ring_b.box.top >= slash.box.top + 0.3 * h
        and ring_a.box.right >= slash.box.left - 0.3 * h
        and ring_b.box.left <= slash.box.right + 0.3 * h
    )


def _is_ring_of(glyph: Glyph, signs: list[Glyph]) -> bool:
    """A rejected glyph under a ``%``: its other ring, printed apart from it."""
    return glyph.label == REJECT and any(_overlap_x(glyph.box, sign.box) > 0 for sign in signs)


def _upper_median(values: list[int]) -> float:
    return float(sorted(values)[len(values) // 2])


def _overlap_x(a: Box, b: Box) -> int:
    return min(a.right, b.right) - max(a.left, b.left)


def _kind(label: str) -> str:
    if label in DIGITS:
        return "digit"
    return {REJECT: "letter", BAR: "bar"}.get(label, "other")


HAIRLINE = 0.1
"""A bar alone in its word and narrower than this share of its height is a rule."""


def resolve_ambiguous(glyphs: list[Glyph]) -> list[Glyph]:
    """Read each bar as ``1`` and each oval as ``0``, or as a letter, from its word.

    Examples
    --------
    >>> from ocr.types import Box
    >>> def word(labels):
    ...     glyphs = [Glyph(Box(0, 0, 1, 1), label, 1.0) for label in labels]
    ...     return "".join(g.label for g in resolve_ambiguous(glyphs))
    >>> word("?|2|"), word("|O"), word("||"), word("|"), word("?||"), word("?|,2")
    ('?121', '10', '??', '1', '???', '?1,2')
    """
    labels = [g.label for g in glyphs]
    if not any(label in AMBIGUOUS for label in labels):
        return glyphs
    if all(label in AMBIGUOUS for label in labels):
        letters = _ambiguous_are_letters(labels, glyphs[0].box)
        labels = [REJECT if letters else AMBIGUOUS[label] for label in labels]
    elif REJECT not in labels:
        labels = [AMBIGUOUS.get(label, label) for label in labels]
    else:
        labels = _resolve_among_letters(labels)
    return [Glyph(g.box, label, g.confidence) for g, label in zip(glyphs, labels, strict=True)]


def _ambiguous_are_letters(labels: list[str], first: Box) -> bool:
    """Whether a word of bars and ovals only (the first in ``first``) is letters.

    Alone, a bar is a quantity of 1; several bars are letters (ll, Il);
    with an oval among them they are a number (10, 100). A hairline alone
    is a rule or a table border, not a printed 1.
    """
    letters = len(labels) > 1 and all(label == BAR for label in labels)
    return letters or _is_hairline(labels, first)


def _is_hairline(labels: list[str], first: Box) -> bool:
    """A lone bar too thin for a printed 1: a rule or a table border."""
    return len(labels) == 1 and labels[0] == BAR and first.width < HAIRLINE * first.height


def _resolve_among_letters(labels: list[str]) -> list[str]:
    """Labels of a word with letters: a bar or oval next to a digit (directly
    or across one separator, repeated as digits spread) is a digit, the rest
    are letters."""
    labels = list(labels)
    changed = True
    while changed:
        changed = False
        for i, label in enumerate(labels):
            if label in AMBIGUOUS and _next_to_digit(labels, i):
                labels[i] = AMBIGUOUS[label]
                changed = True
    return [REJECT if label in AMBIGUOUS else label for label in labels]


def _next_to_digit(labels: list[str], i: int) -> bool:
    """Whether a digit is beside ``labels[i]``, or one separator away (``1,234``)."""
    for step in (-1, 1):
        j = i + step
        if 0 <= j < len(labels) and labels[j] in SEPARATORS:
            j += step
        if 0 <= j < len(labels) and labels[j] in DIGITS:
            return True
    return False


def _stands_out(text: str) -> bool:
    """A run that is a number even inside a word of letters (``RM80.90``, ``CS00031663``)."""
    return len(text) >= 3 or any(sep in text for sep in ".,:/-")


def assemble_lines(lines: list[ReadLine]) -> tuple[Line, ...]:
    """Build the page's lines and tokens from its glyphs as read.

    Parameters
    ----------
    lines : list of ReadLine
        Per line in reading order, its glyphs left to right with their words.

    Returns
    -------
    lines : tuple of Line
        Numbered from 1 in reading order; every line is kept, with or
        without tokens, so that line numbers match the page.

    Notes
    -----
    Words of letters are first split from the numbers run into them
    (:func:`separate_letters`), then each word gives its tokens
    (:func:`word_tokens`).
    """
    out = []
    for number, line in enumerate(lines, start=1):
        words = separate_letters(
            list(line.glyphs), list(line.word_ids), list(line.is_mark), line.height
        )
        tokens: list[Token] = []
        word: list[Glyph] = []
        current = None
        for glyph, word_id in zip(line.glyphs, words, strict=True):
            if word_id != current and word:
                tokens.extend(word_tokens(word))
                word = []
            current = word_id
            word.append(glyph)
        tokens.extend(word_tokens(word))
        box = Box.enclosing([g.box for g in line.glyphs]) if line.glyphs else Box(0, 0, 0, 0)
        out.append(Line(number=number, box=box, tokens=tuple(tokens)))
    return tuple(out)

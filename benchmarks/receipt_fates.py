"""Per-line error analysis of numeric tokens on SROIE receipts: the fate table.

Each receipt is read with the package's Python API
(:func:`ocr.pipeline.read_page_detail`: the page's tokens and every glyph read,
with boxes in page pixels).  Its box file (``box/ID.txt``, one text line per
row ``x1,y1,...,x4,y4,transcript``) gives the true lines: the axis-aligned
box of the four corners and the transcript (stripped); the true tokens of a
line are :data:`make_pages.TOKEN_RE` matches in its transcript, so they are
exactly what ``benchmarks/accuracy.py`` scores.  Every true token gets one
fate, and every predicted token not used for a fate is counted as an extra.

Procedure (deterministic; nothing depends on ``--jobs``):

1. A line's *zone* is its box grown by a quarter of its height above and below
   and half its height left and right.  A predicted token is *on* a line when
   its box centre lies in the zone.  A glyph belongs to the one line whose zone
   holds its centre, the line whose vertical middle is nearest if several do.
2. A true token's *expected span* is its share of the line box in proportion
   to character index: characters ``s..e`` of an ``n``-character transcript
   span ``left + s*W/n .. left + e*W/n`` (``W/n`` is the line's *pitch*).
3. Predicted tokens are matched in passes over all true tokens of a receipt, in
   file order; each pass takes, among the unused tokens on the line that pass
   its test, the one whose centre is nearest the span's middle, and uses it up:
   ``exact`` (same text), then ``separators lost`` (same digits, other
   separators), then ``merged`` (a longer token that holds the true text, or
   failing that its digits, and overlaps the span; it only has to share the
   line's row, so it may reach in from a neighbouring box, and one merged
   token serves every true token it holds), then ``digit misread`` (same number of digits,
   some differing but at most half of them unless there is only one,
   overlapping the span grown by one pitch).
4. The rest are judged on glyphs.  The line's glyphs, left to right, are
   aligned to the transcript's non-space characters by dynamic programming:
   matching costs half the distance from the glyph's centre to the
   character's expected centre in pitches (at most 2) plus a penalty when the
   label cannot be that character; an unmatched glyph or character costs 1.
   The token's glyphs are those aligned to its characters, the unmatched
   glyphs between them, and unmatched glyphs next to them whose centre lies in
   the span.  No glyph on the line: ``line not found``.  More or fewer glyphs
   than characters: ``glyph count wrong`` (detail ``fewer``, ``more``, ``none``
   when the span has no glyph).  Otherwise labels are compared in order (a bar
   is ``1``, an oval ``0``): a digit read as another label is a ``digit
   misread`` (counted per digit as digit-for-digit, as reject/letter, or as a
   separator; detail ``no token``, where a same-count token gives ``as a
   token``), else ``no token`` (detail: the digits were read right but
   ``separator misread``, ``pieces emitted``, or ``nothing emitted``).
   Token-level misreads take their per-digit counts from these glyphs when
   the count is right, else from the predicted text.

Extra tokens (predicted, not used by any fate) are ``logo/barcode/none`` when
their centre is on no line; otherwise their x-range on the transcript of the
line holding their centre (mapped to characters by the pitch) makes them a
``piece of a true token`` when it overlaps a true token (pieces of a broken
one, mostly), else ``letters read as digits`` when it holds letters, else
``other marks``.

Usage::

    python benchmarks/receipt_fates.py [--sroie DIR] [--limit N] [--jobs J]
        [--model PATH] [--json OUT]

The table goes to stdout, progress to stderr.  SROIE is read in place; never
commit anything this script writes.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ocr.classify import DEFAULT_MODEL, KNNClassifier
from ocr.executors import make_executor
from ocr.load import load_page
from ocr.pipeline import read_page_detail
from ocr.types import AMBIGUOUS, DIGITS, SEPARATORS, Box

HERE = Path(__file__).resolve().parent
DEFAULT_SROIE = HERE.parent.parent / "shared" / "data" / "sroie-dev"

sys.path.insert(0, str(HERE))
from make_pages import TOKEN_RE  # noqa: E402

Rect = tuple[float, float, float, float]  # left, top, right, bottom
Pairs = list[tuple[int | None, int | None]]  # (glyph, character) of an alignment

FATES = (
    "exact",
    "separators lost",
    "merged",
    "digit misread",
    "glyph count wrong",
    "no token",
    "line not found",
)
EXTRAS = ("letters read as digits", "piece of a true token", "other marks", "logo/barcode/none")
GROW_Y, GROW_X = 0.25, 0.5
GAP_COST, POS_WEIGHT, POS_CAP = 1.0, 0.5, 4.0
EXAMPLES = 3


@dataclass(frozen=True)
class TrueToken:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class TrueLine:
    row: int
    rect: Rect
    text: str
    tokens: tuple[TrueToken, ...]

    @property
    def pitch(self) -> float:
        return (self.rect[2] - self.rect[0]) / max(1, len(self.text))

    def span(self, start: int, end: int) -> tuple[float, float]:
        return self.rect[0] + start * self.pitch, self.rect[0] + end * self.pitch

    def zone(self) -> Rect:
        left, top, right, bottom = self.rect
        gy, gx = GROW_Y * (bottom - top), GROW_X * (bottom - top)
        return left - gx, top - gy, right + gx, bottom + gy


@dataclass(frozen=True)
class Item:
    """A predicted token (``text``) or a glyph (``text`` is its label)."""

    text: str
    rect: Rect

    @property
    def cx(self) -> float:
        return (self.rect[0] + self.rect[2]) / 2

    @property
    def cy(self) -> float:
        return (self.rect[1] + self.rect[3]) / 2


@dataclass(frozen=True)
class PageRead:
    name: str
    tokens: tuple[Item, ...]
    glyphs: tuple[Item, ...]


# --------------------------------------------------------------------------
# Input: box files and reading
# --------------------------------------------------------------------------


def parse_box_file(path: Path) -> list[TrueLine]:
    lines = []
    for row, raw in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
        fields = raw.split(",", 8)
        if len(fields) != 9:
            continue
        try:
            xs = [float(v) for v in fields[0:8:2]]
            ys = [float(v) for v in fields[1:8:2]]
        except ValueError:
            continue
        text = fields[8].strip()
        tokens = tuple(TrueToken(m.group(), m.start(), m.end()) for m in TOKEN_RE.finditer(text))
        lines.append(TrueLine(row, (min(xs), min(ys), max(xs), max(ys)), text, tokens))
    return lines


_MODEL: list[KNNClassifier] = []


def _init(model_path: str) -> None:
    _MODEL[:] = [KNNClassifier.load(model_path)]


def _rect(box: Box) -> Rect:
    return (box.left, box.top, box.right, box.bottom)


def read_receipt(image: str) -> PageRead:
    detail = read_page_detail(load_page(image), _MODEL[0])
    tokens = tuple(Item(t.text, _rect(t.box)) for line in detail.lines for t in line.tokens)
    glyphs = tuple(Item(g.label, _rect(g.box)) for g in detail.glyphs)
    return PageRead(Path(image).stem, tokens, glyphs)


# --------------------------------------------------------------------------
# Geometry and matching passes
# --------------------------------------------------------------------------


def _inside(item: Item, rect: Rect) -> bool:
    return rect[0] <= item.cx <= rect[2] and rect[1] <= item.cy <= rect[3]


def _overlaps(rect: Rect, x0: float, x1: float) -> bool:
    return rect[0] < x1 and rect[2] > x0


def _digits(text: str) -> str:
    return "".join(c for c in text if c in DIGITS)


def home_line(item: Item, lines: Sequence[TrueLine]) -> int | None:
    best: tuple[float, int] | None = None
    for li, line in enumerate(lines):
        if _inside(item, line.zone()):
            height = max(1.0, line.rect[3] - line.rect[1])
            key = (abs(item.cy - (line.rect[1] + line.rect[3]) / 2) / height, li)
            best = key if best is None or key < best else best
    return None if best is None else best[1]


def _same_row(item: Item, line: TrueLine) -> bool:
    """Vertical overlap of at least half the lower height, within the zone's x."""
    zone = line.zone()
    top, bottom = max(item.rect[1], line.rect[1]), min(item.rect[3], line.rect[3])
    least = min(item.rect[3] - item.rect[1], line.rect[3] - line.rect[1])
    return bottom - top >= 0.5 * least and _overlaps(item.rect, zone[0], zone[2])


def _is_exact(true: str, read: str) -> bool:
    return read == true


def _is_separators(true: str, read: str) -> bool:
    return read != true and _digits(read) == _digits(true)


def _is_merged(true: str, read: str) -> bool:
    return len(read) > len(true) and (
        true in read or len(_digits(read)) > len(_digits(true)) and _digits(true) in _digits(read)
    )


def _is_misread(true: str, read: str) -> bool:
    """Same number of digits, some differing: one of one, or at most half of several."""
    a, b = _digits(true), _digits(read)
    wrong = sum(x != y for x, y in zip(a, b, strict=False))
    return len(a) == len(b) and 0 < wrong and (len(a) == 1 or 2 * wrong <= len(a))


PASSES = (
    ("exact", _is_exact, None),
    ("separators lost", _is_separators, None),
    ("merged", _is_merged, 0.0),
    ("digit misread", _is_misread, 1.0),
)


@dataclass
class Outcome:
    fate: str
    read: str
    detail: str = ""
    misreads: Counter[str] | None = None


def _candidates(page: PageRead, line: TrueLine, fate: str, used: dict[int, str]) -> list[int]:
    zone = line.zone()
    found = []
    for pi, token in enumerate(page.tokens):
        if fate == "merged":
            if used.get(pi, "merged") == "merged" and _same_row(token, line):
                found.append(pi)
        elif pi not in used and _inside(token, zone):
            found.append(pi)
    return found


def token_passes(page: PageRead, lines: Sequence[TrueLine]) -> tuple[dict, dict[int, str]]:
    """Fates from predicted tokens: ``{(line, token): (fate, pred)}``, and the tokens used."""
    done: dict[tuple[int, int], tuple[str, int]] = {}
    used: dict[int, str] = {}
    for fate, test, slack in PASSES:
        for li, line in enumerate(lines):
            for ti, true in enumerate(line.tokens):
                if (li, ti) in done:
                    continue
                x0, x1 = line.span(true.start, true.end)
                grow = (slack or 0.0) * line.pitch
                best: tuple[float, int] | None = None
                for pi in _candidates(page, line, fate, used):
                    token = page.tokens[pi]
                    if not test(true.text, token.text):
                        continue
                    if slack is not None and not _overlaps(token.rect, x0 - grow, x1 + grow):
                        continue
                    key = (abs(token.cx - (x0 + x1) / 2), pi)
                    best = key if best is None or key < best else best
                if best is not None:
                    done[(li, ti)] = (fate, best[1])
                    used[best[1]] = fate
    return done, used


# --------------------------------------------------------------------------
# Glyph alignment
# --------------------------------------------------------------------------


def _label(label: str) -> str:
    return AMBIGUOUS.get(label, label)


def label_penalty(char: str, label: str) -> float:
    """What it costs to say the glyph read as ``label`` is the character ``char``."""
    label = _label(label)
    if char in DIGITS:
        return 0.0 if label == char else 0.8 if label in SEPARATORS else 0.5
    if char in SEPARATORS:
        return 0.0 if label == char else 0.2 if label in SEPARATORS else 0.4
    return 0.4 if label in DIGITS else 0.6 if label in SEPARATORS else 0.0


def align(glyphs: Sequence[Item], line: TrueLine) -> Pairs:
    """Glyph-to-character alignment of a line: pairs ``(glyph, char)``, ``None`` for a gap."""
    chars = [i for i, c in enumerate(line.text) if not c.isspace()]
    pitch = max(line.pitch, 1e-6)
    ng, nc = len(glyphs), len(chars)
    cost = [[0.0] * (nc + 1) for _ in range(ng + 1)]
    for g in range(ng + 1):
        for c in range(nc + 1):
            if g == 0 or c == 0:
                cost[g][c] = GAP_COST * (g + c)
                continue
            glyph, ci = glyphs[g - 1], chars[c - 1]
            centre = line.rect[0] + (ci + 0.5) * pitch
            match = POS_WEIGHT * min(abs(glyph.cx - centre) / pitch, POS_CAP)
            match += label_penalty(line.text[ci], glyph.text)
            cost[g][c] = min(
                cost[g - 1][c - 1] + match, cost[g][c - 1] + GAP_COST, cost[g - 1][c] + GAP_COST
            )
    return _trace(cost, glyphs, line, chars)


def _trace(
    cost: list[list[float]], glyphs: Sequence[Item], line: TrueLine, chars: list[int]
) -> Pairs:
    pairs: Pairs = []
    g, c = len(glyphs), len(chars)
    while g > 0 or c > 0:
        if g > 0 and c > 0:
            centre = line.rect[0] + (chars[c - 1] + 0.5) * line.pitch
            match = POS_WEIGHT * min(abs(glyphs[g - 1].cx - centre) / line.pitch, POS_CAP)
            match += label_penalty(line.text[chars[c - 1]], glyphs[g - 1].text)
            if abs(cost[g - 1][c - 1] + match - cost[g][c]) < 1e-9:
                pairs.append((g - 1, chars[c - 1]))
                g, c = g - 1, c - 1
                continue
        if c > 0 and abs(cost[g][c - 1] + GAP_COST - cost[g][c]) < 1e-9:
            pairs.append((None, chars[c - 1]))
            c -= 1
        else:
            pairs.append((g - 1, None))
            g -= 1
    return pairs[::-1]


def token_glyphs(
    pairs: Pairs, glyphs: Sequence[Item], line: TrueLine, true: TrueToken
) -> list[int]:
    """The glyphs (indices, left to right) that stand for a true token's characters."""
    mine = [k for k, (_, ci) in enumerate(pairs) if ci is not None and true.start <= ci < true.end]
    first, last = mine[0], mine[-1]
    x0, x1 = line.span(true.start, true.end)

    def stray_inside(k: int) -> bool:
        """Pair ``k`` is a glyph matched to no character, its centre in the span."""
        gi, ci = pairs[k]
        return ci is None and gi is not None and x0 <= glyphs[gi].cx <= x1

    while first > 0 and stray_inside(first - 1):
        first -= 1
    while last + 1 < len(pairs) and stray_inside(last + 1):
        last += 1
    return [gi for gi, _ in pairs[first : last + 1] if gi is not None]


def compare_digits(true: str, labels: Sequence[str]) -> Counter[str]:
    """Per true digit read wrong: ``digit-for-digit``, ``reject/letter`` or ``separator``."""
    wrong: Counter[str] = Counter()
    for char, label in zip(true, labels, strict=True):
        label = _label(label)
        if char not in DIGITS or label == char:
            continue
        if label in DIGITS:
            wrong["digit-for-digit"] += 1
        elif label in SEPARATORS:
            wrong["separator"] += 1
        else:
            wrong["reject/letter"] += 1
    return wrong


def glyph_fate(
    page: PageRead, line: TrueLine, true: TrueToken, glyphs: Sequence[Item], pairs: Pairs
) -> Outcome:
    """The fate of a true token no predicted token accounts for."""
    if not glyphs:
        return Outcome("line not found", "")
    picked = token_glyphs(pairs, glyphs, line, true)
    read = "".join(glyphs[gi].text for gi in picked)
    if len(picked) != len(true.text):
        detail = "none" if not picked else "fewer" if len(picked) < len(true.text) else "more"
        return Outcome("glyph count wrong", read, detail)
    wrong = compare_digits(true.text, read)
    if wrong:
        return Outcome("digit misread", read, "no token", wrong)
    if any(_label(a) != b for a, b in zip(read, true.text, strict=True)):
        return Outcome("no token", read, "separator misread")
    x0, x1 = line.span(true.start, true.end)
    pieces = [t.text for t in page.tokens if _inside(t, line.zone()) and _overlaps(t.rect, x0, x1)]
    return Outcome("no token", read, "pieces emitted" if pieces else "nothing emitted")


# --------------------------------------------------------------------------
# One receipt
# --------------------------------------------------------------------------


def analyse(page: PageRead, lines: Sequence[TrueLine]) -> tuple[list[dict], list[dict]]:
    """Per-token records of one receipt, and its extra predicted tokens."""
    by_line: dict[int, list[Item]] = {}
    for glyph in page.glyphs:
        li = home_line(glyph, lines)
        if li is not None:
            by_line.setdefault(li, []).append(glyph)
    for glyphs in by_line.values():
        glyphs.sort(key=lambda g: (g.cx, g.rect[1]))
    done, used = token_passes(page, lines)
    records = []
    for li, line in enumerate(lines):
        glyphs = by_line.get(li, [])
        pairs = align(glyphs, line) if glyphs and len(line.tokens) else []
        for ti, true in enumerate(line.tokens):
            if (li, ti) in done:
                fate, pi = done[(li, ti)]
                outcome = Outcome(fate, page.tokens[pi].text)
                if fate == "digit misread":
                    outcome.detail = "as a token"
                    outcome.misreads = _token_misreads(true, outcome.read, glyphs, pairs, line)
            else:
                outcome = glyph_fate(page, line, true, glyphs, pairs)
            records.append(_record(page.name, line, true, outcome))
    return records, extra_tokens(page, lines, used)


def _token_misreads(
    true: TrueToken, read: str, glyphs: Sequence[Item], pairs: Pairs, line: TrueLine
) -> Counter[str]:
    picked = token_glyphs(pairs, glyphs, line, true) if pairs else []
    if len(picked) == len(true.text):
        wrong = compare_digits(true.text, [glyphs[gi].text for gi in picked])
        if wrong:
            return wrong
    return compare_digits(_digits(true.text), _digits(read))


def _record(name: str, line: TrueLine, true: TrueToken, outcome: Outcome) -> dict:
    record = {
        "receipt": name,
        "line": line.row,
        "true": true.text,
        "read": outcome.read,
        "fate": outcome.fate,
        "detail": outcome.detail,
    }
    if outcome.misreads:
        record["misreads"] = dict(sorted(outcome.misreads.items()))
    return record


def extra_tokens(page: PageRead, lines: Sequence[TrueLine], used: dict[int, str]) -> list[dict]:
    extras = []
    for pi, token in enumerate(page.tokens):
        if pi in used:
            continue
        li = home_line(token, lines)
        kind, row = "logo/barcode/none", None
        if li is not None:
            line, row = lines[li], lines[li].row
            pitch = max(line.pitch, 1e-6)
            lo = max(0, int((token.rect[0] - line.rect[0]) / pitch))
            hi = max(lo + 1, int((token.rect[2] - line.rect[0]) / pitch + 0.999))
            if any(t.start < hi and t.end > lo for t in line.tokens):
                kind = "piece of a true token"
            elif any(c.isalpha() for c in line.text[lo:hi]):
                kind = "letters read as digits"
            else:
                kind = "other marks"
        extras.append({"receipt": page.name, "line": row, "read": token.text, "kind": kind})
    return extras


# --------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------


def summarise(records: list[dict], extras: list[dict], predicted: int, f1: float) -> dict:
    total = len(records)
    fates = {}
    for fate in FATES:
        mine = [r for r in records if r["fate"] == fate]
        examples: list[str] = []
        for r in mine:
            example = f"{r['true']} -> {r['read'] or '(nothing)'}"
            if example not in examples and len(examples) < EXAMPLES:
                examples.append(example)
        details = Counter(r["detail"] for r in mine if r["detail"])
        misreads: Counter[str] = Counter()
        tokens_by_kind: Counter[str] = Counter()
        for r in mine:
            misreads.update(r.get("misreads", {}))
            tokens_by_kind.update(set(r.get("misreads", {})))
        fates[fate] = {
            "count": len(mine),
            "share": round(len(mine) / total, 4) if total else 0.0,
            "examples": examples,
            "details": dict(sorted(details.items())),
            "wrong_digits": dict(sorted(misreads.items())),
            "tokens_with": dict(sorted(tokens_by_kind.items())),
        }
    kinds = Counter(e["kind"] for e in extras)
    return {
        "true_tokens": total,
        "predicted_tokens": predicted,
        "token_f1": round(f1, 3),
        "fates": fates,
        "extras": {kind: kinds.get(kind, 0) for kind in EXTRAS},
    }


def format_report(summary: dict, receipts: int, predicted: int) -> str:
    out = [
        f"{receipts} receipts, {summary['true_tokens']} true numeric tokens, "
        f"{predicted} predicted; token F1 {summary['token_f1']:.3f} "
        "(multisets per receipt, as accuracy.py)",
        "",
        f"{'fate':<18} {'count':>6} {'share':>6}  examples (true -> read)",
    ]
    for fate, row in summary["fates"].items():
        examples = " | ".join(row["examples"])
        out.append(f"{fate:<18} {row['count']:>6} {row['share']:>6.1%}  {examples}")
        notes = [f"{k} {v}" for k, v in row["details"].items()]
        if row["wrong_digits"]:
            notes.append(
                "digits wrong: " + ", ".join(f"{k} {v}" for k, v in row["wrong_digits"].items())
            )
            notes.append(
                "tokens with: " + ", ".join(f"{k} {v}" for k, v in row["tokens_with"].items())
            )
        if notes:
            out.append(f"{'':<18} {'':>6} {'':>6}    ({'; '.join(notes)})")
    out += ["", f"{'extra predicted tokens':<24} {'count':>6}"]
    for kind, count in summary["extras"].items():
        out.append(f"{kind:<24} {count:>6}")
    out.append(f"{'total':<24} {sum(summary['extras'].values()):>6}")
    return "\n".join(out)


def token_f1(pairs: Sequence[tuple[list[str], list[str]]]) -> float:
    """Token F1 over (true, predicted) multisets per receipt, as ``accuracy.py`` scores."""
    hit = true_n = pred_n = 0
    for true, pred in pairs:
        hit += sum((Counter(true) & Counter(pred)).values())
        true_n, pred_n = true_n + len(true), pred_n + len(pred)
    return 2 * hit / (true_n + pred_n) if true_n + pred_n else 0.0


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        description="Fate of every true numeric token of SROIE receipts, per box-file line."
    )
    ap.add_argument(
        "--sroie",
        type=Path,
        default=DEFAULT_SROIE,
        metavar="DIR",
        help=f"SROIE folder with img/ and box/ (default {DEFAULT_SROIE})",
    )
    ap.add_argument("--limit", type=int, default=0, metavar="N", help="first N receipts only")
    ap.add_argument("--jobs", type=int, default=1, metavar="J", help="worker processes")
    ap.add_argument(
        "--model", type=Path, default=DEFAULT_MODEL, metavar="PATH", help="model file (.npz)"
    )
    ap.add_argument(
        "--json", type=Path, default=None, metavar="OUT", help="also write JSON with records"
    )
    return ap


def receipts(root: Path, limit: int) -> list[tuple[Path, Path]]:
    """``(image, box file)`` pairs in sorted order, the first ``limit`` (all if 0)."""
    found = [
        (image, root / "box" / f"{image.stem}.txt")
        for image in sorted((root / "img").glob("*.jpg"))
        if (root / "box" / f"{image.stem}.txt").is_file()
    ]
    return found[:limit] if limit > 0 else found


def run(pairs: list[tuple[Path, Path]], model: Path, jobs: int) -> list[PageRead]:
    """Read every receipt (in a pool for ``jobs > 1``), in input order."""
    reads = []
    with make_executor(jobs, _init, (str(model),)) as executor:
        for n, page in enumerate(executor.map(read_receipt, [str(i) for i, _ in pairs]), 1):
            reads.append(page)
            end = "" if sys.stderr.isatty() else "\n"
            print(f"\r{n}/{len(pairs)} {page.name}", end=end, file=sys.stderr, flush=True)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    return reads


def main(argv: Sequence[str] | None = None) -> int:
    ap = _parser()
    args = ap.parse_args(argv)
    if args.jobs < 1 or args.limit < 0:
        ap.error("--jobs must be at least 1 and --limit not negative")
    pairs = receipts(args.sroie, args.limit)
    if not pairs:
        ap.error(f"--sroie {args.sroie}: no img/*.jpg with a box/*.txt")
    start = time.perf_counter()
    reads = run(pairs, args.model, args.jobs)
    records: list[dict] = []
    extras: list[dict] = []
    scored = []
    for page, (_, box_file) in zip(reads, pairs, strict=True):
        lines = parse_box_file(box_file)
        mine, extra = analyse(page, lines)
        records += mine
        extras += extra
        scored.append(([t.text for ln in lines for t in ln.tokens], [t.text for t in page.tokens]))
    predicted = sum(len(p.tokens) for p in reads)
    summary = summarise(records, extras, predicted, token_f1(scored))
    seconds = time.perf_counter() - start
    print(format_report(summary, len(pairs), predicted))
    print(f"done in {seconds:.1f} s", file=sys.stderr)
    if args.json is not None:
        summary = {"receipts": len(pairs), **summary, "records": records, "extra_tokens": extras}
        args.json.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Form ruling on generated pages: box borders, combs, underlines, table rules.

Handwritten digits are ``load_digits`` held-out samples (indices 1697..1796)
upsampled as ``tools/make_samples.handwritten_digit`` does.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from ocr.ink import binarise, binarise_page
from ocr.segment import Piece, find_structure, segment
from ocr.segment.ruling import faint_hairlines
from ocr.types import Box

FACE = cv2.FONT_HERSHEY_SIMPLEX
HELD_OUT = range(1697, 1797)


@pytest.fixture(scope="module")
def digits() -> dict[int, list[np.ndarray]]:
    """Held-out ``load_digits`` images (8x8, 0..16) by class."""
    datasets = pytest.importorskip("sklearn.datasets")
    data = datasets.load_digits()
    out: dict[int, list[np.ndarray]] = {c: [] for c in range(10)}
    for i in HELD_OUT:
        out[int(data.target[i])].append(data.images[i])
    return out


def _hand(image8: np.ndarray, height: int) -> np.ndarray:
    """An 8x8 digit as a large handwritten-looking glyph: ink cover 0..1."""
    padded = np.pad(image8.astype(np.float32), 1)
    rows = int(np.count_nonzero((padded > 6).any(axis=1)))
    scale = height / max(rows, 1)
    big = cv2.resize(
        padded,
        (round(padded.shape[1] * scale), round(padded.shape[0] * scale)),
        interpolation=cv2.INTER_CUBIC,
    )
    cover = np.clip((big - 6.5) / 3.0, 0.0, 1.0)
    ys, xs = np.nonzero(cover > 0)
    return cover[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]


def _put(page: np.ndarray, glyph: np.ndarray, x: int, y: int) -> Box:
    """Ink ``glyph`` with its top-left corner at (x, y); return its ink box."""
    h, w = glyph.shape
    region = page[y : y + h, x : x + w].astype(np.float32)
    page[y : y + h, x : x + w] = np.minimum(region, 255.0 * (1.0 - glyph)).astype(np.uint8)
    ys, xs = np.nonzero(glyph >= 0.5)
    return Box(x + int(xs.min()), y + int(ys.min()), int(np.ptp(xs)) + 1, int(np.ptp(ys)) + 1)


def _label(page: np.ndarray, text: str, x: int, baseline: int) -> None:
    cv2.putText(page, text, (x, baseline), FACE, 1.3, 0, 3, cv2.LINE_AA)


def _close(a: Box, b: Box, tolerance: int = 2) -> bool:
    return all(
        abs(u - v) <= tolerance
        for u, v in [(a.left, b.left), (a.top, b.top), (a.right, b.right), (a.bottom, b.bottom)]
    )


def _pieces_in(line_pieces: tuple[Piece, ...], region: Box) -> list[int]:
    """Indices of the pieces whose centre lies in ``region``."""
    return [
        i
        for i, p in enumerate(line_pieces)
        if region.left <= p.box.left + p.box.width / 2 < region.right
        and region.top <= p.box.top + p.box.height / 2 < region.bottom
    ]


@pytest.mark.parametrize("where", ["bottom", "top", "left"])
def test_digit_across_a_box_border_comes_out_whole(digits, where: str) -> None:
    page = np.full((220, 420), 255, dtype=np.uint8)
    glyph = _hand(digits[7][0], 60)
    x, y = {"bottom": (150, 90), "top": (150, 20), "left": (62, 60)}[where]
    cv2.rectangle(page, (80, 50), (380, 140), 0, 2)
    want = _put(page, glyph, x, y)
    lines = segment(page)
    found = [p for line in lines for p in line.pieces]
    assert len(found) == 1, [p.box for p in found]
    assert _close(found[0].box, want), (found[0].box, want)
    # Every pixel of the digit is ink of the piece, the rule's crossing included.
    alone = np.full_like(page, 255)
    _put(alone, glyph, x, y)
    ink = binarise(alone)[want.top : want.bottom, want.left : want.right]
    piece = found[0]
    mask = np.zeros_like(ink)
    dy, dx = piece.box.top - want.top, piece.box.left - want.left
    mask[max(0, dy) : dy + piece.box.height, max(0, dx) : dx + piece.box.width] = piece.mask[
        max(0, -dy) : ink.shape[0] - dy, max(0, -dx) : ink.shape[1] - dx
    ]
    assert (mask & ink).sum() >= 0.97 * ink.sum()


def _comb_page(
    digits: dict[int, list[np.ndarray]], number: str, grid: bool, pitch: int = 56, cell: int = 52
) -> tuple[np.ndarray, Box, list[Box]]:
    """A printed label and a comb field (ticks on a baseline, or a grid of
    boxes), one handwritten digit per cell; the comb's box and the digits'."""
    page = np.full((160, 200 + pitch * len(number) + 60), 255, dtype=np.uint8)
    _label(page, "NO", 20, 110)
    x0, base = 140, 120
    right = x0 + pitch * len(number)
    cv2.line(page, (x0, base), (right, base), 0, 2)
    if grid:
        cv2.line(page, (x0, base - cell), (right, base - cell), 0, 2)
    for k in range(len(number) + 1):
        x = x0 + k * pitch
        cv2.line(page, (x, base - (cell if grid else cell // 2)), (x, base), 0, 2)
    boxes = []
    for k, char in enumerate(number):
        glyph = _hand(digits[int(char)][k % 3], 40)
        x = x0 + k * pitch + (pitch - glyph.shape[1]) // 2
        boxes.append(_put(page, glyph, x, base - 46))
    return page, Box(x0 - 4, base - cell - 4, right - x0 + 8, cell + 8), boxes


@pytest.mark.parametrize("grid", [False, True], ids=["ticks", "grid"])
@pytest.mark.parametrize("number", ["3072", "518930"])
def test_comb_field_is_one_word_without_ticks(digits, grid: bool, number: str) -> None:
    page, comb, boxes = _comb_page(digits, number, grid)
    (line,) = segment(page)
    inside = _pieces_in(line.pieces, comb)
    # The digits and nothing else: no tick or grid line read as a 1.
    assert len(inside) == len(number), [line.pieces[i].box for i in inside]
    for want, i in zip(boxes, inside, strict=True):
        assert _close(line.pieces[i].box, want, 3), (line.pieces[i].box, want)
    assert len({line.word_ids[i] for i in inside}) == 1, line.word_ids
    # The label beside the comb is a word of its own.
    label = [i for i in range(len(line.pieces)) if i not in inside]
    assert label and line.word_ids[label[-1]] != line.word_ids[inside[0]]
    # The comb's digits are known to stand in a number field; the label not.
    assert all(line.in_number_field[i] for i in inside)
    assert not any(line.in_number_field[i] for i in label)


def test_box_beside_its_label_gives_no_bars(digits) -> None:
    # A wide box (more than three times as wide as high) no taller than a
    # rule must be: its sides are not glyphs, and the label stays apart.
    page = np.full((130, 560), 255, dtype=np.uint8)
    _label(page, "REF", 20, 80)
    cv2.rectangle(page, (120, 30), (520, 85), 0, 2)
    boxes = [
        _put(page, _hand(digits[d][1], 40), 150 + 45 * k, 38) for k, d in enumerate([2, 0, 4, 1])
    ]
    (line,) = segment(page)
    inside = _pieces_in(line.pieces, Box(121, 31, 398, 53))
    assert [line.pieces[i].box.left for i in inside] == [b.left for b in boxes]
    assert len(line.pieces) == 3 + 4  # R E F and the four digits
    ids = line.word_ids
    assert len({ids[i] for i in inside}) == 1 and ids[0] != ids[inside[0]]


def test_handwriting_across_an_underline_stays_whole(digits) -> None:
    # A 7's stem and a 9's tail reach below the writing line.
    page = np.full((140, 360), 255, dtype=np.uint8)
    glyphs = [_hand(digits[d][0], 56) for d in (7, 9, 3)]
    boxes = [_put(page, g, 40 + 70 * k, 30) for k, g in enumerate(glyphs)]
    cv2.line(page, (20, 76), (330, 76), 0, 2)
    (line,) = segment(page)
    assert len(line.pieces) == 3, [p.box for p in line.pieces]
    for want, got in zip(boxes, line.pieces, strict=True):
        assert _close(got.box, want), (got.box, want)


def test_printed_table_row_keeps_its_cells_apart() -> None:
    # Rules above and below, short vertical rules between three cells: the
    # rules are no glyphs, each cell's number is its own word, and a cell of
    # one digit is not taken for a comb.
    page = np.full((110, 420), 255, dtype=np.uint8)
    cv2.line(page, (20, 30), (380, 30), 0, 2)
    cv2.line(page, (20, 70), (380, 70), 0, 2)
    for x in (20, 140, 260, 380):
        cv2.line(page, (x, 30), (x, 70), 0, 2)
    for text, x in (("7", 60), ("12", 165), ("305", 280)):
        cv2.putText(page, text, (x, 62), FACE, 1.0, 0, 2, cv2.LINE_AA)
    (line,) = segment(page)
    assert len(line.pieces) == 6, [p.box for p in line.pieces]
    assert line.word_ids == (0, 1, 1, 2, 2, 2)


def _tilt(page: np.ndarray, degrees: float) -> np.ndarray:
    """The page turned by a small angle about its centre, on white."""
    h, w = page.shape
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


@pytest.mark.parametrize("degrees", [0.5, -0.8])
def test_slightly_tilted_wide_box_is_stripped(digits, degrees: float) -> None:
    # Deskewing leaves a fraction of a degree: a wide box's rules step from
    # row to row and no row runs 80% of its width, yet they are rules.
    page = np.full((200, 700), 255, dtype=np.uint8)
    cv2.rectangle(page, (60, 50), (640, 160), 0, 4)
    for k, d in enumerate([9, 1, 8, 4, 0, 9]):
        _put(page, _hand(digits[d][0], 60), 90 + 70 * k, 75)
    (line,) = segment(_tilt(page, degrees))
    assert len(line.pieces) == 6, [p.box for p in line.pieces]
    assert all(p.box.height < 80 for p in line.pieces)
    assert len(set(line.word_ids)) == 1


def test_small_box_with_thick_sides_is_stripped(digits) -> None:
    # A box of 5 px sides around three digits is a fifth ink: a frame all the same.
    page = np.full((160, 300), 255, dtype=np.uint8)
    cv2.rectangle(page, (50, 40), (210, 112), 0, 5)
    boxes = [_put(page, _hand(digits[d][2], 40), 70 + 42 * k, 56) for k, d in enumerate([7, 5, 1])]
    (line,) = segment(page)
    assert [p.box.left for p in line.pieces] == [b.left for b in boxes], [
        p.box for p in line.pieces
    ]


def test_glyph_inside_a_frame_left_whole_is_not_merged_into_it() -> None:
    from ocr.segment.pieces import merge_broken

    frame = np.zeros((80, 300), dtype=bool)
    frame[:3] = frame[-3:] = True
    frame[:, :3] = frame[:, -3:] = True
    glyph = np.ones((50, 30), dtype=bool)
    merged = merge_broken([Piece(Box(0, 0, 300, 80), frame), Piece(Box(40, 15, 30, 50), glyph)])
    assert len(merged) == 2


def _dotted(page: np.ndarray, x0: int, x1: int, y: int, pitch: int = 11, size: int = 4) -> None:
    for x in range(x0, x1, pitch):
        page[y : y + size, x : x + size] = 0


@pytest.mark.parametrize("overlap", [False, True], ids=["below", "touching"])
def test_dotted_writing_line_gives_no_separators(digits, overlap: bool) -> None:
    # The dots of a dotted writing line are not full stops between the digits.
    page = np.full((150, 560), 255, dtype=np.uint8)
    boxes = [
        _put(page, _hand(digits[d][0], 54), 60 + 62 * k, 30)
        for k, d in enumerate([1, 1, 2, 6, 3, 3])
    ]
    base = max(b.bottom for b in boxes) - (3 if overlap else -3)
    _dotted(page, 20, 540, base)
    (line,) = segment(page)
    assert all(s == "" for s in line.separators), line.separators
    assert len(line.pieces) == 6 and len(set(line.word_ids)) == 1


def test_dot_leaders_go_and_the_decimal_point_stays() -> None:
    page = np.full((100, 700), 255, dtype=np.uint8)
    cv2.putText(page, "Total", (20, 60), FACE, 1.2, 0, 2, cv2.LINE_AA)
    cv2.putText(page, "." * 24, (140, 60), FACE, 1.2, 0, 3, cv2.LINE_AA)
    cv2.putText(page, "12.50", (540, 60), FACE, 1.2, 0, 2, cv2.LINE_AA)
    (line,) = segment(page)
    right = [s for p, s in zip(line.pieces, line.separators, strict=True) if p.box.left > 520]
    assert right == ["", "", ".", "", ""], right
    assert not [p for p in line.pieces if 200 < p.box.left < 500]


def test_digits_in_one_box_are_one_word_across_a_wide_gap(digits) -> None:
    # A writer leaves a gap of most of a digit's height inside the box.
    page = np.full((140, 760), 255, dtype=np.uint8)
    cv2.rectangle(page, (40, 30), (720, 110), 0, 2)
    xs = [70, 120, 170, 265, 315, 365]
    for x, d in zip(xs, [7, 9, 2, 1, 6, 0], strict=True):
        _put(page, _hand(digits[d][1], 50), x, 45)
    (line,) = segment(page)
    assert len(line.pieces) == 6, [p.box for p in line.pieces]
    assert len(set(line.word_ids)) == 1, line.word_ids


def test_label_and_number_in_one_box_stay_apart() -> None:
    page = np.full((120, 600), 255, dtype=np.uint8)
    cv2.rectangle(page, (20, 20), (560, 100), 0, 2)
    cv2.putText(page, "Qty", (40, 75), FACE, 1.3, 0, 3, cv2.LINE_AA)
    cv2.putText(page, "125", (220, 75), FACE, 1.3, 0, 3, cv2.LINE_AA)
    (line,) = segment(page)
    assert line.word_ids[0] != line.word_ids[-1], line.word_ids


def test_a_faint_hairline_box_broken_in_pieces_leaves_no_glyphs(digits) -> None:
    # A one-pixel border that a faint scan breaks into short pieces: the
    # sides' pieces are no glyphs (no 1s), only the digit inside is.
    page = np.full((140, 300), 255, dtype=np.uint8)
    for x in range(60, 241, 12):
        page[30, x : x + 9] = 0
        page[110, x : x + 9] = 0
    for y in range(30, 111, 40):
        page[y + 2 : y + 36, 60] = 0
        page[y + 2 : y + 36, 240] = 0
    _put(page, _hand(digits[4][1], 44), 130, 50)
    (line,) = segment(page)
    assert [p.box.width for p in line.pieces if p.box.width <= 2] == []
    assert len([s for s in line.separators if not s]) == 1


def test_a_faint_hairline_grid_is_still_a_comb(digits) -> None:
    # A grid of one-pixel grey rules on noisy paper, about as dark as the ink
    # threshold: binarised, it falls into dashes and is no comb; mended from
    # the faint ink, its cells hold the digits as one number field.
    number, pitch, cell, x0, base = "30724", 56, 52, 140, 120
    page = np.full((160, 200 + pitch * len(number) + 60), 255, dtype=np.uint8)
    _label(page, "NO", 20, 110)
    right = x0 + pitch * len(number)
    page[base, x0 : right + 1] = page[base - cell, x0 : right + 1] = 150
    for k in range(len(number) + 1):
        page[base - cell : base + 1, x0 + k * pitch] = 150
    for k, char in enumerate(number):
        glyph = _hand(digits[int(char)][k % 3], 40)
        _put(page, glyph, x0 + k * pitch + (pitch - glyph.shape[1]) // 2, base - 46)
    rng = np.random.default_rng(0)
    page = np.clip(page - 12.0 + rng.normal(0, 10, page.shape), 0, 255).astype(np.uint8)
    ink = binarise_page(page)
    assert find_structure(ink.mask)[1] == []
    (field,) = find_structure(ink.mask | faint_hairlines(ink))[1]
    assert len(field.cells) == len(number)
    (line,) = segment(page)
    inside = [i for i, flag in enumerate(line.in_number_field) if flag]
    assert len(inside) == len(number)
    assert len([s for s in line.separators if not s]) == len(number) + 2  # and "NO"


@pytest.mark.parametrize("dotted", [False, True], ids=["solid", "dotted"])
def test_a_number_written_on_a_line_after_its_label_is_a_field(digits, dotted: bool) -> None:
    page = np.full((170, 900), 255, dtype=np.uint8)
    _label(page, "Phone", 20, 120)
    for x in range(250, 860, 10 if dotted else 1):
        page[124:127, x : x + (3 if dotted else 1)] = 0
    for k, d in enumerate([3, 6, 1, 3]):
        glyph = _hand(digits[d][k % 2], 44)
        _put(page, glyph, 300 + 50 * k, 122 - glyph.shape[0])
    (line,) = segment(page)
    on_line = [f for p, f in zip(line.pieces, line.field_ids, strict=True) if p.box.left > 250]
    label = [f for p, f in zip(line.pieces, line.field_ids, strict=True) if p.box.right < 250]
    assert len(on_line) == 4 and len(set(on_line)) == 1 and on_line[0] >= 0, line.field_ids
    assert set(label) == {-1}
    # The same number without the line is no field.
    page[124:127] = 255
    (line,) = segment(page)
    assert set(line.field_ids) <= {-1}


def test_wide_digit_in_a_comb_cell_is_not_cut(digits) -> None:
    # A comb's cell holds one digit: a wide one (read unsurely) stays whole
    # rather than being cut into a 1 and two more digits.
    from ocr.classify import DEFAULT_MODEL, KNNClassifier
    from ocr.pipeline import read_page_detail

    page = np.full((160, 500), 255, dtype=np.uint8)
    _label(page, "NO", 20, 110)
    x0, base, pitch = 140, 120, 80
    cv2.line(page, (x0, base), (x0 + 3 * pitch, base), 0, 2)
    cv2.line(page, (x0, base - 52), (x0 + 3 * pitch, base - 52), 0, 2)
    for k in range(4):
        cv2.line(page, (x0 + k * pitch, base - 52), (x0 + k * pitch, base), 0, 2)
    wide = _hand(digits[9][1], 40)  # load_digits index 1704
    wide = cv2.resize(wide, (46, 40))
    for k, glyph in enumerate([_hand(digits[0][0], 40), wide, _hand(digits[9][0], 40)]):
        _put(page, glyph, x0 + k * pitch + (pitch - glyph.shape[1]) // 2, base - 46)
    detail = read_page_detail(page, KNNClassifier.load(DEFAULT_MODEL), orient=False)
    inside = [g for g in detail.glyphs if g.box.left > x0]
    assert len(inside) == 3, "".join(g.label for g in inside)


@pytest.mark.parametrize("mark", ["sliver", "under"])
def test_stray_mark_between_handwritten_digits_is_no_separator(digits, mark: str) -> None:
    # What is left of a stripped rule (a sliver thinner than the pen) or a
    # stub lying under a digit is no full stop between a writer's digits.
    from ocr.classify import DEFAULT_MODEL, KNNClassifier
    from ocr.pipeline import read_page

    page = np.full((150, 560), 255, dtype=np.uint8)
    boxes = [
        _put(page, _hand(digits[d][0], 54), 40 + 64 * k, 30)
        for k, d in enumerate([3, 8, 2, 6, 0, 7])
    ]
    base = max(b.bottom for b in boxes)
    if mark == "sliver":
        gap = (boxes[2].right + boxes[3].left) // 2
        page[base - 4 : base - 1, gap - 10 : gap + 10] = 0
    else:
        under = boxes[3]
        page[base + 2 : base + 6, under.left + 4 : under.left + 24] = 0
    lines = read_page(page, KNNClassifier.load(DEFAULT_MODEL), orient=False)
    texts = [t.text for line in lines for t in line.tokens]
    assert len(texts) == 1 and "." not in texts[0], texts


def test_digit_dropped_below_its_neighbours_in_a_box_stays_on_their_line(digits) -> None:
    # A writer's digit half its height below the others is still on their
    # line: a box too low for two lines of writing holds one.
    page = np.full((160, 560), 255, dtype=np.uint8)
    cv2.rectangle(page, (30, 24), (500, 116), 0, 2)
    for k, d in enumerate([3, 8, 5, 9, 9, 7]):
        _put(page, _hand(digits[d][0], 50), 50 + 60 * k, 60 if k == 3 else 32)
    (line,) = segment(page)
    assert len(line.pieces) == 6, [p.box for p in line.pieces]
    assert len(set(line.word_ids)) == 1, line.word_ids


def test_pixel_wide_sliver_of_a_rule_beside_written_digits_is_no_glyph(digits) -> None:
    # What is left of a box's side after stripping, two pixels wide, and the
    # speck at its foot were read as "1." before the number (1.6442).
    page = np.full((160, 560), 255, dtype=np.uint8)
    cv2.rectangle(page, (20, 20), (520, 130), 0, 2)
    boxes = [
        _put(page, _hand(digits[d][0], 50), 90 + 60 * k, 45) for k, d in enumerate([6, 4, 4, 2])
    ]
    page[42:94, 70:72] = 0
    page[100:103, 69:74] = 0
    (line,) = segment(page)
    assert len(line.pieces) == 4, [p.box for p in line.pieces]
    assert all(_close(p.box, b, 3) for p, b in zip(line.pieces, boxes, strict=True))


def test_hairline_between_heavy_digits_is_no_full_stop() -> None:
    # A marker pen's digits can look like print; a hairline left of a rule
    # under them (a pixel high, strokes ten times thicker) is no '.'.
    from ocr.classify import DEFAULT_MODEL, KNNClassifier
    from ocr.pipeline import read_page

    page = np.full((140, 520), 255, dtype=np.uint8)
    cv2.putText(page, "3883", (20, 100), FACE, 2.6, 0, 9, cv2.LINE_AA)
    cv2.putText(page, "340", (228, 100), FACE, 2.6, 0, 9, cv2.LINE_AA)
    page[101:102, 212:230] = 0
    lines = read_page(page, KNNClassifier.load(DEFAULT_MODEL), orient=False)
    texts = [t.text for line in lines for t in line.tokens]
    assert texts == ["3883340"], texts


def test_digits_before_a_comb_found_in_part_are_in_it(digits) -> None:
    # The comb's first ticks are lost (here: not drawn); the digits written
    # at its pitch before the first tick found stand in its cells.
    number = "62747"
    page = np.full((160, 200 + 56 * len(number) + 60), 255, dtype=np.uint8)
    _label(page, "NO", 20, 110)
    x0, base, pitch = 140, 120, 56
    right = x0 + pitch * len(number)
    cv2.line(page, (x0 + 2 * pitch, base), (right, base), 0, 2)
    for k in range(2, len(number) + 1):
        cv2.line(page, (x0 + k * pitch, base - 26), (x0 + k * pitch, base), 0, 2)
    for k, char in enumerate(number):
        glyph = _hand(digits[int(char)][k % 3], 40)
        _put(page, glyph, x0 + k * pitch + (pitch - glyph.shape[1]) // 2, base - 46)
    (line,) = segment(page)
    digits_at = [i for i, p in enumerate(line.pieces) if p.box.left > x0]
    assert len(digits_at) == len(number), [p.box for p in line.pieces]
    assert len({line.word_ids[i] for i in digits_at}) == 1, line.word_ids
    assert all(line.in_number_field[i] for i in digits_at), line.in_number_field

"""Ruled tables on an OCR'd page: the grid found from the image, the words put in its cells.

A Kế hoạch or a Quyết định often assigns its tasks in a ruled table ("Nội dung / Cơ quan
chủ trì / Cơ quan phối hợp / Thời gian"). Tesseract reads such a table row by row across
its cells, so who leads what is lost. Here the page image is searched for the table's
printed rules, and each OCR word is put into the cell its box centre falls in; a table
comes out as a ``table`` block of ``| cell | ... |`` rows, as pdf_text.py makes from a
text layer, and the words it took are no longer the page's lines.

How (numpy on the binarised page, pooled to about 100 dpi so a page costs milliseconds):

* rules are ink that runs straight for at least :data:`_MIN_RUN` inches: an opening along
  the rows (then the columns) keeps only such runs; the ink is first thickened by a pixel
  across the run so that a rule tilted by a few degrees of residual skew, which steps from
  one pixel row to the next, stays one run. Each run that is thin (a printed rule, not a
  bold word) becomes a straight segment; collinear segments with a gap between them (a
  rule broken by a light scan) are joined;
* rules that cross make a grid: horizontal and vertical rules connected through their
  crossings are one table. Vertical rules that run on past the top (bottom) rule, as on a
  page where a table continues from the last page without its top rule, close the grid
  where they end. A cell whose side has no rule (a merged cell) spans the grid cells it
  covers;
* each OCR word goes to the cell its box centre falls in. Tesseract's page reading drops a
  short word alone in a cell (a row's number) as often as one row in four, so a cell
  left empty that holds ink is read again on its own;
* a table needs two columns and a row with words in two cells: a page of empty boxes, a
  box around a stamp, a seal's ring or a signature's stroke across a rule makes none. An
  aligned but unruled "table" is left as lines.
"""

from __future__ import annotations

import bisect
import statistics
import time
from dataclasses import dataclass

import numpy as np
from PIL import ImageOps
from scipy import ndimage

from services.ocr import geometry, raster, tesseract
from vanthu.events import Block, Line, Word

_WORK_DPI = 100  # the page is pooled to this resolution or a little more
_INK = 0.6  # of the paper's grey: darker pixels are ink
_PAPER = 0.9  # the paper's grey is that of this quantile of the page's pixels
_MIN_RUN = 0.2  # inches of straight ink: taller than any glyph, shorter than a table's narrowest cell
_MIN_RULE = 0.3  # inches: a rule (joined) at least this long counts
_LONG_RULE = 1.0  # inches: a vertical rule this long counts even when it meets one horizontal rule
_MAX_THICK = 0.035  # inches (about 2.5 pt): a printed rule is thinner; a run through bold letters is not
_MAX_SLOPE = 0.07  # about 4 degrees of residual skew
# inches: a broken rule's pieces this far apart are one rule (a light scan's breaks are
# short; a rule left out for a merged cell leaves a cell's side, a line's height or more) ...
_JOIN_GAP = 0.12
_JOIN_OFF = 0.03  # ... when they lie on one line within this (inches)
_CROSS = 0.04  # inches: a rule's end this near another rule still meets it (scans rarely close the corners)
_OVERHANG = 0.15  # inches: vertical rules running on this far past the outer rule close a continued table
_SIDE = 0.5  # of a cell's side: a rule along at least this much of it parts the cell from its neighbour
# Tesseract often reads a cell's rule as a bar beside a word ("STT|", "|UBND") or alone,
# and a bottom rule under a short word as an underscore ("2_").
_RULE_GLYPHS = "|¦_"
# Tesseract's page reading drops a short word alone in a cell (a row's number "34") as
# often as one row in four; an empty cell with ink in it is read again on its own.
_CELL_INK = 0.002  # square inches of ink (a digit's) that make an empty cell worth reading again
_CELL_MARGIN = 0.04  # inches of a cell's edge left out of it (its rules, a little skew)
_REREAD_CONFIDENCE = 50.0  # a word read again counts from this confidence
_MAX_REREADS = 40  # cells read again on one page, at most


@dataclass
class _Rule:
    """A straight rule in working pixels, along its own axis: from ``a0`` to ``a1`` along it,
    ``c0`` across it at ``a0`` and ``c1`` at ``a1`` (for a horizontal rule: x0, x1, y at
    x0, y at x1)."""

    a0: float
    a1: float
    c0: float
    c1: float

    def at(self, a: float) -> float:
        """Where the rule lies across its axis at ``a`` along it (extended past its ends)."""
        if self.a1 == self.a0:
            return self.c0
        return self.c0 + (self.c1 - self.c0) * (a - self.a0) / (self.a1 - self.a0)

    @property
    def slope(self) -> float:
        return (self.c1 - self.c0) / max(self.a1 - self.a0, 1e-9)


def _rules(ink: np.ndarray, dpi: float) -> list[_Rule]:
    """The horizontal rules of ``ink`` (rows x columns, True for ink), joined where broken."""
    thick = ndimage.maximum_filter1d(ink, 3, axis=0)
    run = max(3, round(_MIN_RUN * dpi)) | 1  # odd: the window is centred on its pixel
    # An opening along the rows: only pixels inside a run of ``run`` ink pixels stay.
    runs = ndimage.maximum_filter1d(ndimage.minimum_filter1d(thick, run, axis=1), run, axis=1).astype(bool)
    labels, _ = ndimage.label(runs, structure=np.ones((3, 3)))
    pieces = []
    for index, found in enumerate(ndimage.find_objects(labels), start=1):
        if found is None:
            continue
        rows, cols = found
        length = cols.stop - cols.start
        ys, xs = np.nonzero(labels[found] == index)
        # The ink each column of the run holds, less the pixel added on each side.
        if len(xs) / max(length, 1) - 2 > _MAX_THICK * dpi:
            continue
        if length > 2:
            slope, intercept = np.polyfit(xs, ys, 1)
        else:
            slope, intercept = 0.0, float(ys.mean())
        if abs(slope) > _MAX_SLOPE:
            continue
        x0, x1 = float(cols.start), float(cols.stop - 1)
        top = rows.start
        pieces.append(_Rule(x0, x1, top + intercept + slope * (x0 - cols.start), top + intercept + slope * (x1 - cols.start)))
    return [rule for rule in _joined(pieces, dpi) if rule.a1 - rule.a0 >= _MIN_RULE * dpi]


def _joined(pieces: list[_Rule], dpi: float) -> list[_Rule]:
    """``pieces`` with the collinear ones joined across a gap (a rule broken by a light scan)."""
    rules: list[_Rule] = []
    for piece in sorted(pieces, key=lambda r: r.a0):
        for i, rule in enumerate(rules):
            if (piece.a0 - rule.a1 <= _JOIN_GAP * dpi
                    and abs(rule.at(piece.a0) - piece.c0) <= _JOIN_OFF * dpi
                    and abs(piece.at(rule.a1) - rule.c1) <= _JOIN_OFF * dpi):
                if piece.a1 > rule.a1:
                    rules[i] = _Rule(rule.a0, piece.a1, rule.c0, piece.c1)
                break
        else:
            rules.append(piece)
    return rules


@dataclass
class _Grid:
    """One table's rules in the table's own upright frame (its skew turned out)."""

    rows: list[float]  # the horizontal boundaries, top to bottom
    columns: list[float]  # the vertical boundaries, left to right
    horizontal: list[_Rule]
    vertical: list[_Rule]
    angle: float  # the table's slope (dy/dx of its rows)


def _level(x: float, y: float, slope: float) -> tuple[float, float]:
    """``(x, y)`` turned by the table's skew so that its rows run level."""
    norm = (1 + slope * slope) ** 0.5
    return (x + slope * y) / norm, (y - slope * x) / norm


def _grids(horizontal: list[_Rule], vertical: list[_Rule], dpi: float) -> list[_Grid]:
    """The grids that crossing rules make: rules connected through their crossings.

    A horizontal rule runs from one vertical rule to another (a text line's ink, inside its
    cell's padding, meets one at most). A vertical rule meets two such rules, or runs long
    from the one it meets (the bottom rule of a table continued from the last page); a
    seal's ring, near straight at its sides only for a short way, meets one."""
    tol = _CROSS * dpi
    crossings = [{j for j, v in enumerate(vertical) if _cross(h, v, tol)} for h in horizontal]
    rows_kept = [i for i, crossed in enumerate(crossings) if len(crossed) >= 2]
    met = [sum(1 for i in rows_kept if j in crossings[i]) for j in range(len(vertical))]
    columns_kept = {j for j, v in enumerate(vertical) if met[j] >= 2 or (met[j] and v.a1 - v.a0 >= _LONG_RULE * dpi)}
    parent = {("v", j): ("v", j) for j in columns_kept} | {("h", i): ("h", i) for i in rows_kept}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i in rows_kept:
        for j in crossings[i] & columns_kept:
            parent[root(("h", i))] = root(("v", j))
    groups: dict[tuple[str, int], tuple[list[_Rule], list[_Rule]]] = {}
    for i in rows_kept:
        groups.setdefault(root(("h", i)), ([], []))[0].append(horizontal[i])
    for j in sorted(columns_kept):
        groups.setdefault(root(("v", j)), ([], []))[1].append(vertical[j])
    grids = []
    for hs, vs in groups.values():
        if not hs or len(vs) < 2:
            continue
        slope = statistics.median([h.slope for h in hs] + [-v.slope for v in vs])
        # Both kinds of rule in the level frame: a horizontal one as (x0, x1, y), a vertical one as (y0, y1, x).
        level_h = [_level_rule(h, slope, horizontal=True) for h in hs]
        level_v = [_level_rule(v, slope, horizontal=False) for v in vs]
        rows = _positions([r.c0 for r in level_h], tol)
        columns = _positions([r.c0 for r in level_v], tol)
        # A table continued from (or onto) another page has no outer rule there: its
        # vertical rules run on past the last rule and end where it does.
        top, bottom = statistics.median(r.a0 for r in level_v), statistics.median(r.a1 for r in level_v)
        if rows[0] - top > _OVERHANG * dpi:
            rows.insert(0, top)
        if bottom - rows[-1] > _OVERHANG * dpi:
            rows.append(bottom)
        if len(rows) >= 2 and len(columns) >= 2:
            grids.append(_Grid(rows, columns, level_h, level_v, slope))
    return grids


def _cross(h: _Rule, v: _Rule, tol: float) -> bool:
    """Whether horizontal ``h`` and vertical ``v`` meet (within ``tol`` of each other's ends)."""
    y = h.at(v.at(h.c0))  # v is x = v.at(y), h is y = h.at(x): where they cross, nearly
    x = v.at(y)
    return h.a0 - tol <= x <= h.a1 + tol and v.a0 - tol <= y <= v.a1 + tol


def _level_rule(rule: _Rule, slope: float, *, horizontal: bool) -> _Rule:
    """``rule`` in the level frame, as a straight rule along its axis at its mean position across it."""
    if horizontal:
        (a0, c0), (a1, c1) = _level(rule.a0, rule.c0, slope), _level(rule.a1, rule.c1, slope)
    else:
        (c0, a0), (c1, a1) = _level(rule.c0, rule.a0, slope), _level(rule.c1, rule.a1, slope)
    middle = (c0 + c1) / 2
    return _Rule(min(a0, a1), max(a0, a1), middle, middle)


def _positions(values: list[float], tol: float) -> list[float]:
    """``values`` sorted, those within ``tol`` of one another taken as one (their mean)."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][-1] <= tol:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(g) / len(g) for g in groups]


def _covered(rules: list[_Rule], at: float, lo: float, hi: float, tol: float) -> bool:
    """Whether a rule at ``at`` (across its axis) runs along at least half of [lo, hi]."""
    along = sum(max(0.0, min(hi, r.a1 + tol) - max(lo, r.a0 - tol)) for r in rules if abs(r.c0 - at) <= tol)
    return along >= _SIDE * (hi - lo)


def _cells(grid: _Grid, tol: float) -> list[list[int]]:
    """Each grid cell's merged cell (an id), rows x columns: neighbours with no rule between them are one cell."""
    n_rows, n_cols = len(grid.rows) - 1, len(grid.columns) - 1
    parent = list(range(n_rows * n_cols))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for r in range(n_rows):
        top, bottom = grid.rows[r], grid.rows[r + 1]
        for c in range(n_cols):
            left, right = grid.columns[c], grid.columns[c + 1]
            if c + 1 < n_cols and not _covered(grid.vertical, right, top, bottom, tol):
                parent[root(r * n_cols + c + 1)] = root(r * n_cols + c)
            if r + 1 < n_rows and not _covered(grid.horizontal, bottom, left, right, tol):
                parent[root((r + 1) * n_cols + c)] = root(r * n_cols + c)
    return [[root(r * n_cols + c) for c in range(n_cols)] for r in range(n_rows)]


def _ink(page: raster.PageImage) -> tuple[np.ndarray, float, float]:
    """``page``'s ink pooled to about _WORK_DPI (a block with any ink is ink), the pooled
    resolution and the pooling factor. Pooling keeps a thin or light rule whole, which
    averaging would fade."""
    assert page.frame is not None
    dpi = page.frame.dpi * page.frame.scale
    factor = max(1, int(dpi // _WORK_DPI))
    grey = page.image.convert("L")
    histogram = grey.reduce(4).histogram()  # the paper's grey needs no full resolution
    total, seen, paper = sum(histogram), 0, 255
    for level, count in enumerate(histogram):  # the paper: the grey 90% of the pixels are darker than
        seen += count
        if seen >= _PAPER * total:
            paper = level
            break
    threshold = _INK * paper
    binary = grey.point(lambda v: 255 if v < threshold else 0)
    pooled = binary.reduce(factor) if factor > 1 else binary
    return np.asarray(pooled) > 0, dpi / factor, factor


def find(page: raster.PageImage, lines: list[Line], *, language: str | None = None, timeout: float = 0.0,
         cmd: str = "tesseract") -> tuple[list[Line], list[Block]]:
    """The ruled tables of ``page`` (an image prepared for Tesseract, layout.prepare) filled
    with the words of ``lines`` (page points), and ``lines`` without the words the tables took.

    Each table is a ``table`` block whose lines are its rows, ``| cell | ... |``, top to
    bottom, a cell's words in reading order; a row no word falls in is left out; a merged
    cell's text stands in its first row and column, the cells it covers are empty. Words
    keep their boxes and confidences. With ``language``, a cell the page reading left
    empty but that holds ink is read again alone by Tesseract (``timeout`` seconds in all,
    ``cmd``). A page with no grid gives ``lines`` back unchanged. Raises TesseractError
    from a reading again.
    """
    if page.frame is None or not lines:
        return lines, []
    ink, dpi, factor = _ink(page)
    vertical = _rules(ink.T, dpi)
    if len(vertical) < 2:
        return lines, []  # most pages: no grid, and the horizontal search is spared
    horizontal = _rules(ink, dpi)
    frame = page.frame

    def to_work(x: float, y: float) -> tuple[float, float]:
        """Page points -> working pixels (the inverse of ``frame.box`` and the pooling)."""
        return ((x * frame.dpi / 72 - frame.x0) * frame.scale / factor,
                (y * frame.dpi / 72 - frame.y0) * frame.scale / factor)

    deadline = time.monotonic() + timeout
    reread = _Reread(language or "", cmd, deadline)
    tables: list[Block] = []
    taken: set[int] = set()  # id() of words put in a table
    tol = _CROSS * dpi
    for grid in _grids(horizontal, vertical, dpi):
        cells = _cells(grid, tol)
        content: dict[int, list[list[Word]]] = {}  # a merged cell's words, per OCR line
        in_grid: set[int] = set()
        for line in lines:
            by_cell: dict[int, list[Word]] = {}
            for word in line.words:
                x, y = _level(*to_work((word.box[0] + word.box[2]) / 2, (word.box[1] + word.box[3]) / 2), grid.angle)
                r, c = bisect.bisect(grid.rows, y) - 1, bisect.bisect(grid.columns, x) - 1
                if 0 <= r < len(grid.rows) - 1 and 0 <= c < len(grid.columns) - 1:
                    by_cell.setdefault(cells[r][c], []).append(word)
            for cell, words in by_cell.items():
                in_grid |= {id(w) for w in words}
                if words := _unruled(words):
                    content.setdefault(cell, []).append(words)
        if language and timeout > 0:
            _read_empty(page, grid, cells, content, ink, factor, reread)
        if (rows := _rows(cells, content)) is not None:
            corners = [_unlevel(x, y, grid.angle) for x in (grid.columns[0], grid.columns[-1])
                       for y in (grid.rows[0], grid.rows[-1])]
            box = geometry.bounds(frame.box((x * factor, y * factor, x * factor, y * factor)) for x, y in corners)
            tables.append(Block(kind="table", box=box, lines=rows))
            taken |= in_grid
    if not tables:
        return lines, []
    kept = []
    for line in lines:
        rest = [w for w in line.words if id(w) not in taken]
        if len(rest) == len(line.words):
            kept.append(line)
        elif rest:
            kept.append(geometry.line_of(rest, starts_paragraph=line.starts_paragraph))
    return kept, tables


@dataclass
class _Reread:
    """Tesseract reading cells again: its language and command, the deadline, the cells read."""

    language: str
    cmd: str
    deadline: float
    count: int = 0


def _read_empty(page: raster.PageImage, grid: _Grid, cells: list[list[int]], content: dict[int, list[list[Word]]],
                ink: np.ndarray, factor: int, reread: _Reread) -> None:
    """Fill ``content`` for the merged cells left empty that hold ink, each read alone
    (``--psm 6``, a block of text) from ``page``'s pixels."""
    assert page.frame is not None
    dpi = page.frame.dpi * page.frame.scale / factor
    spans: dict[int, list[tuple[int, int]]] = {}
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            spans.setdefault(cell, []).append((r, c))
    for cell, span in spans.items():
        if cell in content or reread.count >= _MAX_REREADS or time.monotonic() >= reread.deadline:
            continue
        top, bottom = grid.rows[min(r for r, _ in span)], grid.rows[max(r for r, _ in span) + 1]
        left, right = grid.columns[min(c for _, c in span)], grid.columns[max(c for _, c in span) + 1]
        margin = _CELL_MARGIN * dpi
        corners = [_unlevel(x, y, grid.angle) for x in (left + margin, right - margin) for y in (top + margin, bottom - margin)]
        x0, y0 = (max(0, int(min(p[i] for p in corners))) for i in (0, 1))
        x1, y1 = (min(ink.shape[1 - i], int(max(p[i] for p in corners)) + 1) for i in (0, 1))
        if x1 <= x0 or y1 <= y0 or int(ink[y0:y1, x0:x1].sum()) < _CELL_INK * dpi * dpi:
            continue
        reread.count += 1
        # On white paper around it: Tesseract reads a word at a crop's very edge badly.
        pad = round(_CELL_MARGIN * dpi * factor)
        crop = ImageOps.expand(page.image.crop((x0 * factor, y0 * factor, x1 * factor, y1 * factor)), pad, fill=255)
        result = tesseract.recognise(crop, language=reread.language, dpi=round(dpi * factor),
                                     timeout=max(0.1, reread.deadline - time.monotonic()), cmd=reread.cmd, psm=6)
        read = [kept for line in page.frame.moved(x0 * factor - pad, y0 * factor - pad).lines(result.lines)
                if (kept := _unruled([w for w in line.words if (w.confidence or 0.0) >= _REREAD_CONFIDENCE]))]
        if read:
            content[cell] = read


def _unruled(words: list[Word]) -> list[Word]:
    """``words`` without the rules Tesseract read as glyphs at their ends (a word that was
    nothing else goes)."""
    kept = []
    for word in words:
        text = word.text.strip(_RULE_GLYPHS)
        if text:
            kept.append(word if text == word.text else word.model_copy(update={"text": text}))
    return kept


def _rows(cells: list[list[int]], content: dict[int, list[list[Word]]]) -> list[Line] | None:
    """The ``| cell | ... |`` rows of a filled grid (``cells`` as :func:`_cells` gives them,
    ``content`` each merged cell's words per OCR line); ``None`` when it is no table (fewer
    than two columns, or no row with words in two cells)."""
    first: dict[int, tuple[int, int]] = {}  # a merged cell's first row and column
    for r, row in enumerate(cells):
        for c, cell in enumerate(row):
            first.setdefault(cell, (r, c))
    rows = []
    two_cells = False
    for r, row in enumerate(cells):
        texts, words = [], []
        for c, cell in enumerate(row):
            parts = content.get(cell, []) if first[cell] == (r, c) else []
            # The cell's lines top to bottom, each read left to right.
            ordered = sorted((sorted(p, key=lambda w: w.box[0]) for p in parts), key=lambda p: min(w.box[1] for w in p))
            texts.append(" ".join(w.text for p in ordered for w in p))
            words += [w for p in ordered for w in p]
        if words:
            two_cells = two_cells or sum(1 for t in texts if t) >= 2
            rows.append(Line(text="| " + " | ".join(texts) + " |", box=geometry.bounds(w.box for w in words), words=words))
    if not two_cells or max(len(set(row)) for row in cells) < 2:
        return None
    return rows


def _unlevel(x: float, y: float, slope: float) -> tuple[float, float]:
    """The inverse of :func:`_level`."""
    return _level(x, y, -slope)

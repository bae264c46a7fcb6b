"""The regions of a page of an administrative document, found from the positions of its lines.

Decree 30/2020/NĐ-CP (Appendix I) and Guideline 36-HD/VPTW lay a document out the same
way: a two-column header table (issuer, number and "V/v" on the left; the motto or
"ĐẢNG CỘNG SẢN VIỆT NAM", place and date on the right), the type's title and trích yếu
centred, the body, and a two-column closing ("Nơi nhận" on the left; authority lines,
title, signature and name on the right). Read row by row, as a text layer or Tesseract
gives them, the columns interleave ("Ủy ban nhân dân Cộng hòa xã hội ..."). Here:

* each line is cut into segments where its words leave a gap wider than a character's
  height and than three of the line's usual gaps (the space between two columns;
  justified text spreads its space evenly);
* segments that overlap vertically form rows; consecutive rows that leave a common
  vertical gutter in the middle of the text area form a run, and a run in which some
  row has text on both sides of the gutter is a two-column zone: its left column's
  lines are read first, then its right column's. Rows after the last two-sided row stay
  in the zone when they keep to a column (left of the gutter, or centred on the right
  column as a signer's name is), so that a centred title under the header does not;
* what is on the page but not the document's text is set aside with its kind: the
  portal's e-signature overlay ("Ký bởi: ... Thời gian ký: ..."), received stamps
  ("ĐẾN" with its "Số / Ngày / Chuyển" box), a copy's certification block ("SAO Y"
  and everything under it), page numbers, and OCR specks read at very low confidence
  (seals, handwriting strokes).

:func:`arrange` does one page; :func:`document` then sees the pages in order (an
appendix after the signature; an attached draft, which starts a new header after the
signature, is set aside whole).
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from services.ocr import geometry
from vanthu.events import Block, BlockKind, Box, Line, PageText, Word
from vanthu.normalize import ESIGN_LABEL, fold

# Two words of a line are in different columns when the gap between them is wider than
# a word's height and than three of the line's usual gaps (lines of few words: 1.5 heights).
_COLUMN_GAP, _COLUMN_GAP_WORDS, _FEW_GAPS = 1.0, 3.0, 3
_ROW_OVERLAP = 0.3  # of the shorter height: segments overlapping this much share a row
_GUTTER_BAND = (0.2, 0.8)  # where, across the text area, a column gutter may lie
_MIN_GUTTER = 0.3  # word heights: the narrowest gutter that still parts two columns
_CENTRED = 0.12  # of the text width: how far a line's centre may lie from its column's centre
_RUNS_ON = 1.5  # line heights: the widest gap between two lines of a left column
_TITLE_MARGIN = 3.0  # word heights: a title line stands at least this far in from the body's margins ...
_TITLE_CENTRED = 1.5  # ... and as far from one as from the other, within this (a paragraph's first line is not)
_HEADER_ZONE = 0.4  # of the page height: a header zone starts above this
_EDGE = 0.12  # of the page height: a page number sits this near the top or bottom
_NOISE_CONFIDENCE = 30.0  # an OCR segment whose every word reads below this is a seal or a stroke ...
_NOISE_CHARS = 3  # ... when it has no more letters and digits than this (a number filled in by hand has more)
_ESIGN_NEAR = 3.0  # row heights: labels this near an e-signature line belong to its overlay
# Decree 30/2020 Appendix IV: the received stamp is 50 x 35 mm, "ĐẾN" at its left on the
# second of its four rows. Its box, in points around "ĐẾN", with room for a tilted stamp.
_STAMP_LEFT, _STAMP_RIGHT, _STAMP_ABOVE, _STAMP_BELOW = 15.0, 165.0, 40.0, 80.0
_STAMP_READABLE = 60.0  # confidence: a word in the stamp's box read this well and running on past it is text

# The signing system's line: a labelled signer or signing time, or a time with its UTC offset
# ("18/03/2026; 08:32:14; +07:00").
_ESIGN = re.compile(r"\b(ky boi|thoi gian ky|nguoi ky)\b|\d{1,2}:\d{2}:\d{2}[;,\s]*[+-]\d{2}:?\d{2}")
_STAMP_WORD = re.compile(r"^den[:.]?$")
_COPY = re.compile(r"^(sao y|sao luc|trich sao)\b")
_PAGE_NUMBER = re.compile(r"^[-–—.\s]*(trang\s*)?\d{1,3}(\s*/\s*\d{1,3})?[-–—.\s]*$")
_MOTTO = re.compile(r"cong hoa xa hoi chu nghia|dang cong san viet nam")
_CLOSING_LEFT = re.compile(r"^noi nhan\b")
_ADDRESSEES = re.compile(r"^kinh gui\b")
_AUTHORITY = re.compile(r"^(tm|kt|tl|tuq|q|thua lenh|thua uy quyen)\s*[./]")
_MARK = re.compile(r"^(hoa toc|thuong khan|khan|mat|toi mat|tuyet mat)(\s+hen gio)?$")


@dataclass
class _Row:
    """Segments (lines cut at column gaps) that share a vertical band, left to right."""

    segments: list[Line]
    top: float
    bottom: float

    @property
    def starts_paragraph(self) -> bool:
        return any(s.starts_paragraph for s in self.segments)


@dataclass
class _Zone:
    """A two-column stretch of rows: rows ``start`` to ``end`` (exclusive), parted at ``gutter``."""

    start: int
    end: int
    gutter: float
    kind: str = "column"  # "header", "closing" or "column"


@dataclass
class Arrangement:
    """A page's blocks in reading order and what was set aside."""

    blocks: list[Block] = field(default_factory=list)
    aside: list[Block] = field(default_factory=list)


def arrange(lines: list[Line], tables: list[Block], *, width: float, height: float, first_page: bool) -> Arrangement:
    """The blocks of one page from its ``lines`` (any order; boxes in page points) and
    its ruled ``tables`` (from a text layer, pdf_text.py, or a scan's grid, scan_tables.py:
    ``lines`` then hold none of their words), with what is not the document's text set aside.
    A table stands in reading order where its top lies among the rows.

    ``first_page``: whether a header found at the top is the document's own.
    """
    result = Arrangement()
    segments = [s for line in lines for s in _cut(line)]
    segments = _set_aside(segments, result, height)
    rows = _rows(segments)
    if not rows and not tables:
        return result
    extent = _extent(rows, tables, width)
    zones = _zones(rows, extent)
    for zone in zones:
        zone.kind = _zone_kind(rows, zone, first_page=first_page, height=height, first=zone is zones[0])
    result.blocks = _blocks(rows, zones, tables)
    return result


def page_text(blocks: list[Block]) -> str:
    """The page's text: its blocks in order, a blank line between two."""
    return "\n\n".join(t for block in blocks if (t := block.text))


def document(pages: Iterable[PageText]) -> Iterator[PageText]:
    """``pages`` seen as one document, in order, one at a time (a long document's pages
    need not all be held): the body of a page after the signature becomes an appendix,
    and a page that opens a new header with its motto after the signature (an attached
    draft) is set aside with every page after it."""
    signed = draft = False
    for page in pages:
        kinds = {b.kind for b in page.blocks}
        if signed and not draft and "header-left" in kinds:
            draft = True
        if draft:
            aside = [b.model_copy(update={"kind": "attached-draft"}) for b in page.blocks]
            page = page.model_copy(update={"blocks": [], "aside": [*page.aside, *aside], "text": ""})
        elif signed:
            blocks = [b.model_copy(update={"kind": "appendix"}) if b.kind in ("body", "title") else b for b in page.blocks]
            page = page.model_copy(update={"blocks": blocks})
        signed = signed or "closing-right" in kinds
        yield page


# --- segments and rows ---------------------------------------------------------------------


def _height(words: list[Word]) -> float:
    return statistics.median(w.box[3] - w.box[1] for w in words)


def _cut(line: Line) -> list[Line]:
    """``line`` cut where two words leave a column gap; its paragraph start goes to the first piece."""
    words = sorted(line.words, key=lambda w: w.box[0])
    if len(words) < 2:
        return [line] if words else []
    height = _height(words)
    gaps = [word.box[0] - before.box[2] for before, word in zip(words, words[1:])]
    usual = statistics.median(gaps) if len(gaps) >= _FEW_GAPS else height / 2
    widest = max(_COLUMN_GAP * height, _COLUMN_GAP_WORDS * usual)
    pieces: list[list[Word]] = [[words[0]]]
    for word, gap in zip(words[1:], gaps):
        if gap > widest:
            pieces.append([word])
        else:
            pieces[-1].append(word)
    if len(pieces) == 1:
        return [line]
    return [geometry.line_of(p, starts_paragraph=line.starts_paragraph and i == 0) for i, p in enumerate(pieces)]


def _rows(segments: list[Line]) -> list[_Row]:
    """``segments`` grouped into rows, top to bottom: a segment joins the row it overlaps
    enough vertically, unless a segment of that row stands over or under it (a taller
    line beside two short ones is in a row with only one of them)."""
    rows: list[_Row] = []
    for segment in sorted(segments, key=lambda s: (s.box[1], s.box[0])):
        top, bottom = segment.box[1], segment.box[3]
        for row in reversed(rows[-3:]):  # a segment can only overlap the last few rows
            overlap = min(bottom, row.bottom) - max(top, row.top)
            beside = all(s.box[2] <= segment.box[0] or segment.box[2] <= s.box[0] for s in row.segments)
            if beside and overlap > _ROW_OVERLAP * min(bottom - top, row.bottom - row.top):
                row.segments.append(segment)
                row.top, row.bottom = min(row.top, top), max(row.bottom, bottom)
                break
        else:
            rows.append(_Row([segment], top, bottom))
    for row in rows:
        row.segments.sort(key=lambda s: s.box[0])
    return rows


def _extent(rows: list[_Row], tables: list[Block], width: float) -> tuple[float, float]:
    """The text area's left and right edges."""
    boxes = [s.box for row in rows for s in row.segments] + [t.box for t in tables]
    if not boxes:
        return 0.0, width
    return min(b[0] for b in boxes), max(b[2] for b in boxes)


def _line(segments: list[Line], *, starts_paragraph: bool = False) -> Line:
    """One line of the segments of a row (left to right)."""
    return geometry.line_of([w for s in segments for w in s.words], starts_paragraph=starts_paragraph)


# --- what is not the document's text -------------------------------------------------------


def _folded(line: Line) -> str:
    return fold(line.text).strip()


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _set_aside(segments: list[Line], result: Arrangement, height: float) -> list[Line]:
    """``segments`` without what is not the document's text, which goes to ``result.aside``."""
    kept = segments
    for find in (_e_signature, _received_stamp, _copy_certification, _noise):
        kept, aside, kind = find(kept, height)
        if aside:
            result.aside.append(Block(kind=kind, box=geometry.bounds(s.box for s in aside), lines=aside))
    kept, numbers, _ = _page_numbers(kept, height)
    result.aside += [Block(kind="page-number", box=s.box, lines=[s]) for s in numbers]
    return kept


_Found = tuple[list[Line], list[Line], str]


def _e_signature(segments: list[Line], height: float) -> _Found:
    """The portal's e-signature overlay: a line naming the signer or the signing time, and
    the labelled lines ("Cơ quan:", "Email:") of the same overlay near it."""
    seeds = [s for s in segments if _ESIGN.search(_folded(s))]
    if not seeds:
        return segments, [], "e-signature"
    unit = statistics.median(s.box[3] - s.box[1] for s in seeds)

    def near(s: Line) -> bool:
        return any(abs(s.box[1] - seed.box[1]) <= _ESIGN_NEAR * unit and s.box[0] < seed.box[2] and seed.box[0] < s.box[2]
                   for seed in seeds)

    aside = [s for s in segments if s in seeds or (ESIGN_LABEL.match(_folded(s)) and near(s))]
    return [s for s in segments if s not in aside], aside, "e-signature"


def _received_stamp(segments: list[Line], height: float) -> _Found:
    """A received stamp: the word "ĐẾN" standing in capitals, and what lies in the stamp's
    box around it: its "Số:", "Ngày:", "Chuyển:" lines and the text it covers, which OCR
    reads badly through the ink. A well-read word of a line that runs on out of the box
    is the document's text and stays."""
    seeds = [w for s in segments for w in s.words if _STAMP_WORD.match(fold(w.text)) and _upper(w.text)]
    if not seeds:
        return segments, [], "received-stamp"
    # The stamp's box; its rows from "ĐẾN" down are all stamp, the name above it may be text's.
    boxes = [(w.box[0] - _STAMP_LEFT, w.box[1] - _STAMP_ABOVE, w.box[0] + _STAMP_RIGHT, w.box[3] + _STAMP_BELOW)
             for w in seeds]
    rows = [(w.box[0] - _STAMP_LEFT, w.box[1] - (w.box[3] - w.box[1]) / 2, w.box[0] + _STAMP_RIGHT,
             w.box[3] + _STAMP_BELOW) for w in seeds]

    def inside(box: Box, boxes: list[Box]) -> bool:
        return any(b[0] <= box[0] and box[2] <= b[2] and b[1] <= box[1] and box[3] <= b[3] for b in boxes)

    kept, aside = [], []
    for segment in segments:
        whole = inside(segment.box, rows)
        stamped = [w for w in segment.words
                   if inside(w.box, boxes) and (whole or w.confidence is None or w.confidence < _STAMP_READABLE)]
        if not stamped:
            kept.append(segment)
            continue
        aside.append(geometry.line_of(stamped))
        if rest := [w for w in segment.words if w not in stamped]:
            kept.append(geometry.line_of(rest, starts_paragraph=segment.starts_paragraph))
    return kept, aside, "received-stamp"


def _copy_certification(segments: list[Line], height: float) -> _Found:
    """A copy's certification block ("SAO Y", "SAO LỤC", "TRÍCH SAO" in capitals, never the
    e-signature's "SAO Y; ..." line): that row and everything under it on the page."""
    marks = [s for s in segments if _COPY.match(_folded(s)) and _upper(s.text) and ";" not in s.text
             and len(s.words) <= 6]
    if not marks:
        return segments, [], "copy-certification"
    mark = min(marks, key=lambda s: s.box[1])
    aside = [s for s in segments if s.box[3] > mark.box[1]]
    return [s for s in segments if s not in aside], aside, "copy-certification"


def _noise(segments: list[Line], height: float) -> _Found:
    """Short OCR segments whose every word reads at very low confidence: seals, strokes, specks."""
    aside = [s for s in segments
             if all(w.confidence is not None and w.confidence < _NOISE_CONFIDENCE for w in s.words)
             and sum(c.isalnum() for c in s.text) <= _NOISE_CHARS]
    return [s for s in segments if s not in aside], aside, "noise"


def _page_numbers(segments: list[Line], height: float) -> _Found:
    """A number alone ("2", "- 2 -", "2/5") as the page's first or last line, near its edge."""
    if not segments:
        return segments, [], "page-number"
    ordered = sorted(segments, key=lambda s: s.box[1])
    first, last = ordered[0], ordered[-1]
    aside = [s for s in {id(first): first, id(last): last}.values()
             if _PAGE_NUMBER.match(_folded(s)) and (s.box[3] < _EDGE * height or s.box[1] > (1 - _EDGE) * height)]
    return [s for s in segments if s not in aside], aside, "page-number"


# --- two-column zones ----------------------------------------------------------------------


def _free(pieces: list[tuple[float, float]], covered: list[tuple[float, float]], minimum: float) -> list[tuple[float, float]]:
    """The parts of ``pieces`` that no ``covered`` span overlaps, those at least ``minimum`` wide."""
    for a, b in covered:
        pieces = [piece for lo, hi in pieces for piece in ((lo, min(hi, a)), (max(lo, b), hi)) if piece[1] > piece[0]]
    return [(lo, hi) for lo, hi in pieces if hi - lo >= minimum]


def _zones(rows: list[_Row], extent: tuple[float, float]) -> list[_Zone]:
    """The two-column zones among ``rows``."""
    left, right = extent
    band = (left + _GUTTER_BAND[0] * (right - left), left + _GUTTER_BAND[1] * (right - left))
    zones = []
    start = 0
    while start < len(rows):
        # The run: rows from ``start`` while some gutter stays free across all of them.
        free: list[tuple[float, float]] = [band]
        end = start
        while end < len(rows):
            spans = [(s.box[0], s.box[2]) for s in rows[end].segments]
            narrowed = _free(free, spans, _MIN_GUTTER * _height([w for s in rows[end].segments for w in s.words]))
            if not narrowed:
                break
            free, end = narrowed, end + 1
        if end > start:
            lo, hi = max(free, key=lambda p: p[1] - p[0])
            if zone := _zone(rows, start, end, (lo + hi) / 2, right - left):
                zones.append(zone)
        start = max(end, start + 1)
    return zones


def _sides(row: _Row, gutter: float) -> tuple[list[Line], list[Line]]:
    return [s for s in row.segments if s.box[2] <= gutter], [s for s in row.segments if s.box[0] >= gutter]


def _zone(rows: list[_Row], start: int, end: int, gutter: float, text_width: float) -> _Zone | None:
    """The two-column zone within the run ``rows[start:end]`` parted at ``gutter``, if any:
    from its first to its last row with text on both sides, and the rows after that keep
    to a column (left of the gutter, or centred on the right column)."""
    both = [i for i in range(start, end) if all(_sides(rows[i], gutter))]
    if not both:
        return None
    right_centres = [(s.box[0] + s.box[2]) / 2 for i in both for s in _sides(rows[i], gutter)[1]]
    centre = statistics.median(right_centres)

    def keeps_to_a_column(row: _Row) -> bool:
        lefts, rights = _sides(row, gutter)
        return not rights or (not lefts and all(abs((s.box[0] + s.box[2]) / 2 - centre) <= _CENTRED * text_width
                                                for s in rights))

    def runs_on(row: _Row, previous: _Row) -> bool:
        """A left column runs on line by line ("V/v" lines, "Nơi nhận" entries); a line after
        a gap, or the addressees' "Kính gửi", is the body's. A right column's name comes
        after the signature's space."""
        lefts, rights = _sides(row, gutter)
        if rights:
            return True
        return (row.top - previous.bottom <= _RUNS_ON * (row.bottom - row.top)
                and not _ADDRESSEES.match(_folded(lefts[0])))

    last = both[-1] + 1
    while last < end and keeps_to_a_column(rows[last]) and runs_on(rows[last], rows[last - 1]):
        last += 1
    # Above the first two-sided row: the signer's authority lines may be set higher than
    # the "Nơi nhận" row, or "Nơi nhận" and its first entries higher than the signer's
    # lines. The body's last short line, also left of the gutter, is not the closing's.
    above = both[0]
    while above > start and keeps_to_a_column(rows[above - 1]):
        above -= 1
    heads = [i for i in range(above, both[0]) if any(_CLOSING_LEFT.match(_folded(s)) for s in _sides(rows[i], gutter)[0])]
    first = heads[-1] if heads else both[0]
    while first > above and not _sides(rows[first - 1], gutter)[0]:
        first -= 1
    # One row with a wide gap (a blank left for a number) is no table of two columns.
    columns = [sum(1 for i in range(first, last) if _sides(rows[i], gutter)[side]) for side in (0, 1)]
    if last - first < 2 or max(columns) < 2:
        return None
    return _Zone(first, last, gutter)


def _zone_kind(rows: list[_Row], zone: _Zone, *, first_page: bool, height: float, first: bool) -> str:
    lefts = [s for row in rows[zone.start:zone.end] for s in _sides(row, zone.gutter)[0]]
    rights = [s for row in rows[zone.start:zone.end] for s in _sides(row, zone.gutter)[1]]
    if any(_CLOSING_LEFT.match(_folded(s)) for s in lefts) or any(_AUTHORITY.match(_folded(s)) for s in rights):
        return "closing"
    at_top = rows[zone.start].top < _HEADER_ZONE * height
    motto = any(_MOTTO.search(_folded(s)) for s in rights)
    if at_top and (motto or (first and first_page)):
        return "header"
    return "column"


# --- blocks in reading order ---------------------------------------------------------------


def _blocks(rows: list[_Row], zones: list[_Zone], tables: list[Block]) -> list[Block]:
    """Rows, zones and tables as blocks in reading order."""
    by_start = {zone.start: zone for zone in zones}
    in_zones = {i for zone in zones for i in range(zone.start, zone.end)}
    # The body's margins: where most of its lines start and end.
    plain_rows = [row for i, row in enumerate(rows) if i not in in_zones] or rows
    body_left = statistics.median(row.segments[0].box[0] for row in plain_rows) if plain_rows else 0.0
    body_right = statistics.median(row.segments[-1].box[2] for row in plain_rows) if plain_rows else 0.0
    # (top, order, block) items: a table goes in where its top lies among the rows.
    items: list[tuple[float, int, Block]] = [(t.box[1], 0, t) for t in tables]
    plain: list[tuple[_Row, BlockKind]] = []
    after_header = False
    i = 0

    def flush() -> None:
        # Consecutive plain rows of one kind make a block.
        while plain:
            kind = plain[0][1]
            run = []
            while plain and plain[0][1] == kind:
                run.append(plain.pop(0)[0])
            lines = [_line(r.segments, starts_paragraph=r.starts_paragraph) for r in run]
            items.append((run[0].top, len(items), Block(kind=kind, box=geometry.bounds(ln.box for ln in lines),
                                                        lines=lines)))

    table_tops = sorted(t.box[1] for t in tables)
    while i < len(rows):
        if table_tops and table_tops[0] <= rows[i].top:
            flush()  # a table parts the rows around it into two blocks
            while table_tops and table_tops[0] <= rows[i].top:
                table_tops.pop(0)
        if (zone := by_start.get(i)) is not None:
            flush()
            prefix = zone.kind
            for side, kind in ((0, f"{prefix}-left"), (1, f"{prefix}-right")):
                lines = [_line(segments) for r in rows[zone.start:zone.end] if (segments := _sides(r, zone.gutter)[side])]
                if lines:
                    box = geometry.bounds(ln.box for ln in lines)
                    items.append((rows[zone.start].top, len(items), Block(kind=kind, box=box, lines=lines)))
            after_header = zone.kind == "header"
            i = zone.end
            continue
        row = rows[i]
        unit = _height([w for s in row.segments for w in s.words])
        indents = row.segments[0].box[0] - body_left, body_right - row.segments[-1].box[2]
        text = fold(" ".join(s.text for s in row.segments)).strip()
        kind: BlockKind
        if _MARK.match(text) and _upper(" ".join(s.text for s in row.segments)):
            kind = "marks"
        elif after_header and min(indents) >= _TITLE_MARGIN * unit and abs(indents[0] - indents[1]) <= _TITLE_CENTRED * unit:
            kind = "title"
        else:
            kind, after_header = "body", False
        plain.append((row, kind))
        i += 1
    flush()
    return [block for _, _, block in sorted(items, key=lambda item: (item[0], item[1]))]

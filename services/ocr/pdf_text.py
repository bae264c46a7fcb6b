"""The text layer of a PDF, page by page (pdfplumber), and whether it can be trusted.

Vietnamese PDFs often draw tone marks as separate glyphs (combining characters) on a
raised or lowered baseline. pdfplumber then makes the marks a line of their own,
interleaved with the letters they belong to, and splits words where a mark sits. So
each combining mark is first attached to the letter under (or over) it, and lines are
clustered with a tolerance proportional to the font size rather than a fixed 3 pt. A
vertical gap of more than 1.6 line pitches starts a paragraph, like the paragraph
breaks in Tesseract's output. Each word keeps its box (points from the page's top
left), its font size and whether its font is bold; regions.py reads the form from them.

Ruled tables (a Kế hoạch's "Nội dung / Cơ quan chủ trì / Cơ quan phối hợp / Thời gian"
grid) would otherwise come out with the cells of a row interleaved line by line. A page
that draws lines is searched for tables (pdfplumber's line strategy); each table row
becomes one line "| cell | cell | ... |", a cell's own lines joined by spaces, in a
``table`` block set off from the text around it: the form the parse stage reads plan
tables in.
"""

from __future__ import annotations

import bisect
import dataclasses
import io
import re
import statistics
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTCurve
from pdfplumber.utils import cluster_objects, extract_words

from services.ocr import geometry, stamps
from vanthu.events import Block, Line, Word

_LINE_TOLERANCE = 0.45  # of the median font size: tone marks sit well within half an em
_MIN_LINE_TOLERANCE = 3.0  # pt, pdfplumber's default
_PARAGRAPH_GAP = 1.6  # line pitches
_CID = re.compile(r"\(cid:\d+\)")
_MIN_LATIN_WORDS = 0.9
# A letter against a digit inside a word ("Nguy6n", "D6ng", "ngdy 07ll"): an invisible OCR
# layer from an engine without Vietnamese writes tone-marked vowels as digits. Codes
# ("PC04", "C04-P6") are capitals or joined by punctuation and do not count.
_DIGIT_IN_WORD = re.compile(r"[^\W\d_][0-9]|[0-9][^\W\d_]")
_CODE_MARK = re.compile(r"[/.\-]")
_MAX_DIGIT_WORDS = 0.1  # of the words; a real text layer has at most a few percent (degrees, units)
_MIN_TABLE_STROKES = 4  # a grid of one cell has four sides; fewer strokes make no table

_VIETNAMESE_LETTERS = frozenset(
    unicodedata.normalize("NFC", base + mark)
    for base in "aăâeêioôơuưyAĂÂEÊIOÔƠUƯY"
    for mark in ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")
) | frozenset("đĐ")
_TYPOGRAPHY = frozenset("«»°§€–—")


class TextLayer:
    """The text layer of one PDF. Not thread-safe: one caller at a time.

    Opening never fails: a PDF that pdfminer cannot read (PDFium may still render
    it) simply has no text layer, and every page goes to OCR.
    """

    def __init__(self, data: bytes) -> None:
        self._data = data
        try:
            self._pdf: pdfplumber.PDF | None = pdfplumber.open(io.BytesIO(data), password="")
        except Exception:  # pdfminer raises a zoo of types on damaged files
            self._pdf = None

    def page(self, number: int) -> TextPage | None:
        """Page ``number`` (1-based): its lines and tables, NFC; ``None`` when unreadable.

        A header line whose number or day is blank in the text gets the digits a signing
        system stamped there (stamps.fill).
        """
        if self._pdf is None or number > len(self._pdf.pages):
            return None
        page = self._pdf.pages[number - 1]
        try:
            found = _page(page)
        except Exception:  # a broken content stream: the page is left to OCR
            return None
        finally:
            page.close()  # drops pdfplumber's per-page caches; a long PDF would otherwise keep them all
        return dataclasses.replace(found, lines=stamps.fill(found.lines, self._data, number, found.height))

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def _attach_marks(chars: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``chars`` with each combining mark appended to the text of its letter.

    The letter is the one horizontally nearest to the mark's centre among letters
    whose top lies within one font size of the mark's.
    """
    marks = [c for c in chars if c["text"] and unicodedata.combining(c["text"][0])]
    if not marks:
        return chars
    letters = sorted(
        (dict(c) for c in chars if not (c["text"] and unicodedata.combining(c["text"][0]))), key=lambda c: c["top"]
    )
    tops = [c["top"] for c in letters]
    for mark in marks:
        centre, top = (mark["x0"] + mark["x1"]) / 2, mark["top"]
        near = letters[bisect.bisect_left(tops, top - mark["size"]) : bisect.bisect_right(tops, top + mark["size"])]
        if near:
            letter = min(near, key=lambda c: (max(c["x0"] - centre, centre - c["x1"], 0.0), abs(c["top"] - top)))
            letter["text"] += mark["text"]
    return letters


def _glyphs(objects: Any, height: float) -> Iterator[dict[str, Any]]:
    for obj in objects:
        if isinstance(obj, LTChar):
            yield {
                "text": obj.get_text(),
                "x0": obj.x0,
                "x1": obj.x1,
                "top": height - obj.y1,
                "bottom": height - obj.y0,
                "doctop": height - obj.y1,
                "height": obj.height,
                "upright": obj.upright,
                "size": obj.size,
                "fontname": obj.fontname,
            }
        elif isinstance(obj, LTContainer):  # form XObjects
            yield from _glyphs(obj, height)


def _chars(page: pdfplumber.page.Page) -> list[dict[str, Any]]:
    """The page's glyphs as pdfplumber char dicts, with only the keys line building reads.

    ``page.chars`` resolves every attribute of every glyph (colours, fonts, marked
    content), about 70% of the time on a text page; building the geometry straight
    from pdfplumber's pdfminer layout makes the text layer twice as fast.
    """
    layout = page.layout
    return list(_glyphs(layout, layout.height))


def _strokes(objects: Any) -> int:
    """Drawn lines and rectangles on the page (LTLine and LTRect are LTCurves)."""
    count = 0
    for obj in objects:
        if isinstance(obj, LTCurve):
            count += 1
        elif isinstance(obj, LTContainer) and not isinstance(obj, LTChar):
            count += _strokes(obj)
    return count


Box = tuple[float, float, float, float]  # x0, top, x1, bottom


def _inside(char: dict[str, Any], box: Box) -> bool:
    x, y = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


@dataclass(frozen=True)
class TextPage:
    """One page of the text layer: its size in points, its free lines top to bottom (a
    line that starts a paragraph after a wide gap says so) and its ruled tables, each a
    ``table`` block of ``| cell | ... |`` rows."""

    width: float
    height: float
    lines: list[Line]
    tables: list[Block]

    @property
    def text(self) -> str:
        """Every line and table row, top to bottom (what :func:`unusable` judges)."""
        rows = sorted([*self.lines, *(row for table in self.tables for row in table.lines)], key=lambda line: line.box[1])
        return "\n".join(line.text for line in rows)


def _word(word: dict[str, Any]) -> Word:
    chars = word["chars"]
    return Word(
        text=unicodedata.normalize("NFC", word["text"]),
        box=(round(word["x0"], 1), round(word["top"], 1), round(word["x1"], 1), round(word["bottom"], 1)),
        size=round(max(c["size"] for c in chars), 1),
        bold=sum("bold" in c["fontname"].lower() for c in chars) * 2 > len(chars),
    )


def _lines(chars: list[dict[str, Any]], tolerance: float) -> list[Line]:
    """The lines of ``chars``, top to bottom, each one's words left to right."""
    if not chars:
        return []
    words = extract_words(chars, return_chars=True, y_tolerance=tolerance)
    lines = [geometry.line_of([_word(w) for w in sorted(line, key=lambda w: w["x0"])])
             for line in cluster_objects(words, "top", tolerance)]
    return sorted(lines, key=lambda line: line.box[1])


def _tables(page: pdfplumber.page.Page, chars: list[dict[str, Any]], tolerance: float) -> list[Block]:
    """Each ruled table on ``page`` as a ``table`` block, one ``| cell | ... |`` line per row."""
    if _strokes(page.layout) < _MIN_TABLE_STROKES:
        return []  # find_tables would make pdfplumber resolve every object of a plain text page
    tables = []
    for table in page.find_tables():
        rows = []
        for row in table.rows:
            cells = [_lines([c for c in chars if _inside(c, cell)], tolerance) if cell else [] for cell in row.cells]
            words = [w for cell in cells for line in cell for w in line.words]
            if words:
                text = "| " + " | ".join(" ".join(line.text for line in cell) for cell in cells) + " |"
                rows.append(Line(text=text, box=geometry.bounds(w.box for w in words), words=words))
        if rows:
            tables.append(Block(kind="table", box=tuple(round(v, 1) for v in table.bbox), lines=rows))
    return tables


def _page(page: pdfplumber.page.Page) -> TextPage:
    chars = _attach_marks(_chars(page))
    width, height = round(float(page.width), 1), round(float(page.height), 1)
    if not chars:
        return TextPage(width, height, [], [])
    size = statistics.median(c["size"] for c in chars)
    tolerance = max(_MIN_LINE_TOLERANCE, _LINE_TOLERANCE * size)
    tables = _tables(page, chars, tolerance)
    free = [c for c in chars if not any(_inside(c, table.box) for table in tables)]
    lines = _lines(free, tolerance)
    tops = [line.box[1] for line in lines]
    pitch = statistics.median(b - a for a, b in zip(tops, tops[1:], strict=False)) if len(tops) > 1 else 0.0
    # A gap of more than _PARAGRAPH_GAP line pitches ends a paragraph, as a blank line does in Tesseract's output.
    lines = [
        line.model_copy(update={"starts_paragraph": True}) if i and pitch and tops[i] - tops[i - 1] > _PARAGRAPH_GAP * pitch
        else line
        for i, line in enumerate(lines)
    ]
    return TextPage(width, height, lines, tables)


def _latin_word(word: str) -> bool:
    return all(c.isascii() or c in _VIETNAMESE_LETTERS or c in _TYPOGRAPHY or "\u2000" <= c <= "\u206f" for c in word)


def unusable(text: str, min_chars: int) -> str | None:
    """Why ``text`` cannot stand for its page, or ``None`` when it can.

    Unusable: fewer than ``min_chars`` non-space characters once ``(cid:NN)`` codes
    (glyphs without a Unicode mapping) are dropped, or fewer than 90% of its words
    written in Vietnamese/Latin letters -- which catches unmapped glyphs, replacement
    characters, private-use code points and legacy 8-bit Vietnamese fonts (TCVN3,
    VNI) whose text comes out as Latin-1 soup ("Céng hßa x· héi"); or more than 10% of
    its words with digits among their letters ("Ldm D6ng, ngdy"), an OCR layer that lost
    the tone marks, which Tesseract reads better from the image.
    """
    words = text.split()
    cids = sum(len(_CID.findall(w)) for w in words)
    chars = sum(len(c) for c in _CID.sub("", text).split())
    if chars < min_chars:
        return f"text layer has {chars} characters" + (f" and {cids} unmapped glyphs" if cids else "")
    latin = sum(1 for w in words if not _CID.search(w) and _latin_word(w))
    if latin < _MIN_LATIN_WORDS * len(words):
        return f"text layer does not read as Vietnamese/Latin ({latin} of {len(words)} words)"
    mixed = sum(1 for w in words if _DIGIT_IN_WORD.search(w) and not w.isupper() and not _CODE_MARK.search(w))
    if mixed > _MAX_DIGIT_WORDS * len(words):
        return f"text layer writes letters as digits ({mixed} of {len(words)} words): an OCR layer without tone marks"
    return None


def clean(page: TextPage) -> TextPage:
    """Usable ``page`` without its stray ``(cid:NN)`` codes (symbols such as bullets);
    a word or line left empty goes."""

    def words(line: Line) -> list[Word]:
        return [w.model_copy(update={"text": t}) for w in line.words if (t := _CID.sub("", w.text))]

    lines = [geometry.line_of(ws, starts_paragraph=line.starts_paragraph) for line in page.lines if (ws := words(line))]
    tables = [
        table.model_copy(update={"lines": [row.model_copy(update={"text": _CID.sub("", row.text), "words": words(row)})
                                           for row in table.lines]})
        for table in page.tables
    ]
    return TextPage(page.width, page.height, lines, tables)

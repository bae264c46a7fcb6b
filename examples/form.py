"""Lay a directive out on the real form, as a born-digital A4 PDF.

The form is that of Decree 30/2020/NĐ-CP Appendix I (state bodies) and Guideline
36-HD/VPTW (Party bodies): a two-column header table (left: parent body, the issuer in
bold over a short rule, the number, a công văn's "V/v" trích yếu, urgency and secrecy
marks; right: the motto "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" / "Độc lập - Tự do - Hạnh
phúc" over a rule, or "ĐẢNG CỘNG SẢN VIỆT NAM", then the italic place and date on the
row of the number), the centred bold type title and trích yếu, "Kính gửi", the body in
a Times-like serif, and a two-column closing table (left: "Nơi nhận:" in bold italic
over 11 pt entries; right: authority lines, the title, room for the signature, the name
in bold). Pages after the first carry their number at the top centre.

:func:`render_form` returns the PDF together with where things landed (the signature
space, the blank before the number's "/", ...), which scans (examples/scan.py) use to
draw seals, signatures, stamps and handwriting, and the text drawn in reading order
(each header and closing column whole, left before right), the reference a reader of
the PDF should give back.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# Liberation 2 (metric-compatible with Times New Roman) and DejaVu carry Vietnamese
# glyphs; Liberation 1 does not (Tesseract then reads garbage).
_FONT_FILES = [
    ("/usr/share/fonts/truetype/liberation2/LiberationSerif-", ("Regular", "Bold", "Italic", "BoldItalic")),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSerif", ("", "-Bold", "-Italic", "-BoldItalic")),
]
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "VanthuSerif", "VanthuSerif-Bold", "VanthuSerif-Italic", "VanthuSerif-BoldItalic"

PAGE_WIDTH, PAGE_HEIGHT = A4
# Decree 30/2020 Appendix I margins: top and bottom 20-25 mm, left 30-35 mm, right 15-20 mm.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 85.0, 57.0, 57.0, 57.0
TEXT_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
# The header table is a little wider than the text and split about 2:3.
_HEADER_X0, _HEADER_X1 = MARGIN_LEFT - 20.0, PAGE_WIDTH - MARGIN_RIGHT + 10.0
_HEADER_SPLIT = _HEADER_X0 + 0.4 * (_HEADER_X1 - _HEADER_X0)
_CLOSING_SPLIT = MARGIN_LEFT + 0.45 * TEXT_WIDTH
_SIGNATURE_SPACE = 84.0  # pt from the line under the title to the name's baseline: about 3 cm

MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
PARTY_MOTTO = "ĐẢNG CỘNG SẢN VIỆT NAM"

Box = tuple[int, float, float, float, float]
"""(page index, x0, top, x1, bottom) in points, measured from the page's top left."""


@dataclass
class Form:
    """The printed parts of a directive. Every text is as printed (NFC, no markdown).

    ``number`` is the số và ký hiệu without "Số" ("123/QĐ-UBND"; "/TB-UBND" when the
    sequence is left blank to be written by hand). ``subject`` is the trích yếu: under
    the type title, or, for a công văn (no ``type_title``), under the number, where it
    usually starts with "V/v". ``body`` holds paragraphs; "" is a blank line.
    ``distribution`` holds the "Nơi nhận" lines as printed ("- Như Điều 3;"). In ``body``
    and ``appendix`` (paragraphs set after the signature, from a new page: an annex's
    plan table), consecutive ``| cell | cell |`` lines are a ruled table, the first its
    header row (a markdown ``|---|`` rule under it is dropped).
    """

    issuer: list[str] = field(default_factory=list)
    number: str = ""
    dateline: str = ""
    parent: list[str] = field(default_factory=list)
    party: bool = False
    type_title: str = ""
    subject: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    authority: list[str] = field(default_factory=list)
    title: str = ""
    signer: str = ""
    urgency: str = ""
    secrecy: str = ""
    appendix: list[str] = field(default_factory=list)

    @property
    def has_header(self) -> bool:
        return bool(self.issuer or self.parent or self.number or self.dateline or (self.subject and not self.type_title))


@dataclass
class Drawn:
    """A rendered form: the PDF, the text in reading order, and where things are.

    ``boxes`` names: "header_left", "header_right", "number_blank" (where a clerk writes
    the sequence number, before the "/"), "title", "signature" (the space between the
    signer's title and name), "signer_name", "closing_left" -- each present when drawn.
    """

    pdf: bytes
    text: str
    pages: int
    boxes: dict[str, Box]
    seal: str  # the name a seal of the issuer carries


_REGISTERED: dict[str, str] = {}  # font name -> its file


def register_fonts() -> str:
    """Register the serif family (regular, bold, italic, bold italic); the regular's name."""
    if _REGISTERED:
        return REGULAR
    for prefix, styles in _FONT_FILES:
        files = [f"{prefix}{style}.ttf" for style in styles]
        if all(Path(f).exists() for f in files):
            for name, path in zip((REGULAR, BOLD, ITALIC, BOLD_ITALIC), files, strict=True):
                pdfmetrics.registerFont(TTFont(name, path))
                _REGISTERED[name] = path
            pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
            return REGULAR
    raise RuntimeError("no serif font with Vietnamese glyphs: install fonts-liberation2 or fonts-dejavu-core")


def font_file(name: str) -> str:
    """The TrueType file of the family's font ``name`` (REGULAR, BOLD, ...), for drawing on images."""
    register_fonts()
    return _REGISTERED[name]


def wrap(line: str, font: str, size: float, width: float) -> Iterator[str]:
    """``line`` broken at spaces into pieces no wider than ``width`` (a longer word stands alone)."""
    current = ""
    for word in line.split(" "):
        candidate = f"{current} {word}" if current else word
        if pdfmetrics.stringWidth(candidate, font, size) <= width or not current:
            current = candidate
        else:
            yield current
            current = word
    yield current


@dataclass
class _Line:
    text: str
    font: str
    size: float
    rule: float = 0.0  # a rule under the line, this fraction of the line's width


class _Page:
    """The canvas, the current page and the reading-order text drawn so far."""

    def __init__(self, page_numbers: bool) -> None:
        self.buf = io.BytesIO()
        self.pdf = canvas.Canvas(self.buf, pagesize=A4, invariant=True)
        self.index = 0
        self.page_numbers = page_numbers
        self.text: list[str] = []
        self.boxes: dict[str, Box] = {}

    def new_page(self) -> float:
        """Start the next page; the baseline space left at its top."""
        self.pdf.showPage()
        self.index += 1
        if self.page_numbers:  # Decree 30: page numbers at the top centre from page 2
            self.pdf.setFont(REGULAR, 13)
            self.pdf.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 35, str(self.index + 1))
        return PAGE_HEIGHT - MARGIN_TOP

    def draw(self, text: str, font: str, size: float, x: float, y: float, align: str = "left") -> tuple[float, float]:
        """Draw one line with its baseline at ``y``, from ``x`` or centred on it; (x0, x1) of what was drawn."""
        width = pdfmetrics.stringWidth(text, font, size)
        x0 = x - width / 2 if align == "centre" else x
        self.pdf.setFont(font, size)
        self.pdf.drawString(x0, y, text)
        if text:
            self.text.append(text)
        return x0, x0 + width

    def rule(self, x0: float, x1: float, y: float) -> None:
        self.pdf.setLineWidth(0.6)
        self.pdf.line(x0, y, x1, y)

    def box(self, name: str, x0: float, top: float, x1: float, bottom: float) -> None:
        """Record ``name``'s box; ``top`` and ``bottom`` in PDF units (from the page's foot)."""
        self.boxes[name] = (self.index, x0, PAGE_HEIGHT - top, x1, PAGE_HEIGHT - bottom)

    def column(self, lines: list[_Line], x0: float, x1: float, y: float) -> float:
        """Draw ``lines`` centred in [x0, x1] from baseline ``y``; the baseline after the last."""
        centre = (x0 + x1) / 2
        for line in lines:
            lx0, lx1 = self.draw(line.text, line.font, line.size, centre, y, "centre")
            if line.rule:
                half = (lx1 - lx0) * line.rule / 2
                self.rule(centre - half, centre + half, y - 5)
            y -= _height(line)
        return y


def _height(line: _Line) -> float:
    return line.size * 1.2 + (4 if line.rule else 0)


_BLANK_SEQUENCE = " " * 14  # the space left for a number written by hand


def _number_label(form: Form) -> str:
    return "Số " if form.party else "Số: "  # Guideline 36 prints no colon


def _number_line(form: Form) -> str:
    number = _BLANK_SEQUENCE + form.number if form.number[:1] in ("/", "-") else form.number
    return _number_label(form) + number


def _header_left(form: Form, width: float) -> tuple[list[_Line], list[_Line]]:
    """The left column's lines above the number row, and those from it on."""
    above = [_Line(t, REGULAR, 13) for t in form.parent]
    above += [_Line(t, BOLD, 13) for part in form.issuer for t in wrap(part, BOLD, 13, width)]
    if above:
        if form.party:
            above.append(_Line("*", REGULAR, 13))
        else:
            above[-1].rule = 0.4
    below = [_Line(_number_line(form), REGULAR, 13)] if form.number else []
    if not form.type_title:
        below += [_Line(t, REGULAR, 12) for s in form.subject for t in wrap(s, REGULAR, 12, width)]
    below += [_Line(mark, BOLD, 13) for mark in (form.urgency, form.secrecy) if mark]
    return above, below


def _header_right(form: Form) -> list[_Line]:
    if form.party:
        return [_Line(PARTY_MOTTO, BOLD, 13, rule=1.0)]
    return [_Line(MOTTO[0], BOLD, 12), _Line(MOTTO[1], BOLD, 13, rule=1.0)]


def _draw_header(page: _Page, form: Form, y: float) -> float:
    """The header table from baseline ``y``; the baseline below it."""
    above, below = _header_left(form, _HEADER_SPLIT - _HEADER_X0 - 10)
    right = _header_right(form)
    # The number and the place/date share a row, below the taller of the two columns' tops.
    row = y - max(sum(map(_height, above)), sum(map(_height, right))) - 6
    page.column(above, _HEADER_X0, _HEADER_SPLIT, y)
    left_end = page.column(below, _HEADER_X0, _HEADER_SPLIT, row)
    if form.number:
        _mark_number_blank(page, form, row)
    page.box("header_left", _HEADER_X0, y + 12, _HEADER_SPLIT, left_end + 8)
    right_end = page.column(right, _HEADER_SPLIT, _HEADER_X1, y)
    if form.dateline:
        page.draw(form.dateline, ITALIC, 13, (_HEADER_SPLIT + _HEADER_X1) / 2, row, "centre")
        right_end = row - 13 * 1.2
    page.box("header_right", _HEADER_SPLIT, y + 12, _HEADER_X1, right_end + 8)
    return min(left_end, right_end) - 10


def _mark_number_blank(page: _Page, form: Form, row: float) -> None:
    """Record the span of the number's sequence (where it is printed or written by hand)."""
    text = _number_line(form)
    label = _number_label(form)
    rest = text[len(label) :]
    sequence = rest[: len(rest) - len(rest.lstrip(" 0123456789"))]
    if sequence:
        x0 = (_HEADER_X0 + _HEADER_SPLIT) / 2 - pdfmetrics.stringWidth(text, REGULAR, 13) / 2
        start = x0 + pdfmetrics.stringWidth(label, REGULAR, 13)
        page.box("number_blank", start, row + 13, start + pdfmetrics.stringWidth(sequence, REGULAR, 13), row - 4)


def blank_number(number: str) -> str:
    """``number`` without its sequence, as printed for a clerk to write it in by hand
    (the form leaves a gap for it): "2463/QĐ-UBND" -> "/QĐ-UBND", "215-CV/TU" -> "-CV/TU"."""
    return number.lstrip("0123456789 ")


def _draw_title(page: _Page, form: Form, y: float) -> float:
    centre = MARGIN_LEFT + TEXT_WIDTH / 2
    top = y + 14
    if form.type_title:
        page.draw(form.type_title, BOLD, 14, centre, y, "centre")
        y -= 14 * 1.3
        lines = [t for s in form.subject for t in wrap(s, BOLD, 14, TEXT_WIDTH - 40)]
        for text in lines:
            page.draw(text, BOLD, 14, centre, y, "centre")
            y -= 14 * 1.3
        page.rule(centre - 50, centre + 50, y + 14 * 1.3 - 9)
        page.box("title", MARGIN_LEFT, top, MARGIN_LEFT + TEXT_WIDTH, y)
        y -= 8
    return y


def _draw_recipients(page: _Page, form: Form, y: float, size: float, pitch: float) -> float:
    if not form.recipients:
        return y
    label = "Kính gửi:"
    if len(form.recipients) == 1:
        text = f"{label} {form.recipients[0]}"
        page.draw(text, REGULAR, size, MARGIN_LEFT + TEXT_WIDTH / 2, y, "centre")
        return y - pitch * 1.5
    x = MARGIN_LEFT + 0.15 * TEXT_WIDTH
    indent = x + pdfmetrics.stringWidth(label + " ", REGULAR, size)
    page.draw(label, REGULAR, size, x, y, "left")
    for entry in form.recipients:
        for text in wrap(entry, REGULAR, size, MARGIN_LEFT + TEXT_WIDTH - indent):
            page.draw(text, REGULAR, size, indent, y, "left")
            y -= pitch
    return y - pitch * 0.5


def _closing_columns(form: Form) -> tuple[list[tuple[str, str, float]], list[tuple[str, str, float]]]:
    left_width = _CLOSING_SPLIT - MARGIN_LEFT
    left = [("Nơi nhận:", BOLD_ITALIC, 12.0)] if form.distribution else []
    left += [(t, REGULAR, 11.0) for entry in form.distribution for t in wrap(entry, REGULAR, 11, left_width - 6)]
    right = [(t, BOLD, 13.0) for t in form.authority]
    if form.title:
        right.append((form.title, BOLD, 13.0))
    return left, right


def _draw_closing(page: _Page, form: Form, y: float) -> None:
    left, right = _closing_columns(form)
    if not (left or right or form.signer):
        return
    left_height = sum(size * 1.2 for _, _, size in left)
    right_height = sum(size * 1.2 for _, _, size in right) + _SIGNATURE_SPACE + 16
    if y - max(left_height, right_height) < MARGIN_BOTTOM:
        y = page.new_page()
    y -= 6
    top = y
    for text, font, size in left:
        page.draw(text, font, size, MARGIN_LEFT, y, "left")
        y -= size * 1.2
    if left:
        page.box("closing_left", MARGIN_LEFT, top + 12, _CLOSING_SPLIT, y + 8)
    centre = (_CLOSING_SPLIT + MARGIN_LEFT + TEXT_WIDTH) / 2
    y = top
    for text, font, size in right:
        page.draw(text, font, size, centre, y, "centre")
        y -= size * 1.2
    # The free space between the title's descenders and the name's capitals.
    page.box("signature", _CLOSING_SPLIT, y + 13 * 1.2 - 4, MARGIN_LEFT + TEXT_WIDTH, y - _SIGNATURE_SPACE + 11)
    y -= _SIGNATURE_SPACE
    if form.signer:
        x0, x1 = page.draw(form.signer, BOLD, 13, centre, y, "centre")
        page.box("signer_name", x0, y + 11, x1, y - 3)


_TABLE_ROW = re.compile(r"^\s*\|(?:[^|]*\|){2,}\s*$")  # "| a | b |": two cells at least
_TABLE_RULE = re.compile(r"^[\s|:-]+$")  # a markdown table's "|---|---|" line
_CELL_PAD = 3.0  # pt between a cell's rules and its text
_TABLE_RULE_WIDTH = 0.6


def _draw_body(page: _Page, paragraphs: list[str], y: float, font_size: float, pitch: float) -> float:
    """Draw ``paragraphs`` from baseline ``y``, a run of ``| cell |`` lines as a ruled table;
    the baseline after them."""
    i = 0
    while i < len(paragraphs):
        if _TABLE_ROW.match(paragraphs[i]):
            end = i
            while end < len(paragraphs) and _TABLE_ROW.match(paragraphs[end]):
                end += 1
            rows = [_cells(p) for p in paragraphs[i:end] if not _TABLE_RULE.match(p)]
            y = _draw_table(page, rows, y, font_size - 1)
            i = end
            continue
        stripped = paragraphs[i].strip()
        # A paragraph's first line is indented 1 cm, except list items and headings.
        indent = 28.0 if stripped and not re.match(r"[-+•*]|[\dIVX]+[.)]|[a-zđ]\)", stripped) else 0.0
        lines = list(wrap(stripped, REGULAR, font_size, TEXT_WIDTH - indent)) if stripped else [""]
        for n, text in enumerate(lines):
            if y < MARGIN_BOTTOM:
                y = page.new_page()
            page.draw(text, REGULAR, font_size, MARGIN_LEFT + (indent if n == 0 else 0.0), y, "left")
            y -= pitch
        i += 1
    return y


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def _column_widths(rows: list[list[str]], font: str, size: float) -> list[float]:
    """Widths sharing the text width: a column gets what its longest cell needs (at least
    a short word's room), long columns shrinking alike until the table fits."""
    columns = max(len(row) for row in rows)
    need = [max((pdfmetrics.stringWidth(row[c], font, size) if c < len(row) else 0.0) for row in rows) + 2 * _CELL_PAD
            for c in range(columns)]
    least = [min(n, max(28.0, max((pdfmetrics.stringWidth(w, font, size) for row in rows if c < len(row)
                                   for w in row[c].split()), default=0.0) + 2 * _CELL_PAD)) for c, n in enumerate(need)]
    # Cap the widest columns at a common width so that the total is the text width.
    lo, hi = 0.0, max(need)
    for _ in range(40):
        cap = (lo + hi) / 2
        if sum(max(min(n, cap), m) for n, m in zip(need, least, strict=True)) > TEXT_WIDTH:
            hi = cap
        else:
            lo = cap
    widths = [max(min(n, lo), m) for n, m in zip(need, least, strict=True)]
    spare = TEXT_WIDTH - sum(widths)
    return [w + spare * w / sum(widths) for w in widths]  # a table fills the text width


def _draw_table(page: _Page, rows: list[list[str]], y: float, size: float) -> float:
    """A ruled table: a grid of 0.6 pt rules, the first row in bold, each cell's text
    wrapped in it, a row that does not fit on the page moved whole to the next (which
    then draws its own top rule); the baseline after it. Each row's text goes to the
    reading-order text as a ``| cell | ... |`` line."""
    if not rows:
        return y
    widths = _column_widths(rows, REGULAR, size)
    pitch = size * 1.2
    top = y + size  # the first rule sits a line's ascent above the baseline
    page.pdf.setLineWidth(_TABLE_RULE_WIDTH)
    edges = [MARGIN_LEFT + sum(widths[:c]) for c in range(len(widths) + 1)]
    page_top = top
    for r, row in enumerate(rows):
        font = BOLD if r == 0 else REGULAR
        cells = [list(wrap(cell, font, size, w - 2 * _CELL_PAD)) if cell else [] for cell, w in zip(row, widths)]
        height = max(len(lines) for lines in cells) * pitch + 2 * _CELL_PAD
        if top - height < MARGIN_BOTTOM:
            if r:  # close the part drawn on this page
                page.pdf.line(edges[0], top, edges[-1], top)
                _draw_verticals(page, edges, page_top, top)
            top = page_top = page.new_page() + size
        page.pdf.setLineWidth(_TABLE_RULE_WIDTH)
        page.pdf.line(edges[0], top, edges[-1], top)
        for c, lines in enumerate(cells):
            baseline = top - _CELL_PAD - size
            for text in lines:
                x = (edges[c] + edges[c + 1]) / 2 if r == 0 else edges[c] + _CELL_PAD
                page.pdf.setFont(font, size)
                if r == 0:
                    page.pdf.drawCentredString(x, baseline, text)
                else:
                    page.pdf.drawString(x, baseline, text)
                baseline -= pitch
        page.text.append("| " + " | ".join(" ".join(lines) for lines in cells) + " |")
        top -= height
    page.pdf.line(edges[0], top, edges[-1], top)
    _draw_verticals(page, edges, page_top, top)
    return top - 2 * size


def _draw_verticals(page: _Page, edges: list[float], top: float, bottom: float) -> None:
    page.pdf.setLineWidth(_TABLE_RULE_WIDTH)
    for x in edges:
        page.pdf.line(x, top, x, bottom)


def render_form(form: Form, *, font_size: float = 13, leading: float = 1.35, page_numbers: bool = True) -> Drawn:
    """``form`` as a born-digital A4 PDF: the body in ``font_size`` pt, ``leading`` times
    that from one baseline to the next; the header, title and closing in the form's sizes."""
    register_fonts()
    page = _Page(page_numbers)
    pitch = leading * font_size
    y = PAGE_HEIGHT - MARGIN_TOP
    if form.has_header:
        y = _draw_header(page, form, y - 12)
    y = _draw_title(page, form, y - 12 if form.has_header else y)
    y = _draw_recipients(page, form, y, font_size, pitch)
    y = _draw_body(page, form.body, y, font_size, pitch)
    _draw_closing(page, form, y)
    if form.appendix:
        _draw_body(page, form.appendix, page.new_page(), font_size, pitch)
    page.pdf.save()
    return Drawn(page.buf.getvalue(), "\n".join(page.text), page.index + 1, page.boxes, _seal_name(form))


def _seal_name(form: Form) -> str:
    """The issuer's name, or else the body the first authority line signs for ("T/M BAN THƯỜNG VỤ")."""
    if form.issuer:
        return " ".join(form.issuer)
    for line in form.authority:
        return re.sub(r"^\S+\.?\s+", "", line)
    return form.title

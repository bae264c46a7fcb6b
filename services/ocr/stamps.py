"""The number and day that a signing system stamps into the blanks of a born-digital PDF.

E-signing systems fill a document's number and day in when it is signed: the text
layer keeps the form's blanks ("Số: /UBND-KT", "Lào Cai, ngày tháng năm 2026") and
the digits are drawn over them by annotations (signature widgets, FreeText, stamps)
whose appearance streams pdfplumber does not read. PDFium does: flattening a page
draws every annotation's appearance into the page's own content, and the glyphs the
flattening adds are the stamp's. Only pages whose header lines have such a blank pay
for this (a private copy of the document is opened, so the renderer's stays intact),
and only stamped words that sit on a line with a blank are taken, so a signature
widget's printed signer name never doubles the signature block. The same reading
gives the lines a scanned page's annotations draw (annotation_lines): the portal's
e-signature overlay, evidence of the signing time.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from services.ocr import geometry
from services.ocr.raster import _PDFIUM  # every PDFium call in the process holds raster's lock
from vanthu.events import Box, Line, Word
from vanthu.normalize import fold

# A blank of the form (Decree 30/2020/NĐ-CP, Guideline 36-HD/VPTW): "Số: /UBND-KT"
# (no registration number before the symbol), "ngày tháng ..." or "tháng năm ..."
# (no day, no month). Matched on folded text, so damaged tone marks still match.
_BLANK = re.compile(r"\bso\s*:?\s*/|\bngay\s*(?:\.|…|\s)*thang\b|\bthang\s*(?:\.|…|\s)*nam\b")
_HEADER = 0.4  # of the page height: the number and date lines sit in the header
_GLUE = 0.3  # of the font size: glyphs further apart than this are separate words

Glyph = tuple[str, int, int]  # text, rounded left and top: a glyph's identity on its page


def blank(text: str) -> bool:
    """Whether a line reads as a form line with its number or day/month left blank."""
    return _BLANK.search(fold(text)) is not None


def fill(lines: list[Line], document: bytes, number: int, height: float) -> list[Line]:
    """``lines`` (page ``number`` of PDF ``document``, top to bottom) with the stamped
    words put into the header lines whose blanks they fill, in reading order; each such
    word is marked ``stamped``. Lines without a blank in the header come back as they are.
    """
    targets = [i for i, line in enumerate(lines) if line.box[1] < _HEADER * height and blank(line.text)]
    if not targets:
        return lines
    stamped = _annotation_words(document, number, height)
    if not stamped:
        return lines
    filled = list(lines)
    for i in targets:
        top, bottom = lines[i].box[1], lines[i].box[3]
        mine = [w for w in stamped if _overlap(w.box, top, bottom)]
        if mine:
            filled[i] = _merged(lines[i], mine)
    return filled


def _overlap(box: Box, top: float, bottom: float) -> bool:
    """Whether ``box`` shares at least half its height with the band ``top``-``bottom``
    (stamped digits are often raised, so their boxes stick out of the line)."""
    shared = min(box[3], bottom) - max(box[1], top)
    return shared >= 0.5 * (box[3] - box[1])


def _merged(line: Line, stamped: list[Word]) -> Line:
    """``line`` with the ``stamped`` words among its own, left to right.

    A stamped number joins the symbol after it ("2496" + "/UBND-KT" is "2496/UBND-KT",
    as the form writes it). A printed word that a stamp covers (a template's pre-typed
    month left under the stamped one) gives way to the stamp: the stamp is the value
    the signing system filled in, drawn over what was there.
    """
    kept = [w for w in line.words if not any(_covers(s.box, w.box) for s in stamped)]
    words = sorted([*kept, *stamped], key=lambda w: w.box[0])
    joined: list[Word] = []
    for word in words:
        prev = joined[-1] if joined else None
        if prev is not None and prev.stamped and not word.stamped and word.text.startswith("/"):
            joined[-1] = word.model_copy(update={
                "text": prev.text + word.text, "box": geometry.bounds([prev.box, word.box]), "stamped": True})
        else:
            joined.append(word)
    return geometry.line_of(joined, starts_paragraph=line.starts_paragraph)


def _covers(stamp: Box, word: Box) -> bool:
    """Whether ``stamp`` lies over at least half of ``word``'s width."""
    shared = min(stamp[2], word[2]) - max(stamp[0], word[0])
    return shared >= 0.5 * (word[2] - word[0])


def annotation_lines(document: bytes, number: int, height: float) -> list[Line]:
    """The lines of text that page ``number``'s annotations draw, top to bottom (boxes in
    points from the top left): on a scanned page, the portal's e-signature overlay ("Ký
    bởi: ... Thời gian ký: ...") is often such an annotation, not part of the image."""
    lines: list[list[Word]] = []
    for word in sorted(_annotation_words(document, number, height), key=lambda w: w.box[0]):
        line = next((line for line in lines if _continues(line[-1], word)), None)
        if line is None:
            lines.append([word])
        else:
            line.append(word)
    return sorted((geometry.line_of(words) for words in lines), key=lambda line: line.box[1])


def _continues(last: Word, word: Word) -> bool:
    """Whether ``word`` goes on the line that ``last`` ends: level with it and near it (two
    overlays side by side make two columns of lines, not one line)."""
    centre, unit = (word.box[1] + word.box[3]) / 2, last.box[3] - last.box[1]
    return last.box[1] <= centre <= last.box[3] and -_GLUE * unit <= word.box[0] - last.box[2] < 2 * unit


def wrapped(seeds: list[Line], lines: list[Line]) -> list[Line]:
    """``seeds`` and the ``lines`` they run on into, top to bottom: a line under or over
    one taken, less than a line's height away and in the same column, is taken too."""
    taken = list(seeds)
    grown = True
    while grown:
        grown = False
        for line in lines:
            if line not in taken and any(_next_to(line.box, t.box) for t in taken):
                taken.append(line)
                grown = True
    return sorted(taken, key=lambda line: line.box[1])


def _next_to(a: Box, b: Box) -> bool:
    gap = max(a[1] - b[3], b[1] - a[3])
    return gap < min(a[3] - a[1], b[3] - b[1]) and a[0] < b[2] and b[0] < a[2]


def _annotation_words(document: bytes, number: int, height: float) -> list[Word]:
    """The words that page ``number``'s annotations draw (boxes in points from the top left)."""
    with _PDFIUM:
        try:
            pdf = pdfium.PdfDocument(document)
        except pdfium.PdfiumError:  # pdfplumber read what PDFium cannot: no stamps to find
            return []
        try:
            return _flattened_words(pdf, number, height)
        finally:
            pdf.close()


def _flattened_words(pdf: pdfium.PdfDocument, number: int, height: float) -> list[Word]:
    """The words that flattening page ``number`` of ``pdf`` adds to it (``pdf`` is changed)."""
    page = pdf[number - 1]
    try:
        if pdfium_c.FPDFPage_GetAnnotCount(page) == 0:
            return []
        before = Counter(g for g, _, _ in _glyphs(page, height))
        if pdfium_c.FPDFPage_Flatten(page, pdfium_c.FLAT_NORMALDISPLAY) != pdfium_c.FLATTEN_SUCCESS:
            return []
    finally:
        page.close()
    page = pdf[number - 1]  # PDFium reads the flattened content only into a page loaded anew
    try:
        glyphs = _glyphs(page, height)
    finally:
        page.close()
    added = []
    for glyph, box, size in glyphs:
        if before[glyph]:
            before[glyph] -= 1  # the page's own glyph
        else:
            added.append((glyph[0], box, size))
    return _words(added)


def _glyphs(page: pdfium.PdfPage, height: float) -> list[tuple[Glyph, Box, float]]:
    """Each glyph of ``page`` in content order: its identity, its box (points from the
    top left) and its font size."""
    textpage = page.get_textpage()
    try:
        glyphs = []
        for i in range(textpage.count_chars()):
            text = textpage.get_text_range(i, 1)
            left, bottom, right, top = textpage.get_charbox(i)
            box = (round(left, 1), round(height - top, 1), round(right, 1), round(height - bottom, 1))
            size = pdfium_c.FPDFText_GetFontSize(textpage, i)
            glyphs.append(((text, round(left), round(height - top)), box, size))
        return glyphs
    finally:
        textpage.close()


def _words(glyphs: list[tuple[str, Box, float]]) -> list[Word]:
    """Consecutive non-blank glyphs as words, split at spaces, line breaks and gaps."""
    words: list[Word] = []
    run: list[tuple[str, Box, float]] = []

    def close() -> None:
        if run:
            text = unicodedata.normalize("NFC", "".join(t for t, _, _ in run))
            words.append(Word(text=text, box=geometry.bounds(b for _, b, _ in run),
                              size=round(max(s for _, _, s in run), 1), stamped=True))
            run.clear()

    for text, box, size in glyphs:
        if not text.strip():
            close()
            continue
        if run and abs(box[0] - run[-1][1][2]) >= _GLUE * size:
            close()
        run.append((text, box, size))
    close()
    return words

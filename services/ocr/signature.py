"""The signer's name under a seal and a signature, read again when the page reading lost it.

Decree 30/2020 (Appendix I) sets the signature block under the closing's right column:
authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), the title, the space for the
signature (where the red seal lands, a third of it over the title), then the name.
Tesseract's page segmentation takes the seal and the signature for a picture and, with
them, often the name printed under them: the page's reading stops at the title. When a
page has such a block and no name-like line under it, only the strip under the block is
binarised and read again as one uniform text block (``--psm 6``), which reads through
the ink around it; a line that reads as a person's name takes the place of what the
page reading had there (nothing, or a name cut by the seal: "Bắc Hải").

The contract: at most one extra Tesseract run, on a strip a few centimetres high, and
only on a page whose reading shows an authority block without a name; nothing is added
that does not look like a whole name (3 to 5 capitalised words, letters only).
"""

from __future__ import annotations

import re

from services.ocr import geometry, raster, tesseract
from vanthu.events import Line
from vanthu.normalize import fold

# An authority word opens the block: TM., KT., TL., TUQ., Q. (state), T/M, K/T, T/L (Party).
_AUTHORITY = re.compile(r"^(?:tm|kt|tl|tuq|q|t/m|k/t|t/l)[.,]?$")
# What lies between the title and the name: the signature's space, about 25-35 mm.
_STRIP_MM = 45.0
_MARGIN_MM = 8.0
_BLOCK_MM = 60.0  # authority lines, title and the signature's space
_MM = 72 / 25.4  # points
# A recovered name is read off a noisy strip: it must have the 3 to 5 words of most
# Vietnamese names, so that a name cut by a stroke ("... Hồng Loan") is left out, not taken.
_NAME_WORDS = (3, 5)
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_INK = 128  # grey levels below this are ink; the page's light was evened before (lighting.even)


def looks_like_name(text: str) -> bool:
    """3 to 5 words, each a capital followed by lower-case letters: "Chu Thị Hồng Loan"."""
    words = text.split()
    return _NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1] and all(
        w[:1].isupper() and w[1:].islower() and w.isalpha() for w in words
    )


def _block_under_authority(lines: list[Line], width: float) -> list[Line]:
    """The signature block's lines, from the last authority line down, cut to the block's
    column: Tesseract may read a row of the closing table across both columns
    ("+ Lưu: VT.   TM. ỦY BAN NHÂN DÂN")."""
    starts = [(ln, w) for ln in lines for w in ln.words
              if w.box[0] > 0.3 * width and _AUTHORITY.match(fold(w.text).strip())]
    if not starts:
        return []
    _, first = max(starts, key=lambda found: found[1].box[1])
    left, top = first.box[0] - _MARGIN_MM * _MM, first.box[1] - 2
    block = []
    for ln in sorted(lines, key=lambda ln: ln.box[1]):
        words = [w for w in ln.words if w.box[0] >= left and top <= w.box[1] <= top + _BLOCK_MM * _MM]
        if words:
            block.append(geometry.line_of(words))
    return block


def with_name(upright: raster.PageImage, lines: list[Line], *, language: str, timeout: float,
              cmd: str = "tesseract") -> list[Line]:
    """``lines`` (page points) with the signer's name the page reading missed or cut
    ("Bắc Hải" for "Nguyễn Bắc Hải"): the re-read name replaces what the page reading
    had at its place in the block's column. ``lines`` as they are when nothing is found."""
    frame = upright.frame
    if frame is None:
        return lines
    block = _block_under_authority(lines, frame.size[0])
    titles = [ln for ln in block if _upper(ln.text)]
    if not titles or any(looks_like_name(ln.text) for ln in block):
        return lines
    title = max(titles, key=lambda ln: ln.box[3])
    pt = frame.dpi / 72 * frame.scale  # image pixels per page point
    column = min(ln.box[0] for ln in block) - _MARGIN_MM * _MM
    left = max(0.0, column * pt - frame.x0 * frame.scale)
    right = min(float(upright.image.width), (max(ln.box[2] for ln in block) + _MARGIN_MM * _MM) * pt - frame.x0 * frame.scale)
    top = max(0.0, title.box[3] * pt - frame.y0 * frame.scale)
    bottom = min(float(upright.image.height), top + _STRIP_MM * _MM * pt)
    if right - left < 10 or bottom - top < 10:
        return lines
    # Binarised first: on a strip that is mostly seal and strokes, Tesseract's own
    # threshold lands in the seal's grey and the name comes out empty.
    strip = upright.image.crop((round(left), round(top), round(right), round(bottom))).point(
        lambda v: 255 if v > _INK else 0)
    try:
        reading = tesseract.recognise(strip, language=language, dpi=upright.dpi, timeout=timeout, cmd=cmd, psm=6)
    except tesseract.TesseractError:
        return lines  # the page's own reading stands
    named = [ln for ln in reading.lines if looks_like_name(_letters(ln.text))]
    if not named:
        return lines
    moved = geometry.Frame(frame.x0 + left / frame.scale, frame.y0 + top / frame.scale, frame.scale,
                           frame.width, frame.height, frame.dpi)
    name = named[-1]  # the name is the block's last line; signature strokes read above it
    words = [w.model_copy(update={"text": _letters(w.text)}) for w in name.words if _letters(w.text)]
    [found] = moved.lines([geometry.line_of(words, starts_paragraph=True)])
    return [*_without(lines, column, found.box), found]


def _without(lines: list[Line], column: float, box: tuple[float, float, float, float]) -> list[Line]:
    """``lines`` less their words in the block's column that overlap ``box``'s rows: the
    page reading's version of the name (cut, or mixed with strokes)."""
    kept = []
    for ln in lines:
        words = [w for w in ln.words if not (w.box[0] >= column and w.box[1] < box[3] and w.box[3] > box[1])]
        if len(words) == len(ln.words):
            kept.append(ln)
        elif words:
            kept.append(geometry.line_of(words, starts_paragraph=ln.starts_paragraph))
    return kept


def _upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def _letters(text: str) -> str:
    """``text`` without the specks OCR reads off a signature's strokes ("-__ Chu Thị. Hồng' Loan")."""
    return " ".join(w for w in (_EDGE.sub("", w) for w in text.split()) if w)

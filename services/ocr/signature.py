"""The signer's name under a seal and a signature, read again when the page reading lost it.

Decree 30/2020 (Appendix I) sets the signature block under the closing's right column:
authority lines ("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"), the title, the space for the
signature (where the red seal lands, a third of it over the title), then the name.
Tesseract's page segmentation takes the seal and the signature for a picture and, with
them, often the name printed under them: the page's reading stops at the title, or
loses the whole block. When a page has such a block and no name-like line under it,
only the strip under the block is read again as one uniform text block (``--psm 6``);
when the page reading found no block at all, the closing's right column across from
"Nơi nhận" is. The strip is binarised first, on a page in colour from its red channel with
a blue pen's pixels lifted to their blue, in which the red seal and a blue signature
crossing the name are as light as the paper and the black print is dark; on a grey page only ink with a dark core
counts, since the seal's grey lies about where ink begins; a word on the name's line whose ink is
mostly coloured (the seal's rim where it is dark, a pen stroke) is left out of the name.
A line that reads as a person's name (and, for a whole block, the title lines above it)
takes the place of what the page reading had there (nothing, or a name cut by the seal:
"Bắc Hải"). When a page in colour has the block's title but no printed name, the name
may be a red name stamp set in its place: the strip's red ink alone is read, once more.
When a page not in colour (a black-and-white scan, where the red seal is as black as the
print) gives no name, a round seal's rings are taken out of the strip and it is read once
more, and then, if need be, with the ink far bigger than a letter (the signature's strokes)
taken out too.

The contract: at most three extra Tesseract runs, on a strip a
few centimetres high, and only on a page whose reading shows an authority block without
a name (or with a name-like line that opens with no family name: "Nguểiễn Sỹ Hiệp"), or a
"Nơi nhận" with no name across from it. Nothing is added that does not look
like a whole name: 3 to 5 capitalised words, letters only, after at most specks of a
stroke, or two opening with a family name with nothing before them ("Mai Sơn"); not a run that holds a common family name after its first word ("Tân Phạm Huy
Nam Sơn": debris or a cut name, which cannot be told apart), nor one whose first word is
no family name and no syllable ("Xếuyên Thanh Binl"); from red ink, or alone
across from "Nơi nhận" with no title lines above it, only a name opening with a family
name; from a strip whose rings were taken out, only one whose first word is a family name
(or one letter off one) and whose others are syllables, a "T" whose bar went with a ring
read back from its stem ("?hị", "Yhanh": "Thị", "Thanh"). A common family name opening the name gets its usual
spelling (a seal's rim blurs its tone mark: "Phậm" -> "Phạm")."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

import cv2
import numpy as np
from PIL import Image
from scipy import ndimage

from services.ocr import geometry, raster, tesseract
from services.parse.closing import family_misread, family_name, family_spelled, well_formed
from vanthu.events import Box, Line, Word
from vanthu.normalize import fold, tone_normalize

# An authority word opens the block: TM., KT., TL., TUQ., Q. (state), T/M, K/T, T/L (Party).
_AUTHORITY = re.compile(r"^(?:tm|kt|tl|tuq|q|t/m|k/t|t/l)[.,]?$")
# What lies between the title and the name: the signature's space, about 25-35 mm.
_STRIP_MM = 45.0
_MARGIN_MM = 8.0
_BLOCK_MM = 60.0  # authority lines, title and the signature's space
_ABOVE_MM = 12.0  # the block's first line may stand this far above the "Nơi nhận" row
_COLUMN_GAP = 2.0  # line heights: a wider space between two words of a row is the closing table's column gap
_MM = 72 / 25.4  # points
# A recovered name is read off a noisy strip: it must have the 2 to 5 words of Vietnamese
# names, and two only with a family name first, so that a name cut by a stroke ("...
# Hồng Loan") is left out, not taken.
_NAME_WORDS = (2, 5)
_RECIPIENTS = re.compile(r"^\W*[nv]?[o0]i nhan\b")
_SPECK = 2  # letters: what a stroke or the seal's rim reads as before a name
_EDGE = re.compile(r"^[\W_]+|[\W_]+$")
_INK = 128  # below this is ink, on the grey page (its light evened: lighting.even) or in the red channel
_DARK = 90  # ... where it joins ink below this: print's strokes have such a core, a seal's grey has none
# A word whose ink is mostly coloured (saturation over _CHROMA of 255) is the seal's rim
# text or the pen's stroke read as letters ("Tân" off "BỘ CÔNG THƯƠNG"), never the black print.
_CHROMA = 30
_PEN_BLUE = 60  # a blue pen's blue exceeds its red by about 100; print's colour fringes by far less
_COLOURED_SHARE = 0.5
# A round seal (Decree 99/2016: 35-42 mm across, smaller for a commune's) seen whole or in
# part: its outer ring's radius, its inner ring's share of that, and how much of a ring's
# visible arc its ink covers at least (broken in a scan; letters cover far less).
_SEAL_RADIUS_MM = (12.0, 25.0)
_INNER_RING = 0.5
_RING_COVER = 0.4
_RING_SLACK_MM = 0.12
# The tallest and widest a name's letter (13-14 pt bold, letters touching) or its word gets.
_LETTER_MM = (8.0, 25.0)


def looks_like_name(text: str) -> bool:
    """3 to 5 words, each a capital followed by lower-case letters ("Chu Thị Hồng Loan"), or
    two whose first spells a common family name (its tone aside) and second a syllable
    ("Mai Sơn"); two words without one may be what is left of a cut name ("Hồng Loan",
    "Tang Đông" for "Tạ Quang Đông")."""
    words = text.split()
    if not (_NAME_WORDS[0] <= len(words) <= _NAME_WORDS[1] and all(looks_like_name_word(w) for w in words)):
        return False
    return len(words) > _NAME_WORDS[0] or (bool(family_spelled(words[0]) or family_misread(words[0])) and well_formed(words[1]))


def looks_like_name_word(word: str) -> bool:
    """A capital followed by lower-case letters: "Loan"."""
    return word[:1].isupper() and word[1:].islower() and word.isalpha()


def _block_under_authority(lines: list[Line], width: float) -> list[Line]:
    """The signature block's lines, from the last authority line down, cut to the block's
    column: Tesseract may read a row of the closing table across both columns
    ("+ Lưu: VT.   TM. ỦY BAN NHÂN DÂN")."""
    starts = [(ln, w) for ln in lines for i, w in enumerate(ln.words)
              if w.box[0] > 0.3 * width and _AUTHORITY.match(fold(w.text).strip()) and _opens_column(ln, i)]
    if not starts:
        return []
    _, first = max(starts, key=lambda found: found[1].box[1])
    top = first.box[1] - 2
    left = min(first.box[0], _clear_of_recipients(lines, width, first.box[0] - _MARGIN_MM * _MM,
                                                  (top, top + _BLOCK_MM * _MM)))
    block = []
    for ln in sorted(lines, key=lambda ln: ln.box[1]):
        words = [w for w in ln.words if w.box[0] >= left and top <= w.box[1] <= top + _BLOCK_MM * _MM]
        if words:
            block.append(geometry.line_of(words))
    return block


def _opens_column(line: Line, i: int) -> bool:
    """Whether ``line``'s word ``i`` opens its column: first on the line, or after the
    closing table's column gap (a row read across both columns). An authority's word
    inside a line is a recipient's abbreviation ("- VPCP: BTCN, KT, KGVX, TH;")."""
    if i == 0:
        return True
    return line.words[i].box[0] - line.words[i - 1].box[2] > _COLUMN_GAP * (line.box[3] - line.box[1])


def _clear_of_recipients(lines: list[Line], width: float, left: float, rows: tuple[float, float]) -> float:
    """``left`` (page points), moved right past the recipients column's text in ``rows``
    when that text reaches into it: a long "Nơi nhận" line ("- Phó TTg Thường trực Chính
    phủ Nguyễn") would otherwise join the signature block, or its strip's re-read ("TTgTTCP
    Phạm Thị Thanh Trà"). A row's text runs from the left margin to the first column gap;
    ``left`` stays when that would pass it by a whole column (a row misread as one)."""
    edge = 0.0
    for ln in lines:
        if ln.box[0] >= 0.3 * width or not rows[0] <= (ln.box[1] + ln.box[3]) / 2 <= rows[1]:
            continue
        end = ln.words[0].box[2]
        for before, word in itertools.pairwise(ln.words):
            if word.box[0] - before.box[2] > _COLUMN_GAP * (ln.box[3] - ln.box[1]):
                break
            end = word.box[2]
        edge = max(edge, end)
    return edge + 1 if left < edge < 0.5 * width else left


def with_name(upright: raster.PageImage, lines: list[Line], *, language: str, timeout: float,
              cmd: str = "tesseract") -> list[Line]:
    """``lines`` (page points) with the signer's name the page reading missed or cut
    ("Bắc Hải" for "Nguyễn Bắc Hải"): the re-read name replaces what the page reading
    had at its place in the block's column. When the page reading lost the whole block
    (a seal over the title and the name, and no authority line: a chairman signing as
    himself), the block is found across from "Nơi nhận" and its title lines are taken
    too. ``lines`` as they are when nothing is found."""
    frame = upright.frame
    if frame is None:
        return lines
    width = frame.size[0]
    block = _block_under_authority(lines, width)
    titles = [ln for ln in block if _upper(ln.text)]
    if titles:
        if any(looks_like_name(ln.text) and family_name(ln.text.split()[0]) for ln in block):
            return lines
        title = max(titles, key=lambda ln: ln.box[3])
        rows = (title.box[3], title.box[3] + _STRIP_MM * _MM)
        column = _clear_of_recipients(lines, width, min(ln.box[0] for ln in block) - _MARGIN_MM * _MM, rows)
        box = (column, rows[0], max(ln.box[2] for ln in block) + _MARGIN_MM * _MM, rows[1])
    elif (box := _across_from_recipients(lines, width)) is None:
        return lines
    read = _reread(upright, box, language=language, timeout=timeout, cmd=cmd)
    colour = upright.seal_colour
    seal = None if colour is None else (lambda w: _coloured(colour, w.box, frame.dpi / 72))
    named = [(i, name) for i, ln in enumerate(read) if (name := _name_in(ln, seal))]
    if not named and colour is None:
        # On a black-and-white scan the red seal is as black as the print, and its rings
        # through the name's first word read as letters ("Ñguylf Thanh Bình"); a signature
        # whose strokes fill the strip can leave Tesseract no line for the name at all.
        for taken_out in ((_without_rings,), (_without_rings, _without_strokes)):
            read = _reread(upright, box, language=language, timeout=timeout, cmd=cmd, taken_out=taken_out)
            named = [(i, name) for i, ln in enumerate(read) if (name := _name_in(ln, whole=True))]
            if named:
                break
    elif not named and titles:
        # No name in black print under the title: it may be a red name stamp, set in place of
        # a typed name, which the red channel hides with the seal. Only a name opening with a
        # family name is taken from the red ink, where the seal's rim text is too.
        read = _reread(upright, box, language=language, timeout=timeout, cmd=cmd, red=True)
        named = [(i, name) for i, ln in enumerate(read)
                 if (name := _name_in(ln)) and family_name(name.words[0].text)]
    if not named:
        return lines
    at, name = named[-1]  # the name is the block's last line; signature strokes read above it
    found = [name]
    if not titles:  # the whole block: its title lines above the name come with it
        heads = [ln for ln in read[:at] if _upper(ln.text)]
        if not heads and not family_name(name.words[0].text):
            return lines  # no title (the page break may fall under it) and no family name: debris
        found = [*heads, name]
    top = min(ln.box[1] for ln in found)
    return [*_without(lines, box[0], (box[0], top, box[2], found[-1].box[3])), *found]


def _name_in(line: Line, seal: Callable[[Word], bool] | None = None, *, whole: bool = False) -> Line | None:
    """The name that ends ``line``, without the specks a stroke left before it ("XS Phạm Huy Nam Sơn"),
    its words re-joined where OCR split a capital off ("H uy"), and without the words that
    ``seal`` says are in the seal's or the pen's ink ("Tân" off the rim). A run of capitalised
    words that does not open with a family name is not taken when it holds one further on,
    or when a coloured word was left out: the words before it may be debris ("Tân Phạm Huy
    Nam Sơn"), or the name's first word may be lost under the seal; nor when its first word
    is no syllable ("Xếuyên Thanh Binl": a family name garbled). With ``whole`` (read where
    marks were taken out), only a name :func:`_whole` says kept its letters."""
    words = _rejoined(line.words)
    cut: set[int] = set()  # (whole) the words that end in a mark: a letter may have gone with a ring
    if whole:
        words = [w.model_copy(update={"text": _T_STEM.sub("T", w.text)}) if _stem_of_t(w.text) else w for w in words]
        words, cut = _unmarked(words)
    printed = [w for w in words if seal is None or not seal(w)]
    tail = list(itertools.takewhile(lambda w: looks_like_name_word(w.text), reversed(printed)))[::-1]
    if tail and id(tail[0]) in cut:
        # "Nguyệ«": the ring took the last letter; "Phan.": a whole family name once cut may be a "Phạm".
        if family_spelled(tail[0].text) or not (restored := family_misread(tail[0].text, cut=True)):
            return None
        tail[0] = tail[0].model_copy(update={"text": restored})
    elif whole and tail and (spelled := family_name(tail[0].text)) and fold(spelled) == fold(tail[0].text):
        tail[0] = tail[0].model_copy(update={"text": spelled})  # "Ñguyễn": a sign the ring left inside
    specks = printed[:len(printed) - len(tail)]
    if not looks_like_name(" ".join(w.text for w in tail)) or any(
        sum(c.isalpha() for c in w.text) > _SPECK for w in specks
    ):
        return None  # a longer word before it may be the name's first, cut: "Bắc Hải" is not taken
    if len(tail) == _NAME_WORDS[0] and specks:
        return None  # "ẫ Hoàng Anh": a family name may be a middle one, its name's first word lost
    if whole and not _whole([w.text for w in tail]):
        return None
    if (family := family_name(tail[0].text)) is None:
        if len(printed) < len(words) or any(family_name(w.text) for w in tail[1:]):
            return None
        if not (well_formed(tail[0].text) or family_misread(tail[0].text)):
            return None  # no syllable ("Xếuyên"): a family name the seal's rim garbled
        return geometry.line_of(tail, starts_paragraph=True)
    # The first word is the one a seal covers most: its tone mark is the likeliest to be misread ("Phậm").
    return geometry.line_of([tail[0].model_copy(update={"text": family}), *tail[1:]], starts_paragraph=True)


# A "T" whose bar lay along a seal's ring and went with it: its stem is read as "1", "l",
# "I", "|", "!", "?" or a forked "Y" before the "h" every "Th..." syllable has ("?hị", "Yhanh").
_T_STEM = re.compile(r"^[1lI|!?Y](?=h)")


def _stem_of_t(word: str) -> bool:
    """Whether ``word`` is a "Th..." syllable with its "T" read as the stem left of it; no
    syllable of the script opens with "Yh", "lh" or a sign, so nothing else is taken."""
    return _T_STEM.match(word) is not None and well_formed("T" + word[1:])


def _whole(words: list[str]) -> bool:
    """Whether a name read where a seal's rings or strokes were taken out kept its letters:
    taking a ring out of a letter it runs along takes part of the letter ("Yhanh" for
    "Thanh", "Phạn" for "Phạm"), so its first word must be a family name as it is spelled,
    tone mark too, or one letter off exactly one, and every other word a syllable's shape."""
    first, *rest = words
    exact = family_name(first) == tone_normalize(first)
    return bool(exact or family_misread(first)) and all(well_formed(w) for w in rest)


def _unmarked(words: list[Word]) -> tuple[list[Word], set[int]]:
    """``words`` read where marks were taken out, as letters only, and the ids of those that
    ended in a sign: what is left of a letter a ring ran through ("Nguyệ«"); a sign inside a
    word is a speck the ring left ("Ñ§guyễn"), a word of signs only a speck of its own. A
    middle name the cut left in lower case ("Mạnh thị Tuyết Mai") gets its capital back."""
    out, cut = [], set()
    for w in words:
        letters = "".join(c for c in w.text if c.isalpha())
        if not letters:
            continue
        if out and fold(letters) in _MIDDLE_NAMES:
            letters = letters.capitalize()
        word = w.model_copy(update={"text": letters}) if letters != w.text else w
        if not w.text[-1].isalpha():
            cut.add(id(word))
        out.append(word)
    return out, cut


_MIDDLE_NAMES = {"thi", "van"}  # "Thị", "Văn": the commonest middle names


def _rejoined(words: list[Word]) -> list[Word]:
    """``words`` with a lone capital joined to the lower-case word after it ("H uy" -> "Huy"):
    OCR split the word (a one-letter name word, as the Ê Đê "Y", is followed by a capital)."""
    out: list[Word] = []
    for w in words:
        if out and len(out[-1].text) == 1 and out[-1].text.isupper() and w.text[:1].islower() and w.text.isalpha():
            first = out.pop()
            known = [c for c in (first.confidence, w.confidence) if c is not None]
            w = w.model_copy(update={"text": first.text + w.text, "box": geometry.bounds([first.box, w.box]),
                                     "confidence": min(known, default=None)})
        out.append(w)
    return out


def _across_from_recipients(lines: list[Line], width: float) -> Box | None:
    """Where the signature block lies when the page reading found none: the closing's
    right column, from the "Nơi nhận" row down; ``None`` when there is no "Nơi nhận" on
    the left, or a name-like line is already in that column."""
    recipients = [ln for ln in lines if ln.box[0] < 0.4 * width and _RECIPIENTS.match(fold(ln.text).strip(" .,:-"))]
    if not recipients:
        return None
    top = recipients[-1].box[1] - _ABOVE_MM * _MM
    box = (0.45 * width, top, width, top + _BLOCK_MM * _MM + _STRIP_MM * _MM)
    inside = [ln for ln in lines if ln.box[0] >= box[0] and box[1] <= ln.box[1] <= box[3]]
    if any(looks_like_name(_letters(ln.text)) for ln in inside):
        return None
    return box


def _reread(upright: raster.PageImage, box: Box, *, language: str, timeout: float, cmd: str,
            red: bool = False, taken_out: Sequence[Callable[[Image.Image, float], Image.Image]] = ()) -> list[Line]:
    """The lines read again in ``box`` (page points), in page points, their words cleaned
    of the specks strokes leave. A page in colour is read through its black ink
    (:func:`_black_ink`), in which a red seal and a blue signature are as light as the paper
    and the text under them shows, or, ``red``,
    through its red ink alone (a red stamp's text). A grey page is
    binarised first: on a strip that is mostly seal and strokes, Tesseract's own
    threshold lands in the seal's grey and the name comes out empty. What ``taken_out``
    takes out of the black-and-white strip (a seal's rings, :func:`_without_rings`; what
    is far bigger than a letter, :func:`_without_strokes`) goes before it is read, and
    then its words keep what was read on their edges."""
    frame = upright.frame
    assert frame is not None
    if upright.seal_colour is not None:
        source, scale, x0, y0 = upright.seal_colour, 1.0, 0.0, 0.0
    else:
        source, scale, x0, y0 = upright.image, frame.scale, frame.x0, frame.y0
    pt = frame.dpi / 72 * scale  # pixels of ``source`` per page point
    left, top = max(0.0, box[0] * pt - x0 * scale), max(0.0, box[1] * pt - y0 * scale)
    right, bottom = min(float(source.width), box[2] * pt - x0 * scale), min(float(source.height), box[3] * pt - y0 * scale)
    if right - left < 10 or bottom - top < 10:
        return []
    strip = source.crop((round(left), round(top), round(right), round(bottom)))
    if upright.seal_colour is not None:
        strip = _red_ink(strip) if red else _black_ink(strip)
    strip = _binarised(strip)
    dpi = upright.dpi if upright.seal_colour is None else round(frame.dpi)
    for take_out in taken_out:
        strip = take_out(strip, dpi)
    try:
        reading = tesseract.recognise(strip, language=language, dpi=dpi, timeout=timeout, cmd=cmd, psm=6)
    except tesseract.TesseractError:
        return []  # the page's own reading stands
    part = geometry.Frame(x0 + round(left) / scale, y0 + round(top) / scale, scale, frame.width, frame.height, frame.dpi)
    # Where a ring was taken out, a mark left on a word is the cut through a letter ("Phan."
    # for a "Phạm" whose "m" the rim crossed), not a stroke's speck: the word stays as read.
    clean = str.strip if taken_out else _letters
    cleaned = []
    for ln in reading.lines:
        words = [w.model_copy(update={"text": clean(w.text)}) for w in ln.words if clean(w.text)]
        if words:
            cleaned.append(geometry.line_of(words, starts_paragraph=not cleaned))
    return part.lines(cleaned)


def _binarised(strip: Image.Image) -> Image.Image:
    """``strip`` in black and white: ink is what is darker than :data:`_INK` and joined to
    something darker than :data:`_DARK`. A red seal shows mid grey on a grey scan, around
    :data:`_INK` with the scanner's noise: its ring's specks under that level, where they
    touch no print, would cling to the name's letters ("HềÕức" for "Hồ Đức")."""
    pixels = np.asarray(strip)
    labels, _ = ndimage.label(pixels < _INK, structure=np.ones((3, 3)))
    dark = np.unique(labels[pixels < _DARK])
    return Image.fromarray(np.where(np.isin(labels, dark[dark > 0]), 0, 255).astype(np.uint8))


def _without_rings(strip: Image.Image, dpi: float) -> Image.Image:
    """``strip`` (black and white, ``dpi``) less a round seal's rings, where a seal of a seal's
    size shows in it: the likeliest such circle (OpenCV's Hough transform), whose rings are
    the radii around its centre where ink covers :data:`_RING_COVER` of the circle's
    visible arc (:func:`_ring_thickness`). A ring's pixel goes when the run of ink through
    it along the radius is no longer than the ring is thick there: where a letter's stroke
    crosses or overlaps the ring (the name's first word, which the rim often runs through),
    the run is longer and the letter stays whole; where a stroke runs right along the ring
    ("T"'s bar), it goes with it. ``strip`` as it is when it shows no such circle."""
    pixels = np.asarray(strip)
    mm = dpi / 25.4
    circles = cv2.HoughCircles(cv2.GaussianBlur(pixels, (5, 5), 1.5), cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=5,
                               param1=300, param2=0.5, minRadius=round(_SEAL_RADIUS_MM[0] * mm),
                               maxRadius=round(_SEAL_RADIUS_MM[1] * mm))
    if circles is None:
        return strip
    cx, cy, radius = (float(v) for v in circles[0][0])
    ink = pixels < _INK
    rows, cols = np.mgrid[:ink.shape[0], :ink.shape[1]]
    distance = np.rint(np.hypot(cols - cx, rows - cy)).astype(int)
    thickness = _ring_thickness(ink, distance, (cx, cy), radius)
    across = thickness[distance]
    ys, xs = np.nonzero(ink & (across > 0))
    slack = _RING_SLACK_MM * mm
    runs = _radial_runs(ink, ys, xs, (cx, cy), reach=int(thickness.max() + slack) + 1)
    alone = runs <= across[ys, xs] + slack
    out = np.where(ink, 0, 255).astype(np.uint8)
    out[ys[alone], xs[alone]] = 255
    return Image.fromarray(out)


def _without_strokes(strip: Image.Image, dpi: float) -> Image.Image:
    """``strip`` (black and white, ``dpi``) less its connected ink far bigger than a letter
    of the name (:data:`_LETTER_MM`): a signature's strokes, a seal's star and what is
    left of its rim. A letter they touch goes with them."""
    ink = np.asarray(strip) < _INK
    labels, _ = ndimage.label(ink, structure=np.ones((3, 3)))
    mm = dpi / 25.4
    big = [k for k, found in enumerate(ndimage.find_objects(labels), 1)
           if found[0].stop - found[0].start > _LETTER_MM[0] * mm or found[1].stop - found[1].start > _LETTER_MM[1] * mm]
    return Image.fromarray(np.where(ink & ~np.isin(labels, big), 0, 255).astype(np.uint8))


def _ring_thickness(ink: np.ndarray, distance: np.ndarray, centre: tuple[float, float], radius: float) -> np.ndarray:
    """For each whole ``distance`` (pixels from ``centre``, one per pixel of ``ink``) up to
    its largest, the radial thickness of the ring that lies there, its blurred edges
    included; 0 off the rings. A ring is a run of radii, from :data:`_INNER_RING` of
    ``radius`` to a little over it, at which ink covers :data:`_RING_COVER` of the circle's
    arc inside the strip."""
    covered = np.bincount(distance[ink], minlength=distance.max() + 1)
    angles = np.linspace(0, 2 * np.pi, 720, endpoint=False)
    height, width = ink.shape
    on_ring = np.zeros(len(covered), dtype=bool)
    for r in range(round(_INNER_RING * radius), min(len(covered), round(1.15 * radius))):
        x, y = centre[0] + r * np.cos(angles), centre[1] + r * np.sin(angles)
        visible = np.mean((x >= 0) & (x < width) & (y >= 0) & (y < height)) * 2 * np.pi * r
        on_ring[r] = covered[r] >= _RING_COVER * visible > 0
    rings, _ = ndimage.label(on_ring)
    thickness = np.zeros(len(covered))
    for ring in ndimage.find_objects(rings):
        thickness[ring] = ring[0].stop - ring[0].start
    return ndimage.grey_dilation(thickness, size=3)  # a ring's blurred edges


def _radial_runs(ink: np.ndarray, ys: np.ndarray, xs: np.ndarray, centre: tuple[float, float], *,
                 reach: int) -> np.ndarray:
    """For each pixel (``ys``, ``xs``) of ``ink``, the length of the run of ink through it
    along the line from ``centre``, counted up to ``reach`` pixels either way."""
    dx, dy = xs - centre[0], ys - centre[1]
    norm = np.maximum(np.hypot(dx, dy), 1.0)
    steps = np.arange(-reach, reach + 1)
    px = np.rint(xs[:, None] + (dx / norm)[:, None] * steps).astype(int)
    py = np.rint(ys[:, None] + (dy / norm)[:, None] * steps).astype(int)
    height, width = ink.shape
    inside = (px >= 0) & (px < width) & (py >= 0) & (py < height)
    inked = inside & ink[py.clip(0, height - 1), px.clip(0, width - 1)]
    outward = np.cumprod(inked[:, reach:], axis=1).sum(axis=1)
    inward = np.cumprod(inked[:, reach::-1], axis=1).sum(axis=1)
    return outward + inward - 1


def _black_ink(rgb: Image.Image) -> Image.Image:
    """``rgb`` in grey where only black ink is dark: its red channel, in which a red seal is
    light, with a blue pen's pixels (blue over red by more than :data:`_PEN_BLUE`) lifted to
    their blue. Print under either stays dark; the small marks of print whose scan fringed
    them with colour keep their red too (a pixel's lightest channel would lose "PHÓ"'s)."""
    pixels = np.asarray(rgb)
    red, blue = pixels[..., 0], pixels[..., 2]
    return Image.fromarray(np.where(blue.astype(np.int16) - red > _PEN_BLUE, blue, red))


def _red_ink(rgb: Image.Image) -> Image.Image:
    """``rgb`` in grey where only red ink is dark: the more red outweighs green and blue, the darker."""
    pixels = np.asarray(rgb, dtype=np.int16)
    redness = pixels[..., 0] - pixels[..., 1:].max(axis=-1)
    return Image.fromarray((255 - np.clip(2 * redness, 0, 255)).astype(np.uint8))


def _coloured(colour: Image.Image, box: Box, pt: float) -> bool:
    """Whether most of the dark ink in ``box`` (page points; ``pt`` pixels of ``colour`` per
    point) is coloured: a seal's or a pen's, not the black print's. A title line the seal
    covers is mostly the seal's ink too: this tells debris only before a name."""
    pixels = np.asarray(colour.crop(tuple(round(v * pt) for v in box)), dtype=np.int16).reshape(-1, 3)
    dark = pixels[pixels.mean(axis=1) < _INK]
    if not len(dark):
        return False
    chroma = dark.max(axis=1) - dark.min(axis=1)
    return float(np.mean(chroma > _CHROMA)) > _COLOURED_SHARE


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

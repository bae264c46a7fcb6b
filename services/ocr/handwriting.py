"""Digits written by hand into a blank of the form, read where Tesseract cannot.

Decree 30/2020 leaves the number's sequence ("Số:    /QĐ-UBND") and the day ("ngày    tháng
3 năm 2024") blank on the printed page; the records office fills them in by hand or with a
numbering stamp after signing. Tesseract's recogniser, trained on print, reads those
strokes as debris ("0+", "J2", "Êđỗ") or as wrong digits ("45" for "15", "899" for "299").
This module reads the blank's ink as digits:

- the ink between the printed words is cut into glyphs at the columns with no ink,
  printed rules taken out and specks, dots and commas dropped; a glyph wider than a digit
  (two written touching) or ink cut by the crop's side (a digit run into the printed word
  after it) gives no reading;
- each glyph is set upright (its slant sheared away), normalised as MNIST's digits are
  (its longer side 20 px, centred by its centre of mass in 28 x 28) and classified by a
  small multilayer perceptron whose weights are in ``data/digits.npz`` (trained by
  ``data/train_digits.py`` on MNIST's handwriting and on digits in handwriting fonts,
  with an eleventh class for what is not a digit: letters, slashes, a seal's arcs);
- the reading is kept only when every glyph is a digit with a probability of at least
  :data:`SURE` (more for the number, which nothing on the page checks) and the form
  allows it there (a two-digit day up to 31, a month, a sequence); otherwise the blank
  stays blank with its warning: a clerk would rather fill a blank than correct a guess.

The contract: :func:`read_digits` takes a crop of the blank (grey, ink dark) and returns
the digits and the least of their probabilities, or ``None``. :func:`fill` finds the
blanks of a page's header lines (the sequence after "Số:" opening a line, the day after
"<place>, ngày", the month after that "tháng"); where Tesseract did not read them as what
the form allows, with confidence, it reads the ink there and puts the digits in their
place, marked ``handwritten``, or, when the ink is not surely digits, removes the digits
Tesseract guessed. Only numpy; no process."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps

from services.ocr import geometry, raster
from vanthu.events import Box, Line, Word
from vanthu.normalize import fold

MODEL = Path(__file__).with_name("data") / "digits.npz"
SIZE, BOX = 28, 20  # MNIST's image and the box its digits are scaled into
NOT_A_DIGIT = 10  # the model's eleventh class
SURE = 0.9  # the least probability of each glyph for a reading to be kept
_INK = 0.5  # of the way from the crop's paper to its darkest ink: darker is ink
_SPECK = 0.5  # of the tallest glyph's height: a shorter glyph is a speck, a dot or a comma
_MAX_GLYPHS = 6
_WIDEST = 0.85  # of its height: the widest a digit set upright is ("0", "4"); wider is two
_MAX_SLANT = 0.6  # the strongest slant set upright (about 30 degrees)
_RULE = 0.6  # of the crop's width: an ink run this long in a row is a printed rule, not a digit


@dataclass(frozen=True)
class Digits:
    """What a blank reads as: its ``digits`` and the least probability among them."""

    digits: str
    confidence: float


def normalise(glyph: Image.Image) -> np.ndarray:
    """A glyph (mode ``L``, ink dark on paper) as a flat 28 x 28 vector of ink in [0, 1],
    set upright (its slant sheared away, from its second moments), then scaled and
    centred as MNIST's digits are."""
    ink = _upright(ImageOps.invert(glyph))
    box = ink.getbbox()
    if box is None:
        return np.zeros(SIZE * SIZE, dtype=np.float32)
    ink = ink.crop(box)
    scale = BOX / max(ink.size)
    ink = ink.resize((max(1, round(ink.width * scale)), max(1, round(ink.height * scale))), Image.Resampling.LANCZOS)
    pixels = np.asarray(ink, dtype=np.float32) / 255.0
    total = pixels.sum() or 1.0
    rows, columns = np.indices(pixels.shape)
    cy, cx = (rows * pixels).sum() / total, (columns * pixels).sum() / total
    canvas = np.zeros((SIZE, SIZE), dtype=np.float32)
    top, left = round(SIZE / 2 - cy), round(SIZE / 2 - cx)
    top, left = min(max(top, 0), SIZE - pixels.shape[0]), min(max(left, 0), SIZE - pixels.shape[1])
    canvas[top:top + pixels.shape[0], left:left + pixels.shape[1]] = pixels
    return canvas.reshape(-1)


def _upright(ink: Image.Image) -> Image.Image:
    """``ink`` (light on dark) sheared so that its main axis stands vertical: a slanted
    hand's "1" and "7" then look like an upright one's."""
    pixels = np.asarray(ink, dtype=np.float32)
    total = pixels.sum()
    if total == 0:
        return ink
    rows, columns = np.indices(pixels.shape)
    cy, cx = (rows * pixels).sum() / total, (columns * pixels).sum() / total
    var_y = ((rows - cy) ** 2 * pixels).sum() / total
    if var_y == 0:
        return ink
    slant = ((rows - cy) * (columns - cx) * pixels).sum() / total / var_y
    slant = max(-_MAX_SLANT, min(_MAX_SLANT, slant))
    margin = round(abs(slant) * ink.height / 2) + 1
    wide = Image.new("L", (ink.width + 2 * margin, ink.height), 0)
    wide.paste(ink, (margin, 0))
    # x' = x + slant * (y - cy): the transform maps output to input, hence the signs.
    return wide.transform(wide.size, Image.Transform.AFFINE, (1, slant, -slant * cy, 0, 1, 0),
                          resample=Image.Resampling.BILINEAR)


@functools.cache
def _weights() -> list[tuple[np.ndarray, np.ndarray]]:
    with np.load(MODEL) as data:
        layers = len([k for k in data.files if k.startswith("w")])
        return [(data[f"w{i}"].astype(np.float32), data[f"b{i}"].astype(np.float32)) for i in range(layers)]


def classify(vectors: np.ndarray) -> np.ndarray:
    """Class probabilities (digits 0-9, then "not a digit") of normalised glyphs, one row each."""
    x = vectors
    layers = _weights()
    for i, (w, b) in enumerate(layers):
        x = x @ w + b
        if i < len(layers) - 1:
            x = np.maximum(x, 0.0)
    x = np.exp(x - x.max(axis=1, keepdims=True))
    return x / x.sum(axis=1, keepdims=True)


def ink(crop: Image.Image) -> np.ndarray | None:
    """Where ``crop`` (grey) has ink, printed rules taken out; ``None`` when it has none."""
    grey = np.asarray(crop.convert("L"), dtype=np.float32)
    paper, darkest = np.percentile(grey, 90), grey.min()
    if paper - darkest < 40:  # no ink to speak of
        return None
    found = grey < paper - _INK * (paper - darkest)
    found[_rules(found)] = False  # the line under the issuer's name, a dotted leader: they join the digits
    return found if found.any() else None


def glyphs(found: np.ndarray) -> list[Image.Image]:
    """The ink cut into glyphs at the columns without ink, left to right, specks left out."""
    columns = found.any(axis=0)
    parts, start = [], None
    for x, inked in enumerate([*columns, False]):
        if inked and start is None:
            start = x
        elif not inked and start is not None:
            ys = np.flatnonzero(found[:, start:x].any(axis=1))
            parts.append(found[ys[0]:ys[-1] + 1, start:x])
            start = None
    tallest = max(part.shape[0] for part in parts)
    return [Image.fromarray(np.where(part, 0, 255).astype(np.uint8)) for part in parts
            if part.shape[0] >= _SPECK * tallest]


def _joined(glyph: Image.Image) -> bool:
    """Whether ``glyph`` is wider, set upright, than one digit is: two digits written
    touching, which the columns without ink could not part (read as one, they would
    drop a digit from the number)."""
    box = _upright(ImageOps.invert(glyph)).getbbox()
    return box is not None and box[2] - box[0] > _WIDEST * (box[3] - box[1])


def _rules(ink: np.ndarray) -> np.ndarray:
    """The rows of ``ink`` that hold a run of ink longer than :data:`_RULE` of its width."""
    width = ink.shape[1]
    rows = np.zeros(ink.shape[0], dtype=bool)
    for y in np.flatnonzero(ink.sum(axis=1) >= _RULE * width):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], ink[y].astype(np.int8), [0]))))
        rows[y] = (edges[1::2] - edges[::2]).max() >= _RULE * width
    return rows


def read_digits(crop: Image.Image) -> Digits | None:
    """The digits written in ``crop`` (the blank, ink dark on paper), or ``None`` when
    any of its glyphs is not surely a digit (see the module docstring)."""
    found = ink(crop)
    if found is None or found[:, 0].any() or found[:, -1].any():
        return None  # nothing written, or a digit cut by the crop's side (run into a printed word)
    parts = glyphs(found)
    if not parts or len(parts) > _MAX_GLYPHS or any(_joined(p) for p in parts):
        return None
    probabilities = classify(np.stack([normalise(p) for p in parts]))
    best = probabilities.argmax(axis=1)
    confidence = float(probabilities.max(axis=1).min())
    if (best == NOT_A_DIGIT).any() or confidence < SURE:
        return None
    return Digits("".join(str(d) for d in best), confidence)


@dataclass(frozen=True)
class _Blank:
    """A blank of the form: where its printed label stands, the printed word after it,
    and what may be written in it."""

    label: Callable[[list[str], int], bool]  # the line's folded words, the label's index
    ends: Callable[[Word], bool]
    digits: int  # at most
    limit: int
    written: int = 1  # the fewest digits a hand writes there
    sure: float = SURE  # the least probability of each digit read into it


def _number_label(folded: list[str], i: int) -> bool:
    return i == 0 and re.match(r"^so:?", folded[0]) is not None


def _day_label(folded: list[str], i: int) -> bool:
    return folded[i] == "ngay" and i > 0 and folded[i - 1].endswith((",", "."))  # "Lào Cai, ngày"


def _month_label(folded: list[str], i: int) -> bool:
    return folded[i] == "thang" and "ngay" in folded[max(0, i - 3):i]


# The number's sequence after "Số:" opening its line, before the symbol (the word with the
# issuer's upper-case code: "/QĐ-UBND", "-CV/TU", "/C04-P6"; a "/" alone may be the hand's): nothing
# on the page checks it, so it must be surer. The day after "<place>, ngày", before
# "tháng": Decree 30/2020 writes it with two digits ("ngày 05"), so a hand's single digit
# is one digit of two, the other lost. The month after that "tháng", before "năm". The
# parser checks the date against the e-signature's time.
_BLANKS = (
    _Blank(_number_label, lambda w: re.search(r"^[/-][A-ZĐ]|[A-ZĐ]{2}", w.text) is not None, 6, 999_999, sure=0.95),
    _Blank(_day_label, lambda w: fold(w.text).startswith("thang"), 2, 31, written=2),
    _Blank(_month_label, lambda w: fold(w.text).startswith("nam"), 2, 12),
)
_LABEL = re.compile(r"^(so:?|ngay|thang)")
_HEADER = 0.4  # of the page height: the number and date lines sit in the header
_TRUSTED = 80.0  # Tesseract's confidence in digits it read in a blank: below, they are a hand's, re-read
_ABOVE, _BELOW = 0.5, 0.3  # of the line's height: handwriting rises above the printed line more than below
_OVERSIZED = 1.25  # a printed word's box this much wider than its letters took in handwriting beside it


def fill(upright: raster.PageImage, lines: list[Line]) -> list[Line]:
    """``lines`` (page points) with the digits written into the header's blanks put in
    their place, each marked ``handwritten``; a blank Tesseract read as what the form
    allows there, or whose ink is not surely such digits, stays as it is."""
    frame = upright.frame
    if frame is None:
        return lines
    height = frame.size[1]
    return [_filled(upright, ln) if ln.box[1] < _HEADER * height else ln for ln in lines]


def _filled(upright: raster.PageImage, line: Line) -> Line:
    words = list(line.words)
    for blank in _BLANKS:
        folded = [fold(w.text).strip() for w in words]
        i = next((i for i in range(len(words)) if blank.label(folded, i)), None)
        if i is None:
            continue
        end = next((j for j in range(i + 1, len(words)) if blank.ends(words[j])), None)
        if end is None:
            continue
        label = _LABEL.match(folded[i])
        glued = words[i].text[label.end():] if label else ""  # "Số:0+": the blank read into the label
        slot = words[i + 1:end]
        written = glued + "".join(w.text for w in slot)
        read_by = [words[i], *slot] if glued else slot
        if _allowed(blank, written) and all((w.confidence or 100.0) >= _TRUSTED for w in read_by):
            continue
        left = _printed_end(words[i], label.end(), line) if glued and label else words[i].box[2]
        box = (left, line.box[1], _printed_start(words[end], line), line.box[3])
        # A printed word after the blank read with doubt may hold the hand's last digit ("9/KH-BCA"):
        # the ink before it is then not the whole number.
        read = _read_box(upright, box) if (words[end].confidence or 100.0) >= _TRUSTED else None
        if (read is not None and read.confidence >= blank.sure and len(read.digits) >= blank.written
                and _allowed(blank, read.digits)):
            filled = [Word(text=read.digits, box=box, confidence=round(100 * read.confidence, 1), handwritten=True)]
        elif any(c.isdigit() for c in written) and not glued:
            filled = []  # digits Tesseract guessed from a hand: a blank with its warning is better
        else:
            continue
        labelled = words[i].model_copy(update={"text": words[i].text[:label.end()], "box": (
            words[i].box[0], words[i].box[1], left, words[i].box[3])}) if glued and label else words[i]
        words = [*words[:i], labelled, *filled, *words[end:]]
    return line if words == line.words else geometry.line_of(words, starts_paragraph=line.starts_paragraph)


def _allowed(blank: _Blank, digits: str) -> bool:
    return digits.isdigit() and len(digits) <= blank.digits and 0 < int(digits) <= blank.limit


def _letter_width(line: Line, besides: Word) -> float | None:
    """The usual width of a printed letter on ``line``, from its words other than ``besides``."""
    widths = sorted((w.box[2] - w.box[0]) / len(w.text) for w in line.words
                    if w is not besides and len(w.text) >= 3 and w.text.isalpha())
    return widths[len(widths) // 2] if widths else None


def _printed_start(word: Word, line: Line) -> float:
    """Where ``word``'s printed letters start: Tesseract often takes the handwriting just
    before a printed word into its box ("7tháng" read as "tháng")."""
    width = _letter_width(line, word)
    if width is None or word.box[2] - word.box[0] <= _OVERSIZED * width * len(word.text):
        return word.box[0]
    return word.box[2] - width * len(word.text)


def _printed_end(word: Word, letters: int, line: Line) -> float:
    """Where the first ``letters`` printed letters of ``word`` end (the rest was read from
    the handwriting after them)."""
    width = _letter_width(line, word)
    return word.box[0] + (width * letters if width else (word.box[2] - word.box[0]) / 2)


def _read_box(upright: raster.PageImage, box: Box) -> Digits | None:
    """What the ink in ``box`` (page points, a line's height) reads as, from a little
    above to a little below the line."""
    frame = upright.frame
    assert frame is not None
    pt = frame.dpi / 72 * frame.scale  # pixels of the prepared image per page point
    tall = box[3] - box[1]
    left, right = box[0] * pt - frame.x0 * frame.scale, box[2] * pt - frame.x0 * frame.scale
    top = (box[1] - _ABOVE * tall) * pt - frame.y0 * frame.scale
    bottom = (box[3] + _BELOW * tall) * pt - frame.y0 * frame.scale
    left, top = max(0.0, left) + 1, max(0.0, top)
    right, bottom = min(float(upright.image.width), right) - 1, min(float(upright.image.height), bottom)
    if right - left < 4 or bottom - top < 4:
        return None
    return read_digits(upright.image.crop((round(left), round(top), round(right), round(bottom))))

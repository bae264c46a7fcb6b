"""Digits written by hand into a blank of the form, read where Tesseract cannot.

Decree 30/2020 leaves the number's sequence ("Số:    /QĐ-UBND") and the day ("ngày    tháng
3 năm 2024") blank on the printed page; the records office fills them in by hand or with a
numbering stamp after signing. Tesseract's recogniser, trained on print, reads those
strokes as debris ("0+", "J2", "Êđỗ") or as wrong digits ("45" for "15", "899" for "299").
This module reads the blank's ink as digits:

- the blank is cropped from a little above to a little below its line, with a margin
  on either side: Tesseract's word boxes often end in the hand's first or last digit. A
  stroke (connected ink) that reaches into the blank is the hand's, taken whole when it
  crosses the blank's side, and gives no reading when it runs on out of the crop (into
  the printed word); a stroke wholly beside the blank is print's; for a
  number (whose digits nothing counts), a glyph wholly in the margin next to the blank
  that is surely a digit as tall as the blank's, or that the crop cuts, gives no reading
  either, and when Tesseract read the symbol after it with doubt (its box may hold the
  hand's last digit), neither does a right margin whose first glyph is not the printed
  "/" alone;
- on a page scanned in colour whose blank is written in a coloured pen (the blue
  ballpoint most offices use), the crop is that pen's ink alone, the black print
  whitened, from the blank to the end of the printed word after it: a digit touching the
  printed "/" or the tail of "ngày", or read by Tesseract into the symbol's word
  ("9/KH-BCA-C04"), is then the hand's and nothing else. The grey crop is read as well,
  and where both read the blank they must agree;
- digits Tesseract read in a blank with confidence stand unless the ink is surely read
  otherwise: the pen's reading then takes their place, the grey's alone blanks them;
- the ink is cut into glyphs by its strokes (connected ink; a stroke mostly over another's
  columns joins it, a "5"'s lifted flag), printed rules (a little aslant too, or reaching
  only partly into the crop) and the lines above and below taken out, specks, dots,
  commas and the label's ":" dropped;
- each glyph is set upright (its slant sheared away), normalised as MNIST's digits are
  (its longer side 20 px, centred by its centre of mass in 28 x 28) and classified by
  small convolutional networks whose weights are in ``data/digits.npz`` and whose
  probabilities are averaged (trained by ``data/train_digits.py`` on MNIST's handwriting,
  digits in handwriting fonts and pen strokes of Vietnamese hands' shapes, with an
  eleventh class for what is not a digit: letters, the printed letters beside the
  blanks, slashes, a seal's arcs);
- a glyph wider than one digit (digits written touching) is cut at the columns of least
  ink into two or three pieces, and the cut kept only when every piece is surely a digit
  (:data:`SPLIT_SURE`, surer than a glyph standing alone); when no cut is, a glyph not
  much wider than a digit may be one round "0" (:data:`_ROUND`);
- the reading is kept when every glyph is a digit with a probability of at least
  :data:`SURE` (more for the number, which nothing on the page checks), or, where the
  classifier is less sure, when a second reader of other training (PP-OCRv4's line
  recogniser, services/ocr/line_reader.py) reads the blank as digits (alone, or before
  the symbol's printed "/") and the classifier finds as many glyphs and rules none of
  those digits out (a Vietnamese clerk's flagged "1" leaves the classifier unsure,
  rarely both), or when the two readers' probabilities, multiplied glyph by character,
  make each digit sure; a sure reading is dropped when that reader surely reads as many
  other digits and the two together do not read it; and only as the form allows it
  there (a two-digit day up to 31, a month, a sequence);
  otherwise the blank stays blank with its warning: a clerk would rather fill a blank
  than correct a guess.

The contract: :func:`read_digits` takes a crop of the blank (grey, ink dark) and returns
the digits and the least of their probabilities, or ``None``; :func:`confirmed` that
reading as the second reader sees it (:func:`read_agreed` or :func:`read_fused` where the
classifier is unsure); :func:`glyph_probabilities` each glyph's digit probabilities,
however unsure.
:func:`fill` finds the blanks of a page's header lines (the sequence after "Số:" opening
a line, the day after "<place>, ngày", the month after that "tháng", also when Tesseract
glued the hand's strokes to those words: "Số:0+", "ngày4tháng"); it reads the ink there
and, where Tesseract did not read what the form allows with confidence, or the ink surely
reads otherwise, puts the digits in their place, marked ``handwritten``, or, when the ink is not
surely digits, removes the digits Tesseract guessed and returns the ink's glyph
probabilities and the line reader's digits (``BlankInk``), which the parse stage weighs a
signing day against. No
process: numpy and scipy, and onnxruntime for the second reader."""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageOps
from scipy import ndimage

from services.ocr import geometry, line_reader, raster
from vanthu.events import BlankInk, Box, Line, Word
from vanthu.normalize import fold

MODEL = Path(__file__).with_name("data") / "digits.npz"
SIZE, BOX = 28, 20  # MNIST's image and the box its digits are scaled into
NOT_A_DIGIT = 10  # the model's eleventh class
SURE = 0.9  # the least probability of each glyph for a reading to be kept
_INK = 0.5  # of the way from the crop's paper to its darkest ink: darker is ink
_FAINT = 0.3  # as far: lighter, it is ink only where it joins ink (a pen's thin or faint stroke stays whole)
_SPECK = 0.5  # of the tallest glyph's height: a shorter glyph is a speck, a dot or a comma
_SHARED = 0.5  # of the narrower's columns: strokes sharing this many are one glyph's
_MAX_GLYPHS = 6
_WIDEST = 0.85  # of its height: the widest a digit set upright is ("0", "4"); wider is two
_OWN_SIZE = 0.6  # of the blank's tallest digit: a glyph beside it this tall may be one of its digits
_SLASH_LEAN = (0.15, 0.8)  # columns per row a printed "/" leans right as it rises (serif to sans faces, italic)
_SLASH_BEND, _SLASH_WIDTH = 0.08, 0.3  # of its height: how far its rows stray from one line, how wide its widest row is
_SLASH_SINGLE = 0.9  # the least share of a slash's rows that are one run of ink
_SLASH_ROWS, _SLASH_LOW = 8, 0.3  # the fewest rows a slash is drawn in; the least of a hand digit's height it stands
_ROUND = 1.0  # of its height: a round "0" may be as wide, alone or cut from a digit it touches
_MAX_SLANT = 0.6  # the strongest slant set upright (about 30 degrees)
# An ink run in a row this long is a printed rule, not a digit: _RULE of the crop's width, or
# _RULE_HIGH of its height (about two lines' height: two touching digits' bars are shorter),
# for a rule that reaches only partly into the crop (the short line under the issuer's name).
_RULE, _RULE_HIGH = 0.6, 1.0
# A stroke this much wider than high, and at least _FLAT_LONG of the crop's height long, is a
# rule's end that touches nothing: no digit is so flat (a hand's dash is shorter).
_FLAT, _FLAT_LONG = 4.0, 0.5
_MAX_TOUCHING = 3  # digits written touching that a glyph is cut into, at most
_NARROWEST = 0.25  # of its height: the narrowest a digit cut from its neighbours is (a "1" is narrower, and stands apart)
_CUTS = 6  # the columns of least ink tried as cuts between touching digits
SPLIT_SURE = 0.99  # the least probability of each piece of a glyph cut into touching digits


LIKELY = 0.03  # the least probability the classifier gives each of the line reader's digits: below, it rules it out
LINE_SURE = 0.6  # the line reader's least confidence for its agreement to count
VETO = 0.8  # the line reader's least confidence for other digits of its to leave a sure reading out
FUSED = 0.9  # the least probability of each digit the two readers read together (read_fused)
_LINE_DIGITS = re.compile(r"(\d{1,6}) ?(/.*)?[.,']?")  # the line reader's digits, the symbol's "/" after them, a speck


@dataclass(frozen=True)
class Digits:
    """What a blank reads as: its ``digits``, the least probability among them, and
    whether two readers read them alike (``checked``: see :func:`read_agreed`)."""

    digits: str
    confidence: float
    checked: bool = False


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
def _networks() -> list[list[tuple[np.ndarray, np.ndarray]]]:
    """The networks of :data:`MODEL`, each its layers' weights and biases (``m<k>_w<i>``, ``m<k>_b<i>``)."""
    with np.load(MODEL) as data:
        networks = sorted({key.split("_")[0] for key in data.files})
        return [[(data[f"{n}_w{i}"].astype(np.float32), data[f"{n}_b{i}"].astype(np.float32))
                 for i in range(sum(key.startswith(f"{n}_w") for key in data.files))] for n in networks]


def classify(vectors: np.ndarray) -> np.ndarray:
    """Class probabilities (digits 0-9, then "not a digit") of normalised glyphs, one row
    each: the mean of the networks' (see data/train_digits.py)."""
    return np.mean([_probabilities(vectors, layers) for layers in _networks()], axis=0)


def _probabilities(vectors: np.ndarray, layers: list[tuple[np.ndarray, np.ndarray]]) -> np.ndarray:
    """One network's class probabilities: its convolutions (4-D weights: out, in, kernel,
    kernel), each followed by ReLU and 2 x 2 max pooling, then its dense layers, ReLU
    between them and softmax after the last."""
    x = vectors.reshape(len(vectors), 1, SIZE, SIZE)
    for i, (w, b) in enumerate(layers):
        if w.ndim == 4:
            windows = np.lib.stride_tricks.sliding_window_view(x, w.shape[2:], axis=(2, 3))  # n, c, h, w, k, k
            x = np.maximum(np.tensordot(windows, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
                           + b[None, :, None, None], 0.0)
            n, c, h, width = x.shape
            x = x[:, :, :h - h % 2, :width - width % 2].reshape(n, c, h // 2, 2, width // 2, 2).max(axis=(3, 5))
        else:
            x = x.reshape(len(x), -1) @ w + b
            if i < len(layers) - 1:
                x = np.maximum(x, 0.0)
    x = np.exp(x - x.max(axis=1, keepdims=True))
    return x / x.sum(axis=1, keepdims=True)


def ink(crop: Image.Image, *, faint: bool = True) -> np.ndarray | None:
    """Where ``crop`` (grey) has ink, printed rules taken out; ``None`` when it has none.

    ``faint``, two thresholds (hysteresis): a pen's hairline or a light pressure makes
    pixels only a little darker than the paper; cut at one level, a "2" falls into an arc
    and a bar, a "3" into two hooks, and neither reads as a digit. Faint pixels count
    where they join dark ones, so strokes stay whole and specks of dust stay out. Print
    set close ("/Q") is joined by its antialiased edges that way: read it without."""
    grey = np.asarray(crop.convert("L"), dtype=np.float32)
    paper, darkest = np.percentile(grey, 90), grey.min()
    if paper - darkest < 40:  # no ink to speak of
        return None
    found = grey < paper - _INK * (paper - darkest)
    if faint:
        labels, _ = ndimage.label(grey < paper - _FAINT * (paper - darkest), structure=np.ones((3, 3)))
        dark = np.unique(labels[found])
        found = np.isin(labels, dark[dark > 0])
    found[_rules(found)] = False  # the line under the issuer's name, a dotted leader: they join the digits
    found &= ~_flat(found)
    return found if found.any() else None


def _flat(found: np.ndarray) -> np.ndarray:
    """The strokes of ``found`` that are a rule's, not a digit's: :data:`_FLAT` times wider
    than high and at least :data:`_FLAT_LONG` of the crop's height long."""
    labels, _ = ndimage.label(found, structure=np.ones((3, 3)))
    flat = [k + 1 for k, box in enumerate(ndimage.find_objects(labels)) if box is not None
            and (wide := box[1].stop - box[1].start) >= _FLAT * (box[0].stop - box[0].start)
            and wide >= _FLAT_LONG * found.shape[0]]
    return np.isin(labels, flat)


def _parts(found: np.ndarray) -> list[np.ndarray]:
    """The ink cut into glyphs, left to right, each cropped to its ink: its strokes
    (connected ink), a stroke joined to the one whose columns it mostly shares (a "5"'s
    lifted flag, a "7"'s bar), specks left out. Strokes, not columns: a "7"'s bar reaching
    over the "4" after it, or a mark of the line above over a digit, stays apart; the
    label's ":" is specks."""
    labels, _ = ndimage.label(found, structure=np.ones((3, 3)))
    boxes = [(k + 1, box) for k, box in enumerate(ndimage.find_objects(labels)) if box is not None]
    tallest = max((box[0].stop - box[0].start for _, box in boxes), default=0)
    tall = [box for _, box in boxes if box[0].stop - box[0].start >= _SPECK * tallest]
    top, bottom = min(box[0].start for box in tall), max(box[0].stop for box in tall)
    groups: list[tuple[list[int], int, int]] = []  # the strokes' labels, their columns
    for k, box in sorted(boxes, key=lambda kb: kb[1][1].start):
        (rows, columns), short = box, box[0].stop - box[0].start < _SPECK * tallest
        if short and not top <= (rows.start + rows.stop) / 2 <= bottom:
            continue  # a speck above or below the writing
        for g, (members, a, b) in enumerate(groups):
            if min(b, columns.stop) - max(a, columns.start) >= _SHARED * min(b - a, columns.stop - columns.start):
                groups[g] = ([*members, k], min(a, columns.start), max(b, columns.stop))
                break
        else:
            groups.append(([k], columns.start, columns.stop))
    heights = {k: box[0].stop - box[0].start for k, box in boxes}
    # A glyph of specks alone (the label's ":" read into the blank) is no digit's, however tall together.
    parts = [_cropped(np.isin(labels, members)) for members, _, _ in sorted(groups, key=lambda g: g[1])
             if max(heights[k] for k in members) >= _SPECK * tallest]
    return [part for part in parts if part.shape[0] >= _SPECK * tallest]


def _cropped(part: np.ndarray) -> np.ndarray:
    ys, xs = np.flatnonzero(part.any(axis=1)), np.flatnonzero(part.any(axis=0))
    return part[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1]


def _image(part: np.ndarray) -> Image.Image:
    return Image.fromarray(np.where(part, 0, 255).astype(np.uint8))


def _joined(glyph: Image.Image, widest: float = _WIDEST) -> bool:
    """Whether ``glyph`` is wider, set upright, than one digit is (``widest`` of its
    height): two digits written touching, which the columns without ink could not part
    (read as one, they would drop a digit from the number)."""
    box = _upright(ImageOps.invert(glyph)).getbbox()
    return box is not None and box[2] - box[0] > widest * (box[3] - box[1])


def _rules(ink: np.ndarray) -> np.ndarray:
    """The rows of ``ink`` that hold a run of ink longer than :data:`_RULE` of its width or
    :data:`_RULE_HIGH` of its height, a rule drawn a little aslant too (its run then
    spread over two or three rows)."""
    longest = min(_RULE * ink.shape[1], _RULE_HIGH * ink.shape[0])
    band = ink.copy()
    band[1:] |= ink[:-1]
    band[:-1] |= ink[1:]
    rows = np.zeros(ink.shape[0], dtype=bool)
    for y in np.flatnonzero(band.sum(axis=1) >= longest):
        edges = np.flatnonzero(np.diff(np.concatenate(([0], band[y].astype(np.int8), [0]))))
        rows[y] = (edges[1::2] - edges[::2]).max() >= longest
    return rows


def _band(found: np.ndarray) -> np.ndarray:
    """``found`` less the ink of the lines above and below: rows of ink cut by the crop's
    top or bottom, parted by a blank row from the rows of the writing between them and
    less tall than they are."""
    rows = found.any(axis=1)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    runs = list(zip(edges[::2], edges[1::2], strict=True))
    tallest = max((b - a for a, b in runs if a > 0 and b < len(rows)), default=0)
    kept = found.copy()
    for a, b in runs:
        if (a == 0 or b == len(rows)) and b - a < tallest:
            kept[a:b] = False
    return kept


def _within(found: np.ndarray, margin: int) -> np.ndarray | None:
    """The blank's ink in ``found``, which reaches ``margin`` columns beyond the blank on
    each side: the strokes (connected ink) that reach into the blank, whole, so that a
    digit crossing its side is taken whole and a printed letter beside it (the "t" of
    "tháng" under a "5"'s flag) is not; ``None`` when those run on out of the crop (into
    the printed word there)."""
    labels, _ = ndimage.label(found, structure=np.ones((3, 3)))
    inside = np.unique(labels[:, margin:found.shape[1] - margin])
    blank = np.isin(labels, inside[inside > 0])
    columns = blank.any(axis=0)
    return None if columns[0] or columns[-1] else blank


def read_digits(crop: Image.Image, margin: int = 0, *, whole: bool = True, closed: bool = False) -> Digits | None:
    """The digits written in ``crop`` (the blank, ink dark on paper, with ``margin``
    pixels of what is beside it on either side), or ``None`` when any of its glyphs is not
    surely a digit (see the module docstring), or, for a ``whole`` number, when the glyph
    nearest it in a margin surely is one: the word boxes the blank is found from often
    take in a hand's first or last digit, and the number would lose it (a blank that
    takes a fixed count of digits, such as the day's two, needs no such check). With
    ``closed``, also when the nearest glyph in the right margin is not the printed "/"
    that opens the symbol (one slash, then no other): where Tesseract read the symbol
    with doubt, its box may hold the hand's last digit, written touching the "/"."""
    parts = _glyphs(crop, margin, whole=whole, closed=closed)
    reads = [_read(part) for part in parts or []]
    if not reads or len(reads) > _MAX_GLYPHS or None in reads:
        return None
    digits = "".join(r.digits for r in reads if r is not None)
    confidence = min(r.confidence for r in reads if r is not None)
    return Digits(digits, confidence) if len(digits) <= _MAX_GLYPHS and confidence >= SURE else None


def read_agreed(crop: Image.Image, margin: int = 0, *, whole: bool = True, closed: bool = False,
                most: int = _MAX_GLYPHS) -> Digits | None:
    """The digits written in ``crop``'s blank (as :func:`read_digits` takes it) that the
    classifier is not sure of but the line reader (services/ocr/line_reader.py) reads:
    the line reader reading the blank (its margins left out) as digits, alone or before
    the printed "/" (which then may stand in the blank, see :func:`_glyphs`, with what
    follows it: glyphs after the digits that are surely no digits are left out), with a
    confidence of at least :data:`LINE_SURE`, and the classifier finding as many glyphs
    (each whole or cut into touching digits, at most ``most``) and ruling none of the
    line reader's digits out (each at least :data:`LIKELY` likely: a Vietnamese clerk's
    "1" with its long lead-in stroke is barely a digit to the classifier). ``checked``,
    its confidence the line reader's; ``None`` when they differ, or when the line reader
    is less sure."""
    text, confidence = _line(crop, margin)
    written = _LINE_DIGITS.fullmatch(text)
    if written is None or confidence < LINE_SURE:
        return None
    digits, slashed = written.group(1), bool(written.group(2))
    if len(digits) > most:
        return None
    parts = _glyphs(crop, margin, whole=whole, closed=closed, slashed=slashed)
    if slashed and parts and all(_probabilities_of(part)[NOT_A_DIGIT] >= SURE for part in parts[len(digits):]):
        parts = parts[:len(digits)]  # the print from the "/" the line reader read on, surely no digits
    found = _explained(parts, digits)
    if found is None or min(found) < LIKELY:
        return None
    return Digits(digits, confidence, checked=True)


def _explained(parts: list[np.ndarray] | None, digits: str) -> list[float] | None:
    """The classifier's probability of each of ``digits`` for the glyph it stands for, as
    ``parts`` (the blank's glyphs, each whole or cut into touching digits as
    :func:`_pieces` cuts it) explain them best; ``None`` when no such cut gives as many glyphs."""
    best: dict[int, tuple[float, list[float]]] = {0: (1.0, [])}  # digits explained so far -> (product, each's probability)
    for part in (parts or [])[:_MAX_GLYPHS]:
        ways = [[part], *(_pieces(part) if _joined(_image(part)) else [])]
        options = [[_probabilities_of(piece) for piece in pieces] for pieces in ways]
        step: dict[int, tuple[float, list[float]]] = {}
        for done, (product, found) in best.items():
            for option in options:
                if done + len(option) > len(digits):
                    continue
                these = [float(p[int(d)]) for p, d in zip(option, digits[done:], strict=False)]
                candidate = (product * float(np.prod(these)), found + these)
                if candidate[0] > step.get(done + len(option), (-1.0, []))[0]:
                    step[done + len(option)] = candidate
        best = step
    return best[len(digits)][1] if parts and len(digits) in best else None


def read_fused(crop: Image.Image, margin: int = 0, *, whole: bool = True, closed: bool = False,
               most: int = _MAX_GLYPHS) -> Digits | None:
    """The digits written in ``crop``'s blank (as :func:`read_digits` takes it) as the two
    readers read them together: where the line reader reads as many characters as the
    classifier finds glyphs (cut as :func:`glyph_probabilities` cuts them, at most
    ``most``), each glyph's probabilities times the line reader's for its character (two
    readers of other training, taken as independent), made to sum to 1 again; kept when
    each glyph is then a digit with a probability of at least :data:`FUSED` (``checked``,
    that least probability its confidence). A "2" the line reader takes for an "8" (0.44,
    "2" 0.22) and the classifier surely for a "2" is a "2"; where each is sure of another
    digit (the classifier's "5" at 0.9, the line reader's "3" at 0.96), neither is."""
    if crop.width - 2 * margin < 4:
        return None
    found = _glyph_probabilities(_glyphs(crop, margin, whole=whole, closed=closed), most)
    characters = line_reader.read_digits(crop.crop((margin, 0, crop.width - margin, crop.height)))
    if not found or len(characters) != len(found):
        return None
    digits, least = "", 1.0
    for glyph, character in zip(found, characters, strict=True):
        joint = glyph * np.append(character, max(0.0, 1.0 - float(character.sum())))
        if joint.sum() <= 0:
            return None
        joint /= joint.sum()
        best = int(joint.argmax())
        if best == NOT_A_DIGIT:
            return None
        digits, least = digits + str(best), min(least, float(joint[best]))
    return Digits(digits, least, checked=True) if least >= FUSED else None


def confirmed(read: Digits | None, crop: Image.Image, margin: int = 0, *, whole: bool = True, closed: bool = False,
              most: int = _MAX_GLYPHS) -> Digits | None:
    """``read``, the classifier's reading of ``crop``'s blank (:func:`read_digits`, the
    same arguments), as the line reader sees it: a sure reading the line reader reads
    too (with a confidence of at least :data:`LINE_SURE`) is ``checked``; one it reads as
    many other digits in (with a confidence of at least :data:`VETO`) is left out
    (two readers disagree: what they read together, :func:`read_fused`, or a blank for a
    clerk to fill); where the classifier is not sure, :func:`read_agreed`, else
    :func:`read_fused`."""
    if read is None:
        return (read_agreed(crop, margin, whole=whole, closed=closed, most=most)
                or read_fused(crop, margin, whole=whole, closed=closed, most=most))
    text, confidence = _line(crop, margin)
    if text == read.digits and confidence >= LINE_SURE:
        return Digits(read.digits, read.confidence, checked=True)
    vetoed = text.isdigit() and len(text) == len(read.digits) and text != read.digits and confidence >= VETO
    return read_fused(crop, margin, whole=whole, closed=closed, most=most) if vetoed else read


def _line(crop: Image.Image, margin: int) -> tuple[str, float]:
    """The line reader's reading of ``crop``'s blank, its margins left out."""
    if crop.width - 2 * margin < 4:
        return "", 0.0
    return line_reader.read_line(crop.crop((margin, 0, crop.width - margin, crop.height)))


def glyph_probabilities(crop: Image.Image, margin: int = 0, most: int = _MAX_GLYPHS) -> list[list[float]]:
    """The probabilities of the digits 0-9 of each glyph written in ``crop`` (as
    :func:`read_digits` takes it), left to right, however unsure: a glyph wider than one
    digit counted as the two or three touching digits of its likeliest cut (the greatest
    product of its pieces' likeliest digits) that leaves the blank no more than ``most``
    digits (a day's two). Empty when the
    blank has no ink, or ink that runs on into a printed word. What the parse stage weighs
    a candidate for the blank against (services/parse/signings.py). A glyph at a side of
    the blank that crosses it and is no digit is, more likely, a digit joined to the
    printed letter there (the hand's "1" run into the tail of "ngày"): the ink is then
    read clipped at the blank's sides as well, and the surer of the two readings kept."""
    readings = [_glyph_probabilities(_glyphs(crop, margin, whole=False), most)]
    first = readings[0]
    if first and NOT_A_DIGIT in (int(first[0].argmax()), int(first[-1].argmax())):
        readings.append(_glyph_probabilities(_glyphs(crop, margin, whole=False, clipped=True), most))
    best = max(readings, key=lambda found: np.prod([p[:NOT_A_DIGIT].max() for p in found]) if found else -1.0)
    return [[round(float(p), 3) for p in probabilities[:NOT_A_DIGIT]] for probabilities in best]


def _glyph_probabilities(parts: list[np.ndarray] | None, most: int) -> list[np.ndarray]:
    """Each of ``parts``' probabilities (the eleven classes), as :func:`glyph_probabilities` counts them."""
    parts = (parts or [])[:_MAX_GLYPHS]
    found: list[np.ndarray] = []
    for k, part in enumerate(parts):
        room = most - len(found) - (len(parts) - k - 1)  # the digits this glyph may be, the rest one each
        cuts = [[_probabilities_of(piece) for piece in pieces] for pieces in _pieces(part)
                if len(pieces) <= room] if _joined(_image(part)) else []
        found += max(cuts, key=lambda cut: np.prod([p[:NOT_A_DIGIT].max() for p in cut]), default=[_probabilities_of(part)])
    return found


def _glyphs(crop: Image.Image, margin: int, *, whole: bool, closed: bool = False,
            clipped: bool = False, slashed: bool = False) -> list[np.ndarray] | None:
    """The glyphs of the ink in ``crop``'s blank (see :func:`read_digits`), left to right,
    ``clipped`` at the blank's sides or not; ``None`` when it has none, when a glyph runs
    on into a printed word, for a ``whole`` number, when a glyph beside the blank may be
    one of its digits, or, ``closed``, when the printed "/" does not stand next after it.
    ``slashed``: the printed "/" may stand in the blank itself (a word box of Tesseract's
    that took in the hand's last digit ends the blank too far right); the glyphs then end
    before it."""
    found = ink(crop)
    if found is None:
        return None
    found = _band(found)
    blank = _within(found, margin)
    if blank is None or not blank.any():
        return None  # nothing written, or a digit run into a printed word
    if clipped:
        blank[:, :margin] = blank[:, blank.shape[1] - margin:] = False
        if not blank.any():
            return None
    columns = np.flatnonzero(blank.any(axis=0))
    left, right = int(columns[0]), int(columns[-1]) + 1
    beside = found & ~blank
    parts = _parts(blank[:, left:right])
    tallest = max((part.shape[0] for part in parts), default=0)
    # The printed "/" next after the digits ends the number, whatever the letter it is set against reads as.
    after = _strokes(beside[:, right:], tallest)
    if _slash_at(after) != 0 and (printed := ink(crop, faint=False)) is not None:
        # Faint pixels join print set close ("/Q") by its antialiased edges: apart without them.
        apart = _strokes((beside & printed)[:, right:], tallest)
        after = apart if _slash_at(apart) == 0 else after
    slash = _slash_at([*parts, *after], 1) if slashed else _slash_at(after)
    closes = slash == (len(parts) if slashed else 0)
    if slashed and slash is not None and 0 < slash < len(parts):
        parts, closes = parts[:slash], True
    if whole and (_beside(np.fliplr(beside[:, :left]), tallest, mirrored=True)
                  or (not closes and _beside(beside[:, right:], tallest))):
        return None
    if closed and not closes:
        return None
    return parts


def _strokes(outwards: np.ndarray, tallest: int) -> list[np.ndarray]:
    """The glyphs of a right margin (``outwards``: its columns from the blank's side on),
    left to right, beside digits ``tallest`` pixels high: its strokes (connected ink, a
    thin one broken by a coarse scan bridged over a row), the dots of specks left out. The
    print's "/" often shares columns with the letter after it ("/C")."""
    labels, count = ndimage.label(ndimage.binary_dilation(outwards, structure=np.ones((3, 1))))
    labels[~outwards] = 0
    boxes = ndimage.find_objects(labels)
    glyphs = [_cropped(labels[boxes[k]] == k + 1) for k in sorted(
        (k for k in range(count) if boxes[k] is not None), key=lambda k: boxes[k][1].start)]
    return [g for g in glyphs if g.shape[0] >= max(_SLASH_ROWS, _SLASH_LOW * tallest)]


def _slash_at(glyphs: list[np.ndarray], start: int = 0) -> int | None:
    """Where in ``glyphs``, from ``start`` on, the printed "/" that opens the symbol
    stands: the first slash not followed by another ("51 /QĐ", not "3 1 /QĐ": a "1"
    written aslant is a slash too); ``None`` when there is none."""
    return next((k for k in range(start, len(glyphs))
                 if _slash(glyphs[k]) and not (k + 1 < len(glyphs) and _slash(glyphs[k + 1]))), None)


def _slash(glyph: np.ndarray) -> bool:
    """Whether ``glyph`` is one thin straight stroke rising to the right: nearly every row
    one run of ink, no row more than a few pixels wide, their centres on one line leaning
    :data:`_SLASH_LEAN`. An "0" or an "8" written aslant, or an "a", has two runs in its
    rows; a "2"'s foot, a "7"'s bar or a "t"'s bar is a row as wide as the glyph."""
    rows = np.flatnonzero(glyph.any(axis=1))
    if len(rows) < _SLASH_ROWS:
        return False
    ink = glyph[rows]
    runs = (np.diff(ink.astype(np.int8), axis=1, prepend=0) == 1).sum(axis=1)
    first, last = ink.argmax(axis=1), ink.shape[1] - 1 - ink[:, ::-1].argmax(axis=1)
    xs = (first + last) / 2
    lean, offset = np.polyfit(rows, xs, 1)
    straight = np.abs(xs - (lean * rows + offset)).mean() <= _SLASH_BEND * len(rows)
    single = (runs == 1).mean() >= _SLASH_SINGLE
    thin = (last - first + 1).max() <= _SLASH_WIDTH * len(rows)
    return bool(_SLASH_LEAN[0] <= -lean <= _SLASH_LEAN[1] and straight and single and thin)


def _beside(outwards: np.ndarray, tallest: int, *, mirrored: bool = False) -> bool:
    """Whether the glyph nearest the blank in a margin (``outwards``: its columns from the
    blank's side on, ``mirrored`` for the left margin's) may be a digit of the blank's,
    whose ``tallest`` digit is so many pixels high: surely a digit and not much shorter
    (a hand writes a number's digits at one size; the print's "/" may read as a "1"), or
    cut by the crop's side so that no one can tell."""
    columns = outwards.any(axis=0)
    if not columns.any():
        return False
    start = int(columns.argmax())
    gaps = np.flatnonzero(~columns[start:])
    if not gaps.size:
        return True  # it runs on out of the crop
    glyph = _cropped(outwards[:, start:start + gaps[0]])
    return glyph.shape[0] >= _OWN_SIZE * tallest and _read(np.fliplr(glyph) if mirrored else glyph) is not None


def _read(part: np.ndarray) -> Digits | None:
    """A glyph of the blank read as one digit, or as touching digits when it is wider than
    one; one a little wider that no cut reads as digits may be one round digit (an "0")."""
    if not _joined(_image(part)):
        return _glyph(part)
    return _split(part) or _glyph(part, _ROUND)


def _glyph(part: np.ndarray, widest: float = _WIDEST) -> Digits | None:
    """``part`` read as one digit, when it is at most ``widest`` of its height wide and surely a digit."""
    glyph = _image(part)
    if _joined(glyph, widest):
        return None
    probabilities = _probabilities_of(part)
    best = int(probabilities.argmax())
    return Digits(str(best), float(probabilities[best])) if best != NOT_A_DIGIT and probabilities[best] >= SURE else None


def _probabilities_of(part: np.ndarray) -> np.ndarray:
    return classify(normalise(_image(part))[None])[0]


def _split(part: np.ndarray) -> Digits | None:
    """``part``, too wide for one digit, read as two or three touching digits: cut at the
    columns of least ink, kept only when every piece is surely a digit (the surest cut)."""
    best = None
    for pieces in _pieces(part):
        reads = [_glyph(piece, _ROUND) for piece in pieces]
        if all(r is not None and r.confidence >= SPLIT_SURE for r in reads):
            read = Digits("".join(r.digits for r in reads if r is not None), min(r.confidence for r in reads if r is not None))
            if best is None or read.confidence > best.confidence:
                best = read
    return best


def _pieces(part: np.ndarray) -> Iterator[list[np.ndarray]]:
    """The ways of cutting ``part`` into two or three touching digits at its columns of
    least ink, each piece at least :data:`_NARROWEST` of the height wide."""
    height, width = part.shape
    if width < 2 or width > _MAX_TOUCHING * _WIDEST * height:
        return
    weight = part.sum(axis=0)
    least = max(2, round(_NARROWEST * height))
    cuts = sorted((x for x in range(least, width - least + 1) if weight[x] <= weight[max(0, x - 2):x + 3].min()),
                  key=lambda x: weight[x])[:_CUTS]
    for count in (1, 2):  # two digits (one cut), three (two cuts)
        for chosen in itertools.combinations(sorted(cuts), count):
            bounds = [0, *chosen, width]
            if all(b - a >= least and part[:, a:b].any() for a, b in itertools.pairwise(bounds)):
                yield [_cropped(part[:, a:b]) for a, b in itertools.pairwise(bounds)]


@dataclass(frozen=True)
class _Blank:
    """A blank of the form: where its printed label stands, the printed word after it,
    and what may be written in it."""

    field: Literal["number", "day", "month"]
    label: Callable[[list[str], int], bool]  # the line's folded words, the label's index
    ends: Callable[[str, bool], int | None]  # where in a word's text (the label's own: True) the printed word after the blank starts
    digits: int  # at most
    limit: int
    written: int = 1  # the fewest digits a hand writes there
    sure: float = SURE  # the least probability of each digit read into it


def _number_label(folded: list[str], i: int) -> bool:
    return i == 0 and re.match(r"^so:?", folded[0]) is not None


def _day_label(folded: list[str], i: int) -> bool:
    return folded[i].startswith("ngay") and i > 0 and folded[i - 1].endswith((",", "."))  # "Lào Cai, ngày"


def _month_label(folded: list[str], i: int) -> bool:
    return folded[i] == "thang" and any(f.startswith("ngay") for f in folded[max(0, i - 3):i])


def _symbol_start(text: str, glued: bool) -> int | None:
    """Where the symbol starts in a word after "Số:" (the issuer's upper-case code:
    "/QĐ-UBND", "-CV/TU", "/C04-P6"; a "/" alone may be the hand's): in the label's own
    word (``glued``), after the digits Tesseract read into it ("Số:2214/BCA-C04"), but not
    into a reference's ("15/2020/TT-BGDĐT"); a word of its own with a "/" or "-" before a
    capital is the printed number and symbol ("2496/UBND-KT", "/QĐ-UBND"; capitals alone,
    "IFA", are a hand's digits misread), unless what comes before its "/" has no digit or
    ASCII letter: that is the hand's digits Tesseract read into the symbol's box
    ("ÉŠ/KH-DCT"); ``None`` when the word has none."""
    if glued and (front := re.match(r"[^/A-Za-zĐđ]*(?=[/-][A-ZĐ])", text)):
        return front.end()
    if (front := re.match(r"[^/0-9A-Za-z]+(?=/[A-ZĐ])", text)):
        return front.end()
    return 0 if re.search(r"[/-][A-ZĐ]", text) else None


def _found(pattern: str, text: str) -> int | None:
    """Where ``pattern`` starts in ``text`` (folded), after nothing but what a hand's digits
    read as (no letters: "4thang", "(2thang"); ``None`` when it is not there so."""
    match = re.search(pattern, text)
    return match.start() if match and not re.search(r"[a-z]", text[:match.start()]) else None


# The number's sequence after "Số:" opening its line, before the symbol (:func:`_symbol_start`):
# nothing on the page checks it, so it must be surer. The day after "<place>, ngày", before
# "tháng": Decree 30/2020 writes it with two digits ("ngày 05"), so a hand's single digit
# is one digit of two, the other lost. The month after that "tháng", before "năm". The
# parser checks the date against the e-signature's time.
_BLANKS = (
    _Blank("number", _number_label, lambda text, glued: _symbol_start(text, glued), 6, 999_999, sure=0.98),
    _Blank("day", _day_label, lambda text, _: _found("thang", fold(text)), 2, 31, written=2),
    _Blank("month", _month_label, lambda text, _: _found("nam", fold(text)), 2, 12),
)
_LABEL = re.compile(r"^(so:?|ngay|thang)")
_PRINTED = re.compile(r"^[^A-Za-zĐđ/]+")  # before the printed word after a blank: the hand's, read by Tesseract
_HEADER = 0.4  # of the page height: the number and date lines sit in the header
_TRUSTED = 80.0  # Tesseract's confidence in digits it read in a blank: below, they are a hand's, re-read
_ABOVE, _BELOW = 0.5, 0.3  # of the line's height: handwriting rises above the printed line more than below
_MARGIN = 1.0  # of the line's height: how far beyond the blank's side a digit crossing it may reach
_OVERSIZED = 1.25  # a printed word's box this much wider than its letters took in handwriting beside it
# A blank's ink is a coloured pen's when at least this share of it is saturated (chroma
# over the paper's by _HAND_CHROMA of 255, and darker than the paper by _HAND_DARKER): a
# blue ballpoint's digits measure 0.5-1, black print beside them 0 (its JPEG fringes stay
# under 20), a portal's bluish paper tint is the paper's own chroma.
_HAND_SHARE, _HAND_CHROMA, _HAND_DARKER = 0.3, 40, 40
_FRINGE = 0.1  # of the largest stroke's ink: a smaller spot of colour is the print's fringe


def fill(upright: raster.PageImage, lines: list[Line]) -> tuple[list[Line], list[BlankInk]]:
    """``lines`` (page points) with the digits written into the header's blanks put in
    their place, each marked ``handwritten``; a blank Tesseract read with confidence as
    what the form allows there stays as it is unless its ink surely reads otherwise (see
    the module docstring). With them, the ink of each blank read but not surely
    (:func:`glyph_probabilities`)."""
    frame = upright.frame
    if frame is None:
        return lines, []
    height = frame.size[1]
    blanks: list[BlankInk] = []
    return [_filled(upright, ln, blanks) if ln.box[1] < _HEADER * height else ln for ln in lines], blanks


def _filled(upright: raster.PageImage, line: Line, blanks: list[BlankInk]) -> Line:
    """``line`` with its blanks filled (see :func:`fill`); the ink of those not read surely added to ``blanks``."""
    words = list(line.words)
    for blank in _BLANKS:
        folded = [fold(w.text).strip() for w in words]
        i = next((i for i in range(len(words)) if blank.label(folded, i)), None)
        if i is None:
            continue
        label = _LABEL.match(folded[i])
        found = _end(blank, words, i, label.end() if label else len(words[i].text), line)
        if found is None:
            continue
        parted, end = found
        glued = parted[i].text[label.end():] if label else ""  # "Số:0+": the blank read into the label
        slot = parted[i + 1:end]
        written = glued + "".join(w.text for w in slot)
        read_by = [parted[i], *slot] if glued else slot
        left = _printed_end(parted[i], label.end(), line) if glued and label else _printed_stop(parted[i], line)
        box = (left, line.box[1], _printed_start(parted[end], line), line.box[3])
        whole = blank.written < blank.digits
        trusted = _allowed(blank, written) and all((w.confidence or 100.0) >= _TRUSTED for w in read_by)
        pen, grey = _pen_crop(upright, box, parted[end].box[2]), _crop(upright, box)
        # A printed word after the blank read with doubt may hold the hand's last digit ("9/KH-BCA"):
        # in grey, the ink before it is then the whole number only up to the symbol's printed "/"
        # (a day's two digits less one are too few).
        closed = whole and (parted[end].confidence or 100.0) < _TRUSTED
        crops = [(crop, closed and crop is grey) for crop in (pen, grey) if crop]
        reads = [read_digits(*crop, whole=whole, closed=shut) for crop, shut in crops]
        if trusted and all(r is None or r.digits == written for r in reads):
            continue  # Tesseract's digits, confident, and not belied by the ink surely read otherwise
        # The hand's reading counts here: the second reader's word on it (only now: it costs ~25 ms a blank).
        reads = [confirmed(r, *crop, whole=whole, closed=shut, most=blank.digits) for r, (crop, shut) in zip(reads, crops, strict=True)]
        # Belied by the pen's ink: its reading; by the grey's alone: two readers of one ink differ, neither.
        read = _agreed(reads) if not trusted or pen else None
        printed = _PRINTED.sub("", parted[end].text)
        if (printed and printed != parted[end].text
                and (pen or (closed and grey is not None and _glyphs(*grey, whole=False) is not None))):
            # The pen's ink is read up to the printed word's end, the grey's up to the "/" that
            # closes the number: what Tesseract read before the word's letters ("9/KH-BCA-C04"),
            # with doubt in grey after the hand's first digits, is the hand's, read here or not
            # at all. (A typed "2496/UBND-KT" read with doubt has no ink before it.)
            written += parted[end].text[:len(parted[end].text) - len(printed)]
            tail = parted[end].model_copy(update={"text": printed})
            parted = [*parted[:end], tail.model_copy(update={"box": (_printed_start(tail, line), *tail.box[1:])}),
                      *parted[end + 1:]]
        if (read is not None and (read.confidence >= blank.sure or read.checked) and len(read.digits) >= blank.written
                and _allowed(blank, read.digits)):
            filled = [Word(text=read.digits, box=box, confidence=round(100 * read.confidence, 1), handwritten=True)]
        else:
            if (crop := pen or grey) and (glyphs := glyph_probabilities(*crop, most=blank.digits)):
                text, confidence = _line(*crop)
                blanks.append(BlankInk(field=blank.field, glyphs=glyphs, **(
                    {"line": text, "line_confidence": round(confidence, 3)} if text.isdigit() else {})))
            # Digits Tesseract guessed from a hand ("Số:2214/BCA" for 4214): a blank with its warning is
            # better. A number's label read with the strokes and no colon ("Sô⁄1†") stays as read: cut,
            # it may no longer read as "Số:".
            if not any(c.isdigit() for c in written) or (glued and whole and not parted[i].text[:label.end()].endswith(":")):
                continue
            filled = []
        labelled = parted[i].model_copy(update={"text": parted[i].text[:label.end()], "box": (
            parted[i].box[0], parted[i].box[1], left, parted[i].box[3])}) if glued and label else parted[i]
        words = [*parted[:i], labelled, *filled, *parted[end:]]
    return line if words == line.words else geometry.line_of(words, starts_paragraph=line.starts_paragraph)


def _end(blank: _Blank, words: list[Word], i: int, after: int, line: Line) -> tuple[list[Word], int] | None:
    """The printed word that ends ``blank`` (labelled by ``words[i]``, whose first
    ``after`` letters are the label): ``words`` with it parted from what Tesseract read
    into the front of its box ("ngày4tháng", "(2tháng"), and its index; ``None`` when the
    line has none."""
    for j in range(i, len(words)):
        start = blank.ends(words[j].text[after if j == i else 0:], j == i)
        if start is None:
            continue
        if j == i:
            start += after
        elif start == 0:
            return words, j
        head, tail = words[j].text[:start], words[j].text[start:]
        cut = _printed_start(words[j].model_copy(update={"text": tail}), line)
        return [*words[:j], words[j].model_copy(update={"text": head, "box": (*words[j].box[:2], cut, words[j].box[3])}),
                words[j].model_copy(update={"text": tail, "box": (cut, *words[j].box[1:])}), *words[j + 1:]], j + 1
    return None


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


def _printed_stop(word: Word, line: Line) -> float:
    """Where ``word``'s printed letters end: Tesseract often takes the handwriting just
    after a printed word into its box ("ngày" over the day's first digit)."""
    width = _letter_width(line, word)
    if width is None or word.box[2] - word.box[0] <= _OVERSIZED * width * len(word.text):
        return word.box[2]
    return word.box[0] + width * len(word.text)


def _printed_end(word: Word, letters: int, line: Line) -> float:
    """Where the first ``letters`` printed letters of ``word`` end (the rest was read from
    the handwriting after them)."""
    width = _letter_width(line, word)
    return word.box[0] + (width * letters if width else (word.box[2] - word.box[0]) / 2)


def _agreed(reads: list[Digits | None]) -> Digits | None:
    """The surest of ``reads`` of one blank, when those that read it agree; ``None`` when none did or they differ."""
    found = [r for r in reads if r is not None]
    return max(found, key=lambda r: r.confidence) if found and len({r.digits for r in found}) == 1 else None


def _region(upright: raster.PageImage, box: Box) -> tuple[float, float, float, float, int] | None:
    """Where ``box`` (page points, a line's height) lies on the prepared image, from a
    little above to a little below the line (left, top, right, bottom), with the margin
    on either side for a digit that crosses the box's side; ``None`` when it is too low to
    hold a digit."""
    frame = upright.frame
    assert frame is not None
    pt = frame.dpi / 72 * frame.scale  # pixels of the prepared image per page point
    tall = box[3] - box[1]
    left, right = box[0] * pt - frame.x0 * frame.scale, box[2] * pt - frame.x0 * frame.scale
    top = (box[1] - _ABOVE * tall) * pt - frame.y0 * frame.scale
    bottom = (box[3] + _BELOW * tall) * pt - frame.y0 * frame.scale
    left, top = max(0.0, left) + 1, max(0.0, top)
    right, bottom = min(float(upright.image.width), right) - 1, min(float(upright.image.height), bottom)
    if bottom - top < 4:
        return None
    return left, top, right, bottom, round(min(_MARGIN * tall * pt, left, max(0.0, upright.image.width - right)))


def _crop(upright: raster.PageImage, box: Box) -> tuple[Image.Image, int] | None:
    """The prepared image of ``box`` (see :func:`_region`) with its margins, and the
    margin's width (as :func:`read_digits` takes them); ``None`` when the box is too small
    to hold a digit."""
    region = _region(upright, box)
    if region is None or region[2] - region[0] < 4:
        return None
    left, top, right, bottom, margin = region
    return upright.image.crop((round(left) - margin, round(top), round(right) + margin, round(bottom))), margin


def _pen_crop(upright: raster.PageImage, box: Box, reach: float) -> tuple[Image.Image, int] | None:
    """On a page scanned in colour whose blank is written in a coloured pen (a blue
    ballpoint), the pen's ink alone in ``box`` and its margins (see :func:`_crop`), the
    black print whitened, reaching on to ``reach`` (page points: the end of the printed
    word after the blank, over any of the hand's digits Tesseract read into that word,
    "ÉŠ/KH-DCT"), and a margin of 0: every stroke in it is the hand's, and none touches a
    printed "/" or the tail of "ngày". ``None`` on a grey page or a blank not so written."""
    frame, region = upright.frame, _region(upright, box)
    if upright.colour is None or frame is None or region is None:
        return None
    left, top, right, bottom, margin = region
    pt = frame.dpi / 72 * frame.scale
    far = round(min(float(upright.image.width), max(right + margin, reach * pt - frame.x0 * frame.scale)))
    wide = (round(left) - margin, round(top), far, round(bottom))
    # The colour image is the upright page at frame.dpi, before the crop and scale.
    hand = _coloured_ink(upright.colour.crop(tuple(round(v / frame.scale + o) for v, o in zip(
        wide, (frame.x0, frame.y0, frame.x0, frame.y0), strict=True))), max(0.0, far - right - margin) / frame.scale)
    return None if hand is None else (hand.resize((wide[2] - wide[0], wide[3] - wide[1]), Image.Resampling.BILINEAR), 0)


def _coloured_ink(rgb: Image.Image, beyond: float) -> Image.Image | None:
    """``rgb`` in grey with only its coloured ink dark (more saturated than its paper by
    :data:`_HAND_CHROMA`, and darker), when that ink is at least :data:`_HAND_SHARE` of the
    ink in the blank and its margins (all but the last ``beyond`` pixels: the blank is
    written in a coloured pen); else ``None``."""
    pixels = np.asarray(rgb, dtype=np.int16)
    if pixels.size == 0:
        return None
    value, chroma = pixels.mean(axis=-1), pixels.max(axis=-1) - pixels.min(axis=-1)
    paper = np.percentile(value, 90)
    hand = (chroma - np.median(chroma) > _HAND_CHROMA) & (value < paper - _HAND_DARKER)
    inked = value < paper - _INK * (paper - value.min())
    inside = slice(0, max(1, pixels.shape[1] - round(beyond)))
    if not inked[:, inside].any() or hand[:, inside].sum() < _HAND_SHARE * inked[:, inside].sum():
        return None
    # The print's edges keep a fringe of colour from the scan's JPEG: specks, far smaller than a pen's stroke.
    labels, count = ndimage.label(hand, structure=np.ones((3, 3)))
    sizes = ndimage.sum_labels(hand, labels, range(1, count + 1))
    kept = np.isin(labels, 1 + np.flatnonzero(sizes >= _FRINGE * sizes.max()))
    # The stroke as dark and as wide as the grey page shows it: its saturated core is thinner.
    kept = ndimage.binary_dilation(kept, iterations=2)
    return Image.fromarray(np.where(kept, value, 255).astype(np.uint8))

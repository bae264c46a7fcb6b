"""What of an upright page goes to Tesseract: its text area, despeckled, scaled to its
text size, whole or in bands.

Everything but the text size is measured on the ~75 dpi ink map of
:func:`orientation.ink` (its row and column sums); only the text size, the final crop,
blur, scaling and cuts touch the full-resolution image.

* Text area (:func:`prepare`): Tesseract's page analysis takes time in proportion to
  the image's area, text or not, so the margins are cropped off, keeping a pad. On the
  samples a full page reads a few percent faster, a half-empty last page ~40%. The ink
  map has averaged isolated specks away, so dust in the margins does not widen the
  area; a page without ink is left whole.
* Text size (:func:`prepare`): Tesseract's recogniser scales every text line to 36
  pixels high, so the pixels of larger text only cost page analysis time. The size is
  measured as the median height of the lines' dense cores, the rows from x-height to
  baseline that hold most of a line's ink (diacritics, ascenders and descenders are
  sparse, so lines that touch still part there): about 32 pixels for 13 pt at 300 dpi,
  23 at 200 dpi. A page whose cores are taller than 22 pixels is scaled down to that
  (Lanczos), never below 150 dpi and not at all by less than 10%. On 13 pt scans at
  300 dpi that is about 0.7: Tesseract ~15% faster, and the character error rate no
  higher than unscaled on any of the six size, spacing and resolution mixes tried
  (10-13 pt, single to 1.35 spacing, 200-300 dpi); a box filter, or Lanczos to 24
  pixels, was worse on some. OpenCV's bicubic takes a tenth of Lanczos's ~60 ms a page
  and read the rendered scans as well, but cost the real portal scans two numbers and
  three signers of 27 (``bench/corpus.py pdfs``). Portal scans of 13 pt at 200 dpi are
  left as they are.
* Despeckling (:func:`prepare`): a 3x3 tent blur turns isolated dark pixels (scanner
  dust) into a light grey that Tesseract's binarisation drops, while strokes, 3 px and
  wider at 300 dpi, stay dark. On the bench scans the character error rate falls from
  0.15% to 0.06%, for ~25 ms a page and ~3% more recognition time. Only from 200 dpi
  up, where strokes are that wide.
* Bands (:func:`split`, :func:`join`): a page cut at blank rows into horizontal bands
  that Tesseract reads concurrently, one process each. Each cut goes through the widest
  gap between two lines near its target, so that every line stays whole in one band.
  The page stays whole when it has too few lines for the bands to be worth a process
  each (~0.1 s to start), when no gap near a target is clean, or when the lines around
  a gap stand in columns (a letterhead, a signature block beside the distribution
  list), where bands would interleave the columns' reading order.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

from PIL import Image, ImageFilter

from services.ocr import geometry, orientation, raster, tesseract
from vanthu.events import Line

_BLANK = 1  # a row or column of the ink map averaging less (under ~1 ink pixel in 250) is blank
_PAD_INCH = 0.2
_CORE_PX = 22  # the text is scaled down until its median line core is this tall
_MAX_SCALE = 0.9  # a slighter reduction saves little time for the softening it costs
_MIN_CORE_PX = 3  # a thinner dark run is a rule or a scratch, not text
_CORE_INK = 0.5  # a row is in a line's core when its ink is half way from the page's light rows to its dark ones
_MIN_SCALED_DPI = 150
_DESPECKLE_MIN_DPI = 200
_ASSUMED_WIDTH_INCH = 8.27  # A4: the width of an image whose resolution is unknown
_MIN_GAP = 2  # ink-map rows (~8 px at 300 dpi): a narrower gap may hold a descender or a diacritic
_MIN_LINES = 4  # per band
_WINDOW = 0.2  # a cut is searched this fraction of a band's height either side of its target
_PARAGRAPH_GAP = 1.5  # a gap this many times the median gap between lines ends a paragraph
_GUTTER = 0.04  # a blank run this fraction of the text's width, between inked ones, parts columns
_GUTTER_LINES = 3  # lines either side of a gap looked at for columns


@dataclass(frozen=True)
class Bands:
    """A page as horizontal bands, top to bottom, and the text that joins each to the next:
    ``"\\n\\n"`` when the cut lies between paragraphs, else ``"\\n"``; ``tops``: where
    each band starts in the page's pixels."""

    images: list[Image.Image]
    joins: list[str]
    tops: list[int] = field(default_factory=lambda: [0])


def prepare(page: raster.PageImage) -> raster.PageImage:
    """The text area of the upright page (mode ``L``), despeckled from 200 dpi up and
    scaled down when its text is larger than Tesseract needs; ``dpi`` as scaled, ``frame``
    the crop and scale."""
    image, dpi = page.image, page.dpi
    binary, factor = orientation.ink(image)
    lines, columns = _runs(_profile(binary, rows=True)), _runs(_profile(binary, rows=False))
    estimated = resolution(page)
    left = top = 0
    if lines and columns:
        pad = round(_PAD_INCH * estimated)
        left, top = max(0, columns[0][0] * factor - pad), max(0, lines[0][0] * factor - pad)
        image = image.crop(
            (left, top, min(image.width, columns[-1][1] * factor + pad), min(image.height, lines[-1][1] * factor + pad))
        )
    if estimated >= _DESPECKLE_MIN_DPI:
        image = image.filter(ImageFilter.BoxBlur(0.5))
    scale = 1.0
    if (core := _core_height(image)) is not None:
        scale = max(_CORE_PX / core, _MIN_SCALED_DPI / estimated)
        if scale < _MAX_SCALE:
            image = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
            dpi = round(dpi * scale) if dpi else None
        else:
            scale = 1.0
    frame = geometry.Frame(left, top, scale, page.image.width, page.image.height, estimated)
    return raster.PageImage(image, dpi, frame, page.colour_of, page.coloured)


def resolution(page: raster.PageImage) -> float:
    """The page's resolution in dpi, estimated from its width (as A4) when unknown."""
    return page.dpi or page.image.width / _ASSUMED_WIDTH_INCH


def split(image: Image.Image, parts: int) -> Bands:
    """``image`` (mode ``L``) cut into ``parts`` bands of about equal height, or left whole."""
    whole = Bands([image], [])
    if parts < 2:
        return whole
    binary, factor = orientation.ink(image)
    lines = _runs(_profile(binary, rows=True))
    if len(lines) < _MIN_LINES * parts:
        return whole
    gaps = [(above[1], below[0]) for above, below in zip(lines, lines[1:])]
    typical = statistics.median(end - start for start, end in gaps)
    height = (lines[-1][1] - lines[0][0]) / parts
    cuts: list[tuple[int, int]] = []
    for k in range(1, parts):
        target = lines[0][0] + k * height
        near = [
            (start, end)
            for i, (start, end) in enumerate(gaps)
            if end - start >= _MIN_GAP
            and abs((start + end) / 2 - target) <= _WINDOW * height
            and not _in_columns(binary, lines, i)
        ]
        if not near:
            return whole
        cuts.append(max(near, key=lambda gap: (gap[1] - gap[0], -abs((gap[0] + gap[1]) / 2 - target))))
    edges = [0, *(min(image.height, (start + end) // 2 * factor) for start, end in cuts), image.height]
    return Bands(
        images=[image.crop((0, top, image.width, bottom)) for top, bottom in zip(edges, edges[1:])],
        joins=["\n\n" if end - start > _PARAGRAPH_GAP * typical else "\n" for start, end in cuts],
        tops=edges[:-1],
    )


def join(readings: list[tesseract.Recognition], joins: list[str]) -> tesseract.Recognition:
    """One page's reading from its bands' readings (as :class:`Bands` orders them); the
    readings' lines must already be in page coordinates."""
    text = ""
    lines: list[Line] = []
    for separator, reading in zip(["", *joins], readings, strict=True):
        if reading.text:
            text = f"{text}{separator}{reading.text}" if text else reading.text
        if reading.lines:
            # A band's first line starts a paragraph for Tesseract; on the page only when the cut did.
            first = reading.lines[0].model_copy(update={"starts_paragraph": not lines or separator == "\n\n"})
            lines += [first, *reading.lines[1:]]
    words = sum(r.words for r in readings)
    weighted = sum((r.confidence or 0.0) * r.words for r in readings)
    return tesseract.Recognition(text=text, confidence=weighted / words if words else None, words=words, lines=lines)


def _core_height(image: Image.Image) -> float | None:
    """The median height in pixels of the text lines' dense cores; ``None`` without text."""
    ink = [255 - grey for grey in _profile(image, rows=True)]
    ranked = sorted(ink)
    light, dark = ranked[len(ranked) // 10], ranked[len(ranked) * 9 // 10]
    if dark - light < 2:  # no lines stand out of the paper
        return None
    threshold = light + _CORE_INK * (dark - light)
    cores = [end - start for start, end in _runs(bytes(v >= threshold for v in ink)) if end - start >= _MIN_CORE_PX]
    return statistics.median(cores) if cores else None


def _profile(image: Image.Image, *, rows: bool) -> bytes:
    """The mean value of each row (or column) of ``image``: of its ink, on an ink map."""
    return image.reduce((image.width, 1) if rows else (1, image.height)).tobytes()


def _runs(profile: bytes) -> list[tuple[int, int]]:
    """The [start, end) runs of inked entries in ``profile``: text lines, or inked columns."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, value in enumerate(profile):
        if value >= _BLANK and start is None:
            start = i
        elif value < _BLANK and start is not None:
            runs.append((start, i))
            start = None
    if start is not None:
        runs.append((start, len(profile)))
    return runs


def _in_columns(binary: Image.Image, lines: list[tuple[int, int]], gap: int) -> bool:
    """Whether the lines either side of ``gap`` (between ``lines[gap]`` and the next) stand in columns."""
    top = lines[max(0, gap + 1 - _GUTTER_LINES)][0]
    bottom = lines[min(len(lines), gap + 1 + _GUTTER_LINES) - 1][1]
    columns = _runs(_profile(binary.crop((0, top, binary.width, bottom)), rows=False))
    widest = max((right[0] - left[1] for left, right in zip(columns, columns[1:])), default=0)
    return widest >= _GUTTER * (columns[-1][1] - columns[0][0])

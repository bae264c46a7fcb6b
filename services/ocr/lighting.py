"""Uneven light on a page evened out before anything measures or reads it.

A phone photo of a directive, or a copy of a curled page, is darker towards one side or
corner. Tesseract binarises with one threshold for the whole page (Otsu), so where
the paper is as dark as the ink elsewhere, a whole region turns black and its text is
lost: with light falling off to 35% in one corner, Tesseract alone misreads a third
of the page. The ink map (orientation.ink) has a fixed threshold and fails the same way.

The paper's brightness is estimated on a ~25 dpi copy: a maximum filter wipes out the
text strokes, which are darker than the paper around them, and a blur smooths the
result. Each pixel is then divided by the paper's brightness around it. A page whose
paper is even (the darkest 2% of it within 20% of the brightest, as on any flatbed
scan) is returned unchanged, after ~10 ms of looking.

A photo may also show the desk around the sheet: a dark surround that the ink profiles
would take for text (a sideways page would go unnoticed) and that Tesseract would try to
read. :func:`on_paper` crops it off first: every edge row or column that is mostly dark,
when they add up to a desk (a scanner's thin black edge is left: cropping it changed
what Tesseract read on portal scans, for the worse as often as not).
"""

from __future__ import annotations

import dataclasses
import itertools

from PIL import Image, ImageFilter, ImageMath

from services.ocr import raster

_REDUCE = 12  # 300 dpi -> 25 dpi: a stroke (under 1 mm) is under a pixel there
_STROKE_FILTER = 5  # maximum filter size, 5 mm at 25 dpi: wider than any glyph's stroke
_SMOOTH = 2  # blur radius of the paper estimate, in reduced pixels
_EVEN = 0.8  # the darkest paper (2nd percentile) at least this fraction of the brightest
_DARKEST_PAPER = 48  # darker is no paper (a table edge, a black border): gain at most ~5x
_PROFILE_WIDTH = 600  # pixels the surround is looked for at: ~75 dpi for A4


_SURROUND_DARK = 80  # grey below this is no paper, however badly lit
_SURROUND = 0.6  # an edge row or column darker than this fraction of its length is surround
_MIN_SURROUND = 0.05  # of the page's width or height: less is a scanner's edge, not a desk


def on_paper(page: raster.PageImage) -> raster.PageImage:
    """``page`` without the dark surround of a photographed sheet, or ``page`` itself
    when its edges are paper (every scan)."""
    image = page.image
    factor = max(1, image.width // _PROFILE_WIDTH)
    dark = (image.reduce(factor) if factor > 1 else image).point(lambda v: 255 if v < _SURROUND_DARK else 0)
    limit = _SURROUND * 255
    rows, columns = dark.reduce((dark.width, 1)).tobytes(), dark.reduce((1, dark.height)).tobytes()
    paper_rows = [i for i, v in enumerate(rows) if v < limit]
    paper_columns = [i for i, v in enumerate(columns) if v < limit]
    if not paper_rows or not paper_columns:
        return page  # all dark: nothing to tell paper by
    surround = max(1 - (paper_rows[-1] - paper_rows[0] + 1) / len(rows),
                   1 - (paper_columns[-1] - paper_columns[0] + 1) / len(columns))
    if surround < _MIN_SURROUND:
        return page  # a scanner's thin black edge: Tesseract copes, and cropping it changes what it reads
    # One reduced pixel in from the surround: an edge pixel half desk would read as a ruled line.
    box = ((paper_columns[0] + 1) * factor, (paper_rows[0] + 1) * factor, paper_columns[-1] * factor, paper_rows[-1] * factor)
    return dataclasses.replace(page, image=image.crop(box), colour_of=page.colour_changed(lambda colour: colour.crop(box)))


def even(page: raster.PageImage) -> raster.PageImage:
    """``page`` (mode ``L``) with its paper made uniformly white, or ``page`` itself when
    its paper is already even."""
    paper = _paper(page.image)
    share = 0.02 * paper.width * paper.height
    darkest = next(value for value, total in enumerate(itertools.accumulate(paper.histogram())) if total >= share)
    if darkest >= _EVEN * paper.getextrema()[1]:
        return page
    paper = paper.point(lambda v: max(v, _DARKEST_PAPER)).resize(page.image.size, Image.Resampling.BILINEAR)
    evened = ImageMath.lambda_eval(lambda a: a["convert"](a["page"] * 255 / a["paper"], "L"), page=page.image, paper=paper)
    return dataclasses.replace(page, image=evened)


def _paper(image: Image.Image) -> Image.Image:
    """The paper's brightness around each point of ``image``, at 1/_REDUCE of its size."""
    small = image.reduce(_REDUCE) if min(image.size) >= _REDUCE * _STROKE_FILTER else image
    return small.filter(ImageFilter.MaxFilter(_STROKE_FILTER)).filter(ImageFilter.GaussianBlur(_SMOOTH))

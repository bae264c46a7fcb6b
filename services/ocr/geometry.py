"""Boxes and the mapping from the pixels Tesseract read to page points.

Every box in the text artifact is ``(x0, top, x1, bottom)`` in points (1/72 inch) from
the top left corner of the upright page, whatever the source: a text layer's glyphs are
in points already; OCR words are in the pixels of the image Tesseract read, which is the
upright page cropped to its text and scaled (layout.prepare), so they go through the
:class:`Frame` that records that crop and scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vanthu.events import Box, Line, Word

_PRECISION = 1  # decimals of a point kept: a tenth of a point is finer than any scan


def bounds(boxes: Iterable[Box]) -> Box:
    """The smallest box holding every one of ``boxes`` (at least one)."""
    x0s, tops, x1s, bottoms = zip(*boxes, strict=True)
    return min(x0s), min(tops), max(x1s), max(bottoms)


@dataclass(frozen=True)
class Frame:
    """Where an image handed to Tesseract lies on its upright page.

    Pixel ``(x, y)`` of the image is pixel ``(x0 + x / scale, y0 + y / scale)`` of the
    upright page, which is ``width`` x ``height`` pixels at ``dpi``.
    """

    x0: float
    y0: float
    scale: float
    width: int
    height: int
    dpi: float

    def moved(self, dx: float, dy: float) -> Frame:
        """The frame of a part of this image whose top left corner is at ``(dx, dy)`` in it."""
        return Frame(self.x0 + dx / self.scale, self.y0 + dy / self.scale, self.scale, self.width, self.height, self.dpi)

    @property
    def size(self) -> tuple[float, float]:
        """The upright page's width and height in points."""
        return round(self.width * 72 / self.dpi, _PRECISION), round(self.height * 72 / self.dpi, _PRECISION)

    def box(self, box: Box) -> Box:
        """``box`` (pixels of the image) in page points."""
        k = 72 / self.dpi
        x0, top, x1, bottom = box
        return (
            round((self.x0 + x0 / self.scale) * k, _PRECISION),
            round((self.y0 + top / self.scale) * k, _PRECISION),
            round((self.x0 + x1 / self.scale) * k, _PRECISION),
            round((self.y0 + bottom / self.scale) * k, _PRECISION),
        )

    def lines(self, lines: list[Line]) -> list[Line]:
        """``lines`` read from the image, their boxes and their words' boxes in page points."""
        return [
            line.model_copy(update={
                "box": self.box(line.box),
                "words": [w.model_copy(update={"box": self.box(w.box)}) for w in line.words],
            })
            for line in lines
        ]


def line_of(words: list[Word], *, starts_paragraph: bool = False) -> Line:
    """The line made of ``words`` (left to right), its text their texts joined by spaces."""
    return Line(text=" ".join(w.text for w in words), box=bounds(w.box for w in words), words=words,
                starts_paragraph=starts_paragraph)

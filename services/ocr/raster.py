"""Page images for OCR, one page at a time: PDF pages (PDFium) and image frames (Pillow).

Nothing is rasterised ahead of need: ``image(number)`` produces one page, so memory
holds only the pages being recognised. Every page comes out as 8-bit grey (mode
``L``), what Tesseract works on internally anyway, with the resolution to tell it; a
scan in colour keeps its colour beside it, for the signature block under a red seal
(services/ocr/signature.py).

Decompression bombs are refused against Pillow's own limit (``Image.MAX_IMAGE_PIXELS``,
never changed here): an image, or a PDF page at the requested resolution, with more
pixels than that raises DocumentError IMAGE_TOO_LARGE.
"""

from __future__ import annotations

import functools
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

import pypdfium2
import pypdfium2.raw as pdfium_c
from PIL import Image, ImageChops, ImageOps, UnidentifiedImageError

from services.ocr.geometry import Frame
from vanthu.errors import DocumentError, FailureReason

# PDFium is not thread-safe, across documents too: every PDFium call in this process
# holds this lock.
_PDFIUM = threading.Lock()

# A page that is nothing but one upright scan at up to (about) the requested resolution
# is taken as the scan itself: decoding it costs ~10 ms, rendering the page ~125 ms, and
# a scan rendered above its own resolution reads worse (11 pt scanned at 150 dpi: CER
# 0.65% as it is, 1.8% rendered at 300 dpi).
_NATIVE_DPI_TOLERANCE = 0.1
_NATIVE_COVERAGE = 0.98
# Bits per pixel decoded as they are: grey, bilevel (1 bit, the scanners' black-and-white
# mode: PDFium expands it to 0/255 grey, checked on CCITT G4 data) and RGB.
_NATIVE_BITS = {pdfium_c.FPDF_COLORSPACE_DEVICEGRAY: (1, 8), pdfium_c.FPDF_COLORSPACE_DEVICERGB: (24,)}

# PDFium keeps every object it has parsed until the document closes: for a scan, each
# page's image data (~0.75 MB). Reopening the document every so many pages bounds that.
_REOPEN_EVERY = 20


@dataclass
class PageImage:
    """One page ready for recognition: grey pixels and their resolution (``None``: unknown);
    ``frame``, once cropped or scaled for Tesseract, where the pixels lie on the upright page.
    ``colour`` is the page in RGB when it was scanned in colour, else ``None``; it stays
    in the upright page's pixels when ``image`` is cropped and scaled for Tesseract
    (``frame`` maps between them). ``coloured`` is whether that colour shows more than a
    pen's few strokes (a red seal, a stamp: :data:`_COLOURED_SHARE`); ``seal_colour`` is
    the colour only then.

    The colour is made from ``colour_of`` when first asked for, not before: few readers
    need it (the signature block, the header's handwritten blanks), and turning and
    levelling an RGB page costs three times the grey one, on every page of a scan."""

    image: Image.Image
    dpi: int | None
    frame: Frame | None = None
    colour_of: Callable[[], Image.Image] | None = None
    coloured: bool = True

    @functools.cached_property
    def colour(self) -> Image.Image | None:
        return self.colour_of() if self.colour_of is not None else None

    @property
    def seal_colour(self) -> Image.Image | None:
        return self.colour if self.coloured else None

    def colour_changed(self, change: Callable[[Image.Image], Image.Image]) -> Callable[[], Image.Image] | None:
        """``colour_of`` for a page made from this one by ``change`` (cropped, turned...),
        run only when that page's colour is asked for."""
        source = self.colour_of
        return None if source is None else lambda: change(source())


class PageImages(Protocol):
    """The pages of a document as images. Implementations are not thread-safe."""

    def __len__(self) -> int: ...

    def image(self, number: int) -> PageImage:
        """Page ``number`` (1-based)."""
        ...

    def has_text(self, number: int) -> bool:
        """Whether page ``number`` carries any text of its own (a text layer to try)."""
        ...

    def close(self) -> None: ...


def _check_pixels(width: float, height: float, what: str) -> None:
    limit = Image.MAX_IMAGE_PIXELS
    if limit is not None and width * height > limit:
        raise DocumentError(
            FailureReason.IMAGE_TOO_LARGE,
            f"{what} is {width:.0f}x{height:.0f} pixels, over the {limit} pixel limit",
        )


# A page is in colour when at least this share of its light pixels is saturated: a seal's
# ring is ~0.5% of a page (a faded one ~0.1%), a black-and-white scan has none. Dark pixels
# are left out: their hue is noise.
_COLOURED_SHARE = 0.0005
_PEN_SHARE = 0.00005  # a few digits in blue ballpoint, at the probe's full 72 dpi
_SATURATED = 40  # of 255, HSV saturation
_LIGHT = 90  # of 255, HSV value
_COLOUR_SAMPLE = 4  # pixels reduced into one for the test
_COLOUR_PROBE_DPI = 72  # a rendered page is looked at for colour at this resolution first
_COLOUR_MODES = ("RGB", "RGBA", "P", "CMYK", "YCbCr")


def _page(image: Image.Image, dpi: int | None) -> PageImage:
    """The grey page of a decoded ``image``, with its colour when it was scanned in colour."""
    scanned = image.mode in _COLOUR_MODES
    return PageImage(_grey(image), dpi, colour_of=(lambda: image.convert("RGB")) if scanned else None,
                     coloured=scanned and _in_colour(image))


def _in_colour(image: Image.Image, share: float = _COLOURED_SHARE, sample: int = _COLOUR_SAMPLE) -> bool:
    """Whether at least ``share`` of ``image``'s pixels are light and saturated, ``sample``
    pixels reduced into one first (a pen's thin strokes vanish in the reduction)."""
    if image.mode not in _COLOUR_MODES:
        return False
    small = image.reduce(sample) if sample > 1 and min(image.size) >= 8 * sample else image
    _, saturation, value = small.convert("RGB").convert("HSV").split()
    light = ImageChops.multiply(saturation, value.point(lambda v: 255 if v > _LIGHT else 0))
    return sum(light.histogram()[_SATURATED:]) >= max(1.0, share * small.width * small.height)


def _grey(image: Image.Image) -> Image.Image:
    if image.mode == "L":
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent areas are paper, not the black that a plain convert would make them.
        background = Image.new("RGBA", image.size, "white")
        image = Image.alpha_composite(background, image.convert("RGBA"))
    return image.convert("L")


class PdfPages:
    """The pages of a PDF rasterised with PDFium.

    Opening classifies unreadable files: DocumentError ENCRYPTED (a password other
    than the empty one is needed) or CORRUPT_FILE (truncated or damaged beyond
    PDFium's repair). A PDF without pages opens, with length 0.
    """

    def __init__(self, data: bytes, dpi: int) -> None:
        self._dpi = dpi
        self._data = data  # PDFium reads from this buffer for as long as the document is open
        self._rendered = 0
        with _PDFIUM:
            self._pdf = self._open()
            self._count = len(self._pdf)

    def _open(self) -> pypdfium2.PdfDocument:
        # The raw API, because pypdfium2 reports every failure alike. No password:
        # PDFium then tries the empty one, which opens PDFs that anyone may read.
        raw = pdfium_c.FPDF_LoadMemDocument64(self._data, len(self._data), None)
        if not raw:
            code = pdfium_c.FPDF_GetLastError()  # only meaningful right after a failure
            if code == pdfium_c.FPDF_ERR_PASSWORD:
                raise DocumentError(FailureReason.ENCRYPTED, "the PDF needs a password")
            raise DocumentError(FailureReason.CORRUPT_FILE, f"unreadable PDF (PDFium error {code})")
        return pypdfium2.PdfDocument(raw)

    def __len__(self) -> int:
        return self._count

    def has_text(self, number: int) -> bool:
        with _PDFIUM:
            page = self._pdf[number - 1]
            try:
                textpage = page.get_textpage()
                try:
                    return textpage.count_chars() > 0
                finally:
                    textpage.close()
            finally:
                page.close()

    def image(self, number: int) -> PageImage:
        with _PDFIUM:
            self._rendered += 1
            if self._rendered % _REOPEN_EVERY == 0:
                self._pdf.close()
                self._pdf = self._open()
            page = self._pdf[number - 1]
            try:
                width, height = page.get_size()
                scale = self._dpi / 72
                _check_pixels(width * scale, height * scale, f"page {number} at {self._dpi} dpi")
                native = self._native_scan(page, width, height)
                if native is not None:
                    return native
                # Grey as PDFium renders it (what the page reading is tuned on); the page
                # again in colour only when a quick look at it finds colour, and a pen's few
                # strokes only when a reader asks for them (the header's blanks).
                grey = _grey(page.render(scale=scale, grayscale=True).to_pil())
                probe = page.render(scale=_COLOUR_PROBE_DPI / 72).to_pil()
                if _in_colour(probe):
                    colour = page.render(scale=scale).to_pil().convert("RGB")
                    return PageImage(grey, self._dpi, colour_of=lambda: colour)
                tinted = _in_colour(probe, _PEN_SHARE, sample=1)
                return PageImage(grey, self._dpi, colour_of=(lambda: self._colour(number)) if tinted else None,
                                 coloured=False)
            finally:
                page.close()

    def _colour(self, number: int) -> Image.Image:
        """Page ``number`` rendered in colour (while the document is open)."""
        with _PDFIUM:
            page = self._pdf[number - 1]
            try:
                return page.render(scale=self._dpi / 72).to_pil().convert("RGB")
            finally:
                page.close()

    def _native_scan(self, page: pypdfium2.PdfPage, width: float, height: float) -> PageImage | None:
        """The page's only object when it is an upright scan covering the page at up to ~dpi."""
        if page.get_rotation() or pdfium_c.FPDFPage_CountObjects(page) != 1:
            return None
        obj = next(page.get_objects(max_depth=1))
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            return None
        m = obj.get_matrix()
        if m.b or m.c or m.a <= 0 or m.d <= 0 or m.a * m.d < _NATIVE_COVERAGE * width * height:
            return None
        meta = obj.get_metadata()
        if meta.bits_per_pixel not in _NATIVE_BITS.get(meta.colorspace, ()):
            return None
        px_width, px_height = obj.get_size()
        dpi = px_width * 72 / m.a
        if dpi > self._dpi * (1 + _NATIVE_DPI_TOLERANCE):
            return None
        _check_pixels(px_width, px_height, "the page's scan")
        return _page(obj.get_bitmap(render=False).to_pil(), round(dpi))

    def close(self) -> None:
        with _PDFIUM:
            self._pdf.close()


class ImageFrames:
    """The frames of a PNG, JPEG or TIFF (every page of a multi-page TIFF).

    Opening raises DocumentError CORRUPT_FILE when Pillow cannot read the header and
    IMAGE_TOO_LARGE for a decompression bomb. A frame that fails to decode raises
    whatever Pillow raises (OSError for truncated data).
    """

    def __init__(self, data: bytes) -> None:
        try:
            self._image = Image.open(io.BytesIO(data))
            self._count = getattr(self._image, "n_frames", 1)  # walks a TIFF's whole frame chain
        except Image.DecompressionBombError as exc:
            raise DocumentError(FailureReason.IMAGE_TOO_LARGE, str(exc)) from None
        except (UnidentifiedImageError, OSError, EOFError, SyntaxError) as exc:
            raise DocumentError(FailureReason.CORRUPT_FILE, f"unreadable image: {exc}") from None

    def __len__(self) -> int:
        return self._count

    def has_text(self, number: int) -> bool:
        return False

    def image(self, number: int) -> PageImage:
        self._image.seek(number - 1)
        _check_pixels(*self._image.size, f"image frame {number}")
        dpi = self._image.info.get("dpi")
        frame = ImageOps.exif_transpose(self._image)  # phone photos are stored sideways with an EXIF note
        # Below ~70 dpi the value is a placeholder (often 72 or 1): let Tesseract estimate instead.
        resolution = round(float(dpi[0])) if dpi and float(dpi[0]) >= 70 else None
        return _page(frame, resolution)

    def close(self) -> None:
        self._image.close()

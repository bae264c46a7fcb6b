"""Inputs for the OCR pipeline tests, rendered once per session from examples/directives.

Rendering a scan costs about a second a page, so everything is built from one
two-page directive on the real form (examples/form.py) and cached for the session.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image, ImageChops

from examples.render import example_texts, images_pdf, page_images, text_pdf
from ocr_inputs import DPI, save_images
from services.ocr.orientation import turn
from vanthu.settings import OcrOptions

SAMPLE = "001_c04fbf0a9182cd61"  # a Party công văn: two A4 pages on the form
FAKES = Path(__file__).parent / "fakes"


@pytest.fixture(scope="session")
def source_text() -> str:
    return example_texts()[SAMPLE]


@pytest.fixture(scope="session")
def text_pdf_bytes(source_text: str) -> bytes:
    return text_pdf(source_text)


@pytest.fixture(scope="session")
def page_refs(text_pdf_bytes: bytes) -> list[str]:
    """The true text of each page in reading order, read by PDFium (independent of the code
    under test): the form is drawn column by column, each header and closing column whole."""
    doc = pypdfium2.PdfDocument(text_pdf_bytes)
    try:
        return [page.get_textpage().get_text_bounded() for page in doc]
    finally:
        doc.close()


@pytest.fixture(scope="session")
def scans(text_pdf_bytes: bytes) -> list[Image.Image]:
    """Grey 300 dpi scans of the sample's pages: up to 0.6 degree skew, speckles, blur."""
    return page_images(text_pdf_bytes, dpi=DPI)


@pytest.fixture(scope="session")
def scan_pdf_bytes(scans: list[Image.Image]) -> bytes:
    return images_pdf(scans[:2], dpi=DPI)


@pytest.fixture(scope="session")
def png_bytes(scans: list[Image.Image]) -> bytes:
    return save_images(scans[:1], "PNG")


@pytest.fixture(scope="session")
def jpeg_bytes(scans: list[Image.Image]) -> bytes:
    return save_images(scans[:1], "JPEG", quality=85)


@pytest.fixture(scope="session")
def tiff_bytes(scans: list[Image.Image]) -> bytes:
    """A two-page TIFF, as multi-page copiers produce."""
    # Copies: Pillow keeps the settings of an image's last save (another fixture's PDF) on
    # it and hands them to libtiff when the image is appended as a TIFF frame.
    return save_images([scan.copy() for scan in scans[:2]], "TIFF", compression="tiff_lzw")


@pytest.fixture(scope="session")
def turned_pdf(scans: list[Image.Image]):
    """``turned_pdf(degrees)``: an image PDF of page 1 turned ``degrees`` clockwise."""
    cache: dict[int, bytes] = {}

    def make(degrees: int) -> bytes:
        if degrees not in cache:
            cache[degrees] = images_pdf([turn(scans[0], degrees)], dpi=DPI)
        return cache[degrees]

    return make


@pytest.fixture(scope="session")
def skewed_png(scans: list[Image.Image]) -> bytes:
    """Page 1 skewed a further 3 degrees: Tesseract alone loses ~0.6% CER on this."""
    return save_images([scans[0].rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=255)], "PNG")


@pytest.fixture(scope="session")
def shaded_jpeg(scans: list[Image.Image]) -> bytes:
    """Page 1 as a phone photo: light falling off from the top left to 35% at the bottom
    right corner. Tesseract alone misreads about a third of it."""
    page = scans[0]
    down = Image.linear_gradient("L").resize(page.size)
    across = Image.linear_gradient("L").rotate(90).resize(page.size)
    shade = ImageChops.add(down, across, scale=2).point(lambda v: round(255 - v * 0.65))
    return save_images([ImageChops.multiply(page, shade)], "JPEG", quality=85)


@pytest.fixture(scope="session")
def mixed_pdf_bytes(text_pdf_bytes: bytes, scans: list[Image.Image]) -> bytes:
    """A born-digital page 1 and a scanned page 2."""
    text_doc = pypdfium2.PdfDocument(text_pdf_bytes)
    scan_doc = pypdfium2.PdfDocument(images_pdf([scans[1]], dpi=DPI))
    out = pypdfium2.PdfDocument.new()
    try:
        out.import_pages(text_doc, [0])
        out.import_pages(scan_doc, [0])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        for doc in (out, scan_doc, text_doc):
            doc.close()


@pytest.fixture
def options() -> OcrOptions:
    return OcrOptions(workers=2, page_timeout_s=60)


@pytest.fixture
def fake(options: OcrOptions):
    """``fake(name)``: options running tests/ocr/fakes/<name> instead of Tesseract."""

    def make(name: str, **changes: object) -> OcrOptions:
        return options.model_copy(update={"tesseract_cmd": str(FAKES / name), **changes})

    return make

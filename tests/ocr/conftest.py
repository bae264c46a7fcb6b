"""Inputs for the OCR pipeline tests, rendered once per session from examples/directives.

Rendering a scan costs about a second a page, so everything is built from one
three-page directive and cached for the session; OCR tests use one or two pages.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from examples.render import _register_font, example_texts, images_pdf, page_images, text_pdf
from services.ocr.orientation import turn
from vanthu.settings import OcrOptions

SAMPLE = "001_c04fbf0a9182cd61"  # three A4 pages once rendered
DPI = 300
FAKES = Path(__file__).parent / "fakes"


@pytest.fixture(scope="session")
def source_text() -> str:
    return example_texts()[SAMPLE]


@pytest.fixture(scope="session")
def text_pdf_bytes(source_text: str) -> bytes:
    return text_pdf(source_text)


@pytest.fixture(scope="session")
def page_refs(text_pdf_bytes: bytes) -> list[str]:
    """The true text of each page, read by PDFium (independent of the code under test)."""
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


def _save(images: list[Image.Image], fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    first, *rest = images
    if rest:
        params.update(save_all=True, append_images=rest)
    first.save(buf, format=fmt, dpi=(DPI, DPI), **params)
    return buf.getvalue()


@pytest.fixture(scope="session")
def png_bytes(scans: list[Image.Image]) -> bytes:
    return _save(scans[:1], "PNG")


@pytest.fixture(scope="session")
def jpeg_bytes(scans: list[Image.Image]) -> bytes:
    return _save(scans[:1], "JPEG", quality=85)


@pytest.fixture(scope="session")
def tiff_bytes(scans: list[Image.Image]) -> bytes:
    """A two-page TIFF, as multi-page copiers produce."""
    return _save(scans[:2], "TIFF", compression="tiff_lzw")


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
    return _save([scans[0].rotate(3, resample=Image.Resampling.BICUBIC, fillcolor=255)], "PNG")


@pytest.fixture(scope="session")
def mixed_pdf_bytes(text_pdf_bytes: bytes, scans: list[Image.Image]) -> bytes:
    """Born-digital pages 1 and 3 around a scanned page 2."""
    text_doc = pypdfium2.PdfDocument(text_pdf_bytes)
    scan_doc = pypdfium2.PdfDocument(images_pdf([scans[1]], dpi=DPI))
    out = pypdfium2.PdfDocument.new()
    try:
        out.import_pages(text_doc, [0])
        out.import_pages(scan_doc, [0])
        out.import_pages(text_doc, [2])
        buf = io.BytesIO()
        out.save(buf)
        return buf.getvalue()
    finally:
        for doc in (out, scan_doc, text_doc):
            doc.close()


def encrypted_pdf(user_password: str) -> bytes:
    """A one-page text PDF encrypted with ``user_password`` (empty: anyone may open it)."""
    buf = io.BytesIO()
    encryption = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", strength=128)
    pdf = canvas.Canvas(buf, encrypt=encryption, invariant=True)
    pdf.setFont(_register_font(), 12)
    pdf.drawString(72, 720, "Công văn số 12/UBND về việc triển khai nhiệm vụ năm 2024.")
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def zero_page_pdf() -> bytes:
    """A well-formed PDF whose page tree is empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def huge_page_pdf() -> bytes:
    """One blank 200x200 inch page: 3.6 gigapixels at 300 dpi."""
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=(14400, 14400), invariant=True)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def bomb_png() -> bytes:
    """A PNG of a few KB that decodes to more pixels than Pillow's limit."""
    side = int((Image.MAX_IMAGE_PIXELS or 0) ** 0.5) + 100
    return _save([Image.new("1", (side, side), 1)], "PNG")


@pytest.fixture
def options() -> OcrOptions:
    return OcrOptions(workers=2, page_timeout_s=60)


@pytest.fixture
def fake(options: OcrOptions):
    """``fake(name)``: options running tests/ocr/fakes/<name> instead of Tesseract."""

    def make(name: str, **changes: object) -> OcrOptions:
        return options.model_copy(update={"tesseract_cmd": str(FAKES / name), **changes})

    return make

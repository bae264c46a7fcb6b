"""Input the OCR stage must refuse, each with its typed reason."""

from __future__ import annotations

import pytest
from ocr_inputs import bomb_png, encrypted_pdf, huge_page_pdf, zero_page_pdf

from services.ocr.pipeline import extract
from vanthu.errors import DocumentError, FailureReason


def refuse(data: bytes, options) -> FailureReason:
    with pytest.raises(DocumentError) as caught:
        extract(data, options)
    return caught.value.reason


def test_empty_file(options):
    # GIVEN no bytes  WHEN extracted  THEN EMPTY_FILE
    assert refuse(b"", options) == FailureReason.EMPTY_FILE


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04\x14\x00\x06\x00", b"GIF89a\x01\x00\x01\x00", "Công văn số 12".encode(), b"BM6\x00\x00\x00"],
    ids=["docx-zip", "gif", "plain-text", "bmp"],
)
def test_unsupported_format(data, options):
    # GIVEN bytes that are not a PDF, PNG, JPEG or TIFF, whatever the file was called
    # WHEN extracted  THEN UNSUPPORTED_FORMAT
    assert refuse(data, options) == FailureReason.UNSUPPORTED_FORMAT


def test_too_large(text_pdf_bytes, options):
    # GIVEN a file larger than max_bytes  WHEN extracted  THEN TOO_LARGE, before any parsing
    assert refuse(text_pdf_bytes, options.model_copy(update={"max_bytes": 1000})) == FailureReason.TOO_LARGE


@pytest.mark.parametrize(
    "damage",
    [lambda d: d[: len(d) // 2], lambda d: d[:-300], lambda d: d[:9] + b"\x00garbage\x00" * 200 + b"\n%%EOF\n"],
    ids=["cut-in-half", "tail-missing", "garbage-body"],
)
def test_corrupt_pdf(text_pdf_bytes, damage, options):
    # GIVEN a truncated or damaged PDF  WHEN extracted  THEN CORRUPT_FILE
    assert refuse(damage(text_pdf_bytes), options) == FailureReason.CORRUPT_FILE


def test_truncated_image(png_bytes, options):
    # GIVEN a PNG cut off after a third of its data  WHEN extracted  THEN CORRUPT_FILE
    assert refuse(png_bytes[: len(png_bytes) // 3], options) == FailureReason.CORRUPT_FILE


def test_password_protected_pdf(options):
    # GIVEN a PDF that needs a password to open  WHEN extracted  THEN ENCRYPTED
    assert refuse(encrypted_pdf("secret"), options) == FailureReason.ENCRYPTED


def test_pdf_encrypted_with_empty_password_is_read(options):
    # GIVEN a PDF encrypted with an empty user password (anyone may open it)
    # WHEN extracted
    artifact = extract(encrypted_pdf(""), options)
    # THEN its text layer is read as usual
    assert artifact.pages[0].source == "text-layer"
    assert artifact.pages[0].text == "Công văn số 12/UBND về việc triển khai nhiệm vụ năm 2024."


def test_pdf_without_pages(options):
    # GIVEN a well-formed PDF with an empty page tree  WHEN extracted  THEN NO_PAGES
    assert refuse(zero_page_pdf(), options) == FailureReason.NO_PAGES


def test_too_many_pages(text_pdf_bytes, page_refs, options):
    # GIVEN a PDF of one page more than the limit  WHEN extracted  THEN TOO_MANY_PAGES
    limit = len(page_refs) - 1
    assert refuse(text_pdf_bytes, options.model_copy(update={"max_pages": limit})) == FailureReason.TOO_MANY_PAGES


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_image_decompression_bomb(options):
    # GIVEN a small PNG that decodes past Pillow's pixel limit  WHEN extracted  THEN IMAGE_TOO_LARGE
    assert refuse(bomb_png(), options) == FailureReason.IMAGE_TOO_LARGE


def test_pdf_page_too_large_to_rasterise(options):
    # GIVEN a PDF page of 200x200 inches without text (3.6 gigapixels at 300 dpi)
    # WHEN extracted  THEN IMAGE_TOO_LARGE, without rendering it
    assert refuse(huge_page_pdf(), options) == FailureReason.IMAGE_TOO_LARGE

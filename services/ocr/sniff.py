"""What the bytes are, from their magic numbers; file names and declared types are ignored."""

from __future__ import annotations

from vanthu.errors import DocumentError, FailureReason

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
TIFF = "image/tiff"

_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"II*\x00", TIFF),  # little-endian
    (b"MM\x00*", TIFF),  # big-endian
)
_PDF_HEADER_WINDOW = 1024  # Acrobat accepts "%PDF-" anywhere in the first KiB (junk before it is common)


def media_type(data: bytes) -> str:
    """The media type of ``data``: one of PDF, PNG, JPEG, TIFF.

    Raises DocumentError EMPTY_FILE for no bytes and UNSUPPORTED_FORMAT for anything
    else (including BigTIFF and other formats Tesseract could read but we do not
    accept).
    """
    if not data:
        raise DocumentError(FailureReason.EMPTY_FILE, "the file is empty")
    if b"%PDF-" in data[:_PDF_HEADER_WINDOW]:
        return PDF
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    raise DocumentError(FailureReason.UNSUPPORTED_FORMAT, f"not a PDF, PNG, JPEG or TIFF (starts with {data[:8]!r})")

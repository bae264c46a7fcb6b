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
    raise DocumentError(FailureReason.UNSUPPORTED_FORMAT, refusal(data))


# What people send instead of a scan or a PDF, recognised so the refusal can say what to do.
_ZIP = b"PK\x03\x04"
_ZIP_WINDOW = 64 * 1024
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003, Excel 97-2003, ...
_OFFICE_PARTS = ((b"word/", "a Word (.docx) file"), (b"xl/", "an Excel (.xlsx) file"),
                 (b"ppt/", "a PowerPoint (.pptx) file"), (b"opendocument", "an OpenDocument (.odt/.ods) file"))
_HTML = (b"<!doctype html", b"<html", b"<head", b"<body")
_WHAT_TO_DO = "print it to PDF (or scan the signed paper) and submit the PDF"


def refusal(data: bytes) -> str:
    """Why ``data`` is refused, naming what it is when it is a kind people commonly send."""
    head = data[:_PDF_HEADER_WINDOW]
    if head.startswith(_ZIP):
        # Part names are in the local headers near the start and in the directory at the end.
        ends = data[:_ZIP_WINDOW] + data[-_ZIP_WINDOW:]
        what = next((name for part, name in _OFFICE_PARTS if part in ends), "a ZIP archive")
    elif head.startswith(_OLE2):
        what = "an old Office (.doc/.xls) file"
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_HTML):
        what = "an HTML page"
    elif head.startswith(b"{\\rtf"):
        what = "an RTF document"
    else:
        return f"not a PDF, PNG, JPEG or TIFF (starts with {data[:8]!r}): {_WHAT_TO_DO}"
    return f"{what}, not a PDF or a scan: {_WHAT_TO_DO}"

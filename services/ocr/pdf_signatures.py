"""The digital signatures a PDF carries: who signed it and when, read from its signature fields.

Portals and signing systems (VGCA, the provinces' e-office) sign a document's PDF as a
person (the signer printed in the closing), as the issuing body, as a copying office
("SAO Y") or as a gazette that publishes it. The page may show an overlay for some of them
("Ký bởi: ... Thời gian ký: ..."), which OCR reads with damage, or none at all; the
signature field itself records the signing time (``/M``) exactly, and its certificate names
the signer. That is evidence for a date the page leaves blank or unreadable; it is not
verified here (no chain or revocation check), so it is never more than evidence.

Contract: :func:`read` takes the PDF's bytes and returns its signatures in the file's order;
a signature whose time cannot be read is skipped, and a PDF PDFium cannot open has none.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import re

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import NameOID

from vanthu.events import DigitalSignature

# PDF date strings: "D:20211227172211+07'00'" (ISO 32000-1, 7.9.4); the offset may be "Z" or absent.
_PDF_DATE = re.compile(r"D:(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:([+-])(\d{2})'?(\d{2})?'?|Z)?")


def read(data: bytes) -> list[DigitalSignature]:
    """The signatures of the PDF ``data``, in the file's order."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError:
        return []
    try:
        found = []
        for index in range(pdfium_c.FPDF_GetSignatureCount(pdf.raw)):
            signature = pdfium_c.FPDF_GetSignatureObject(pdf.raw, index)
            when = _time(_bytes(pdfium_c.FPDFSignatureObj_GetTime, signature).rstrip(b"\0").decode("latin-1"))
            if when is not None:
                contents = _der(_bytes(pdfium_c.FPDFSignatureObj_GetContents, signature))
                found.append(DigitalSignature(signer=_signer(contents), signed_at=when))
        return found
    finally:
        pdf.close()


def _bytes(getter, signature) -> bytes:
    """What one of PDFium's two-call getters (size, then fill) returns for ``signature``."""
    size = getter(signature, None, 0)
    if size <= 0:
        return b""
    buffer = ctypes.create_string_buffer(size)
    getter(signature, buffer, size)
    return buffer.raw[:size]


def _der(contents: bytes) -> bytes:
    """The CMS envelope in a signature's ``/Contents``, without the zeros that pad the field:
    its length is the DER's own (its last bytes may be zeros too, so no stripping)."""
    if len(contents) < 2 or contents[0] != 0x30:
        return contents
    if contents[1] < 0x80:
        return contents[: 2 + contents[1]]
    count = contents[1] & 0x7F
    return contents[: 2 + count + int.from_bytes(contents[2 : 2 + count], "big")]


def _time(text: str) -> dt.datetime | None:
    """A PDF date string as an aware datetime (UTC when it names no offset)."""
    m = _PDF_DATE.match(text)
    if not m:
        return None
    year, month, day, hour, minute, second = (int(g) for g in m.groups()[:6])
    offset = dt.timedelta(hours=int(m[8] or 0), minutes=int(m[9] or 0)) * (-1 if m[7] == "-" else 1)
    try:
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone(offset))
    except ValueError:
        return None


def _signer(contents: bytes) -> str | None:
    """The common name of the certificate that signed (the first of the CMS envelope's
    certificates that names one: signing systems put the signer's first)."""
    try:
        certificates = pkcs7.load_der_pkcs7_certificates(contents)
    except ValueError:
        return None
    for certificate in certificates:
        if names := certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
            return str(names[0].value).strip() or None
    return None

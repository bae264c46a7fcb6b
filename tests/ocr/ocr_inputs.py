"""Documents the OCR tests build by hand: the resolution of every rendered scan, and the
bad inputs (encrypted, empty, oversized, decompression bomb)."""

from __future__ import annotations

import io

from PIL import Image
from reportlab.lib import pdfencrypt
from reportlab.pdfgen import canvas

from examples.form import register_fonts

DPI = 300


def save_images(images: list[Image.Image], fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    first, *rest = images
    if rest:
        params.update(save_all=True, append_images=rest)
    first.save(buf, format=fmt, dpi=(DPI, DPI), **params)
    return buf.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    """A one-page text PDF encrypted with ``user_password`` (empty: anyone may open it)."""
    buf = io.BytesIO()
    encryption = pdfencrypt.StandardEncryption(user_password, ownerPassword="owner", strength=128)
    pdf = canvas.Canvas(buf, encrypt=encryption, invariant=True)
    pdf.setFont(register_fonts(), 12)
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
    return save_images([Image.new("1", (side, side), 1)], "PNG")

"""The PDF text layer: line rebuilding and the test of whether it can be trusted."""

from __future__ import annotations

import io
import unicodedata

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from examples.render import _register_font
from services.ocr import geometry
from services.ocr.pdf_text import TextLayer, TextPage, clean, unusable
from vanthu.events import Word

LINES = ["Về việc triển khai nhiệm vụ trọng tâm", "Ủy ban nhân dân tỉnh Nam Định"]


def separate_marks_pdf() -> bytes:
    """LINES with every tone mark drawn as its own glyph, raised 4 pt over its letter."""
    font, size = _register_font(), 13
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=True)
    pdf.setFont(font, size)
    y = 700.0
    for line in LINES:
        x, width = 72.0, 0.0
        for ch in unicodedata.normalize("NFD", line):
            if unicodedata.combining(ch):
                pdf.drawString(x - width / 2, y + 4, ch)
            else:
                pdf.drawString(x, y, ch)
                width = pdfmetrics.stringWidth(ch, font, size)
                x += width
        y -= size * 1.35
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def test_tone_marks_drawn_apart_stay_on_their_letters():
    # GIVEN a PDF drawing Vietnamese tone marks as separate, raised glyphs
    #       (plain pdfplumber puts the marks on lines of their own)
    layer = TextLayer(separate_marks_pdf())
    # WHEN its text is read
    page = layer.page(1)
    layer.close()
    # THEN each line is whole, in order, with composed letters, and so is each word
    assert page is not None and page.text == "\n".join(LINES)
    assert [w.text for w in page.lines[1].words] == LINES[1].split()


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "0 characters"),
        ("Trang 2", "6 characters"),
        ("(cid:12)(cid:40)(cid:7) (cid:3)(cid:9)(cid:8) " * 10, "unmapped glyphs"),
        ("Céng hßa x· héi chñ nghÜa ViÖt Nam, §éc lËp - Tù do - H¹nh phóc " * 2, "Vietnamese/Latin"),
        ("\ufffd\ufffd\ufffd \ufffd\ufffd \ufffd\ufffd\ufffd\ufffd " * 8, "Vietnamese/Latin"),
        ("\ue001\ue002\ue003 \ue004\ue005 " * 10, "Vietnamese/Latin"),
        ("Указ Президента Российской Федерации о мерах", "Vietnamese/Latin"),
        # an invisible OCR layer without tone marks (a Lâm Đồng scan's: "Lâm Đồng, ngày ... tháng 11 năm 2025")
        ("Ldm D6ng, ngdy fithdng 11 ndm 2025 Nguy6n Ngoc Phric - Tinh fry vi6n, Ph6 Ch[ tich t4i bu6i", "digits"),
    ],
    ids=["empty", "too-short", "cid-codes", "tcvn3-legacy-font", "replacement-chars", "private-use", "cyrillic",
         "ocr-layer-digits-for-letters"],
)
def test_untrustworthy_text_layers_are_rejected(text, why):
    # GIVEN a page's text layer that does not stand for its content
    # WHEN it is judged  THEN it is unusable, and the reason says why
    reason = unusable(text, min_chars=30)
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "text",
    [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nSố: 143/TB-UBND",
        "Điều 1. Ban hành kèm theo Quyết định này “Quy chế” (cid:108) áp dụng từ ngày 01/01/2024.",
        "The Prime Minister requests ministries to report before 15 March 2024.",
        "Số: 2388/C04-P6 gửi Phòng PC04 về khu đất diện tích 482,6ha của các hộ dân trên địa bàn xã theo quy hoạch",
    ],
    ids=["vietnamese", "stray-cid-bullet", "english", "codes-and-units"],
)
def test_good_text_layers_are_kept(text):
    # GIVEN a real text layer (a stray unmapped bullet is tolerated)
    # WHEN it is judged  THEN it is usable
    assert unusable(text, min_chars=30) is None


def test_cleaning_drops_stray_unmapped_glyphs():
    # GIVEN a usable page whose line holds an unmapped bullet glyph
    words = [Word(text=t, box=(72.0 + 40 * i, 100.0, 100.0 + 40 * i, 113.0)) for i, t in enumerate(["(cid:108)", "Điều", "1."])]
    page = TextPage(595.0, 842.0, [geometry.line_of(words)], [])
    # WHEN it is cleaned  THEN the code is gone, the words stay
    assert clean(page).text == "Điều 1."

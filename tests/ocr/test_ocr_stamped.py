"""What signing systems draw as annotations: digits stamped into the form's blanks of a
born-digital page, and the portal's e-signature overlay on a scan."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas

from examples.render import _register_font
from services.ocr.pdf_text import TextLayer
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from services.parse.signings import signing_dates
from vanthu.settings import OcrOptions

SIZE = 13
NUMBER_LINE = 742.0  # baseline of "Số: /UBND-KT ... ngày tháng ... năm 2026"


def _header(pdf: canvas.Canvas, *, number: str, month: str) -> None:
    """A Lào Cai công văn's two-column header with ``number`` and a blank day."""
    pdf.drawString(72, 790, "ỦY BAN NHÂN DÂN")
    pdf.drawString(300, 790, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    pdf.drawString(72, 772, "TỈNH LÀO CAI")
    pdf.drawString(300, 772, "Độc lập - Tự do - Hạnh phúc")
    pdf.drawString(72, NUMBER_LINE, number)
    pdf.drawString(300, NUMBER_LINE, f"Lào Cai, ngày        tháng {month} năm 2026")
    pdf.drawString(72, 724, "V/v triển khai thủ tục cấp giấy phép")
    pdf.drawString(72, 690, "Kính gửi: Sở Công Thương.")


def stamped_pdf(*, month: str = "4", stamped_month: str | None = None) -> bytes:
    """A one-page công văn whose text layer leaves the number and the day blank
    ("Số:       /UBND-KT", "ngày       tháng 4"). The number is drawn by a FreeText
    annotation whose appearance is a form XObject, the day by a form field's widget
    (its value drawn in its appearance), as e-signing systems stamp them; a signature
    widget under the signature block draws the signer's name. ``stamped_month`` stamps
    a month over the printed ``month``, as a template's pre-typed month left in place."""
    font = _register_font()
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, invariant=True)

    def appearance(name: str, text: str, width: float) -> pdfdoc.PDFDictionary:
        pdf.beginForm(name, lowerx=0, lowery=0, upperx=width, uppery=16)
        pdf.setFont(font, SIZE)
        pdf.drawString(2, 4, text)
        pdf.endForm()
        return pdfdoc.PDFDictionary({"N": pdfdoc.PDFObjectReference(pdf._doc.getXObjectName(name))})

    number_ap = appearance("number", "2496", 40)
    signer_ap = appearance("signer", "Bùi Ngọc Hùng", 120)
    month_ap = appearance("month", stamped_month, 14) if stamped_month else None
    pdf.setFont(font, SIZE)
    _header(pdf, number="Số:             /UBND-KT", month=month)
    pdf.drawString(72, 660, "Giao Sở Công Thương chủ trì thực hiện, báo cáo trước ngày 30/4/2026.")
    pdf.drawString(350, 600, "KT. CHỦ TỊCH")
    pdf.drawString(350, 584, "PHÓ CHỦ TỊCH")
    pdf.drawString(350, 520, "Nguyễn Văn An")
    pdf.freeTextAnnotation("2496", DA="/Helv 13 Tf 0 g", Rect=(104, NUMBER_LINE - 4, 144, NUMBER_LINE + 12),
                           AP=number_ap)
    pdf.acroForm.textfield(name="day", value="06", x=382, y=NUMBER_LINE - 4, width=22, height=16,
                           fontName="Helvetica", fontSize=SIZE, borderWidth=0, fillColor=None, borderColor=None)
    if month_ap is not None:
        month_x = 300 + pdf.stringWidth(f"Lào Cai, ngày        tháng {month}"[:-len(month)], font, SIZE)
        pdf.freeTextAnnotation(stamped_month, DA="/Helv 13 Tf 0 g",
                               Rect=(month_x - 2, NUMBER_LINE - 4, month_x + 12, NUMBER_LINE + 12), AP=month_ap)
    pdf.freeTextAnnotation("signer", DA="/Helv 13 Tf 0 g", Rect=(340, 540, 460, 556), AP=signer_ap)
    pdf.showPage()
    pdf.save()
    return buf.getvalue()


def first_page(data: bytes):
    layer = TextLayer(data)
    try:
        page = layer.page(1)
    finally:
        layer.close()
    assert page is not None
    return page


def test_stamped_number_and_day_fill_the_blanks():
    # GIVEN a born-digital page whose number and day are drawn by annotations over blanks
    page = first_page(stamped_pdf())
    # WHEN its text layer is read
    line = next(line for line in page.lines if line.text.startswith("Số"))
    # THEN the digits stand where the form puts them, marked as a stamp's
    assert line.text == "Số: 2496/UBND-KT Lào Cai, ngày 06 tháng 4 năm 2026"
    assert {w.text for w in line.words if w.stamped} == {"2496/UBND-KT", "06"}
    # AND a signature widget's printed name does not enter the text
    assert "Bùi Ngọc Hùng" not in page.text


def test_a_stamp_over_a_pre_typed_value_replaces_it():
    # GIVEN a template's month "4" left in place under a stamped month "5"
    page = first_page(stamped_pdf(month="4", stamped_month="5"))
    # WHEN read, THEN the date line reads the stamped month only
    line = next(line for line in page.lines if line.text.startswith("Số"))
    assert "ngày 06 tháng 5 năm 2026" in line.text


def test_the_parse_of_a_stamped_page_has_its_number_and_date():
    # GIVEN the stamped page through the OCR stage (text layer: no OCR needed)
    artifact = extract(stamped_pdf(), OcrOptions(workers=1))
    # WHEN the parse stage reads its text
    directive = parse_directive(artifact.text)
    # THEN the number and the date are the stamped ones
    assert artifact.pages[0].source == "text-layer"
    assert directive.number == "2496/UBND-KT"
    assert directive.date is not None and directive.date.isoformat() == "2026-04-06"


def scanned_pdf_signed_by_annotation() -> bytes:
    """A scan (the header page as an image, no text layer) of a công văn whose day is
    blank ("ngày      tháng 4 năm 2026"), signed by a portal that drew its e-signature
    overlay ("Ký bởi: ... Thời gian ký: 06/04/2026 ...") as a FreeText annotation."""
    font = _register_font()
    text = io.BytesIO()
    pdf = canvas.Canvas(text, invariant=True)
    pdf.setFont(font, SIZE)
    _header(pdf, number="Số: 2496/UBND-KT", month="4")
    pdf.drawString(72, 660, "Giao Sở Công Thương chủ trì thực hiện việc cấp giấy phép.")
    pdf.showPage()
    pdf.save()
    image = pypdfium2.PdfDocument(text.getvalue())[0].render(scale=300 / 72).to_pil().convert("L")

    buf = io.BytesIO()
    scan = canvas.Canvas(buf, invariant=True)
    scan.drawImage(ImageReader(image), 0, 0, width=595.27, height=841.89)
    scan.beginForm("overlay", lowerx=0, lowery=0, upperx=160, uppery=30)
    scan.setFont(font, 6)
    scan.drawString(2, 20, "Ký bởi: Ủy ban nhân dân tỉnh Lào Cai")
    scan.drawString(2, 12, "Cơ quan: Tỉnh Lào Cai")
    scan.drawString(2, 4, "Thời gian ký: 06/04/2026 08:41:42")
    scan.endForm()
    appearance = pdfdoc.PDFDictionary({"N": pdfdoc.PDFObjectReference(scan._doc.getXObjectName("overlay"))})
    scan.freeTextAnnotation("Ký bởi", DA="/Helv 6 Tf 0 g", Rect=(420, 806, 580, 836), AP=appearance)
    scan.showPage()
    scan.save()
    return buf.getvalue()


def test_a_scans_e_signature_annotation_dates_its_blank_day():
    # GIVEN a scan whose day is blank and whose portal e-signature is an annotation
    artifact = extract(scanned_pdf_signed_by_annotation(), OcrOptions(workers=1))
    # WHEN the OCR stage reads it, THEN the overlay is set aside as the page's e-signature
    signed = signing_dates(artifact)
    assert artifact.pages[0].source == "ocr"
    assert signed == [dt.date(2026, 4, 6)]
    # AND the parse, given that evidence, dates the document in the header's month
    directive = parse_directive(artifact.text, signed=signed)
    assert directive.number == "2496/UBND-KT"
    assert directive.date == dt.date(2026, 4, 6)

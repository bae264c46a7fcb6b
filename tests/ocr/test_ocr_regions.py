"""The form's regions: a two-column header and closing read column by column, what is not
the document's text set aside, and the geometry kept in the artifact.

The pages are laid out on the real form by examples/form.py (Decree 30/2020 Appendix I)
and scanned with a received stamp over the text by examples/scan.py.
"""

from __future__ import annotations

import io

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from examples.form import Form, render_form
from examples.render import _register_font
from examples.scan import Artefacts, images_pdf, scan_form
from services.ocr import regions
from services.ocr.pipeline import extract
from vanthu.events import Block, Line, TextArtifact, Word
from vanthu.normalize import fold

FORM = Form(
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI"],
    number="215/UBND-KT",
    dateline="Quảng Ngãi, ngày 14 tháng 3 năm 2024",
    subject=["V/v triển khai kế hoạch phòng,", "chống thiên tai năm 2024"],
    recipients=["Sở Nông nghiệp và Phát triển nông thôn"],
    body=[
        "Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh về công tác phòng, chống thiên tai năm 2024, "
        "Chủ tịch Ủy ban nhân dân tỉnh có ý kiến như sau:",
        "Giao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với các cơ quan, đơn vị liên quan "
        "tham mưu kế hoạch ứng phó với bão và áp thấp nhiệt đới, báo cáo trước ngày 30 tháng 4 năm 2024.",
    ],
    distribution=["- Như trên;", "- CT, PCT UBND tỉnh;", "- VPUB: CVP, PCVP;", "- Lưu: VT, KT."],
    authority=["KT. CHỦ TỊCH"],
    title="PHÓ CHỦ TỊCH",
    signer="Trần Phước Hiền",
)


@pytest.fixture(scope="module")
def form_pdf() -> bytes:
    return render_form(FORM).pdf


@pytest.fixture(scope="module")
def text_artifact(form_pdf, ocr_options) -> TextArtifact:
    return extract(form_pdf, ocr_options)


@pytest.fixture(scope="module")
def scan_artifact(ocr_options) -> TextArtifact:
    drawn = render_form(FORM)
    pages = scan_form(drawn, Artefacts(stamp="text"), dpi=300, seed=3)
    return extract(images_pdf(pages, dpi=300), ocr_options)


@pytest.fixture(scope="module")
def ocr_options():
    from vanthu.settings import OcrOptions

    return OcrOptions(workers=2, page_timeout_s=60)


def lines_of(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def index(lines: list[str], start: str) -> int:
    """The index of the first line that starts like ``start`` (folded: OCR may damage diacritics)."""
    key = fold(start)
    return next(i for i, line in enumerate(lines) if fold(line).startswith(key))


def assert_columns(text: str) -> None:
    """The header's left column (issuer, number, V/v) whole before its right column (motto,
    place and date); the closing's Nơi nhận list whole before the signer's block."""
    lines = lines_of(text)
    left = [index(lines, s) for s in ("ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NGÃI", "Số", "V/v triển khai")]
    right = [index(lines, s) for s in ("CỘNG HÒA XÃ HỘI", "Độc lập", "Quảng Ngãi, ngày")]
    assert left == sorted(left) and right == sorted(right) and max(left) < min(right), lines[:12]
    receivers = [index(lines, s) for s in ("Nơi nhận", "- Như trên", "- Lưu")]
    signer = [index(lines, s) for s in ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")]
    assert receivers == sorted(receivers) and max(receivers) < min(signer), lines[-10:]
    # No line runs across both columns.
    assert not any("cong hoa" in fold(line) and "nhan dan" in fold(line) for line in lines)
    assert not any("noi nhan" in fold(line) and "chu tich" in fold(line) for line in lines)


def test_text_layer_header_and_closing_are_read_column_by_column(text_artifact):
    # GIVEN a born-digital letter on the Decree 30 form  WHEN extracted
    page = text_artifact.pages[0]
    assert page.source == "text-layer"
    # THEN each column of the header and of the closing reads whole, left before right
    assert_columns(page.text)
    kinds = [b.kind for b in page.blocks]
    assert kinds[:2] == ["header-left", "header-right"]
    assert kinds[-2:] == ["closing-left", "closing-right"]
    assert page.blocks[-1].lines[-1].text == "Trần Phước Hiền"


def test_scan_header_and_closing_are_read_column_by_column(scan_artifact):
    # GIVEN the same letter as a signed, stamped, scanned paper  WHEN OCR'd
    page = scan_artifact.pages[0]
    assert page.source == "ocr" and page.error is None
    # THEN the columns read as in the text layer
    assert_columns(page.text)


def test_received_stamp_is_kept_out_of_the_text(scan_artifact):
    # GIVEN a scan with a "ĐẾN" received stamp (Số, Ngày, Chuyển written in) over the text under the header
    page = scan_artifact.pages[0]
    # WHEN OCR'd  THEN the stamp is set aside, not read into the trích yếu or the body
    stamps = [b for b in page.aside if b.kind == "received-stamp"]
    assert stamps and any(fold(w.text).startswith("den") for b in stamps for ln in b.lines for w in ln.words)
    folded = [fold(line) for line in lines_of(page.text)]
    assert not any(line.startswith(("den", "chuyen")) for line in folded), folded[:15]
    # and the letter's own text around it stays
    assert any(line.startswith("v/v trien khai") for line in folded)
    assert any(line.startswith("kinh gui") for line in folded)


@pytest.mark.parametrize("which", ["text", "scan"])
def test_geometry_is_kept_with_boxes_inside_the_page(which, text_artifact, scan_artifact):
    # GIVEN the letter, born-digital or scanned  WHEN extracted
    page = (text_artifact if which == "text" else scan_artifact).pages[0]
    # THEN the page has its size (A4 in points) and every word a box on the page
    assert page.width == pytest.approx(595.3, abs=8) and page.height == pytest.approx(841.9, abs=8)
    words = [w for b in [*page.blocks, *page.aside] for ln in b.lines for w in ln.words]
    assert len(words) > 100
    for w in words:
        x0, top, x1, bottom = w.box
        assert 0 <= x0 <= x1 <= page.width and 0 <= top <= bottom <= page.height, w
    # with the font size (text layer) or the recognition confidence (OCR)
    if which == "text":
        assert all(w.size and w.confidence is None for w in words)
        assert any(w.bold for w in words if w.text == "CỘNG") and not any(w.bold for w in words if w.text == "Giao")
    else:
        assert all(w.confidence is not None for w in words)
    # and the header's left column lies left of its right column
    left, right = (next(b for b in page.blocks if b.kind == k) for k in ("header-left", "header-right"))
    assert left.box[2] < right.box[0]


def _line(text: str, x0: float, top: float, *, size: float = 12.0, confidence: float | None = 95.0) -> Line:
    """A printed line at (x0, top), its words ~0.5 em apart."""
    words, x = [], x0
    for token in text.split():
        width = 0.5 * size * len(token)
        words.append(Word(text=token, box=(x, top, x + width, top + size), confidence=confidence))
        x += width + 0.3 * size
    return Line(text=text, box=(x0, top, x, top + size), words=words)


def test_portal_overlay_copy_block_and_page_number_are_set_aside():
    # GIVEN a page with the portal's e-signature overlay, a page number and a "SAO Y" copy block
    lines = [
        _line("2", 295, 30),
        _line("Ký bởi: Ủy ban nhân dân tỉnh", 380, 60, size=7),
        _line("Thời gian ký: 18/03/2024 08:41:42 +07:00", 380, 68, size=7),
        _line("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; các", 85, 100),
        _line("quy định hiện hành, Chủ tịch Ủy ban nhân dân tỉnh giao nhiệm vụ như sau.", 85, 116),
        _line("SAO Y BẢN CHÍNH", 380, 600),
        _line("Số: 12/SY-VP", 100, 620),
    ]
    # WHEN arranged
    found = regions.arrange(lines, [], width=595, height=842, first_page=False)
    text = regions.page_text(found.blocks)
    # THEN only the document's text is read, and what was set aside keeps its kind
    assert text.splitlines() == [lines[3].text, lines[4].text]
    kinds = {b.kind: [ln.text for ln in b.lines] for b in found.aside}
    assert kinds["e-signature"] == [lines[1].text, lines[2].text]
    assert kinds["page-number"] == ["2"]
    assert kinds["copy-certification"] == ["SAO Y BẢN CHÍNH", "Số: 12/SY-VP"]


def test_page_of_only_a_table_is_the_table():
    # GIVEN a text-layer page that holds nothing but a ruled table
    row = _line("| 1 | Sở Y tế | Trước 30/9/2021 |", 85, 100)
    table = Block(kind="table", box=row.box, lines=[row])
    # WHEN arranged  THEN its text is the table's rows
    found = regions.arrange([], [table], width=595, height=842, first_page=False)
    assert regions.page_text(found.blocks) == row.text


def test_scan_whose_text_layer_is_only_the_portals_overlay_is_ocrd(scans, options):
    # GIVEN a scanned page over which the portal printed its copy line as text ("SAO Y; ...; time")
    buf = io.BytesIO()
    pdf = canvas.Canvas(buf, pagesize=A4, invariant=True)
    pdf.drawImage(ImageReader(scans[0]), 0, 0, *A4)
    pdf.setFont(_register_font(), 7)
    pdf.drawString(330, 830, "SAO Y; ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH; 18/06/2021; 08:32:14; +07:00")
    pdf.showPage()
    pdf.save()
    # WHEN extracted
    page = extract(buf.getvalue(), options).pages[0]
    # THEN the page is OCR'd (its text layer holds none of the document), the overlay set aside
    assert page.source == "ocr"
    assert lines_of(page.text)[0] == "TỈNH ỦY NAM ĐỊNH"
    assert [b.kind for b in page.aside if "08:32:14" in b.text] == ["e-signature"]

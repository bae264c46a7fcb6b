"""Ruled tables in a PDF's text layer: one "|" line per row, read by the parse stage."""

from __future__ import annotations

import datetime as dt
import io

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from examples.render import _register_font, text_pdf
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from vanthu.directory import UnitDirectory
from vanthu.settings import OcrOptions

HEAD = [
    "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH",
    "Số: 88/KH-UBND",
    "Nam Định, ngày 01 tháng 9 năm 2021",
    "KẾ HOẠCH",
    "Tiêm vắc xin phòng COVID-19 cho học sinh",
    "II. NHIỆM VỤ",
]
ROWS = [
    ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
    ["1", "Lập danh sách học sinh đủ điều kiện tiêm theo từng trường", "Sở Giáo dục và Đào tạo",
     "UBND các huyện, thành phố", "Trước 30/9/2021"],
    ["2", "Bảo đảm kinh phí", "Sở Tài chính", "Sở Y tế", "Trong tháng 10/2021"],
]


def plan_pdf() -> bytes:
    """HEAD as paragraphs, then ROWS as a ruled grid whose long cells wrap onto several lines."""
    font = _register_font()
    style = ParagraphStyle("vi", fontName=font, fontSize=11, leading=14)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, invariant=True)
    table = Table([[Paragraph(c, style) for c in row] for row in ROWS], colWidths=[40, 150, 100, 110, 80])
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, "black"), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    doc.build([*(Paragraph(line, style) for line in HEAD), Spacer(1, 12), table,
               Paragraph("Các đơn vị báo cáo kết quả về Sở Y tế.", style)])
    return buf.getvalue()


def _text(pdf: bytes) -> str:
    """The text of the PDF's first page as the OCR stage gives it."""
    return extract(pdf, OcrOptions(workers=1)).pages[0].text


def test_each_table_row_is_one_line_of_cells():
    # GIVEN a plan whose tasks are a ruled table with cells wrapped over several lines
    # WHEN its text layer is read
    lines = _text(plan_pdf()).splitlines()
    # THEN each row is one "|" line, cells whole and in column order, set off by blank lines
    rows = [line for line in lines if line.startswith("|")]
    assert rows == ["| " + " | ".join(row) + " |" for row in ROWS]
    first = lines.index(rows[0])
    assert lines[first - 1] == "" and lines[first + len(rows)] == ""
    assert lines[first + len(rows) + 1] == "Các đơn vị báo cáo kết quả về Sở Y tế."


def test_a_table_plan_pdf_parses_into_lead_and_cooperating_units():
    # GIVEN the same plan as a born-digital PDF
    # WHEN its text layer is parsed
    d = parse_directive(_text(plan_pdf()), UnitDirectory.load())
    # THEN each row is a task of its lead unit, with its partners and its deadline
    got = {(a.section, a.unit_id, a.role, a.deadline) for a in d.assignments}
    assert {
        ("II.1", "so-giao-duc-va-dao-tao", "lead", dt.date(2021, 9, 30)),
        ("II.1", "cac-huyen-thanh-pho", "cooperate", dt.date(2021, 9, 30)),
        ("II.2", "so-tai-chinh", "lead", dt.date(2021, 10, 31)),
        ("II.2", "so-y-te", "cooperate", dt.date(2021, 10, 31)),
    } <= got


def test_plain_text_pages_get_no_table_lines(source_text):
    # GIVEN a born-digital directive with no drawn lines
    # WHEN its text layer is read
    text = _text(text_pdf(source_text))
    # THEN no line is taken for a table row
    assert not any(line.startswith("|") for line in text.splitlines())

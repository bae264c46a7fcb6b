"""Ruled tables on scanned pages: the grid found from the image, each word in its cell,
the rows read by the parse stage as a plan's lead and cooperating units."""

from __future__ import annotations

import math

import pytest
from PIL import Image, ImageDraw

from examples.form import Form, render_form
from examples.scan import Artefacts, images_pdf, rasterise, scan_form, seal
from services.ocr import geometry, raster, scan_tables
from services.ocr.pdf_text import TextLayer
from services.ocr.pipeline import extract
from services.parse.parser import parse_directive
from vanthu.directory import UnitDirectory
from vanthu.events import Line, Word
from vanthu.settings import OcrOptions

ROWS = [
    ["STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian thực hiện"],
    ["1", "Lập danh sách học sinh đủ điều kiện tiêm theo từng trường", "Sở Giáo dục và Đào tạo",
     "UBND các huyện, thành phố", "Trước 30/9/2021"],
    ["2", "Bảo đảm kinh phí cho các điểm tiêm", "Sở Tài chính", "Sở Y tế", "Trong tháng 10/2021"],
    ["3", "Tổ chức tiêm tại các trường học", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Quý IV năm 2021"],
]
PLAN = Form(
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH"],
    number="88/KH-UBND",
    dateline="Nam Định, ngày 01 tháng 9 năm 2021",
    type_title="KẾ HOẠCH",
    subject=["Tiêm vắc xin phòng COVID-19 cho học sinh"],
    body=["I. MỤC ĐÍCH, YÊU CẦU", "Bảo đảm tiêm đủ liều cho học sinh trên địa bàn tỉnh.", "II. NHIỆM VỤ",
          *("| " + " | ".join(row) + " |" for row in ROWS),
          "Các đơn vị báo cáo kết quả về Sở Y tế trước ngày 15 tháng 12 năm 2021."],
    distribution=["- Như trên;", "- Lưu: VT."],
    authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"],
    title="PHÓ CHỦ TỊCH",
    signer="Trần Văn Minh",
)
DPI = 150  # the finder's own tests: as coarse as a mailroom scan gets


@pytest.fixture(scope="module")
def plan() -> tuple[bytes, Image.Image, list[Line]]:
    """The plan as a born-digital PDF, its first page as a clean 150 dpi image, and the
    page's words (from its text layer) as lines running across the page as Tesseract
    reads them: row by row across the table's cells."""
    drawn = render_form(PLAN)
    page = TextLayer(drawn.pdf).page(1)
    assert page is not None
    words = [w for line in page.lines for w in line.words] + [w for t in page.tables for r in t.lines for w in r.words]
    return drawn.pdf, rasterise(drawn.pdf, DPI)[0].convert("L"), _across(words)


def _across(words: list[Word]) -> list[Line]:
    """``words`` as lines across the page: those whose middles lie within 4 pt."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (w.box[1] + w.box[3]) / 2):
        middle = (word.box[1] + word.box[3]) / 2
        if lines and abs(middle - (lines[-1][0].box[1] + lines[-1][0].box[3]) / 2) < 4:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [geometry.line_of(sorted(ws, key=lambda w: w.box[0])) for ws in lines]


def _page(image: Image.Image) -> raster.PageImage:
    """``image`` as a page prepared for Tesseract (frame: the whole page, unscaled)."""
    return raster.PageImage(image, DPI, geometry.Frame(0, 0, 1.0, image.width, image.height, DPI))


def _turned(image: Image.Image, lines: list[Line], degrees: float) -> tuple[Image.Image, list[Line]]:
    """``image`` turned ``degrees`` counter-clockwise about its centre, the words' boxes moved with it."""
    turned = image.rotate(degrees, resample=Image.Resampling.BICUBIC, fillcolor=255)
    cx, cy = image.width / 2 * 72 / DPI, image.height / 2 * 72 / DPI
    a = math.radians(degrees)

    def moved(w: Word) -> Word:
        x, y = (w.box[0] + w.box[2]) / 2 - cx, (w.box[1] + w.box[3]) / 2 - cy
        nx, ny = cx + x * math.cos(a) + y * math.sin(a), cy - x * math.sin(a) + y * math.cos(a)
        hw, hh = (w.box[2] - w.box[0]) / 2, (w.box[3] - w.box[1]) / 2
        return w.model_copy(update={"box": (nx - hw, ny - hh, nx + hw, ny + hh)})

    return turned, [geometry.line_of([moved(w) for w in line.words]) for line in lines]


def _cells(block) -> list[list[str]]:
    return [[c.strip() for c in row.text.strip("|").split("|")] for row in block.lines]


def _table_rows(image: Image.Image, lines: list[Line]) -> list[list[list[str]]]:
    kept, tables = scan_tables.find(_page(image), lines)
    taken = {id(w) for t in tables for r in t.lines for w in r.words}
    assert not any(id(w) in taken for line in kept for w in line.words)  # no word is read twice
    return [_cells(t) for t in tables]


def _rule_rows(image: Image.Image) -> list[int]:
    """The pixel rows of the table's horizontal rules (rows mostly ink across the table)."""
    width = image.width
    return [y for y in range(image.height)
            if sum(1 for x in range(width // 8, width * 7 // 8, 4) if image.getpixel((x, y)) < 128) > 0.8 * width / 4 * 3 / 4]


# --- the whole stage on a scan -----------------------------------------------------------


@pytest.fixture(scope="module")
def scanned_plan() -> str:
    """The plan's text as the OCR stage reads its 200 dpi grey scan (seal and signature on)."""
    images = scan_form(render_form(PLAN), Artefacts(stamp=None), dpi=200, seed=3)
    return extract(images_pdf(images, dpi=200), OcrOptions(workers=2)).text


def test_a_scanned_plan_table_gives_each_task_its_lead_and_partners(scanned_plan):
    # GIVEN a scanned plan whose tasks are a ruled table (lead unit | partners | deadline)
    # WHEN it is read and parsed
    directive = parse_directive(scanned_plan, UnitDirectory.load())
    # THEN each row's lead unit leads and its partners cooperate, row by row
    got = {(a.section.rsplit(".", 1)[-1] if a.section else None, a.unit_id, a.role) for a in directive.assignments}
    assert {
        ("1", "so-giao-duc-va-dao-tao", "lead"),
        ("1", "cac-huyen-thanh-pho", "cooperate"),
        ("2", "so-tai-chinh", "lead"),
        ("2", "so-y-te", "cooperate"),
        ("3", "so-y-te", "lead"),
        ("3", "so-giao-duc-va-dao-tao", "cooperate"),
    } <= got
    # and no row's units are mixed up with another's
    assert ("2", "so-y-te", "lead") not in got and ("3", "so-y-te", "cooperate") not in got


def test_the_scanned_table_reads_row_by_row_where_it_stands(scanned_plan):
    lines = scanned_plan.splitlines()
    rows = [line for line in lines if line.startswith("|")]
    assert len(rows) == len(ROWS)
    assert "Sở Tài chính" in rows[2] and "Sở Y tế" in rows[2]
    # between the heading above it and the paragraph below it
    assert lines.index(rows[0]) > next(i for i, line in enumerate(lines) if "NHIỆM VỤ" in line)
    assert lines.index(rows[-1]) < next(i for i, line in enumerate(lines) if line.startswith("Các đơn vị báo cáo"))


# --- the finder on page images -----------------------------------------------------------


def test_each_word_goes_to_the_cell_it_stands_in(plan):
    _, image, lines = plan
    assert _table_rows(image, lines) == [ROWS]


def test_residual_skew_of_a_few_degrees(plan):
    _, image, lines = plan
    for degrees in (2.5, -2.5):
        assert _table_rows(*_turned(image, lines, degrees)) == [ROWS]


def test_rules_broken_by_a_light_scan(plan):
    # GIVEN the page with holes of 1 mm every 7 mm (a light scan loses bits of every rule)
    _, image, lines = plan
    broken = image.copy()
    draw = ImageDraw.Draw(broken)
    for x in range(0, image.width, 40):
        for y in range(0, image.height, 40):
            draw.rectangle((x, y, x + 6, y + 6), fill=255)
    # THEN the grid is whole
    assert _table_rows(broken, lines) == [ROWS]


def test_a_table_continued_without_its_top_rule(plan):
    # GIVEN the table's top rule gone, as on a page the table runs on to
    _, image, lines = plan
    top = _rule_rows(image)[0]
    cut = image.copy()
    ImageDraw.Draw(cut).rectangle((0, top - 3, image.width, top + 3), fill=255)
    # THEN its first row is still a row
    assert _table_rows(cut, lines) == [ROWS]


def test_a_missing_rule_merges_the_cells_it_parted(plan):
    # GIVEN row 2 without the rule between its lead and partner cells
    _, image, lines = plan
    rules = _rule_rows(image)
    tops = sorted({y for y in rules if not any(0 < y - z <= 4 for z in rules)})  # a rule's first pixel row
    row = next(line.words for line in lines if any(w.text == "Tài" for w in line.words))
    partner = row[next(i for i, w in enumerate(row) if w.text == "Y") - 1]  # "Sở" of "Sở Y tế"
    x = round(partner.box[0] * DPI / 72)
    merged = image.copy()
    # the vertical rule just left of "Sở Y tế" in that row (the cell's padding is 3 pt)
    ImageDraw.Draw(merged).rectangle((x - 12, tops[2] + 3, x - 1, tops[3] - 3), fill=255)
    # THEN that row has one cell for both, the next empty; the other rows keep their cells
    (rows,) = _table_rows(merged, lines)
    assert rows[2][2:4] == ["Sở Tài chính Sở Y tế", ""]
    assert rows[1] == ROWS[1] and rows[3] == ROWS[3]


def test_a_seal_over_the_table_takes_nothing_from_it(plan):
    _, image, lines = plan
    sealed = image.convert("RGB")
    top = _rule_rows(image)[0]
    seal(sealed, (image.width * 0.55, top), 36 / 25.4 * DPI / 2, "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH *")
    assert _table_rows(sealed.convert("L"), lines) == [ROWS]


# --- what is no table ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_page() -> tuple[Image.Image, list[Line]]:
    """A page of the plan's header and prose without the table, and its lines."""
    form = Form(**{**PLAN.__dict__, "body": [p for p in PLAN.body if not p.startswith("|")]})
    drawn = render_form(form)
    page = TextLayer(drawn.pdf).page(1)
    assert page is not None
    return rasterise(drawn.pdf, DPI)[0].convert("L"), page.lines


def _no_table(image: Image.Image, lines: list[Line]) -> None:
    kept, tables = scan_tables.find(_page(image), lines)
    assert tables == []
    assert [line.text for line in kept] == [line.text for line in lines]


def test_aligned_columns_without_rules_stay_lines(plan, plain_page):
    # GIVEN the table's words, row by row, on a page that draws no rules
    _, _, lines = plan
    _no_table(plain_page[0], lines)


def test_a_page_of_empty_boxes_is_no_table(plain_page):
    # GIVEN a form's empty boxes, apart and as one ruled grid, under the page's text
    image, lines = plain_page
    boxes = image.copy()
    draw = ImageDraw.Draw(boxes)
    for row in range(4):
        for column in range(4):
            x, y = 200 + column * 220, 1000 + row * 90
            draw.rectangle((x, y, x + 200, y + 70), outline=0, width=2)
    for k in range(6):
        draw.line((200, 1400 + 60 * k, 1080, 1400 + 60 * k), fill=0, width=2)
        draw.line((200 + 176 * k, 1400, 200 + 176 * k, 1700), fill=0, width=2)
    # THEN no table comes of them, and the text stays as it was
    _no_table(boxes, lines)


def test_a_box_around_a_stamp_is_no_table(plain_page):
    # GIVEN a ruled box drawn around a few lines of text (one cell)
    image, lines = plain_page
    boxed = image.copy()
    box = geometry.bounds(line.box for line in lines[-4:-2])
    ImageDraw.Draw(boxed).rectangle(tuple(round(v * DPI / 72) + d for v, d in zip(box, (-8, -8, 8, 8), strict=True)),
                                    outline=0, width=2)
    _no_table(boxed, lines)


def test_a_seal_and_a_signature_across_a_rule_are_no_table(plain_page):
    image, lines = plain_page
    marked = image.convert("RGB")
    draw = ImageDraw.Draw(marked)
    y = 300
    draw.line((150, y, 1100, y), fill=(0, 0, 0), width=2)  # a long rule across the page
    seal(marked, (600, y), 36 / 25.4 * DPI / 2, "ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH *")
    draw.line((500, y - 120, 540, y + 160), fill=(25, 45, 150), width=3)  # a steep signature stroke
    draw.line((700, y - 100, 705, y + 110), fill=(25, 45, 150), width=3)
    _no_table(marked.convert("L"), lines)


# --- an annex's table after the signature ------------------------------------------------

UNITS = [("Sở Tài chính", "so-tai-chinh"), ("Sở Y tế", "so-y-te"), ("Sở Xây dựng", "so-xay-dung"),
         ("Sở Nội vụ", "so-noi-vu"), ("Sở Tư pháp", "so-tu-phap"), ("Sở Công Thương", "so-cong-thuong")]
PLACES = ["Cao Bằng", "Lào Cai", "Hà Tĩnh", "Huế", "Đồng Nai", "Sơn La"]
ANNEX_ROWS = 14


def test_an_annex_table_gives_each_row_its_number_and_responsible_unit():
    # GIVEN a letter whose annex, after the signature, assigns each of 14 requests to the
    # body responsible for it, the rows numbered in a narrow first column
    rows = ["| TT | Địa phương kiến nghị | Nội dung kiến nghị | Cơ quan phụ trách xử lý |"] + [
        f"| {n} | {PLACES[n % 6]} | Đề nghị hướng dẫn việc bố trí kinh phí thực hiện nhiệm vụ số {n} sau khi sắp xếp"
        f" đơn vị hành chính cấp xã | {UNITS[n % 6][0]} |" for n in range(1, ANNEX_ROWS + 1)]
    letter = Form(issuer=["ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH"], number="174/UBND-NC",
                  dateline="Nam Định, ngày 02 tháng 12 năm 2025", subject=["V/v xử lý kiến nghị của các địa phương"],
                  recipients=["Các sở, ban, ngành tỉnh"],
                  body=["Ủy ban nhân dân tỉnh đề nghị các sở xử lý các kiến nghị tại Phụ lục kèm theo."],
                  distribution=["- Như trên;", "- Lưu: VT."], authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"],
                  title="PHÓ CHỦ TỊCH", signer="Trần Văn Minh", appendix=["PHỤ LỤC", *rows])
    images = scan_form(render_form(letter), Artefacts(stamp=None), dpi=200, seed=3)
    # WHEN its 200 dpi scan is read and parsed
    directive = parse_directive(extract(images_pdf(images, dpi=200), OcrOptions(workers=2)).text, UnitDirectory.load())
    # THEN nearly every row is a task of its unit under the row's number (Tesseract's page
    # reading alone loses most one-digit numbers in their narrow cells)
    got = {(a.section, a.unit_id) for a in directive.assignments if a.role == "assigned"}
    expected = {(str(n), UNITS[n % 6][1]) for n in range(1, ANNEX_ROWS + 1)}
    assert len(got & expected) >= ANNEX_ROWS - 2


def test_an_annexed_catalogue_of_procedures_tasks_no_one():
    # GIVEN a decision publishing procedures, its annex a catalogue read as "|" rows (its
    # "Cơ quan thực hiện" column says who handles a procedure: CONVENTIONS.md of the corpus)
    text = "\n".join([
        "ỦY BAN NHÂN DÂN", "TỈNH NAM ĐỊNH", "Số: 2702/QĐ-UBND", "Nam Định, ngày 02 tháng 12 năm 2025",
        "QUYẾT ĐỊNH", "Về việc công bố danh mục thủ tục hành chính nội bộ",
        "Điều 1. Công bố kèm theo Quyết định này danh mục thủ tục hành chính nội bộ.",
        "Điều 2. Giám đốc Sở Tư pháp chịu trách nhiệm thi hành Quyết định này.",
        "Nơi nhận:", "- Như Điều 2;", "- Lưu: VT.", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Minh", "",
        "PHỤ LỤC", "| TT | Tên thủ tục hành chính | Cơ quan thực hiện |",
        "| 1 | Thẩm định dự án đo đạc và bản đồ | Sở Tài chính |",
        "| 2 | Cấp giấy phép hoạt động đo đạc | Sở Xây dựng |",
    ])
    # WHEN parsed THEN only the decision's own article tasks a unit
    units = {a.unit_id for a in parse_directive(text, UnitDirectory.load()).assignments}
    assert "so-tu-phap" in units and not units & {"so-tai-chinh", "so-xay-dung"}

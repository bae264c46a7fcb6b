"""The renderer draws the real form (Decree 30/2020 Appendix I, Guideline 36-HD/VPTW),
and its scans carry the signed paper's marks."""

from __future__ import annotations

import io

import pdfplumber
import pytest
from PIL import Image

from examples.form import Form, blank_number, render_form
from examples.render import example_texts, form_from_text, scan_pdf
from examples.scan import RED, Artefacts, scan_form

FORM = Form(
    issuer=["ỦY BAN NHÂN DÂN", "TỈNH HÀ TĨNH"],
    number="2463/QĐ-UBND",
    dateline="Hà Tĩnh, ngày 02 tháng 12 năm 2025",
    type_title="QUYẾT ĐỊNH",
    subject=["Về việc phê duyệt kế hoạch phòng, chống thiên tai năm 2026"],
    body=["Điều 1. Phê duyệt kế hoạch kèm theo Quyết định này.", "Điều 2. Quyết định có hiệu lực từ ngày ký."],
    distribution=["- Như Điều 2;", "- Lưu: VT."],
    authority=["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"],
    title="PHÓ CHỦ TỊCH",
    signer="Trần Báu Hà",
)


def _words(pdf: bytes) -> list[dict]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [w for page in doc.pages for w in page.extract_words(extra_attrs=["fontname"])]


def _line(words: list[dict], text: str) -> list[dict]:
    """The words of the printed line that starts with ``text``'s first word and holds all of it."""
    first = text.split()[0]
    for start in (w for w in words if w["text"] == first):
        row = sorted((w for w in words if abs(w["top"] - start["top"]) < 2 and w["x0"] >= start["x0"]),
                     key=lambda w: w["x0"])
        if " ".join(w["text"] for w in row).startswith(text):
            return row[: len(text.split())]
    raise AssertionError(f"{text!r} is not printed on one line")


def test_header_is_two_columns_with_the_issuer_beside_the_motto():
    # GIVEN a state decision WHEN it is rendered
    words = _words(render_form(FORM).pdf)
    issuer, motto = _line(words, "ỦY BAN NHÂN DÂN"), _line(words, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    number, dateline = _line(words, "Số: 2463/QĐ-UBND"), _line(words, "Hà Tĩnh, ngày 02")
    # THEN the issuer (bold) and the motto share the first row, left and right ...
    assert abs(issuer[0]["top"] - motto[0]["top"]) < 4
    assert issuer[-1]["x1"] < motto[0]["x0"]
    assert all("Bold" in w["fontname"] for w in issuer + motto)
    # ... the number and the italic place/date share a lower row ...
    assert abs(number[0]["top"] - dateline[0]["top"]) < 2 and number[0]["top"] > issuer[0]["top"]
    assert number[-1]["x1"] < dateline[0]["x0"] and "Italic" in dateline[0]["fontname"]
    # ... and the type title is centred under the header
    title = _line(words, "QUYẾT ĐỊNH")
    centre = (title[0]["x0"] + title[-1]["x1"]) / 2
    assert title[0]["top"] > number[0]["top"] and abs(centre - (85 + (595.28 - 57)) / 2) < 3


def test_closing_puts_the_distribution_beside_the_signature():
    # GIVEN the same decision WHEN rendered
    words = _words(render_form(FORM).pdf)
    received, authority = _line(words, "Nơi nhận:"), _line(words, "TM. ỦY BAN NHÂN DÂN")
    name = _line(words, "Trần Báu Hà")
    # THEN "Nơi nhận:" (bold italic) and the authority line share a row, left and right,
    # and the name stands under the signature space, in bold
    assert abs(received[0]["top"] - authority[0]["top"]) < 3 and received[-1]["x1"] < authority[0]["x0"]
    assert "BoldItalic" in received[0]["fontname"]
    assert name[0]["top"] - _line(words, "PHÓ CHỦ TỊCH")[0]["top"] > 60 and "Bold" in name[0]["fontname"]


def test_reading_text_gives_each_column_whole_left_first():
    # GIVEN the decision WHEN rendered THEN its reading-order text has the left header
    # column, then the right one, then the title, body, Nơi nhận, signature block
    text = render_form(FORM).text
    order = ["TỈNH HÀ TĨNH", "Số: 2463/QĐ-UBND", "CỘNG HÒA", "Hà Tĩnh, ngày", "QUYẾT ĐỊNH", "Điều 2.",
             "Nơi nhận:", "- Lưu: VT.", "TM. ỦY BAN", "PHÓ CHỦ TỊCH", "Trần Báu Hà"]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)


def test_party_form_has_its_motto_and_number_without_colon():
    # GIVEN the Party công văn among the examples WHEN it is read into a form and rendered
    form = form_from_text(example_texts()["001_c04fbf0a9182cd61"])
    words = _words(render_form(form).pdf)
    # THEN it is laid out on Guideline 36's form: "ĐẢNG CỘNG SẢN VIỆT NAM" beside the issuer,
    # "Số 215-CV/TU" beside the date, the trích yếu under the number, the signer last
    assert form.party and form.signer == "Lê Quốc Chính" and form.recipients[0].startswith("- Các đảng đoàn")
    issuer, motto = _line(words, "TỈNH ỦY NAM ĐỊNH"), _line(words, "ĐẢNG CỘNG SẢN VIỆT NAM")
    assert abs(issuer[0]["top"] - motto[0]["top"]) < 4 and issuer[-1]["x1"] < motto[0]["x0"]
    number = _line(words, "Số 215-CV/TU")
    assert abs(number[0]["top"] - _line(words, "Nam Định, ngày 14")[0]["top"]) < 2
    assert _line(words, "Về một số nhiệm vụ")[0]["x1"] < motto[0]["x0"]


def _red(image: Image.Image, box: tuple[float, float, float, float]) -> int:
    """Pixels of seal red in ``box`` of a colour scan."""
    data = image.crop(tuple(round(v) for v in box)).convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if r > 150 and g < 140 and b < 140 and r - g > 60)


def test_seal_is_red_and_reaches_over_the_signers_name():
    # GIVEN the decision scanned in colour with its seal over the signature
    drawn = render_form(FORM)
    [page] = scan_form(drawn, Artefacts(seal="over", signature=False, stamp=None, mode="colour", noise=0),
                       dpi=100, seed=1)
    scale = 100 / 72
    _, x0, top, x1, bottom = drawn.boxes["signer_name"]
    name_box = (x0 * scale, top * scale, x1 * scale, bottom * scale)
    # THEN there is seal red over the name's area, and none in the header
    assert _red(page, name_box) > 20
    assert _red(page, (0, 0, page.width, page.height // 4)) == 0
    # ... and without a seal there is no red there
    [bare] = scan_form(drawn, Artefacts(seal=None, signature=False, stamp=None, mode="colour", noise=0),
                       dpi=100, seed=1)
    assert _red(bare, name_box) == 0 and RED[0] > RED[1]


def test_handwritten_number_fills_the_blank_before_the_slash():
    # GIVEN a decision whose sequence is left blank, scanned with the number written in
    form = Form(**{**FORM.__dict__, "number": blank_number(FORM.number)})
    drawn = render_form(form)
    assert "Số:" in drawn.text and "/QĐ-UBND" in drawn.text and "2463" not in drawn.text
    scans = {digits: scan_form(drawn, Artefacts(seal=None, signature=False, stamp=None, handwritten_number=digits,
                                                noise=0, skew=0), dpi=100, seed=1)[0] for digits in ("", "2463")}
    scale = 100 / 72
    _, x0, top, x1, bottom = drawn.boxes["number_blank"]
    blank = (round(x0 * scale), round(top * scale), round(x1 * scale), round(bottom * scale))
    # THEN the blank is empty on the printed form and inked once the clerk has written in it
    ink = {digits: sum(1 for v in image.crop(blank).tobytes() if v < 128) for digits, image in scans.items()}
    assert ink[""] == 0 and ink["2463"] > 30


@pytest.mark.parametrize(("mode", "image_mode"), [("bilevel", "1"), ("grey", "L"), ("colour", "RGB")])
def test_scan_modes(mode, image_mode):
    # GIVEN the decision scanned at 200 dpi in black and white, grey or colour
    [page] = scan_form(render_form(FORM), Artefacts(mode=mode), dpi=200, seed=3, pages=[0])
    # THEN each page has that mode and the A4 size at 200 dpi
    assert page.mode == image_mode and page.size == (round(595.28 * 200 / 72), round(841.89 * 200 / 72))


def test_bilevel_scan_pdf_is_ccitt_encoded():
    # GIVEN a black-and-white scan saved as a PDF WHEN its page image is looked at
    from examples.scan import images_pdf

    pdf = images_pdf(scan_form(render_form(FORM), Artefacts(mode="bilevel"), dpi=200, seed=3, pages=[0]), dpi=200)
    # THEN it is CCITT G4 encoded, 1 bit per pixel
    assert b"/CCITTFaxDecode" in pdf and b"/BitsPerComponent 1" in pdf


def test_scans_are_deterministic_by_seed():
    # GIVEN one form WHEN scanned twice with one seed and once with another
    drawn = render_form(FORM)

    def pixels(seed: int) -> bytes:
        return b"".join(page.tobytes() for page in scan_form(drawn, Artefacts(), dpi=100, seed=seed))

    # THEN the same seed gives the same pixels, another seed others
    assert pixels(4) == pixels(4) != pixels(5)


def test_scan_pdf_of_an_example_is_image_only():
    # GIVEN an example WHEN scanned as the tests and the demo do THEN its PDF has no text layer
    pdf = scan_pdf(example_texts()["002_d2642929b84c508e"], dpi=100)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 4 and not any(page.chars for page in doc.pages)


def test_a_web_page_without_a_header_is_body_only():
    # GIVEN the example copied from a web page (no header, no signature) WHEN read into a form
    form = form_from_text(example_texts()["004_10d7f02d66da512c"])
    # THEN nothing is taken for a header or a closing, and the text is drawn whole
    assert not form.has_header and not form.signer and not form.type_title
    assert render_form(form).text.split("\n")[0] == "Banner Tỉnh ủy Nghệ An (Home-latest-1)"


def test_closing_is_read_whichever_comes_first():
    # GIVEN the examples whose signature block follows "Nơi nhận" (002) or precedes it (003)
    state = form_from_text(example_texts()["002_d2642929b84c508e"])
    party = form_from_text(example_texts()["003_ddf291199ab0edd6"])
    # THEN both closings are split into the list, the authority lines, the title and the name
    assert state.authority == ["TL. CHỦ TỊCH", "KT. CHÁNH VĂN PHÒNG"] and state.title == "PHÓ CHÁNH VĂN PHÒNG"
    assert state.signer == "Chu Thị Hồng Loan" and state.distribution[-1] == "cáo)" and not state.party
    assert party.authority == ["T/M BAN THƯỜNG VỤ"] and party.title == "PHÓ BÍ THƯ" and party.signer == "Kim Ngọc Thái"
    assert party.distribution == ["- Như trên,", "- Lưu Văn phòng Tỉnh ủy."] and party.party
    # ... and a công văn with no number keeps its V/v trích yếu in the header
    assert party.subject[0].startswith("V/v thực hiện") and not party.type_title
    assert state.type_title == "THÔNG BÁO" and state.number == "/TB-UBND"


TABLE = [
    ["STT", "Nội dung", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian"],
    ["1", "Rà soát, lập danh sách các hộ dân sống trong vùng có nguy cơ sạt lở đất, lũ quét", "Sở Nông nghiệp và Môi trường",
     "UBND các xã, phường", "Quý I năm 2026"],
    ["2", "Bảo đảm kinh phí", "Sở Tài chính", "Sở Xây dựng", "Tháng 3 năm 2026"],
]


def test_table_rows_are_drawn_as_a_ruled_grid_with_a_bold_header():
    # GIVEN a decision whose body has "| cell |" rows, and one whose annex after the signature has them
    rows = ["| " + " | ".join(row) + " |" for row in TABLE]
    body = Form(**{**FORM.__dict__, "body": [FORM.body[0], *rows, FORM.body[1]]})
    annex = Form(**{**FORM.__dict__, "appendix": ["PHỤ LỤC", *rows]})
    for form, page in ((body, 0), (annex, -1)):
        drawn = render_form(form)
        # WHEN rendered THEN that page draws a grid whose cells hold the rows' text, wrapped
        with pdfplumber.open(io.BytesIO(drawn.pdf)) as doc:
            (table,) = doc.pages[page].find_tables()
            got = [[" ".join(cell.split()) for cell in row] for row in table.extract()]
            header = [w for w in doc.pages[page].extract_words(extra_attrs=["fontname"]) if w["text"] == "Cơ"][:2]
        assert got == TABLE
        assert all("Bold" in w["fontname"] for w in header)
        # ... and the reading-order text has each row as one "|" line, in place
        lines = drawn.text.split("\n")
        assert [line for line in lines if line.startswith("|")] == rows
    body_lines = render_form(body).text.split("\n")
    assert body_lines.index(rows[0]) == body_lines.index(FORM.body[0]) + 1
    assert body_lines.index(FORM.body[1]) == body_lines.index(rows[-1]) + 1


def test_a_long_table_runs_on_to_the_next_page_row_by_row():
    # GIVEN a table of 40 rows WHEN rendered
    rows = ["| STT | Nội dung | Cơ quan thực hiện |"] + [f"| {n} | Nhiệm vụ số {n} của kế hoạch | Sở Tài chính |"
                                                          for n in range(1, 41)]
    drawn = render_form(Form(**{**FORM.__dict__, "body": rows}))
    # THEN it takes two pages, each a ruled grid of whole rows
    with pdfplumber.open(io.BytesIO(drawn.pdf)) as doc:
        grids = [t.extract() for page in doc.pages for t in page.find_tables()]
    assert len(grids) == 2 and sum(len(g) for g in grids) == 41
    assert [row[0] for g in grids for row in g] == ["STT", *map(str, range(1, 41))]

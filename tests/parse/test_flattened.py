"""A directive pasted as one paragraph (a law site's copy, a chat message) reads as its lines do.

The form's anchors carry the reading when the line breaks are gone (vanthu/reflow.py):
what a clerk sees of the header, the signature and the tasks must not depend on them.
"""

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.parse.parser import parse_directive
from vanthu.reflow import reflow

# A provincial decision on the form of Decree 30/2020, with the header and closing tables
# as a law site prints them (a "|" line between cells, bold and italic marks).
DECISION = """\
**ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ**
--------
|
**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 1234/QĐ-UBND
|
*Quảng Trị, ngày 05 tháng 11 năm 2025*
|

**QUYẾT ĐỊNH**
**VỀ VIỆC BAN HÀNH KẾ HOẠCH PHÒNG, CHỐNG THIÊN TAI NĂM 2026**

**ỦY BAN NHÂN DÂN TỈNH QUẢNG TRỊ**

Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;
Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013;
Theo đề nghị của Giám đốc Sở Nông nghiệp và Môi trường tại Tờ trình số 88/TTr-SNNMT ngày 30/10/2025.

**QUYẾT ĐỊNH:**

**Điều 1.** Ban hành kèm theo Quyết định này Kế hoạch phòng, chống thiên tai năm 2026.
**Điều 2.** Tổ chức thực hiện
1. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với Sở Tài chính, Công an tỉnh rà soát
phương án ứng phó bão mạnh, hoàn thành trước ngày 15/12/2025.
2. Sở Xây dựng kiểm tra an toàn các công trình đang thi công theo khoản 1. Điều 2 và điểm a)
khoản 2 Điều 3 của Quy chế phối hợp.
3. Ủy ban nhân dân các xã, phường chủ động sơ tán dân ở vùng nguy hiểm.
**Điều 3.** Chánh Văn phòng Ủy ban nhân dân tỉnh, Giám đốc các sở, ban, ngành và Chủ tịch
Ủy ban nhân dân các xã, phường chịu trách nhiệm thi hành Quyết định này./.

|
*Nơi nhận:*
- Như Điều 3;
- Bộ Nông nghiệp và Môi trường;
- Chủ tịch, các PCT UBND tỉnh;
- Lưu: VT, KT.
|
**TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Hoàng Nam**
|
"""


def _one_line(text: str, marks: bool) -> str:
    """The text as a site or a paste flattens it: every break a space, the marks kept or lost."""
    if not marks:
        text = re.sub(r"\||-{3,}", " ", text.replace("*", ""))
    return " ".join(text.split())


def _reading(text: str) -> dict:
    d = parse_directive(text)
    return {
        "number": d.number, "type": d.doc_type, "date": d.date, "issuer": d.issuer,
        "parent": d.parent_issuer, "place": d.place, "subject": d.subject,
        "signer": (d.signer.authority, d.signer.title, d.signer.name),
    }


def _tasks(text: str) -> set[tuple[str, str]]:
    return {(a.unit, a.role) for a in parse_directive(text).assignments}


@pytest.mark.parametrize("marks", [True, False], ids=["web-marks", "plain"])
def test_a_decision_flattened_to_one_line_reads_as_its_lines(marks):
    # GIVEN a provincial decision, and the same decision as one paragraph
    flat = _one_line(DECISION, marks)
    assert "\n" not in flat
    # WHEN both are parsed
    lines, one = _reading(DECISION), _reading(flat)
    # THEN the header and signature read the same, and are the document's
    assert one == lines
    assert (one["number"], one["type"], str(one["date"]), one["place"]) == ("1234/QĐ-UBND", "Quyết định", "2025-11-05", "Quảng Trị")
    assert one["signer"] == ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Hoàng Nam")
    assert "tỉnh quảng trị" in f"{one['parent'] or ''} {one['issuer']}".lower()
    # ... and every unit gets the same task, in the same role
    assert _tasks(flat) == _tasks(DECISION)
    assert {("Sở Nông nghiệp và Môi trường", "lead"), ("Sở Tài chính", "cooperate"), ("Sở Xây dựng", "assigned")} <= _tasks(flat)
    # ... whole: what a task cites ("khoản 1. Điều 2", "điểm a) khoản 2") opens no item of its own
    task = next(a.task for a in parse_directive(flat).assignments if a.unit == "Sở Xây dựng")
    assert "theo khoản 1. Điều 2 và điểm a) khoản 2 Điều 3 của Quy chế phối hợp" in task


@pytest.mark.parametrize("stem", ["000", "001", "002", "003", "004"])
def test_the_samples_flattened_keep_header_signer_and_most_tasks(stem, sample):
    # GIVEN a real directive (Party and state forms, a news page quoting one) as one paragraph
    text = sample(stem)
    flat = _one_line(text, marks=True)
    # WHEN it is parsed
    # THEN what the header and signature say is what its lines say
    assert _reading(flat) == _reading(text)
    # ... and at least three in four of its (unit, role) tasks are found (a unit's name that
    # a line break ended may be read in two parts)
    lines = _tasks(text)
    assert len(_tasks(flat) & lines) >= 0.75 * len(lines)


def test_a_flattened_letters_addressee_ends_where_its_first_sentence_begins():
    # GIVEN a ministry's letter flattened to one line, its one addressee followed straight by
    # the letter's first sentence, with no stop between them
    text = (
        "**BỘ NỘI VỤ** | **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** Độc lập - Tự do - Hạnh phúc | Số: 11208/BNV-KHTC "
        "| V/v tỷ lệ chi phí quản lý năm 2026 | *Hà Nội, ngày 26 tháng 11 năm 2025* | **Kính gửi:** Ủy ban nhân "
        "dân các tỉnh, thành phố trực thuộc trung ương Triển khai việc phân bổ tỷ lệ chi phí quản lý, Bộ Nội vụ đề "
        "nghị Ủy ban nhân dân các tỉnh, thành phố báo cáo trước ngày 15/12/2025./. | **Nơi nhận:** - Như trên; "
        "- Lưu: VT, KHTC. | **KT. BỘ TRƯỞNG** **THỨ TRƯỞNG** **Nguyễn Mạnh Khương**"
    )
    # THEN the addressee is the committees alone, not the sentence after them
    assert parse_directive(text).recipients == ["Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương"]


def test_a_document_with_its_lines_is_left_as_it_is(sample):
    # GIVEN documents whose lines are kept, among them long paragraphs naming dates and numbers
    texts = [sample(stem) for stem in ("000", "001", "002", "003", "004")] + [DECISION]
    # WHEN reflowed THEN nothing changes
    for text in texts:
        assert reflow(text) == text


_PIECES = st.sampled_from([
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "Số:", "Số 12-CV/TU", "Hà Nội,",
    "ngày 5 tháng 3 năm 2025", "QUYẾT ĐỊNH", "Về việc", "V/v", "Kính gửi:", "Căn cứ", "Điều 2.", "1.", "a)", "-",
    ";", ".", "./.", "Nơi nhận:", "- Lưu: VT.", "TM.", "KT.", "T/M", "CHỦ TỊCH", "PHÓ", "Nguyễn Văn An", "**", "|",
    "---", "## ", "(Kèm theo", "Sở Y tế", "chủ trì", "các sở, ban, ngành", "Thực hiện", "Ngày 07/8/2021,", "điện:",
])


@given(st.lists(_PIECES, min_size=40, max_size=160))
def test_reflow_only_breaks_lines_and_drops_marks(pieces):
    # GIVEN any one-line text made of the form's anchors and words
    text = " ".join(pieces)
    # WHEN reflowed THEN it never raises, and every word is kept in its order: only breaks
    # are added, and a flattened line's bold marks, rules and cell bars go
    def words(t: str) -> str:
        return re.sub(r"[\s*|_-]", "", t)

    assert words(reflow(text)) == words(text)


def test_a_copy_that_flattened_each_row_of_the_form_reads_as_its_lines():
    # GIVEN a 1980 Chỉ thị as a crawler keeps it: the issuer's cell with its rule and the motto
    # in one row, "Số:" alone over the number, place, date, title and the body's first lines,
    # and the whole signature block ("K/T ... PHÓ THỦ TƯỚNG Tố Hữu") in one row
    text = (
        "PHỦ THỦ TƯỚNG ----- CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập – Tự do – Hạnh phúc -------\n"
        "Số:\n"
        "299/TTg Hà Nội, ngày 10 tháng 11 năm 1980 CHỈ THỊ VỀ CÔNG TÁC ĐO ĐẠC, PHÂN HẠNG VÀ ĐĂNG KÝ RUỘNG ĐẤT "
        "Ngày 24 tháng 6 năm 1977 Hội đồng Chính phủ đã ra Quyết định số 169-CP về công tác điều tra ruộng đất.\n"
        "1. Tổng cục Quản lý ruộng đất có trách nhiệm xây dựng các phương án kỹ thuật.\n"
        "K/T THỦ TƯỚNG CHÍNH PHỦ PHÓ THỦ TƯỚNG Tố Hữu\n"
    )
    d = parse_directive(text)
    # THEN number, type, date and signer are the form's
    assert (d.number, d.doc_type, str(d.date)) == ("299/TTg", "Chỉ thị", "1980-11-10")
    assert (d.signer.authority, d.signer.title, d.signer.name) == ("K/T", "PHÓ THỦ TƯỚNG", "Tố Hữu")


def test_a_signature_block_in_one_row_and_a_rule_after_the_issuer():
    # GIVEN a decision whose issuer cell keeps its rule ("... TÂY NINH -------") and whose
    # signature block is one row
    text = (
        "ỦY BAN NHÂN DÂN TỈNH TÂY NINH -------\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
        "Số: 3745/QĐ-UBND Tây Ninh, ngày 30 tháng 12 năm 2021 QUYẾT ĐỊNH VỀ VIỆC PHÊ DUYỆT KẾ HOẠCH SỬ DỤNG ĐẤT "
        "NĂM 2022 HUYỆN CHÂU THÀNH ỦY BAN NHÂN DÂN TỈNH TÂY NINH\n"
        "Căn cứ Luật Đất đai ngày 29 tháng 11 năm 2013;\n"
        "QUYẾT ĐỊNH:\n"
        "Điều 1. Phê duyệt kế hoạch sử dụng đất năm 2022 của huyện Châu Thành.\n"
        "Điều 2. Chủ tịch UBND huyện Châu Thành công bố công khai kế hoạch sử dụng đất./.\n"
        "Nơi nhận:\n- Như Điều 2;\n- Lưu: VT.\n"
        "TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Trần Văn Chiến\n"
    )
    d = parse_directive(text)
    # THEN the issuer is named without the rule, and the signer, title and authorities are read
    assert d.issuer == "Ủy ban nhân dân tỉnh Tây Ninh"
    assert (d.signer.authority, d.signer.title, d.signer.name) == (
        "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Văn Chiến")


def test_a_resolution_whose_rows_ran_together_and_a_parent_on_the_issuers_line():
    # GIVEN a National Assembly resolution whose title row ran into its date row and whose
    # signature is "CHỦ TỊCH QUỐC HỘI Vương Đình Huệ" in one row (no authority), and a
    # letter whose header prints "BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN" on one line
    resolution = (
        "QUỐC HỘI --------\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- Nghị quyết số:\n"
        "61/2022/QH15\n"
        "Hà Nội, ngày 16 tháng 6 năm 2022 NGHỊ QUYẾT TIẾP TỤC TĂNG CƯỜNG HIỆU LỰC, HIỆU QUẢ THỰC HIỆN CHÍNH "
        "SÁCH, PHÁP LUẬT VỀ QUY HOẠCH QUỐC HỘI\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
        "QUYẾT NGHỊ:\n"
        "Điều 1. Chính phủ chỉ đạo hoàn thành việc lập các quy hoạch thời kỳ 2021 - 2030.\n"
        "Điều 2. Chính phủ, các Bộ, cơ quan ngang Bộ rà soát các quy hoạch có liên quan.\n"
        "Điều 3. Ủy ban Thường vụ Quốc hội, các đoàn đại biểu Quốc hội giám sát việc thực hiện Nghị quyết này.\n"
        "Nghị quyết này được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XV, kỳ họp thứ 3 thông qua "
        "ngày 16 tháng 6 năm 2022.\n"
        "CHỦ TỊCH QUỐC HỘI Vương Đình Huệ\n"
    )
    letter = (
        "BỘ TÀI CHÍNH TỔNG CỤC HẢI QUAN -------\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ---------------\n"
        "Số: 778/TCHQ-GSQL V/v xử lý vướng mắc thực hiện Điều 41 Luật Hải quan\n"
        "Hà Nội, ngày 13 tháng 02 năm 2017 Kính gửi: Cục Hải quan các tỉnh, thành phố.\n"
        "Tổng cục Hải quan yêu cầu Cục Hải quan các tỉnh, thành phố thực hiện.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, GSQL.\n"
        "KT.\n"
        "TỔNG CỤC TRƯỞNG PHÓ TỔNG CỤC TRƯỞNG Vũ Ngọc Anh TÊN ĐƠN VỊ CUNG CẤP:……….\n"
    )
    r, l = parse_directive(resolution), parse_directive(letter)
    # THEN the resolution is typed and signed, the letter's issuer is the department under its ministry
    assert (r.doc_type, r.signer.title, r.signer.name) == ("Nghị quyết", "CHỦ TỊCH QUỐC HỘI", "Vương Đình Huệ")
    assert (l.issuer, l.parent_issuer, l.signer.name) == ("Tổng cục Hải quan", "Bộ Tài chính", "Vũ Ngọc Anh")


def test_a_copy_that_prints_only_the_signers_name_marked_signed():
    # GIVEN an old resolution as a legal site copied it: no authority, no title, only the
    # signer's name and "(Đã ký)" after the last article
    text = (
        "QUỐC HỘI ******** CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ********\n"
        "Số: 23/2003/QH11\n"
        "Hà Nội, ngày 26 tháng 11 năm 2003 NGHỊ QUYẾT VỀ NHÀ ĐẤT DO NHÀ NƯỚC ĐÃ QUẢN LÝ QUỐC HỘI NƯỚC CỘNG HOÀ "
        "XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Căn cứ vào Điều 84 của Hiến pháp;\n"
        "QUYẾT NGHỊ:\n"
        "Điều 1. Nhà nước không xem xét lại chủ trương, chính sách về nhà đất.\n"
        "Điều 2. Chính phủ hướng dẫn thi hành Nghị quyết này.\n"
        "Nghị quyết này đã được Quốc hội khoá XI, kỳ họp thứ 4 thông qua ngày 26 tháng 11 năm 2003.\n"
        "Nguyễn Văn An (Đã ký)\n"
    )
    d = parse_directive(text)
    # THEN the signer is the name, without the mark, and nothing says it was not found
    assert d.signer.name == "Nguyễn Văn An"
    assert not any("signature" in w for w in d.warnings)


def test_a_law_sites_notes_and_a_signed_name_before_the_appendix():
    # GIVEN an old decree as a law site prints it: its notes on later acts in brackets
    # inside the title and the articles, the signer's name marked "(Đã ký)" and an
    # appendix after it
    text = (
        "CHÍNH PHỦ ******** CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc ********\n"
        "Số:\n61-CP Hà Nội, ngày 05 tháng 7 năm 1994\n"
        "NGHỊ ĐỊNH [Nghị định này được hướng dẫn bởi Công văn 827/TTg-KTN năm 2008 có hiệu lực từ ngày 29/05/2008] "
        "CỦA CHÍNH PHỦ SỐ 61-CP NGÀY 05 THÁNG 7 NĂM 1994 VỀ MUA BÁN VÀ KINH DOANH NHÀ Ở\n"
        "CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 30 tháng 9 năm 1992;\nNGHỊ ĐỊNH:\n"
        "Điều 27.\nLiên Bộ Xây dựng - Tài chính phối hợp với các cơ quan chức năng hướng dẫn thực hiện Nghị định "
        "này. [Việc bán nhà ở được hướng dẫn bởi Công văn 1320/BXD-QLN năm 2008 có hiệu lực từ ngày 07/07/2008]\n"
        "Điều 28.\nBộ trưởng, Thủ trưởng cơ quan ngang Bộ chịu trách nhiệm thi hành Nghị định này.\n"
        "Võ Văn Kiệt (Đã ký)\n"
        "PHỤ LỤC SỐ 1\nBẢNG GIÁ CHUẨN TỐI THIỂU NHÀ Ở XÂY DỰNG MỚI\n| Cấp nhà | Giá |\n| --- | --- |\n| I | 1.200 |\n"
    )
    d = parse_directive(text)
    # THEN the decree's type, number and signer are read as printed, the notes nowhere
    assert (d.doc_type, d.number, d.signer.name) == ("Nghị định", "61-CP", "Võ Văn Kiệt")
    assert not any("1320/BXD-QLN" in a.task or "827/TTg" in a.task for a in d.assignments)
    assert "1320/BXD-QLN" not in {r.number for r in d.references}


def test_a_date_the_trich_yeu_cites_is_not_the_documents():
    # GIVEN a Standing Committee resolution with no date line, its trích yếu citing an
    # earlier resolution with its date, and its adoption clause at the end
    text = (
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nNghị quyết số: 24/2022/UBTVQH15\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nNGHỊ QUYẾT\n"
        "Tiếp tục chi trả hỗ trợ đối với người lao động theo Nghị quyết số 03/2021/UBTVQH15 ngày 24 tháng 9 "
        "năm 2021 của Ủy ban Thường vụ Quốc hội\nỦY BAN THƯỜNG VỤ QUỐC HỘI\nQUYẾT NGHỊ:\n"
        "Điều 1. Chính phủ tổ chức chi trả hỗ trợ.\n"
        "Nghị quyết này được Ủy ban Thường vụ Quốc hội khóa XV, phiên họp thứ 14 thông qua ngày 11 tháng 8 năm "
        "2022./.\nTM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\nVương Đình Huệ\n"
    )
    d = parse_directive(text)
    # THEN the resolution is dated by its adoption, not left without a day
    assert d.date == dt.date(2022, 8, 11)
    assert not any("date left blank" in w for w in d.warnings)

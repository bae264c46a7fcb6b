"""The header read as a region: fields broken over lines, sharing lines, and the closing's signer.

The broken layouts below are those of real pages (thuvienphapluat.vn's flattening of the
two-column header table, as in ../shared/corpus/headers): cells end with "|" lines, fields
are broken mid-phrase and wrapped in "**" bold marks. The names and numbers are made up.
"""

import datetime as dt

import pytest

from services.parse.header import display_case, parse_header, split_issuer
from services.parse.jurisdiction import Jurisdiction, jurisdiction_of
from services.parse.parser import parse_text
from vanthu.normalize import clean_document

BROKEN_DECISION = """**ỦY BAN NHÂN
DÂN **
TỈNH HÀ TĨNH
--------
|
**CỘNG HÒA XÃ
HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số:
84/2025/QĐ-
UBND
|
*Hà
Tĩnh, ngày
02 tháng 12 năm 2025*
|
**QUYẾT ĐỊNH**
VỀ VIỆC BÃI BỎ MỘT SỐ QUYẾT ĐỊNH CỦA
ỦY BAN NHÂN DÂN TỈNH
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH
*Căn cứ Luật Tổ chức chính quyền địa phương ngày 16/6/2025;*
**Điều 1.** Bãi bỏ các quyết định.
**Điều 2.** Giao Sở Tư pháp theo dõi.
|
*Nơi
nhận:*
- Như Điều 2;
- Lưu: VT.
|
**TM. ỦY BAN NHÂN
DÂN**
**KT. CHỦ TỊCH**
PHÓ CHỦ TỊCH
**Vũ
Chiến Thắng**
"""

TAX_LETTER = """BỘ
TÀI CHÍNH
**CỤC THUẾ**
-------
|
**CỘNG
HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**
Độc lập - Tự do - Hạnh phúc
---------------
|
|
Số: 5330/CT-CS
*V/v
Chính sách thuế TNCN*
|
*Hà Nội ngày 19
tháng 11 năm 2025*
|
**Kính gửi:** Bà Nguyễn Thị An
Cục Thuế nhận được câu hỏi của bà gửi qua Cổng Thông tin điện tử Bộ Tài chính phản ánh về chính
sách thuế thu nhập cá nhân đối với khoản tiền ăn giữa ca. Về vấn đề này, Cục Thuế có ý kiến như sau:
Căn cứ các quy định nêu trên, khoản tiền ăn giữa ca không vượt mức quy định không tính vào thu nhập
chịu thuế thu nhập cá nhân theo hướng dẫn tại Thông tư số 111/2013/TT-BTC của Bộ Tài chính về thuế
thu nhập cá nhân; trường hợp đơn vị chi bằng tiền cao hơn mức quy định thì phần chi vượt phải tính vào
thu nhập chịu thuế của người lao động. Đề nghị bà liên hệ cơ quan thuế quản lý trực tiếp để được hướng
dẫn cụ thể trong quá trình thực hiện, bảo đảm đúng quy định của pháp luật về thuế thu nhập cá nhân.
Cục Thuế thông báo để bà được biết./.
|
*Nơi nhận:*
- Như trên;
- Lưu: VT, CS.
|
**TL. CỤC TRƯỞNG**
KT.
TRƯỞNG BAN CHÍNH SÁCH
PHÓ TRƯỞNG BAN
**Mạnh Thị
Mai**
"""


def test_fields_broken_over_lines_are_read_whole():
    # GIVEN a decision whose issuer, motto, number, place and date are all broken mid-phrase
    # WHEN parsed
    d = parse_text(BROKEN_DECISION).directive
    # THEN each field is read whole, and the motto is not part of the issuer
    assert (d.number, d.doc_type, d.date, d.place) == ("84/2025/QĐ-UBND", "Quyết định", dt.date(2025, 12, 2), "Hà Tĩnh")
    assert (d.issuer, d.parent_issuer, d.system) == ("Ủy ban nhân dân tỉnh Hà Tĩnh", None, "state")
    # ... the summary goes on over its broken line, and the enacting authority is no part of it
    assert d.subject == "VỀ VIỆC BÃI BỎ MỘT SỐ QUYẾT ĐỊNH CỦA ỦY BAN NHÂN DÂN TỈNH"
    # ... and so is the signature: authority broken before the next one, name broken in bold
    assert (d.signer.authority, d.signer.title, d.signer.name) == ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Vũ Chiến Thắng")


def test_a_vv_line_makes_a_cong_van_whatever_the_symbol_code():
    # GIVEN a tax department's letter "5330/CT-CS" (CT: Cục Thuế, not Chỉ thị) with a "V/v" line
    d = parse_text(TAX_LETTER).directive
    # THEN it is a công văn of the department under its ministry, dated across the line break
    assert (d.number, d.doc_type, d.date, d.place) == ("5330/CT-CS", "Công văn", dt.date(2025, 11, 19), "Hà Nội")
    assert (d.issuer, d.parent_issuer) == ("Cục Thuế", "Bộ Tài chính")
    assert d.subject == "V/v Chính sách thuế TNCN" and d.recipients == ["Bà Nguyễn Thị An"]
    # ... signed "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN ..." by a name the bold marks broke
    assert d.signer.authority == "TL. CỤC TRƯỞNG / KT. TRƯỞNG BAN CHÍNH SÁCH"
    assert (d.signer.title, d.signer.name) == ("PHÓ TRƯỞNG BAN", "Mạnh Thị Mai")


def test_a_chi_thi_code_without_title_or_vv_stays_a_chi_thi():
    # GIVEN a header with no type title and no V/v line WHEN parsed THEN the symbol's code decides
    text = "ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 04/CT-UBND\nNinh Bình, ngày 3 tháng 5 năm 2025\n1. Các sở triển khai."
    assert parse_text(text).directive.doc_type == "Chỉ thị"


def test_fields_sharing_a_line():
    # GIVEN OCR output with the number and the place/date on one line
    lines = clean_document("UBND TỈNH HÀ TĨNH\nSố: 12/KH-UBND Hà Tĩnh, ngày 3 tháng 5 năm 2025\nKẾ HOẠCH\nPhòng chống thiên tai")
    # WHEN the header is read
    h = parse_header(lines)
    # THEN both fields come out, each with the line it was read from
    assert (h.number.number, h.place, (h.date.day, h.date.month, h.date.year)) == ("12/KH-UBND", "Hà Tĩnh", (3, 5, 2025))
    assert h.spans["number"] == h.spans["date"] == (1, 1)
    assert (h.doc_type, h.title) == ("Kế hoạch", "Phòng chống thiên tai")


def test_a_blank_day_and_number_stay_null_with_the_field_named():
    # GIVEN an unsigned copy: number and day left blank
    text = "UBND TỈNH NAM ĐỊNH\nSố:     /TB-UBND\nNam Định, ngày    tháng 9 năm 2021\nTHÔNG BÁO\nVề lịch họp"
    d = parse_text(text).directive
    # THEN the known parts are kept, the blanks are null, and the warnings say which field
    assert (d.number, d.number_seq, d.date) == ("/TB-UBND", None, None)
    assert (d.date_partial.day, d.date_partial.month, d.date_partial.year) == (None, 9, 2021)
    assert any("number" in w for w in d.warnings) and any("date" in w and "day" in w for w in d.warnings)


def test_a_header_quoted_after_a_news_preamble():
    # GIVEN a page that quotes a Công điện's tasks before printing the Công điện itself
    text = (
        "Thi đua hoàn thành nhiệm vụ năm 2025. Ngày 26/11/2025, Thủ tướng Chính phủ có Công điện về thi đua.\n"
        "- Khẩn trương thực hiện quyết liệt các nhiệm vụ khắc phục hậu quả thiên tai theo các Nghị quyết của Chính phủ.\n"
        "THỦ TƯỚNG CHÍNH\nPHỦ\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 229/CĐ-TTg\nHà Nội, ngày 26 tháng 11 năm 2025\nCÔNG ĐIỆN\nVỀ THI ĐUA CAO ĐIỂM\n"
        "THỦ TƯỚNG CHÍNH PHỦ điện:\n- Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc\nChính phủ;\n"
        "- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
        "1. Các bộ khẩn trương thực hiện.\nTHỦ TƯỚNG\nPhạm Minh Chính\n"
    )
    d = parse_text(text).directive
    # THEN the header is the Công điện's, and an addressee broken over lines is one addressee
    assert (d.issuer, d.number, d.doc_type, d.date) == ("Thủ tướng Chính phủ", "229/CĐ-TTg", "Công điện", dt.date(2025, 11, 26))
    assert d.recipients == [
        "Bộ trưởng, Thủ trưởng cơ quan ngang Bộ, cơ quan thuộc Chính phủ",
        "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
    ]
    assert d.signer.name == "Phạm Minh Chính"


def test_a_web_pages_title_for_the_document_is_not_its_header():
    # GIVEN a page that names the letter ("Công văn Số: ... V/v: ...") above its form
    text = (
        "Thứ Ba, 29 tháng 7, 2014\n\nCông văn Số: 2728/TCT-DNL V/v: Thực hiện quy định về hóa đơn.\n\n"
        "BỘ TÀI CHÍNH\nTỔNG CỤC THUẾ\n-------\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "---------------\nSố: 2728/TCT-DNL\nV/v\n: Thực hiện quy định về hóa đơn.\nHà Nội, ngày 18 tháng 07 năm 2014\n\n"
        "Kính gửi: Cục thuế tỉnh Đắk Nông.\n\nTrả lời công văn số 636/CT-THNVDT ngày 25/4/2014 của Cục thuế tỉnh "
        "Đắk Nông hỏi về sử dụng hóa đơn, Tổng cục Thuế có ý kiến như sau:\n"
    )
    d = parse_text(text).directive
    # THEN the issuer is the form's, under its parent
    assert (d.issuer, d.parent_issuer, d.number, d.date) == (
        "Tổng cục Thuế", "Bộ Tài chính", "2728/TCT-DNL", dt.date(2014, 7, 18))


def test_a_number_field_named_by_the_type_is_the_headers():
    # GIVEN a Standing Committee's resolution numbered "Nghị quyết số: ..." under its issuer
    text = (
        "CÔNG BÁO/Số 755 + 756/Ngày 17-6-2025\n3\nỦY BAN THƯỜNG VỤ QUỐC HỘI\n\nNghị quyết số: 78/2025/UBTVQH15\n\n"
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\nNGHỊ QUYẾT\n"
        "Về việc ghi nhận thời gian đóng bảo hiểm xã hội bắt buộc\n\nỦY BAN THƯỜNG VỤ QUỐC HỘI\n"
        "Căn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\nQUYẾT NGHỊ:\nĐiều 1. Ghi nhận thời gian.\n"
    )
    d = parse_text(text).directive
    assert (d.number, d.issuer.lower()) == ("78/2025/UBTVQH15", "ủy ban thường vụ quốc hội")


def test_a_signature_after_the_closing_mark_with_an_appendix_after_it():
    # GIVEN a published decision: no "Nơi nhận", the minister signing in his own name right
    # after the body's "./.", then the list it publishes
    text = (
        "BỘ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI\nSố: 169/QĐ-BLĐTBXH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nHà Nội, ngày 24 tháng 01 năm 2025\nQUYẾT ĐỊNH\n"
        "Về việc công bố Danh mục văn bản hết hiệu lực\nĐiều 1. Công bố Danh mục kèm theo Quyết định này.\n"
        "Điều 2. Thủ trưởng các đơn vị thuộc Bộ chịu trách nhiệm thi hành Quyết định này./.\n"
        "BỘ TRƯỞNG\n\nĐào Ngọc Dung\n"
        "DANH MỤC VĂN BẢN HẾT HIỆU LỰC\nSTT\nVăn bản hết hiệu lực\nLý do hết hiệu lực\n"
        "1\nThông tư số 03/2017/TT-BLĐTBXH ngày 01/3/2017\nĐược thay thế\n"
        "2\nThông tư số 05/2018/TT-BLĐTBXH ngày 12/4/2018\nĐược thay thế\n"
    )
    d = parse_text(text).directive
    assert (d.signer.title, d.signer.name) == ("BỘ TRƯỞNG", "Đào Ngọc Dung")


def test_a_headerless_letter_is_named_by_its_appendix_caption():
    # GIVEN a letter whose text starts at "Kính gửi" and whose appendix names it
    text = (
        "Kính gửi: Các đồng chí Bộ trưởng\nBan Chỉ đạo đề nghị các đồng chí chỉ đạo thực hiện.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nKT. TRƯỞNG BAN\nPHÓ TRƯỞNG BAN\nNguyễn Văn An\n"
        "PHỤ LỤC\n(Kèm theo Công văn số 174/CV-BCĐ ngày 02 tháng 12 năm 2025 của Ban Chỉ đạo)\n"
    )
    d = parse_text(text).directive
    # THEN its number, type, date and issuer come from the caption
    assert (d.number, d.doc_type, d.date, d.issuer) == ("174/CV-BCĐ", "Công văn", dt.date(2025, 12, 2), "Ban Chỉ đạo")


def test_a_headerless_letters_caption_of_no_type_leaves_its_type_to_its_number():
    # GIVEN a headerless letter as a law site flattens it, its appendix captioned "kèm theo văn
    # bản số: /UBND-NNMT" (a "văn bản", no type)
    text = (
        "**Kính gửi:** | - Các sở: Y tế, Xây dựng; | - UBND các phường, xã. | Thực hiện Quyết định số 2530/QĐ-TTg "
        "ngày 19/11/2025 của Thủ tướng Chính phủ, UBND Thành phố yêu cầu các sở, ngành thực hiện các nhiệm vụ sau: "
        "1. Sở Y tế khuyến cáo người dân. 2. Sở Xây dựng kiểm tra công trình./. | **Nơi nhận:** - Như trên; - Lưu: VT. "
        "| **KT. CHỦ TỊCH** PHÓ CHỦ TỊCH **Nguyễn Mạnh Quyền** | **PHỤ LỤC** DANH SÁCH CÁC ĐƠN VỊ *(kèm theo văn bản "
        "số: /UBND-NNMT ngày tháng năm 2025 của UBND Thành phố)* 1. Công ty TNHH MTV Môi trường Đô thị Hà Nội"
    )
    d = parse_text(text).directive
    # THEN its number's symbol types it, as a header's would: a letter
    assert (d.number, d.doc_type) == ("/UBND-NNMT", "Công văn")


@pytest.mark.parametrize(
    "text",
    [
        # a citizen's letter
        "Kính thưa quý cơ quan,\nTôi tên là Trần Văn Bình, ở xã Yên Lạc. Sở Xây dựng yêu cầu tôi nộp hồ sơ lần nữa.\nXin trân trọng cảm ơn.",
        # a newspaper clipping
        "Mưa lớn gây ngập nhiều tuyến phố\nSáng nay, Bộ Xây dựng đề nghị các địa phương chủ động ứng phó với mưa lớn.",
        # a table-only annex
        "| STT | Tên thủ tục | Cơ quan thực hiện |\n|---|---|---|\n| 1 | Cấp giấy phép | Sở Y tế |",
    ],
)
def test_a_page_with_no_form_has_null_header_fields_and_says_so(text):
    # GIVEN a page with no directive form WHEN parsed (core, unguarded)
    d = parse_text(text).directive
    # THEN no header field is guessed from the body, and a warning names each missing one
    assert (d.issuer, d.number, d.date, d.doc_type, d.signer.name) == (None, None, None, None, None)
    for missing in ("number", "date", "signature"):
        assert any(missing in w for w in d.warnings), missing


@pytest.mark.parametrize(
    ("issuer", "parent", "place", "expected"),
    [
        ("Ủy ban nhân dân tỉnh Hà Tĩnh", None, "Hà Tĩnh", Jurisdiction("Hà Tĩnh")),
        ("Sở Y tế", "Ủy ban nhân dân tỉnh Nghệ An", "Vinh", Jurisdiction("Nghệ An")),
        ("Tỉnh ủy Nam Định", None, None, Jurisdiction("Nam Định")),
        ("Cục thuế", "Bộ Tài chính", "Hà Nội", Jurisdiction(None, central=True)),
        ("Thủ tướng Chính phủ", None, "Hà Nội", Jurisdiction(None, central=True)),
        ("Sở Giáo dục và Đào tạo", None, "Cần Thơ", Jurisdiction("Cần Thơ")),  # provincial body: its place
        ("Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu", None, None, Jurisdiction("Bà Rịa - Vũng Tàu")),
        ("Ủy ban nhân dân xã Yên Lạc", None, "Yên Lạc", None),  # a commune's place is no province
        (None, None, "Hà Nội", None),
    ],
)
def test_jurisdiction_from_the_issuer(issuer, parent, place, expected):
    # GIVEN an issuer chain and a place WHEN the jurisdiction is derived THEN province or central
    assert jurisdiction_of(issuer, parent, place) == expected


def test_the_jurisdiction_decides_whether_the_directory_applies(directory):
    # GIVEN the packaged Nam Định directory and a Hà Tĩnh decision that names Nam Định in its body
    text = BROKEN_DECISION.replace("Giao Sở Tư pháp theo dõi", "Giao Sở Tư pháp phối hợp với tỉnh Nam Định theo dõi")
    result = parse_text(text, directory)
    # THEN the issuer's province counts, not the text's: unit ids stay empty
    assert result.jurisdiction == Jurisdiction("Hà Tĩnh")
    assert result.directive.assignments and all(a.unit_id is None for a in result.directive.assignments)


def test_issuer_lines_broken_inside_a_name_are_one_body():
    # GIVEN header lines broken inside names, and two bodies WHEN split THEN parent and issuer
    assert split_issuer(["ỦY", "BAN NHÂN DÂN", "TỈNH BẮC NINH"]) == ("Ủy ban nhân dân tỉnh Bắc Ninh", None)
    assert split_issuer(["BỘ TÀI CHÍNH", "CỤC", "HẢI QUAN"]) == ("Cục Hải quan", "Bộ Tài chính")
    assert split_issuer(["UBND TỈNH NAM ĐỊNH", "SỞ Y TẾ"]) == ("Sở Y tế", "UBND tỉnh Nam Định")
    # an office broken before the body it serves is that body's office, not its parent
    assert split_issuer(["VĂN PHÒNG", "CHÍNH PHỦ"]) == ("Văn phòng Chính phủ", None)
    assert split_issuer(["THANH TRA", "CHÍNH PHỦ"]) == ("Thanh tra Chính phủ", None)
    # and under its parent, an office alone is the parent's own
    assert split_issuer(["BAN CHẤP HÀNH TRUNG ƯƠNG", "VĂN PHÒNG"]) == ("Văn phòng", "Ban Chấp hành Trung ương")


_COLUMNS_ACROSS = (
    # OCR of a scan that reads the two header columns across (issuer and motto on one line),
    # cuts the motto short and cannot read the number written by hand in the blank
    "UBND TỈNH LÀO CAI CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆ\n"
    "SỞ CÔNG THƯƠNG Độc lập - Tự do - Hạnh phúc\n"
    "Số: đi /SCT-CN Lào Cai, ngày 28 tháng 5 năm 2026\n"
    "V/v kiểm tra công tác nghiệm thu\n"
    "Kính gửi: Công ty Cổ phần Hóa chất Đức Giang\n"
    # the body's full-width lines (the page width tells a wrapped line from a short one)
    "Thực hiện Kế hoạch kiểm tra năm 2026, Sở Công thương đề nghị Công ty chuẩn bị đầy đủ hồ sơ\n"
    "nghiệm thu hoàn thành công trình xây dựng kho chứa vật liệu nổ công nghiệp của dự án, gồm biên\n"
    "bản nghiệm thu, bản vẽ hoàn công, kết quả kiểm định thiết bị và các tài liệu liên quan khác;\n"
    "cử người có thẩm quyền làm việc với Đoàn kiểm tra tại hiện trường theo lịch thống nhất.\n"
)
_CELL_BY_CELL = (
    # a header table extracted one cell per line, row by row: the motto's cell lies between
    # the parent body's and the issuer's; the place's name joins two with a hyphen
    "UBND TỈNH NINH THUẬN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ GIÁO DỤC VÀ ĐÀO TẠO\n"
    "Độc lập - Tự do - Hạnh phúc\nSố: 2917/SGDĐT-VP\nPhan Rang-Tháp Chàm, ngày 05 tháng 11 năm 2010\n"
    "V/v báo cáo thiệt hại do lũ lụt\nKính gửi: Ủy ban nhân dân tỉnh Ninh Thuận\n"
    "Sở Giáo dục và Đào tạo báo cáo thiệt hại do lũ lụt gây ra cho các trường học như sau.\n"
)


@pytest.mark.parametrize(("text", "issuers", "number", "place_date"), [
    (_COLUMNS_ACROSS, ("Sở Công thương", "UBND tỉnh Lào Cai"), ("/SCT-CN", None), ("Lào Cai", dt.date(2026, 5, 28))),
    (_CELL_BY_CELL, ("Sở Giáo dục và Đào tạo", "UBND tỉnh Ninh Thuận"), ("2917/SGDĐT-VP", 2917),
     ("Phan Rang-Tháp Chàm", dt.date(2010, 11, 5))),
])
def test_the_header_table_however_its_columns_were_read(text, issuers, number, place_date):
    d = parse_text(text).directive
    # THEN the issuer is the left column's lines only, under its parent; a typed symbol is kept
    # with a blank sequence, and a number left blank is said
    assert (d.issuer, d.parent_issuer) == issuers
    assert (d.number, d.number_seq) == number and (d.place, d.date) == place_date
    assert d.doc_type == "Công văn" and any("number" in w for w in d.warnings) == (number[1] is None)


def test_a_hyphenated_place_and_a_ranked_signer():
    # GIVEN a province whose name has a dash and a signer printed with a rank
    text = (
        "CÔNG AN TỈNH BÀ RỊA - VŨNG TÀU\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: 12/KH-CAT\nBà Rịa - Vũng Tàu, ngày 3 tháng 5 năm 2024\nKẾ HOẠCH\nPhòng cháy, chữa cháy mùa khô\n"
        "1. Phòng Cảnh sát phòng cháy chủ trì triển khai.\nNơi nhận:\n- Lưu: VT.\n"
        "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nĐại tá Nguyễn Văn An\n"
    )
    result = parse_text(text)
    # THEN the place is whole, the rank is no part of the name, and the province is the issuer's
    assert (result.directive.place, result.directive.signer.name) == ("Bà Rịa - Vũng Tàu", "Nguyễn Văn An")
    assert result.jurisdiction == Jurisdiction("Bà Rịa - Vũng Tàu")


@pytest.mark.parametrize(("issuer", "number_line", "place_date", "number", "place", "date"), [
    # a city district named by its number
    ("ỦY BAN NHÂN DÂN QUẬN 8", "Số: 27/2006/QĐ-UBND", "Quận 8, ngày 08 tháng 08 năm 2006",
     "27/2006/QĐ-UBND", "Quận 8", (8, 8, 2006)),
    # a Tỉnh ủy's code printed with a horn ("TƯ": a font's or OCR's U; the code is "TU"), "Số" without its colon
    ("TỈNH ỦY THỪA THIÊN HUẾ", "Số 445-KL/TƯ", "Thừa Thiên Huế, ngày 13 tháng 5 năm 2022",
     "445-KL/TU", "Thừa Thiên Huế", (13, 5, 2022)),
    # an en dash, spaced, between the symbol's codes, and "&" in a code
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 2865/GDĐT –KT&KĐCL", "Tp. Hồ Chí Minh, ngày 07 tháng 12 năm 2007",
     "2865/GDĐT-KT&KĐCL", None, (7, 12, 2007)),
    # a city whose name joins two with a hyphen
    ("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "Số: 2917/SGDĐT-VP", "Phan Rang-Tháp Chàm, ngày 05 tháng 11 năm 2010",
     "2917/SGDĐT-VP", "Phan Rang-Tháp Chàm", (5, 11, 2010)),
])
def test_numbers_and_places_as_other_issuers_print_them(issuer, number_line, place_date, number, place, date):
    lines = clean_document(f"{issuer}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
                           f"{number_line}\n{place_date}\nKẾ HOẠCH\nPhòng chống thiên tai\n")
    h = parse_header(lines)
    assert h.number.number == number and (h.date.day, h.date.month, h.date.year) == date
    if place:
        assert h.place == place


@pytest.mark.parametrize(("place", "issuer"), [
    ("Sơn La", "Ủy ban nhân dân tỉnh Sơn La"),
    ("Hà Nội", "Ủy ban nhân dân thành phố Hà Nội"),
    ("Bắc Giang", "Ủy ban nhân dân tỉnh Bắc Giang"),  # merged into Bắc Ninh since, named as it was
    ("Quảng Nam", "Ủy ban nhân dân tỉnh Quảng Nam"),  # a province that a city (Đà Nẵng) took in
    ("Đông Anh", "Ủy ban nhân dân"),  # a district's place: which one is not said
])
def test_a_peoples_committee_printed_without_its_province_is_placed_by_the_place_line(national, place, issuer):
    # GIVEN a copy whose header lost the line under "ỦY BAN NHÂN DÂN" ("TỈNH SƠN LA")
    d = parse_text(_committee_without_province(place), national).directive
    # THEN the province the place line names completes the issuer, and the reader is told so
    assert d.issuer == issuer
    assert ("issuer" in d.inferred) == (issuer != "Ủy ban nhân dân")


@pytest.mark.parametrize(("authority", "issuer"), [
    ("ỦY BAN NHÂN DÂN QUẬN 9", "Ủy ban nhân dân quận 9"),
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN ĐÔNG ANH", "Ủy ban nhân dân huyện Đông Anh"),
    ("BỘ TRƯỞNG BỘ TÀI CHÍNH", "Ủy ban nhân dân"),  # names no more of the issuer: left as printed
])
def test_a_peoples_committee_printed_without_its_place_is_named_by_its_enacting_line(national, authority, issuer):
    # GIVEN a copy whose header lost the line under "ỦY BAN NHÂN DÂN", its place line a
    # district's, and the decision's enacting authority over "Căn cứ" naming it whole
    text = ("ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 01/2011/QĐ-UBND |\n"
            "Quận 9, ngày 04 tháng 01 năm 2011 |\nQUYẾT ĐỊNH\nBAN HÀNH QUY CHẾ LÀM VIỆC\n"
            f"{authority}\nCăn cứ Luật Tổ chức chính quyền địa phương;\nQUYẾT ĐỊNH:\n"
            "Điều 1. Ban hành kèm theo Quyết định này Quy chế làm việc.\n")
    d = parse_text(text, national).directive
    # THEN the issuer is the committee that line names, and the reader is told where it came from
    assert d.issuer == issuer
    assert ("issuer" in d.inferred) == (issuer != "Ủy ban nhân dân")


def test_header_fields_a_site_copy_damaged(national):
    # GIVEN copies as law sites give them: a lost "ố" glyph before the number ("S: 5819/..."),
    # a city abbreviated in the issuer ("TP.HỒ CHÍ MINH"), an open letter ("THƯ NGỎ")
    letter = parse_text(
        "TỔNG CỤC HẢI QUAN\nCỤC HẢI QUAN\nTHÀNH PHỐ HẢI PHÒNG\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nS: 5819/HQHP-TXNK\nV/v thực hiện công văn số 2687/TCHQ-TXNK\n"
        "Hải Phòng, ngày 10 tháng 6 năm 2021\nKính gửi: Chi cục Hải quan Hưng Yên.\n", national).directive
    notice = parse_text(
        "BẢO HIỂM XÃ HỘI VIỆT NAM\nBẢO HIỂM XÃ HỘI\nTP.HỒ CHÍ MINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "Độc lập - Tự do - Hạnh phúc\nSố: 2970/TB-BHXH\nTP.Hồ Chí Minh, ngày 23 tháng 6 năm 2023\n"
        "THÔNG BÁO\nVỀ VIỆC ĐIỀU CHỈNH QUY TRÌNH GIAO NHẬN\n", national).directive
    appeal = parse_text(
        "UỶ BAN NHÂN DÂN HUYỆN MAI CHÂU\nMai Châu, ngày 19 tháng 12 năm 2019\nTHƯ NGỎ\n"
        "Vận động hỗ trợ kinh phí bắn pháo hoa\nỦy ban nhân dân huyện kêu gọi các doanh nghiệp hỗ trợ.\n", national).directive
    # THEN the number, the issuer spelled out and the type are read
    assert (letter.number, letter.date) == ("5819/HQHP-TXNK", dt.date(2021, 6, 10))
    assert (notice.issuer, notice.parent_issuer) == ("Bảo hiểm xã hội Thành phố Hồ Chí Minh", "Bảo hiểm xã hội Việt Nam")
    assert appeal.doc_type == "Thư ngỏ"


def test_a_saved_web_page_and_a_circular_with_no_issuer_line(national):
    # GIVEN a plan saved as its web page's HTML (its header table in cells), and a circular
    # whose copy lost the issuer's lines, named by its enacting sentence
    page = parse_text(
        '<table class="MsoNormalTable"><tbody><tr><td width="216"><p align="center"><b>ỦY BAN NHÂN DÂN<br />'
        " THÀNH PHỐ HÀ NỘI</b><br /><b>-------</b></p><p>Số: 242/KH-UBND</p></td><td><p><b>CỘNG HÒA XÃ HỘI "
        "CHỦ NGHĨA VIỆT NAM<br />Độc lập - Tự do - Hạnh phúc</b></p><p><i>Hà Nội, ngày 13 tháng 12 năm 2017"
        "</i></p></td></tr></tbody></table><p align='center'><b>KẾ HOẠCH</b></p><p>Thực hiện công tác "
        "c&#7843;i cách hành chính năm 2018</p>", national).directive
    circular = parse_text(
        "Độc lập - Tự do - Hạnh phúc\nSố: 03/2020/TT-TANDTC\nHà Nội, ngày 16 tháng 11 năm 2020\n"
        "Căn cứ Luật Tổ chức Tòa án nhân dân ngày 24 tháng 11 năm 2014;\n"
        "Chánh án Tòa án nhân dân tối cao ban hành Thông tư quy định chi tiết về trình tự nhận đơn khởi kiện.\n"
        "Điều 1. Phạm vi điều chỉnh\n", national).directive
    # THEN the page reads as its text, and the circular's issuer is the court
    assert (page.issuer, page.number, page.doc_type, page.date) == (
        "Ủy ban nhân dân thành phố Hà Nội", "242/KH-UBND", "Kế hoạch", dt.date(2017, 12, 13))
    assert "Tòa án nhân dân tối cao" in circular.issuer


def test_a_code_of_law_is_typed_and_dated_by_its_adoption_clause(national):
    # GIVEN a code as the Official Gazette prints it: no date line under the motto, its
    # number field "Bộ luật số:", and its adoption clause closing its last article
    text = ("QUỐC HỘI\nBộ luật số: 45/2019/QH14\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "BỘ LUẬT\nLAO ĐỘNG\nCăn cứ Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam;\n"
            "Quốc hội ban hành Bộ luật Lao động.\n"
            "Điều 1. Phạm vi điều chỉnh\nBộ luật Lao động quy định tiêu chuẩn lao động, quyền và nghĩa vụ của "
            "người lao động, người sử dụng lao động.\n"
            "Điều 2. Hiệu lực thi hành\nBộ luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2021.\n"
            "Bộ luật này đã được Quốc hội nước Cộng hòa xã hội chủ nghĩa Việt Nam khóa XIV, kỳ họp thứ 8 thông "
            "qua ngày 20 tháng 11 năm 2019.\nCHỦ TỊCH QUỐC HỘI\nNguyễn Thị Kim Ngân\n")
    d = parse_text(text, national).directive
    # THEN it is a Bộ luật, dated the day the Assembly adopted it, not the day it takes effect
    assert (d.doc_type, d.number, d.date) == ("Bộ luật", "45/2019/QH14", dt.date(2019, 11, 20))
    assert d.signer.name == "Nguyễn Thị Kim Ngân"


@pytest.mark.parametrize(("lines", "issuer", "parent"), [
    (["VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO -", "TÒA ÁN NHÂN DÂN TỐI CAO -", "BỘ CÔNG AN - BỘ QUỐC PHÒNG -",
      "BỘ LAO ĐỘNG - THƯƠNG BINH", "VÀ XÃ HỘI"], "Viện Kiểm sát nhân dân tối cao", None),
    (["BỘ LAO ĐỘNG -", "THƯƠNG BINH VÀ XÃ HỘI", "CỤC VIỆC LÀM"], "Cục Việc làm", "Bộ Lao động - Thương binh và Xã hội"),
])
def test_a_joint_documents_lead_issuer(lines, issuer, parent):
    # GIVEN a joint circular's co-issuers, each line but the last ending in " -", and a
    # ministry's name broken at its own hyphen above its department
    # THEN the first co-issuer is the issuer; the broken name stays one parent body
    found = split_issuer(lines)
    assert (found[0], found[1] and found[1].lower()) == (issuer, parent and parent.lower())


@pytest.mark.parametrize(("place", "issuer"), [
    ("Nam Định", "Ủy ban nhân dân tỉnh Nam Định"),  # the province the directory serves
    ("Hải Hậu", "Ủy ban nhân dân"),  # one of its districts
])
def test_a_province_directory_places_its_own_peoples_committee(directory, place, issuer):
    assert parse_text(_committee_without_province(place), directory).directive.issuer == issuer


def _committee_without_province(place: str) -> str:
    return ("ỦY BAN NHÂN DÂN | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
            f"Số: 24/CT-UBND | {place}, ngày 24 tháng 7 năm 2021 |\n"
            "CHỈ THỊ\nVề việc triển khai các biện pháp cấp bách phòng, chống dịch COVID-19\n"
            "1. Sở Y tế chủ trì tổ chức xét nghiệm trên địa bàn.\n"
            "CHỦ TỊCH\nHoàng Quốc Khánh\n")


def test_an_old_documents_title_carries_its_number_and_date():
    # GIVEN an old document as law sites give it: no header table, its title naming issuer,
    # number and date in capitals
    text = (
        "CHỈ THỊ\nCỦA THỦ\nTƯỚNG CHÍNH PHỦ SỐ 24/2003/CT-TTG\nNGÀY 8 THÁNG 10 NĂM 2003 VỀ VIỆC PHÁT TRIỂN\n"
        "CÔNG NGHIỆP CƠ KHÍ\nĐể phát triển ngành cơ khí, Thủ tướng Chính phủ chỉ thị:\n"
        "1. Bộ Công nghiệp chủ trì xây dựng chiến lược phát triển ngành cơ khí.\n"
    )
    # WHEN parsed THEN the number is read from the title with its codes in their own case,
    # and the issuer is the title's, without the number
    d = parse_text(text).directive
    assert (d.number, d.doc_type, str(d.date)) == ("24/2003/CT-TTg", "Chỉ thị", "2003-10-08")
    assert d.issuer == "Thủ tướng Chính phủ"


def test_a_summary_opening_with_a_types_name_does_not_retype_a_numbered_document():
    # GIVEN a council's resolution whose copy lost its "NGHỊ QUYẾT" line: the summary under
    # the number opens with "QUY ĐỊNH" (to prescribe), the number's code says NQ
    text = ("HỘI ĐỒNG NHÂN DÂN\nTỈNH PHÚ THỌ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 23/2025/NQ-HĐND\nPhú Thọ, ngày 28 tháng 10 năm 2025\n"
            "QUY ĐỊNH MỨC CHI CỤ THỂ CHO CÁC HOẠT ĐỘNG KHUYẾN CÔNG\nCăn cứ Luật Ngân sách nhà nước;\n")
    # WHEN parsed THEN it is a resolution, and the summary is whole
    d = parse_text(text).directive
    assert (d.doc_type, d.subject) == ("Nghị quyết", "QUY ĐỊNH MỨC CHI CỤ THỂ CHO CÁC HOẠT ĐỘNG KHUYẾN CÔNG")


def test_a_committee_glued_to_its_level_by_a_lost_line_break():
    # GIVEN a page that lost the break between "ỦY BAN NHÂN DÂN" and its city's line
    text = ("ỦY BAN NHÂN DÂNTHÀNH PHỐ HỒ CHÍ MINH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 1025/UBND-ĐT\nThành phố Hồ Chí Minh, ngày 10 tháng 3 năm 2010\nV/v thúc đẩy đầu tư\n"
            "Kính gửi: Các Sở - ngành thành phố.\n")
    # WHEN parsed THEN the issuer reads as printed on two lines
    assert parse_text(text).directive.issuer == "Ủy ban nhân dân thành phố Hồ Chí Minh"


@pytest.mark.parametrize("date_line", ["Hà Nội, ngày 18/11/2025", "Hà Nội, ngày 18-11-2025", "Hà Nội, ngày 18.11.2025"])
def test_a_place_lines_date_in_figures(date_line):
    # GIVEN a letter whose place line gives the date in figures, and a body opening with a
    # worded date of its own
    text = ("VĂN PHÒNG CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            f"Số: 11306/VPCP-NN\nV/v tháo gỡ khó khăn\n{date_line}\nKính gửi: Bộ Nông nghiệp và Môi trường.\n"
            "Ngày 31 tháng 10 năm 2025, Văn phòng Chính phủ nhận văn bản của Hội Chăn nuôi Việt Nam.\n")
    # WHEN parsed THEN the date is the place line's, not the body's
    d = parse_text(text).directive
    assert (str(d.date), d.place) == ("2025-11-18", "Hà Nội")


def test_a_headerless_letter_retelling_an_earlier_document_is_named_by_its_own_caption():
    # GIVEN a tax department's letter without its header, its body retelling an earlier
    # letter's issue and a report of the department's own, a legal basis and its request in
    # one paragraph, and its appendix captioned with its own number
    text = (
        "Kính gửi:\n- Thuế tỉnh/thành phố;\n- Chi cục Thuế doanh nghiệp lớn.\n"
        "Nhằm tạo điều kiện cho người nộp thuế. Ngày 25/02/2025, Tổng cục Thuế (nay là Cục Thuế) đã ban hành "
        "Công văn số 828/TCT-KK về việc cung cấp thông tin. Theo đó, Cục Thuế đã nâng cấp ứng dụng HTKK, TMS, "
        "ban hành quy trình hướng dẫn.\n"
        "Căn cứ quy định tại Điều 17 Luật Quản lý thuế số 38/2019/QH14 và dữ liệu quản lý thuế tập trung. Cục Thuế "
        "đề nghị các Thuế tỉnh, thành phố, Chi Cục trưởng Chi cục Thuế doanh nghiệp lớn triển khai thực hiện:\n"
        "1. Tiếp tục tuyên truyền, hướng dẫn các tổ chức chi trả thu nhập.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, NVT.\nTL. CỤC TRƯỞNG\nTRƯỞNG BAN\nNguyễn Văn An\n"
        "PHỤ LỤC 1\n(Kèm theo Công văn số 5435/CT-NVT ngày 21/11/2025 của Cục Thuế)\n"
    )
    d = parse_text(text).directive
    # THEN it is the letter its caption names, from the department, and it asks its offices
    assert (d.number, d.date, d.issuer) == ("5435/CT-NVT", dt.date(2025, 11, 21), "Cục Thuế")
    assert [(a.unit, a.section) for a in d.assignments] == [
        ("các Thuế tỉnh, thành phố", None), ("Chi Cục trưởng Chi cục Thuế doanh nghiệp lớn", None)
    ]


def test_a_headerless_letter_numbering_its_first_paragraph_names_its_speaker_and_asks_its_addressees():
    # GIVEN a department's letter without its header: its first paragraph numbered, the
    # department speaking in it, a polite request to "Quý Cơ quan", and a guide attached
    # that cites a circular "ban hành kèm theo Thông tư ..."
    text = (
        "Kính gửi:\n- Văn phòng các Bộ, cơ quan ngang Bộ;\n- Sở Ngoại vụ các tỉnh, thành phố.\n"
        "1. Thực hiện chủ trương cải cách thủ tục hành chính, Cục Lãnh sự Bộ Ngoại giao xin trân trọng thông báo: "
        "kể từ ngày 01/12/2025, Cục Lãnh sự tiếp nhận hồ sơ trực tuyến.\n"
        "2. Để phối hợp triển khai hiệu quả, Cục Lãnh sự trân trọng đề nghị Quý Cơ quan giúp:\n"
        "- Thông tin rộng rãi tới cán bộ, công chức thuộc phạm vi quản lý.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, LS.\nKT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\nNguyễn Văn An\n"
        "HƯỚNG DẪN\nNộp tờ khai theo mẫu ban hành kèm theo Thông tư số 08/2025/TT-BNG ngày 13/6/2025 của Bộ Ngoại giao.\n"
    )
    d = parse_text(text).directive
    # THEN it is no circular: its number stays unknown, its speaker is its issuer, and the
    # addressees it asks are tasked
    assert (d.number, d.doc_type, d.issuer) == (None, "Công văn", "Cục Lãnh sự Bộ Ngoại giao")
    assert [(a.unit, a.section) for a in d.assignments] == [("Quý Cơ quan", "2")]


@pytest.mark.parametrize("printed, spelt", [
    ("BẢO HIỂM XÃ HỘI VIỆT NAM", "Bảo hiểm xã hội Việt Nam"),
    ("SỞ LAO ĐỘNG - THƯƠNG BINH VÀ XÃ HỘI", "Sở Lao động - Thương binh và Xã hội"),
    ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", "Bộ Văn hóa, Thể thao và Du lịch"),
    ("ỦY BAN NHÂN DÂN XÃ TÂN TIẾN", "Ủy ban nhân dân xã Tân Tiến"),
])
def test_an_issuer_in_capitals_is_spelt_as_its_name_is(printed, spelt):
    # GIVEN a header's issuer in capitals WHEN spelt for the clerk THEN as the body writes its name
    assert display_case(printed) == spelt


def test_a_title_of_the_years_before_decree_110_names_number_date_and_issuer():
    # GIVEN a 1994 resolution: no header table, the title carries number, date and issuer,
    # the number's code runs on from its sequence, the name is printed in capitals
    text = (
        "NGHỊ QUYẾT SỐ 214 NQ/UBTVQH9 NGÀY 26-8-1994\n"
        "CỦA ỦY BAN THƯỜNG VỤ QUỐC HỘI QUY ĐỊNH SỐ PHÓ CHỦ TỊCH HỘI ĐỒNG NHÂN DÂN\n"
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\n"
        "Căn cứ vào Điều 91 của Hiến pháp năm 1992;\nQUYẾT NGHỊ:\n"
        "Hội đồng nhân dân tỉnh bầu một Phó Chủ tịch Hội đồng nhân dân.\n"
        "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nChủ tịch\nNÔNG ĐỨC MẠNH\nLưu tại Trung tâm Lưu trữ quốc gia III\n"
    )
    d = parse_text(text).directive
    # THEN a clerk sees the fields as the title gives them
    assert (d.number, d.doc_type, d.date) == ("214NQ/UBTVQH9", "Nghị quyết", dt.date(1994, 8, 26))
    assert d.issuer is not None and d.issuer.casefold() == "ủy ban thường vụ quốc hội"
    assert d.signer.name == "Nông Đức Mạnh"


@pytest.mark.parametrize(
    "closing",
    ["\n\nThủ tướng\n\n(Đã ký)\n\nPhan Văn Khải\n", "\n\nPhan Văn Khải\n\n(Đã ký)\n\nThông báo cho tôi khi văn bản này hết hiệu lực\n"],
)
def test_a_copys_signature_marked_da_ky_on_a_line_of_its_own(closing):
    # GIVEN a law site's copy of an old decision: no "Nơi nhận", "(Đã ký)" alone on its line
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 876/TTg\nHà Nội, ngày 15 tháng 11 năm 1997\nQUYẾT ĐỊNH\n"
        "Về việc mở rộng thí điểm\nĐiều 1. Cho phép mở rộng diện thí điểm.\n"
        "Điều 2. Ủy ban nhân dân Thành phố Hồ Chí Minh chịu trách nhiệm thi hành Quyết định này.\n" + closing
    )
    # THEN the signer is found, above or below the mark
    assert parse_text(text).directive.signer.name == "Phan Văn Khải"


def test_a_place_typed_in_lower_case_still_dates_the_document():
    text = "VIỆN KIỂM SÁT NHÂN DÂN TỐI CAO\nSố: 46 /VKSTC\n    Hà nội, ngày 11 tháng  11  năm 1995\nQUYẾT ĐỊNH\nBan hành Quy chế\n"
    assert parse_text(text).directive.date == dt.date(1995, 11, 11)


def test_a_bare_committee_dated_in_a_city_spelt_tp_is_that_citys():
    text = (
        "ỦY BAN NHÂN DÂN | CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
        "Số: 01/CT-UB | Tp. Hồ Chí Minh, ngày 14 tháng 01 năm 1982 |\nCHỈ THỊ\nVỀ VIỆC GIẢI QUYẾT TRẬT TỰ XÃ HỘI\n"
    )
    assert fold_case(parse_text(text).directive.issuer) == "ủy ban nhân dân thành phố hồ chí minh"


def test_a_sites_list_bullet_before_the_issuer_is_no_item():
    text = (
        "• Thuộc tính văn bản\n  • TÒA ÁN NHÂN DÂN TỐI CAO\n    -------\n    Số: 36/TANDTC-KHTC\n"
        "    V/v: Hướng dẫn quản lý ngân sách\n    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n    Độc lập - Tự do - Hạnh phúc\n"
        "    Hà Nội, ngày 24 tháng 2 năm 2020\n"
    )
    assert fold_case(parse_text(text).directive.issuer) == "tòa án nhân dân tối cao"


def fold_case(text: str | None) -> str | None:
    return text.casefold() if text else None


def test_a_portal_quote_is_named_by_its_source_note():
    # GIVEN a provincial portal's quote of a letter: no header, its source in a closing note
    text = (
        "UBND tỉnh có ý kiến như sau:\n\nGiao Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Sở Tài"
        " nguyên và Môi trường nghiên cứu, tham mưu UBND tỉnh giải quyết; hoàn thành trước ngày 21/11/2023.\n\n"
        "(Theo Công văn số 6012/UBND-KT, ngày 14/11/2023)\n"
    )
    d = parse_text(text).directive
    assert (d.number, d.doc_type, d.date) == ("6012/UBND-KT", "Công văn", dt.date(2023, 11, 14))


def test_a_sentence_citing_a_letter_names_no_document():
    text = "Theo Công văn số 6012/UBND-KT ngày 14/11/2023 của UBND tỉnh, Sở Tài chính báo cáo kết quả.\n"
    assert parse_text(text).directive.number is None


def test_a_party_draft_with_its_number_left_blank_is_typed_by_its_code():
    # GIVEN a Party committee's draft: "Số" alone on its line, the sequence left blank before "-BC/TU"
    text = (
        "TỈNH UỶ PHÚ THỌ\n              *\n    ĐẢNG CỘNG SẢN VIỆT NAM\nPhú Thọ, ngày 15 tháng 6 năm 2020\n"
        "Số       -BC/TU\n(Dự thảo lần 5)\n\nTĂNG CƯỜNG XÂY DỰNG, CHỈNH ĐỐN ĐẢNG\n"
    )
    d = parse_text(text).directive
    # THEN the clerk sees a report with no number yet, and is told so
    assert (d.doc_type, d.number_seq, d.symbol) == ("Báo cáo", None, "BC/TU")
    assert "number left blank" in d.warnings


def test_a_chairmans_decision_is_placed_by_its_place_line():
    # GIVEN a 2025 decision the chairman issues in his own name: "CHỦ TỊCH ỦY BAN NHÂN DÂN", no province
    text = (
        "CHỦ TỊCH ỦY BAN\nNHÂN DÂN |\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM |\n|\nSố: 44/2025/QĐ-CTUBND |\n"
        "Gia Lai, ngày 20 tháng 11 năm 2025 |\nCăn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;\n"
    )
    assert fold_case(parse_text(text).directive.issuer) == "chủ tịch ủy ban nhân dân tỉnh gia lai"


def test_a_regulation_printed_alone_is_not_the_decision_it_was_issued_with():
    # GIVEN a site's copy of a commune's Quy chế: its caption names the decision that issued it
    text = (
        "ỦY BAN NHÂN DÂN\nXÃ XUÂN PHÚ\n|\n|\nCỘNG HOÀ XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập -\nTự do - Hạnh phúc\n|\n"
        "QUY CHẾ LÀM\nVIỆC\nCỦA ỦY\nBAN NHÂN DÂN XÃ XUÂN PHÚ NHIỆM KỲ 2021 -2026\n(Ban hành\n"
        "kèm theo Quyết định số: 59/QĐ-UBND\nNgày 22 tháng\n7 năm 2021 của Ủy ban nhân dân xã Xuân\nPhú)\n"
        "Chương I\nNHỮNG QUY ĐỊNH CHUNG\nĐiều 1. Phạm vi, đối tượng điều chỉnh\n"
    )
    d = parse_text(text).directive
    # THEN it is a Quy chế with no number or date of its own, not decision 59/QĐ-UBND
    assert (d.doc_type, d.number, d.date) == ("Quy chế", None, None)


def test_an_issuer_a_sites_cell_cut_after_va_is_named_whole_by_its_enacting_line():
    text = (
        "BỘ NÔNG NGHIỆP VÀ | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 106/QĐ-BNNMT | Hà Nội, ngày 13 tháng 01 năm 2026 |\n"
        "QUYẾT ĐỊNH\nVề việc công bố thủ tục hành chính\nBỘ TRƯỞNG BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG\n"
        "Căn cứ Nghị định số 35/2025/NĐ-CP;\nQUYẾT ĐỊNH:\nĐiều 1. Công bố kèm theo Quyết định này thủ tục hành chính.\n"
    )
    assert fold_case(parse_text(text).directive.issuer) == "bộ nông nghiệp và môi trường"

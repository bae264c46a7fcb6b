"""Header and signature read from OCR text of scanned, signed pages.

The snippets imitate what the OCR stage makes of real scans (../shared/corpus/pdfs): a
handwritten sequence read as debris, a type code split or doubled, a spaced-out title split
inside a word, a seal or a pen stroke over the signer's name. Names and numbers are made up.
"""

import pytest

from services.parse.parser import parse_text

MOTTO = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
BODY = "Thực hiện chỉ đạo của Chính phủ, các sở, ngành triển khai thực hiện nghiêm túc.\n"


def _doc(number_line: str, title: str = "CHỈ THỊ\nVề tăng cường công tác phòng cháy", closing: str = "") -> str:
    head = f"ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\n{number_line}\n\n{MOTTO}Hà Tĩnh, ngày 3 tháng 5 năm 2025\n\n"
    return head + f"{title}\n\n{BODY}\n" + (closing or "Nơi nhận:\n- Lưu: VT.\n\nCHỦ TỊCH\nTrần Văn Bình\n")


@pytest.mark.parametrize(
    ("number_line", "symbol"),
    [
        ("Số: 329/B C-UBND", "BC-UBND"),  # the type code split by a space
        ("Số: 4 /QĐÐ-UBND", "QĐ-UBND"),  # a letter doubled, Đ read as the look-alike eth
        ("Số: /Ø£ /TTr-UBND", "TTr-UBND"),  # a handwritten sequence read as a stroke and debris
        ("Sô⁄1† /CT-UBND", "CT-UBND"),  # "Số:" damaged, the colon read as debris
        ("số: ÉŠ/KH-UBND", "KH-UBND"),  # debris touching the typed symbol
        ("/CT-UBND", "CT-UBND"),  # "Số:" and the handwritten sequence lost altogether
    ],
)
def test_the_typed_symbol_is_read_through_ocr_damage(number_line, symbol):
    d = parse_text(_doc(number_line)).directive
    assert d.symbol == symbol
    assert d.issuer == "Ủy ban nhân dân tỉnh Hà Tĩnh"  # the number line is not taken for the issuer


@pytest.mark.parametrize(
    ("number_line", "title", "symbol"),
    [
        ("Số: /LIr-CAT-PC04", "TỜ TRÌNH\nVề việc ban hành kế hoạch", "TTr-CAT-PC04"),  # TT read as LI
        ("Số: 12/QD-UBND", "QUYẾT ĐỊNH\nVề việc thành lập Ban Chỉ đạo", "QĐ-UBND"),  # Đ read as D
        ("Số: 12/XH-UBND", "KẾ HOẠCH\nTriển khai công tác phòng cháy", "KH-UBND"),
    ],
)
def test_a_damaged_type_code_is_restored_from_the_title(number_line, title, symbol):
    assert parse_text(_doc(number_line, title)).directive.symbol == symbol


@pytest.mark.parametrize(
    ("number_line", "title"),
    [
        ("Số: 12/UBND-VP", "V/v triển khai công tác phòng cháy"),  # a công văn: the issuer's code opens it
        ("Số: 45/BCA-C04", "KẾ HOẠCH\nTriển khai công tác"),  # not a near-miss of KH: kept as printed
        ("Số: 45/SKH-VP", "KẾ HOẠCH\nTriển khai công tác"),
    ],
)
def test_a_symbol_that_is_no_misread_type_code_is_kept(number_line, title):
    printed = number_line.split("/", 1)[1]
    assert parse_text(_doc(number_line, title)).directive.symbol == printed


def test_a_split_that_forms_no_known_type_code_is_left_as_read():
    d = parse_text(_doc("Số: 12/X Y-UBND")).directive
    assert d.symbol != "XY-UBND"


def test_a_doubled_letter_of_a_real_code_is_kept():
    # "CCT" (Chi cục Thuế) is an issuer code of its own, not "CT" (Chỉ thị) read twice
    d = parse_text(_doc("Số: 123/CCT-KK", "V/v nộp hồ sơ khai thuế")).directive
    assert (d.symbol, d.doc_type) == ("CCT-KK", "Công văn")


def test_a_spaced_out_title_split_inside_a_word_and_a_long_summary():
    summary = (
        "Kết luận của Phó Chủ tịch UBND tỉnh Lê Văn Hùng tại cuộc họp nghe báo cáo về tình hình thực hiện "
        "công tác sắp xếp doanh nghiệp nhà nước, Công ty TNHH MTV Xổ số kiến thiết Hà Tĩnh trong thời gian qua "
        "và nhiệm vụ trọng tâm trong thời gian đến"
    )
    assert len(summary) > 200  # longer than a body line may be in the header
    d = parse_text(_doc("Số: 11/TB-UBND", f"THÔNG B ÁO\n{summary}")).directive
    assert (d.doc_type, d.subject) == ("Thông báo", summary)


def test_a_type_name_and_its_summary_on_one_line():
    title = (
        "QUYẾT: ĐỊNH CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ\nĐỒNG THỜI CHẤP THUẬN NHÀ ĐẦU TƯ\n"
        "(cấp lần đầu: ngày 3 tháng 5 năm 2025)\nCHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH"
    )
    d = parse_text(_doc("Số: 77/QĐ-UBND", title)).directive
    assert d.doc_type == "Quyết định"
    assert d.subject == "CHẤP THUẬN CHỦ TRƯƠNG ĐẦU TƯ ĐỒNG THỜI CHẤP THUẬN NHÀ ĐẦU TƯ"


def test_a_licence_titled_with_its_subject():
    d = parse_text(_doc("Số: 25/GP-UBND", "GIẤY PHÉP SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP")).directive
    assert (d.doc_type, d.subject) == ("Giấy phép", "SỬ DỤNG VẬT LIỆU NỔ CÔNG NGHIỆP")


def test_a_vv_whose_second_v_the_ocr_lost():
    head = f"BỘ CÔNG THƯƠNG\nCỤC HÓA CHẤT\nSố: 81/HC-CNHC\nV/ trao đổi về một số quy định\ntrong lĩnh vực hóa chất\n\n{MOTTO}"
    d = parse_text(head + "Hà Nội, ngày 3 tháng 4 năm 2026\n\nKính gửi: Cục Hải quan\n\n" + BODY).directive
    assert d.subject.endswith("trao đổi về một số quy định trong lĩnh vực hóa chất")


def _signer(signature: str):
    closing = f"Nơi nhận:\n- Như trên;\n- Lưu: VT, PC.\n\n{signature}\n"
    return parse_text(_doc("Số: 12/CT-UBND", closing=closing)).directive.signer


@pytest.mark.parametrize(
    ("signature", "name"),
    [
        # seal and signature debris between title and name, a damaged rank before it, no space after "KT."
        ("KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\n' xơ:\n4 É. Z 6\nlạng {tướng Trần Văn Bình", "Trần Văn Bình"),
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\ntá Đậu Xuân Khoa", "Đậu Xuân Khoa"),  # "Đại tá" half read
        ("CHỦ TỊCH\n_\nÑØ@uyễn Thị Lan", "Nguyễn Thị Lan"),  # the family name's first letters lost
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHøơäng Văn Thuận", "Hoàng Văn Thuận"),  # letters garbled
        ("KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC\nHøäng Văn Thuận", "Hoàng Văn Thuận"),  # "ang" ends many names, "høang" one
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê N gọc Hà", "Lê Ngọc Hà"),  # a word split after its capital
        ("rần Hoàng Tú", "Trần Hoàng Tú"),  # the title under the seal, the name's capital lost
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nao : 1. nề\n` 4\nVũ Đức Long ` -", "Vũ Đức Long"),  # specks after it
        ("TL. CHỦ TỊCH\nPHÓ CHÁNH VĂN PHÒNG\nẬ\nChu Thị Hồng Loan", "Chu Thị Hồng Loan"),  # a stroke read as a capital
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nNguyễyn Thị Bích Ngọc", "Nguyễn Thị Bích Ngọc"),  # a seal's speck read as a letter
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nHoàngg Văn Thuận", "Hoàng Văn Thuận"),
        ("KT. BỘ TRƯỞNG\nTHỨ TRƯỞNG\nCaø Anh Tuấn", "Cao Anh Tuấn"),  # the "o" read as the foreign "ø"
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nKhương Văn Thuận", "Khương Văn Thuận"),  # a family name of its own, kept
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNước\nBùi Thanh An", "Bùi Thanh An"),  # a seal's rim word on the line above
        ("KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nNguyễn\nVăn An", "Nguyễn Văn An"),  # a name broken over two lines
    ],
)
def test_the_signer_is_read_through_seal_and_signature_noise(signature, name):
    assert _signer(signature).name == name


def test_debris_in_capitals_under_the_title_is_no_title():
    # GIVEN a seal's ink read as capitals between the title and the name
    signer = _signer("KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\nHC NN\nPhạm Huy Nam Sơn")
    # THEN the title is the printed one
    assert (signer.title, signer.name) == ("PHÓ CỤC TRƯỞNG", "Phạm Huy Nam Sơn")


def test_an_authority_whose_dot_was_read_as_a_comma():
    signer = _signer("KT, CHỦ TỊCH\nPHÓ CHỦ TỊCH\nLê Văn Hùng")
    assert (signer.authority, signer.on_behalf_of, signer.title, signer.name) == (
        "KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lê Văn Hùng",
    )


@pytest.mark.parametrize(
    "signature",
    [
        "KT. CỤC TRƯỞNG\nPHÓ CỤC TRƯỞNG\n=‡ lặn” Huy Nam Sơn",  # the family name unreadable: no cut name
        "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nMinh Vfr",  # debris that looks like a name
        # marks no Vietnamese syllable has: a tilde on a consonant, two tones on one word
        "KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG\nPñi Hồng Loan",
        "KT. BÍ THƯ\nPHÓ BÍ THƯ\nPhạếm Gia Túc",
        # a black-and-white scan's black seal over the family name: the rest is no whole name
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nThanh Bình",  # two words, no family name
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nFhị Minh Hiền",  # "Thị" misread: no Vietnamese word has an "f"
        # the seal took the family name and most of the middle one ("Phan Phong Phú"): the
        # fragment "hong" is not mended into "Khổng Phú"
        "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nhong Phú",
    ],
)
def test_an_unreadable_name_stays_empty(signature):
    signer = _signer(signature)
    assert signer.authority == "KT." and signer.name is None


def test_a_date_line_whose_ngay_the_ocr_misread_keeps_its_day():
    # GIVEN a scan whose date line reads "ngài:" for "ngày"
    text = _doc("Số: 6770/UBND-KT", title="V/v nộp hồ sơ khai thuế").replace("ngày 3 tháng", "ngài: 19 tháng")
    # WHEN parsed THEN the day is read, not left blank
    assert str(parse_text(text).directive.date) == "2025-05-19"


def test_a_letters_appendix_title_does_not_retype_the_letter():
    # GIVEN a letter ("V/v ...", no title) whose "Kính gửi:" the OCR damaged, and an appendix
    # headed by a type's name in capitals further down
    letter = _doc("Số: 2000/UBND-QLRR", title="V/v giới thiệu các nội dung mới của Thông tư số 31/2021/TT-BTC").replace(
        BODY, "nh gửi: Các sở, ngành.\nNgày 17/5/2021, Bộ Tài chính ban hành Thông tư.\n" + BODY + "GIỚI THIỆU MỘT SỐ NỘI DUNG MỚI\nQUY ĐỊNH VỀ ÁP DỤNG QUẢN LÝ RỦI RO\n"
    )
    # WHEN parsed THEN it stays a letter: the appendix's "QUY ĐỊNH" is no title of the document
    d = parse_text(letter).directive
    assert (d.doc_type, d.symbol) == ("Công văn", "UBND-QLRR")

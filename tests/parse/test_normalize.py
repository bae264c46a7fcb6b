"""Normalisation: tone placement, folding, cleaning."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vanthu.normalize import clean_document, fold, match_key, tone_normalize

VIETNAMESE = st.text(alphabet=st.sampled_from(list("aăâeêioôơuưyđAĂÂEÊIOÔƠUƯYĐbcdghklmnqrstvx àáảãạòóỏõọùúủũụỳýỷỹỵèéẻẽẹìíỉĩịÀÁÒÓÙÚỲÝ,.-:;\n*#")), max_size=200)


@given(VIETNAMESE)
def test_tone_normalize_keeps_length_and_is_idempotent(text):
    # GIVEN any NFC text WHEN tone-normalised THEN offsets are preserved and a second pass changes nothing
    once = tone_normalize(text)
    assert len(once) == len(text)
    assert tone_normalize(once) == once


@given(VIETNAMESE)
def test_fold_keeps_length(text):
    # GIVEN any text WHEN folded THEN it has the same length and no Vietnamese diacritics
    folded = fold(text)
    assert len(folded) == len(text)
    assert not set(folded) & set("đàáảãạăâêôơư")


@given(st.sampled_from(["Tỉnh uỷ", "thuỷ", "hoà", "khoẻ", "Nguỵ"]))
def test_old_and_new_tone_placement_match(word):
    # GIVEN a word in old-style tone placement WHEN normalised THEN it equals the new style
    new = {"Tỉnh uỷ": "Tỉnh ủy", "thuỷ": "thủy", "hoà": "hòa", "khoẻ": "khỏe", "Nguỵ": "Ngụy"}[word]
    assert tone_normalize(word) == new
    assert match_key(word) == match_key(new)


def test_quy_is_not_rewritten():
    # GIVEN "quý"/"quỷ" where u belongs to the consonant WHEN normalised THEN unchanged
    assert tone_normalize("quý quỷ") == "quý quỷ"


def test_abbreviations_expand():
    # GIVEN abbreviated unit names WHEN keyed THEN they equal the full names' keys
    assert match_key("Sở LĐ-TB&XH") == match_key("Sở Lao động - Thương binh và Xã hội")
    assert match_key("UBND tỉnh") == match_key("Ủy ban nhân dân tỉnh")
    assert match_key("Sở GD&ĐT") == match_key("Sở Giáo dục và Đào tạo")


def test_clean_document_drops_markdown_and_web_furniture():
    # GIVEN markdown marks, a banner and a related-links list WHEN cleaned THEN only the text remains
    raw = "Banner Tỉnh ủy X (Home-latest-1)\n\n**THÔNG BÁO**\n#### 6. Các huyện:\n- Làm việc\nnày\n\nTin cùng chuyên mục\nA\n\nA\n"
    assert clean_document(raw) == ["THÔNG BÁO", "6. Các huyện:", "- Làm việc này"]


def test_a_converters_markdown_escapes_and_list_items_read_as_printed():
    # GIVEN a docx converted to Markdown: escaped punctuation, "*   " list items
    raw = "Số 57\\-NQ/TW\n\n**1\\.** Các cấp ủy thực hiện.\n\n*   Chủ trì thẩm tra dự án luật.\n*   Kiến nghị *sửa đổi* luật.\n"
    # WHEN cleaned THEN the text is as printed, each item a list item
    assert clean_document(raw) == ["Số 57-NQ/TW", "1. Các cấp ủy thực hiện.", "- Chủ trì thẩm tra dự án luật.",
                                   "- Kiến nghị sửa đổi luật."]


def test_a_flattened_cells_end_mark_goes_and_a_task_tables_row_stays():
    # GIVEN a web page's flattening of the header table (each cell ending in "|") and a
    # plan's task table row WHEN cleaned THEN the cells' text stands alone, the row is kept
    raw = "ỦY BAN NHÂN DÂN |\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\nSố: 612/QĐ-UBND |\n| 1 | Rà soát | Sở Y tế |\n"
    assert clean_document(raw) == [
        "ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 612/QĐ-UBND", "| 1 | Rà soát | Sở Y tế |"]


@given(st.text(max_size=300))
def test_clean_document_never_raises(text):
    # GIVEN arbitrary text WHEN cleaned THEN lines are non-empty strings
    assert all(line for line in clean_document(text))


def test_lines_the_page_width_broke_are_joined_whatever_their_first_letter():
    # GIVEN text as a PDF's text layer gives it: paragraphs wrapped at the page width,
    # one broken before a capitalised name, one ending a sentence at a line end
    text = (
        "Thực hiện Lời kêu gọi của Tổng Bí thư Nguyễn Phú Trọng, chỉ đạo của Bộ Chính trị,\n"
        "Ban Bí thư Trung ương Đảng, Quốc hội, Chính phủ, Ban Thường vụ Tỉnh ủy yêu cầu\n"
        "các cấp ủy thực hiện nghiêm những nội dung sau:\n"
        "\n"
        "- Tập trung chỉ đạo kiểm soát người từ ngoại tỉnh trở về, nhất là người trở về từ\n"
        "vùng đang có dịch; chấn chỉnh, siết chặt quản lý việc giãn cách xã hội và cách ly.\n"
        "Chủ động chia sẻ kinh nghiệm trong phòng, chống dịch.\n"
        "- Thực hiện kịp thời các chính sách an sinh.\n"
        "Nơi nhận:\n"
    )
    # WHEN it is cleaned
    lines = clean_document(text)
    # THEN each paragraph and list item is one line, and "Nơi nhận:" stands alone
    assert lines[0].startswith("Thực hiện") and lines[0].endswith("những nội dung sau:")
    assert lines[1].startswith("- Tập trung") and lines[1].endswith("trong phòng, chống dịch.")
    assert lines[2:] == ["- Thực hiện kịp thời các chính sách an sinh.", "Nơi nhận:"]


@pytest.mark.parametrize("page_break", [
    "\n2\n\n\n--- PAGE BREAK ---\n\n",  # a converter's mark, the page number above it
    "\n\nCÔNG BÁO/Số 286/Ngày 27-05-2026\n101\n\n\n",  # the Official Gazette's running header
])
def test_a_sentence_a_page_break_cuts_before_a_capitalised_name_goes_on(page_break):
    # GIVEN an item whose last line the page ends inside a name ("Thủ tướng / Chính phủ")
    text = (
        "a) Ngân hàng Nhà nước Việt Nam:\n"
        "- Chủ trì, phối hợp với Bộ Kế hoạch và Đầu tư, Bộ Tài chính và các cơ quan liên quan\n"
        "khẩn trương đề xuất chính sách tín dụng phù hợp để tháo gỡ khó khăn, báo cáo Thủ tướng"
        + page_break +
        "Chính phủ trong tháng 3 năm 2019.\n"
        "- Tiếp tục triển khai các giải pháp đẩy mạnh thanh toán không dùng tiền mặt.\n"
    )
    # THEN the page's furniture goes and the item is one line, as printed before the break
    lines = clean_document(text)
    assert lines[1].startswith("- Chủ trì") and lines[1].endswith("báo cáo Thủ tướng Chính phủ trong tháng 3 năm 2019.")
    assert len(lines) == 3


@pytest.mark.parametrize(("text", "expected"), [
    # a Công điện's addressees as a text layer gives them, the last one as long as the
    # page's lines, then the opening paragraph
    ((
        "BỘ XÂY DỰNG điện:\n"
        "- Tổng Công ty Đường sắt Việt Nam;\n"
        "- Sở Xây dựng các tỉnh, thành phố: Gia Lai, Đắk Lắk, Khánh Hòa, Lâm Đồng.\n"
        "Triển khai chỉ đạo của Thủ tướng Chính phủ tại Công điện số 225/CĐ-TTg ngày\n"
        "20/11/2025, Bộ Xây dựng yêu cầu các cơ quan, đơn vị:\n"
    ), [
        "BỘ XÂY DỰNG điện:", "- Tổng Công ty Đường sắt Việt Nam;",
        "- Sở Xây dựng các tỉnh, thành phố: Gia Lai, Đắk Lắk, Khánh Hòa, Lâm Đồng.",
        "Triển khai chỉ đạo của Thủ tướng Chính phủ tại Công điện số 225/CĐ-TTg ngày 20/11/2025, Bộ Xây dựng "
        "yêu cầu các cơ quan, đơn vị:",
    ]),
    # a letter's single addressee as wide as the page, its first paragraph at once below (an
    # indented first line, a text layer keeping the layout), and a list broken after a comma
    ((
        "                 Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương\n"
        "               Ngày 09 tháng 6 năm 2025, Chính phủ ban hành Nghị định số 119/2025/NĐ-CP\n"
        "        sửa đổi, bổ sung một số điều của Nghị định số 06/2022/NĐ-CP ngày 07 tháng 01\n"
        "        năm 2022 của Chính phủ quy định về giảm nhẹ phát thải khí nhà kính.\n"
        "\n"
        "Kính gửi: Sở Y tế, Sở Tài chính, Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch,\n"
        "Sở Xây dựng tỉnh Nam Định.\n"
    ), [
        "Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương",
        "Ngày 09 tháng 6 năm 2025, Chính phủ ban hành Nghị định số 119/2025/NĐ-CP sửa đổi, bổ sung một số điều "
        "của Nghị định số 06/2022/NĐ-CP ngày 07 tháng 01 năm 2022 của Chính phủ quy định về giảm nhẹ phát thải khí "
        "nhà kính.",
        "Kính gửi: Sở Y tế, Sở Tài chính, Sở Giáo dục và Đào tạo, Sở Văn hóa, Thể thao và Du lịch, Sở Xây dựng "
        "tỉnh Nam Định.",
    ]),
])
def test_addressees_are_not_joined_to_the_paragraph_below(text, expected):
    # WHEN the text is cleaned THEN the paragraph is a line of its own, not part of the
    # addressees, and an addressee list the width broke after its comma goes on
    assert clean_document(text) == expected


def test_a_paragraphs_short_first_line_broken_mid_phrase_is_joined():
    # GIVEN a web page's text: each paragraph's first line shorter than the rest (its
    # indent), two of them broken inside a name or after "của", one heading, and an
    # addressee line whose full stop closes it
    text = (
        "Kính gửi: Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.\n"
        "Thực hiện Kết luận số 210-KL/TW ngày 12/11/2025 của\n"
        "Ban Chấp hành Trung ương Đảng về tiếp tục xây dựng, hoàn thiện tổ chức bộ máy của\n"
        "hệ thống chính trị, Ban Chỉ đạo đề nghị các địa phương thực hiện các nội dung sau:\n"
        "1. Về tổ chức thực hiện nhiệm vụ được phân cấp\n"
        "Khẩn trương thực hiện ý kiến chỉ đạo của Thủ tướng\n"
        "Chính phủ, chủ động phối hợp với Bộ Nội vụ rà soát, đề xuất sửa đổi các quy định\n"
        "về phân cấp, phân quyền, hoàn thành trước ngày 15 tháng 12 năm 2025.\n"
    )
    lines = clean_document(text)
    # THEN each paragraph is one line; the heading and the addressee line stand alone
    assert lines[0] == "Kính gửi: Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương."
    assert lines[1].startswith("Thực hiện") and lines[1].endswith("các nội dung sau:")
    assert lines[2] == "1. Về tổ chức thực hiện nhiệm vụ được phân cấp"
    assert lines[3].startswith("Khẩn trương") and "Thủ tướng Chính phủ, chủ động" in lines[3]
    assert len(lines) == 4


def test_an_open_parenthesis_a_lone_mark_and_a_lone_head_noun_go_on_below():
    # GIVEN a web page's lines broken inside a parenthesis, after an item's mark and after an
    # item's head noun whose name reads like a verb ("Xây dựng")
    text = (
        "Kính gửi: Các sở, ban, ngành tỉnh.\n"
        "Theo báo cáo của Sở Tài chính (Cơ quan thường trực\n"
        "Ban chỉ đạo 751), tính đến hết ngày 17/11/2025, có 25 địa phương đã cập nhật.\n"
        "1.1.\n"
        "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo\n"
        "-\n"
        "Tham mưu triển khai kế hoạch kiểm kê.\n"
        "+ Sở\n"
        "Xây dựng: hướng dẫn kiểm kê tài sản kết cấu hạ tầng giao thông.\n"
    )
    # THEN each goes on with the line below it
    assert clean_document(text)[1:] == [
        "Theo báo cáo của Sở Tài chính (Cơ quan thường trực Ban chỉ đạo 751), tính đến hết ngày 17/11/2025, "
        "có 25 địa phương đã cập nhật.",
        "1.1. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo",
        "- Tham mưu triển khai kế hoạch kiểm kê.",
        "+ Sở Xây dựng: hướng dẫn kiểm kê tài sản kết cấu hạ tầng giao thông.",
    ]


def test_a_units_heading_is_not_joined_to_its_task():
    # GIVEN a plan's long unit heading ending on a capitalised name, and its task below
    text = (
        "7. Ban Quản lý Khu kinh tế và Ban Quản lý các Khu công nghiệp tỉnh Lào Cai\n"
        "Chủ trì, phối hợp với các sở, ngành rà soát, cập nhật nội dung quy hoạch các khu,\n"
        "cụm công nghiệp trên địa bàn quản lý, báo cáo Ủy ban nhân dân tỉnh xem xét phê duyệt\n"
        "trong quý II năm 2026 theo đúng quy định của pháp luật về quy hoạch hiện hành.\n"
    )
    lines = clean_document(text)
    assert lines[0] == "7. Ban Quản lý Khu kinh tế và Ban Quản lý các Khu công nghiệp tỉnh Lào Cai"
    assert lines[1].startswith("Chủ trì") and len(lines) == 2


def test_the_forms_columns_printed_side_by_side_are_read_column_by_column():
    # GIVEN a born-digital letter as a layout-keeping extractor prints it: the header's and
    # the closing's two columns on shared lines, and no blank line between the parts
    text = (
        "BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
        "                                                      Độc lập - Tự do - Hạnh phúc\n"
        "       Số: 9389 /BNNMT-BĐKH\n"
        "                                                    Hà Nội, ngày 20 tháng 11 năm 2025\n"
        "    V/v triển khai thực hiện các quy định\n"
        "pháp luật về giảm nhẹ phát thải khí nhà kính\n"
        "        Bộ Nông nghiệp và Môi trường đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo\n"
        "        các sở, ngành rà soát các cơ sở có phát thải khí nhà kính thuộc danh mục phải\n"
        "        thực hiện kiểm kê, xây dựng kế hoạch giảm nhẹ phát thải khí nhà kính của cơ sở\n"
        "        theo quy định tại Nghị định số 06/2022/NĐ-CP và các văn bản sửa đổi, bổ sung;\n"
        "        báo cáo kết quả về Bộ Nông nghiệp và Môi trường trước ngày 15 tháng 12 năm 2025./.\n"
        "Nơi nhận:                                     KT. BỘ TRƯỞNG\n"
        "- Như trên;                                      THỨ TRƯỞNG\n"
        "- Văn phòng Chính phủ;\n"
        "- Lưu: VT, BĐKH.                               Lê Công Thành\n"
    )
    lines = clean_document(text)
    # THEN the issuer and number come before the motto and the date, the trích yếu after them,
    # and "Nơi nhận" whole before the signature
    assert lines[:5] == ["BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG", "Số: 9389 /BNNMT-BĐKH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                         "Độc lập - Tự do - Hạnh phúc", "Hà Nội, ngày 20 tháng 11 năm 2025"]
    assert lines[5].startswith("V/v") and lines[6].startswith("Bộ Nông nghiệp")
    assert lines[7:] == ["Nơi nhận:", "- Như trên;", "- Văn phòng Chính phủ;", "- Lưu: VT, BĐKH.",
                         "KT. BỘ TRƯỞNG", "THỨ TRƯỞNG", "Lê Công Thành"]


def test_a_year_ending_a_wrapped_item_is_no_item_number():
    # GIVEN an item whose last line is only the year its sentence ends with
    text = (
        "3. Vụ Tổ chức cán bộ\n"
        "- Quán triệt, hướng dẫn các cơ quan, đơn vị đưa kết quả thực hiện nhiệm vụ vào đánh giá, xếp loại mức độ\n"
        "hoàn thành nhiệm vụ của tập thể, cá nhân, nhất là người đứng đầu trong năm\n"
        "2025.\n"
        "4. Văn phòng Bộ\n"
    )
    # THEN the year ends the item's sentence
    lines = clean_document(text)
    assert lines[1].endswith("người đứng đầu trong năm 2025.") and lines[2] == "4. Văn phòng Bộ"



def test_an_article_citing_its_own_document_and_an_appendix_title_keep_their_lines():
    # GIVEN the Gazette's lines, wrapped at the page's width: an article whose text opens
    # with the type of the document it is in ("Điều 2. Nghị quyết này ..."), and an
    # appendix's title in ordinary case after a full line
    full = "báo cáo Chính phủ, Thủ tướng Chính phủ kết quả thực hiện Chương trình hành động này, bảo đảm"
    lines = clean_document(
        "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện Kết luận số\n"
        "210-KL/TW ngày 12 tháng 11 năm 2025 của Ban Chấp hành Trung ương Đảng khóa XIII về bộ máy tinh gọn.\n"
        "Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành.\n"
        f"2. Bộ Nội vụ theo dõi, đôn đốc và {full}\n"
        f"đúng tiến độ và {full}\n"
        "Phụ lục I\nNHIỆM VỤ TRIỂN KHAI CHƯƠNG TRÌNH HÀNH ĐỘNG\n"
    )
    # THEN each starts a line of its own
    assert "Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành." in lines
    assert "Phụ lục I" in lines

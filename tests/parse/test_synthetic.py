"""Generality: state documents laid out per Decree 30/2020/NĐ-CP, and garbage input."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vanthu.events import Directive

from services.parse.parser import parse_directive, parse_text

DECISION = """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/QĐ-UBND
HỎA TỐC
Nam Định, ngày 05 tháng 10 năm 2021
QUYẾT ĐỊNH
Về việc thành lập Tổ công tác hỗ trợ tiêm chủng
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH
Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 của Chính phủ về công tác văn thư;
Theo đề nghị của Giám đốc Sở Y tế.
QUYẾT ĐỊNH:
Điều 1. Thành lập Tổ công tác hỗ trợ tiêm chủng tỉnh Nam Định.
Điều 2. Giao Sở Y tế chủ trì, phối hợp với Sở Tài chính, UBND huyện Hải Hậu xây dựng kế hoạch triển khai, hoàn thành trước ngày 30/10/2021; báo cáo định kỳ hằng tuần về UBND tỉnh.
Điều 3. Chánh Văn phòng UBND tỉnh, Giám đốc Sở Y tế, Chủ tịch UBND các huyện, thành phố chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 3;
- Lưu: VT, VP7.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Lê Đoài
"""

PLAN = """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH
Số: 88/KH-UBND
Nam Định, ngày 01 tháng 9 năm 2021
KẾ HOẠCH
Tiêm vắc xin phòng COVID-19 đợt 5
I. MỤC ĐÍCH, YÊU CẦU
Bảo đảm an toàn.
II. NHIỆM VỤ
1. Tiếp nhận và bảo quản vắc xin
- Cơ quan chủ trì: Sở Y tế.
- Cơ quan phối hợp: Công an tỉnh, UBND các huyện, thành phố.
- Thời gian thực hiện: trong tháng 10/2021.
2. Tuyên truyền về tiêm chủng. Cơ quan chủ trì: Sở Thông tin và Truyền thông; cơ quan phối hợp: Báo Nam Định, Đài Phát thanh và Truyền hình tỉnh; thời gian thực hiện: xong trước 30/9.
3. Ủy ban nhân dân tỉnh Đồng Nai:
- Phối hợp tiếp nhận người lao động trở về.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Phạm Đình Nghị
"""


def _roles(d, section):
    return {(a.unit_id or a.unit_text, a.role) for a in d.assignments if a.section == section}


def test_decision_header_and_articles(directory):
    # GIVEN a Quyết định laid out per Decree 30 WHEN parsed THEN header, articles and signer are read
    d = parse_directive(DECISION, directory)
    assert (d.system, d.issuer, d.number, d.number_seq, d.symbol, d.doc_type) == (
        "state", "Ủy ban nhân dân tỉnh Nam Định", "12/QĐ-UBND", 12, "QĐ-UBND", "Quyết định")
    assert (d.date, d.place, d.urgency) == (dt.date(2021, 10, 5), "Nam Định", "Hỏa tốc")
    assert d.subject == "Về việc thành lập Tổ công tác hỗ trợ tiêm chủng"
    assert [s.path for s in d.sections] == ["Điều 1", "Điều 2", "Điều 3"]
    assert _roles(d, "Điều 2") == {("so-y-te", "lead"), ("so-tai-chinh", "cooperate"), ("ubnd-huyen-hai-hau", "cooperate")}
    lead = next(a for a in d.assignments if a.role == "lead")
    assert (lead.deadline, lead.recurrence) == (dt.date(2021, 10, 30), "định kỳ hằng tuần")
    assert {"van-phong-ubnd-tinh", "so-y-te", "cac-huyen-thanh-pho"} <= {u for u, _ in _roles(d, "Điều 3")}
    assert [r.number for r in d.references] == ["30/2020/NĐ-CP"]
    assert (d.signer.authority, d.signer.on_behalf_of, d.signer.title, d.signer.name) == (
        "KT.", "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Trần Lê Đoài")


def test_plan_fields_and_unit_headed_items(directory):
    # GIVEN a Kế hoạch with "Cơ quan chủ trì / phối hợp / Thời gian thực hiện" fields WHEN parsed
    # THEN lead and cooperating units with the deadline; an outside province stays unresolved
    d = parse_directive(PLAN, directory)
    assert (d.doc_type, d.number, d.date) == ("Kế hoạch", "88/KH-UBND", dt.date(2021, 9, 1))
    assert _roles(d, "II.1") == {("so-y-te", "lead"), ("cong-an-tinh", "cooperate"), ("cac-huyen-thanh-pho", "cooperate")}
    first = next(a for a in d.assignments if a.section == "II.1")
    assert (first.task, first.deadline) == ("Tiếp nhận và bảo quản vắc xin", dt.date(2021, 10, 31))
    assert _roles(d, "II.2") == {("so-thong-tin-va-truyen-thong", "lead"), ("bao-nam-dinh", "cooperate"),
                                 ("dai-pt-th-tinh", "cooperate")}
    assert next(a for a in d.assignments if a.section == "II.2").deadline == dt.date(2021, 9, 30)
    outside = [a for a in d.assignments if a.section == "II.3" and a.points == ["-1"]]
    assert [(a.unit_text, a.unit_id) for a in outside] == [("Ủy ban nhân dân tỉnh Đồng Nai", None)]
    assert "unit not in directory: Ủy ban nhân dân tỉnh Đồng Nai" in d.warnings


def test_mid_sentence_units_are_not_subjects(directory):
    # GIVEN units named only as sources of guidance WHEN parsed THEN no assignment to them
    d = parse_directive("1. Thực hiện nghiêm các biện pháp theo chỉ đạo của Bộ Y tế và Sở Y tế.", directory)
    assert d.assignments == [] and "no assignments found" in d.warnings


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=2000))
def test_garbage_gives_nulls_and_warnings(text):
    # GIVEN arbitrary text WHEN the core parser reads it (no guard catching its errors)
    d = parse_text(text).directive
    # THEN a Directive, and a field it could not read is null with a warning naming it
    assert isinstance(d, Directive) and d.warnings
    if d.number is None:
        assert any("number" in w or w == "no text" for w in d.warnings)
    if d.date is None:
        assert any("date" in w or w == "no text" for w in d.warnings)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([
    "Số: /TB-UBND", "Nơi nhận:", "- Lưu: VT.", "T/M BAN THƯỜNG VỤ", "Kính gửi:", "1. Sở Y tế chủ trì, phối hợp với",
    "- Giao", "+ Chỉ đạo Sở Y tế", "Điều 2.", "Cơ quan chủ trì:", "ngày tháng năm", "V/v", "**", "####", "(", ":",
    "Thời gian thực hiện: trong tháng 13/2021", "trước 31/02/2021",
]), max_size=30))
def test_keyword_soup_never_raises(parts):
    # GIVEN fragments of real layouts in random order WHEN the core parser reads them THEN no exception
    assert isinstance(parse_text("\n".join(parts)).directive, Directive)


def test_the_guard_turns_a_core_error_into_a_warning(monkeypatch):
    # GIVEN a core that fails on a bug WHEN the stream's entry point parses THEN a warning, no exception
    def broken(*_args, **_kwargs):
        raise ValueError("bug")

    monkeypatch.setattr("services.parse.parser.parse_text", broken)
    assert parse_directive("Số: 12/QĐ-UBND").warnings == ["internal parser error (ValueError); nothing extracted"]


@pytest.mark.parametrize("heading", [
    "5, Tiêm vắc xin:",   # "5." read as "5,"
    "-5, Tiêm vắc xin:",  # and a speck of the scan read as "-" glued to it
])
def test_an_ocr_damaged_section_number_keeps_the_numbering(directory, heading):
    # GIVEN OCR text with a damaged heading for section 5, and a later line "7, 8 ..." out of sequence
    text = (
        "4. Sở Y tế chủ trì, phối hợp với Sở Tài chính rà soát vật tư.\n"
        f"{heading}\n"
        "- Sở Y tế tổ chức tiêm vắc xin cho giáo viên.\n"
        "7, 8 tháng tới vẫn tiếp tục theo dõi.\n"
    )
    # WHEN it is parsed
    directive = parse_directive(text, directory)
    # THEN the heading is section 5 (the next number) with its dash item, and "7," is no heading
    assert [s.path for s in directive.sections] == ["4", "5"]
    assert ("so-y-te", "5", ["-1"]) in [(a.unit_id, a.section, a.points) for a in directive.assignments]


@pytest.mark.parametrize("dash", ["~ ", "~- ", "'- ", "~"])
def test_an_ocr_damaged_dash_still_starts_an_item(directory, dash):
    # GIVEN a scanned section whose first "-" was read as "~" or with a speck before it
    text = (
        "2. Ban cán sự đảng Ủy ban nhân dân tỉnh chỉ đạo:\n"
        f"{dash}Rà soát, chấn chỉnh việc phòng, chống dịch tại các bệnh viện.\n"
        "- Sở Y tế tổ chức tiêm vắc xin cho giáo viên.\n"
    )
    # WHEN it is parsed
    directive = parse_directive(text, directory)
    # THEN both lines are items of section 2, the first one assigned like the second
    assert [item.path for item in directive.sections[0].children] == ["2.-1", "2.-2"]
    assert "-1" in [p for a in directive.assignments if a.section == "2" for p in a.points]


def test_opening_addressees_own_the_numbered_tasks_without_a_subject(directory):
    # GIVEN an opening that hands a list of tasks to two departments, one task naming its own lead
    text = (
        "Chủ tịch UBND tỉnh yêu cầu Sở Y tế, Sở Giáo dục và Đào tạo thực hiện các nhiệm vụ sau:\n"
        "1. Rà soát danh sách giáo viên chưa tiêm vắc xin, xong trước 30/9.\n"
        "2. Công an tỉnh chủ trì kiểm soát người từ tỉnh ngoài về.\n"
    )
    # WHEN it is parsed
    d = parse_directive(text, directory)
    found = {(a.section, a.unit_id, a.role) for a in d.assignments}
    # THEN the departments the opening asks to act are assigned there, with section null; task 1
    # has no subject of its own (implicit, not recorded again); task 2 is only the police's
    # (../shared/corpus/CONVENTIONS.md: opening sentence, implicit subjects)
    assert found == {(None, "so-y-te", "assigned"), (None, "so-giao-duc-va-dao-tao", "assigned"),
                     ("2", "cong-an-tinh", "lead")}


PLAN_TABLE = """ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH
Số: 95/KH-UBND
Nam Định, ngày 20 tháng 9 năm 2021
KẾ HOẠCH
Triển khai tiêm vắc xin cho học sinh
II. NHIỆM VỤ VÀ PHÂN CÔNG
| STT | Nội dung công việc | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện |
|---|---|---|---|---|
| 1 | Lập danh sách học sinh đủ điều kiện tiêm | Sở Giáo dục và Đào tạo | UBND các huyện, thành phố | Trước 30/9/2021 |
| 2 | Bảo đảm kinh phí tiêm chủng | Sở Tài chính | Sở Y tế | Tháng 10/2021 |
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Phạm Đình Nghị
"""


def test_plan_table_rows_are_tasks_with_lead_cooperating_units_and_deadlines(directory):
    # GIVEN a Kế hoạch whose tasks are a table with lead, cooperating and timing columns
    # WHEN parsed
    d = parse_directive(PLAN_TABLE, directory)
    # THEN each row is a task of its lead, with its cooperating units and its deadline
    assert _roles(d, "II.1") == {("so-giao-duc-va-dao-tao", "lead"), ("cac-huyen-thanh-pho", "cooperate")}
    assert _roles(d, "II.2") == {("so-tai-chinh", "lead"), ("so-y-te", "cooperate")}
    first = next(a for a in d.assignments if a.section == "II.1")
    assert (first.task, first.deadline) == ("Lập danh sách học sinh đủ điều kiện tiêm", dt.date(2021, 9, 30))
    assert next(a for a in d.assignments if a.section == "II.2").deadline == dt.date(2021, 10, 31)


def test_vague_addressees_stay_one_name_for_review(directory):
    # GIVEN "thủ trưởng các cơ quan, đơn vị, địa phương" and "Sở Y tế, các đơn vị liên quan"
    text = (
        "1. Thủ trưởng các cơ quan, đơn vị, địa phương tổ chức quán triệt văn bản này.\n"
        "2. Sở Y tế, các đơn vị liên quan rà soát danh sách tiêm chủng.\n"
    )
    # WHEN parsed
    d = parse_directive(text, directory)
    # THEN the vague list is one unknown addressee; a bare kind after a known unit stays apart
    assert [(a.section, a.unit_text, a.unit_id) for a in d.assignments] == [
        ("1", "Thủ trưởng các cơ quan, đơn vị, địa phương", None),
        ("2", "Sở Y tế", "so-y-te"),
        ("2", "các đơn vị liên quan", None),
    ]


def test_a_lead_without_a_task_of_its_own_shares_the_next_clause(directory):
    # GIVEN "X chủ trì, phối hợp với Y; Z tăng cường ..." (sample 002's section 2, reworded)
    text = "1. Công an tỉnh chủ trì, phối hợp với Sở Y tế; UBND các huyện, thành phố tăng cường kiểm soát các chốt.\n"
    # WHEN parsed
    d = parse_directive(text, directory)
    # THEN lead, partner and co-subject all carry the predicate, not Z's name
    assert {(a.unit_id, a.role, a.task) for a in d.assignments} == {
        ("cong-an-tinh", "lead", "tăng cường kiểm soát các chốt."),
        ("so-y-te", "cooperate", "tăng cường kiểm soát các chốt."),
        ("cac-huyen-thanh-pho", "assigned", "tăng cường kiểm soát các chốt."),
    }


def test_cited_documents_take_a_listed_or_national_issuer(directory):
    # GIVEN citations listed after one issuer, one with a national symbol, one after a ";"
    text = (
        "1. Sở Y tế thực hiện theo chỉ đạo của UBND tỉnh tại Thông báo số 143/TB-UBND ngày 12/8/2021, "
        "Thông báo số 148/TB-UBND ngày 16/8/2021 và Chỉ thị 15/CT-TTg; Công văn số 20/SYT-NV.\n"
    )
    # WHEN parsed
    d = parse_directive(text, directory)
    # THEN the list shares the issuer but TTg is the Prime Minister; after ";" nothing is shared
    assert [(r.number, r.issuer) for r in d.references] == [
        ("143/TB-UBND", "UBND tỉnh"),
        ("148/TB-UBND", "UBND tỉnh"),
        ("15/CT-TTg", "Thủ tướng Chính phủ"),
        ("20/SYT-NV", None),
    ]


def test_a_long_title_over_its_items_is_the_heading(directory):
    # GIVEN a numbered title of 170 characters, no final stop, with "-" items under it
    title = (
        "Về thực hiện chính sách hỗ trợ người lao động và người sử dụng lao động gặp khó khăn do đại dịch "
        "Covid-19 theo Nghị quyết số 68/NQ-CP ngày 01/7/2021 của Chính phủ"
    )
    text = f"1. {title}\n- Sở Y tế rà soát đối tượng.\n2. Tổ chức thực hiện báo cáo tháng.\n"
    # WHEN parsed
    d = parse_directive(text, directory)
    # THEN it is the section's heading; a sentence without items is not
    assert d.sections[0].heading == title
    assert d.sections[1].heading is None


MINISTRY_LETTER = """BỘ Y TẾ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 7316/BYT-DP
V/v tăng cường tiêm vắc xin phòng COVID-19
Hà Nội, ngày 06 tháng 9 năm 2021
HỎA TỐC
Kính gửi: Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương.
Bộ Y tế đề nghị Ủy ban nhân dân các tỉnh, thành phố chỉ đạo thực hiện một số nội dung sau:
1. Chỉ đạo Sở Y tế chủ trì, phối hợp với các sở, ngành liên quan tổ chức tiêm vắc xin, hoàn thành trước ngày 30/9/2021.
2. Sở Y tế báo cáo kết quả tiêm chủng định kỳ hằng tuần về Bộ Y tế.
Trân trọng./.
Nơi nhận:
- Như trên;
- Lưu: VT, DP.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Nguyễn Trường Sơn
"""


def test_a_ministry_letter_tasks_the_provinces_not_whom_they_direct(directory):
    # GIVEN a ministry's công văn asking the provinces to "Chỉ đạo Sở Y tế chủ trì, phối hợp
    # với ..." and closing with "Trân trọng./."
    # WHEN parsed
    d = parse_directive(MINISTRY_LETTER, directory)
    # THEN the provinces are tasked; the department they direct is not tasked by the ministry
    # in that point (CONVENTIONS.md), only where the letter tasks it itself, while the
    # partners the directed work names cooperate (as corpus a03 reads "Chỉ đạo X phối hợp
    # với Y"); the courtesy close is no task text
    assert (d.issuer, d.number, d.doc_type, d.urgency, d.date) == (
        "Bộ Y tế", "7316/BYT-DP", "Công văn", "Hỏa tốc", dt.date(2021, 9, 6)
    )
    assert [(a.unit, a.role, a.section) for a in d.assignments if a.section in (None, "1")] == [
        ("Ủy ban nhân dân các tỉnh, thành phố", "assigned", None), ("các sở, ngành liên quan", "cooperate", "1")
    ]
    weekly = [a for a in d.assignments if a.section == "2"]
    assert [(a.unit_id, a.recurrence) for a in weekly] == [("so-y-te", "định kỳ hằng tuần")]
    assert d.sections[-1].text.endswith("về Bộ Y tế.")
    assert (d.signer.authority, d.signer.on_behalf_of, d.signer.title, d.signer.name) == (
        "KT.", "BỘ TRƯỞNG", "THỨ TRƯỞNG", "Nguyễn Trường Sơn"
    )


PARTY_PLAN = """TỈNH ỦY NAM ĐỊNH
Số 45-KH/TU
ĐẢNG CỘNG SẢN VIỆT NAM
Nam Định, ngày 20 tháng 10 năm 2021
KẾ HOẠCH
thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị
I. MỤC ĐÍCH, YÊU CẦU
1. Tạo sự chuyển biến mạnh mẽ về nhận thức.
II. TỔ CHỨC THỰC HIỆN
1. Ban Tuyên giáo Tỉnh ủy
- Chủ trì, phối hợp với Văn phòng Tỉnh ủy hướng dẫn, theo dõi việc thực hiện Kế hoạch này.
- Tham mưu sơ kết; báo cáo kết quả trước ngày 15/12 hằng năm.
2. Ủy ban Kiểm tra Tỉnh ủy đưa nội dung thực hiện Chỉ thị vào chương trình kiểm tra hằng năm.
T/M BAN THƯỜNG VỤ
PHÓ BÍ THƯ THƯỜNG TRỰC
Lê Quốc Chính
"""


def test_a_party_plan_with_unit_headed_items(directory):
    # GIVEN a Party Kế hoạch: lower-case trích yếu, a unit heading over "Chủ trì, phối hợp
    # với ..." items, and a predicate verb no list names ("đưa")
    # WHEN parsed
    d = parse_directive(PARTY_PLAN, directory)
    # THEN the trích yếu is the subject and cites nothing of the body's next line
    assert d.subject == "thực hiện Chỉ thị số 05-CT/TW ngày 15/5/2016 của Bộ Chính trị"
    assert [(r.doc_type, r.number, r.issuer) for r in d.references] == [("Chỉ thị", "05-CT/TW", "Bộ Chính trị")]
    # AND the heading's unit leads the item that says "Chủ trì", with its partner
    first_item = {(a.unit_id, a.role) for a in d.assignments if a.section == "II.1" and a.points == ["-1"]}
    assert first_item == {("ban-tuyen-giao-tinh-uy", "lead"), ("van-phong-tinh-uy", "cooperate")}
    lead = next(a for a in d.assignments if a.role == "lead")
    assert lead.task == "hướng dẫn, theo dõi việc thực hiện Kế hoạch này."
    yearly = next(a for a in d.assignments if a.section == "II.1" and a.points == ["-2"])
    assert (yearly.deadline, yearly.recurrence) == (dt.date(2021, 12, 15), "hằng năm")
    # AND a known unit followed by an unlisted verb is still that unit
    assert _roles(d, "II.2") == {("uy-ban-kiem-tra-tinh-uy", "assigned")}
    assert not [w for w in d.warnings if w.startswith("unit not in directory")]


PRIME_MINISTER_DISPATCH = """THỦ TƯỚNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 1099/CĐ-TTg
Hà Nội, ngày 03 tháng 8 năm 2021
CÔNG ĐIỆN
Về việc tăng cường phòng, chống dịch COVID-19
THỦ TƯỚNG CHÍNH PHỦ điện:
- Bộ trưởng các Bộ: Y tế, Công an, Quốc phòng;
- Chủ tịch Ủy ban nhân dân các tỉnh, thành phố.

Thủ tướng Chính phủ yêu cầu:
1. Bộ Y tế chủ trì, phối hợp với Bộ Công an, Bộ Quốc phòng hướng dẫn các địa phương; báo cáo hằng ngày.
THỦ TƯỚNG
Phạm Minh Chính
"""


def test_a_prime_ministers_dispatch(directory):
    # GIVEN a Công điện: "... điện:" over its addressees, national bodies as units
    # WHEN parsed
    d = parse_directive(PRIME_MINISTER_DISPATCH, directory)
    # THEN the issuer reads as spelt, the addressees are its recipients
    assert (d.issuer, d.doc_type, d.number) == ("Thủ tướng Chính phủ", "Công điện", "1099/CĐ-TTg")
    assert d.recipients == ["Bộ trưởng các Bộ: Y tế, Công an, Quốc phòng", "Chủ tịch Ủy ban nhân dân các tỉnh, thành phố"]
    # AND "phòng" ending "Bộ Quốc phòng" opens no name: the verb after it starts the task
    assert {(a.unit_text, a.role) for a in d.assignments} == {
        ("Bộ Y tế", "lead"), ("Bộ Công an", "cooperate"), ("Bộ Quốc phòng", "cooperate")
    }
    assert {a.task for a in d.assignments} == {"hướng dẫn các địa phương; báo cáo hằng ngày."}

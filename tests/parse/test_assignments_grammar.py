"""Who must do what: unit mentions, roles, sections and evidence on the forms the corpus
shows (CONVENTIONS.md of ../shared/corpus), each on a short directive written for the test.

Each text is a plain Kế hoạch / Quyết định / Công văn of a province, as Decree 30/2020/NĐ-CP
lays them out; the clauses are the patterns real directives use.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest

from services.parse.parser import parse_directive
from vanthu.directory import UnitDirectory

HEADER = """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH
Số: 12/KH-UBND
Nam Định, ngày 02 tháng 3 năm 2025
KẾ HOẠCH
Phòng, chống dịch bệnh trên địa bàn tỉnh
"""
SIGNATURE = """
Nơi nhận:
- Bộ Y tế (để b/c);
- Sở Y tế;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Nguyễn Văn A
"""


def _parse(body: str, directory):
    return parse_directive(HEADER + body + SIGNATURE, directory)


def _triples(d) -> set[tuple[str | None, str, str]]:
    return {(a.section, a.unit_text, a.role) for a in d.assignments}


def test_roles_in_parentheses_stay_with_their_units(directory):
    # GIVEN a task whose units carry their roles in parentheses
    d = _parse("1. Sở Y tế (chủ trì), Sở Tài chính (phối hợp) tổ chức tiêm vắc xin cho người dân.\n", directory)
    # THEN each unit keeps its name without the parenthesis, and its own role
    assert _triples(d) == {("1", "Sở Y tế", "lead"), ("1", "Sở Tài chính", "cooperate")}


def test_la_co_quan_chu_tri_leads_and_its_partner_cooperates(directory):
    d = _parse("2. Sở Nội vụ là cơ quan chủ trì, phối hợp với Sở Tư pháp rà soát các văn bản.\n", directory)
    assert _triples(d) == {("2", "Sở Nội vụ", "lead"), ("2", "Sở Tư pháp", "cooperate")}


def test_plan_fields_give_units_not_the_field_name(directory):
    # GIVEN a plan task written as fields under its heading
    body = (
        "1. Tổ chức tiêm chủng mở rộng\n"
        "- Đơn vị chủ trì: Sở Y tế.\n"
        "- Cơ quan phối hợp: Sở Tài chính, Sở Giáo dục và Đào tạo.\n"
        "- Thời gian thực hiện: trước ngày 30 tháng 6 năm 2025.\n"
    )
    d = _parse(body, directory)
    # THEN the units named in the fields are lead and cooperate, never "Đơn vị"
    assert _triples(d) == {
        ("1", "Sở Y tế", "lead"),
        ("1", "Sở Tài chính", "cooperate"),
        ("1", "Sở Giáo dục và Đào tạo", "cooperate"),
    }
    assert {a.deadline.isoformat() for a in d.assignments if a.deadline} == {"2025-06-30"}


def test_a_catch_all_list_is_one_unit_and_the_task_is_not_glued_to_it(directory):
    body = (
        "1. Các sở, ban, ngành tỉnh tăng cường công tác kiểm tra.\n"
        "2. Ủy ban nhân dân xã, phường, đặc khu chủ động tổ chức triển khai các biện pháp phòng dịch.\n"
    )
    d = _parse(body, directory)
    assert _triples(d) == {
        ("1", "Các sở, ban, ngành tỉnh", "assigned"),
        ("2", "Ủy ban nhân dân xã, phường, đặc khu", "assigned"),
    }


def test_lead_cue_after_an_adverbial_over_lettered_points_leads_once(directory):
    # GIVEN a heading "X, Y theo chức năng, nhiệm vụ, thẩm quyền chủ trì, phối hợp với Z:" over lettered tasks
    body = (
        "1. Công an tỉnh, Bộ Chỉ huy Quân sự tỉnh theo chức năng, nhiệm vụ, thẩm quyền chủ trì, phối hợp với "
        "Sở Y tế:\n"
        "a) Bảo đảm an ninh tại các điểm tiêm.\n"
        "b) Hỗ trợ vận chuyển vắc xin.\n"
    )
    d = _parse(body, directory)
    # THEN one lead entry per unit in section 1, listing the points it came from
    assert _triples(d) == {
        ("1", "Công an tỉnh", "lead"),
        ("1", "Bộ Chỉ huy Quân sự tỉnh", "lead"),
        ("1", "Sở Y tế", "cooperate"),
    }
    assert all(a.points == ["a", "b"] for a in d.assignments)


def test_shared_head_keeps_its_members(directory):
    body = "1. Các Sở: Tài chính, Xây dựng và Nội vụ khẩn trương rà soát danh mục dự án.\n"
    d = _parse(body, directory)
    [a] = d.assignments
    assert a.role == "assigned"
    assert a.members == ["Sở Tài chính", "Sở Xây dựng", "Sở Nội vụ"]


def test_members_written_in_full_under_a_generic_head_are_units(directory):
    body = "Điều 3. Thủ trưởng các cơ quan: Văn phòng UBND tỉnh, Sở Xây dựng, Sở Tài chính căn cứ Quyết định thi hành.\n"
    d = _parse(body.replace("KẾ HOẠCH", "QUYẾT ĐỊNH"), directory)
    assert _triples(d) == {
        ("Điều 3", "Văn phòng UBND tỉnh", "assigned"),
        ("Điều 3", "Sở Xây dựng", "assigned"),
        ("Điều 3", "Sở Tài chính", "assigned"),
    }


def test_the_issuers_own_act_and_its_legal_bases_task_no_one(directory):
    # GIVEN the issuer describing its own act, legal bases and a proposal cited, a distribution list
    body = (
        "Căn cứ Luật Tổ chức chính quyền địa phương;\n"
        "Theo đề nghị của Giám đốc Sở Y tế tại Tờ trình số 45/TTr-SYT ngày 01/3/2025.\n"
        "Ủy ban nhân dân tỉnh Nam Định ban hành Kế hoạch phòng, chống dịch bệnh như sau:\n"
        "1. Mục đích: chủ động phòng, chống dịch bệnh.\n"
        "2. Yêu cầu: bảo đảm an toàn cho người dân.\n"
    )
    d = _parse(body, directory)
    # THEN nobody is assigned: not the issuer, not the proposing Sở, not the distribution list
    assert d.assignments == []


def test_what_a_unit_may_do_tasks_it_with_nothing(directory):
    d = _parse("4. Doanh nghiệp có thể gửi hồ sơ đề nghị hỗ trợ gộp hai tháng.\n"
               "5. Sở Y tế có thể phối hợp với Sở Tài chính khi cần.\n", directory)
    assert d.assignments == []


def test_object_of_chi_dao_is_not_assigned_and_the_directing_unit_is(directory):
    body = "1. Giao Sở Giáo dục và Đào tạo chỉ đạo các trường học tổ chức tiêm cho học sinh.\n"
    d = _parse(body, directory)
    assert _triples(d) == {("1", "Sở Giáo dục và Đào tạo", "assigned")}


def test_x_chu_tri_cung_y_gives_y_cooperate(directory):
    d = _parse("3. Sở Tài chính chủ trì cùng Sở Xây dựng rà soát, đánh giá đề xuất thưởng.\n", directory)
    assert _triples(d) == {("3", "Sở Tài chính", "lead"), ("3", "Sở Xây dựng", "cooperate")}


@pytest.mark.parametrize(("clause", "expected"), [
    ("Sở Tài chính có trách nhiệm chủ trì, phối hợp với Sở Xây dựng kiểm tra.",
     {("3", "Sở Tài chính", "lead"), ("3", "Sở Xây dựng", "cooperate")}),
    ("Công an tỉnh có trách nhiệm phối hợp với Sở Công Thương kiểm tra.",
     {("3", "Công an tỉnh", "assigned"), ("3", "Sở Công Thương", "cooperate")}),
])
def test_a_duty_phrase_before_the_role_cue_keeps_the_roles(directory, clause, expected):
    assert _triples(_parse(f"3. {clause}\n", directory)) == expected


def test_list_cut_by_semicolons_shares_the_execution_clause(directory):
    body = (
        "Điều 3. Chánh Văn phòng Ủy ban nhân dân tỉnh; Giám đốc Sở Y tế; Chủ tịch UBND các xã, phường "
        "chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    d = _parse(body, directory)
    assert _triples(d) == {
        ("Điều 3", "Chánh Văn phòng Ủy ban nhân dân tỉnh", "assigned"),
        ("Điều 3", "Giám đốc Sở Y tế", "assigned"),
        ("Điều 3", "Chủ tịch UBND các xã, phường", "assigned"),
    }


@pytest.mark.parametrize(
    ("clause", "deadline", "text"),
    [
        ("báo cáo kết quả trước ngày 20 hằng tháng.", None, "trước ngày 20 hằng tháng"),
        ("hoàn thành trước ngày 15/12/2025.", "2025-12-15", "hoàn thành trước ngày 15/12/2025"),
        ("triển khai các biện pháp trong Quý I năm 2026.", "2026-03-31", "trong Quý I năm 2026"),
        ("rà soát văn bản, hoàn thành trong năm 2025.", None, "hoàn thành trong năm 2025"),
        ("theo dõi tình hình dịch bệnh thường xuyên.", None, "thường xuyên"),
    ],
)
def test_deadline_of_the_task_clause(directory, clause, deadline, text):
    d = _parse(f"1. Sở Y tế {clause}\n", directory)
    [a] = d.assignments
    assert (a.deadline.isoformat() if a.deadline else None, a.deadline_text) == (deadline, text)


def test_evidence_points_at_the_unit_and_the_task_in_the_parsed_text(directory):
    # GIVEN a unit under a heading and one with its own clause, the text broken over lines
    body = (
        "1. Sở Y tế:\n"
        "a) Tổ chức tiêm vắc xin.\n"
        "2. Sở Tài chính bố trí\n"
        "kinh phí thực hiện.\n"
    )
    text = HEADER + body + SIGNATURE
    d = parse_directive(text, directory)
    parsed = unicodedata.normalize("NFC", text)
    by_unit = {a.unit_text: a for a in d.assignments}
    heading = by_unit["Sở Y tế"].evidence[0]
    own = by_unit["Sở Tài chính"].evidence[0]
    # THEN each reading names its rule, its page, and spans that quote the unit and the task
    assert (heading.rule, heading.page, heading.point) == ("heading", 1, "a")
    assert parsed[heading.unit_span.start : heading.unit_span.end] == "Sở Y tế"
    assert heading.unit_span.start == parsed.index("1. Sở Y tế") + 3
    assert parsed[heading.task_span.start : heading.task_span.end] == "Tổ chức tiêm vắc xin."
    assert own.rule == "subject"
    assert parsed[own.unit_span.start : own.unit_span.end] == "Sở Tài chính"
    assert parsed[own.task_span.start : own.task_span.end] == "bố trí\nkinh phí thực hiện."


def test_evidence_page_follows_form_feeds(directory):
    text = HEADER + "1. Sở Y tế tổ chức tiêm.\n\f2. Sở Tài chính bố trí kinh phí.\n" + SIGNATURE
    d = parse_directive(text, directory)
    assert {a.unit_text: a.evidence[0].page for a in d.assignments} == {"Sở Y tế": 1, "Sở Tài chính": 2}


def test_a_unit_no_listed_verb_ends_is_cut_by_its_grammar_and_reported(directory):
    # GIVEN an unknown unit followed by a verb that no list names ("soạn thảo")
    d = _parse("2. Phối hợp với Bộ Tài chính soạn thảo nội dung thực thi phương án vào dự thảo luật.\n", directory)
    # THEN the unit is its name only, and the text it was cut from is reported for review
    assert [a.unit_text for a in d.assignments] == ["Bộ Tài chính"]
    assert any("Bộ Tài chính soạn thảo nội dung" in w for w in d.warnings)


def test_closing_formula_of_a_notice_tasks_no_one(directory):
    body = "1. Sở Y tế tổ chức tiêm vắc xin.\nỦy ban nhân dân tỉnh thông báo để Công ty TNHH Minh Long biết và thực hiện./.\n"
    d = _parse(body.replace("KẾ HOẠCH", "THÔNG BÁO"), directory)
    assert _triples(d) == {("1", "Sở Y tế", "assigned")}


# An appendix after the signature, its table flattened by the page into one cell per line
# between "|" marks (the layout of ../shared/corpus/assignments/a02-174-cv-bcd.txt; the
# content here is made up).
APPENDIX = "\n|\n".join(
    [
        "\nPHỤ LỤC\nKIẾN NGHỊ CỦA CÁC ĐỊA PHƯƠNG VÀ PHÂN CÔNG XỬ LÝ",
        "**TT**", "**Tỉnh kiến nghị**", "**Nội dung kiến nghị**", "**Bộ phụ trách tiếp\nnhận, xử lý**", "",
        "1", "Nam Định", "Đề nghị hướng dẫn việc sắp xếp trụ sở làm việc của các cơ quan, đơn vị ở cấp xã.",
        "Bộ Tài chính", "",
        "2", "Thái Bình", "Đề nghị sớm ban hành hướng dẫn về biên chế và vị trí việc làm tại cấp xã.",
        "Bộ Khoa học và\nCông nghệ", "",
    ]
)


def test_an_appendix_table_column_naming_the_body_responsible_tasks_it(directory):
    d = parse_directive(HEADER + "1. Sở Y tế tổ chức tiêm vắc xin.\n" + SIGNATURE + APPENDIX, directory)
    # THEN each row's unit is assigned in the row's number, a wrapped name whole
    assert _triples(d) >= {("1", "Bộ Tài chính", "assigned"), ("2", "Bộ Khoa học và Công nghệ", "assigned")}
    assert all(a.evidence[0].rule == "appendix-table" for a in d.assignments if a.unit_text.startswith("Bộ"))


def test_a_catalogue_of_procedures_tasks_no_one(directory):
    catalogue = APPENDIX.replace("Tỉnh kiến nghị", "Tên thủ tục hành chính").replace(
        "Bộ phụ trách tiếp nhận, xử lý", "Cơ quan thực hiện"
    )
    d = parse_directive(HEADER + "1. Sở Y tế tổ chức tiêm vắc xin.\n" + SIGNATURE + catalogue, directory)
    assert _triples(d) == {("1", "Sở Y tế", "assigned")}


def test_subject_after_an_introductory_phrase_and_a_unit_heading_inline(directory):
    body = (
        "1. Đối với các dự án chậm tiến độ (danh mục kèm theo), các Sở, ban, ngành tỉnh khẩn trương rà soát.\n"
        "2. Sở Xây dựng: Hướng dẫn các chủ đầu tư hoàn thiện hồ sơ.\n"
        "3. Tham dự có đại diện Sở Y tế; lãnh đạo các Tập đoàn: Điện lực Việt Nam, Dầu khí Việt Nam.\n"
        "4. Đối với các chi phí khám bệnh, chữa bệnh vượt tổng mức năm 2019-2022, Sở Tài chính khẩn trương thanh toán.\n"
        "5. Thực hiện Kết luận của Bộ Chính trị, Ban Bí thư, Ban Chỉ đạo thực hiện sắp xếp bộ máy, Sở Nội vụ chủ động rà soát.\n"
        "6. Trên cơ sở Nghị quyết của Tỉnh ủy, Chương trình hành động của Ủy ban nhân dân tỉnh, các sở, ban, ngành "
        "theo chức năng, nhiệm vụ xây dựng kế hoạch thực hiện.\n"
    )
    d = _parse(body, directory)
    # THEN the subject after "Đối với ...," (commas in the topic too) and the inline heading are
    # assigned; a listing is not, nor the bodies whose conclusions a lead-in cites, while a
    # collective name after them ("..., các sở, ban, ngành") opens the subject
    assert _triples(d) == {("1", "các Sở, ban, ngành tỉnh", "assigned"), ("2", "Sở Xây dựng", "assigned"),
                           ("4", "Sở Tài chính", "assigned"), ("5", "Sở Nội vụ", "assigned"),
                           ("6", "các sở, ban, ngành", "assigned")}


_TELEGRAM = """BỘ XÂY DỰNG
Số: 96/CĐ-BXD
Hà Nội, ngày 22 tháng 11 năm 2025
CÔNG ĐIỆN
Về việc ứng phó mưa lũ
BỘ XÂY DỰNG điện:
- Tổng Công ty Đường sắt Việt Nam;
- Ban Quản lý Dự án 85.
Bộ Xây dựng yêu cầu {asked}:
1. Quán triệt, tổ chức thực hiện nghiêm chỉ đạo của Thủ tướng Chính phủ.
2. Cục Đường bộ Việt Nam chủ trì kiểm tra các tuyến quốc lộ.
"""


@pytest.mark.parametrize(("asked", "addressees_assigned"), [
    ("các cơ quan, đơn vị", True),
    ("các cơ quan có liên quan", False),  # a catch-all of its own, not the addressees
])
def test_the_openings_bare_collective_is_the_addressees(directory, asked, addressees_assigned):
    # GIVEN a Công điện whose opening asks "các cơ quan, đơn vị" to carry out the numbered tasks
    d = parse_directive(_TELEGRAM.format(asked=asked) + SIGNATURE, directory)
    # THEN each addressee is assigned, with section null; the numbered tasks keep their own units
    triples = _triples(d)
    opening = {(None, "Tổng Công ty Đường sắt Việt Nam", "assigned"), (None, "Ban Quản lý Dự án 85", "assigned")}
    assert (opening <= triples) is addressees_assigned
    assert ("2", "Cục Đường bộ Việt Nam", "lead") in triples


def test_cong_lap_is_part_of_the_name_not_a_verb(directory):
    # GIVEN public service units ("đơn vị sự nghiệp công lập": "lập" is also the verb "to draw up")
    # listed before another unit and their predicate
    d = _parse("1. Các đơn vị sự nghiệp công lập, UBND cấp xã tổ chức lựa chọn đơn vị cung cấp dịch vụ.\n",
               directory)
    # THEN both are assigned: the list does not end at "lập"
    assert {u for _, u, _ in _triples(d)} == {"Các đơn vị sự nghiệp công lập", "UBND cấp xã"}


_PRIME_MINISTER = """THỦ TƯỚNG CHÍNH PHỦ
Số: 229/CĐ-TTg
Hà Nội, ngày 21 tháng 11 năm 2025
CÔNG ĐIỆN
Về việc thực hiện nhiệm vụ trọng tâm
1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.
Nơi nhận:
- Như trên;
- Lưu: VT.
THỦ TƯỚNG
Phạm Minh Chính
"""


@pytest.mark.parametrize(("listed", "units"), [
    # an office written out for each body: office holders, each of their own
    ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc Chính phủ",
     {"Bộ trưởng", "Thủ trưởng cơ quan ngang bộ", "Thủ trưởng cơ quan thuộc Chính phủ"}),
    # the office shared: the ministers and heads of ministerial agencies, one collective addressee
    ("Bộ trưởng, Thủ trưởng cơ quan ngang bộ", {"Bộ trưởng, Thủ trưởng cơ quan ngang bộ"}),

])
def test_an_office_written_out_for_each_body_gives_one_assignee_each(national, listed, units):
    # GIVEN a task the Prime Minister sets the ministers and heads of agencies
    d = parse_directive(_PRIME_MINISTER.format(listed=listed), national)
    # THEN the assignees are as the list enumerates them
    assert {u.removeprefix("các đồng chí ") for _, u, _ in _triples(d)} == units


@pytest.mark.parametrize(("body", "assigned"), [
    # the issuer guides the communes' committees to act: they are tasked
    ("1. Nhằm nâng cao chất lượng hoạt động, UBND tỉnh hướng dẫn UBND các xã, phường đánh giá, xếp loại "
     "trung tâm học tập cộng đồng.\n", "UBND các xã, phường"),
    # a department told to guide others: the guiding is its own task
    ("1. Sở Y tế hướng dẫn các trạm y tế xã thực hiện tiêm chủng.\n", "Sở Y tế"),
])
def test_the_units_the_issuer_guides_to_act_are_tasked(directory, body, assigned):
    d = _parse(body, directory)
    assert {u for _, u, _ in _triples(d)} == {assigned}


def test_members_under_a_shared_head_keep_names_that_read_like_verbs(directory):
    # GIVEN departments listed under one head, the first of them "Xây dựng" (also "to build")
    # and one whose name holds "và"
    d = _parse("1. Các Sở: Xây dựng, Công Thương, Giáo dục và Đào tạo theo chức năng, nhiệm vụ kiểm tra "
               "an toàn công trình.\n", directory)
    # THEN one assignment whose members are the three departments, each whole
    (a,) = d.assignments
    assert set(a.members) == {"Sở Xây dựng", "Sở Công Thương", "Sở Giáo dục và Đào tạo"}


@pytest.mark.parametrize(("body", "units"), [
    # "hàng" (as in "hằng năm") inside "Ngân hàng"; "tạo thuận lợi" ends the name
    ("1. Ngân hàng Nhà nước Khu vực 4 chỉ đạo các tổ chức tín dụng cơ cấu lại nợ.\n",
     {"Ngân hàng Nhà nước Khu vực 4"}),
    ("1. Chi cục Hải quan khu vực VIII tạo thuận lợi cho hàng hóa cứu trợ.\n", {"Chi cục Hải quan khu vực VIII"}),
    # the press: a newspaper, a magazine, a portal
    ("1. Báo Nam Định, Tạp chí Văn nghệ Nam Định, Cổng Thông tin điện tử tỉnh tăng cường tuyên truyền.\n",
     {"Báo Nam Định", "Tạp chí Văn nghệ Nam Định", "Cổng Thông tin điện tử tỉnh"}),
    # state utilities named by their trade: units too
    ("1. Điện lực Nam Định, Viễn thông Nam Định, Bưu điện tỉnh bảo đảm thông tin liên lạc.\n",
     {"Điện lực Nam Định", "Viễn thông Nam Định", "Bưu điện tỉnh"}),
    # a catch-all ends at "liên quan" when no name follows ("và tham khảo ý kiến ...")
    ("1. Sở Tư pháp phối hợp với các sở, ngành, cơ quan liên quan và tham khảo ý kiến các chuyên gia, "
     "hoàn thiện dự thảo Nghị quyết.\n", {"Sở Tư pháp", "các sở, ngành, cơ quan liên quan"}),
    # businesses run on in a catch-all of bodies
    ("1. Các cơ quan, tổ chức, đơn vị, doanh nghiệp trên địa bàn tỉnh rà soát tài sản được giao quản lý.\n",
     {"Các cơ quan, tổ chức, đơn vị, doanh nghiệp trên địa bàn tỉnh"}),
    # the mass organisations run on in the catch-all of departments
    ("1. Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh chịu trách nhiệm tổ chức triển khai thực hiện.\n",
     {"Thủ trưởng các sở, ban, ngành, đoàn thể tỉnh"}),
    # one standing committee over the Party committees of each level: one addressee
    ("1. Đề nghị Ban Thường vụ các huyện ủy, thành ủy lãnh đạo, chỉ đạo xây dựng Đề án.\n",
     {"Ban Thường vụ các huyện ủy, thành ủy"}),
    # a body's kind at a level is no catch-all: the catch-all after it is a name of its own,
    # and "tổ chức" in it a noun
    ("1. Bộ Y tế chủ trì, phối hợp với Ủy ban nhân dân cấp tỉnh, cơ quan, tổ chức có liên quan triển khai "
     "các hoạt động truyền thông.\n",
     {"Bộ Y tế", "Ủy ban nhân dân cấp tỉnh", "cơ quan, tổ chức có liên quan"}),
    # a list's names keep no separator at their ends; investors are a party (as the corpus
    # reads "Chủ đầu tư phối hợp chặt chẽ ...")
    ("1. Ủy ban nhân dân cấp xã chủ trì, phối hợp với các Sở, ban ngành, chủ đầu tư kinh doanh hạ tầng kỹ thuật "
     "các khu công nghiệp thực hiện công tác giải phóng mặt bằng.\n",
     {"Ủy ban nhân dân cấp xã", "các Sở, ban ngành", "chủ đầu tư kinh doanh hạ tầng kỹ thuật các khu công nghiệp"}),
    # officers named by their post, one after another, in the heading over their duties
    ("1. Trách nhiệm của Phó Trưởng phòng được phân công phụ trách lĩnh vực khoáng sản và Chuyên viên được "
     "giao nhiệm vụ\na) Lập biên bản vi phạm hành chính đúng trình tự, thủ tục.\n",
     {"Phó Trưởng phòng được phân công phụ trách lĩnh vực khoáng sản", "Chuyên viên được giao nhiệm vụ"}),
    # "ký" in a noun ("đăng ký", "lưu ký") is no verb ending the name
    ("1. Văn phòng Đăng ký đất đai chủ trì, phối hợp với Tổng công ty Lưu ký và Bù trừ chứng khoán Việt Nam "
     "cập nhật dữ liệu.\n",
     {"Văn phòng Đăng ký đất đai", "Tổng công ty Lưu ký và Bù trừ chứng khoán Việt Nam"}),
    # members listed after "gồm:" each written in full are units, a university among them
    ("1. Giao các cơ sở đào tạo trọng điểm gồm: Đại học Bách Khoa Hà Nội, Trường Đại học Đà Lạt, Viện Năng lượng "
     "nguyên tử Việt Nam thực hiện đào tạo.\n",
     {"Đại học Bách Khoa Hà Nội", "Trường Đại học Đà Lạt", "Viện Năng lượng nguyên tử Việt Nam"}),
    # an office holder after a shared head's members is no member
    ("1. Bộ trưởng các Bộ: Tài chính, Công Thương, Thống đốc Ngân hàng Nhà nước Việt Nam chịu trách nhiệm thi "
     "hành.\n", {"Bộ trưởng các Bộ: Tài chính, Công Thương", "Thống đốc Ngân hàng Nhà nước Việt Nam"}),
    # a prison's warden is an office: a name of its own after a catch-all
    ("1. Công an các địa phương, Giám thị trại giam, Giám thị trại tạm giam chịu trách nhiệm thi hành.\n",
     {"Công an các địa phương", "Giám thị trại giam", "Giám thị trại tạm giam"}),
])
def test_unit_names_by_their_grammar(directory, body, units):
    d = _parse(body, directory)
    assert {u for _, u, _ in _triples(d)} == units


def test_two_units_written_out_are_two_even_where_the_directory_knows_them_together(national):
    # GIVEN a province's directory that also has a joint addressee "Ủy ban MTTQ Việt Nam và
    # các tổ chức chính trị - xã hội tỉnh", and a task for the Front and the organisations,
    # each written out in full
    text = HEADER.replace("NAM ĐỊNH", "HÀ TĨNH").replace("Nam Định,", "Hà Tĩnh,") + (
        "1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức chính trị - xã hội tỉnh tuyên "
        "truyền, vận động Nhân dân.\n") + SIGNATURE
    d = parse_directive(text, national)
    # THEN each is assigned, each the province's own unit
    assert {(a.unit_text, a.unit_id is not None) for a in d.assignments} == {
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", True), ("các tổ chức chính trị - xã hội tỉnh", True)}


@pytest.mark.parametrize(("body", "expected"), [
    # the focal point named, then "chủ trì": it leads
    ("1. Sở Tài chính là cơ quan đầu mối, chủ trì tham mưu UBND tỉnh bố trí kinh phí thực hiện.\n",
     {("1", "Sở Tài chính", "lead")}),
    # a catch-all of kinds running on after a known collective: one addressee
    ("1. Các sở, ban, ngành, địa phương căn cứ chức năng, nhiệm vụ xây dựng kế hoạch cụ thể.\n",
     {("1", "Các sở, ban, ngành, địa phương", "assigned")}),
])
def test_focal_points_and_catch_alls(directory, body, expected):
    assert _triples(_parse(body, directory)) == expected


def test_the_member_organisations_are_named_not_a_verb(directory):
    # "tổ chức" after a quantifier is the organisations, not the verb "to organise"
    d = _parse("1. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh và các tổ chức thành viên của Mặt trận "
               "tham gia giám sát.\n", directory)
    assert {u for _, u, _ in _triples(d)} == {"Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh",
                                              "các tổ chức thành viên của Mặt trận"}


def test_members_under_provinces_and_cities_take_their_own_level(national):
    # GIVEN the Prime Minister tasking the committees of provinces and cities listed by name
    d = parse_directive(_PRIME_MINISTER.replace(
        "1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.",
        "1. UBND các tỉnh, thành phố: Quảng Trị, Huế, Đà Nẵng khẩn trương sơ tán dân ra khỏi khu vực nguy hiểm."),
        national)
    # THEN each member is named at its level: Huế and Đà Nẵng are cities
    (a,) = d.assignments
    assert list(a.members) == ["UBND tỉnh Quảng Trị", "UBND thành phố Huế", "UBND thành phố Đà Nẵng"]


def test_a_date_closing_a_point_times_the_units_of_its_earlier_clauses(directory):
    # GIVEN a lettered point: a lead and its partners, a second task, and the point's date at its end
    d = _parse("1. Tổ chức Lễ khánh thành\n"
               "a) Sở Xây dựng chủ trì, phối hợp với Sở Tài chính rà soát danh mục công trình; phối hợp với "
               "Đài Phát thanh và Truyền hình tỉnh xây dựng kịch bản, báo cáo UBND tỉnh trước ngày 13 tháng 12 "
               "năm 2025.\n"
               "b) Sở Y tế bảo đảm công tác y tế thường xuyên.\n", directory)
    deadlines = {(a.unit_text, a.role): a.deadline for a in d.assignments}
    # THEN every unit of point a) has that date; point b)'s standing task has none
    assert deadlines[("Sở Xây dựng", "lead")] == deadlines[("Sở Tài chính", "cooperate")] == dt.date(2025, 12, 13)
    assert deadlines[("Đài Phát thanh và Truyền hình tỉnh", "cooperate")] == dt.date(2025, 12, 13)
    assert deadlines[("Sở Y tế", "assigned")] is None


_CONVERTED = [
    # a Chỉ thị: header and closing as two-column Markdown tables, each cell's lines run together
    ((
        "| THỦ TƯỚNG CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc  ------- |\n"
        "| --- | --- |\n"
        "| Số: 13/CT-TTg | *Hà Nội, ngày 02 tháng* *5 năm 2024* |\n"
        "CHỈ THỊ\nVỀ TĂNG CƯỜNG CÔNG TÁC QUẢN LÝ TÍN CHỈ CÁC-BON\n"
        "1. Bộ Tài chính chủ trì, phối hợp với Bộ Nông nghiệp và Môi trường xây dựng cơ chế tài chính.\n"
        "| *Nơi nhận:* - Thủ tướng, các Phó Thủ tướng Chính phủ; - Các bộ, cơ quan ngang bộ; - Văn phòng "
        "Quốc hội; - Lưu: VT, NN (2). | THỦ TƯỚNG     Phạm Minh Chính |\n"
        "| --- | --- |\n"

    ),
     ("Thủ tướng Chính phủ", "13/CT-TTg", "2024-05-02", "Phạm Minh Chính"),
     {("1", "Bộ Tài chính", "lead"), ("1", "Bộ Nông nghiệp và Môi trường", "cooperate")}),
    # an OCR-to-Markdown letter: a title line of its own, the cells broken by "<br>"
    ((
        "# CÔNG VĂN SỐ 6240/BGDĐT-KHCNTT — HƯỚNG DẪN KẾT NỐI DỮ LIỆU\n\n"
        "| **BỘ GIÁO DỤC VÀ ĐÀO TẠO** <br><br> Số: 6240 /BGDĐT-KHCNTT <br> V/v hướng dẫn kết nối dữ liệu "
        "| **CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM** <br> **Độc lập - Tự do - Hạnh phúc** <br><br> "
        "*Hà Nội, ngày 15 tháng 09 năm 2026* |\n| :--- | :--- |\n\n"
        "**Kính gửi:**\n- Các cơ sở giáo dục đại học.\n\n"
        "Bộ Giáo dục và Đào tạo hướng dẫn các cơ sở đào tạo triển khai kết nối dữ liệu như sau:\n\n"
        "### 1. Tổ chức thực hiện\n\n"
        "- Đề nghị các cơ quan quản lý trực tiếp cơ sở giáo dục đại học chỉ đạo, kiểm tra, đôn đốc việc "
        "triển khai kết nối, đồng bộ dữ liệu.\n"
        "- Các cơ sở giáo dục đại học khẩn trương thực hiện, báo cáo kết quả trước ngày 30/9/2026.\n\n"
        "| **Nơi nhận:** | **KT. BỘ TRƯỞNG** <br> **THỨ TRƯỞNG** |\n| :--- | :--- |\n"
        "| - Như trên;<br>- Bộ trưởng (để b/c);<br>- Lưu: VT, KHCNTT. | *(Đã ký, đóng dấu)* <br><br><br> "
        "**Phạm Quang Hưng** |\n"

    ),
     ("Bộ Giáo dục và Đào tạo", "6240/BGDĐT-KHCNTT", "2026-09-15", "Phạm Quang Hưng"),
     {(None, "các cơ sở đào tạo", "assigned"), ("1", "các cơ quan quản lý trực tiếp cơ sở giáo dục đại học", "assigned"),
      ("1", "Các cơ sở giáo dục đại học", "assigned")}),
]


@pytest.mark.parametrize(("text", "header", "tasked"), _CONVERTED)
def test_a_converters_markdown_tables_are_the_forms_header_and_closing(national, text, header, tasked):
    # GIVEN a document as a converter writes the form WHEN parsed
    d = parse_directive(text, national)
    # THEN the header and the signer are the form's, the distribution list tasks no one and
    # the tasked bodies keep their names
    assert (d.issuer, d.number, d.date.isoformat(), d.signer.name) == header
    assert _triples(d) == tasked


def test_a_heading_listing_members_over_items_that_lead(national):
    # GIVEN ministries listed under one heading whose items all say "Chủ trì"
    d = parse_directive(_PRIME_MINISTER.replace(
        "1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.",
        "1. Các Bộ: Công Thương, Xây dựng:\n"
        "a) Chủ trì, phối hợp với các cơ quan liên quan ban hành kế hoạch giảm phát thải;\n"
        "b) Chủ trì, phối hợp với Bộ Tài chính đánh giá mức độ sẵn sàng."), national)
    # THEN the heading's ministries are tasked and lead, each ministry named
    led = [a for a in d.assignments if a.unit_text.startswith("Các Bộ")]
    assert {a.role for a in led} == {"assigned", "lead"}
    assert all(a.members == ["Bộ Công Thương", "Bộ Xây dựng"] for a in led)


@pytest.mark.parametrize(("body", "units"), [
    # a unit asking others as a step of its own task: they are not the document's assignees
    ("1. Ủy ban nhân dân các xã, phường:\n"
     "a) Phối hợp với Sở Tài chính rà soát, yêu cầu các tổ chức, doanh nghiệp cung cấp thông tin.\n",
     {("1", "Ủy ban nhân dân các xã, phường", "assigned"), ("1", "Sở Tài chính", "cooperate")}),
    # the attendees of a meeting, "đại diện lãnh đạo" among them, are no assignees
    ("1. Tham dự có các đồng chí: Giám đốc Sở Tài chính, Giám đốc Sở Xây dựng và đại diện lãnh đạo "
     "Sở Y tế.\n2. Sở Y tế rà soát các cơ sở khám bệnh.\n",
     {("2", "Sở Y tế", "assigned")}),
    # a board's members are its composition, however many are listed under "Các ủy viên"
    ("Điều 1. Kiện toàn Ban Chỉ đạo phòng, chống dịch bệnh của tỉnh, gồm các thành viên sau đây:\n"
     "1. Trưởng ban: Chủ tịch Ủy ban nhân dân tỉnh.\n2. Các ủy viên:\n- Giám đốc Sở Y tế;\n"
     "- Giám đốc Sở Tài chính;\n- Giám đốc Sở Giáo dục và Đào tạo;\n- 01 Phó Chánh Văn phòng Ủy ban nhân dân tỉnh;\n"
     "- 01 Phó Trưởng ban Ban Tuyên giáo Tỉnh ủy.\n"
     "Điều 2. Giám đốc Sở Y tế chịu trách nhiệm thi hành Quyết định này.\n",
     {("Điều 2", "Giám đốc Sở Y tế", "assigned")}),
    # what a board's powers let it ask of others is no task the document sets them
    ("Điều 3. Quyền hạn của Ban Chỉ đạo\n1. Yêu cầu các sở, ngành, địa phương cung cấp thông tin, tài liệu "
     "phục vụ nhiệm vụ của Ban Chỉ đạo.\n2. Mời lãnh đạo các cơ quan tham dự các cuộc họp.\n"
     "Điều 4. Sở Y tế tổng hợp, báo cáo kết quả thực hiện hằng quý.\n",
     {("Điều 4", "Sở Y tế", "assigned")}),
])
def test_who_is_not_tasked(directory, body, units):
    assert _triples(_parse(body, directory)) == units


def test_the_summing_up_after_the_sections_is_the_unnumbered_body(directory):
    # GIVEN a plan's last section and its summing-up paragraph, which asks the units
    d = _parse("1. Sở Y tế rà soát các cơ sở khám bệnh.\n"
               "Trên đây là Kế hoạch phòng, chống dịch bệnh. Yêu cầu các đồng chí Giám đốc, Thủ trưởng "
               "các sở, ngành triển khai thực hiện./.\n", directory)
    # THEN what it asks belongs to no section, and the office shared by "các đồng chí" is one addressee
    assert _triples(d) == {("1", "Sở Y tế", "assigned"),
                           (None, "các đồng chí Giám đốc, Thủ trưởng các sở, ngành", "assigned")}


def test_a_unit_heading_over_a_paragraph_that_leads(directory):
    # GIVEN a plan's unit heading with no colon and its paragraph opening "Chủ trì"
    # (the text wrapped at a page's width, as a text layer gives it)
    d = _parse("1. Sở Khoa học và Công nghệ\n"
               "Chủ trì, phối hợp với Sở Tài chính triển khai các nhiệm vụ về chuyển giao, ứng\n"
               "dụng công nghệ cao, đổi mới sáng tạo và chuyển đổi số trong công nghiệp; tổ chức\n"
               "các chương trình hỗ trợ doanh nghiệp ứng dụng công nghệ, đổi mới công nghệ.\n", directory)
    # THEN the department is tasked and leads; its partner cooperates
    assert _triples(d) == {("1", "Sở Khoa học và Công nghệ", "assigned"), ("1", "Sở Khoa học và Công nghệ", "lead"),
                           ("1", "Sở Tài chính", "cooperate")}


def test_the_foreign_ministry_leads_and_the_listed_ministries_and_a_catch_all_cooperate(national):
    # "Ngoại giao" ends in "giao" (assign), and the members under "các Bộ:" stop before the catch-all
    d = parse_directive(_PRIME_MINISTER.replace(
        "1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.",
        "1. Bộ Ngoại giao chủ trì, phối hợp các Bộ: Văn hóa, Thể thao và Du lịch, Công an, Tài chính và các "
        "cơ quan liên quan xúc tiến việc mở rộng diện miễn thị thực."), national)
    assert {(a.unit_text, a.role, tuple(a.members)) for a in d.assignments} == {
        ("Bộ Ngoại giao", "lead", ()),
        ("các Bộ: Văn hóa, Thể thao và Du lịch, Công an, Tài chính", "cooperate",
         ("Bộ Văn hóa, Thể thao và Du lịch", "Bộ Công an", "Bộ Tài chính")),
        ("các cơ quan liên quan", "cooperate", ())}


@pytest.mark.parametrize(("body", "expected"), [
    # items numbered "1/", "2/" (a tax department's letters): sections like any other
    ("1/ Các Chi cục Thuế rà soát lại kế hoạch thanh tra.\n2/ Sở Tài chính hướng dẫn thủ tục hoàn thuế.\n",
     {("1", "Các Chi cục Thuế", "assigned"), ("2", "Sở Tài chính", "assigned")}),
    # what a unit receives ("được hưởng ưu đãi") is no task; "được giao" is
    ("1. Các doanh nghiệp có dự án đầu tư được hưởng ưu đãi về thuế theo quy định.\n"
     "2. Sở Công Thương được giao chủ trì tổng hợp kết quả.\n",
     {("2", "Sở Công Thương", "assigned")}),
    # a task's later step asking others: they are not the document's assignees
    ("1. Phối hợp với Sở Tài chính rà soát hiện trạng phát thải; yêu cầu các tổ chức, doanh nghiệp "
     "cung cấp thông tin.\n", {("1", "Sở Tài chính", "cooperate")}),
    # "hoàn thiện" ends the name of the partner it follows
    ("1. Sở Y tế chủ trì, phối hợp với cơ quan chuyên môn thuộc Sở Tài chính hoàn thiện dự thảo Đề án.\n",
     {("1", "Sở Y tế", "lead"), ("1", "cơ quan chuyên môn thuộc Sở Tài chính", "cooperate")}),
])
def test_numbering_passives_and_a_tasks_own_steps(directory, body, expected):
    assert _triples(_parse(body, directory)) == expected


@pytest.mark.parametrize(("body", "expected"), [
    # a decision delegating a power tasks the official it names
    ("Điều 1. Ủy quyền cho Giám đốc Sở Công Thương quyết định cấp giấy phép kinh doanh.\n",
     {("Điều 1", "Giám đốc Sở Công Thương", "assigned")}),
])
def test_delegation(directory, body, expected):
    assert _triples(_parse(body, directory)) == expected


def test_whose_conclusions_a_notice_announces_is_no_assignee(national):
    # GIVEN a Government Office notice of the Prime Minister's conclusions
    text = ("VĂN PHÒNG CHÍNH PHỦ\nSố: 330/TB-VPCP\nHà Nội, ngày 18 tháng 10 năm 2022\nTHÔNG BÁO\n"
            "Kết luận của Thủ tướng Chính phủ tại cuộc họp về kết nối dữ liệu\n"
            "Sau khi nghe Báo cáo của Bộ Tài chính và ý kiến phát biểu của Phó Thủ tướng Chính phủ Lê Minh "
            "Khái. Thủ tướng Chính phủ Phạm Minh Chính có ý kiến chỉ đạo như sau:\n"
            "1. Hoan nghênh các bộ, cơ quan đã chuẩn bị tài liệu báo cáo phục vụ cuộc họp.\n"
            "2. Bộ Tài chính chủ trì xây dựng cơ sở dữ liệu.\n"
            "Nơi nhận:\n- Lưu: VT.\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Văn A\n")
    # THEN the Prime Minister, who speaks, is tasked with nothing
    assert _triples(parse_directive(text, national)) == {("2", "Bộ Tài chính", "lead")}


def test_a_party_committee_tasks_the_peoples_committee_it_is_named_after(national):
    # GIVEN a letter of the Party committee of a province's People's Committee, tasking
    # that People's Committee and the grassroots Party cells under a heading each
    text = ("ĐẢNG BỘ TỈNH LÀO CAI\nĐẢNG ỦY ỦY BAN NHÂN DÂN TỈNH\nĐẢNG CỘNG SẢN VIỆT NAM\n"
            "Lào Cai, ngày 07 tháng 9 năm 2026\nSố 2449-CV/ĐU\n"
            "về việc triển khai thực hiện Chương trình hành động số 104-CTr/TU\n"
            "Kính gửi: Ủy ban nhân dân tỉnh.\n"
            "1. Ủy ban nhân dân tỉnh, chỉ đạo các cơ quan, đơn vị có liên quan:\n"
            "- Nghiên cứu, cụ thể hóa các mục tiêu, nhiệm vụ, giải pháp.\n"
            "2. Các chi bộ, đảng bộ cơ sở\n"
            "Quán triệt Chương trình hành động đến toàn thể cán bộ, đảng viên.\n"
            "Nơi nhận:\n- Lưu Văn phòng Đảng ủy.\nT/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ\nNguyễn Hữu Long\n")
    # THEN the People's Committee (not the issuer, whose name it ends) and the Party cells are tasked
    assert _triples(parse_directive(text, national)) == {
        ("1", "Ủy ban nhân dân tỉnh", "assigned"), ("2", "Các chi bộ, đảng bộ cơ sở", "assigned")}


@pytest.mark.parametrize(("body", "expected"), [
    # a department's own offices in its decision's execution clause
    ("Điều 4. Chánh Văn phòng Sở, Trưởng phòng Quản lý công nghiệp và các cá nhân có liên quan chịu trách "
     "nhiệm thi hành Quyết định này./.\n",
     {("Điều 4", "Chánh Văn phòng Sở", "assigned"), ("Điều 4", "Trưởng phòng Quản lý công nghiệp", "assigned"),
      ("Điều 4", "các cá nhân có liên quan", "assigned")}),
    # "Giao nhiệm vụ cho X": X is tasked
    ("Điều 1. Giao nhiệm vụ cho Trưởng phòng Quản lý công nghiệp lập biên bản vi phạm hành chính.\n",
     {("Điều 1", "Trưởng phòng Quản lý công nghiệp", "assigned")}),
])
def test_offices_within_a_department(directory, body, expected):
    assert _triples(_parse(body, directory)) == expected


def test_a_page_number_between_a_unit_heading_and_its_items(directory):
    # GIVEN a text layer's page number left between a unit's heading and its "Chủ trì" item
    d = _parse("3. Sở Nông nghiệp và Môi trường\n3\n"
               "- Chủ trì, phối hợp với các cơ quan liên quan tăng cường công tác kiểm tra hoạt\n"
               "động khoáng sản, kịp thời phát hiện các hành vi vi phạm về khai thác khoáng sản.\n"
               "- Thường xuyên kiểm tra, quản lý chặt chẽ hoạt động nạo vét các lòng sông, suối,\n"
               "hồ thủy điện kết hợp thu hồi khoáng sản theo đúng quy định của pháp luật.\n", directory)
    # THEN the department still leads its item and is tasked with the other
    assert _triples(d) == {("3", "Sở Nông nghiệp và Môi trường", "lead"), ("3", "các cơ quan liên quan", "cooperate"),
                           ("3", "Sở Nông nghiệp và Môi trường", "assigned")}


def test_a_companys_two_offices_share_the_groups_they_head(national):
    d = parse_directive(_PRIME_MINISTER.replace(
        "1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.",
        "1. Chủ tịch Ủy ban nhân dân các tỉnh, Chủ tịch Hội đồng thành viên, Tổng giám đốc các Tập đoàn, "
        "Tổng Công ty tiếp tục nâng cao tinh thần trách nhiệm."), national)
    assert {u for _, u, _ in _triples(d)} == {
        "Chủ tịch Ủy ban nhân dân các tỉnh", "Chủ tịch Hội đồng thành viên, Tổng giám đốc các Tập đoàn, Tổng Công ty"}


def test_bodies_listed_under_a_heading_are_who_its_items_task(directory):
    # GIVEN a section that lists the bodies it tasks on "-" items of their own, then the tasks
    d = _parse("2. Giao các sở quản lý chuyên ngành theo lĩnh vực gồm:\n"
               "- Sở Công Thương (đối với hạ tầng cụm công nghiệp);\n"
               "- Sở Xây dựng (đối với hạ tầng đô thị).\n"
               "Có trách nhiệm:\n"
               "a) Chủ trì, phối hợp với các cơ quan, đơn vị rà soát, thống kê tài sản.\n"
               "b) Hướng dẫn các cơ quan, đơn vị được giao quản lý tài sản.\n", directory)
    # THEN each listed body leads the first task and is tasked with the second
    assert {(u, r) for _, u, r in _triples(d)} >= {
        ("Sở Công Thương", "lead"), ("Sở Công Thương", "assigned"), ("Sở Xây dựng", "lead"), ("Sở Xây dựng", "assigned")}


def test_the_ministers_are_not_cut_to_the_ministries(national):
    # "các Bộ trưởng," is an office: the directory's "các Bộ" does not end the name there
    d = parse_directive(_PRIME_MINISTER.replace(
        "1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.",
        "Điều 3. Bộ trưởng Bộ Công an, các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan có liên quan chịu "
        "trách nhiệm thi hành Nghị quyết này./."), national)
    assert {u for _, u, _ in _triples(d)} == {
        "Bộ trưởng Bộ Công an", "các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, cơ quan có liên quan"}


def test_a_heading_naming_whose_duties_follow_tasks_that_unit(directory):
    # GIVEN a regulation's article headed by whose duties its items are
    d = _parse("Điều 5. Trách nhiệm của Sở Tài chính\n"
               "1. Hướng dẫn các cơ quan, đơn vị lập dự toán kinh phí hằng năm.\n"
               "2. Tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 15 tháng 12 năm 2025.\n"
               "Điều 6. Nhiệm vụ chung của các huyện, thành phố\n"
               "Bố trí kinh phí thực hiện theo phân cấp ngân sách, bảo đảm đủ nguồn lực cho các nhiệm\n"
               "vụ được giao trong năm.\n", directory)
    # THEN the unit the heading names is tasked in its article, by the date its items give
    found = {(a.section, a.unit_text, a.role): a for a in d.assignments}
    assert set(found) == {("Điều 5", "Sở Tài chính", "assigned"), ("Điều 6", "các huyện, thành phố", "assigned")}
    assert found[("Điều 5", "Sở Tài chính", "assigned")].deadline == dt.date(2025, 12, 15)


def test_a_partner_after_a_condition_cooperates(directory):
    # GIVEN a task whose partner follows a condition ("Trường hợp ..., phối hợp với Y ...")
    d = _parse("3. Sở Xây dựng\n"
               "- Chủ trì rà soát các phương tiện khai thác cát, sỏi lòng sông; trường hợp cố tình vi phạm,\n"
               "phối hợp với Công an tỉnh xử lý nghiêm theo quy định pháp luật.\n"
               "- Khi phát hiện vi phạm, phối hợp với Sở Tư pháp hướng dẫn xử lý.\n", directory)
    assert {("3", "Công an tỉnh", "cooperate"), ("3", "Sở Tư pháp", "cooperate")} <= _triples(d)


def test_bodies_named_after_phoi_hop_giua_cooperate_each_in_full(directory):
    # GIVEN coordination among bodies written out in full after a generic head
    d = _parse("1. Trách nhiệm chung của các cơ quan, đơn vị\n"
               "- Tăng cường phối hợp giữa các cơ quan: Sở Nông nghiệp và Môi trường, Sở Công Thương,\n"
               "Công an tỉnh và chính quyền địa phương trong công tác thanh tra, kiểm tra khoáng sản.\n"
               "- Bảo đảm sự phối hợp chặt chẽ giữa Sở Y tế và Sở Tài chính trong quá trình thực hiện.\n", directory)
    cooperating = {u for _, u, r in _triples(d) if r == "cooperate"}
    # THEN each body is a cooperating unit under its own name; a principle ("sự phối hợp") names none
    assert cooperating == {"Sở Nông nghiệp và Môi trường", "Sở Công Thương", "Công an tỉnh", "chính quyền địa phương"}



def test_the_task_after_a_proposal_that_announces_it_is_read(national):
    # GIVEN a VPCP letter whose only task follows "Xét đề nghị ..., Phó Thủ tướng ... có ý kiến như sau:"
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nCỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
        "Số: 3722/VPCP-CN\nV/v cơ chế đặc thù xây dựng công trình khẩn cấp\n\nHà Nội, ngày 28 tháng 4 năm 2026\n\n"
        "Kính gửi:\n- Các Bộ: Công an, Tư pháp;\n- Ủy ban nhân dân tỉnh Đồng Nai.\n\n"
        "Xét đề nghị của Ủy ban nhân dân tỉnh Đồng Nai tại văn bản số 92/TTr-UBND ngày 21 tháng 4 năm 2026 "
        "về việc áp dụng cơ chế đặc thù, Phó Thủ tướng Chính phủ có ý kiến như sau:\n\n"
        "Giao các Bộ: Công an, Tư pháp có ý kiến đối với đề xuất của Ủy ban nhân dân tỉnh Đồng Nai trước "
        "ngày 10 tháng 5 năm 2026 để báo cáo Thủ tướng Chính phủ.\n\n"
        "Văn phòng Chính phủ thông báo để các Bộ, cơ quan biết, thực hiện./.\n\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT, CN.\n\nKT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\n\nPhạm Mạnh Cường\n"
    )
    d = parse_directive(text, national)
    [a] = d.assignments
    assert (a.unit_text, a.role, a.members, a.deadline) == (
        "các Bộ: Công an, Tư pháp", "assigned", ["Bộ Công an", "Bộ Tư pháp"], dt.date(2026, 5, 10))


def test_a_plan_is_not_a_ward(national):
    # "Phương án" (a plan) folds onto "phường An" (a ward the national directory knows)
    # without its diacritics: it is no unit
    d = parse_directive(_PRIME_MINISTER.replace(
        "1. Thủ tướng Chính phủ đề nghị các đồng chí {listed} thực hiện nghiêm các nhiệm vụ.",
        "4. Ủy ban nhân dân các tỉnh, thành phố\n"
        "a) Xây dựng phương án sắp xếp thôn, tổ dân phố, hoàn thành trước ngày 10 tháng 6 năm 2026.\n"
        "Phương án bố trí, sử dụng phải gắn với yêu cầu nâng cao chất lượng đội ngũ cán bộ cấp xã."), national)
    assert {u for _, u, _ in _triples(d)} == {"Ủy ban nhân dân các tỉnh, thành phố"}


_TABLE_HEADER = """TT
Tên nhiệm vụ
Cơ quan
chủ trì
Cơ quan
phối hợp
Kết quả
Thời gian
hoàn thành
"""
_GAZETTE = f"""CÔNG BÁO/Số 238/Ngày 21-04-2026
93

CHÍNH PHỦ
______________

Số: 97/NQ-CP
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Hà Nội, ngày 06 tháng 4 năm 2026

NGHỊ QUYẾT
Ban hành bổ sung nhiệm vụ vào Chương trình hành động của Chính phủ

CHÍNH PHỦ
QUYẾT NGHỊ:
Điều 1. Bổ sung các nhiệm vụ tại Phụ lục kèm theo Nghị quyết này vào Chương
trình hành động của Chính phủ.
Điều 2. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành
Nghị quyết này./.

TM. CHÍNH PHỦ
THỦ TƯỚNG

Phạm Minh Chính
Ký bởi: CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Cơ quan: VĂN PHÒNG CHÍNH PHỦ
Ngày ký: 2026-04-21 08:05:48 +07:00

CÔNG BÁO/Số 238/Ngày 21-04-2026
94

Phụ lục
DANH MỤC CÁC NHIỆM VỤ BỔ SUNG
{_TABLE_HEADER}1
Thực hiện nghiêm quy định các bộ, cơ
quan ngang bộ cơ cấu ít nhất một lãnh
đạo có chuyên môn pháp luật
Các bộ,          
cơ quan ngang bộ
Bộ Nội vụ
Báo cáo
hằng năm
2026 và
hằng năm
2
Thể chế hóa đầy đủ các chủ trương về an
toàn thực phẩm theo Nghị quyết số 72-NQ/TW của
Bộ Chính trị
Bộ Y tế  Bộ Tư pháp
Báo cáo chuyên đề về cơ chế, chính
sách
Tháng
4/2026

CÔNG BÁO/Số 238/Ngày 21-04-2026
95

{_TABLE_HEADER}4
Tổ chức tập huấn về xây dựng văn bản
quy phạm pháp luật
Bộ Văn hóa,
Thể thao và Du lịch
Các bộ, ngành
Các lớp tập huấn
Quý IV/2026
5. Rà soát, hệ thống hóa văn bản quy phạm
pháp luật về bảo hiểm y tế
Bộ Y tế
Bộ Tư pháp
Báo cáo rà soát
Quý IV/2026
6. Hoàn thiện cơ sở dữ liệu quốc gia về pháp luật
Bộ Tư pháp
Bộ Công an
Cơ sở dữ liệu
Năm 2027
7
Tập huấn nghiệp vụ giám định bảo hiểm
y tế cho cán bộ cấp xã
Bộ Y tế
Ủy ban nhân dân
cấp tỉnh
Các lớp tập huấn
Năm 2027
"""


def test_a_gazette_copy_its_furniture_its_signature_and_its_task_table(national):
    # GIVEN a resolution as the Official Gazette's text layer gives it: a running header and
    # page number on each page, the gazette's signature overlay, no "Nơi nhận", and an
    # appendix table printed one cell per line, each cell wrapped in its column, its header
    # printed again on the next page, where the numbers skip one, and a row whose number
    # shares its line with the first line of its task ("5. Rà soát ...")
    d = parse_directive(_GAZETTE, national)
    # THEN the header and the signer are the resolution's, and each row's bodies are read
    # in their columns, a body's name broken over lines read whole
    assert (d.number, d.date.isoformat(), d.signer.name) == ("97/NQ-CP", "2026-04-06", "Phạm Minh Chính")
    table = {(a.section, a.unit_text, a.role) for a in d.assignments if a.section in {"1", "2", "4", "5", "6", "7"}}
    assert table == {
        ("1", "Các bộ, cơ quan ngang bộ", "lead"), ("1", "Bộ Nội vụ", "cooperate"),
        ("2", "Bộ Y tế", "lead"), ("2", "Bộ Tư pháp", "cooperate"),
        ("4", "Bộ Văn hóa, Thể thao và Du lịch", "lead"), ("4", "Các bộ, ngành", "cooperate"),
        ("5", "Bộ Y tế", "lead"), ("5", "Bộ Tư pháp", "cooperate"),
        ("6", "Bộ Tư pháp", "lead"), ("6", "Bộ Công an", "cooperate"),
        ("7", "Bộ Y tế", "lead"), ("7", "Ủy ban nhân dân cấp tỉnh", "cooperate"),
    }
    assert not any("CÔNG BÁO" in w or "VĂN PHÒNG CHÍNH PHỦ" in w for w in d.warnings)


_DECISION_WITH_PLAN = """BỘ XÂY DỰNG
-------
Số: 836/QĐ-BXD | Hà Nội, ngày 14 tháng 10 năm 2019
QUYẾT ĐỊNH
Phê duyệt Kế hoạch lập quy hoạch khoáng sản làm vật liệu xây dựng
BỘ TRƯỞNG BỘ XÂY DỰNG
Căn cứ Luật Quy hoạch số 21/2017/QH14 ngày 24 tháng 11 năm 2017;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch lập quy hoạch khoáng sản làm vật liệu
xây dựng thời kỳ 2021-2030.
Điều 2. Chánh Văn phòng Bộ, Thủ trưởng các cơ quan, đơn vị có liên quan và các thành viên quy định tại
Điều 1 chịu trách nhiệm thi hành Quyết định này./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT, VLXD. | BỘ TRƯỞNG

Phạm Hồng Hà

KẾ HOẠCH
LẬP QUY HOẠCH KHOÁNG SẢN LÀM VẬT LIỆU XÂY DỰNG THỜI KỲ 2021-2030
(Ban hành kèm theo Quyết định số 836/QĐ-BXD ngày 14 tháng 10 năm 2019 của Bộ trưởng Bộ Xây
dựng)
I. MỤC ĐÍCH YÊU CẦU
Cụ thể hóa tiến độ, các bước triển khai thực hiện công tác lập quy hoạch.
II. TỔ CHỨC THỰC HIỆN
1. Ban Quản lý quy hoạch có trách nhiệm tổ chức lập quy hoạch, bảo đảm chất lượng và tiến độ.
2. Cục Kinh tế xây dựng phối hợp với Vụ Pháp chế thẩm định dự toán lập quy hoạch.
NỘI DUNG CHI TIẾT
Thời gian | Nội dung công việc | Cơ quan chịu trách nhiệm quản lý nhà nước | Thực hiện
 |  |  | Đơn vị chủ trì | Đơn vị phối hợp
I | GIAI ĐOẠN 1: LẬP NHIỆM VỤ
1 | Lập nhiệm vụ quy hoạch
10-11/2019 | Xây dựng khung định hướng quy hoạch | Cơ quan tổ chức lập quy hoạch | Ban Quản lý quy hoạch | - Vụ Pháp chế; - Văn phòng Bộ.
 | Lấy ý kiến các Bộ, ngành về nhiệm vụ | Cơ quan tổ chức lập quy hoạch | Vụ Kế hoạch - Tài chính | - Văn phòng Bộ.
2 | Thẩm định nhiệm vụ
12/2019 | Trình Hội đồng thẩm định nhiệm vụ | Cơ quan lập quy hoạch | Ban Quản lý quy hoạch | - Vụ Pháp chế.
II | GIAI ĐOẠN 2: LẬP QUY HOẠCH
02-03/2020 | Lựa chọn tư vấn lập quy hoạch | Cơ quan lập quy hoạch | Vụ Kế hoạch - Tài chính | - Vụ Pháp chế.
"""


def test_a_plan_issued_with_a_decision_after_its_signature_is_read(national):
    # GIVEN a decision that issues a plan printed after its signature, the decision's last
    # article citing "Điều 1" at the start of a line, and the plan's task table as a
    # converter prints it: cells between " | " with no outer bars, a header in two rows (a
    # column of the body that oversees each step, then "Thực hiện" over the lead and the
    # partners), and rows grouped by phase ("I") and step ("1")
    d = parse_directive(_DECISION_WITH_PLAN, national)
    found = _triples(d)
    # THEN the decision's article tasks its three units, the line citing "Điều 1" is no article
    assert {("Điều 2", "Chánh Văn phòng Bộ", "assigned"),
            ("Điều 2", "các thành viên quy định tại Điều 1", "assigned")} <= found
    assert [s.path for s in d.sections[:2]] == ["Điều 1", "Điều 2"]
    # AND the plan's clauses task its units, in the plan's own sections
    assert {("II.1", "Ban Quản lý quy hoạch", "assigned"), ("II.2", "Cục Kinh tế xây dựng", "assigned"),
            ("II.2", "Vụ Pháp chế", "cooperate")} <= found
    # AND each row of the table gives its lead and partners under its phase and step, not
    # the body that oversees the step
    table = {t for t in found if t[0] and t[0].count(".") >= 2}
    assert table == {
        ("II.2.I.1", "Ban Quản lý quy hoạch", "lead"), ("II.2.I.1", "Vụ Pháp chế", "cooperate"),
        ("II.2.I.1", "Văn phòng Bộ", "cooperate"), ("II.2.I.1", "Vụ Kế hoạch - Tài chính", "lead"),
        ("II.2.I.2", "Ban Quản lý quy hoạch", "lead"), ("II.2.I.2", "Vụ Pháp chế", "cooperate"),
        ("II.2.II", "Vụ Kế hoạch - Tài chính", "lead"), ("II.2.II", "Vụ Pháp chế", "cooperate"),
    }
    assert not any("tổ chức lập quy hoạch" in unit or "lập quy hoạch" == unit for _, unit, _ in found)


_ANNEX_CELL_PER_LINE = """BỘ NÔNG NGHIỆP VÀ MÔI TRƯỜNG
Số: 2200/QĐ-BNNMT
Hà Nội, ngày 10 tháng 6 năm 2026
QUYẾT ĐỊNH
Ban hành Kế hoạch triển khai thực hiện Nghị định số 180/2026/NĐ-CP
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch triển khai thực hiện Nghị định số 180/2026/NĐ-CP.
Điều 2. Quyết định này có hiệu lực thi hành kể từ ngày ký.
Nơi nhận:
- Lưu: VT, LNKL.
KT. BỘ TRƯỞNG
THỨ TRƯỞNG
Nguyễn Quốc Trị
PHỤ LỤC
KẾ HOẠCH TRIỂN KHAI NGHỊ ĐỊNH SỐ 180/2026/NĐ-CP
(Kèm theo Quyết định số: 2200/QĐ-BNNMT ngày 10 tháng 6 năm 2026 của Bộ Nông nghiệp và Môi trường)
| TT | Nội dung hoạt động | Cơ quan chủ trì | Cơ quan phối hợp |
| --- | --- | --- | --- |
Thời gian thực hiện
1
Tổ chức tuyên truyền, phổ biến, hướng dẫn triển khai thực hiện Nghị định
a)
Tổ chức Hội nghị phổ biến, triển khai nội dung của Nghị định đến các cơ quan, tổ chức về lâm nghiệp ở trung ương, địa phương.
Cục Lâm nghiệp và Kiểm lâm
Vụ Pháp chế; các cơ quan, đơn vị có liên quan
Quý III, IV/2026
b)
Xây dựng kế hoạch thực hiện đóng góp do quốc gia tự quyết định lĩnh vực lâm nghiệp cho các địa phương
Viện Khoa học lâm nghiệp Việt Nam
Cục Biến đổi khí hậu; UBND cấp tỉnh
Quý IV/2026, 2027
2
Huy động nguồn lực, thúc đẩy hợp tác quốc tế về dịch vụ hấp thụ và lưu giữ các-bon của rừng.
Sở Nông nghiệp và Môi trường các tỉnh
Vụ Hợp tác quốc tế
Thường xuyên
"""


def test_an_annex_table_under_a_header_row_with_one_cell_per_line_and_lettered_rows(national):
    # GIVEN an annex whose header a converter kept as a row ("| TT | Nội dung | Cơ quan chủ
    # trì | Cơ quan phối hợp |", the last header cell on a line of its own) and whose rows it
    # printed one cell per line, a row's tasks lettered "a)", "b)" under its heading
    d = parse_directive(_ANNEX_CELL_PER_LINE, national)
    # THEN each lettered task gives its lead and partners, under its row, as its point
    table = {(a.section, a.unit_text, a.role) for a in d.assignments}
    assert table == {
        ("1", "Cục Lâm nghiệp và Kiểm lâm", "lead"), ("1", "Vụ Pháp chế", "cooperate"),
        ("1", "các cơ quan, đơn vị có liên quan", "cooperate"),
        ("1", "Viện Khoa học lâm nghiệp Việt Nam", "lead"), ("1", "Cục Biến đổi khí hậu", "cooperate"),
        ("1", "UBND cấp tỉnh", "cooperate"),
        ("2", "Sở Nông nghiệp và Môi trường các tỉnh", "lead"), ("2", "Vụ Hợp tác quốc tế", "cooperate"),
    }
    points = {a.unit_text: sorted({e.point for e in a.evidence}) for a in d.assignments if a.section == "1"}
    assert points["Viện Khoa học lâm nghiệp Việt Nam"] == ["b"] and points["Vụ Pháp chế"] == ["a"]


_PLAN_TABLE_HEADER = """STT
Tên nhiệm vụ cụ thể
Cơ quan
chủ trì
Cơ quan
phối hợp
Thời gian hoàn
thành
"""
_GROUPED_PLAN = f"""THỦ TƯỚNG CHÍNH PHỦ
Số: 844/QĐ-TTg
Hà Nội, ngày 12 tháng 5 năm 2026
QUYẾT ĐỊNH
Ban hành Kế hoạch hành động thực hiện Nghị quyết về bảo hiểm y tế
THỦ TƯỚNG CHÍNH PHỦ
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch hành động thực hiện Nghị quyết về bảo hiểm y tế.
Điều 2. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành Quyết định này./.
THỦ TƯỚNG
Phạm Minh Chính
Phụ lục
NHIỆM VỤ CỤ THỂ
{_PLAN_TABLE_HEADER}V. Đa dạng hoá nguồn lực và phát triển bền vững quỹ bảo hiểm y tế để từng bước mở rộng phạm vi
quyền lợi, giảm gánh nặng tài chính cho người tham gia bảo hiểm y tế
21.
Giao chỉ tiêu phát triển đối tượng tham gia
bảo hiểm y tế đến năm 2030.
Bộ Y tế
Bộ Tài chính
Quý II/2026
22.
Từ năm 2026, từng bước thực hiện tăng tỉ lệ,
mức thanh toán, chi cho phòng bệnh, chẩn
Bộ Nội vụ
Bộ Tư pháp
Quý III/2026

CÔNG BÁO/Số 286/Ngày 27-05-2026
101

{_PLAN_TABLE_HEADER}đoán, điều trị sớm một số bệnh và đối tượng
ưu tiên.
VI. Đẩy mạnh ứng dụng công nghệ thông tin, chuyển đổi số, cải cách hành chính trong lĩnh vực bảo hiểm y tế
23.
Hoàn thiện cơ sở hạ tầng, đẩy mạnh cải cách
hành chính.
Bộ Công an
Văn phòng Chính phủ
Thường xuyên
"""


def test_a_gazette_table_with_groups_of_rows_and_a_page_break_inside_a_row(national):
    # GIVEN an annex table printed one cell per line, its rows in groups headed across the
    # table's width ("V. Đa dạng hoá ..."), and a page break inside a row: the running
    # header and the table's header printed again before the rest of the row's task
    d = parse_directive(_GROUPED_PLAN, national)
    # THEN every row gives its lead and partner, the group headings and the repeated
    # header are no row's cells
    table = {(a.section, a.unit_text, a.role) for a in d.assignments if a.section in {"21", "22", "23"}}
    assert table == {
        ("21", "Bộ Y tế", "lead"), ("21", "Bộ Tài chính", "cooperate"),
        ("22", "Bộ Nội vụ", "lead"), ("22", "Bộ Tư pháp", "cooperate"),
        ("23", "Bộ Công an", "lead"), ("23", "Văn phòng Chính phủ", "cooperate"),
    }


@pytest.mark.parametrize("entry", [
    "| Kính gửi: | - Bộ Nông nghiệp và Môi trường; - Ủy ban nhân dân tỉnh Quảng Ngãi. |\n| --- | --- |\n",
    "Kính gửi: | - Bộ Nông nghiệp và Môi trường; - Ủy ban nhân dân tỉnh Quảng Ngãi.\n",
])
def test_the_addressees_in_a_converters_cell_beside_their_label(national, entry):
    # GIVEN a letter whose "Kính gửi" a converter printed as a label's cell beside the
    # addressees' (a Markdown row, or cells between " | ")
    text = ("| VĂN PHÒNG CHÍNH PHỦ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc |\n"
            "| --- | --- |\n| Số: 3479/VPCP-NN | *Hà Nội, ngày 26 tháng 5 năm 2021* |\n" + entry +
            "Văn phòng Chính phủ đề nghị các cơ quan, đơn vị nghiên cứu, báo cáo Thủ tướng Chính phủ trước ngày "
            "30 tháng 6 năm 2021.\n")
    d = parse_directive(text, national)
    # THEN the addressees are the letter's recipients, each asked to act
    assert d.recipients == ["Bộ Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh Quảng Ngãi"]
    assert {a.unit_text for a in d.assignments} == {"Bộ Nông nghiệp và Môi trường", "Ủy ban nhân dân tỉnh Quảng Ngãi"}


def test_plan_fields_as_lettered_items(directory):
    # GIVEN a plan's tasks whose fields are lettered items, two of them run together on a
    # line as a scan's OCR gives them
    body = (
        "3. Rà soát lại các văn bản của tỉnh để điều chỉnh, thay thế cho phù hợp.\n"
        "a) Cơ quan chủ trì: Sở Nội vụ; b) Cơ quan phối hợp: Sở Tư pháp, Sở Tài chính.\n"
        "c) Thời gian thực hiện: Hoàn thành trong quý IV năm 2025.\n"
        "4. Kiểm tra việc thực hiện quy chế dân chủ ở cơ sở.\n"
        "a) Cơ quan chủ trì: Thanh tra tỉnh;\n"
        "b) Cơ quan phối hợp: Sở Nội vụ.\n"
        "5. Tổ chức hội nghị đối thoại với Nhân dân.\n"
        "a) Cơ quan chủ trì: Sở Y tế b) Cơ quan phối hợp: Sở Tài chính c) Thời gian thực hiện: Năm 2025\n"
    )
    # THEN each field gives its units their role, the field's name none
    assert _triples(_parse(body, directory)) == {
        ("3", "Sở Nội vụ", "lead"), ("3", "Sở Tư pháp", "cooperate"), ("3", "Sở Tài chính", "cooperate"),
        ("4", "Thanh tra tỉnh", "lead"), ("4", "Sở Nội vụ", "cooperate"),
        ("5", "Sở Y tế", "lead"), ("5", "Sở Tài chính", "cooperate"),
    }


def test_numbered_rows_under_a_tables_group_rows_take_the_group(national):
    # GIVEN a task table whose rows are numbered anew under each group row ("| II | Nhóm ... |")
    body = (
        "| TT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian |\n| --- | --- | --- | --- | --- |\n"
        "| I | Nhóm nhiệm vụ về thể chế |  |  |  |\n"
        "| 1 | Xây dựng Nghị định về sàn giao dịch | Bộ Tài chính | Bộ Công Thương | 2025 |\n"
        "| II | Nhóm nhiệm vụ về tổ chức thực hiện |  |  |  |\n"
        "| 1 | Tổ chức tập huấn cho doanh nghiệp | Bộ Tài chính | Bộ Y tế | 2026 |\n"
    )
    d = parse_directive(HEADER + "1. Thực hiện các nhiệm vụ tại Phụ lục.\n" + SIGNATURE
                        + "PHỤ LỤC\nDANH MỤC NHIỆM VỤ\n" + body, national)
    # THEN each row is its group's ("I.1", "II.1"), so the lead of both is told twice
    assert _triples(d) == {("I.1", "Bộ Tài chính", "lead"), ("I.1", "Bộ Công Thương", "cooperate"),
                           ("II.1", "Bộ Tài chính", "lead"), ("II.1", "Bộ Y tế", "cooperate")}


def test_party_cells_councils_and_office_holders_are_units(directory):
    # GIVEN a Party plan's tasks: Party cells at standing committees ("Tổ đảng ở Thường
    # trực ..."), councils named by their own name ("Hội đồng Dân tộc"), office holders
    # after a body's members ("Tổ trưởng", "Chủ nhiệm"), deputies, and a lead-in of time
    body = (
        "1. Các thành viên Đảng đoàn, Tổ trưởng Tổ đảng ở Thường trực Hội đồng Dân tộc, Chủ nhiệm Văn phòng "
        "Quốc hội có trách nhiệm lãnh đạo triển khai Kế hoạch.\n"
        "2. Hội đồng Dân tộc, các Đoàn đại biểu Quốc hội, các đại biểu Quốc hội có trách nhiệm phối hợp thực hiện.\n"
        "3. Định kỳ, Tổ đảng ở Thường trực Ủy ban Kinh tế chủ trì, phối hợp với Hội đồng Dân tộc, Văn phòng Quốc hội "
        "tổng hợp kết quả.\n"
    )
    # WHEN parsed THEN each is a unit of its own, in its role
    assert _triples(_parse(body, directory)) == {
        ("1", "Các thành viên Đảng đoàn", "assigned"), ("1", "Tổ trưởng Tổ đảng ở Thường trực Hội đồng Dân tộc", "assigned"),
        ("1", "Chủ nhiệm Văn phòng Quốc hội", "assigned"),
        ("2", "Hội đồng Dân tộc", "assigned"), ("2", "các Đoàn đại biểu Quốc hội", "assigned"),
        ("2", "các đại biểu Quốc hội", "assigned"),
        ("3", "Tổ đảng ở Thường trực Ủy ban Kinh tế", "lead"), ("3", "Hội đồng Dân tộc", "cooperate"),
        ("3", "Văn phòng Quốc hội", "cooperate"),
    }


def test_a_markdown_list_under_a_units_heading_tasks_that_unit(directory):
    # GIVEN a unit's lettered heading in bold and its tasks as a Markdown list ("*   ...")
    body = (
        "2. Các đơn vị thực hiện các nhiệm vụ sau:\n\n**a) Sở Khoa học và Công nghệ**\n\n"
        "*   Là cơ quan đầu mối, tham mưu tổng hợp kết quả thực hiện.\n"
        "*   Chủ trì thẩm định các dự án chuyển đổi số.\n\n**b) Sở Tài chính**\n\n"
        "*   Bố trí kinh phí thực hiện.\n"
    )
    # WHEN parsed THEN each heading's unit has its tasks; the first item is no part of its name
    got = _triples(_parse(body, directory))
    assert {("2", "Sở Khoa học và Công nghệ", "lead"), ("2", "Sở Tài chính", "assigned")} <= got
    assert all("đầu mối" not in unit for _, unit, _ in got)


def test_a_collective_written_with_a_dash_is_one_unit(national):
    # GIVEN Hồ Chí Minh City's way of writing the departments and districts ("Sở - ngành",
    # "quận - huyện")
    body = "1. Các Sở - ngành thành phố quán triệt, triển khai thực hiện.\n2. Ủy ban nhân dân các quận - huyện tổ chức thực hiện.\n"
    # WHEN parsed with the national directory, which knows "các Sở" as a collective name,
    # THEN each collective is one unit, whole
    assert _triples(parse_directive(HEADER + body + SIGNATURE, national)) == {
        ("1", "Các Sở - ngành thành phố", "assigned"), ("2", "Ủy ban nhân dân các quận - huyện", "assigned"),
    }


def test_investors_and_bodies_before_verbs_of_granting_and_paying(directory):
    # GIVEN investors as a party, an aside between commas after a subject, and predicates
    # that open with "cấp giấy" (a level word before what is granted), "giải ngân", "bàn giao"
    body = (
        "1. Chủ đầu tư, trong phạm vi, trách nhiệm của mình, đẩy nhanh tiến độ thi công.\n"
        "2. Ban Quản lý Khu kinh tế tỉnh cấp giấy chứng nhận đầu tư cho dự án.\n"
        "3. Ngân hàng Chính sách xã hội chi nhánh tỉnh giải ngân vốn vay.\n"
        "4. Trung tâm Phát triển quỹ đất tỉnh bàn giao mặt bằng cho chủ đầu tư.\n"
    )
    # WHEN parsed THEN each subject is read whole and ends where its predicate begins
    assert _triples(_parse(body, directory)) == {
        ("1", "Chủ đầu tư", "assigned"), ("2", "Ban Quản lý Khu kinh tế tỉnh", "assigned"),
        ("3", "Ngân hàng Chính sách xã hội chi nhánh tỉnh", "assigned"),
        ("4", "Trung tâm Phát triển quỹ đất tỉnh", "assigned"),
    }


def test_an_earlier_documents_task_retold_in_the_preamble_is_no_task():
    # GIVEN a preamble retelling what an earlier notice assigned ("... đã giao “X ...”")
    body = (
        "Tại Thông báo số 384/TB-VPCP ngày 25/7/2025, Thủ tướng Chính phủ đã giao “Thanh tra Chính phủ, "
        "Bộ Quốc phòng xây dựng kế hoạch thanh tra”. Theo báo cáo của Bộ Tài chính (Cơ quan thường trực\n"
        "Ban chỉ đạo 751), tính đến hết ngày 17/11/2025, Hệ thống 751 chỉ ghi nhận kết quả của 25 địa phương.\n"
        "1. Sở Tài chính tổng hợp kết quả, báo cáo trước ngày 30/11/2025.\n"
    )
    # THEN only this plan's own task is read; the retold one and the report's parenthesis are not
    assert _triples(_parse(body, UnitDirectory.national())) == {("1", "Sở Tài chính", "assigned")}


def test_the_subject_of_a_sentence_leads_its_next_clause(directory):
    # GIVEN "X có trách nhiệm A; chủ trì, phối hợp với Y B" in one point
    d = _parse(
        "3. Sở Tư pháp có trách nhiệm kiểm tra, đôn đốc các cơ quan; chủ trì, phối hợp với Văn phòng UBND tỉnh "
        "nghiên cứu, đề xuất tiêu chí đánh giá.\n",
        directory,
    )
    # THEN X is tasked with A and leads B, with Y cooperating
    assert _triples(d) == {("3", "Sở Tư pháp", "assigned"), ("3", "Sở Tư pháp", "lead"),
                           ("3", "Văn phòng UBND tỉnh", "cooperate")}


def test_a_lead_in_list_of_proposers_is_not_the_subject(directory):
    # GIVEN "Trên cơ sở đề nghị của các Sở, cơ quan liên quan, Sở Tài chính ..."
    d = _parse("2. Trên cơ sở đề nghị của các Sở, cơ quan liên quan, Sở Tài chính khẩn trương bố trí kinh phí.\n",
               directory)
    # THEN the proposers are not tasked, the subject after them is
    assert _triples(d) == {("2", "Sở Tài chính", "assigned")}


def test_reports_and_whom_a_unit_asks_are_not_units(directory):
    # GIVEN "Các Báo cáo trên gửi Sở Tư pháp" and a unit's task step "phải hướng dẫn, yêu cầu các đơn vị ..."
    d = _parse(
        "1. Sở Y tế lập các báo cáo về chất lượng nước. Các Báo cáo trên gửi Sở Tư pháp trước ngày 05/12/2025.\n"
        "2. Sở Y tế kiểm tra chất lượng nước; nếu không đạt, phải hướng dẫn, yêu cầu các đơn vị cấp nước khắc phục.\n",
        directory,
    )
    # THEN the reports are no unit and the water companies are the department's business, not the plan's
    assert _triples(d) == {("1", "Sở Y tế", "assigned"), ("2", "Sở Y tế", "assigned")}


def test_a_plans_items_broken_after_their_marks_keep_their_units_and_timing(directory):
    # GIVEN a plan's duties as a web page breaks them: each item's mark alone on its line, a
    # head noun alone after its "+", and each item's timing on a line of its own
    body = (
        "IV. NHIỆM VỤ CỤ THỂ\n"
        "1.\nNhiệm vụ của các thành viên Ban Chỉ đạo\n"
        "1.1.\nSở Tài chính - Cơ quan thường trực Ban Chỉ đạo\n"
        "-\nTham mưu triển khai kế hoạch kiểm kê tài sản công.\n\n"
        "Thời\ngian hoàn thành: Trước ngày 31/12/2025.\n\n"
        "-\nTổng hợp kết quả kiểm kê, báo cáo Bộ Tài chính.\n"
        "1.2.\nCác sở quản lý ngành\n"
        "+ Sở\nXây dựng: hướng dẫn kiểm kê tài sản kết cấu hạ tầng giao thông.\n"
        "+ Sở Công Thương: hướng dẫn kiểm kê tài sản kết cấu hạ tầng chợ.\n"
    )
    d = _parse(body, directory)
    # THEN each item belongs to its own numbered heading, whose unit it tasks, and its
    # timing is its deadline
    assert {(a.section, a.unit_text) for a in d.assignments} == {
        ("IV.1.1", "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo"),
        ("IV.1.2", "Sở Xây dựng"), ("IV.1.2", "Sở Công Thương"),
    }
    finance = next(a for a in d.assignments if a.section == "IV.1.1")
    assert finance.deadline == dt.date(2025, 12, 31)


def test_a_party_committee_whose_name_holds_a_comma_is_one_unit():
    # GIVEN a task for "Đảng uỷ Mặt trận Tổ quốc, các đoàn thể Trung ương", one committee
    d = _parse("1. Giao Đảng uỷ Mặt trận Tổ quốc, các đoàn thể Trung ương chỉ đạo tuyên truyền, vận động.\n",
               UnitDirectory.national())
    # THEN it is one unit, not a committee and the mass organisations
    assert [(a.unit_text, a.role) for a in d.assignments] == [
        ("Đảng uỷ Mặt trận Tổ quốc, các đoàn thể Trung ương", "assigned")
    ]


def test_kinds_of_body_closed_by_all_levels_are_one_collective(directory):
    # GIVEN a party notice asking "cấp uỷ, tổ chức đảng, chính quyền, đoàn thể các cấp" to act
    d = _parse("\nĐể làm tốt việc này, yêu cầu cấp uỷ, tổ chức đảng, chính quyền, đoàn thể các cấp tập trung thực hiện "
               "các nhiệm vụ sau:\n"
               "1. Sở Y tế rà soát các cơ sở bảo trợ xã hội.\n", directory)
    # THEN the sentence announcing the tasks is no part of the plan's summary, and "các cấp"
    # qualifies every kind: one collective addressee, not four
    assert d.subject == "Phòng, chống dịch bệnh trên địa bàn tỉnh"
    assert _triples(d) == {(None, "cấp uỷ, tổ chức đảng, chính quyền, đoàn thể các cấp", "assigned"),
                           ("1", "Sở Y tế", "assigned")}


def test_an_amendments_quoted_wording_tasks_no_one_its_own_articles_do(directory):
    # GIVEN a resolution amending an earlier regulation: its new wording quoted after
    # "... như sau:", over lines and on one line, then its own execution article
    body = (
        "Điều 1. Sửa đổi, bổ sung một số điều của Quy định ban hành kèm theo Nghị quyết số 20/2023/NQ-HĐND\n"
        "1. Sửa đổi, bổ sung Điều 6 như sau:\n"
        "“Điều 6. Quy trình thực hiện\n"
        "1. Cơ quan Bảo hiểm xã hội tỉnh tổng hợp danh sách, trình Sở Tài chính.\n"
        "2. Sở Tài chính thẩm định hồ sơ, tham mưu Ủy ban nhân dân tỉnh bố trí kinh phí.”\n"
        "2. Sửa đổi điểm a khoản 2 Điều 7 như sau: “a) Sở Y tế chủ trì, phối hợp với Sở Nội vụ kiểm tra.”\n"
        "Điều 2. Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.\n"
    )
    d = _parse(body, directory)
    # THEN only the article of the amending resolution tasks a unit; the quoted rules stay in its text
    assert _triples(d) == {("Điều 2", "Ủy ban nhân dân tỉnh", "assigned")}
    assert any("Sở Tài chính thẩm định" in s.text for s in _all_sections(d.sections))


def _all_sections(sections):
    for s in sections:
        yield s
        yield from _all_sections(s.children)


def test_a_plans_items_under_unit_headings_and_for_whom_headings():
    # GIVEN a plan's items as a web page breaks them (each item's first line short), a
    # step "Xây dựng ..., phối hợp với Y ...", an item opening with the verb "Cấp" (to supply),
    # the sector "ngành giáo dục", and a heading saying whom its items are for ("Đối với X:")
    body = (
        "1. Sở Y tế:\n"
        "- Xây dựng tài liệu\ntuyên truyền, phối hợp với UBND các xã, phường, khuyến cáo người dân hạn chế ra đường.\n"
        "- Cấp Oresol cho trạm y tế\nxã, đảm bảo điều trị tiêu chảy đúng phác đồ.\n"
        "2. Công tác phối hợp liên ngành\n"
        "- Mặt trận Tổ quốc, Đoàn\nThanh niên, Hội Phụ nữ hỗ trợ người dân khắc phục hậu quả.\n"
        "- Phối hợp với ngành giáo\ndục để xử lý vệ sinh trường lớp.\n"
        "3. Đối với các đơn vị thu gom, vận chuyển chất thải rắn sinh hoạt:\n"
        "- Chủ động phối hợp với UBND các xã, phường thực hiện quét đường, rửa đường.\n"
    )
    d = _parse(body, UnitDirectory.national())
    # THEN the units are read whole, in their roles; "Cấp Oresol" is no unit
    assert _triples(d) == {
        ("1", "Sở Y tế", "assigned"), ("1", "UBND các xã, phường", "cooperate"),
        ("2", "Mặt trận Tổ quốc", "assigned"), ("2", "Đoàn Thanh niên", "assigned"), ("2", "Hội Phụ nữ", "assigned"),
        ("2", "ngành giáo dục", "cooperate"),
        ("3", "các đơn vị thu gom, vận chuyển chất thải rắn sinh hoạt", "assigned"),
        ("3", "UBND các xã, phường", "cooperate"),
    }


@pytest.mark.parametrize("heading", ["IV. TỔ CHỨC\nTHỰC HIỆN", "IV. Tổ chức thực hiện"])
def test_the_implementation_heading_is_no_unit(directory, heading):
    # GIVEN a plan's part "TỔ CHỨC THỰC HIỆN" ("organising the implementation") over its units' tasks
    d = _parse(f"{heading}\n1. Sở Y tế chủ trì triển khai kế hoạch.\n", directory)
    # THEN the verb "tổ chức" is no body
    assert _triples(d) == {("IV.1", "Sở Y tế", "lead")}


def test_a_collective_asked_again_with_the_issuers_level_is_one_addressee(directory):
    # GIVEN a plan asking "các Sở, ban, ngành" in its opening and "các sở, ban, ngành tỉnh" at its close
    d = _parse(
        "\nĐể cải thiện chất lượng không khí, đề nghị các Sở, ban, ngành thực hiện các nhiệm vụ sau:\n"
        "1. Sở Y tế:\n- Khuyến cáo người dân hạn chế ra đường.\n"
        "Yêu cầu các sở, ban, ngành tỉnh khẩn trương thực hiện đồng bộ các giải pháp trên./.\n",
        directory,
    )
    # THEN the collective is one addressee of the whole plan, not two
    assert [a.unit for a in d.assignments if a.section is None] == ["các Sở, ban, ngành"]


def test_a_regulations_article_headed_by_what_a_body_leads(directory):
    # GIVEN a Quy chế whose articles are headed "Nội dung X có trách nhiệm chủ trì" over X's items
    body = (
        "Điều 5. Nội dung Sở Nội vụ có trách nhiệm chủ trì\n"
        "1. Xây dựng, đánh giá việc thực hiện chính sách về tín ngưỡng, tôn giáo.\n"
        "2. Kiểm tra việc thực hiện chính sách, pháp luật.\n"
        "Điều 6. Nội dung Công an tỉnh có trách nhiệm chủ trì\n\n"
        "Nắm tình hình, tham mưu giải quyết các vấn đề liên quan đến an ninh.\n"
    )
    # THEN each body leads its article's items
    assert _triples(_parse(body, directory)) == {("Điều 5", "Sở Nội vụ", "lead"), ("Điều 6", "Công an tỉnh", "lead")}


def test_a_notice_answering_requests_tasks_in_its_answers(directory):
    # GIVEN a notice answering a city's requests ("Về đề nghị X ...: <answer>"), an honorific
    # before an office ("Đồng chí Bí thư ..."), and a subject's later step with partners
    body = (
        "1. Đồng chí Bí thư Tỉnh ủy và Chủ tịch Ủy ban nhân dân tỉnh tiếp tục tập trung chỉ đạo ứng phó mưa lũ.\n"
        "2. Về đề nghị Sở Tài chính phối hợp với các sở, ngành rà soát cơ sở dữ liệu: Các sở, ngành trên cơ sở "
        "nhiệm vụ được giao hoàn thiện cơ sở dữ liệu, phối hợp với Công an tỉnh, Sở Khoa học và Công nghệ thực hiện "
        "kết nối dữ liệu.\n"
        "3. Về dự án nạo vét luồng tàu vào khu bến cảng: Sở Xây dựng khẩn trương rà soát, bàn giao dự án.\n"
    )
    # THEN the officials are read without the honorific, the request's wording tasks no one,
    # the answer's subject works with the partners of its later step, and an answer after a
    # topic tasks its subject
    assert _triples(_parse(body, directory)) == {
        ("1", "Bí thư Tỉnh ủy", "assigned"), ("1", "Chủ tịch Ủy ban nhân dân tỉnh", "assigned"),
        ("2", "Các sở, ngành", "assigned"), ("2", "Công an tỉnh", "cooperate"),
        ("2", "Sở Khoa học và Công nghệ", "cooperate"), ("3", "Sở Xây dựng", "assigned"),
    }


def test_a_lettered_points_name_broken_inside_viet_nam(directory):
    # GIVEN a point whose first line the page broke inside "Việt / Nam"
    body = (
        "3. Về hỗ trợ doanh nghiệp, hợp tác xã\n"
        "a) Liên minh Hợp tác xã Việt\n"
        "Nam và Liên minh Hợp tác xã cấp tỉnh rà soát phương án khoanh nợ, giãn nợ.\n"
    )
    # THEN both alliances are read whole
    assert _triples(_parse(body, directory)) == {
        ("3", "Liên minh Hợp tác xã Việt Nam", "assigned"), ("3", "Liên minh Hợp tác xã cấp tỉnh", "assigned"),
    }


def test_a_plan_fields_units_numbered_or_in_sentences(directory):
    # GIVEN plan fields whose units are numbered "(1) ...; (2) ..." or listed in two sentences
    body = (
        "1. Tổ chức kiểm kê tài sản công\n"
        "- Đơn vị chủ trì: (1) Sở Y tế; (2) Sở Tài chính.\n"
        "- Cơ quan phối hợp: Các Sở: Nội vụ; Tư pháp. Văn phòng UBND tỉnh.\n"
    )
    # THEN each unit is read in its field's role, the numbers and the stop aside
    assert _triples(_parse(body, directory)) == {
        ("1", "Sở Y tế", "lead"), ("1", "Sở Tài chính", "lead"),
        ("1", "Các Sở: Nội vụ; Tư pháp", "cooperate"), ("1", "Văn phòng UBND tỉnh", "cooperate"),
    }


def test_a_basis_between_the_unit_and_its_role(directory):
    # GIVEN "X, trên cơ sở đề xuất của các cơ quan, đơn vị, chủ trì tổng hợp ..."
    d = _parse("3. Sở Tài chính, trên cơ sở đề xuất của các cơ quan, đơn vị, địa phương, chủ trì tổng hợp "
               "trình cấp có thẩm quyền bố trí kinh phí.\n", directory)
    # THEN X leads, named without the basis; the proposers are not tasked
    assert _triples(d) == {("3", "Sở Tài chính", "lead")}


def test_who_led_in_the_past_directly_or_not_is_no_task(directory):
    # GIVEN a Công điện's account: "Bộ Chính trị, Ban Bí thư, trực tiếp là Tổng Bí thư ..., Chính phủ
    # đã tập trung lãnh đạo", then a task whose subject names its office "trực tiếp là ..."
    body = (
        "Bộ Chính trị, Ban Bí thư, trực tiếp là Tổng Bí thư, Thường trực Ban Bí thư, Chính phủ đã tập trung "
        "lãnh đạo, chỉ đạo xuyên suốt, sát diễn biến tình hình.\n"
        "1. Sở Y tế, trực tiếp là Trung tâm Kiểm soát bệnh tật tỉnh, tổ chức giám sát dịch bệnh.\n"
    )
    # THEN the account tasks no one, and the task's subject and its office are both assigned
    assert _triples(_parse(body, directory)) == {
        ("1", "Sở Y tế", "assigned"), ("1", "Trung tâm Kiểm soát bệnh tật tỉnh", "assigned"),
    }


def test_a_subject_after_its_role_as_investor(directory):
    # GIVEN "Về ...: với vai trò là chủ đầu tư, X chủ động ..."
    d = _parse("4. Về đầu tư kho xăng dầu: với vai trò là chủ đầu tư, Tổng công ty Xăng dầu Quân đội chủ động "
               "làm việc với các nhà đầu tư để triển khai dự án.\n", directory)
    # THEN X is tasked
    assert _triples(d) == {("4", "Tổng công ty Xăng dầu Quân đội", "assigned")}


def test_a_name_the_page_broke_at_its_hyphen(directory):
    # GIVEN a full line ending inside "Tập đoàn Công nghiệp - Viễn thông Quân đội", the hyphen
    # starting the next line as a dash item would
    body = (
        "5. Các Bộ, cơ quan liên quan và các Tập đoàn: Điện lực Việt Nam, Bưu chính Viễn thông Việt Nam, Công nghiệp\n"
        "- Viễn thông Quân đội theo chức năng, nhiệm vụ, phối hợp chặt chẽ với Ủy ban nhân dân tỉnh để xử lý các\n"
        "kiến nghị của tỉnh.\n"
    )
    d = _parse(body, directory)
    # THEN the groups are read as one list, with its last member whole, and no dash item is made
    units = {a.unit_text for a in d.assignments}
    assert any("Công nghiệp - Viễn thông Quân đội" in u for u in units), units
    assert not any(u.startswith("Viễn thông") for u in units), units
    assert {a.section for a in d.assignments} == {"5"}


def test_a_numbered_headings_name_runs_on_to_the_next_line(directory):
    # GIVEN a plan's cell-like headings "3. Bộ Chỉ huy Quân sự" / "tỉnh chủ trì ..." and
    # "4. Bộ Tư lệnh" / "Thành phố chủ trì ..."
    body = (
        "2. Sở Nông nghiệp và Môi trường chủ trì, phối hợp với các sở, ngành liên quan rà soát các khu vực có nguy\n"
        "cơ sạt lở, lập danh sách các hộ dân cần di dời, báo cáo Ủy ban nhân dân tỉnh trong tháng 12 năm 2025.\n"
        "3. Bộ Chỉ huy Quân sự\n"
        "Tỉnh chủ trì, phối hợp với Sở Nông nghiệp và Môi trường tổ chức diễn tập.\n"
    )
    # THEN the name is read whole, leading its task
    triples = _triples(_parse(body, directory))
    assert {t for t in triples if t[0] == "3"} == {
        ("3", "Bộ Chỉ huy Quân sự Tỉnh", "lead"), ("3", "Sở Nông nghiệp và Môi trường", "cooperate"),
    }


def test_forest_owners_and_whom_a_unit_directs_with_its_partners(directory):
    # GIVEN forest owners as an item's heading, "Chỉ đạo, tham mưu chỉ đạo X phối hợp với Y"
    # and "Chỉ đạo X tăng cường phối hợp, hỗ trợ Y"
    body = (
        "2. Sở Nông nghiệp và Môi trường\n"
        "- Chỉ đạo, tham mưu chỉ đạo các đơn vị chủ rừng phối hợp với Ủy ban nhân dân cấp xã rà soát hiện trạng.\n"
        "3. Công an tỉnh\n"
        "Chỉ đạo lực lượng Công an xã tăng cường phối hợp, hỗ trợ lực lượng Kiểm lâm trong công tác tuần tra.\n"
        "4. Các chủ rừng là tổ chức (các Ban quản lý rừng phòng hộ, các Công ty lâm nghiệp)\n"
        "- Thực hiện đầy đủ quyền, nghĩa vụ và trách nhiệm chủ rừng.\n"
    )
    # THEN the directed units are not tasked, their partners cooperate, the owners are tasked
    triples = _triples(_parse(body, directory))
    assert ("2", "Ủy ban nhân dân cấp xã", "cooperate") in triples
    assert ("3", "lực lượng Kiểm lâm", "cooperate") in triples
    assert not {t for t in triples if "Công an xã" in t[1] or "đơn vị chủ rừng" in t[1]}
    assert any(s == "4" and u.startswith("Các chủ rừng là tổ chức") and r == "assigned" for s, u, r in triples)


def test_a_forwarding_letters_request_and_whom_its_addressees_ask_in_writing(directory):
    # GIVEN an agency forwarding a ministry's letter ("Để thống nhất ..., BHXH Việt Nam chuyển
    # Công văn ... đề nghị BHXH các tỉnh ...") and asking them to write to the clinics
    body = (
        "1. Để thống nhất trong tổ chức thực hiện, Bảo hiểm xã hội (BHXH) Việt Nam chuyển Công văn số 627/BYT-BH "
        "đề nghị BHXH các tỉnh nghiên cứu, triển khai thực hiện.\n"
        "2. BHXH các tỉnh có văn bản đề nghị các cơ sở khám bệnh sớm xây dựng hướng dẫn chẩn đoán và điều trị.\n"
    )
    # THEN the provinces' offices are tasked, twice; the forwarder and the clinics are not
    assert _triples(_parse(body, directory)) == {("1", "BHXH các tỉnh", "assigned"), ("2", "BHXH các tỉnh", "assigned")}


def test_a_liability_and_a_cited_article_on_its_own_line(directory):
    # GIVEN a heading whose cited "Điều 22 Luật BHYT:" the page put on a line of its own, and
    # a head's liability "chịu trách nhiệm trước pháp luật ... nếu để ..."
    body = (
        "3. Mức hưởng và mã hóa dữ liệu trong trường hợp tự đi khám bệnh, chữa bệnh theo quy định tại khoản 6\n"
        "Điều 22 Luật BHYT:\n"
        "- Các cơ sở KBCB thực hiện mã hóa, ghi chép như sau.\n"
        "4. Thủ trưởng các cơ sở KCB chịu trách nhiệm trước pháp luật và trước Bộ trưởng Bộ Y tế nếu để đơn vị "
        "mình thực hiện không đúng các quy định.\n"
    )
    # THEN the point stays point 3, and the liability tasks no one
    assert _triples(_parse(body, directory)) == {("3", "Các cơ sở KBCB", "assigned")}


def test_the_department_of_the_sector_and_an_article_whose_number_the_page_moved(directory):
    # GIVEN a regulation's "Điều" alone over "5. Kê khai giá", "Sở quản lý ngành, lĩnh vực" as a
    # subject after a lead-in holding commas of its own, and a request heading "Đề nghị: Hiệp hội ..."
    body = (
        "Điều\n"
        "5. Kê khai giá\n"
        "1. Trường hợp cần thiết điều chỉnh danh mục hàng hóa, dịch vụ thực hiện kê khai giá, Sở quản lý ngành, "
        "lĩnh vực đánh giá sự cần thiết của việc điều chỉnh, gửi Sở Tài chính tổng hợp.\n"
        "2. Đề nghị: Hiệp hội Doanh nghiệp tỉnh, Hội Nông dân tỉnh\n"
        "a) Tuyên truyền, vận động hội viên tham gia kê khai giá.\n"
    )
    # THEN the points sit in the article, the sector's department and both associations are tasked
    assert _triples(_parse(body, directory)) == {
        ("Điều 5.1", "Sở quản lý ngành, lĩnh vực", "assigned"),
        ("Điều 5.2", "Hiệp hội Doanh nghiệp tỉnh", "assigned"), ("Điều 5.2", "Hội Nông dân tỉnh", "assigned"),
    }


def test_partners_of_whom_a_subject_directs_and_quotas_after_a_colon(directory):
    # GIVEN "X lãnh đạo, chỉ đạo các bộ, ngành tiếp tục phối hợp với Y ...", a quota item
    # "- Mỗi tỉnh ủy, thành ủy chọn cử ..." and one after a colon "- Văn phòng ..., Ủy ban ...: chọn cử ..."
    body = (
        "1. Đảng ủy Chính phủ lãnh đạo, chỉ đạo các bộ, ngành tiếp tục phối hợp với Bộ Tư pháp rà soát văn bản.\n"
        "2. Báo cáo viên Trung ương\n"
        "- Mỗi tỉnh ủy, thành ủy chọn cử tối đa 05 người.\n"
        "- Văn phòng Trung ương Đảng, Ủy ban Kiểm tra Trung ương: chọn cử tối đa 03 người.\n"
    )
    # THEN X is tasked and Y cooperates, not the directed ministries; each quota names its bodies
    assert _triples(_parse(body, UnitDirectory.national())) == {
        ("1", "Đảng ủy Chính phủ", "assigned"), ("1", "Bộ Tư pháp", "cooperate"),
        ("2", "Mỗi tỉnh ủy, thành ủy", "assigned"), ("2", "Văn phòng Trung ương Đảng", "assigned"),
        ("2", "Ủy ban Kiểm tra Trung ương", "assigned"),
    }


def test_an_abbreviated_partner_the_page_broke_and_the_closing_request(directory):
    # GIVEN an item's task "- Chủ trì phối hợp với BHXH" / "Thành phố kiểm tra ...", and after the
    # last item the issuer's request "... thực hiện những nội dung trên./."
    body = (
        "Để tăng cường quản lý quỹ bảo hiểm y tế trên địa bàn tỉnh, Ủy ban nhân dân tỉnh chỉ đạo các cơ quan, "
        "đơn vị thực hiện các nội dung sau:\n"
        "1. Sở Y tế\n"
        "- Chủ trì phối hợp với BHXH\n"
        "Thành phố kiểm tra công tác khám bệnh, chữa bệnh bảo hiểm y tế tại các cơ sở khám bệnh trên địa bàn.\n"
        "2. Ủy ban nhân dân các xã, phường\n"
        "Tăng cường kiểm tra công tác khám bệnh, chữa bệnh trên địa bàn.\n"
        "Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương nghiêm túc thực hiện những nội dung trên. Giao "
        "Sở Tài chính tổng hợp, báo cáo kết quả thực hiện./.\n"
    )
    triples = _triples(_parse(body, directory))
    # THEN the partner is named whole, and the closing request has no section
    assert ("1", "Sở Y tế", "lead") in triples and ("1", "BHXH Thành phố", "cooperate") in triples
    assert (None, "Sở Tài chính", "assigned") in triples
    assert not {t for t in triples if t[0] == "2" and t[1] != "Ủy ban nhân dân các xã, phường"}


def test_a_heading_whose_task_opens_with_its_role_and_the_statistics_office(directory):
    # GIVEN "X và Y: Phối hợp với Z tham mưu ..." and the provincial statistics office by its 2025 name
    body = (
        "2. Các cơ quan chuyên môn quản lý ngành, lĩnh vực cấp tỉnh và Ủy ban nhân dân các xã, phường: Phối hợp "
        "với Sở Tài chính tham mưu Ủy ban nhân dân tỉnh ban hành quy chế khai thác dữ liệu về giá.\n"
        "3. Thống kê tỉnh Nam Định cung cấp báo cáo chỉ số giá tiêu dùng của địa phương.\n"
    )
    # THEN X and Y are tasked and Z cooperates; the statistics office is tasked
    assert _triples(_parse(body, directory)) == {
        ("2", "Các cơ quan chuyên môn quản lý ngành, lĩnh vực cấp tỉnh", "assigned"),
        ("2", "Ủy ban nhân dân các xã, phường", "assigned"), ("2", "Sở Tài chính", "cooperate"),
        ("3", "Thống kê tỉnh Nam Định", "assigned"),
    }


def test_a_dated_report_kết_hợp_partners_and_an_old_style_department_name(directory):
    # GIVEN a news report ("Báo Đấu thầu ngày 26 tháng 3 năm 2019 đưa tin ..."), "Chỉ đạo X kết
    # hợp với Y và Z ..." and a partner named in the old lower case ("Tổng cục quản lý ruộng đất")
    body = (
        "Báo Đấu thầu ngày 26 tháng 3 năm 2019 đưa tin nhiều công ty cổ phần không biết đại hội đồng cổ đông là gì.\n"
        "1. Chỉ đạo Sở Tư pháp kết hợp với Công an tỉnh và Sở Y tế đẩy nhanh tiến độ cấp Phiếu lý lịch tư pháp.\n"
        "2. Tổng cục Thống kê có trách nhiệm phối hợp với Tổng cục quản lý ruộng đất xây dựng quy trình thống kê.\n"
    )
    # THEN the report tasks no one, the directed unit's partners cooperate, the partner is named whole
    assert _triples(_parse(body, directory)) == {
        ("1", "Công an tỉnh", "cooperate"), ("1", "Sở Y tế", "cooperate"),
        ("2", "Tổng cục Thống kê", "assigned"), ("2", "Tổng cục quản lý ruộng đất", "cooperate"),
    }


def test_an_office_of_each_party_committee_and_a_catch_all_at_a_level(directory):
    # GIVEN "Các văn phòng tỉnh ủy, thành ủy ..." and "Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh ..."
    body = (
        "1. Các văn phòng tỉnh ủy, thành ủy đẩy mạnh cải cách hành chính.\n"
        "2. Giám đốc các sở, Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh triển khai thực hiện kế hoạch.\n"
    )
    # THEN each is one addressee, the committees and the level with the office before them
    assert _triples(_parse(body, directory)) == {
        ("1", "Các văn phòng tỉnh ủy, thành ủy", "assigned"), ("2", "Giám đốc các sở", "assigned"),
        ("2", "Thủ trưởng các ban, ngành, đoàn thể cấp tỉnh", "assigned"),
    }


def test_a_headings_task_opening_with_chu_tri_and_the_regional_state_audit(directory):
    # GIVEN a unit's heading whose task opens its own paragraph "Chủ trì, phối hợp với ...", and
    # a closing list naming "Thuế tỉnh, Kiểm toán nhà nước khu vực II"
    body = (
        "4. Sở Nội vụ\n\n"
        "Chủ trì, phối hợp với các sở, ngành, đơn vị có liên quan nghiên cứu tích hợp nội dung bài giảng về "
        "bảo vệ bí mật nhà nước.\n"
        "5. Đề nghị Thuế tỉnh, Kiểm toán nhà nước khu vực II tăng cường công tác bảo vệ bí mật nhà nước.\n"
    )
    triples = _triples(_parse(body, directory))
    # THEN the unit leads, and the regional audit office is a unit of its own
    assert ("4", "Sở Nội vụ", "lead") in triples
    assert {t for t in triples if t[0] == "5"} == {
        ("5", "Thuế tỉnh", "assigned"), ("5", "Kiểm toán nhà nước khu vực II", "assigned")}


_APPENDIX_IN_GROUPS = """\
ỦY BAN NHÂN DÂN
THÀNH PHỐ HỒ CHÍ MINH
Số: 2820/QĐ-UBND
Thành phố Hồ Chí Minh, ngày 19 tháng 11 năm 2025
QUYẾT ĐỊNH
Ban hành Kế hoạch xây dựng cơ sở dữ liệu về quy hoạch
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Kế hoạch xây dựng cơ sở dữ liệu về quy hoạch.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký./.
Nơi nhận:
- Như Điều 2;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Bùi Xuân Cường
PHỤ LỤC
NHIỆM VỤ CỦA CÁC SỞ, BAN, NGÀNH
|
**TT**
|
**Nhiệm vụ**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian dự kiến hoàn thành**
|
|
**I**
|
**Hoàn thiện thể chế về quy hoạch**
|
|
1
|
Rà soát, sửa đổi các văn bản quy phạm pháp luật có liên quan
|
Sở Tài chính
|
Sở Tư pháp
|
Quý IV/2025
|
|
2
|
Góp ý Thông tư quy định yêu cầu kỹ thuật của cơ sở dữ liệu
|
Sở Xây dựng
|
Sở Tài chính
|
Năm 2026
|
|
**II**
|
**Xây dựng hạ tầng kỹ thuật**
|
|
1
|
Nâng cấp hạ tầng mạng, máy chủ phục vụ cơ sở dữ liệu
|
Sở Khoa học và Công nghệ
|
Sở Tài chính
|
Năm 2026
|
"""


def test_an_appendix_tables_rows_numbered_anew_in_each_group(directory):
    # GIVEN an appendix table printed one cell per line whose rows are numbered anew under
    # each group ("I" / its title / "1", "2", then "II" / its title / "1")
    d = parse_directive(_APPENDIX_IN_GROUPS, directory)
    # THEN each row's lead and partner are read, the row labelled with its group
    assert {(a.section, a.unit_text, a.role) for a in d.assignments} == {
        ("I.1", "Sở Tài chính", "lead"), ("I.1", "Sở Tư pháp", "cooperate"),
        ("I.2", "Sở Xây dựng", "lead"), ("I.2", "Sở Tài chính", "cooperate"),
        ("II.1", "Sở Khoa học và Công nghệ", "lead"), ("II.1", "Sở Tài chính", "cooperate"),
    }


def test_a_field_of_who_carries_out_a_task_names_its_lead_and_partners(directory):
    # GIVEN a programme's item whose field says "Cơ quan thực hiện: X chủ trì, phối hợp với Y; Z"
    body = (
        "1. Tăng cường sự lãnh đạo của cấp ủy, chính quyền các cấp về quan hệ lao động\n"
        "1.3. Tiếp tục thực hiện hiệu quả Đề án tuyên truyền, phổ biến pháp luật cho người lao động.\n"
        "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Liên đoàn Lao động tỉnh; Ủy ban nhân dân các xã, phường.\n"
        "- Thời gian thực hiện: Thực hiện thường xuyên.\n"
    )
    # THEN X leads and Y, Z cooperate
    assert _triples(_parse(body, directory)) == {
        ("1.3", "Sở Nội vụ", "lead"), ("1.3", "Liên đoàn Lao động tỉnh", "cooperate"),
        ("1.3", "Ủy ban nhân dân các xã, phường", "cooperate"),
    }


def test_an_execution_clause_addressing_its_officials_without_a_colon(directory):
    # GIVEN a decision's last article "Các Ông, Bà Chánh Văn phòng ..., Giám đốc ... chịu trách nhiệm thi hành"
    body = (
        "Điều 1. Ban hành danh mục mã dùng chung.\n"
        "Điều 2. Các Ông, Bà Chánh Văn phòng Bộ Y tế, Vụ trưởng Vụ Bảo hiểm y tế và Giám đốc Sở Y tế các tỉnh "
        "chịu trách nhiệm thi hành Quyết định này./.\n"
    )
    # THEN each official is tasked, without the salutation
    assert _triples(_parse(body, directory)) == {
        ("Điều 2", "Chánh Văn phòng Bộ Y tế", "assigned"), ("Điều 2", "Vụ trưởng Vụ Bảo hiểm y tế", "assigned"),
        ("Điều 2", "Giám đốc Sở Y tế các tỉnh", "assigned"),
    }


def test_a_body_named_by_what_it_does_there_and_goods(directory):
    # GIVEN customs offices named by a relative clause ("Chi cục Hải quan nơi lưu giữ hàng hóa
    # hướng dẫn ...", "... nơi quản lý cảng hướng dẫn ...")
    body = (
        "1. Chi cục Hải quan nơi lưu giữ hàng hóa hướng dẫn người khai hải quan khai bổ sung.\n"
        "2. Chi cục Hải quan nơi quản lý cảng hướng dẫn doanh nghiệp cảng xác nhận số hiệu container.\n"
    )
    # THEN each office is named whole, "hàng hóa" (goods) and the verb after "nơi" inside the name
    assert _triples(_parse(body, directory)) == {
        ("1", "Chi cục Hải quan nơi lưu giữ hàng hóa", "assigned"),
        ("2", "Chi cục Hải quan nơi quản lý cảng", "assigned"),
    }


def test_a_national_assembly_delegation_is_a_body_of_its_own(directory):
    # GIVEN a resolution's supervision clause naming "các Ủy ban của Quốc hội, Đoàn đại biểu Quốc hội"
    body = ("4. Ủy ban Thường vụ Quốc hội, các Ủy ban của Quốc hội, Đoàn đại biểu Quốc hội, đại biểu Quốc hội "
            "giám sát việc thực hiện.\n")
    # THEN the delegation is not read as part of the committees' name, with a header and a
    # directory to go by or without (the clause as pasted alone)
    assert _triples(parse_directive(body)) == _triples(_parse(body, directory)) == {
        ("4", "Ủy ban Thường vụ Quốc hội", "assigned"), ("4", "các Ủy ban của Quốc hội", "assigned"),
        ("4", "Đoàn đại biểu Quốc hội", "assigned"), ("4", "đại biểu Quốc hội", "assigned"),
    }


def test_a_report_after_a_time_and_verbs_of_innovating_and_taking_in(directory):
    # GIVEN a conclusion's account ("X trong thời gian ngắn đã tích cực vào cuộc"), "yêu cầu các
    # Bộ, cơ quan đổi mới phương thức ..." and "Y tiếp thu ý kiến của các Bộ ..."
    body = (
        "1. Sở Nông nghiệp và Môi trường trong thời gian ngắn đã tích cực vào cuộc, hoàn thành hồ sơ.\n"
        "2. Yêu cầu các sở, cơ quan đổi mới phương thức, nâng cao năng lực tổ chức thực hiện.\n"
        "3. Sở Tài chính tiếp thu ý kiến của các sở, cơ quan, hoàn thiện hồ sơ.\n"
    )
    # THEN the account tasks no one, and the names end before the verbs
    assert _triples(_parse(body, directory)) == {("2", "các sở, cơ quan", "assigned"), ("3", "Sở Tài chính", "assigned")}


def test_plan_fields_in_paragraphs_of_their_own_with_longer_labels(directory):
    # GIVEN an item whose fields stand in paragraphs of their own after its task, labelled
    # "Đơn vị chủ trì thực hiện:" and "Đơn vị phối hợp:" (in italics on the page)
    body = (
        "1. Kiện toàn đội ngũ cán bộ\n"
        "- Thường xuyên rà soát, kiện toàn đội ngũ cán bộ, công chức.\n"
        "*Đơn vị chủ trì thực hiện: *Sở Tư pháp.\n"
        "*Đơn vị phối hợp: *Sở Nội vụ.\n"
        "*Thời gian thực hiện: *Thường xuyên.\n"
    )
    # THEN the fields give the lead and the partner
    assert _triples(_parse(body, directory)) == {("1", "Sở Tư pháp", "lead"), ("1", "Sở Nội vụ", "cooperate")}


def test_a_field_that_says_what_each_body_does(directory):
    # GIVEN "Cơ quan thực hiện: X chủ trì tham mưu ...; Y và Z chủ động tổ chức triển khai ..."
    body = (
        "1. Phổ biến, giáo dục Luật Việc làm\n"
        "- Nội dung thực hiện: Tổ chức phổ biến Luật Việc làm bằng các hình thức đa dạng.\n"
        "- Cơ quan thực hiện: Sở Nội vụ chủ trì tham mưu Ủy ban nhân dân tỉnh ban hành Kế hoạch; Sở Tư pháp "
        "và Đài Phát thanh và Truyền hình tỉnh chủ động tổ chức triển khai Luật Việc làm.\n"
    )
    # THEN X leads, and the bodies of the next clause are tasked, without their verbs
    assert _triples(_parse(body, directory)) == {
        ("1", "Sở Nội vụ", "lead"), ("1", "Sở Tư pháp", "assigned"),
        ("1", "Đài Phát thanh và Truyền hình tỉnh", "assigned"),
    }


def test_an_items_line_broken_before_an_abbreviated_name(directory):
    # GIVEN a unit's heading over dash items, the last of them broken by the page inside
    # "Chủ tịch" / "UBND tỉnh ..."
    body = (
        "4. Sở Nội vụ\n"
        "- Chủ trì, phối hợp với các sở, ngành tổ chức triển khai thực hiện Kế hoạch này.\n"
        "- Tham mưu, hướng dẫn khen thưởng tổng kết và tổ chức tổng kết, khen thưởng Đợt thi đua lập thành tích.\n"
        "- Tham mưu đề xuất Chủ tịch\n"
        "UBND tỉnh và cấp thẩm quyền khen thưởng các tập thể, cá nhân có thành tích tiêu biểu.\n"
    )
    # THEN the broken line stays in its item, and the heading's unit leads its task
    triples = _triples(_parse(body, directory))
    assert ("4", "Sở Nội vụ", "lead") in triples
    assert not {t for t in triples if t[1].startswith("UBND")}


NOTICE = """VĂN PHÒNG CHÍNH PHỦ
Số: 627/TB-VPCP
Hà Nội, ngày 10 tháng 11 năm 2025
THÔNG BÁO
Kết luận của Thủ tướng Chính phủ tại Phiên họp Ban Chỉ đạo các dự án giao thông
"""
NOTICE_SIGNATURE = """
Nơi nhận:
- Thủ tướng, các PTTg;
- Lưu: VT.
KT. BỘ TRƯỞNG, CHỦ NHIỆM
PHÓ CHỦ NHIỆM
Nguyễn Văn B
"""


def _notice(body: str):
    return parse_directive(NOTICE + body + NOTICE_SIGNATURE)


def test_provinces_listed_under_one_head_are_each_tasked():
    # GIVEN a Government notice tasking provinces listed under one level ("Các tỉnh A, B, C"),
    # a province by name, and committees listed under one kind ("Ủy ban nhân dân thành phố A,
    # thành phố B và tỉnh C")
    d = _notice(
        "1. Các tỉnh Nghệ An, Quảng Ngãi, Cao Bằng khẩn trương hoàn thiện Báo cáo nghiên cứu tiền khả thi.\n"
        "2. Thành phố Hà Nội đẩy nhanh tiến độ lập Báo cáo nghiên cứu khả thi.\n"
        "3. Ủy ban nhân dân thành phố Hà Nội, thành phố Hồ Chí Minh và tỉnh Quảng Ninh trực tiếp hỗ trợ "
        "lương thực cho các tỉnh bị thiên tai.\n"
    )
    by_section = {a.section: a for a in d.assignments}
    # THEN each listing is one entry whose members reach each province's People's Committee
    assert set(by_section) == {"1", "2", "3"} and len(d.assignments) == 3
    assert by_section["1"].member_ids == ["vn:40:ubnd", "vn:51:ubnd", "vn:04:ubnd"]
    assert by_section["2"].unit_id == "vn:01:ubnd"
    assert by_section["3"].members == [
        "Ủy ban nhân dân thành phố Hà Nội", "Ủy ban nhân dân thành phố Hồ Chí Minh", "Ủy ban nhân dân tỉnh Quảng Ninh"]
    assert by_section["3"].member_ids == ["vn:01:ubnd", "vn:79:ubnd", "vn:22:ubnd"]


def test_who_attended_the_meeting_is_not_tasked():
    # GIVEN a notice's opening listing the attendance, the list broken at its colon by the
    # page, then the conclusions
    d = _notice(
        "Ngày 08 tháng 11 năm 2025, Thủ tướng Chính phủ chủ trì Phiên họp lần thứ 21 Ban Chỉ đạo. "
        "Tại điểm cầu Trụ sở Chính phủ có Phó Thủ tướng Chính phủ; lãnh đạo các Bộ, cơ quan là Ủy viên Ban Chỉ đạo:\n"
        "Công an, Xây dựng, Tài chính, Ngân hàng Nhà nước Việt Nam, Thanh tra Chính phủ, Ủy ban nhân dân thành phố "
        "Cần Thơ; các Tập đoàn, Tổng công ty: Điện lực Việt Nam (EVN), Cảng Hàng không Việt Nam (ACV) và đại diện "
        "các cơ quan; tại điểm cầu 28 tỉnh, thành phố có các đồng chí lãnh đạo Ủy ban nhân dân tỉnh, thành phố.\n"
        "Thủ tướng Chính phủ kết luận như sau:\n"
        "1. Bộ Xây dựng với vai trò là cơ quan thường trực Ban Chỉ đạo, chủ động, phối hợp Bộ Nội vụ có báo cáo "
        "tổng kết.\n"
        "2. Yêu cầu Nhà đầu tư (Tập đoàn Đèo Cả) khẩn trương hoàn thành hầm Hoàng Mai.\n"
    )
    # THEN only the conclusions task anyone: the capacity does not hide the partner, and an
    # investor is tasked
    assert _triples(d) == {
        ("1", "Bộ Xây dựng", "assigned"), ("1", "Bộ Nội vụ", "cooperate"),
        ("2", "Nhà đầu tư", "assigned"),
    }


def test_a_resolutions_procedure_steps_conditions_and_mandates():
    # GIVEN a National Assembly Standing Committee resolution: a step after a condition
    # with no comma ("Trường hợp ... thì X phải ..."), a management body leading ("Cơ quan
    # quản lý nhà cấp tỉnh có trách nhiệm chủ trì ..."), a mandate to lay down details
    # ("Chính phủ quy định chi tiết ...") and an account of what a body has not done ("cơ
    # quan nhà nước chưa có văn bản ...")
    text = (
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nSố: 755/2005/NQ-UBTVQH11\nHà Nội, ngày 02 tháng 4 năm 2005\n"
        "NGHỊ QUYẾT\nQuy định việc giải quyết đối với một số trường hợp cụ thể về nhà đất\n"
        "ỦY BAN THƯỜNG VỤ QUỐC HỘI\nQUYẾT NGHỊ:\n"
        "Điều 4.\nĐối với nhà đất mà chủ sở hữu thuộc diện quy định tại Điều 2 nhưng đến ngày Nghị quyết này có hiệu "
        "lực thi hành, cơ quan nhà nước chưa có văn bản quản lý nhà đất đó thì Nhà nước không thực hiện việc quản lý.\n"
        "Điều 13.\n2. Trong trường hợp không đủ điều kiện để giao lại nhà ở thì Uỷ ban nhân dân cấp tỉnh phải có văn "
        "bản trả lời để đương sự biết rõ lý do.\n"
        "Điều 14.\n1. Cơ quan quản lý nhà cấp tỉnh có trách nhiệm chủ trì phối hợp với cơ quan tài chính thuộc Uỷ ban "
        "nhân dân cấp tỉnh kiểm tra hồ sơ đề nghị thanh toán tiền.\n"
        "Điều 15.\nChính phủ quy định chi tiết Điều này.\n"
        "TM. ỦY BAN THƯỜNG VỤ QUỐC HỘI\nCHỦ TỊCH\nNguyễn Văn An\n"
    )
    # THEN the steps, the lead and its partner, and the mandate are tasks; the account is none
    assert _triples(parse_directive(text)) == {
        ("Điều 13.2", "Uỷ ban nhân dân cấp tỉnh", "assigned"),
        ("Điều 14.1", "Cơ quan quản lý nhà cấp tỉnh", "lead"),
        ("Điều 14.1", "cơ quan tài chính thuộc Uỷ ban nhân dân cấp tỉnh", "cooperate"),
        ("Điều 15", "Chính phủ", "assigned"),
    }


def test_inspection_the_activity_is_no_inspectorate():
    # GIVEN a customs letter naming inspection as an activity in lower case, and clauses
    # tasking the inspectorates by their names
    body = (
        "7.2. Đối với hàng hóa đã được thông quan: trong thời hạn 60 ngày kể từ ngày thông quan và trước thời điểm "
        "cơ quan hải quan quyết định kiểm tra sau thông quan, thanh tra, trừ trường hợp nội dung khai bổ sung liên "
        "quan đến giấy phép xuất khẩu.\n"
        "8. Thanh tra tỉnh chủ trì kiểm tra việc khai bổ sung.\n"
        "9. Giao Thanh tra Bộ hướng dẫn nghiệp vụ.\n"
    )
    # THEN the activity tasks no one; the inspectorates are tasked, with or without a
    # jurisdiction to find them in
    expected = {("8", "Thanh tra tỉnh", "lead"), ("9", "Thanh tra Bộ", "assigned")}
    assert _triples(parse_directive(body)) == expected


def test_each_item_of_a_task_with_its_own_fields(directory):
    # GIVEN a numbered task whose "-" items each have their fields under them, one of them
    # broken by the page after its head noun ("Đơn vị phối hợp: Sở" / "Tư pháp.")
    body = "\n\n".join([
        "7. Đẩy mạnh chuyển đổi số trong công tác xây dựng pháp luật",
        "- Ra mắt trợ lý pháp luật hỗ trợ cho cán bộ, công chức, viên chức trên địa bàn tỉnh trong công tác\n"
        "xây dựng, thẩm định văn bản quy phạm pháp luật và theo dõi tình hình thi hành pháp luật.",
        "Đơn vị chủ trì thực hiện: Sở Y tế.",
        "Đơn vị phối hợp thực hiện: Sở\nTư pháp.",
        "Thời gian thực hiện: Tháng 12/2025.",
        "- Cập nhật, khai thác hiệu quả Cơ sở dữ liệu quốc gia về pháp luật.",
        "Đơn vị chủ trì thực hiện: Sở Tài chính.",
        "Đơn vị phối hợp thực hiện: Các cơ quan, đơn vị liên quan.",
        "Thời gian thực hiện: Thường xuyên.\n",
    ])
    # THEN each item's lead is read, and the broken name whole
    assert _triples(_parse(body, directory)) == {
        ("7", "Sở Y tế", "lead"), ("7", "Sở Tư pháp", "cooperate"),
        ("7", "Sở Tài chính", "lead"), ("7", "Các cơ quan, đơn vị liên quan", "cooperate"),
    }


def test_polite_requests_and_regional_branches(national):
    # GIVEN a province's letter asking politely ("Kính đề nghị", "Trân trọng đề nghị") and
    # tasking regional branches of central bodies and a tax office of 2025
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH HÀ TĨNH\nSố: 120/UBND-TH\nHà Tĩnh, ngày 02 tháng 3 năm 2026\n"
        "V/v hỗ trợ khắc phục hậu quả bão số 10\n"
        "1. Kính đề nghị các Bộ, ngành Trung ương quan tâm hỗ trợ tỉnh khắc phục hậu quả.\n"
        "2. Kho bạc Nhà nước khu vực XI kiểm soát chi theo đúng quy định.\n"
        "3. Thuế cơ sở 3 tỉnh Hà Tĩnh phối hợp với UBND các xã thu ngân sách.\n"
        "4. Trân trọng đề nghị Ngân hàng Nhà nước chi nhánh khu vực 9 chỉ đạo các tổ chức tín dụng.\n"
        "Nơi nhận:\n- Như trên;\n- Lưu: VT.\nTM. ỦY BAN NHÂN DÂN\nCHỦ TỊCH\nNguyễn Văn A\n"
    )
    # THEN the bodies asked are tasked, each branch named whole (not the central body)
    assert _triples(parse_directive(text, national)) == {
        ("1", "các Bộ, ngành Trung ương", "assigned"),
        ("2", "Kho bạc Nhà nước khu vực XI", "assigned"),
        ("3", "Thuế cơ sở 3 tỉnh Hà Tĩnh", "assigned"), ("3", "UBND các xã", "cooperate"),
        ("4", "Ngân hàng Nhà nước chi nhánh khu vực 9", "assigned"),
    }


_GAZETTE_GROUPS = f"""CHÍNH PHỦ
Số: 100/NQ-CP
Hà Nội, ngày 06 tháng 4 năm 2026
NGHỊ QUYẾT
Ban hành Chương trình hành động về công tác phi chính phủ nước ngoài
CHÍNH PHỦ
QUYẾT NGHỊ:
Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động.
Điều 2. Các Bộ trưởng chịu trách nhiệm thi hành Nghị quyết này./.
TM. CHÍNH PHỦ
THỦ TƯỚNG
Phạm Minh Chính

PHỤ LỤC
DANH MỤC CÁC NHIỆM VỤ
{_TABLE_HEADER}I. Tăng cường sự lãnh đạo của Đảng trong công tác phi chính phủ nước
ngoài trong tình hình mới
1. Tổ chức tuyên truyền, phổ biến, quán triệt thường xuyên nội dung Chỉ thị
số 49-CT/TW.
Bộ Ngoại giao
Bộ Công an
Hội nghị, tập huấn
Thường xuyên
2. Rà soát, hoàn thiện quy chế quản lý hoạt động của các tổ chức phi chính phủ
nước ngoài tại Việt Nam.
Bộ Nội vụ
Bộ Tư pháp
Quy chế
Năm 2026
II. Hoàn thiện thể chế về công tác phi chính phủ nước ngoài
1. Xây dựng Nghị định về quản lý hoạt động của các tổ chức phi chính phủ nước
ngoài tại Việt Nam.
Bộ Ngoại giao
Thanh tra Chính phủ
Nghị định
Năm 2027
2.
Nâng cao hiệu quả công tác vận động viện trợ phi chính phủ nước ngoài cho
các chương trình phát triển.
Bộ Tài chính
Bộ Ngoại giao
Các chương trình
Năm 2026 và các năm
tiếp theo
III Mở rộng hợp tác quốc tế về công tác phi chính phủ nước ngoài
1
Mở rộng quan hệ hợp tác với các tổ chức phi chính phủ nước ngoài
có uy tín.
Bộ Ngoại giao
Bộ Công an
Báo cáo
Hằng năm
2
Kiện toàn bộ phận phụ trách công tác phi chính phủ nước ngoài của các
địa phương.
UBND
các tỉnh, thành phố
Bộ Nội vụ
Văn bản kiện toàn
Năm 2026
"""

_SUB_ROWS = f"""THỦ TƯỚNG CHÍNH PHỦ
Số: 982/QĐ-TTg
Hà Nội, ngày 04 tháng 6 năm 2026
QUYẾT ĐỊNH
Phê duyệt Đề án hỗ trợ doanh nghiệp công nghệ số vươn ra toàn cầu
THỦ TƯỚNG CHÍNH PHỦ
QUYẾT ĐỊNH:
Điều 1. Phê duyệt Đề án kèm theo Quyết định này.
Điều 2. Các Bộ trưởng chịu trách nhiệm thi hành Quyết định này./.
KT. THỦ TƯỚNG
PHÓ THỦ TƯỚNG
Nguyễn Chí Dũng

PHỤ LỤC
DANH MỤC CÁC NHIỆM VỤ TRỌNG TÂM CỦA ĐỀ ÁN
{_TABLE_HEADER}1.
Rà soát, hoàn thiện thể chế
1.1
Nghiên cứu, rà soát, sửa đổi các quy định, thủ tục hành chính liên quan đến hoạt động đầu tư ra
nước ngoài của doanh nghiệp công nghệ số.
Bộ Tài chính
Bộ Khoa học và
Công nghệ
Cơ chế, chính sách
Quý IV/2026
1.2
Nghiên cứu, xây dựng cơ chế tài chính, tín dụng khuyến khích doanh nghiệp công nghệ số vươn ra toàn
cầu.
Bộ Tài chính
Ngân hàng Nhà nước
Cơ chế, chính sách
Quý IV/2026
2. Thúc đẩy hình thành doanh nghiệp công nghệ số chủ lực, dẫn dắt doanh nghiệp nhỏ và vừa vươn ra toàn cầu
2.1
Lựa chọn doanh nghiệp công nghệ số chủ lực của Việt Nam để dẫn dắt hệ sinh thái
doanh nghiệp.
Bộ Khoa học và
Công nghệ
Bộ Công Thương
Danh sách doanh nghiệp
Năm 2027
"""


@pytest.mark.parametrize(("text", "expected"), [
    (_GAZETTE_GROUPS, {
        ("I.1", "Bộ Ngoại giao", "lead"), ("I.1", "Bộ Công an", "cooperate"),
        ("I.2", "Bộ Nội vụ", "lead"), ("I.2", "Bộ Tư pháp", "cooperate"),
        ("II.1", "Bộ Ngoại giao", "lead"), ("II.1", "Thanh tra Chính phủ", "cooperate"),
        ("II.2", "Bộ Tài chính", "lead"), ("II.2", "Bộ Ngoại giao", "cooperate"),
        ("III.1", "Bộ Ngoại giao", "lead"), ("III.1", "Bộ Công an", "cooperate"),
        ("III.2", "UBND các tỉnh, thành phố", "lead"), ("III.2", "Bộ Nội vụ", "cooperate"),
    }),
    (_SUB_ROWS, {
        ("1.1", "Bộ Tài chính", "lead"), ("1.1", "Bộ Khoa học và Công nghệ", "cooperate"),
        ("1.2", "Bộ Tài chính", "lead"), ("1.2", "Ngân hàng Nhà nước", "cooperate"),
        ("2.1", "Bộ Khoa học và Công nghệ", "lead"), ("2.1", "Bộ Công Thương", "cooperate"),
    }),
])
def test_gazette_tables_in_groups_and_sub_rows(national, text, expected):
    # GIVEN appendix tables printed one cell per line: rows numbered anew under groups whose
    # number and title share a line ("II. Hoàn thiện thể chế ...", "III Mở rộng ..." with no
    # dot, after a time cell that ends in "tiếp theo"; a lead cell "UBND" / "các tỉnh, thành
    # phố"), and rows numbered under
    # their group's row ("1." / its title / "1.1", "1.2", "2. ..." / "2.1")
    d = parse_directive(text, national)
    # THEN each row's lead and partner are read, in its group's numbering
    assert {(a.section, a.unit_text, a.role) for a in d.assignments if not (a.section or "").startswith("Điều")} \
        == expected


def test_a_clause_whose_task_is_to_cooperate(national):
    # GIVEN a Chỉ thị's clauses whose whole task is to work with others
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 12/CT-TTg\nHà Nội, ngày 02 tháng 3 năm 2025\nCHỈ THỊ\nVề tăng cường quản lý biên giới\n"
        "1. Các Bộ: Công an, Quốc phòng chủ động phối hợp chặt chẽ với các địa phương.\n"
        "2. Bộ Ngoại giao theo chức năng, nhiệm vụ được giao phối hợp với Bộ Công an.\n"
        "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nTrần Hồng Hà\n"
    )
    # THEN they are tasks: each subject assigned, each partner cooperating
    assert _triples(parse_directive(text, national)) == {
        ("1", "Các Bộ: Công an, Quốc phòng", "assigned"), ("1", "các địa phương", "cooperate"),
        ("2", "Bộ Ngoại giao", "assigned"), ("2", "Bộ Công an", "cooperate"),
    }


def test_a_body_named_by_where_it_acts_and_a_sentence_run_into_its_condition(national):
    # GIVEN a customs letter as a crawler copied it: bodies named by what they do ("Chi cục
    # Hải quan nơi lưu giữ hàng hóa tạm nhập"), and conditions run into their main clause
    # with no comma ("... để xuất khẩu Chi cục Hải quan ... hướng dẫn ...")
    text = (
        "TỔNG CỤC HẢI QUAN\nSố: 778/TCHQ-GSQL\nHà Nội, ngày 13 tháng 02 năm 2017\n"
        "Kính gửi: Cục Hải quan các tỉnh, thành phố.\n"
        "1. Sau khi tờ khai tạm nhập đủ điều kiện qua khu vực giám sát, Chi cục Hải quan nơi lưu giữ\n"
        "hàng hóa tạm nhập hướng dẫn người khai hải quan xuất trình danh sách container.\n"
        "2. Đối với hàng nhập khẩu đã thông quan nhưng doanh nghiệp bán cho doanh nghiệp khác ngay tại\n"
        "cảng để xuất khẩu Chi cục Hải quan nơi quản lý cảng hướng dẫn doanh nghiệp cảng thực hiện.\n"
        "3. Trường hợp người khai đề nghị hủy tờ khai theo quy định tại Điều 52 Thông tư 38/2015/TT-BTC\n"
        "Chi cục Hải quan cửa khẩu xuất hướng dẫn người khai hải quan thực hiện việc hủy tờ khai.\n"
        # Capitals that go on a name, or follow a word that takes them as its object, open no sentence
        "4. Sau khi nghe Đảng ủy Bộ Y tế báo cáo tình hình thực hiện nhiệm vụ năm 2016 của ngành.\n"
        "5. Trường hợp cần thiết kiến nghị Thủ tướng Chính phủ điều chỉnh danh mục hàng hóa.\n"
        "6. Thực hiện theo hướng dẫn tại công văn 6376/TCHQ-GSQL của Tổng cục Hải quan và hướng dẫn công\n"
        "chức hải quan giám sát thực hiện.\n"
        "KT. TỔNG CỤC TRƯỞNG\nPHÓ TỔNG CỤC TRƯỞNG\nVũ Ngọc Anh\n"
    )
    # THEN each body is tasked whole, where it is; no other name is
    assert {t for t in _triples(parse_directive(text, national)) if t[0]} == {
        ("1", "Chi cục Hải quan nơi lưu giữ hàng hóa tạm nhập", "assigned"),
        ("2", "Chi cục Hải quan nơi quản lý cảng", "assigned"),
        ("3", "Chi cục Hải quan cửa khẩu xuất", "assigned"),
    }


def test_a_cited_proposal_leading_into_the_task_and_the_closing_formula_of_a_headerless_letter(national):
    # GIVEN a VPCP letter whose one paragraph opens with the proposals it answers, and a
    # provincial office's letter that lost its header, closing with its formula
    vpcp = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 3753/VPCP-KTTH\nV/v xử lý đề nghị xin hỗ trợ vốn\nHà Nội, ngày 26 tháng 05 năm 2014\n"
        "Kính gửi: Các Bộ: Kế hoạch và Đầu tư, Tài chính.\n"
        "Xét đề nghị của Ủy ban nhân dân tỉnh Quảng Ngãi tại văn bản số 49/TTr-UBND ngày 12 tháng 5 năm\n"
        "2014 về việc hỗ trợ vốn, Phó Thủ tướng Vũ Văn Ninh giao các Bộ: Kế hoạch và Đầu tư, Tài chính\n"
        "xem xét xử lý theo thẩm quyền, trả lời địa phương biết.\n"
        "Văn phòng Chính phủ xin thông báo để các cơ quan biết, thực hiện./.\n"
        "KT. BỘ TRƯỞNG, CHỦ NHIỆM\nPHÓ CHỦ NHIỆM\nNguyễn Văn Tùng\n"
    )
    assert _triples(parse_directive(vpcp, national)) == {(None, "các Bộ: Kế hoạch và Đầu tư, Tài chính", "assigned")}
    office = (
        "Ý kiến của Chủ tịch UBND tỉnh về việc xử lý kiến nghị của công dân\n\n"
        "Giao Sở Tài nguyên và Môi trường chủ trì, phối hợp với Sở Nông nghiệp và Phát triển\n"
        "nông thôn kiểm tra, giải quyết kiến nghị của công dân theo quy định.\n\n"
        "Văn phòng UBND tỉnh thông báo để Sở Tài nguyên và Môi trường, các cơ quan liên quan thực hiện./.\n"
    )
    # THEN the ministries are tasked; the office saying the formula is not, issuer or not
    assert {(u, r) for _, u, r in _triples(parse_directive(office, national))} == {
        ("Sở Tài nguyên và Môi trường", "lead"), ("Sở Nông nghiệp và Phát triển nông thôn", "cooperate"),
    }


def test_a_quantified_list_of_kinds_under_an_office_is_one_addressee(directory):
    # GIVEN "Giám đốc các cơ quan, đơn vị và doanh nghiệp thuộc thành phố" among a decision's addressees
    d = _parse(
        "Điều 2. Thủ trưởng các sở - ngành, Giám đốc các cơ quan, đơn vị và doanh nghiệp thuộc\n"
        "thành phố căn cứ chức năng, nhiệm vụ được giao xây dựng kế hoạch cụ thể.\n",
        directory,
    )
    # THEN it is one addressee, not its last kind on its own
    assert {u for _, u, _ in _triples(d)} == {
        "Thủ trưởng các sở - ngành", "Giám đốc các cơ quan, đơn vị và doanh nghiệp thuộc thành phố",
    }


def test_items_numbered_with_a_dash_under_a_duty_heading_closed_by_a_stop(directory):
    # GIVEN an older decision's article: items numbered "1 - ", "2 - ", each a body's
    # heading "X có trách nhiệm." (a stop for the colon) over its "-" duties
    d = _parse(
        "Điều 2. Tổ chức thực hiện\n"
        "1 - Sở Lao động, Thương binh và Xã hội có trách nhiệm.\n"
        "- Quản lý chặt chẽ đối tượng bảo trợ xã hội trên địa bàn tỉnh;\n"
        "- Chủ trì phối hợp với Sở Tài chính hướng dẫn kiểm tra, giám sát cấp huyện.\n"
        "2 - Sở Tài chính có trách nhiệm:\n"
        "- Thẩm định dự toán kinh phí bảo đảm xã hội cho cấp huyện.\n",
        directory,
    )
    # THEN each item is a section of the article, its body tasked and leading what it chairs
    assert _triples(d) == {
        ("Điều 2.1", "Sở Lao động, Thương binh và Xã hội", "assigned"),
        ("Điều 2.1", "Sở Lao động, Thương binh và Xã hội", "lead"),
        ("Điều 2.1", "Sở Tài chính", "cooperate"),
        ("Điều 2.2", "Sở Tài chính", "assigned"),
    }


def test_a_request_going_on_from_the_sentence_before(directory):
    # GIVEN a Party letter's sentence that goes on the committee's request ("Đồng thời cũng
    # yêu cầu ..."), and a task whose own step asks a firm ("...; đồng thời yêu cầu doanh nghiệp ...")
    d = _parse(
        "1. Ban Thường vụ Huyện ủy yêu cầu các chi bộ hoàn chỉnh báo cáo. Đồng thời cũng yêu cầu các đồng chí\n"
        "Ủy viên Ban Chấp hành Đảng bộ huyện quan tâm chỉ đạo thực hiện đảm bảo yêu cầu.\n\n"
        "2. Chi cục Thuế khu vực thực hiện hủy xác nhận với các tờ khai còn lại; đồng thời yêu cầu doanh nghiệp\n"
        "thực hiện khai bổ sung.\n",
        directory,
    )
    # THEN the members are asked; whom the tasked unit asks is not tasked
    assert _triples(d) == {
        ("1", "các chi bộ", "assigned"), ("1", "các đồng chí Ủy viên Ban Chấp hành Đảng bộ huyện", "assigned"),
        ("2", "Chi cục Thuế khu vực", "assigned"),
    }


def test_a_basis_citing_acts_one_after_another_tasks_no_one(national):
    # GIVEN a decision whose basis cites a second law after a semicolon, the Gazette's lines
    # broken inside its names, under the enacting authority's line
    text = (
        "THỦ TƯỚNG CHÍNH PHỦ\nSố: 982/QĐ-TTg\nHà Nội, ngày 04 tháng 6 năm 2026\nQUYẾT ĐỊNH\n"
        "Phê duyệt Đề án hỗ trợ doanh nghiệp công nghệ số\nTHỦ TƯỚNG CHÍNH PHỦ\n"
        "Căn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025; Luật Tổ chức\n"
        "Chính quyền địa phương ngày 16 tháng 6 năm 2025; Nghị quyết số 11/NQ-CP ngày 14\n"
        "tháng 01 năm 2026 của Chính phủ về sửa đổi Chương trình hành động;\n"
        "Theo đề nghị của Bộ trưởng Bộ Khoa học và Công nghệ;\nQUYẾT ĐỊNH:\n"
        "Điều 1. Phê duyệt Đề án hỗ trợ doanh nghiệp công nghệ số.\n"
        "Điều 2. Bộ Khoa học và Công nghệ chủ trì tổ chức thực hiện Đề án.\n"
        "KT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nNguyễn Chí Dũng\n"
    )
    # THEN only the article's ministry is tasked, not a name read out of the cited acts
    assert _triples(parse_directive(text, national)) == {("Điều 2", "Bộ Khoa học và Công nghệ", "lead")}


def test_a_converters_markdown_with_an_html_task_table(national):
    # GIVEN a scan converted to Markdown whose task table the converter left as HTML
    text = (
        "# ỦY BAN NHÂN DÂN TỈNH LAI CHÂU\n\nSố: 1556/KH-UBND\n\nLai Châu, ngày 25 tháng 4 năm 2024\n\n"
        "# KẾ HOẠCH\n\nThực hiện Chương trình OCOP năm 2024\n\n## III. TỔ CHỨC THỰC HIỆN\n\n"
        "<table><tr><td>TT</td><td>Nội dung</td><td>Cơ quan chủ trì</td><td>Cơ quan phối hợp</td>"
        "<td>Thời gian</td></tr><tr><td>1</td><td>Tuyên truyền về Chương trình OCOP</td><td>Sở Nông nghiệp"
        "<br>và Phát triển nông thôn</td><td>Sở Công Thương</td><td>Năm 2024</td></tr><tr><td>2</td>"
        "<td>Đánh giá, phân hạng sản phẩm</td><td>Sở Công Thương</td><td>UBND các huyện, thành phố</td>"
        "<td>Quý III</td></tr></table>\n\nNơi nhận:\n- Lưu: VT.\n\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH\nTống Thanh Hải\n"
    )
    # THEN its rows task their lead and partner cells, as a Markdown table's would
    assert _triples(parse_directive(text, national)) == {
        ("III.1", "Sở Nông nghiệp và Phát triển nông thôn", "lead"), ("III.1", "Sở Công Thương", "cooperate"),
        ("III.2", "Sở Công Thương", "lead"), ("III.2", "UBND các huyện, thành phố", "cooperate"),
    }


def test_an_appendix_of_tasks_set_out_in_sentences_after_the_signature(national):
    # GIVEN a Government resolution whose specific tasks are an appendix after its signature,
    # numbered sentences under "Phụ lục" / "NHIỆM VỤ CỤ THỂ GIAO ..." / "(Kèm theo ...)"
    text = (
        "CHÍNH PHỦ\nSố: 122/NQ-CP\nHà Nội, ngày 06 tháng 5 năm 2026\nNGHỊ QUYẾT\n"
        "Phiên họp Chính phủ thường kỳ tháng 4 năm 2026\nCHÍNH PHỦ\nQUYẾT NGHỊ:\n"
        "1. Từng bộ, cơ quan, địa phương khẩn trương triển khai những nội dung tại Phụ lục ban hành\n"
        "kèm theo Nghị quyết này.\n"
        "TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nHồ Đức Phớc\n"
        "Phụ lục\nNHIỆM VỤ CỤ THỂ GIAO CÁC BỘ, CƠ QUAN, ĐỊA PHƯƠNG\n"
        "(Kèm theo Nghị quyết số 122/NQ-CP ngày 06 tháng 5 năm 2026 của Chính phủ)\n___________\n"
        "1. Bộ Tài chính chủ trì, phối hợp với các cơ quan, địa phương:\n"
        "a) Theo dõi, đôn đốc, tổng hợp báo cáo kế hoạch đầu tư công trung hạn giai đoạn 2026 - 2030.\n"
        "b) Tăng cường các giải pháp quản lý thuế; phối hợp với Bộ Công an rà soát các quy định.\n"
        "2. Bộ Công Thương chủ trì, phối hợp với các cơ quan, địa phương:\n"
        "a) Theo dõi sát diễn biến thị trường xăng dầu, bảo đảm nguồn cung.\n"
    )
    found = {t for t in _triples(parse_directive(text, national)) if t[2] != "assigned"}
    # THEN the appendix's ministries lead its items, in its numbering
    assert {("1", "Bộ Tài chính", "lead"), ("2", "Bộ Công Thương", "lead"), ("1", "Bộ Công an", "cooperate")} <= found


def test_a_resolution_issuing_a_programme_with_a_task_appendix_as_the_gazette_prints_it(national):
    # GIVEN a Government resolution as the Gazette's text layer gives it: its articles
    # ("Điều 2. Nghị quyết này ..."), the programme issued with it under a header of its own
    # and a caption the page runs into its title's name, then "Phụ lục I" (not in capitals)
    # over a task table, one cell per line; lines wrap at the page's width
    long = "Thực hiện nghiêm các nhiệm vụ, giải pháp đã đề ra, bảo đảm đúng tiến độ và chất lượng "
    text = (
        "CHÍNH PHỦ\nSố: 105/NQ-CP\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Hà Nội, ngày 08 tháng 4 năm 2026\nNGHỊ QUYẾT\nBan hành Chương trình hành động của Chính phủ\n"
        "CHÍNH PHỦ\nCăn cứ Luật Tổ chức Chính phủ ngày 18 tháng 02 năm 2025;\nQUYẾT NGHỊ:\n"
        "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động của Chính phủ thực hiện Kết luận\n"
        "số 210-KL/TW ngày 12 tháng 11 năm 2025 của Ban Chấp hành Trung ương Đảng khóa XIII về bộ máy.\n"
        "Điều 2. Nghị quyết này có hiệu lực thi hành kể từ ngày ký ban hành.\n"
        "Điều 3. Bộ trưởng, Thủ trưởng cơ quan ngang bộ chịu trách nhiệm thi hành Nghị quyết này.\n"
        "TM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nPhạm Thị Thanh Trà\n"
        "CHÍNH PHỦ\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\nCHƯƠNG TRÌNH\n"
        "Hành động thực hiện Kết luận số 210-KL/TW ngày 12 tháng 11 năm 2025 của Ban Chấp hành\n"
        "Trung ương Đảng khóa XIII về tiếp tục xây dựng, hoàn thiện tổ chức bộ máy của hệ thống\n"
        "(Kèm theo Nghị quyết số 105/NQ-CP ngày 08 tháng 4 năm 2026 của Chính phủ)\n"
        "I. NHIỆM VỤ, GIẢI PHÁP\n"
        "1. Các bộ, ngành, địa phương chủ động phối hợp với Bộ Nội vụ tham mưu cấp có thẩm quyền khen\n"
        f"thưởng những tập thể, cá nhân có thành tích xuất sắc. {long}và hiệu quả của các\n"
        "nhiệm vụ được giao trong Chương trình hành động này.\n"
        "Phụ lục I\nNHIỆM VỤ TRIỂN KHAI CHƯƠNG TRÌNH HÀNH ĐỘNG\n"
        "(Kèm theo Chương trình hành động của Chính phủ tại Nghị quyết số 105/NQ-CP)\n"
        "TT\nNội dung công việc\nCơ quan chủ trì\nCơ quan phối hợp\nThời gian hoàn thành\n"
        "1\nSơ kết việc thực hiện sắp xếp đơn vị sự nghiệp công lập\nBộ Nội vụ\nBộ Tài chính\nQuý IV/2026\n"
    )
    found = _triples(parse_directive(text, national))
    # THEN the article, the programme's item and the appendix's row are each read, in their own numbering
    assert {("Điều 3", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ", "assigned"), ("I.1", "Bộ Nội vụ", "cooperate"),
            ("1", "Bộ Nội vụ", "lead"), ("1", "Bộ Tài chính", "cooperate")} <= found


def test_an_appendix_table_ends_at_the_next_appendixs_title(national):
    # GIVEN an appendix task table, one cell per line, followed by "Phụ lục II": guidance in
    # sentences that name kinds of bodies
    text = (
        "CHÍNH PHỦ\nSố: 105/NQ-CP\nHà Nội, ngày 08 tháng 4 năm 2026\nNGHỊ QUYẾT\nBan hành Chương trình hành động\n"
        "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động.\n"
        "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPhạm Minh Chính\n"
        "PHỤ LỤC I\nNHIỆM VỤ TRIỂN KHAI\nTT\nNội dung công việc\nCơ quan chủ trì\nCơ quan phối hợp\n"
        "Cấp trình\nSản phẩm\nThời hạn hoàn thành\n"
        "1\nKiểm tra việc thực hiện quy định của\nĐảng về bố trí số lượng lãnh đạo cấp phó\nCác bộ, cơ\n"
        "quan ngang\nbộ\nCác bộ,\nngành,\ncơ quan liên\nquan\nCấp có\nthẩm\nquyền\nHoạt động\n"
        "kiểm tra\nThường xuyên\n"
        "Phụ lục II\nĐỊNH HƯỚNG SẮP XẾP ĐƠN VỊ SỰ NGHIỆP CÔNG LẬP\n"
        "2. Về sắp xếp đơn vị sự nghiệp công lập ở địa phương\n"
        "a) Lĩnh vực giáo dục và đào tạo\n"
        "- Đối với cơ sở giáo dục nghề nghiệp, trường dạy nghề\n"
        "Mỗi tỉnh, thành phố có tối đa không quá 03 trường dạy nghề để đào tạo lao động lành nghề phục vụ\n"
        "phát triển kinh tế - xã hội ở địa phương (không tính các trường tự bảo đảm chi thường xuyên), trong đó:\n"
        "- Ban Quản lý dự án đầu tư xây dựng thuộc Ủy ban nhân dân cấp xã\n"
        "Ủy ban nhân dân cấp xã được áp dụng một trong các hình thức quản lý dự án sau: (i) Ban Quản lý dự án\n"
        "đầu tư xây dựng một dự án, (ii) Chủ đầu tư sử dụng bộ máy chuyên môn trực thuộc, (iii) Tổ chức tư vấn.\n"
        "Ủy ban nhân dân cấp tỉnh hướng dẫn, chỉ đạo Ủy ban nhân dân cấp xã xác định sự cần thiết thành lập Ban\n"
        "Quản lý dự án đầu tư xây dựng tại cấp xã, bảo đảm phù hợp với quy mô dự án trên địa bàn.\n"
        "b) Lĩnh vực y tế\n"
        "- Ủy ban nhân dân cấp tỉnh kiện toàn, nâng cao năng lực của trung tâm kiểm soát bệnh tật.\n"
    )
    # THEN the row's bodies are read, and nothing of the guidance is taken for one of its cells
    assert {t for t in _triples(parse_directive(text, national)) if not (t[0] or "").startswith("Điều")} == {
        ("1", "Các bộ, cơ quan ngang bộ", "lead"), ("1", "Các bộ, ngành, cơ quan liên quan", "cooperate"),
    }


def test_the_offices_of_ministries_and_their_peers_are_one_addressee(national):
    # GIVEN a central decision tasking "the office of each ministry and ministry-level agency"
    text = (
        "VĂN PHÒNG CHÍNH PHỦ\nSố: 74/QĐ-VPCP\nHà Nội, ngày 20 tháng 12 năm 2010\nQUYẾT ĐỊNH\n"
        "Ban hành Quy chế mẫu\nĐiều 1. Ban hành kèm theo Quyết định này Quy chế mẫu.\n"
        "Điều 2. Văn phòng Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ xây dựng, trình lãnh đạo ban hành Quy chế.\n"
        "BỘ TRƯỞNG, CHỦ NHIỆM\nNguyễn Văn An\n"
    )
    # THEN the shared head "Văn phòng" is not lost from the peers: one addressee
    assert _triples(parse_directive(text, national)) == {
        ("Điều 2", "Văn phòng Bộ, cơ quan ngang Bộ, cơ quan thuộc Chính phủ", "assigned")
    }


def test_a_quoted_title_inside_a_bodys_name_is_part_of_the_name(directory):
    # GIVEN a cooperating body named after a movement whose quoted title holds a verb
    d = _parse(
        "1. Sở Văn hóa chủ trì, phối hợp với Văn phòng Ban Chỉ đạo Phong trào “Toàn dân đoàn kết xây dựng đời sống"
        " văn hoá”, Sở Y tế tổ chức liên hoan văn nghệ.\n",
        directory,
    )
    # THEN the quote does not end the list: the name keeps its title and the next body is read
    assert _triples(d) == {
        ("1", "Sở Văn hóa", "lead"),
        ("1", "Văn phòng Ban Chỉ đạo Phong trào “Toàn dân đoàn kết xây dựng đời sống văn hoá”", "cooperate"),
        ("1", "Sở Y tế", "cooperate"),
    }


def test_who_gives_its_opinion_as_follows_is_not_tasked(national):
    # GIVEN a portal's copy of a provincial letter that lost its header: the speaker's formula
    text = (
        "UBND tỉnh có ý kiến như sau:\nGiao Sở Tài nguyên và Môi trường chủ trì, phối hợp các đơn vị liên quan"
        " nghiên cứu, đề xuất UBND tỉnh xem xét; hoàn thành trước ngày 10/12/2023./.\n"
    )
    # THEN only the department is tasked, not the province speaking
    assert {(u, r) for _, u, r in _triples(parse_directive(text, national))} == {
        ("Sở Tài nguyên và Môi trường", "lead"), ("các đơn vị liên quan", "cooperate"),
    }


def test_an_appendix_tables_header_cells_broken_over_lines_still_name_their_columns(national):
    # GIVEN an indicator table whose header cells the page broke: "CƠ QUAN CHỦ" / "TRÌ, THEO
    # DÕI", "CƠ QUAN" / "PHỐI HỢP", "MỤC TIÊU" / "2026 - 2030"
    text = (
        "CHÍNH PHỦ\nSố: 19/NQ-CP\nHà Nội, ngày 16 tháng 4 năm 2026\nNGHỊ QUYẾT\nBan hành Chương trình hành động\n"
        "Điều 1. Ban hành kèm theo Nghị quyết này Chương trình hành động.\n"
        "TM. CHÍNH PHỦ\nTHỦ TƯỚNG\nPhạm Minh Chính\n"
        "Phụ lục I\nCÁC CHỈ TIÊU KINH TẾ - XÃ HỘI CHỦ YẾU\n(Kèm theo Nghị quyết số 19/NQ-CP)\n"
        "TT\nCHỈ TIÊU\nMỤC TIÊU\n2026 - 2030\nCƠ QUAN CHỦ\nTRÌ, THEO DÕI\nCƠ QUAN\nPHỐI HỢP\n"
        "1\nTỷ lệ đô thị hóa (%)\n≥ 50\nBộ Xây dựng\nCác địa phương\n"
        "2\nTỷ lệ lao động qua đào tạo (%)\n≥ 35\nBộ Giáo dục và Đào tạo\nBộ Nội vụ\n"
    )
    # THEN each row's body in the first unit column leads, the other cooperates
    assert {(u, r) for s, u, r in _triples(parse_directive(text, national)) if not (s or "").startswith("Điều")} == {
        ("Bộ Xây dựng", "lead"), ("Các địa phương", "cooperate"),
        ("Bộ Giáo dục và Đào tạo", "lead"), ("Bộ Nội vụ", "cooperate"),
    }


VPCP_LETTER = (
    "VĂN PHÒNG CHÍNH PHỦ\nSố: 1676/VPCP-KTTH\nHà Nội, ngày 02 tháng 11 năm 2017\n"
    "V/v đề án nâng cao hiệu quả đầu tư\nKính gửi: Các Bộ, cơ quan ngang Bộ\n"
)


def test_a_cited_proposal_naming_the_transport_ministry_is_still_a_basis(national):
    # GIVEN a letter whose opening cites the ministries' letters; one is "Bộ Giao thông vận
    # tải", whose name holds "giao" (to assign)
    text = VPCP_LETTER + (
        "Xét đề nghị của Bộ Kế hoạch và Đầu tư (Công văn số 7454/BKHĐT-PTDN), ý kiến của Bộ Tài chính"
        " (Công văn số 13436/BTC-TCDN), Bộ Giao thông vận tải"
        " (Công văn số 11291/BGTVT-QLDN), Bộ Xây dựng (Công văn số 2461/BXD-KHTC) về Đề án nghiên cứu nâng cao"
        " hiệu quả đầu tư, Phó Thủ tướng Vương Đình Huệ có ý kiến như sau:\n"
        "1. Bộ Kế hoạch và Đầu tư hoàn thiện Đề án, trình Thủ tướng Chính phủ.\n"
    )
    # THEN only the task after the speaker is read
    assert _triples(parse_directive(text, national)) == {("1", "Bộ Kế hoạch và Đầu tư", "assigned")}


def test_units_picked_out_by_what_they_have_not_done_are_urged_to_do_it(national):
    # GIVEN units named with a relative clause of what they failed to do, then the urging
    text = VPCP_LETTER + (
        "1. Các Bộ, cơ quan ngang Bộ, các Tập đoàn kinh tế, Tổng công ty nhà nước đến nay chưa có báo cáo theo"
        " văn bản số 4917/BKHĐT-PTDN, khẩn trương gửi báo cáo về Bộ Kế hoạch và Đầu tư trước ngày 30 tháng 11"
        " năm 2017.\n"
    )
    # THEN each is tasked, its name whole (no "đến nay"), with the deadline
    d = parse_directive(text, national)
    assert {a.unit_text for a in d.assignments} == {"Các Bộ, cơ quan ngang Bộ", "các Tập đoàn kinh tế", "Tổng công ty nhà nước"}
    assert {a.deadline for a in d.assignments} == {dt.date(2017, 11, 30)}


def test_an_earlier_letters_request_retold_tasks_no_one_and_the_address_is_no_unit(national):
    # GIVEN a ministry's reminder: the earlier letter's request retold, the new request, and
    # the address the reports go to on a line of its own
    text = (
        "BỘ GIÁO DỤC VÀ ĐÀO TẠO\nSố: 978/BGDĐT-CSVC\nHà Nội, ngày 01 tháng 6 năm 2010\nV/v báo cáo số liệu\n"
        "Kính gửi: Sở Giáo dục và Đào tạo các tỉnh, thành phố trực thuộc Trung ương.\n"
        "Để chuẩn bị triển khai Đề án, Bộ Giáo dục và Đào tạo đã có Công văn số 2501/BGDĐT-CSVC ngày 10/05/2010"
        " đề nghị Sở Giáo dục và Đào tạo các tỉnh, thành phố trực thuộc Trung ương báo cáo số liệu.\n"
        "Bộ Giáo dục và Đào tạo đề nghị các Sở Giáo dục và Đào tạo khẩn trương gửi báo cáo về Bộ theo địa chỉ:\n"
        "Cục Cơ sở vật chất - số 35, Đại Cồ Việt, Hà Nội. Fax: (04) 3869.4085\n"
    )
    # THEN the departments are tasked once, by the new request
    assert {(u, r) for _, u, r in _triples(parse_directive(text, national))} == {("các Sở Giáo dục và Đào tạo", "assigned")}


def test_news_of_what_the_province_has_just_issued_tasks_it_with_nothing(national):
    text = "UBND tỉnh vừa ban hành Kế hoạch số 15/KH-UBND về phát triển du lịch.\n"
    assert not parse_directive(text, national).assignments


def test_a_news_retelling_where_the_document_speaks_tasks_whom_it_asks(national):
    # GIVEN a provincial paper's retelling: "Công điện yêu cầu X ...", and its note that it prints the text
    text = (
        "BHG - Ngày 23.5, Chủ tịch UBND tỉnh đã có Công điện số 1543/CĐ-CTUBND về việc chống bệnh dịch tả lợn"
        " châu Phi. Công điện yêu cầu UBND huyện Quang Bình, Bắc Quang triển khai thực hiện chỉ đạo “chống dịch"
        " như chống giặc”. Báo Hà Giang trân trọng đăng toàn văn Công điện.\n"
    )
    # THEN the districts are tasked, the paper is not
    assert {u for _, u, _ in _triples(parse_directive(text, national))} == {"UBND huyện Quang Bình, Bắc Quang"}


def test_a_column_of_the_tasks_each_body_leads_names_no_body(national):
    # GIVEN an appendix table whose task column is headed "Nhiệm vụ chủ trì", its bodies under a bare "Đơn vị"
    text = (
        "CHÍNH PHỦ\nSố: 75/NQ-CP\nHà Nội, ngày 30 tháng 10 năm 2023\nNGHỊ QUYẾT\nPhê duyệt Đề án\n"
        "Điều 1. Phê duyệt Đề án Trung tâm dữ liệu quốc gia với các nội dung chủ yếu sau đây, kèm theo các"
        " phụ lục về nhiệm vụ của các bộ, ngành.\nTM. CHÍNH PHỦ\nKT. THỦ TƯỚNG\nPHÓ THỦ TƯỚNG\nTrần Lưu Quang\n"
        "Phụ lục I\nNHIỆM VỤ CỦA CÁC BỘ, NGÀNH\n(Kèm theo Nghị quyết số 75/NQ-CP)\n"
        "STT\nĐơn vị\nNhiệm vụ chủ trì\nĐơn vị phối hợp\nThời gian\nhoàn thành\n"
        "1\nBộ Tư pháp\nRà soát các luật về dữ liệu\nBộ Công an\nQuý IV/2024\n"
        "2\nBộ Nội vụ\nXây dựng quy định về chế độ đặc thù\nBộ Tài chính\nQuý II/2024\n"
    )
    # THEN each row's body leads, its partner cooperates
    assert {(u, r) for s, u, r in _triples(parse_directive(text, national)) if not (s or "").startswith("Điều")} == {
        ("Bộ Tư pháp", "lead"), ("Bộ Công an", "cooperate"), ("Bộ Nội vụ", "lead"), ("Bộ Tài chính", "cooperate"),
    }


def test_a_deputy_who_assigns_is_the_speaker_not_the_task(national):
    # GIVEN a portal's retelling: "Phó Chủ tịch UBND tỉnh giao X, Y ..."
    text = (
        "Tại Công văn số 7130/UBND-TH ngày 21/7/2025, Phó Chủ tịch UBND tỉnh giao Sở Tư pháp, UBND các phường, xã"
        " nghiên cứu, triển khai thực hiện các nội dung theo hướng dẫn của Bộ Tư pháp.\n"
    )
    # THEN those the deputy chairman assigns are tasked
    assert {(u, r) for _, u, r in _triples(parse_directive(text, national))} == {
        ("Sở Tư pháp", "assigned"), ("UBND các phường, xã", "assigned"),
    }


def test_an_office_conveying_its_heads_opinion_is_not_tasked(national):
    text = (
        "Văn phòng UBND tỉnh có văn bản truyền đạt ý kiến của đồng chí Dương Xuân Huyên, Phó Chủ tịch UBND tỉnh"
        " về việc tăng cường thanh tra an toàn thực phẩm (Công văn số 3729/VP-KGVX, ngày 11/9/2019).\n\n"
        "Sở Y tế chủ trì, phối hợp với các cơ quan liên quan tăng cường công tác thanh tra, kiểm tra.\n"
    )
    assert {(u, r) for _, u, r in _triples(parse_directive(text, national))} == {
        ("Sở Y tế", "lead"), ("các cơ quan liên quan", "cooperate"),
    }

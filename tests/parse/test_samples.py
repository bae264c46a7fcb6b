"""The five real directives, checked against hand-read expectations.

Each expectation was read off the document itself: header fields, signature,
distribution, citations, and the assignments a clerk would route. Assignments are
listed as (section, unit id or printed name, role); the parser must produce every one
of them and none of the listed non-assignments.
"""

import datetime as dt

import pytest

from services.parse.parser import parse_directive

EXPECTED = {
    "000": {
        "fields": {
            "system": "party", "number": None, "doc_type": "Thông báo", "date": None,
            "subject": "Về công tác phòng, chống dịch Covid-19 trên địa bàn tỉnh", "issuer": "Ban Thường vụ Tỉnh ủy",
        },
        "signer": ("T/M", "BAN THƯỜNG VỤ", "BÍ THƯ", "Phạm Gia Túc"),
        "references": [
            ("Quy chế", "01-QC/TU", dt.date(2021, 6, 18), "Tỉnh ủy"),
            ("Nghị quyết", "68/NQ-CP", dt.date(2021, 7, 1), "Chính phủ"),
            ("Quyết định", "23/2021/QĐ-TTg", dt.date(2021, 7, 7), "Thủ tướng Chính phủ"),
            ("Quyết định", "30/2021/QĐ-UBND", dt.date(2021, 7, 20), "UBND tỉnh"),
        ],
        "distribution": {0: ("Bộ Chính trị, Ban Bí thư", "để báo cáo", False), -1: ("Lưu Văn phòng Tỉnh ủy", None, True)},
        "distribution_count": 10,
        "assignments": [
            ("1.-3", "cac-huyen-thanh-pho", "assigned"),
            ("1.-3", "cong-an-tinh", "cooperate"),
            ("1.-3", "bo-chi-huy-quan-su-tinh", "cooperate"),
            ("1.-3", "so-y-te", "cooperate"),
            ("3.-1.+1", "ban-can-su-dang-ubnd-tinh", "assigned"),
            ("3.-1.+1", "ubnd-tinh", "assigned"),
            ("3.-1.+2", "ban-can-su-dang-ubnd-tinh", "assigned"),
            ("3.-1.+2", "so-y-te", "assigned"),
            ("3.-2", "cac-huyen-uy-thanh-uy", "assigned"),
            ("3.-3", "ban-tuyen-giao-tinh-uy", "assigned"),
            ("3.-4", "mttq-va-cac-doan-the-tinh", "assigned"),
            ("3.-5", "các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy phụ trách huyện, thành phố", "assigned"),
        ],
        # "theo chỉ đạo của ... Bộ Y tế" and the past-tense report in 1.-1 assign nothing.
        "not": [("1.-1", None), (None, "Bộ Y tế")],
    },
    "001": {
        "fields": {
            "system": "party", "number": "215-CV/TU", "number_seq": 215, "symbol": "CV/TU", "doc_type": "Công văn",
            "issuer": "Tỉnh ủy Nam Định", "place": "Nam Định", "date": dt.date(2021, 6, 14),
            "subject": "Về một số nhiệm vụ trọng tâm tăng cường công tác phòng, chống dịch Covid-19 và phát triển "
            "kinh tế - xã hội trên địa bàn tỉnh",
            "recipients": ["Các đảng đoàn, ban cán sự đảng", "Các sở, ban, ngành, MTTQ, các đoàn thể tỉnh",
                           "Các huyện uỷ, thành uỷ, đảng uỷ trực thuộc tỉnh"],
        },
        "signer": ("T/M", "BAN THƯỜNG VỤ", "PHÓ BÍ THƯ THƯỜNG TRỰC", "Lê Quốc Chính"),
        "references": [("Kết luận", "07-KL/TW", dt.date(2021, 6, 11), "Bộ Chính trị")],
        "distribution": {0: ("Ban Bí thư Trung ương Đảng", "để báo cáo", False), 2: ("Như trên", None, False),
                         -1: ("Lưu Văn phòng Tỉnh ủy", None, True)},
        "distribution_count": 6,
        "assignments": [
            # "Ban Thường vụ Tỉnh uỷ yêu cầu ban cán sự đảng, ... tổ chức thực hiện nghiêm một
            # số nhiệm vụ trọng tâm sau:" -> the subjectless tasks 1-5 are theirs.
            ("1", "cac-ban-can-su-dang-dang-doan", "assigned"),
            ("1", "bcd-covid-tinh", "assigned"),
            ("2", "cac-so-ban-nganh", "assigned"),
            ("3", "mttq-va-cac-doan-the-tinh", "assigned"),
            ("5", "cac-huyen-uy-thanh-uy-dang-uy-truc-thuoc", "assigned"),
            ("6", "cac-huyen-uy-thanh-uy-dang-uy-truc-thuoc", "assigned"),
            ("6", "cac-ban-dang-tinh-uy", "assigned"),
            ("6", "cac-ban-can-su-dang-dang-doan", "assigned"),
            (None, "van-phong-tinh-uy", "assigned"),
            (None, "các cơ quan liên quan", "cooperate"),
        ],
        # The opening only hands the list on; it is no task of its own.
        "not": [(None, "các sở, ban, ngành, MTTQ và các đoàn thể chính trị - xã hội của tỉnh")],
    },
    "002": {
        "fields": {
            "system": "state", "number": "/TB-UBND", "number_seq": None, "symbol": "TB-UBND", "doc_type": "Thông báo",
            "issuer": "UBND tỉnh Nam Định", "place": "Nam Định", "date": None,
        },
        "date_partial": (None, 9, 2021),
        "signer": ("TL. CHỦ TỊCH / KT. CHÁNH VĂN PHÒNG", "CHỦ TỊCH", "PHÓ CHÁNH VĂN PHÒNG", "Chu Thị Hồng Loan"),
        "references": [
            ("Thông báo", "143/TB-UBND", dt.date(2021, 8, 12), "UBND tỉnh"),
            ("Thông báo", "148/TB-UBND", dt.date(2021, 8, 16), None),
            ("Thông báo", "159/TB-UBND", dt.date(2021, 9, 7), "UBND tỉnh"),
            ("Chỉ thị", "15/CT-TTg", None, None),
            ("Công văn", "575/UBND-VP7", dt.date(2021, 9, 9), "UBND tỉnh"),
            ("Nghị quyết", "68/NQ-CP", None, "Chính phủ"),
            ("Quyết định", "23/2021/QĐ-TTg", None, "Thủ tướng Chính phủ"),
            ("Quyết định", "30/2021/QĐ-UBND", None, "UBND tỉnh"),
        ],
        "distribution": {0: ("BCĐ Quốc gia về COVID-19", "để báo cáo", False), -1: ("Lưu: VP1, VP12, VP7, VP2", None, True)},
        "distribution_count": 15,
        "assignments": [
            ("2", "cong-an-tinh", "lead"),
            ("2", "các ngành", "cooperate"),
            ("2", "cac-huyen-thanh-pho", "assigned"),
            ("3.-1", "so-y-te", "lead"),
            ("3.-2", "so-y-te", "lead"),
            ("3.-3", "so-y-te", "lead"),
            ("3.-1", "các ngành liên quan", "cooperate"),
            ("4", "so-y-te", "assigned"),
            ("4", "ban-quan-ly-cac-khu-cong-nghiep", "assigned"),
            ("4", "so-cong-thuong", "assigned"),
            ("4", "so-giao-duc-va-dao-tao", "assigned"),
            ("4", "cac-huyen-thanh-pho", "assigned"),
            ("5.-1", "so-y-te", "assigned"),
            ("5.-2", "so-giao-duc-va-dao-tao", "assigned"),
            ("5.-3", "cac-huyen-thanh-pho", "assigned"),
            ("6.-1", "cac-huyen-thanh-pho", "assigned"),
            ("6.-2", "cac-huyen-thanh-pho", "assigned"),
            ("6.-2", "so-thong-tin-va-truyen-thong", "cooperate"),
            ("7", "so-lao-dong-thuong-binh-va-xa-hoi", "assigned"),
            ("8", "so-lao-dong-thuong-binh-va-xa-hoi", "assigned"),
            ("8", "bao-hiem-xa-hoi-tinh", "assigned"),
            ("9.-1", "so-thong-tin-va-truyen-thong", "lead"),
            ("9.-1", "so-y-te", "cooperate"),
            ("9.-2", "so-thong-tin-va-truyen-thong", "lead"),
            ("1", "các cấp", "assigned"),
            ("10", "các ngành", "assigned"),
            (None, "cac-so-ban-nganh", "assigned"),
        ],
        # "Cơ quan, đơn vị, địa phương nào chủ quan ... thì xử lý" is a condition, and the
        # examples after "như:" in 5.-1 are no subjects.
        # "... yêu cầu các cấp, các ngành ... thực hiện các nhiệm vụ sau:" gives them tasks 1
        # and 10, which name no unit (vague, so for a clerk's review).
        "not": [(None, "Cơ quan"), (None, "lực lượng"), ("1", "Sở Y tế"), ("10", "Sở Y tế")],
    },
    "003": {
        "fields": {"system": "party", "number": None, "doc_type": "Công văn", "issuer": "Ban Thường vụ Tỉnh ủy"},
        "signer": ("T/M", "BAN THƯỜNG VỤ", "PHÓ BÍ THƯ", "Kim Ngọc Thái"),
        "references": [("Kết luận", "07-KL/TW", dt.date(2021, 6, 11), "Bộ Chính trị")],
        "distribution": {0: ("Như trên", None, False), 1: ("Lưu Văn phòng Tỉnh ủy", None, True)},
        "distribution_count": 2,
        "assignments": [
            # Task 2 names no subject: it is the opening's addressees'.
            ("2", "cac-huyen-uy-thanh-uy", "assigned"),
            ("2", "cac-dang-uy-truc-thuoc", "assigned"),
            ("2", "cac-so-ban-nganh", "assigned"),
            ("3", "ban-can-su-dang-ubnd-tinh", "assigned"),
            ("3", "ubnd-tinh", "assigned"),
            ("5", "cac-doan-the-tinh", "assigned"),
            ("5", "so-y-te", "assigned"),
            ("5", "Trạm y tế", "assigned"),
            ("8", "ban-can-su-dang-ubnd-tinh", "assigned"),
            ("9", "uy-ban-mttq-tinh", "assigned"),
            ("10", "cac-huyen-uy-thanh-uy", "assigned"),
        ],
        # Section 3 lists shortcomings after "như:"; "Bộ Y tế" is only cited.
        "not": [("3", "cơ quan"), ("3", "Trung tâm y tế không"), (None, "Bộ Y tế")],
    },
    "004": {
        "fields": {
            "system": "party", "number": "07-CT/TU", "doc_type": "Chỉ thị", "date": dt.date(2021, 8, 7),
            "issuer": "Tỉnh ủy Nghệ An",
        },
        "signer": (None, None, None, None),
        "references": [("Nghị quyết", "68/NQ-CP", dt.date(2021, 7, 1), "Chính phủ")],
        "distribution": {},
        "distribution_count": 0,
        # A Nghệ An directive: no unit of the Nam Định directory may be notified.
        "assignments": [
            ("2.-1", "Ban cán sự đảng Ủy ban nhân dân tỉnh", "assigned"),
            ("2.-8", "Ban cán sự đảng Ủy ban nhân dân tỉnh", "assigned"),
            ("4", "Ủy ban Mặt trận Tổ quốc, đoàn thể nhân dân các cấp", "assigned"),
            ("5", "Ban Tuyên giáo Tỉnh ủy", "assigned"),
            ("1", "Mặt trận Tổ quốc, đoàn thể nhân dân", "assigned"),
            (None, "Văn phòng Tỉnh ủy", "assigned"),
        ],
        "not": [("1", "Ban Tuyên giáo Tỉnh ủy")],
    },
}


def _key(a):
    return (a.section, a.unit_id or a.unit_text, a.role)


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_sample(stem, directory, sample):
    # GIVEN a real directive WHEN parsed THEN every hand-read field matches
    expected = EXPECTED[stem]
    d = parse_directive(sample(stem), directory)
    for name, value in expected["fields"].items():
        assert getattr(d, name) == value, name
    if "date_partial" in expected:
        assert (d.date_partial.day, d.date_partial.month, d.date_partial.year) == expected["date_partial"]
    assert (d.signer.authority, d.signer.on_behalf_of, d.signer.title, d.signer.name) == expected["signer"]
    assert [(r.doc_type, r.number, r.date, r.issuer) for r in d.references] == expected["references"]
    assert len(d.distribution) == expected["distribution_count"]
    for index, (text, purpose, archive) in expected["distribution"].items():
        r = d.distribution[index]
        assert (r.text, r.purpose, r.is_archive) == (text, purpose, archive)
    found = {_key(a) for a in d.assignments}
    missing = [a for a in expected["assignments"] if a not in found]
    assert not missing
    for section, unit in expected["not"]:
        assert not [
            a for a in d.assignments
            if (section is None or a.section == section) and (unit is None or a.unit_text == unit)
        ], (section, unit)
    for a in d.assignments:
        assert a.task and a.unit_text
        if a.unit_id is None and stem != "004":
            assert f"unit not in directory: {a.unit_text}" in d.warnings
    if stem == "004":
        assert all(a.unit_id is None for a in d.assignments)


def test_deadline_from_sample_002(directory, sample):
    # GIVEN "phân đầu hoàn thành tiêm mũi 1 trước 01/10/2021" WHEN parsed THEN an ISO deadline
    d = parse_directive(sample("002"), directory)
    dated = [a for a in d.assignments if a.section == "5.-2"]
    assert dated and all(a.deadline == dt.date(2021, 10, 1) and a.deadline_text == "trước 01/10/2021" for a in dated)


def test_sections_of_sample_002(directory, sample):
    # GIVEN sample 002 WHEN parsed THEN ten numbered sections with dash items under 3, 5, 6, 9
    d = parse_directive(sample("002"), directory)
    assert [s.path for s in d.sections] == [str(i) for i in range(1, 11)]
    assert [len(s.children) for s in d.sections] == [0, 0, 3, 0, 4, 2, 0, 0, 2, 0]
    assert d.sections[5].heading == "Các huyện, thành phố"
    assert d.sections[2].children[1].path == "3.-2"

"""Words a law site's copy glued together are split back into syllables before parsing."""

import pytest

from services.parse.parser import parse_directive
from vanthu.syllables import split_glued


@pytest.mark.parametrize(("glued", "split"), [
    ("chủtrì", "chủ trì"),
    ("Ủyban nhân dân", "Ủy ban nhân dân"),  # a run of vowels is never cut ("Ủ y")
    ("Giáodục và Đào tạo", "Giáo dục và Đào tạo"),
    ("thựchiện", "thực hiện"),  # "thự chiện" is no syllable of the language's documents
    ("vàĐầu tư", "và Đầu tư"),
    ("ĐắkNông", "Đắk Nông"),
])
def test_glued_syllables_are_split(glued, split):
    assert split_glued(glued) == split


@pytest.mark.parametrize("text", [
    "online email Website COVID UBND",  # no letter only Vietnamese has
    "Hà Nội quyết nghiêng khuya giữa",  # one run of vowels each
    "Kđăm Niê Ê Đê",  # names of one syllable each
])
def test_what_is_written_apart_or_foreign_stays(text):
    assert split_glued(text) == text


def test_a_glued_copy_still_tasks_its_units(national):
    # GIVEN a decision as a law site printed it: spaces lost where its lines broke
    text = (
        "ỦY BAN NHÂN DÂN\nTỈNH NAM ĐỊNH\nSố: 1825/QĐ-UBND\nNam Định, ngày 10 tháng 9 năm 2024\nQUYẾT ĐỊNH\n"
        "Ban hành Kế hoạch\nĐiều 2. Giao Giám đốc Sở Giáodục và Đào tạochủ trì, phối hợp với Sở Tài chính tổ chức"
        " triển khaithực hiện kế hoạch.\n"
    )
    # THEN the department leads and its partner cooperates, their names spelt apart
    assert {(a.unit_text, a.role) for a in parse_directive(text, national).assignments} == {
        ("Giám đốc Sở Giáo dục và Đào tạo", "lead"), ("Sở Tài chính", "cooperate"),
    }

"""Normalisation: tone placement, folding, cleaning."""

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


@given(st.text(max_size=300))
def test_clean_document_never_raises(text):
    # GIVEN arbitrary text WHEN cleaned THEN lines are non-empty strings
    assert all(line for line in clean_document(text))

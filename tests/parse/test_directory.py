"""The unit directory: loading, matching, expanding."""

import pytest

from vanthu.directory import DirectoryError, UnitDirectory


@pytest.mark.parametrize(
    ("printed", "unit_id"),
    [
        ("Sở Y tế", "so-y-te"),
        ("Sở Lao động Thương và Xã hội", "so-lao-dong-thuong-binh-va-xa-hoi"),  # typo in sample 002
        ("Sở LĐ-TB&XH", "so-lao-dong-thuong-binh-va-xa-hoi"),
        ("So Y te", "so-y-te"),  # diacritics lost by OCR
        ("Huyện uỷ Hải Hậu", "huyen-uy-hai-hau"),  # old tone placement
        ("UBND các huyện, thành phố", "cac-huyen-thanh-pho"),
        ("Ban cán sự đảng Ủy ban nhân dân tỉnh", "ban-can-su-dang-ubnd-tinh"),
        ("Sở Y tế tỉnh Nam Định", "so-y-te"),
        ("Sở Tài nguyên Môi trường", "so-tai-nguyen-va-moi-truong"),
    ],
)
def test_match_tolerates_damage(directory, printed, unit_id):
    # GIVEN a unit name as printed WHEN matched THEN the right unit
    assert directory.match(printed).unit.id == unit_id


@pytest.mark.parametrize("printed", ["Bộ Y tế", "huyện Hải Hà", "UBND huyện", "các ngành liên quan", "Sở Y tế Hà Nội"])
def test_match_refuses_other_units(directory, printed):
    # GIVEN a ministry, another district or a vague phrase WHEN matched THEN no unit
    assert directory.match(printed) is None


def test_expand_collectives(directory):
    # GIVEN collectives WHEN expanded THEN member units, recursively
    districts = directory.expand("cac-huyen-thanh-pho")
    assert len(districts) == 10 and all(u.kind == "district" for u in districts)
    assert directory.expand("so-y-te") == [directory.get("so-y-te")]
    nested = {u.id for u in directory.expand("cac-huyen-uy-thanh-uy-dang-uy-truc-thuoc")}
    assert "huyen-uy-hai-hau" in nested and "dang-uy-khoi-doanh-nghiep-tinh" in nested
    assert {u.kind for u in directory.expand("mttq-va-cac-doan-the-tinh")} == {"front", "mass-organisation"}


def test_load_validates(tmp_path):
    # GIVEN duplicate ids or unknown members WHEN loaded THEN DirectoryError
    bad = tmp_path / "bad.yaml"
    bad.write_text("units:\n  - {id: a, name: A, kind: x}\n  - {id: a, name: B, kind: x}\n", encoding="utf-8")
    with pytest.raises(DirectoryError):
        UnitDirectory.load(bad)
    bad.write_text("units:\n  - {id: a, name: A, kind: x, members: [b]}\n", encoding="utf-8")
    with pytest.raises(DirectoryError):
        UnitDirectory.load(bad)


def test_delivery_defaults(directory):
    # GIVEN the packaged directory WHEN read THEN every unit is reachable over Kafka
    assert all(u.delivery.kafka for u in directory.units())

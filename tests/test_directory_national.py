"""The national unit directory: generation, jurisdiction, succession, ambiguity, routing."""

from __future__ import annotations

from collections import defaultdict

import pytest
import yaml
from typer.testing import CliRunner

from services.notify.notices import build_notices
from vanthu.cli import app
from vanthu.directory import UnitDirectory
from vanthu.events import Assignment, Directive
from vanthu.normalize import fold

NINH_BINH, HA_NOI, HA_TINH = "37", "01", "42"


def test_generated_from_the_packages(national):
    # GIVEN the packaged data WHEN the national directory is generated THEN every province
    # and commune of the 2025 map, and the 14 ministries and 3 ministerial-level agencies
    units = national.units()
    provinces = {u.scope for u in units if u.kind == "provincial-leadership"}
    assert len(provinces) == 34
    assert sum(u.kind == "commune" for u in units) == 3321
    assert sum(u.kind == "ministry" for u in units) == 14
    assert sum(u.kind == "ministerial-agency" for u in units) == 3
    ward = national.get("vn:01:ward:00070")
    assert ward is not None and ward.name == "Ủy ban nhân dân phường Hoàn Kiếm"


@pytest.mark.parametrize(
    ("issuer", "printed", "unit_id"),
    [
        ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Sở Y tế", f"vn:{HA_TINH}:so-y-te"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "Sở Y tế", f"vn:{HA_NOI}:so-y-te"),
        ("ỦY BAN NHÂN DÂN THÀNH PHỐ HÀ NỘI", "UBND Thành phố", f"vn:{HA_NOI}:ubnd"),
        ("THÀNH ỦY HÀ NỘI", "Văn phòng Thành ủy", f"vn:{HA_NOI}:van-phong-tinh-uy"),
        ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Giám đốc Sở Tư pháp", f"vn:{HA_TINH}:so-tu-phap"),
        ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "Chánh Văn phòng UBND tỉnh", f"vn:{HA_TINH}:van-phong-ubnd"),
        ("ỦY BAN NHÂN DÂN TỈNH HÀ TĨNH", "So Tu phap", f"vn:{HA_TINH}:so-tu-phap"),  # diacritics lost
        ("BỘ XÂY DỰNG", "Sở Xây dựng Lâm Đồng", "vn:68:so-xay-dung"),
        ("BỘ Y TẾ", "Chánh Văn phòng Bộ", "vn:bo-y-te:van-phong"),
        ("BỘ XÂY DỰNG", "Vụ Pháp chế", "vn:bo-xay-dung:vu-phap-che"),
        ("THỦ TƯỚNG CHÍNH PHỦ", "Bộ trưởng Bộ Công an", "vn:bo-cong-an"),
        ("THỦ TƯỚNG CHÍNH PHỦ", "Phó Thủ tướng Chính phủ Trần Hồng Hà", "vn:pho-thu-tuong"),
        ("CHÍNH PHỦ", "VTV", "vn:dai-truyen-hinh-viet-nam"),  # the national broadcasters by their initials
        ("CHÍNH PHỦ", "TTXVN", "vn:thong-tan-xa-viet-nam"),
    ],
)
def test_the_issuer_decides_whose_unit_a_name_is(national, issuer, printed, unit_id):
    # GIVEN a document's issuing body WHEN a printed name is matched in its jurisdiction
    # THEN the unit of that jurisdiction (or of the province the name itself names)
    jurisdiction = national.jurisdiction_of(issuer)
    assert national.match(printed, jurisdiction).unit.id == unit_id


def test_the_place_names_the_province_of_a_local_issuer_only(national):
    # GIVEN a provincial body's header with no province in it, and a central body's, both
    # dated at a place WHEN the document's jurisdiction is read THEN the place decides the
    # local one; the capital where central bodies sign does not make them Hà Nội's
    local = national.jurisdiction_of("BAN THƯỜNG VỤ TỈNH ỦY", place="Hà Tĩnh")
    assert national.match("Sở Y tế", local).unit.id == f"vn:{HA_TINH}:so-y-te"
    central = national.jurisdiction_of("BAN CHỈ ĐẠO TRUNG ƯƠNG VỀ PHÒNG, CHỐNG THIÊN TAI", place="Hà Nội")
    assert national.match("Sở Y tế", central) is None


def test_a_provinces_own_names_never_reach_another_province(national):
    # GIVEN every province's generic names ("Sở Y tế", "Công an tỉnh", ...) WHEN matched in
    # that province's documents THEN each resolves to a unit of that province only
    names_by_province: dict[str, list[str]] = defaultdict(list)
    for unit in national.units():
        if unit.scope.isdigit() and unit.kind != "commune":
            names_by_province[unit.scope] += unit.aliases[:1]
    for code, names in names_by_province.items():
        for name in names:
            found = national.match(name, code)
            assert found is not None and found.unit.id.startswith(f"vn:{code}:"), (code, name)


def test_ambiguous_names_are_never_guessed(national):
    # GIVEN "Sở" alone, a department in a central document, and two communes of one
    # province whose names differ only by diacritics WHEN looked up THEN candidates, no unit
    bare = national.lookup("Sở", HA_TINH)
    assert bare.unit is None and len(bare.candidates) > 5
    central = national.lookup("Sở Y tế", None)
    assert central.unit is None and len(central.candidates) == 34
    # ... though "Sở Y tế" is still a unit's name (the parser keeps it whole), "Sở" is not
    assert national.knows("Sở Y tế", None) and not national.knows("Sở", HA_TINH)
    twins = _communes_folding_alike(national)
    assert twins, "the 2025 map has communes of one province whose names fold alike"
    code, first, second = twins[0]
    folded = national.lookup(fold(first.aliases[0]), code)
    assert folded.unit is None and {first.id, second.id} <= {u.id for u in folded.candidates}
    # ... and the printed diacritics tell them apart
    assert national.match(first.aliases[0], code).unit.id == first.id
    assert national.match(second.aliases[0], code).unit.id == second.id


def _communes_folding_alike(national):
    seen: dict[tuple[str, str], object] = {}
    pairs = []
    for unit in national.units():
        if unit.kind == "commune":
            key = (unit.scope, fold(unit.aliases[0]))
            if key in seen:
                pairs.append((unit.scope, seen[key], unit))
            seen[key] = unit
    return pairs


def test_former_units_route_to_their_successors_with_the_succession(national):
    # GIVEN a 2021 document of Nam Định (merged into Ninh Bình on 1 July 2025)
    jurisdiction = national.jurisdiction_of("UBND tỉnh Nam Định")
    # WHEN a merged department, a former district and a collective of districts are matched
    labour = national.match("Sở Lao động - Thương binh và Xã hội", jurisdiction)
    district = national.match("UBND huyện Vụ Bản", jurisdiction)
    districts = national.match("UBND các huyện, thành phố", jurisdiction)
    # THEN today's units of Ninh Bình, and the match says what changed and when
    assert labour.unit.id == f"vn:{NINH_BINH}:so-noi-vu"
    assert [(s.former, s.date.isoformat()) for s in labour.succession] == [
        ("tỉnh Nam Định", "2025-07-01"), ("Sở Lao động - Thương binh và Xã hội", "2025-03-01")]
    communes = national.expand(district.unit.id)
    assert communes and all(u.id.startswith(f"vn:{NINH_BINH}:ward:") for u in communes)
    assert "huyện Vụ Bản" in [s.former for s in district.succession]
    # the former province's communes only, not those of the rest of today's Ninh Bình
    former = {u.id for u in national.expand(districts.unit.id)}
    assert set(u.id for u in communes) <= former < {u.id for u in national.expand(f"vn:{NINH_BINH}:cac-xa-phuong")}


def test_central_collectives_reach_every_province(national):
    # GIVEN a Government dispatch WHEN it addresses the provinces' bodies collectively
    found = national.match("Chủ tịch Ủy ban nhân dân các tỉnh, thành phố trực thuộc Trung ương", None)
    health = national.match("Giám đốc Sở Y tế các tỉnh, thành phố trực thuộc Trung ương", "vn:bo-y-te")
    # THEN 34 provincial units each
    assert {u.id.split(":")[2] for u in national.expand(found.unit.id)} == {"ubnd"}
    assert len(national.expand(found.unit.id)) == 34
    assert len(national.expand(health.unit.id)) == 34


def test_a_province_named_with_its_level_is_its_peoples_committee(national):
    # GIVEN a Government notice tasking provinces by name ("Tỉnh Nghệ An khẩn trương ...",
    # "Thành phố Hà Nội đẩy nhanh ...")
    # WHEN their names are matched THEN each is its People's Committee, which acts for it
    assert national.match("Tỉnh Nghệ An", None).unit.id == "vn:40:ubnd"
    assert national.match("thành phố Hà Nội", None).unit.id == f"vn:{HA_NOI}:ubnd"
    # ... a merged province's name reaches its successor's
    assert national.match("tỉnh Quảng Bình", None).unit.id == "vn:44:ubnd"
    # ... and a place alone, or under a level it does not have, is no body's
    assert national.match("Hà Nội", None) is None
    assert national.match("thành phố Gia Lai", None) is None


def test_a_provincial_level_unit_in_a_central_document_is_every_provinces(national):
    # GIVEN a National Assembly resolution tasking "Ủy ban nhân dân cấp tỉnh" (old tone placement)
    central = national.jurisdiction_of("ỦY BAN THƯỜNG VỤ QUỐC HỘI")
    found = national.match("Chủ tịch Uỷ ban nhân dân cấp tỉnh", central)
    # THEN the provinces' committees, all 34; in a province's own document, its own
    assert found is not None and len(national.expand(found.unit.id)) == 34
    assert national.match("Ủy ban nhân dân cấp tỉnh", HA_TINH).unit.id == f"vn:{HA_TINH}:ubnd"


def _directive(*unit_ids: str) -> Directive:
    return Directive(issuer="THỦ TƯỚNG CHÍNH PHỦ", assignments=[
        Assignment(unit=u, unit_text=u, unit_id=u, role="assigned", task="Thực hiện.") for u in unit_ids])


def test_notices_go_only_to_the_units_the_deployment_serves():
    # GIVEN Ninh Bình's mailroom WHEN a dispatch tasks all provinces' UBND, Hà Nội's Sở Y tế
    # and Ninh Bình's Sở Y tế THEN notices for Ninh Bình's units only; Hà Nội's goes to review
    served = UnitDirectory.national(home="Ninh Bình")
    # (a name with no jurisdiction given is a central document's, never taken for the home's)
    assert served.match("Sở Y tế") is None
    notices = build_notices(_directive("vn:provinces:ubnd", f"vn:{HA_NOI}:so-y-te", f"vn:{NINH_BINH}:so-y-te"),
                            "doc", served)
    assert [n.unit_id for n in notices] == [f"vn:{NINH_BINH}:ubnd", None, f"vn:{NINH_BINH}:so-y-te"]
    # ... or nowhere, as configured
    dropped = UnitDirectory.national(home="Ninh Bình", unserved="drop")
    notices = build_notices(_directive(f"vn:{HA_NOI}:so-y-te"), "doc", dropped)
    assert notices == []


def test_the_overlay_adds_delivery_local_units_and_aliases(tmp_path):
    # GIVEN an overlay with a webhook, a local unit and a clerk's alias
    overlay = tmp_path / "overlay.yaml"
    overlay.write_text(yaml.safe_dump({
        "national": True,
        "home": "Ninh Bình",
        "delivery": {f"vn:{NINH_BINH}:so-y-te": {"webhook": {"url": "https://soyte.example/hook"}}},
        "units": [{"id": f"vn:{NINH_BINH}:ban-quan-ly-du-an-local", "name": "Ban Quản lý dự án đầu tư xây dựng tỉnh",
                   "kind": "provincial-agency", "scope": NINH_BINH}],
        "aliases": {"Phòng Y tế": f"vn:{NINH_BINH}:so-y-te"},
    }, allow_unicode=True), encoding="utf-8")
    # WHEN loaded through the ordinary path THEN all three are there
    directory = UnitDirectory.load(overlay)
    assert directory.get(f"vn:{NINH_BINH}:so-y-te").delivery.webhook.url == "https://soyte.example/hook"
    assert directory.match("Ban Quản lý dự án đầu tư xây dựng tỉnh", NINH_BINH).unit.kind == "provincial-agency"
    assert directory.match("Phòng Y tế", NINH_BINH).unit.id == f"vn:{NINH_BINH}:so-y-te"
    assert not directory.serves(f"vn:{HA_NOI}:so-y-te") and directory.serves(f"vn:{NINH_BINH}:so-y-te")


def test_a_clerks_resolution_is_stored_and_resolves_next_time(tmp_path):
    # GIVEN a wording the directory does not know
    overlay = tmp_path / "overlay.yaml"
    wording = "Trung tâm Kiểm soát bệnh tật tỉnh"
    assert UnitDirectory.national().match(wording, NINH_BINH) is None
    # WHEN a clerk stores it as an alias THEN the same wording resolves to that unit
    result = CliRunner().invoke(app, ["directory", "alias", wording, f"vn:{NINH_BINH}:so-y-te", "--overlay", str(overlay)])
    assert result.exit_code == 0, result.output
    assert UnitDirectory.load(overlay).match(wording, NINH_BINH).unit.id == f"vn:{NINH_BINH}:so-y-te"
    # ... and an alias to a unit that does not exist is refused, leaving the overlay as it was
    before = overlay.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["directory", "alias", "Sở X", "vn:37:no-such-unit", "--overlay", str(overlay)])
    assert result.exit_code != 0 and overlay.read_text(encoding="utf-8") == before


def test_search_command_shows_the_succession():
    # GIVEN a former body's name WHEN searched in a former province THEN today's unit and the change
    result = CliRunner().invoke(app, ["directory", "search", "Sở Kế hoạch và Đầu tư", "--in", "Nam Định"])
    assert result.exit_code == 0, result.output
    assert f"vn:{NINH_BINH}:so-tai-chinh" in result.output and "Sở Kế hoạch và Đầu tư" in result.output

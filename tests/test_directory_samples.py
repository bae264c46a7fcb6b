"""The Nam Định samples of 2021 (examples/directives, checked in tests/parse/expected)
route to today's Ninh Bình units, saying what changed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from vanthu.directory import UnitDirectory

EXPECTED = Path(__file__).resolve().parent / "parse" / "expected"
NAM_DINH_SAMPLES = ["000", "001", "002", "003"]  # 004 is from Nghệ An


@pytest.fixture(scope="module")
def ninh_binh() -> UnitDirectory:
    # Nam Định's mailroom is Ninh Bình's since 1 July 2025
    return UnitDirectory.national(home="Ninh Bình")


@pytest.mark.parametrize("sample", NAM_DINH_SAMPLES)
def test_a_2021_nam_dinh_directive_routes_to_ninh_binh(ninh_binh, sample):
    # GIVEN the units a clerk read in the sample (those the old Nam Định directory knew)
    expected = yaml.safe_load((EXPECTED / f"{sample}.yaml").read_text(encoding="utf-8"))
    jurisdiction = ninh_binh.jurisdiction_of(expected["issuer"], expected.get("parent_issuer"), expected.get("place"))
    printed = {a["unit_text"] for a in expected["assignments"] if a.get("unit_id")}
    # WHEN each is matched in the document's jurisdiction
    found = {text: ninh_binh.match(text, jurisdiction) for text in printed}
    resolved = {text: m for text, m in found.items() if m is not None}
    # THEN most resolve, all to units Ninh Bình's mailroom serves, and a former body's name
    # (a district collective, a merged department or Party board) says so
    assert len(resolved) >= 0.6 * len(printed), sorted(set(printed) - set(resolved))
    assert all(m.unit.id.startswith("vn:37:") and ninh_binh.serves(m.unit.id) for m in resolved.values())
    for text, m in resolved.items():
        if any(word in text.lower() for word in ("huyện", "thông tin và truyền thông", "lao động", "cán sự")):
            assert any(s.date for s in m.succession), text
    if "Nam Định" in (expected.get("place") or "") + (expected.get("issuer") or ""):
        assert all("tỉnh Nam Định" in [s.former for s in m.succession] for m in resolved.values())

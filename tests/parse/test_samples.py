"""The five real directives against their hand-checked events.

``expected/NNN.yaml`` holds the whole parsed-directive (every field of
:class:`vanthu.events.Directive`), checked line by line against the document; its
header comment says what needed judgement. When the parser changes, a failure here
names the field that moved: fix the parser, or, when the new reading is the right one,
correct the file by hand after checking it against the document again.
"""

from pathlib import Path

import pytest
import yaml

from services.parse.parser import parse_directive
from vanthu.events import Directive

EXPECTED = Path(__file__).parent / "expected"
STEMS = sorted(p.stem for p in EXPECTED.glob("*.yaml"))


def _expected(stem: str) -> dict:
    return yaml.safe_load((EXPECTED / f"{stem}.yaml").read_text(encoding="utf-8"))


def _who(assignment: dict) -> tuple:
    return assignment["section"], assignment["unit_text"], assignment["role"]


def test_every_sample_has_an_expected_event():
    # GIVEN the expected events WHEN listed THEN there is one for each of the five samples
    assert STEMS == ["000", "001", "002", "003", "004"]


@pytest.mark.parametrize("stem", STEMS)
def test_sample_parses_to_its_checked_event(stem, directory, sample):
    # GIVEN a real directive and its hand-checked event
    expected = _expected(stem)
    # WHEN it is parsed
    got = parse_directive(sample(stem), directory).model_dump(mode="json")
    # THEN the file covers every field of the event, and every field matches
    assert set(expected) == set(Directive.model_fields)
    missing = [_who(a) for a in expected["assignments"] if a not in got["assignments"]]
    unexpected = [_who(a) for a in got["assignments"] if a not in expected["assignments"]]
    assert (missing, unexpected) == ([], [])
    for name in expected:
        if name != "warnings":
            assert got[name] == expected[name], name
    # ... and the warnings tell what a reader must know, whatever their wording: each header
    # field left null, each unit left without an id (for a clerk to route)
    for name in ("number", "date", "issuer"):
        if expected[name] is None:
            assert any(name in w for w in got["warnings"]), name
    # (by name, or all at once when the unit directory does not cover the document's province)
    whole_document = any("unit ids" in w for w in got["warnings"])
    for unit in {a["unit_text"] for a in expected["assignments"] if a["unit_id"] is None}:
        assert whole_document or any(unit in w for w in got["warnings"]), unit


@pytest.mark.parametrize(
    "damage",
    [
        {"Kính gửi": "Kinh gửi", "Nơi nhận": "Noi nhận"},  # tone marks lost
        {"Kính gửi": "Kính gưi", "Nơi nhận": "Nơi nhân", "T/M": "T/ M"},  # marks misread, a stray space
    ],
)
def test_ocr_damaged_keywords_keep_the_blocks(damage, directory, sample):
    # GIVEN sample 001 with its block keywords damaged as OCR damages them
    text = sample("001")
    for clean, damaged in damage.items():
        assert clean in text
        text = text.replace(clean, damaged)
    # WHEN parsed
    d = parse_directive(text, directory).model_dump(mode="json")
    # THEN recipients, distribution, signer and assignments are those of the clean text
    expected = _expected("001")
    for name in ("recipients", "distribution", "signer", "assignments"):
        assert d[name] == expected[name], name

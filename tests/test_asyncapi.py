"""The committed AsyncAPI documents (docs/asyncapi/) are generated from the apps; a change
to an event model or a topic without regenerating them (`vanthu asyncapi`) fails here."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanthu.cli.pipeline import asyncapi_documents

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return asyncapi_documents()


@pytest.mark.parametrize("stage", ["ocr", "parse", "notify", "notify-channels"])
def test_committed_asyncapi_matches_the_app(stage, generated):
    # GIVEN the app of a stage WHEN its AsyncAPI document is generated THEN it is the committed one
    committed = ROOT / "docs" / "asyncapi" / f"{stage}.yaml"
    assert generated[stage] == committed.read_text(encoding="utf-8"), f"run `vanthu asyncapi` to regenerate {committed.name}"


def test_every_topic_has_its_schema(generated):
    # GIVEN the documents WHEN the channels are listed THEN every event topic is described with a payload
    text = "\n".join(generated.values())
    for topic in ("vanthu.objects", "vanthu.text", "vanthu.directives", "vanthu.assignments", "vanthu.review", "vanthu.failed"):
        assert f"address: {topic}" in text
    for model in ("ObjectCreated", "TextExtracted", "DirectiveParsed", "AssignmentNotice", "ReviewItem", "DocumentFailed"):
        assert f"{model}:" in text

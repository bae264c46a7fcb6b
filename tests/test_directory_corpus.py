"""The national directory on the development corpus (../shared/corpus/assignments)."""

from __future__ import annotations

import pytest

from bench.directory_units import DEFAULT_CORPUS, resolve_corpus
from vanthu.directory import UnitDirectory


@pytest.fixture(scope="module")
def entries():
    if not (DEFAULT_CORPUS / "expected").is_dir():
        pytest.skip(f"the development corpus is not at {DEFAULT_CORPUS}")
    return resolve_corpus(UnitDirectory.national(), DEFAULT_CORPUS)


def test_specific_assignees_resolve_in_their_documents_jurisdiction(entries):
    # GIVEN each document's specific assignees WHEN looked up in its issuer's jurisdiction
    # THEN at least 95% get a unit id
    share = sum(e.resolved for e in entries) / len(entries)
    assert share >= 0.95, [e.unit for e in entries if not e.resolved]


def test_no_assignee_resolves_to_another_provinces_body(entries):
    # GIVEN the same lookups THEN none lands on a province the document is not from, unless
    # the printed name itself names that province ("Sở Xây dựng Lâm Đồng")
    assert [(e.document, e.unit, e.foreign) for e in entries if e.foreign] == []

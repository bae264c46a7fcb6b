"""A batch's progress as `vanthu status --batch` reports it, read from the documents' state
(vanthu/batches.py), on in-memory storage."""

from __future__ import annotations

import pytest

from tests.conftest import MemoryStorage
from vanthu import batches
from vanthu.events import ObjectRef
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step


def _submit(storage: MemoryStorage, batch: str, name: str, document_id: str) -> str:
    key = f"bulk/2026/12/04/{name}"
    batches.add(storage, batches.BatchItem(batch=batch, document_id=document_id, key=key, filename=name))
    return key


def test_each_file_is_done_failed_with_its_reason_or_remaining():
    # GIVEN a batch of six files at every point of the pipeline
    storage = MemoryStorage(Settings())
    state = StateStore(storage)
    incoming = storage.settings.buckets.incoming
    keys = {name: _submit(storage, "luu-tru", name, doc) for name, doc in [
        ("a.pdf", "a" * 64), ("b.pdf", "b" * 64), ("c.pdf", "c" * 64), ("d.pdf", "d" * 64),
        ("e.pdf", "e" * 64), ("e-copy.pdf", "e" * 64)]}
    _submit(storage, "other", "x.pdf", "f" * 64)
    for name in ("a.pdf", "b.pdf", "c.pdf", "e.pdf", "e-copy.pdf"):
        state.record(name[0] * 64, received_step(ObjectRef(bucket=incoming, key=keys[name])), key=keys[name])
    state.record("a" * 64, "text", pages=3)
    state.record("a" * 64, "parsed", assignments=4)
    state.record("a" * 64, "notified", notices=4)
    state.record("b" * 64, "failed/ocr-20261204T100000000000", stage="ocr", reason="corrupt-file",
                 message="the PDF is truncated")
    state.record("c" * 64, "text", pages=1)
    state.record("e" * 64, "duplicate/" + received_step(ObjectRef(bucket=incoming, key=keys["e-copy.pdf"]))
                 .removeprefix("received/"), stage="ocr", reason="duplicate", message="the same bytes as e.pdf")
    # WHEN its progress is read
    progress = batches.progress(state, "luu-tru")
    # THEN it counts only its own files, each where it is
    by_name = {i.item.filename: i for i in progress.items}
    assert sorted(by_name) == ["a.pdf", "b.pdf", "c.pdf", "d.pdf", "e-copy.pdf", "e.pdf"]
    assert (progress.count("done"), progress.count("failed"), progress.count("remaining")) == (1, 2, 3)
    assert (by_name["b.pdf"].outcome, by_name["b.pdf"].reason) == ("failed", "corrupt-file")
    assert (by_name["e-copy.pdf"].outcome, by_name["e-copy.pdf"].reason) == ("failed", "duplicate")
    assert (by_name["c.pdf"].outcome, by_name["c.pdf"].step) == ("remaining", "text")
    assert (by_name["d.pdf"].outcome, by_name["d.pdf"].step) == ("remaining", "")  # not received yet
    assert (by_name["e.pdf"].outcome, by_name["e.pdf"].step) == ("remaining", "received")


def test_a_secret_document_held_for_the_records_office_is_done():
    storage = MemoryStorage(Settings())
    state = StateStore(storage)
    _submit(storage, "mat", "m.pdf", "9" * 64)
    state.record("9" * 64, "parsed", secrecy="Mật", held=True)
    assert batches.progress(state, "mat").count("done") == 1


@pytest.mark.parametrize("name", ["", "../x", "a/b", "-x", "x" * 65, "lưu trữ"])
def test_a_batch_name_that_could_not_be_a_key_segment_is_refused(name):
    with pytest.raises(ValueError):
        batches.check_name(name)


async def test_a_file_that_fails_before_it_is_read_counts_as_failed_with_its_reason():
    # GIVEN a batch of two files submitted, one of which is bigger in the bucket than the
    # OCR stage reads (as a truncated or unreadable upload, it never gets a document id)
    from faststream.kafka import TestKafkaBroker

    from examples.render import example_texts, text_pdf
    from services.ocr import app as ocr_app
    from tests.inmemory import minio_event

    settings = Settings()
    small = text_pdf(example_texts()["002_d2642929b84c508e"])
    settings = settings.model_copy(update={"ocr": settings.ocr.model_copy(update={"max_bytes": len(small) + 1})})
    storage = MemoryStorage(settings)
    state = StateStore(storage)
    keys = {name: _submit(storage, "lo-1", name, name[0] * 64) for name in ("big.pdf", "ok.pdf")}
    storage.objects[(settings.buckets.incoming, keys["big.pdf"])] = small + b"\0" * 4096
    storage.objects[(settings.buckets.incoming, keys["ok.pdf"])] = small
    app = ocr_app.create_app(settings, storage, downstream_lag=lambda: 0)
    # WHEN the OCR stage reads both from the bulk lane
    try:
        async with TestKafkaBroker(app.broker) as broker:
            for key in keys.values():
                await broker.publish(minio_event(settings.buckets.incoming, key, {"X-Amz-Meta-Batch": "lo-1"}),
                                     settings.topics.objects)
    finally:
        await app.stop()
    # THEN the big one counts as failed, with its reason, not as remaining forever
    by_name = {i.item.filename: i for i in batches.progress(state, "lo-1").items}
    assert (by_name["big.pdf"].outcome, by_name["big.pdf"].reason) == ("failed", "too-large")
    assert by_name["big.pdf"].message
    assert by_name["ok.pdf"].outcome != "failed"


@pytest.mark.parametrize("batch", [None, "../x"])
def test_a_failure_naming_no_usable_batch_is_not_kept(batch):
    from vanthu.events import DocumentFailed, Submission

    storage = MemoryStorage(Settings())
    failure = DocumentFailed(stage="ocr", reason="too-large", message="too big",
                             source=ObjectRef(bucket=storage.settings.buckets.incoming, key="bulk/x.pdf"),
                             submission=Submission(batch=batch))
    assert batches.record_failure(storage, failure) is False
    assert not storage.objects or all(not key.startswith(batches.FAILURES) for _, key in storage.objects)

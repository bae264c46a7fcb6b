"""Events are not trusted: a stage touches only what an event may name, and an event that
names anything else is one ``vanthu.failed`` at once, never retried, never acted on."""

from __future__ import annotations

import pytest
from faststream.kafka import TestKafkaBroker

from examples.render import example_texts, text_pdf
from services.notify import app as notify_app
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from tests.conftest import MemoryStorage
from tests.inmemory import capture, minio_event
from vanthu.events import Assignment, DirectiveParsed, ObjectRef, PageText, TextArtifact, TextExtracted
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step
from vanthu.storage import text_artifact_ref

SETTINGS = Settings()
TOPICS = SETTINGS.topics
MINE, OTHER = "1" * 64, "2" * 64
SOURCE = ObjectRef(bucket=SETTINGS.buckets.incoming, key="2024/01/12/mine.pdf")
OTHER_SOURCE = ObjectRef(bucket=SETTINGS.buckets.incoming, key="2024/01/12/other.pdf")


@pytest.fixture
def storage() -> MemoryStorage:
    """Two documents received and extracted: MINE and OTHER."""
    storage = MemoryStorage(SETTINGS)
    state = StateStore(storage)
    for document_id, source in ((MINE, SOURCE), (OTHER, OTHER_SOURCE)):
        state.record(document_id, received_step(source), bucket=source.bucket, key=source.key)
        storage.put_model(text_artifact_ref(SETTINGS, document_id), TextArtifact(
            document_id=document_id, media_type="application/pdf",
            pages=[PageText(number=1, text=example_texts()["002_d2642929b84c508e"], source="text-layer")]))
    return storage


def text_event(document_id: str = MINE, source: ObjectRef = SOURCE, artifact: ObjectRef | None = None) -> dict:
    return TextExtracted(
        document_id=document_id, source=source, artifact=artifact or text_artifact_ref(SETTINGS, document_id),
        media_type="application/pdf", pages=1, text_source="text-layer", page_sources=["text-layer"],
    ).model_dump(mode="json")


def directive_event(source: ObjectRef | None = SOURCE, artifact: ObjectRef | None = None) -> dict:
    return DirectiveParsed(
        document_id=MINE, text_source="text-layer", number="1/TB-UBND", source=source,
        artifact=artifact or text_artifact_ref(SETTINGS, MINE),
        assignments=[Assignment(unit="Sở Y tế", unit_text="Sở Y tế", unit_id="vn:37:so-y-te", role="lead", task="Tiêm")],
    ).model_dump(mode="json")


FORGED_TEXT_EVENTS = {
    "artifact of another document": text_event(artifact=text_artifact_ref(SETTINGS, OTHER)),
    "artifact outside the artifacts bucket": text_event(artifact=ObjectRef(bucket="incoming", key=f"text/{MINE}.json")),
    "artifact key climbing out with ..": text_event(artifact=ObjectRef(bucket="artifacts", key=f"text/../state/{MINE}.json")),
    "another document's original": text_event(source=OTHER_SOURCE),
    "original outside the intake bucket": text_event(source=ObjectRef(bucket="artifacts", key=f"text/{MINE}.json")),
    "document id that is no sha256": text_event(document_id="../../etc"),
}
FORGED_DIRECTIVES = {
    "artifact of another document": directive_event(artifact=text_artifact_ref(SETTINGS, OTHER)),
    "state object as its artifact": directive_event(artifact=ObjectRef(bucket="artifacts", key=f"state/{OTHER}/notified.json")),
    "another document's original": directive_event(source=OTHER_SOURCE),
    "original in another bucket": directive_event(source=ObjectRef(bucket="backups", key="db.dump")),
    "original key with ..": directive_event(source=ObjectRef(bucket="incoming", key="a/../../b.pdf")),
}


@pytest.mark.parametrize("forgery", list(FORGED_TEXT_EVENTS), ids=str)
async def test_parse_acts_on_no_forged_text_event(storage, forgery):
    app = parse_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.directives, TOPICS.failed, TOPICS.retry_for("parse"), TOPICS.dlq)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(FORGED_TEXT_EVENTS[forgery], TOPICS.text)
    # THEN nothing is published, one failure says why, and it is not retried
    assert not seen[TOPICS.directives]
    assert [f["reason"] for f in seen[TOPICS.failed]] == ["invalid-reference"]
    assert not seen[TOPICS.retry_for("parse")] and not seen[TOPICS.dlq]


@pytest.mark.parametrize("forgery", list(FORGED_DIRECTIVES), ids=str)
async def test_notify_makes_no_link_for_a_forged_directive(storage, forgery):
    app = notify_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.assignments, TOPICS.review, TOPICS.failed, TOPICS.retry_for("notify"),
                   TOPICS.dlq)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(FORGED_DIRECTIVES[forgery], TOPICS.directives)
    # THEN no notice (and so no link) is sent, one failure says why, and it is not retried
    assert not seen[TOPICS.assignments] and not seen[TOPICS.review]
    assert [f["reason"] for f in seen[TOPICS.failed]] == ["invalid-reference"]
    assert not seen[TOPICS.retry_for("notify")] and not seen[TOPICS.dlq]


async def test_the_genuine_events_are_acted_on(storage):
    # GIVEN the same stages and documents (the control: the checks must not refuse the real thing)
    parse = parse_app.create_app(SETTINGS, storage)
    parsed = capture(parse.broker, TOPICS.directives, TOPICS.failed)
    async with TestKafkaBroker(parse.broker) as broker:
        await broker.publish(text_event(), TOPICS.text)
    notify = notify_app.create_app(SETTINGS, storage)
    notified = capture(notify.broker, TOPICS.assignments, TOPICS.failed)
    async with TestKafkaBroker(notify.broker) as broker:
        await broker.publish(directive_event(), TOPICS.directives)
    assert len(parsed[TOPICS.directives]) == 1 and not parsed[TOPICS.failed]
    assert notified[TOPICS.assignments][0]["text_url"].startswith(f"memory://artifacts/text/{MINE}.json")


async def test_an_artifact_that_is_not_an_artifact_fails_once(storage):
    # GIVEN a document whose artifact object holds something else
    storage.objects[(SETTINGS.buckets.artifacts, text_artifact_ref(SETTINGS, MINE).key)] = b'{"rows": [1, 2]}'
    app = parse_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.directives, TOPICS.failed, TOPICS.retry_for("parse"), TOPICS.dlq)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(text_event(), TOPICS.text)
    # THEN one failure, at once
    assert [f["reason"] for f in seen[TOPICS.failed]] == ["artifact-invalid"]
    assert not seen[TOPICS.retry_for("parse")] and not seen[TOPICS.dlq] and not seen[TOPICS.directives]


@pytest.mark.parametrize("key", ["../artifacts/state/x.json", "/etc/passwd", "a/./b.pdf", "a\x00b.pdf"])
async def test_ocr_refuses_a_key_that_could_escape_at_once(key):
    storage = MemoryStorage(SETTINGS)
    storage.objects[(SETTINGS.buckets.incoming, key)] = text_pdf("Số: 1/TB-UBND\nTHÔNG BÁO\nNội dung.")
    app = ocr_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.text, TOPICS.failed, TOPICS.retry_for("ocr"), TOPICS.dlq)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(minio_event(SETTINGS.buckets.incoming, key), TOPICS.objects)
    assert [f["reason"] for f in seen[TOPICS.failed]] == ["invalid-reference"]
    assert not seen[TOPICS.text] and not seen[TOPICS.retry_for("ocr")] and not seen[TOPICS.dlq]


async def test_a_later_duplicate_leaves_a_delivered_documents_outcome_alone():
    # GIVEN a document extracted and notified, then its bytes submitted again under another key
    storage = MemoryStorage(SETTINGS)
    pdf = text_pdf(example_texts()["002_d2642929b84c508e"])
    for key in ("first.pdf", "again.pdf"):
        storage.objects[(SETTINGS.buckets.incoming, key)] = pdf
    app = ocr_app.create_app(SETTINGS, storage)
    seen = capture(app.broker, TOPICS.text, TOPICS.failed)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(minio_event(SETTINGS.buckets.incoming, "first.pdf"), TOPICS.objects)
        [text] = seen[TOPICS.text]
        StateStore(storage).record(text["document_id"], "notified", notices=3)
        await broker.publish(minio_event(SETTINGS.buckets.incoming, "again.pdf"), TOPICS.objects)
    # THEN the duplicate is reported, and kept as such, but the document has not failed
    assert [f["reason"] for f in seen[TOPICS.failed]] == ["duplicate"]
    steps = [s.step.split("/")[0] for s in StateStore(storage).steps(text["document_id"])]
    assert "notified" in steps and "duplicate" in steps and "failed" not in steps


async def test_every_failure_of_a_document_is_kept(storage):
    # GIVEN a document that fails at parse twice, for two reasons
    app = parse_app.create_app(SETTINGS, storage)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(text_event(source=OTHER_SOURCE), TOPICS.text)
        storage.objects[(SETTINGS.buckets.artifacts, text_artifact_ref(SETTINGS, MINE).key)] = b"[]"
        await broker.publish(text_event(), TOPICS.text)
    # THEN both failures are in its state
    failures = [s.details["reason"] for s in StateStore(storage).steps(MINE, "failed")]
    assert failures == ["invalid-reference", "artifact-invalid"]

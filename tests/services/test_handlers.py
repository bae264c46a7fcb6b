"""The three services' handlers on FastStream's in-memory Kafka, with in-memory storage.

These prove each handler's contract quickly; tests/integration proves the flow on the
real Kafka and MinIO.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib

import pytest
from faststream.kafka import TestKafkaBroker

from tests.inmemory import capture, minio_event
from examples.render import text_pdf
from services.notify import app as notify_app
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from vanthu.directory import UnitDirectory
from services.ocr.geometry import line_of
from vanthu.events import (
    Assignment,
    Block,
    DigitalSignature,
    DirectiveParsed,
    ObjectRef,
    PageText,
    ReviewItem,
    TextArtifact,
    TextExtracted,
    Word,
)
from vanthu.settings import Settings
from vanthu.state import StateStore, received_step
from vanthu.storage import text_artifact_ref

SETTINGS = Settings()
TOPICS = SETTINGS.topics


@functools.cache
def services_directory() -> UnitDirectory:
    """The directory the services load with these settings (the national one)."""
    return UnitDirectory.from_settings(SETTINGS)






@pytest.fixture
def directive_text(examples) -> str:
    return examples["002_d2642929b84c508e"]


async def test_ocr_extracts_text_of_a_new_object(memory_storage, directive_text):
    # GIVEN a text-layer PDF in the intake bucket under a Vietnamese key with spaces
    pdf = text_pdf(directive_text)
    key = "2021/09/Thông báo số 1.pdf"
    memory_storage.objects[(SETTINGS.buckets.incoming, key)] = pdf
    app = ocr_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.text, TOPICS.failed)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN MinIO's notification arrives
        await broker.publish(minio_event(SETTINGS.buckets.incoming, key, {"X-Amz-Meta-Submitted-By": "Nguy%E1%BB%85n"}),
                             TOPICS.objects)
    # THEN one text event names the document by the sha256 of its bytes and the artifact holds its text
    assert not seen[TOPICS.failed]
    [event] = [TextExtracted.model_validate(e) for e in seen[TOPICS.text]]
    assert event.document_id == hashlib.sha256(pdf).hexdigest()
    assert event.source == ObjectRef(bucket=SETTINGS.buckets.incoming, key=key)
    assert event.submission.submitted_by == "Nguyễn"
    assert event.text_source == "text-layer" and event.pages >= 3 and not event.failed_pages
    artifact = memory_storage.get_model(event.artifact, TextArtifact)
    assert "Sở Y tế chủ trì" in " ".join(artifact.text.split())
    # ... and the original is untouched
    assert memory_storage.objects[(SETTINGS.buckets.incoming, key)] == pdf


async def test_ocr_reports_bad_input_and_keeps_consuming(memory_storage, directive_text):
    # GIVEN a ZIP file named .pdf, a notification for an object that is gone, two poison
    # messages, and after them a good PDF
    memory_storage.objects[(SETTINGS.buckets.incoming, "fake.pdf")] = b"PK\x03\x04" + bytes(200)
    memory_storage.objects[(SETTINGS.buckets.incoming, "good.pdf")] = text_pdf(directive_text)
    app = ocr_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.text, TOPICS.failed)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN they arrive in that order
        await broker.publish(minio_event(SETTINGS.buckets.incoming, "fake.pdf"), TOPICS.objects)
        await broker.publish(minio_event(SETTINGS.buckets.incoming, "gone.pdf"), TOPICS.objects)
        await broker.publish(b"{not json", TOPICS.objects)
        await broker.publish({"Records": "wrong shape"}, TOPICS.objects)
        await broker.publish(minio_event(SETTINGS.buckets.incoming, "good.pdf"), TOPICS.objects)
    # THEN each bad one is one typed failure, and the good one is still extracted
    reasons = [(f["reason"], (f.get("source") or {}).get("key")) for f in seen[TOPICS.failed]]
    assert reasons == [
        ("unsupported-format", "fake.pdf"),
        ("object-missing", "gone.pdf"),
        ("invalid-event", None),
        ("invalid-event", None),
    ]
    assert [e["source"]["key"] for e in seen[TOPICS.text]] == ["good.pdf"]


async def test_ocr_ignores_other_buckets(memory_storage):
    # GIVEN an object created in a bucket that is not the intake bucket
    memory_storage.objects[("elsewhere", "x.pdf")] = b"%PDF-1.4"
    app = ocr_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.text, TOPICS.failed)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN its notification arrives
        await broker.publish(minio_event("elsewhere", "x.pdf"), TOPICS.objects)
    # THEN nothing is published
    assert not seen[TOPICS.text] and not seen[TOPICS.failed]


def received(storage, document_id: str, source: ObjectRef) -> None:
    """Record what the OCR stage records when it receives ``source`` as ``document_id``."""
    StateStore(storage).record(document_id, received_step(source), bucket=source.bucket, key=source.key)


def _text_event(document_id: str, artifact: ObjectRef) -> dict:
    return TextExtracted(
        document_id=document_id, source=ObjectRef(bucket="incoming", key="a.pdf"), artifact=artifact,
        media_type="application/pdf", pages=1, text_source="text-layer", page_sources=["text-layer"],
    ).model_dump(mode="json")


async def test_parse_publishes_the_structured_directive(memory_storage, directive_text):
    # GIVEN the text artifact of a document
    document_id = "d" * 64
    ref = text_artifact_ref(SETTINGS, document_id)
    memory_storage.put_model(ref, TextArtifact(document_id=document_id, media_type="application/pdf",
                                               pages=[PageText(number=1, text=directive_text, source="text-layer")]))
    for received_id in (document_id, "e" * 64):
        received(memory_storage, received_id, ObjectRef(bucket="incoming", key="a.pdf"))
    app = parse_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.directives, TOPICS.failed)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN its text event arrives, and one whose artifact is gone
        await broker.publish(_text_event(document_id, ref), TOPICS.text)
        await broker.publish(_text_event("e" * 64, text_artifact_ref(SETTINGS, "e" * 64)), TOPICS.text)
    # THEN the directive is published with its assignments, and the other fails with a reason
    [directive] = [DirectiveParsed.model_validate(d) for d in seen[TOPICS.directives]]
    assert directive.document_id == document_id and directive.text_source == "text-layer"
    assert directive.doc_type == "Thông báo"
    assert any(a.unit_text == "Sở Y tế" and a.unit_id and a.role == "lead" for a in directive.assignments)
    assert [(f["document_id"], f["reason"]) for f in seen[TOPICS.failed]] == [("e" * 64, "artifact-missing")]


async def parse_artifact(memory_storage, artifact: TextArtifact) -> tuple[list[DirectiveParsed], list[ReviewItem]]:
    """What the parse service publishes for a received document's text ``artifact``: its
    directives and its review items."""
    ref = text_artifact_ref(SETTINGS, artifact.document_id)
    memory_storage.put_model(ref, artifact)
    received(memory_storage, artifact.document_id, ObjectRef(bucket="incoming", key="a.pdf"))
    app = parse_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.directives, TOPICS.review)
    async with TestKafkaBroker(app.broker) as broker:
        await broker.publish(_text_event(artifact.document_id, ref), TOPICS.text)
    return ([DirectiveParsed.model_validate(d) for d in seen[TOPICS.directives]],
            [ReviewItem.model_validate(r) for r in seen[TOPICS.review]])


async def test_parse_sends_a_document_with_an_unreadable_page_to_review(memory_storage, directive_text):
    # GIVEN a two-page scan whose second page the OCR stage read at low confidence
    document_id = "f" * 64
    # WHEN its text event arrives
    [directive], [item] = await parse_artifact(memory_storage, TextArtifact(
        document_id=document_id, media_type="application/pdf", pages=[
            PageText(number=1, text=directive_text, source="ocr", confidence=91.0),
            PageText(number=2, text="~ ,. ' ;", source="ocr", confidence=31.0,
                     warning="low confidence (31) read either way up: the page may be damaged, dark or handwritten"),
        ]))
    # THEN the directive is published, naming the page, and the records office gets one
    # review item to check that page against the original
    assert any("page 2" in w for w in directive.warnings)
    assert item.document_id == document_id and item.unit_id is None and "page 2" in item.task
    assert item.document.doc_type == "Thông báo"


async def test_digits_read_from_handwriting_are_named_for_the_clerk_to_check(memory_storage, directive_text):
    # GIVEN a scan whose number's sequence ("Số:    /TB-UBND") the OCR stage read from
    # handwriting in the blank
    assert "Số: /TB-UBND" in directive_text
    text = directive_text.replace("Số: /TB-UBND", "Số: 12 /TB-UBND")
    words = [Word(text="Số:", box=(60, 80, 75, 92), confidence=95.0),
             Word(text="12", box=(78, 80, 90, 92), confidence=87.4, handwritten=True),
             Word(text="/TB-UBND", box=(92, 80, 130, 92), confidence=93.0)]
    header = Block(kind="header-left", box=(60, 80, 130, 92), lines=[line_of(words)])
    [directive], _ = await parse_artifact(memory_storage, TextArtifact(
        document_id="c" * 64, media_type="application/pdf",
        pages=[PageText(number=1, text=text, source="ocr", confidence=90.0, blocks=[header])]))
    # THEN the directive says which digits came from handwriting, and how sure the reading is
    assert directive.number == "12/TB-UBND"
    assert any('"12"' in w and "handwriting" in w and "87%" in w for w in directive.warnings), directive.warnings


async def test_a_day_inferred_from_the_signature_is_sent_to_the_records_office_to_confirm(
        memory_storage, directive_text):
    # GIVEN a document whose header leaves the day blank ("ngày   tháng 9 năm 2021"), signed
    # digitally by its issuer on 13/09 and published by the province's gazette on 14/09
    assert "ngày tháng 9 năm 2021" in directive_text
    hanoi = dt.timezone(dt.timedelta(hours=7))
    [directive], [item] = await parse_artifact(memory_storage, TextArtifact(
        document_id="a" * 64, media_type="application/pdf",
        pages=[PageText(number=1, text=directive_text, source="text-layer")],
        signatures=[
            DigitalSignature(signer="Trung tâm Công báo và Tin học", signed_at=dt.datetime(2021, 9, 14, 9, tzinfo=hanoi)),
            DigitalSignature(signer="Ủy ban nhân dân tỉnh Nam Định", signed_at=dt.datetime(2021, 9, 13, 17, tzinfo=hanoi)),
        ]))
    # THEN the directive is dated by the issuer's signature, not the gazette's
    assert directive.date == dt.date(2021, 9, 13) and "date" in directive.inferred
    # AND the records office is asked to confirm that day against the original
    assert item.unit_id is None and "13/09/2021" in item.task


async def test_notify_sends_each_unit_its_assignments(memory_storage):
    # GIVEN a directive assigning a known unit, a collective and a unit the directory does not know
    directory = services_directory()
    health = directory.match("Sở Y tế", "Ninh Bình").unit
    collective = directory.match("UBND các xã, phường", "Ninh Bình").unit
    assert collective.is_collective
    event = DirectiveParsed(
        document_id="f" * 64, text_source="ocr", issuer="UBND tỉnh Nam Định", number="1/TB-UBND",
        source=ObjectRef(bucket="incoming", key="a.pdf"), artifact=text_artifact_ref(SETTINGS, "f" * 64),
        assignments=[
            Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", section="3", task="Tiêm vắc xin"),
            Assignment(unit=collective.name, unit_text=collective.name, unit_id=collective.id, role="assigned", task="Báo cáo"),
            Assignment(unit="Sở Vũ trụ", unit_text="Sở Vũ trụ", role="cooperate", task="Phối hợp"),
        ],
    )
    received(memory_storage, event.document_id, event.source)
    app = notify_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.assignments, TOPICS.review)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the directive event arrives
        await broker.publish(event.model_dump(mode="json"), TOPICS.directives)
    # THEN the known unit and every member of the collective get a notice, the unknown unit goes to review
    members = directory.expand(collective.id)
    assert len(members) > 1
    sent = seen[TOPICS.assignments]
    assert [(n["unit_id"], n["role"]) for n in sent] == [(health.id, "lead")] + [(m.id, "assigned") for m in members]
    assert sent[0]["idempotency_key"] == f"{'f' * 64}:0:{health.id}"
    assert sent[0]["original_url"].startswith("memory://incoming/a.pdf")
    assert [(n["unit"], n["unit_id"]) for n in seen[TOPICS.review]] == [("Sở Vũ trụ", None)]


async def test_ocr_recognises_a_resubmission_but_not_a_redelivery(memory_storage, directive_text):
    # GIVEN the same PDF bytes stored under two keys
    pdf = text_pdf(directive_text)
    for key in ("first.pdf", "again.pdf"):
        memory_storage.objects[(SETTINGS.buckets.incoming, key)] = pdf
    app = ocr_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.text, TOPICS.failed)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the first is notified twice (a redelivery) and then the second once
        for key in ("first.pdf", "first.pdf", "again.pdf"):
            await broker.publish(minio_event(SETTINGS.buckets.incoming, key), TOPICS.objects)
    # THEN the redelivery of a version already read is only acknowledged (vanthu/announce.py),
    # and the second key is a duplicate naming the first
    assert [e["source"]["key"] for e in seen[TOPICS.text]] == ["first.pdf"]
    [duplicate] = seen[TOPICS.failed]
    assert duplicate["reason"] == "duplicate" and duplicate["source"]["key"] == "again.pdf"
    assert "first.pdf" in duplicate["message"]


class FlakyStorage:
    """Wraps a storage whose reads fail with a connection error ``failures`` times."""

    def __init__(self, inner, failures: int) -> None:
        self.inner, self.failures = inner, failures
        self.settings = inner.settings

    def read(self, ref, **kwargs):
        if self.failures:
            self.failures -= 1
            raise ConnectionError("MinIO unreachable")
        return self.inner.read(ref, **kwargs)

    def __getattr__(self, name):
        return getattr(self.inner, name)


async def test_transient_failures_go_through_the_retry_topic_then_the_dlq(memory_storage, directive_text):
    # GIVEN storage that is unreachable for longer than the retries last (no waiting between them here)
    settings = SETTINGS.model_copy(update={"retry": SETTINGS.retry.model_copy(update={"max_attempts": 3,
                                                                                       "base_delay_s": 0.001})})
    memory_storage.objects[(settings.buckets.incoming, "a.pdf")] = text_pdf(directive_text)
    app = ocr_app.create_app(settings, FlakyStorage(memory_storage, failures=10))
    seen = capture(app.broker, settings.topics.text, settings.topics.failed, settings.topics.dlq)
    retries = capture(app.broker, settings.topics.retry_for("ocr"))
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the object's notification arrives
        await broker.publish(minio_event(settings.buckets.incoming, "a.pdf"), settings.topics.objects, key=b"k")
    # THEN it went through the retry topic, and after the last attempt to the DLQ with the original payload
    assert len(retries[settings.topics.retry_for("ocr")]) == 2
    [dead] = seen[settings.topics.dlq]
    assert dead["stage"] == "ocr" and dead["attempts"] == 3 and dead["topic"] == settings.topics.objects
    assert "MinIO unreachable" in dead["error"] and '"a.pdf"' in dead["payload"]
    assert not seen[settings.topics.text] and not seen[settings.topics.failed]


async def test_transient_failure_then_recovery_extracts_once(memory_storage, directive_text):
    # GIVEN storage that fails once and then works
    settings = SETTINGS.model_copy(update={"retry": SETTINGS.retry.model_copy(update={"base_delay_s": 0.001})})
    memory_storage.objects[(settings.buckets.incoming, "a.pdf")] = text_pdf(directive_text)
    app = ocr_app.create_app(settings, FlakyStorage(memory_storage, failures=1))
    seen = capture(app.broker, settings.topics.text, settings.topics.dlq)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the notification arrives
        await broker.publish(minio_event(settings.buckets.incoming, "a.pdf"), settings.topics.objects)
    # THEN the retry extracted the text, once, and nothing was dead-lettered
    assert len(seen[settings.topics.text]) == 1 and not seen[settings.topics.dlq]


async def test_notify_sends_a_document_once(memory_storage):
    # GIVEN a directive with one known unit
    health = services_directory().match("Sở Y tế", "Ninh Bình").unit
    event = DirectiveParsed(
        document_id="a" * 64, text_source="text-layer",
        assignments=[Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", task="Tiêm")],
    )
    app = notify_app.create_app(SETTINGS, memory_storage)
    seen = capture(app.broker, TOPICS.assignments)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the directive event arrives twice (say, the same letter parsed again)
        for _ in range(2):
            await broker.publish(event.model_dump(mode="json"), TOPICS.directives)
    # THEN the unit got one notice
    assert len(seen[TOPICS.assignments]) == 1

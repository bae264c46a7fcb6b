"""The whole path on the real local Kafka and MinIO: an object put into the intake bucket
travels, through MinIO's own notification and the three services, to the units'
assignment notices on Kafka."""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import os
import time
import zipfile

import pytest
from aiokafka import AIOKafkaConsumer
from kafka import KafkaConsumer, TopicPartition
from kafka.admin import KafkaAdminClient
from minio import Minio

from examples.render import scan_pdf, text_pdf
from services.notify.notices import build_notices
from services.ocr import app as ocr_app
from services.parse import app as parse_app
from services.notify import app as notify_app
from vanthu.directory import UnitDirectory
from vanthu.events import AssignmentNotice, DirectiveParsed, DocumentFailed
from vanthu.settings import Settings
from vanthu.storage import Storage

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
SAMPLE = "002_d2642929b84c508e"  # UBND tỉnh Nam Định: ten numbered tasks with lead units


async def _running(settings: Settings):
    apps = [module.create_app(settings) for module in (ocr_app, parse_app, notify_app)]
    for app in apps:
        await app.start()
    return apps


async def _collect(settings: Settings, done, timeout: float) -> dict[str, list[dict]]:
    """Read the run's output topics from their start until ``done(messages)`` or the timeout."""
    topics = settings.topics
    consumer = AIOKafkaConsumer(topics.directives, topics.assignments, topics.review, topics.failed,
                                bootstrap_servers=settings.kafka_bootstrap, auto_offset_reset="earliest",
                                group_id=None, enable_auto_commit=False)
    messages: dict[str, list[dict]] = {t: [] for t in (topics.directives, topics.assignments, topics.review, topics.failed)}
    await consumer.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not done(messages):
            batch = await consumer.getmany(timeout_ms=1000)
            for records in batch.values():
                for record in records:
                    messages[record.topic].append({"key": record.key, **json.loads(record.value)})
    finally:
        await consumer.stop()
    return messages


def _document_failures(messages: dict[str, list[dict]], settings: Settings) -> list[DocumentFailed]:
    """Failures about this test's objects. vanthu.objects is shared: a new consumer group
    reads it from the start, and poison left there by other runs is reported too."""
    failures = [DocumentFailed.model_validate(m) for m in messages[settings.topics.failed]]
    return [f for f in failures if f.source and f.source.bucket == settings.buckets.incoming]


def _uncommitted(settings: Settings, wait_s: float = 15) -> dict[str, int]:
    """Messages each stage's consumer group has not committed on its input topic (waiting
    up to ``wait_s`` for the commits that follow a stage's last effects)."""
    inputs = {"ocr": settings.topics.objects, "parse": settings.topics.text, "notify": settings.topics.directives}
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap)
    deadline = time.monotonic() + wait_s
    try:
        while True:
            behind = {}
            for stage, topic in inputs.items():
                committed = admin.list_consumer_group_offsets(settings.group(stage))
                ends = consumer.end_offsets([TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic)])
                lag = sum(end - (committed[tp].offset if tp in committed else 0) for tp, end in ends.items())
                if lag:
                    behind[stage] = lag
            if not behind or time.monotonic() > deadline:
                return behind
            time.sleep(0.5)
    finally:
        consumer.close()
        admin.close()


def _put(client: Minio, bucket: str, key: str, data: bytes) -> None:
    client.put_object(bucket, key, io.BytesIO(data), len(data), metadata={"submitted-by": "pytest"})


async def test_objects_become_assignments_and_bad_files_fail(run_settings: Settings, examples):
    # GIVEN the three services running on the real Kafka, and four objects put into the
    # intake bucket: the sample as a text PDF and as an image-only scan, a ZIP, and
    # random bytes named .pdf (Vietnamese names and spaces in the keys)
    settings = run_settings
    text = examples[SAMPLE]
    files = {
        "Thông báo kết luận (bản điện tử).pdf": text_pdf(text),
        "Thông báo kết luận (bản quét).pdf": scan_pdf(text, seed=2),
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("a.txt", "không phải văn bản")
    bad = {"hồ sơ.zip": buf.getvalue(), "ngẫu nhiên.pdf": os.urandom(4096)}
    ids = {name: hashlib.sha256(data).hexdigest() for name, data in {**files, **bad}.items()}
    client = Storage(settings).client
    apps = await _running(settings)
    try:
        for name, data in {**files, **bad}.items():
            _put(client, settings.buckets.incoming, f"2021/09/{name}", data)

        # WHEN the pipeline has published a directive for each document, every notice of
        # those directives, and two failures
        directory = UnitDirectory.from_settings(settings)  # the one the services load

        def expected_notices(messages) -> dict[str, list[AssignmentNotice]]:
            return {d["document_id"]: build_notices(DirectiveParsed.model_validate(d), d["document_id"], directory)
                    for d in messages[settings.topics.directives]}

        def done(messages) -> bool:
            expected = expected_notices(messages)
            sent = messages[settings.topics.assignments] + messages[settings.topics.review]
            return (
                len(expected) == 2
                and all(sum(m["document_id"] == doc for m in sent) >= len(n) for doc, n in expected.items())
                and len(_document_failures(messages, settings)) >= 2
            )

        messages = await _collect(settings, done, timeout=420)

        # ... and, once that is done, the clerk scans the same letter again
        _put(client, settings.buckets.incoming, "2021/10/scanned again.pdf", files["Thông báo kết luận (bản điện tử).pdf"])
        again = await _collect(settings, lambda m: len(_document_failures(m, settings)) >= 3, timeout=60)
        behind = await asyncio.to_thread(_uncommitted, settings)
    finally:
        for app in apps:
            await app.stop()

    # THEN each document's notices arrived, keyed by unit id, matching its directive
    assert done(messages), f"pipeline incomplete: { {t: len(m) for t, m in messages.items()} }"
    expected = expected_notices(messages)
    text_id, scan_id = ids["Thông báo kết luận (bản điện tử).pdf"], ids["Thông báo kết luận (bản quét).pdf"]
    assert set(expected) == {text_id, scan_id}
    notices = [AssignmentNotice.model_validate(m) for m in messages[settings.topics.assignments]]
    for message, notice in zip(messages[settings.topics.assignments], notices, strict=True):
        assert message["key"] == notice.unit_id.encode()
    by_doc = {doc: {n.idempotency_key for n in notices if n.document_id == doc} |
              {m["idempotency_key"] for m in messages[settings.topics.review] if m["document_id"] == doc}
              for doc in expected}
    for doc, wanted in expected.items():
        assert by_doc[doc] == {n.idempotency_key for n in wanted}

    # ... the lead units a clerk would name are there ("3. Sở Y tế chủ trì, phối hợp ...")
    text_triples = {(n.unit_id, n.role, n.section) for n in notices if n.document_id == text_id}
    assert any(n.unit_text == "Sở Y tế" and n.unit_id and n.role == "lead" for n in notices if n.document_id == text_id)
    assert any(n.role == "cooperate" for n in notices if n.document_id == text_id)
    # ... and the scan, read by Tesseract, gives (nearly) the same assignments
    scan_triples = {(n.unit_id, n.role, n.section) for n in notices if n.document_id == scan_id}
    assert len(text_triples & scan_triples) >= 0.9 * len(text_triples)

    # ... the two bad files each produced exactly one typed failure, and no notice
    failures = _document_failures(messages, settings)
    # (the sniffer reads the bytes, not the name: random bytes are no PDF whatever they are called)
    assert sorted((f.source.key, f.reason) for f in failures) == [
        ("2021/09/hồ sơ.zip", "unsupported-format"),
        ("2021/09/ngẫu nhiên.pdf", "unsupported-format"),
    ]
    assert all(f.stage == "ocr" and f.document_id in ids.values() for f in failures)
    assert not {n.document_id for n in notices} & {ids[name] for name in bad}

    # ... the re-submission is reported as a duplicate and sends no notice again
    duplicate = _document_failures(again, settings)[-1]
    assert (duplicate.reason, duplicate.source.key) == ("duplicate", "2021/10/scanned again.pdf")
    assert "Thông báo kết luận (bản điện tử).pdf" in duplicate.message
    assert len(again[settings.topics.assignments]) == len(messages[settings.topics.assignments])

    # ... every stage has committed all it read: a restarted worker would not read it again
    assert behind == {}, behind

    # ... and every original is still in the bucket, byte for byte
    for name, data in {**files, **bad}.items():
        response = client.get_object(settings.buckets.incoming, f"2021/09/{name}")
        assert response.read() == data
        response.close()

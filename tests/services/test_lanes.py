"""Priority lanes on the real local Kafka and MinIO: an urgent letter put into the intake
bucket while the OCR service reads a bulk batch is read first, and the batch goes on.

The OCR service runs in-process; the bulk documents are scans rendered from the example
directives (examples/render.py), long enough (about 13 pages, 10-20 s of both cores) that a
document being read when the letter arrives would still be read well after the letter's
notification (1-3 s) and its OCR (1 s) if the letter went first.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import json
import time
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import KafkaAdminClient
from kafka.structs import OffsetAndMetadata

from examples.render import example_texts, scan_pdf
from services.ocr import app as ocr_app
from services.ocr.lanes import DownstreamLag
from vanthu.provision import create_topics
from vanthu.events import TextArtifact
from vanthu.settings import Settings
from vanthu.state import StateStore
from vanthu.storage import Storage, text_artifact_ref

pytestmark = [pytest.mark.integration, pytest.mark.timeout(600)]
# A one-page letter marked HỎA TỐC, written for these tests in the form of Decree 30/2020/NĐ-CP.
URGENT = (Path(__file__).parent / "data" / "hoa_toc.txt").read_text(encoding="utf-8")


def _bulk_documents(count: int) -> dict[str, bytes]:
    """``count`` scans of four example directives each (about 13 pages at 200 dpi)."""
    texts = [text for _, text in sorted(example_texts().items())]
    return {f"hồ sơ lưu trữ {n}.pdf": scan_pdf("\n\n".join(texts[(n + i) % 5] for i in range(4)), dpi=200, seed=n)
            for n in range(count)}


def _put(settings: Settings, key: str, data: bytes) -> float:
    Storage(settings).client.put_object(settings.buckets.incoming, key, io.BytesIO(data), len(data))
    return time.monotonic()


async def _until(check, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while not (found := await asyncio.to_thread(check)):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)
    return found


async def test_urgent_letter_is_read_before_the_bulk_batch_it_arrives_in(run_settings: Settings):
    # GIVEN the OCR service, and a bulk batch of two long scans put under the bulk prefix
    settings = run_settings
    bulk = {f"{settings.lanes.bulk_prefix}2024/{name}": data for name, data in _bulk_documents(2).items()}
    bulk_ids = {hashlib.sha256(data).hexdigest(): key for key, data in bulk.items()}
    urgent = scan_pdf(URGENT, dpi=200, seed=7)
    urgent_id = hashlib.sha256(urgent).hexdigest()
    state = StateStore(Storage(settings))
    consumer = AIOKafkaConsumer(settings.topics.text, bootstrap_servers=settings.kafka_bootstrap,
                                auto_offset_reset="earliest", group_id=None, enable_auto_commit=False)
    app = ocr_app.create_app(settings)
    await app.start()
    await consumer.start()
    try:
        for key, data in bulk.items():
            await asyncio.to_thread(_put, settings, key, data)
        # ... the bulk lane has started one of them and is reading its pages
        await _until(lambda: [d for d in bulk_ids if state.submissions(d)], 120, "the bulk lane to start")
        await asyncio.sleep(2)  # the bulk process starts, and reads its first pages
        started = await asyncio.to_thread(lambda: {d for d in bulk_ids if state.submissions(d)})
        in_progress = await asyncio.to_thread(lambda: {d for d in started if not state.has(d, "text")})
        # WHEN a one-page HỎA TỐC letter is put into the intake bucket, not under the bulk prefix
        put_at = await asyncio.to_thread(_put, settings, "2024/09/05/hoả tốc bão số 3.pdf", urgent)

        # THEN its text is extracted before the bulk document being read, and before the ones waiting
        order: list[str] = []
        events: dict[str, dict] = {}
        deadline = time.monotonic() + 400
        while len(events) < len(bulk) + 1 and time.monotonic() < deadline:
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for record in records:
                    event = json.loads(record.value)
                    if event["document_id"] not in events:
                        order.append(event["document_id"])
                        events[event["document_id"]] = event
                        if event["document_id"] == urgent_id:
                            latency = time.monotonic() - put_at
    finally:
        await consumer.stop()
        await app.stop()

    assert set(events) == {urgent_id, *bulk_ids}, "every document of the batch and the letter is read, once"
    assert in_progress, "the test needs a bulk document being read when the letter arrives"
    before_urgent = set(order[: order.index(urgent_id)])
    assert not before_urgent & in_progress, "the letter waited for the bulk document being read"
    assert before_urgent <= started, "the letter waited for bulk documents not started yet"
    assert events[urgent_id]["urgency"] == "Hỏa tốc"
    assert events[urgent_id]["source"]["key"].startswith("2024/")
    # AND a bulk document's artifact, written page by page, holds every page with its layout
    for document_id in bulk_ids:
        artifact = TextArtifact.model_validate_json(Storage(settings).read(text_artifact_ref(settings, document_id)))
        assert len(artifact.pages) == events[document_id]["pages"] > 10
        assert all(page.blocks and page.text for page in artifact.pages)
    print(f"urgent letter: upload to text {latency:.1f} s; order {[bulk_ids.get(d, 'URGENT') for d in order]}")


def test_init_raises_the_partitions_for_more_workers(run_settings: Settings):
    # GIVEN the run's topics (two partitions each), with an intake topic of its own too
    settings = run_settings.model_copy(update={"topics": run_settings.topics.model_copy(
        update={"objects": f"{run_settings.group_prefix}.objects"})})
    admin = KafkaAdminClient(bootstrap_servers=settings.kafka_bootstrap)

    def partitions(wanted: int) -> dict[str, int]:
        """Each topic's partitions, once the broker's metadata shows ``wanted`` (or after 20 s)."""
        deadline = time.monotonic() + 20
        while (counts := {d["topic"]: len(d["partitions"]) for d in admin.describe_topics(settings.topics.all())}) \
                != dict.fromkeys(settings.topics.all(), wanted) and time.monotonic() < deadline:
            time.sleep(0.5)
        return counts

    try:
        create_topics(settings)
        assert partitions(2) == dict.fromkeys(settings.topics.all(), 2)
        # WHEN provisioning for four OCR workers
        create_topics(settings, partitions=4)
        # THEN every topic, the lanes' included, has four partitions: one per worker
        assert partitions(4) == dict.fromkeys(settings.topics.all(), 4)
    finally:
        admin.delete_topics([settings.topics.objects])
        admin.close()


def test_downstream_lag_counts_what_parse_and_notify_have_yet_to_read(run_settings: Settings):
    # GIVEN three text events and one directive on the run's topics
    settings = run_settings
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    for topic in (settings.topics.text, settings.topics.text, settings.topics.text, settings.topics.directives):
        producer.send(topic, b"{}", partition=0).get(timeout=30)
    producer.close()
    lag = DownstreamLag(settings)
    try:
        # WHEN no stage has read any (its group never committed), then parse read one and notify none
        before = lag()
        for group, topic, offset in ((settings.group("parse"), settings.topics.text, 1),
                                     (settings.group("notify"), settings.topics.directives, 0)):
            consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=group,
                                     enable_auto_commit=False)
            consumer.assign([TopicPartition(topic, 0)])
            consumer.commit({TopicPartition(topic, 0): OffsetAndMetadata(offset, "", -1)})
            consumer.close()
        after = lag()
    finally:
        lag.close()
    # THEN the lag is what the groups have yet to read
    assert (before, after) == (0, 2 + 1)

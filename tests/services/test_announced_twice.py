"""An upload announced by its submitter reaches the OCR stage twice, the announcement and
then MinIO's own event (vanthu/announce.py), possibly in one batch of its subscriber: the
document is read once, the second event only acknowledged. In-memory (FastStream's test
broker, whose ``publish_batch`` hands the stage both in one batch); the real Kafka and
MinIO case is tests/integration/test_announce.py."""

from __future__ import annotations

from faststream.kafka import TestKafkaBroker

from examples.render import example_texts, text_pdf
from services.ocr import app as ocr_app
from tests.conftest import MemoryStorage
from tests.inmemory import capture, minio_event
from vanthu.settings import Settings


async def test_two_events_of_one_version_in_one_batch_read_it_once():
    # GIVEN an object in the intake bucket
    settings = Settings()
    storage = MemoryStorage(settings)
    storage.objects[(settings.buckets.incoming, "2026/12/04/hỏa tốc.pdf")] = text_pdf(
        example_texts()["002_d2642929b84c508e"])
    app = ocr_app.create_app(settings, storage, downstream_lag=lambda: 0)
    seen = capture(app.broker, settings.topics.text, settings.topics.failed)
    # WHEN its announcement and MinIO's event arrive together
    event = minio_event(settings.buckets.incoming, "2026/12/04/hỏa tốc.pdf")
    try:
        async with TestKafkaBroker(app.broker) as broker:
            await broker.publish_batch(event, event, topic=settings.topics.objects)
    finally:
        await app.stop()
    # THEN one text event, and no failure (no "duplicate")
    assert len(seen[settings.topics.text]) == 1
    assert seen[settings.topics.failed] == []

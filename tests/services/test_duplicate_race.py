"""A fault between an original's receipt and its text, with its duplicate in between.

The OCR service records every submission (``received/<key>``) before it extracts the
text. When the original fails transiently after that record (MinIO or Kafka down, the
worker killed mid-OCR, a DLQ replay later), and the same bytes arrive under another key
meanwhile, the redelivered original must still be the original: a duplicate is judged
by the *first* receipt, or both submissions would fail and no notice ever be sent.

In-memory (FastStream's test broker) to make the interleaving deterministic; the real
Kafka and MinIO add nothing to it.
"""

from __future__ import annotations


from faststream.kafka import TestKafkaBroker

from tests.inmemory import capture, minio_event
from examples.render import example_texts, text_pdf
from services.ocr import app as ocr_app
from tests.conftest import MemoryStorage
from vanthu.settings import Settings







class ArtifactWriteFailsOnce(MemoryStorage):
    """MinIO goes away after the receipt was recorded, while the text artifact is written."""

    failed = False

    def put_bytes(self, ref, data, content_type):
        if ref.key.startswith("text/") and not self.failed:
            self.failed = True
            raise ConnectionError("MinIO unreachable")
        super().put_bytes(ref, data, content_type)


async def test_original_redelivered_after_its_duplicate_is_still_the_original():
    # GIVEN the same bytes under two keys, and storage failing once after the first receipt
    settings = Settings()
    # one attempt: the transient failure dead-letters the original, which is replayed below
    settings = settings.model_copy(update={"retry": settings.retry.model_copy(update={"max_attempts": 1})})
    storage = ArtifactWriteFailsOnce(settings)
    pdf = text_pdf(example_texts()["004_10d7f02d66da512c"])
    for key in ("gốc.pdf", "gửi lại.pdf"):
        storage.objects[(settings.buckets.incoming, key)] = pdf
    app = ocr_app.create_app(settings, storage)
    seen = capture(app.broker, settings.topics.text, settings.topics.failed, settings.topics.dlq)
    async with TestKafkaBroker(app.broker) as broker:
        # WHEN the original fails transiently, the duplicate arrives, then the original again
        await broker.publish(minio_event(settings.buckets.incoming, "gốc.pdf"), settings.topics.objects)
        await broker.publish(minio_event(settings.buckets.incoming, "gửi lại.pdf"), settings.topics.objects)
        await broker.publish(minio_event(settings.buckets.incoming, "gốc.pdf"), settings.topics.objects)
    # THEN the original's text is extracted once, and only the second key is a duplicate
    assert len(seen[settings.topics.dlq]) == 1
    assert [(f["reason"], f["source"]["key"]) for f in seen[settings.topics.failed]] == [("duplicate", "gửi lại.pdf")]
    assert [t["source"]["key"] for t in seen[settings.topics.text]] == ["gốc.pdf"]

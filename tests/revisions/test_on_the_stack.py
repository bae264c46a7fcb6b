"""A clerk's correction on the real local Kafka and MinIO: the corrected unit gets one
cancellation to the old unit and one notice to the new one, however often the revision is
delivered again; a unit's mark reaches ``vanthu.tasks``."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from aiokafka import AIOKafkaConsumer

from services.notify import app as notify_app
from vanthu.directory import UnitDirectory
from vanthu.events import Assignment, DirectiveParsed
from vanthu.revisions import AssignmentEdit, Edits, correct, kafka_publisher, keep_parsed, mark_task
from vanthu.settings import Settings
from vanthu.storage import Storage

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]
DOCUMENT = "d" * 64


async def read(settings: Settings, topic: str, enough: int, timeout: float) -> list[dict]:
    """The messages of ``topic`` from its start, once there are ``enough`` or at the timeout."""
    consumer = AIOKafkaConsumer(topic, bootstrap_servers=settings.kafka_bootstrap, auto_offset_reset="earliest",
                                group_id=None, enable_auto_commit=False)
    await consumer.start()
    messages: list[dict] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and len(messages) < enough:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                messages.extend(json.loads(r.value) for r in records)
    finally:
        await consumer.stop()
    return messages


async def test_a_correction_flows_to_the_units_once(run_settings: Settings):
    # GIVEN the notify stage on the real stack, and a directive assigning two units, parsed and notified
    settings = run_settings
    directory = UnitDirectory.from_settings(settings)
    health, finance, builder = (directory.match(name, "Ninh Bình").unit
                                for name in ("Sở Y tế", "Sở Tài chính", "Sở Xây dựng"))
    first = DirectiveParsed(
        document_id=DOCUMENT, text_source="text-layer", doc_type="Thông báo", number="21/TB-UBND",
        assignments=[
            Assignment(unit=health.name, unit_text="Sở Y tế", unit_id=health.id, role="lead", section="1",
                       task="Chủ trì kiểm tra an toàn thực phẩm"),
            Assignment(unit=finance.name, unit_text="Sở Tài chính", unit_id=finance.id, role="cooperate",
                       section="1", task="Phối hợp bố trí kinh phí"),
        ],
    )
    storage = Storage(settings)
    publish = kafka_publisher(settings)
    app = notify_app.create_app(settings, storage)
    await app.start()
    try:
        await asyncio.to_thread(keep_parsed, storage, first)
        await asyncio.to_thread(publish, settings.topics.directives, first, DOCUMENT)
        assert len(await read(settings, settings.topics.assignments, 2, timeout=60)) == 2
        # WHEN a clerk gives the second assignment to Sở Xây dựng
        revision = await asyncio.to_thread(correct, settings, storage, DOCUMENT,
                                           Edits(change={1: AssignmentEdit(unit_id=builder.id)}), "Phạm Thu Hà")
        assert len(await read(settings, settings.topics.assignments, 4, timeout=60)) == 4
        # ... and the revision and the original are delivered again
        for event in (revision, first):
            await asyncio.to_thread(publish, settings.topics.directives, event, DOCUMENT)
        await asyncio.sleep(6)
        sent = await read(settings, settings.topics.assignments, 99, timeout=8)
        # ... and Sở Xây dựng marks its new task received
        new = sent[2]["idempotency_key"]
        await asyncio.to_thread(mark_task, settings, storage, new, builder.id, "received", "Sở Xây dựng")
        marks = await read(settings, settings.topics.tasks, 1, timeout=30)
    finally:
        await app.stop()
    # THEN the units got revision 0's two notices, then one notice to Sở Xây dựng and one
    # cancellation to Sở Tài chính, and nothing more
    assert [(n["unit_id"], n["status"], n["revision"]) for n in sent] == [
        (health.id, "assigned", 0), (finance.id, "assigned", 0),
        (builder.id, "assigned", 1), (finance.id, "cancelled", 1)]
    assert sent[3]["supersedes"] == sent[1]["idempotency_key"]
    # ... and the mark is on vanthu.tasks
    assert [(m["notice_key"], m["unit_id"], m["mark"]) for m in marks] == [(new, builder.id, "received")]

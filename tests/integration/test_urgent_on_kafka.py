"""On the real Kafka: a HỎA TỐC directive queued behind ordinary ones is notified first
(the handler-level cases are tests/notify/test_urgent_first.py)."""

from __future__ import annotations

import pytest
from kafka import KafkaProducer

from services.notify import app as notify_app
from tests.kafka_reading import read_topics
from tests.notify.test_urgent_first import backlog, sent_order
from vanthu.settings import Settings

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]


async def test_a_backlogs_urgent_directive_is_notified_first_on_kafka(run_settings: Settings):
    # GIVEN a backlog of directives waiting on one partition, a HỎA TỐC one last
    settings = run_settings
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    for event in backlog():
        producer.send(settings.topics.directives, event.model_dump_json().encode(), key=event.document_id.encode(),
                      partition=0)
    producer.flush()
    producer.close()
    # WHEN the notify stage starts and reads it
    app = notify_app.create_app(settings)
    await app.start()
    try:
        seen = await read_topics(settings, [settings.topics.assignments],
                                 lambda m: len(m[settings.topics.assignments]) >= len(backlog()), timeout=120)
    finally:
        await app.stop()
    # THEN the urgent directives' notices came first, the rest in the order they were queued
    assert sent_order(seen[settings.topics.assignments]) == [9, 6, 8, 1, 2, 3, 4, 5, 7]

"""Reading a test run's topics on the real Kafka from their start."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from aiokafka import AIOKafkaConsumer

from vanthu.settings import Settings


async def read_topics(settings: Settings, topics: list[str], done: Callable[[dict[str, list[dict]]], bool],
                      timeout: float) -> dict[str, list[dict]]:
    """Every message of ``topics`` (decoded JSON, per topic) from the start, read until
    ``done(messages)`` holds or ``timeout`` seconds have passed."""
    consumer = AIOKafkaConsumer(*topics, bootstrap_servers=settings.kafka_bootstrap, auto_offset_reset="earliest",
                                group_id=None, enable_auto_commit=False)
    messages: dict[str, list[dict]] = {t: [] for t in topics}
    await consumer.start()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline and not done(messages):
            for records in (await consumer.getmany(timeout_ms=1000)).values():
                for record in records:
                    messages[record.topic].append(json.loads(record.value))
    finally:
        await consumer.stop()
    return messages

"""What keeps the desk's projection current: a Kafka consumer of the pipeline's topics,
and a sweep of the state store for what no topic says (a document delivered to a unit's
webhook or mailbox, a document notified with no notice to send).

The consumer belongs to no consumer group: it assigns itself every partition and starts
from the offsets the projection stored with the data, so each desk (each data
directory) reads every message once, and a new one reads the topics from their start.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from aiokafka import AIOKafkaConsumer, TopicPartition

from services.desk.projection import Projection
from vanthu.kafka_auth import client_options
from vanthu.logs import get_logger
from vanthu.settings import Settings
from vanthu.state import StateStore

log = get_logger("desk")
_SWEEP_S = 3.0
_TOPICS_CHECK_S = 30.0
_SWEEP_WINDOW = dt.timedelta(minutes=15)  # how long after its last change a document is swept


async def follow_topics(settings: Settings, projection: Projection) -> None:
    """Apply the pipeline's messages to ``projection`` until cancelled. A topic that does
    not exist yet (``vanthu init`` not run, a lane not in use) is looked for again every
    half minute; when it appears, this returns, to be started again with it."""
    existing = await asyncio.to_thread(_partitions, settings, projection.topics())
    missing = [topic for topic in projection.topics() if topic not in existing]
    partitions = [TopicPartition(topic, p) for topic, found in existing.items() for p in sorted(found)]
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False,
                                auto_offset_reset="earliest", **client_options(settings))
    await consumer.start()
    try:
        consumer.assign(partitions)
        stored = projection.offsets()
        for tp in partitions:
            if (tp.topic, tp.partition) in stored:
                consumer.seek(tp, stored[(tp.topic, tp.partition)])
            else:
                await consumer.seek_to_beginning(tp)
        log.info("desk following the pipeline's topics", partitions=len(partitions), missing=missing)
        checked = time.monotonic()
        while True:
            batch = await consumer.getmany(timeout_ms=1000, max_records=500)
            messages = [(r.topic, r.partition, r.offset, r.value) for records in batch.values() for r in records]
            if messages:
                await asyncio.to_thread(projection.apply, messages)
            if missing and time.monotonic() - checked > _TOPICS_CHECK_S:
                checked = time.monotonic()
                if await asyncio.to_thread(_partitions, settings, missing):
                    return
    finally:
        await consumer.stop()


def _partitions(settings: Settings, topics: list[str]) -> dict[str, set[int]]:
    """The partitions of each of ``topics`` that exists (aiokafka's consumer knows a topic's
    partitions only once subscribed to it; kafka-python's asks the broker)."""
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, **client_options(settings))
    try:
        return {topic: found for topic in topics if (found := consumer.partitions_for_topic(topic))}
    finally:
        consumer.close()


def sweep_state(state: StateStore, projection: Projection, now: dt.datetime) -> None:
    """Move documents that recently changed on to what the state store recorded since:
    ``notified`` (also a directive with nothing to send) and ``delivered`` (a channel did)."""
    for document_id in projection.in_motion(now - _SWEEP_WINDOW):
        steps = {record.step.split("/")[0] for record in state.steps(document_id)}
        for stage in ("delivered", "notified"):
            if stage in steps:
                projection.advance(document_id, stage)
                break


async def sweep_forever(state: StateStore, projection: Projection) -> None:
    while True:
        try:
            await asyncio.to_thread(sweep_state, state, projection, dt.datetime.now(dt.UTC))
        except Exception as exc:  # MinIO away: the next sweep tries again
            log.warning("desk state sweep failed", error=str(exc)[:200])
        await asyncio.sleep(_SWEEP_S)

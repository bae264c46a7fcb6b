"""Helpers for handler tests on FastStream's in-memory Kafka."""

from __future__ import annotations

from collections import defaultdict
from urllib.parse import quote_plus

from faststream.kafka import KafkaBroker


def minio_event(bucket: str, key: str, meta: dict[str, str] | None = None) -> dict:
    """A notification as MinIO publishes it (its key URL-escaped)."""
    return {
        "EventName": "s3:ObjectCreated:Put",
        "Key": f"{bucket}/{key}",
        "Records": [{
            "eventVersion": "2.0", "eventSource": "minio:s3", "eventName": "s3:ObjectCreated:Put",
            "s3": {"bucket": {"name": bucket},
                   "object": {"key": quote_plus(key), "size": 1, "userMetadata": meta or {}}},
        }],
    }


def capture(broker: KafkaBroker, *topics: str) -> dict[str, list[dict]]:
    """Record every message published to ``topics`` (as decoded JSON)."""
    seen: dict[str, list[dict]] = defaultdict(list)
    for topic in topics:
        def recorder(topic: str = topic):
            async def record(body: dict) -> None:
                seen[topic].append(body)
            return record
        broker.subscriber(topic, group_id=f"capture.{topic}")(recorder())
    return seen
